"""MLF004: an alias written with ``/`` instead of ``@``, which MLflow reads as a stage."""

from __future__ import annotations

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.uri import ModelUri, UriForm, alias_problem
from mlops_hooks.diagnostics import Edit, Fix, FixSafety
from mlops_hooks.rule import Bad, Good


class AliasWrittenAsStage(PythonRule):
    """An alias is written with `/`, so MLflow reads it as a stage that does not exist.

    ## What it does
    Flags `models:/<name>/<word>` where the word is not a number, not `latest` and not one of
    MLflow's four stages (`Staging`, `Production`, `Archived`, `None`), in Python string
    values and YAML configuration files.
    In a test module (under a `tests/` or `test/` directory, or named `test_*.py`,
    `*_test.py` or `conftest.py`) a URI is reported only where it is an argument of a call that
    loads, imports or registers a model (`load_model`, `import_model`, `register_model`...) or
    a `model_uri=` keyword: a fixture or an expected value that MLflow never resolves is not.

    ## Why is this bad?
    MLflow parses the word as a stage name, finds no version in that stage and fails at run
    time, typically only once the code is deployed. It is almost always an alias written
    with the wrong separator.

    ## Fix safety
    Safe where the string is certainly a registry URI: the whole string is the URI and it is
    passed to a call that loads or resolves a model (`load_model`, `model_uri=`...), bound to a
    `*_uri` name, or a configuration value. The URI cannot work as written there, and the fix
    changes only the `/` inside the string literal into `@`. Unsafe where the URI is a word of
    a longer text or a string used elsewhere (a message, a command line): the rewrite changes
    what the program prints or runs. No fix when the word is not a valid alias name or when
    the `/` is not written in a string literal.

    ## What changed
    Fix-safety audit (docs/fix-safety.md): a `models:/` inside a path or after a volume
    option is no longer reported (the fix used to rewrite the docker volume mount
    `-v {cwd}/models:/app/models` into `.../app@models`), and the fix is safe only where the
    string is certainly a model URI (see Fix safety).
    Since 0.2.0 a URI in a test module that no call loading, importing or registering a
    model receives (a fixture string, an expected value) is not reported: MLflow never resolves
    it, so the harm above cannot happen (issue 16: manifest fixtures in a unit test). A test
    that loads such a URI is still reported.
    """

    code = "MLF004"
    name = "alias-written-as-stage"
    triggers = ("models:/",)
    fix_safety = FixSafety.SAFE
    examples = (
        Good('model = mlflow.pyfunc.load_model("models:/bikes@champion")\n'),
        Good('model = mlflow.pyfunc.load_model("models:/bikes/Production")\n'),
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/champion")\n',
            span=(1, 49, 1, 57),
            message='models:/bikes/champion reads "champion" as a stage, which does not exist, '
            "and fails at run time; an alias is written models:/bikes@champion",
            fixed='model = mlflow.pyfunc.load_model("models:/bikes@champion")\n',
        ),
        Bad(
            'cmd = ["mlflow", "models", "serve", "-m", "models:/bikes/champion"]\n',
            span=(1, 58, 1, 66),
            fixed='cmd = ["mlflow", "models", "serve", "-m", "models:/bikes@champion"]\n',
        ),
        Bad(
            'uri = f"models:/{name}/challenger"\n',
            span=(1, 24, 1, 34),
            fixed='uri = f"models:/{name}@challenger"\n',
        ),
        Bad(
            "serving:\n  model_uri: models:/bikes/champion\n",
            path="confs/serving.yaml",
            span=(2, 28, 2, 36),
            fixed="serving:\n  model_uri: models:/bikes@champion\n",
        ),
        Good('subprocess.run(f"docker run -v {cwd}/models:/app/models bikes", shell=True)\n'),
        Good(
            "services:\n  serving:\n    volumes:\n      - models:/app/models\n",
            path="confs/compose.yaml",
        ),
        # A fixture string in a test: never resolved.
        Good(
            'entry = ManifestEntry(uri="models:/bikes/champion", kind="model")\n',
            path="tests/unit/test_manifest.py",
        ),
        # A test that loads the URI: resolved when the test runs.
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/champion")\n',
            path="tests/test_serving.py",
            span=(1, 49, 1, 57),
        ),
    )

    def check_uri(self, uri: ModelUri) -> None:
        separator, suffix = uri.separator, uri.suffix
        if uri.form is not UriForm.WORD or separator is None or suffix is None:
            return
        if self.unresolved_in_test(uri):
            return
        word = suffix.text or ""
        fix = None
        if alias_problem(word) is None and separator.editable:
            edit, message = Edit(separator.span, "@"), f"Write the alias as @{word}"
            fix = (
                Fix.safe(edit, message=message)
                if uri.in_context
                else Fix.unsafe(edit, message=message)
            )
        self.report(
            suffix.span,
            f'{uri.display} reads "{word}" as a stage, which does not exist, and fails at run '
            f"time; an alias is written {uri.with_alias(word)}",
            fix=fix,
        )
