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

    ## Why is this bad?
    `latest` follows the registry's last registration: a training run that registers a worse
    model changes what production serves, with no human promotion step and no record of what
    was served when.

    ## What changed
    Fix-safety audit (docs/fix-safety.md): a URI counts only at the start of a string or of
    a word of a command line; `models:/` inside a path (`-v {cwd}/models:/app/models`, a docker
    volume mount) or as the value of a volume option (`-v models:/app/models`, a compose
    file's `volumes:`) is no longer reported.
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
    )

    def check_uri(self, uri: ModelUri) -> None:
        if uri.form is UriForm.LATEST and uri.suffix is not None:
            alias = uri.with_alias(self.options.suggested_alias)
            self.report(
                uri.suffix.span,
                f"{uri.display} loads whatever version was registered last, with no promotion "
                f"step; load by alias instead, e.g. {alias}",
            )
