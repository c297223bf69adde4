"""MLF002: a registry URI that loads the latest registered version."""

from __future__ import annotations

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.uri import ModelUri, UriForm
from mlops_hooks.rule import Bad, Good, option, options


@options
class Options:
    """Options of MLF002."""

    suggested_alias: str = option(
        default="champion",
        doc="The alias the message suggests (`models:/<name>@<alias>`).",
    )


class ModelUriByLatest(PythonRule):
    """A registry URI loads whatever version was registered last.

    ## What it does
    Flags `models:/<name>/latest` (any case), in Python string values and YAML configuration
    files.
    In a test module (under a `tests/` or `test/` directory, or named `test_*.py`,
    `*_test.py` or `conftest.py`) a URI is reported only where it is an argument of a call that
    loads, imports or registers a model (`load_model`, `import_model`, `register_model`...) or
    a `model_uri=` keyword: a fixture or an expected value that MLflow never resolves is not.

    ## Why is this bad?
    `latest` follows the registry's last registration: a training run that registers a worse
    model changes what production serves, with no human promotion step and no record of what
    was served when.

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

    code = "MLF002"
    name = "model-uri-by-latest"
    triggers = ("models:/",)
    Options = Options
    examples = (
        Good('model = mlflow.pyfunc.load_model("models:/bikes@champion")\n'),
        Good('model = mlflow.pyfunc.load_model("models:/bikes@latest-stable")\n'),
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/latest")\n',
            span=(1, 49, 1, 55),
            message="models:/bikes/latest loads whatever version was registered last, with no "
            "promotion step; load by alias instead, e.g. models:/bikes@champion",
        ),
        Bad(
            "serving:\n  model_uri: 'models:/bikes/Latest'\n",
            path="confs/serving.yaml",
            span=(2, 29, 2, 35),
        ),
        Good('subprocess.run(f"docker run -v {cwd}/models:/app/models bikes", shell=True)\n'),
        # A fixture string in a test: never resolved.
        Good(
            'entry = ManifestEntry(uri="models:/bikes/latest", kind="model")\n',
            path="tests/unit/test_manifest.py",
        ),
        # A test that loads the URI: resolved when the test runs.
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/latest")\n',
            path="tests/test_serving.py",
            span=(1, 49, 1, 55),
        ),
    )

    def check_uri(self, uri: ModelUri) -> None:
        if (
            uri.form is UriForm.LATEST
            and uri.suffix is not None
            and not self.unresolved_in_test(uri)
        ):
            alias = uri.with_alias(self.options.suggested_alias)
            self.report(
                uri.suffix.span,
                f"{uri.display} loads whatever version was registered last, with no promotion "
                f"step; load by alias instead, e.g. {alias}",
            )
