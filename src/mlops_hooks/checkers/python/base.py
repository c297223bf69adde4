"""The base class of MLflow rules, with graded hooks: module, call, model URI."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.rule import Rule

if TYPE_CHECKING:
    from mlops_hooks.checkers.python.model import Call, PythonModule
    from mlops_hooks.checkers.python.uri import ModelUri


def is_test_module(relpath: str) -> bool:
    """Whether ``relpath`` is a Python test module: under a ``tests/`` or ``test/`` directory,
    or named ``test_*.py``, ``*_test.py`` or ``conftest.py``."""
    *dirs, name = relpath.replace("\\", "/").split("/")
    if not name.endswith(".py"):
        return False
    if any(part in ("tests", "test") for part in dirs):
        return True
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


class PythonRule(Rule):
    """An MLflow rule overrides the hooks it needs; the checker calls only those.

    ``triggers`` are the substrings without which the rule cannot fire (``models:/``, an API
    name): a file that contains none of the enabled rules' triggers is never parsed. A rule
    with no triggers makes every file parse, whole.

    In a file that is parsed, the rules see every top-level statement that is not a function
    or a class (imports, constants, module-level calls), and the functions and classes whose
    text contains a trigger or a ``context_words`` entry of a rule (``MlflowClient`` to resolve
    client instances, ``autolog`` for MLF007), or a name that stands for one (an import alias,
    a module-level constant defined with one).
    """

    kind: ClassVar[str] = "python"
    triggers: ClassVar[tuple[str, ...]] = ()
    context_words: ClassVar[tuple[str, ...]] = ()

    def check_module(self, model: PythonModule) -> None:
        """Called once per Python module."""

    def check_call(self, call: Call) -> None:
        """Called once per call in a Python module whose callee is a name or an attribute."""

    def check_uri(self, uri: ModelUri) -> None:
        """Called once per ``models:/`` URI, in Python string values and in YAML configs."""

    def unresolved_in_test(self, uri: ModelUri) -> bool:
        """Whether ``uri`` is a string in a test module that no call loading, importing or
        registering a model receives (a fixture or an expected value): MLflow never
        resolves it, so what the URI rules warn about cannot happen."""
        return not uri.loaded and is_test_module(self.source.relpath)
