"""MLF001: a registry URI that pins a model version number."""

from __future__ import annotations

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.uri import ModelUri, UriForm
from mlops_hooks.rule import Bad, Good, option, options


@options
class Options:
    """Options of MLF001."""

    flag_dynamic_versions: bool = option(
        default=False,
        doc="Also flag `models:/<name>/<version>` whose version is computed at run time "
        "(a parameter, a config value, an environment variable). Off by default: a generic "
        "loader that takes the version from its caller is not itself the problem.",
    )
    suggested_alias: str = option(
        default="champion",
        doc="The alias the message suggests (`models:/<name>@<alias>`).",
    )


class ModelUriByVersion(PythonRule):
    """A registry URI pins a model version number.

    ## What it does
    Flags `models:/<name>/<version>` URIs whose version is a literal number, wherever the URI
    is built: a plain string, an f-string (`f"models:/{NAME}/3"`), concatenation, `%` or
    `str.format` with literal arguments, or a module-level constant (`VERSION = 3` used as
    `f"models:/{name}/{VERSION}"`). String values of YAML configuration files are checked too.
    A version that comes from a parameter or a config value is not flagged unless
    `flag-dynamic-versions` is on.
    In a test module (under a `tests/` or `test/` directory, or named `test_*.py`,
    `*_test.py` or `conftest.py`) a URI is reported only where it is an argument of a call that
    loads, imports or registers a model (`load_model`, `import_model`, `register_model`...) or
    a `model_uri=` keyword: a fixture or an expected value that MLflow never resolves is not.

    ## Why is this bad?
    A version number baked into serving code means that promoting a new model is a code change
    and a redeploy, and that rolling back means another one. An alias (`@champion`) moves in the
    registry, with an audit trail, and the code that loads it never changes.

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

    code = "MLF001"
    name = "model-uri-by-version"
    triggers = ("models:/",)
    Options = Options
    examples = (
        Good('model = mlflow.pyfunc.load_model("models:/bikes@champion")\n'),
        Good(
            "def load(name: str, version: int):\n"
            '    return mlflow.pyfunc.load_model(f"models:/{name}/{version}")\n'
        ),
        Good('model = mlflow.pyfunc.load_model("runs:/0a1b2c/model")\n'),
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/3")\n',
            span=(1, 49, 1, 50),
            message="models:/bikes/3 loads a fixed model version (3); "
            "load by alias instead, e.g. models:/bikes@champion",
        ),
        Bad(
            'NAME = "bikes"\nVERSION = 3\nURI = f"models:/{NAME}/{VERSION}"\n',
            span=(3, 24, 3, 33),
            message="models:/bikes/3 loads a fixed model version (3); "
            "load by alias instead, e.g. models:/bikes@champion",
        ),
        Bad(
            'uri = "models:/%s/%d" % (name, 3)\n',
            span=(1, 32, 1, 33),
            message="models:/{name}/3 loads a fixed model version (3); "
            "load by alias instead, e.g. models:/{name}@champion",
        ),
        Bad(
            "def load(name: str, version: int):\n"
            '    return mlflow.pyfunc.load_model(f"models:/{name}/{version}")\n',
            options={"flag-dynamic-versions": True},
            span=(2, 54, 2, 63),
            message="models:/{name}/{version} loads a version or stage chosen at run time; "
            "load by alias instead, e.g. models:/{name}@champion",
        ),
        Bad(
            "serving:\n  model_uri: models:/bikes/3\n",
            path="confs/serving.yaml",
            span=(2, 28, 2, 29),
        ),
        Good('subprocess.run(f"docker run -v {cwd}/models:/app/models bikes", shell=True)\n'),
        # A fixture string in a test: never resolved.
        Good(
            'entry = ManifestEntry(uri="models:/bikes/3", kind="model")\n',
            path="tests/unit/test_manifest.py",
        ),
        # A test that loads the URI: resolved when the test runs.
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes/3")\n',
            path="tests/test_serving.py",
            span=(1, 49, 1, 50),
        ),
    )

    def check_uri(self, uri: ModelUri) -> None:
        suffix = uri.suffix
        if suffix is None or self.unresolved_in_test(uri):
            return
        instead = f"load by alias instead, e.g. {uri.with_alias(self.options.suggested_alias)}"
        if uri.form is UriForm.VERSION:
            message = f"{uri.display} loads a fixed model version ({suffix.display}); {instead}"
            self.report(suffix.span, message)
        elif uri.form is UriForm.DYNAMIC and self.options.flag_dynamic_versions:
            message = f"{uri.display} loads a version or stage chosen at run time; {instead}"
            self.report(suffix.span, message)
