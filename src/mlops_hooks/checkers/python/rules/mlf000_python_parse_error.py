"""MLF000: the Python file (or YAML configuration) cannot be read or parsed."""

from __future__ import annotations

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.rule import Bad, Good


class PythonParseError(PythonRule):
    """The Python file (or YAML configuration) cannot be read or parsed.

    ## What it does
    Reports a Python file with a syntax error, with the parser's message, line and column (the
    messages and positions are CPython's own when it rejects the file too), and a Python file
    that is not text in its declared encoding (a PEP 263 coding cookie or a UTF-8 BOM). The
    same code reports a YAML configuration file under `config-globs` that is not valid YAML.
    Only files that the enabled MLflow rules would look at are parsed (those that contain one
    of their triggers, such as `models:/`; with MLF000 alone, those that mention `mlflow` or
    `models:/`), so only those are reported. The other files of the run are still checked.
    A module that must go on to LibCST (the first pass, CPython's parser, cannot prove it
    conforming) and nests more than 1,000 levels deep is reported as too deep to check:
    LibCST's parser would overflow its stack on it.

    ## Why is this bad?
    Python cannot import the module, and no MLflow rule can check it.

    ## What changed
    Since 0.2.0 (issue 19) a deeply nested module that CPython parses and the first pass
    proves conforming is no longer reported as too deep to check: the nesting bound is
    LibCST's, and such a module never reaches LibCST.
    """

    code = "MLF000"
    name = "python-parse-error"
    parse_error = True
    examples = (
        Good('import mlflow\n\nmodel = mlflow.pyfunc.load_model("models:/bikes@champion")\n'),
        Bad(
            'import mlflow\n\nmodel = mlflow.pyfunc.load_model("models:/bikes@champion"\n',
            span=(3, 33, 3, 33),
            message="Python syntax error: '(' was never closed",
        ),
        Bad(
            "models:\n  serving: [models:/bikes@champion\n",
            path="confs/serving.yaml",
            span=(3, 1, 3, 1),
            message="YAML parse error: did not find expected ',' or ']'"
            " (while parsing a flow sequence)",
        ),
    )
