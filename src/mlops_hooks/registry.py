"""Finds checkers and rules: no central list.

Built-in checkers are the subpackages of :mod:`mlops_hooks.checkers` (each binds ``CHECKER``);
their rules are the :class:`~mlops_hooks.rule.Rule` subclasses defined in the modules of its
``rules/`` package. Third-party packs register modules (or classes) under the entry-point
groups ``mlops_hooks.checkers`` and ``mlops_hooks.rules``. Duplicate codes or names, malformed
codes and rules of unknown kinds are rejected.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Iterator
from functools import cache
from types import ModuleType
from typing import Any

from mlops_hooks.checkers import Checker
from mlops_hooks.rule import CODE_RE, NAME_RE, Rule

ENTRY_POINT_RULES = "mlops_hooks.rules"
ENTRY_POINT_CHECKERS = "mlops_hooks.checkers"


class RegistryError(RuntimeError):
    """A rule or checker that breaks the registry's invariants."""


class Registry:
    """All known checkers and rules, indexed by kind, code and name."""

    def __init__(self, checkers: Iterable[Checker], rules: Iterable[type[Rule]]) -> None:
        self.checkers: dict[str, Checker] = {}
        for checker in checkers:
            if checker.kind in self.checkers:
                raise RegistryError(f"two checkers for kind {checker.kind!r}")
            self.checkers[checker.kind] = checker
        self.by_code: dict[str, type[Rule]] = {}
        self.by_name: dict[str, type[Rule]] = {}
        for rule in rules:
            self._add(rule)
        self.rules: list[type[Rule]] = sorted(self.by_code.values(), key=lambda r: r.code)

    def _add(self, rule: type[Rule]) -> None:
        where = f"{rule.__module__}.{rule.__qualname__}"
        if not CODE_RE.match(rule.code):
            raise RegistryError(f"{where}: code {rule.code!r} is not three capitals + 3 digits")
        if not NAME_RE.match(rule.name):
            raise RegistryError(f"{where}: name {rule.name!r} is not kebab-case")
        if rule.kind not in self.checkers:
            raise RegistryError(f"{where}: unknown kind {rule.kind!r}")
        for index, key in ((self.by_code, rule.code), (self.by_name, rule.name)):
            other = index.get(key)
            if other is not None and other is not rule:
                raise RegistryError(f"{where}: {key} is already used by {other.__qualname__}")
        self.by_code[rule.code] = rule
        self.by_name[rule.name] = rule

    def lookup(self, key: str) -> type[Rule] | None:
        """A rule by code (any case) or name."""
        return self.by_code.get(key.upper()) or self.by_name.get(key.lower())

    def rules_of(self, kind: str) -> list[type[Rule]]:
        """The rules of one kind, by code."""
        return [rule for rule in self.rules if rule.kind == kind]

    def parse_error_rule(self, kind: str) -> type[Rule] | None:
        """The ``XXX000`` rule that reports unreadable files of ``kind``."""
        return next((r for r in self.rules_of(kind) if r.parse_error), None)

    def checker_for(self, relpath: str) -> Checker | None:
        """The checker that handles ``relpath`` (first match in kind order), if any."""
        for checker in self.checkers.values():
            if checker.matches(relpath):
                return checker
        return None


def rules_in_module(module: ModuleType) -> Iterator[type[Rule]]:
    """Rule classes defined (not imported) in ``module`` that have a code."""
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if issubclass(obj, Rule) and obj.__module__ == module.__name__ and obj.code:
            yield obj


def _builtin() -> tuple[list[Checker], list[type[Rule]]]:
    import mlops_hooks.checkers as package

    checkers: list[Checker] = []
    rules: list[type[Rule]] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        kind_pkg = importlib.import_module(f"{package.__name__}.{info.name}")
        checkers.append(kind_pkg.CHECKER)
        try:
            rules_pkg = importlib.import_module(f"{kind_pkg.__name__}.rules")
        except ModuleNotFoundError:  # pragma: no cover - a kind without rules yet
            continue
        for rule_info in sorted(pkgutil.iter_modules(rules_pkg.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{rules_pkg.__name__}.{rule_info.name}")
            rules.extend(rules_in_module(module))
    return checkers, rules


def _declares_plugins() -> bool:
    """Whether any installed distribution declares our entry-point groups.

    ``importlib.metadata`` costs tens of milliseconds to import and scan, on every commit of
    every developer; a plain scan of the ``entry_points.txt`` files on ``sys.path`` costs about
    one. Only when one names our groups do we hand over to ``importlib.metadata``.
    """
    import sys
    from pathlib import Path

    for entry in sys.path:
        try:
            dists = [
                p for p in Path(entry or ".").iterdir() if p.suffix in (".dist-info", ".egg-info")
            ]
        except OSError:
            continue
        for dist in dists:
            try:
                if b"[mlops_hooks." in (dist / "entry_points.txt").read_bytes():
                    return True
            except OSError:
                continue
    return False


def _plugins() -> tuple[list[Checker], list[type[Rule]]]:
    if not _declares_plugins():
        return [], []
    from importlib.metadata import entry_points

    checkers: list[Checker] = []
    rules: list[type[Rule]] = []
    for ep in entry_points(group=ENTRY_POINT_CHECKERS):
        obj: Any = ep.load()
        checker: Any = obj() if inspect.isclass(obj) else getattr(obj, "CHECKER", obj)
        if not isinstance(checker, Checker):
            raise RegistryError(f"entry point {ep.name!r} does not give a Checker")
        checkers.append(checker)
    for ep in entry_points(group=ENTRY_POINT_RULES):
        obj = ep.load()
        if inspect.ismodule(obj):
            rules.extend(rules_in_module(obj))
        elif inspect.isclass(obj) and issubclass(obj, Rule):
            rules.append(obj)
        else:
            raise RegistryError(f"entry point {ep.name!r} is neither a module nor a Rule class")
    return checkers, rules


@cache
def get_registry() -> Registry:
    """The registry of built-in and installed plugin checkers and rules (loaded once)."""
    checkers, rules = _builtin()
    plugin_checkers, plugin_rules = _plugins()
    return Registry([*checkers, *plugin_checkers], [*rules, *plugin_rules])
