"""MLF005: calls to MLflow's model stage API, deprecated since MLflow 2.9."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.checkers.python.uri import STAGE_ATTRIBUTE, STAGES
from mlops_hooks.lazyre import lazy
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
#: The MLflow release that deprecated model stages.
DEPRECATED_IN = (2, 9, 0)
_GATE_IMPORTS = (
    "import mlflow\nfrom mlflow import MlflowClient\nfrom packaging.version import Version\n\n"
)
_VERSION_LITERAL = lazy(r"""["'](\d+(?:\.\d+)*)["']""")


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
    Since 0.2.0 a stage API call in a branch that runs only on MLflow older than 2.9 (`if
    mlflow.__version__ < "2.9":`, or a local name assigned that comparison, or the `else:` of
    the opposite test) is not flagged: there, stages are the current API, and newer MLflow
    takes the other branch (fourth held-out check, H8).
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
        # Runs only on MLflow older than 2.9, where stages are the current API.
        Good(
            _GATE_IMPORTS + 'if Version(mlflow.__version__) < Version("2.9"):\n'
            '    MlflowClient().transition_model_version_stage("bikes", 3, "Production")\n'
        ),
        # The other branch of that test runs on MLflow 2.9 and later.
        Bad(
            _GATE_IMPORTS + "def promote(v):\n"
            '    old = Version(mlflow.__version__) < Version("2.9")\n'
            "    if old:\n"
            '        MlflowClient().set_model_version_tag("bikes", v, "stage", "prod")\n'
            "    else:\n"
            '        MlflowClient().transition_model_version_stage("bikes", v, "Production")\n',
            span=(10, 24, 10, 54),
        ),
        # Below 3.0 includes 2.9 to 2.x, where stages are deprecated.
        Bad(
            _GATE_IMPORTS + 'if Version(mlflow.__version__) < Version("3.0"):\n'
            '    MlflowClient().transition_model_version_stage("bikes", 3, "Production")\n',
            span=(6, 20, 6, 50),
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
        archive = call.argument(keyword=ARCHIVE_KEYWORD)
        if replacement is None and archive is None:
            return
        if _runs_only_before_deprecation(call):
            return
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


def _runs_only_before_deprecation(call: Call) -> bool:
    """Whether ``call`` is in a branch that runs only on MLflow older than 2.9: the body of an
    ``if`` whose test says so, or the ``else`` of one whose test says the opposite."""
    import libcst as cst

    path = call.ancestors
    for index, node in enumerate(path[:-1]):
        if not isinstance(node, cst.If):
            continue
        branch = path[index + 1]
        function = next((n for n in reversed(path[:index]) if isinstance(n, cst.FunctionDef)), None)
        says = _version_test(call.model, node.test, function, 0)
        if (branch is node.body and says == "old") or (branch is node.orelse and says == "new"):
            return True
    return False


def _version_test(
    model: PythonModule,
    test: cst.BaseExpression,
    function: cst.FunctionDef | None,
    depth: int,
) -> Literal["old", "new"] | None:
    """``"old"`` when ``test`` is true only on MLflow older than 2.9, ``"new"`` when only on
    2.9 or later, None when it is not a test of MLflow's version: a comparison of an
    expression reading ``__version__`` with a version literal, its negation, or a local name
    the enclosing function assigns such a comparison."""
    import libcst as cst

    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _version_test(model, test.expression, function, depth)
        return {"old": "new", "new": "old", None: None}[inner]
    if isinstance(test, cst.Name) and depth == 0:
        value = _assigned(test, function)
        return None if value is None else _version_test(model, value, function, depth + 1)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    left, (target,) = test.left, test.comparisons
    sides = (left, target.comparator)
    texts = [model.source.text[slice(*model.extent(n))] for n in sides]
    reads = [_reads_version(model, side, function) for side in sides]
    if reads.count(True) != 1:
        return None
    literal = _VERSION_LITERAL.search(texts[reads.index(False)])
    if literal is None:
        return None
    parts = [int(part) for part in literal[1].split(".")[:3]]
    bound = tuple(parts + [0] * (3 - len(parts)))
    operator = type(target.operator).__name__
    if reads[1]:  # `"2.9" > mlflow.__version__`: read it as `mlflow.__version__ < "2.9"`
        operator = {
            "LessThan": "GreaterThan",
            "GreaterThan": "LessThan",
            "LessThanEqual": "GreaterThanEqual",
            "GreaterThanEqual": "LessThanEqual",
        }.get(operator, operator)
    if operator == "LessThan" and bound <= DEPRECATED_IN:
        return "old"
    if operator == "LessThanEqual" and bound < DEPRECATED_IN:
        return "old"
    if operator in ("GreaterThanEqual", "GreaterThan") and bound >= DEPRECATED_IN:
        return "new"
    return None


def _reads_version(
    model: PythonModule, expr: cst.BaseExpression, function: cst.FunctionDef | None
) -> bool:
    """Whether ``expr`` reads a ``__version__``, itself or through a name the function
    assigns it (``installed = Version(mlflow.__version__)``)."""
    import libcst as cst

    if isinstance(expr, cst.Name):
        value = _assigned(expr, function)
        if value is not None:
            expr = value
    return "__version__" in model.source.text[slice(*model.extent(expr))]


def _assigned(name: cst.Name, function: cst.FunctionDef | None) -> cst.BaseExpression | None:
    """The value the function's own statements (not nested blocks) assign to ``name``."""
    import libcst as cst

    if function is None:
        return None
    for line in function.body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue  # an assignment in a nested block is not the name's only value
        for small in line.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and small.targets[0].target.value == name.value
            ):
                return small.value
    return None
