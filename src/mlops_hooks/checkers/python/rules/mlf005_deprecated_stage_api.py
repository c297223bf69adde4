"""MLF005: calls to MLflow's model stage API, deprecated since MLflow 2.9."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.uri import STAGE_ATTRIBUTE, STAGES
from mlops_hooks.rule import Bad, Good, option, options

if TYPE_CHECKING:
    import libcst as cst

    from mlops_hooks.checkers.python.model import Call, PythonModule

#: Deprecated method -> the alias API that replaces it.
REPLACEMENTS = {
    "transition_model_version_stage": "set_registered_model_alias",
    "get_latest_versions": "get_model_version_by_alias",
}
ARCHIVE_KEYWORD = "archive_existing_versions"


@options
class Options:
    """Options of MLF005."""

    flag_unresolved_receivers: bool = option(
        default=False,
        doc="Also flag the deprecated methods on objects that cannot be traced to an "
        "`MlflowClient` in the same file (a client passed in without annotation, or "
        "returned by an unannotated helper).",
    )


#: Methods no other library names so: flagged on any receiver.
DISTINCTIVE = frozenset({"transition_model_version_stage"})


class DeprecatedStageApi(PythonRule):
    """A call to MLflow's model stage API, deprecated since MLflow 2.9.

    ## What it does
    Flags `MlflowClient.transition_model_version_stage(...)` and
    `MlflowClient.get_latest_versions(...)` on clients the file creates or annotates
    (`MlflowClient()`, `mlflow.MlflowClient()`, `self.client = MlflowClient()`,
    `client: MlflowClient`, a function annotated `-> MlflowClient`), however MLflow was
    imported, and any call that passes `archive_existing_versions=` (a keyword only the stage
    API has). `transition_model_version_stage` is MLflow's alone: it is flagged on any
    receiver (a client returned by a helper, a wrapper's attribute). Also flags hand-rolled
    stage loading: a model version's `current_stage` compared with a stage name
    (`v.current_stage == "Production"`, `mv.current_stage in ("Staging", "Production")`), the
    way code picks "the version in Production" out of `search_model_versions(...)`.

    ## Why is this bad?
    Stages are deprecated since MLflow 2.9 and are going away. A stage holds many versions and
    "the latest in Production" changes whenever someone transitions another version; an alias
    names exactly one version and moves atomically.

    ## What changed
    Since 0.2.0 `transition_model_version_stage` is flagged whatever its receiver (field
    trial M9); `get_latest_versions`, a common name, still needs a traceable client. Since
    0.2.0 a comparison of `current_stage` with a stage name is flagged too (issue 16; third
    held-out check, H3-M2): it reads the deprecated stage as surely as `get_latest_versions`.
    Since 0.2.0 an `import mlflow` inside a function names MLflow's objects for the whole
    module, as a top-level import does (fourth held-out check, H4-M1): a module that imports
    MLflow lazily in one function and uses it in another is checked too.
    """

    code = "MLF005"
    name = "deprecated-stage-api"
    triggers = (*REPLACEMENTS, ARCHIVE_KEYWORD, STAGE_ATTRIBUTE)
    context_words = ("MlflowClient",)
    Options = Options
    examples = (
        Good(
            "from mlflow import MlflowClient\n\n"
            'MlflowClient().set_registered_model_alias("bikes", "champion", 3)\n'
        ),
        Good("registry.get_latest_versions(package)\n"),
        Good('if pipeline.current_stage == "training":\n    pass\n'),
        Good("if version.current_stage == stage:\n    pass\n"),
        Bad(
            "from mlflow import MlflowClient\n\n"
            "def production_uri(name):\n"
            "    for v in MlflowClient().search_model_versions(f\"name='{name}'\"):\n"
            '        if v.current_stage == "Production":\n'
            '            return f"models:/{name}/{v.version}"\n',
            span=(5, 12, 5, 43),
            message='`v.current_stage == "Production"` picks a version by its stage, '
            "deprecated since MLflow 2.9 (model stages); give that version an alias and load "
            "it by alias (get_model_version_by_alias, `models:/name@alias`)",
        ),
        Bad(
            "def live(versions):\n"
            '    return [m for m in versions if m.current_stage in ("Staging", "Production")]\n',
            span=(2, 36, 2, 80),
        ),
        Bad(
            "import mlflow\n\ndef promote(service):\n"
            '    service.client().transition_model_version_stage("bikes", 3, "Production")\n',
            span=(4, 22, 4, 52),
        ),
        Bad(
            "from mlflow.tracking import MlflowClient\n\n"
            "client = MlflowClient()\n"
            'client.transition_model_version_stage("bikes", 3, "Production")\n',
            span=(4, 8, 4, 38),
            message="MlflowClient.transition_model_version_stage is deprecated since MLflow "
            "2.9 (model stages); use set_registered_model_alias",
        ),
        Bad(
            "import mlflow as mf\n\n"
            "class Promoter:\n"
            "    def __init__(self):\n"
            "        self.client = mf.MlflowClient()\n\n"
            "    def current(self):\n"
            '        return self.client.get_latest_versions("bikes", stages=["Production"])\n',
            span=(8, 28, 8, 47),
            message="MlflowClient.get_latest_versions is deprecated since MLflow 2.9 (model "
            "stages); use get_model_version_by_alias",
        ),
        Bad(
            "def promote(registry, version):\n"
            "    registry.move_to_stage(\n"
            '        "bikes", version, "Production", archive_existing_versions=True\n'
            "    )\n",
            span=(3, 41, 3, 66),
            message="archive_existing_versions= belongs to the stage API, deprecated since "
            "MLflow 2.9; use set_registered_model_alias (an alias names one version)",
        ),
        Bad(
            'def latest(client):\n    return client.get_latest_versions("bikes")\n',
            options={"flag-unresolved-receivers": True},
            span=(2, 19, 2, 38),
        ),
    )

    def check_module(self, model: PythonModule) -> None:
        for node in model.stage_comparisons:
            if _names_a_stage(node):
                self.report(
                    model.span(node),
                    f"`{model.source.text[slice(*model.extent(node))]}` picks a version by its "
                    "stage, deprecated since MLflow 2.9 (model stages); give that version an "
                    "alias and load it by alias (get_model_version_by_alias, "
                    "`models:/name@alias`)",
                )

    def check_call(self, call: Call) -> None:
        replacement = REPLACEMENTS.get(call.method)
        if (
            replacement is not None
            and call.receiver is not None
            and (
                call.on_client
                or call.method in DISTINCTIVE
                or self.options.flag_unresolved_receivers
            )
        ):
            self.report(
                call.name_span,
                f"MlflowClient.{call.method} is deprecated since MLflow 2.9 (model stages); "
                f"use {replacement}",
            )
            return
        archive = call.argument(keyword=ARCHIVE_KEYWORD)
        if archive is not None and archive.keyword is not None:
            self.report(
                call.model.span(archive.keyword),
                f"{ARCHIVE_KEYWORD}= belongs to the stage API, deprecated since MLflow 2.9; "
                "use set_registered_model_alias (an alias names one version)",
            )


def _names_a_stage(node: cst.Comparison) -> bool:
    """Whether a string literal among the operands (or in a literal tuple, list or set
    operand) is a stage name: `Production`, `Staging`, `Archived`, `None`, in any case."""
    import libcst as cst

    def stage(expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.SimpleString):
            value = expr.evaluated_value
            return isinstance(value, str) and value.lower() in STAGES
        if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
            return any(stage(element.value) for element in expr.elements)
        return False

    return any(stage(o) for o in (node.left, *(t.comparator for t in node.comparisons)))
