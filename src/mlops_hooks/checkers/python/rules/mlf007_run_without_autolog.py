"""MLF007: a module that starts MLflow runs but never turns on autologging."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.diagnostics import Severity
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.python.model import PythonModule

START_RUN = frozenset({"mlflow.start_run", "mlflow.tracking.fluent.start_run"})


def is_autolog(qualified: str | None) -> bool:
    """``mlflow.autolog`` or a flavour's ``mlflow.<flavour>.autolog``."""
    return (
        qualified is not None
        and qualified.startswith("mlflow.")
        and (qualified.endswith(".autolog"))
    )


class RunWithoutAutolog(PythonRule):
    """A module starts MLflow runs but never turns on autologging.

    ## What it does
    Flags the first `mlflow.start_run()` of a module that never calls `mlflow.autolog()` or a
    flavour's `autolog()` (`mlflow.sklearn.autolog()`, ...). Off by default: many projects
    turn autologging on once, in another module.

    ## Why is this bad?
    Without autologging, parameters, metrics, the model signature and the input example are
    logged only when someone remembers to; runs become hard to compare and models hard to
    serve.
    """

    code = "MLF007"
    name = "run-without-autolog"
    default_enabled = False
    severity = Severity.WARNING
    triggers = ("start_run",)
    context_words = ("autolog",)
    examples = (
        Good(
            "import mlflow\n\nmlflow.sklearn.autolog()\n"
            "with mlflow.start_run():\n    model.fit(X, y)\n"
        ),
        Good("def start_run():\n    pass\n\nstart_run()\n"),
        Bad(
            "from mlflow import start_run\n\nwith start_run():\n    model.fit(X, y)\n",
            span=(3, 6, 3, 15),
            message="mlflow.start_run() in a module that never calls mlflow.autolog() or a "
            "flavour's autolog(): parameters, metrics and models are logged only by hand",
        ),
    )

    def check_module(self, model: PythonModule) -> None:
        # Names that may call them: their own, or what they were imported as.
        starts = {"start_run", *(k for k, v in model.imports.items() if v in START_RUN)}
        autologs = {"autolog", *(k for k, v in model.imports.items() if is_autolog(v))}
        first = None
        for call in model.calls:
            if call.method in autologs and is_autolog(call.qualified_name):
                return
            if first is None and call.method in starts and call.qualified_name in START_RUN:
                first = call
        if first is not None:
            self.report(
                first.name_span,
                "mlflow.start_run() in a module that never calls mlflow.autolog() or a "
                "flavour's autolog(): parameters, metrics and models are logged only by hand",
            )
