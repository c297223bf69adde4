"""MLF006: a literal alias that MLflow rejects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.uri import ModelUri, UriForm, UriPart, alias_problem
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.python.model import Call

#: Client methods taking an alias: name -> position of the alias argument.
ALIAS_METHODS = {
    "set_registered_model_alias": 1,
    "get_model_version_by_alias": 1,
    "delete_registered_model_alias": 1,
}


class InvalidAliasName(PythonRule):
    """A literal alias is one that MLflow rejects.

    ## What it does
    Checks literal aliases in `models:/<name>@<alias>` URIs (Python and YAML configuration)
    and in the alias argument of `set_registered_model_alias`, `get_model_version_by_alias`
    and `delete_registered_model_alias`, against MLflow's own rules: not empty, only letters,
    digits, `_` and `-`, at most 255 characters, not `latest` (any case), and not `v<digits>`
    (reserved: `@v3` would be ambiguous with version 3).

    ## Why is this bad?
    MLflow raises when the alias is set, or finds nothing when it is loaded: the failure shows
    up at run time, in the promotion job or in serving.

    ## What changed
    Fix-safety audit (docs/fix-safety.md): a URI counts only at the start of a string or of
    a word of a command line; `models:/` inside a path (`-v {cwd}/models:/app/models`, a docker
    volume mount) or as the value of a volume option (`-v models:/app/models`, a compose
    file's `volumes:`) is no longer reported.
    """

    code = "MLF006"
    name = "invalid-alias-name"
    triggers = ("models:/", *ALIAS_METHODS)
    examples = (
        Good(
            'model = mlflow.pyfunc.load_model("models:/bikes@champion")\n'
            'client.set_registered_model_alias("bikes", "challenger-2", 4)\n'
        ),
        Bad(
            'client.set_registered_model_alias("bikes", "v3", 3)\n',
            span=(1, 45, 1, 47),
            message='alias "v3" is reserved: v<number> refers to a model version',
        ),
        Bad(
            'model = mlflow.pyfunc.load_model("models:/bikes@prod.2024")\n',
            span=(1, 49, 1, 58),
            message="alias \"prod.2024\" may only contain letters, digits, '_' and '-'",
        ),
        Bad(
            'ALIAS = "Latest"\nclient.get_model_version_by_alias(name="bikes", alias=ALIAS)\n',
            span=(2, 55, 2, 60),
            message="alias \"Latest\" is reserved: 'latest' (any case) means the newest version",
        ),
        Bad(
            "serving:\n  model_uri: models:/bikes@\n",
            path="confs/serving.yaml",
            span=(2, 28, 2, 28),
            message='alias "" is empty',
        ),
        Good('subprocess.run(f"docker run -v {cwd}/models:/app/models bikes", shell=True)\n'),
    )

    def check_uri(self, uri: ModelUri) -> None:
        if uri.form is UriForm.ALIAS and uri.suffix is not None:
            self._check(uri.suffix)

    def check_call(self, call: Call) -> None:
        position = ALIAS_METHODS.get(call.method)
        if position is None or call.receiver is None:
            return
        arg = call.argument(position, "alias")
        if arg is None:
            return
        part = call.model.string_value(arg.value, call.scope)
        if part is not None:
            self._check(part)

    def _check(self, part: UriPart) -> None:
        alias = part.text
        if alias is None:
            return
        problem = alias_problem(alias)
        if problem is not None:
            shown = alias if len(alias) <= 40 else alias[:37] + "..."
            self.report(part.span, f'alias "{shown}" {problem}')
