"""MLF003: a registry URI that loads by stage (deprecated since MLflow 2.9)."""

from __future__ import annotations

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.uri import ModelUri, UriForm, alias_problem
from mlops_hooks.diagnostics import Edit, Fix, FixSafety
from mlops_hooks.rule import Bad, Good, option, options


def _default_aliases() -> dict[str, str]:
    return {"production": "production", "staging": "staging"}


@options
class Options:
    """Options of MLF003."""

    stage_aliases: dict[str, str] = option(
        default=_default_aliases(),
        doc="The alias the fix uses for each stage (keys in any case); a stage not "
        "listed becomes its own name in lower case.",
    )


class ModelUriByStage(PythonRule):
    """A registry URI loads by stage, deprecated since MLflow 2.9.

    ## What it does
    Flags `models:/<name>/<stage>` where the stage is `Staging`, `Production`, `Archived` or
    `None` (any case), in Python string values and YAML configuration files.
    In a test module (under a `tests/` or `test/` directory, or named `test_*.py`,
    `*_test.py` or `conftest.py`) a URI is reported only where it is an argument of a call that
    loads, imports or registers a model (`load_model`, `import_model`, `register_model`...) or
    a `model_uri=` keyword: a fixture or an expected value that MLflow never resolves is not.

    ## Why is this bad?
    Model stages are deprecated since MLflow 2.9 and are going away: aliases replace them, can
    be many per model, and move atomically. A stage also resolves to the *latest* version in
    it, so archiving or promoting a version silently changes what is served.

    ## Fix safety
    Unsafe: the fix rewrites `/<stage>` as `@<alias>` (option `stage-aliases`, by default the
    stage in lower case), inside the string literal only. The alias must exist in the registry
    (`set_registered_model_alias`) before the fixed code runs. No fix is offered when the URI
    is built from parts that are not all written in one place.

    ## What changed
    Fix-safety audit (docs/fix-safety.md): a URI counts only at the start of a string or of
    a word of a command line; `models:/` inside a path (`-v {cwd}/models:/app/models`, a docker
    volume mount) or as the value of a volume option (`-v models:/app/models`, a compose
    file's `volumes:`) is no longer reported.
    Since 0.2.0 a URI in a test module that no call loading, importing or registering a
    model receives (a fixture string, an expected value) is not reported: MLflow never resolves
    it, so the harm above cannot happen (issue 16: manifest fixtures in a unit test). A test
    that loads such a URI is still reported.
    """

    code = "MLF003"
    name = "model-uri-by-stage"
    triggers = ("models:/",)
    fix_safety = FixSafety.UNSAFE
    Options = Options
    examples = (
        Good('model = mlflow.pyfunc.load_model("models:/bikes@production")\n'),
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/Production")\n',
            span=(1, 49, 1, 59),
            message="models:/bikes/Production loads by stage, deprecated since MLflow 2.9; "
            "load by alias instead: models:/bikes@production",
            fixed='model = mlflow.pyfunc.load_model("models:/bikes@production")\n',
        ),
        Bad(
            'STAGE = "Staging"\nuri = f"models:/{name}/" f"{STAGE}"\n',
            span=(2, 28, 2, 35),
            message="models:/{name}/Staging loads by stage, deprecated since MLflow 2.9; "
            "load by alias instead: models:/{name}@staging",
        ),
        Bad(
            'uri = rb"x" and r"models:/bikes/" "production"\n',
            span=(1, 36, 1, 46),
            fixed='uri = rb"x" and r"models:/bikes@" "production"\n',
        ),
        Bad(
            'serving:\n  model_uri: "models:/bikes/Staging"  # promoted by hand\n',
            path="confs/serving.yaml",
            options={"stage-aliases": {"Staging": "challenger"}},
            span=(2, 29, 2, 36),
            fixed='serving:\n  model_uri: "models:/bikes@challenger"  # promoted by hand\n',
        ),
        Good('subprocess.run(f"docker run -v {cwd}/models:/app/models bikes", shell=True)\n'),
        # A fixture string in a test: never resolved.
        Good(
            'entry = ManifestEntry(uri="models:/bikes/Production", kind="model")\n',
            path="tests/unit/test_manifest.py",
        ),
        # A test that loads the URI: resolved when the test runs.
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/Production")\n',
            path="tests/test_serving.py",
            span=(1, 49, 1, 59),
        ),
    )

    def check_uri(self, uri: ModelUri) -> None:
        if uri.form is not UriForm.STAGE or uri.suffix is None or uri.suffix.text is None:
            return
        if self.unresolved_in_test(uri):
            return
        stage = uri.suffix.text
        aliases = {k.lower(): v for k, v in self.options.stage_aliases.items()}
        alias = aliases.get(stage.lower(), stage.lower())
        fix = None
        edits = uri.by_alias_edits(alias) if alias_problem(alias) is None else None
        if edits:
            fix = Fix.unsafe(
                *(Edit(span, text) for span, text in edits),
                message=f"Load by alias: {uri.with_alias(alias)}",
            )
        self.report(
            uri.suffix.span,
            f"{uri.display} loads by stage, deprecated since MLflow 2.9; "
            f"load by alias instead: {uri.with_alias(alias)}",
            fix=fix,
        )
