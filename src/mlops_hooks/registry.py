"""Finds checkers and rules: no central list, and no import of a rule until a file needs it.

Built-in checkers are the subpackages of :mod:`mlops_hooks.checkers` (each binds ``CHECKER``);
their rules are the :class:`~mlops_hooks.rule.Rule` subclasses defined in the modules of its
``rules/`` package, one rule per module named ``<code>_<name>.py``. Third-party packs register
modules (or classes) under the entry-point groups ``mlops_hooks.checkers`` and
``mlops_hooks.rules``. Duplicate codes or names, malformed codes and rules of unknown kinds are
rejected.

A hook process starts on every commit, so start-up time matters: the registry knows every
built-in rule's identity from ``_index.py`` (generated from the rule classes by
``python -m mlops_hooks.gen``; a test keeps it current) and imports a kind's rule
modules only when a file of that kind is checked. A rule module missing from the index (a rule
being written) is imported eagerly, so the index can never hide a rule.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from functools import cache
from types import ModuleType
from typing import Any, NamedTuple

from mlops_hooks.checkers import Checker
from mlops_hooks.rule import CODE_RE, NAME_RE, Rule


def import_module(name: str) -> ModuleType:
    """The module ``name``, imported through the import statement's own path, which
    ``python -X importtime`` reports (:func:`importlib.import_module` goes around it, and
    the start-up profile in benchmarks/RESULTS.md would not show the rules a run imports)."""
    __import__(name)
    return sys.modules[name]


ENTRY_POINT_RULES = "mlops_hooks.rules"
ENTRY_POINT_CHECKERS = "mlops_hooks.checkers"
CHECKERS_PACKAGE = "mlops_hooks.checkers"
#: Engine-level rules: the engine runs them on every file of every kind, after the checker's
#: rules and the suppressions (e.g. ``MLH001`` ``unused-suppression``). Their kind is this
#: pseudo-kind, which has no checker; their code prefix is ``MLH`` (mlops-hooks itself).
ENGINE_KIND = "engine"
ENGINE_RULES_PACKAGE = "mlops_hooks.engine_rules"


class RegistryError(RuntimeError):
    """A rule or checker that breaks the registry's invariants."""


class RuleRef(NamedTuple):
    """What the registry knows of a rule without importing it."""

    code: str
    name: str
    kind: str
    module: str
    default_enabled: bool = True
    parse_error: bool = False
    extra_kinds: tuple[str, ...] = ()

    @classmethod
    def of(cls, rule: type[Rule]) -> RuleRef:
        """The reference of a loaded rule class."""
        return cls(
            rule.code,
            rule.name,
            rule.kind,
            rule.__module__,
            rule.default_enabled,
            rule.parse_error,
            tuple(rule.extra_kinds),
        )


class Registry:
    """All known checkers and rules, indexed by kind, code and name; rules load on demand."""

    def __init__(self, checkers: Iterable[Checker], rules: Iterable[type[Rule] | RuleRef]) -> None:
        self.checkers: dict[str, Checker] = {}
        for checker in checkers:
            if checker.kind in self.checkers:
                raise RegistryError(f"two checkers for kind {checker.kind!r}")
            _validate_checker(checker)
            self.checkers[checker.kind] = checker
        self.refs: dict[str, RuleRef] = {}
        self._names: dict[str, str] = {}
        self._loaded: dict[str, type[Rule]] = {}
        for rule in rules:
            if isinstance(rule, RuleRef):
                self._add(rule, rule.module)
            else:
                ref = RuleRef.of(rule)
                self._add(ref, f"{rule.__module__}.{rule.__qualname__}")
                self._loaded[ref.code] = rule
        self.refs = dict(sorted(self.refs.items()))

    def _add(self, ref: RuleRef, where: str) -> None:
        if not CODE_RE.match(ref.code):
            raise RegistryError(f"{where}: code {ref.code!r} is not three capitals + 3 digits")
        if not NAME_RE.match(ref.name):
            raise RegistryError(f"{where}: name {ref.name!r} is not kebab-case")
        for kind in (ref.kind, *ref.extra_kinds):
            if kind not in self.checkers and kind != ENGINE_KIND:
                raise RegistryError(f"{where}: unknown kind {kind!r}")
        if ref.code in self.refs and self.refs[ref.code] != ref:
            raise RegistryError(f"{where}: {ref.code} is already used by {self.refs[ref.code]}")
        if self._names.get(ref.name, ref.code) != ref.code:
            raise RegistryError(f"{where}: {ref.name} is already used by {self._names[ref.name]}")
        self.refs[ref.code] = ref
        self._names[ref.name] = ref.code

    # -- identity, without imports -----------------------------------------------------------

    def resolve(self, key: str) -> str | None:
        """The code of the rule named by ``key`` (a code in any case, or a name)."""
        upper = key.upper()
        if upper in self.refs:
            return upper
        return self._names.get(key.lower())

    def engine_refs(self) -> list[RuleRef]:
        """The engine-level rules (kind ``engine``), which no checker runs."""
        return [r for r in self.refs.values() if r.kind == ENGINE_KIND]

    def refs_of(self, kind: str) -> list[RuleRef]:
        """The rules that run on files of ``kind`` (their own kind or an extra kind)."""
        return [r for r in self.refs.values() if r.kind == kind or kind in r.extra_kinds]

    # -- rule classes (import on demand) -----------------------------------------------------

    def load(self, code: str) -> type[Rule]:
        """The rule class of ``code``, importing its module the first time."""
        rule = self._loaded.get(code)
        if rule is None:
            ref = self.refs[code]
            module = import_module(ref.module)
            found = {r.code: r for r in rules_in_module(module)}
            rule = found.get(code)
            if rule is None or RuleRef.of(rule) != ref:
                raise RegistryError(
                    f"stale rule index for {code}: regenerate it with `python -m mlops_hooks.gen`"
                )
            self._loaded[code] = rule
        return rule

    @property
    def rules(self) -> list[type[Rule]]:
        """Every rule class, by code (imports them all: for docs, `rules`, `explain`)."""
        return [self.load(code) for code in self.refs]

    def lookup(self, key: str) -> type[Rule] | None:
        """A rule class by code (any case) or name."""
        code = self.resolve(key)
        return self.load(code) if code is not None else None

    def parse_error_rule(self, kind: str) -> type[Rule] | None:
        """The ``XXX000`` rule that reports unreadable files of ``kind``."""
        ref = next((r for r in self.refs.values() if r.kind == kind and r.parse_error), None)
        return self.load(ref.code) if ref is not None else None

    def checker_for(self, relpath: str) -> Checker | None:
        """The checker that handles ``relpath`` (first match in kind order), if any."""
        for checker in self.checkers.values():
            if checker.matches(relpath):
                return checker
        return None


def _validate_checker(checker: Checker) -> None:
    """A kind must say what the docs, the test helpers and the fuzz suite need to know about
    it, and how its rules run: a kind that misses one would silently fall out of them."""
    where = f"checker {type(checker).__module__}.{type(checker).__qualname__}"
    for attribute in ("title", "example_path"):
        if not getattr(checker, attribute, ""):
            raise RegistryError(f"{where}: kind {checker.kind!r} declares no {attribute}")
    if not checker.matches(checker.example_path):
        raise RegistryError(
            f"{where}: kind {checker.kind!r} does not match its own example_path "
            f"{checker.example_path!r}"
        )
    if not checker.levels and type(checker).run is Checker.run:
        raise RegistryError(f"{where}: kind {checker.kind!r} declares no levels and no run()")


def rules_in_module(module: ModuleType) -> Iterator[type[Rule]]:
    """Rule classes defined (not imported) in ``module`` that have a code."""
    for obj in list(vars(module).values()):
        if (
            isinstance(obj, type)
            and issubclass(obj, Rule)
            and obj.__module__ == module.__name__
            and obj.code
        ):
            yield obj


def _kinds() -> list[str]:
    """The built-in kinds: the packages under ``mlops_hooks/checkers``."""
    from pathlib import Path

    import mlops_hooks.checkers as package

    base = Path(package.__path__[0])
    return sorted(p.name for p in base.iterdir() if (p / "__init__.py").is_file())


def _rule_modules(kind: str) -> list[str]:
    """The rule modules of a built-in kind (or of the engine, for ``ENGINE_KIND``), from the
    file names (nothing is imported)."""
    from pathlib import Path

    import mlops_hooks.checkers as package

    if kind == ENGINE_KIND:
        rules_dir, prefix = Path(package.__path__[0]).parent / "engine_rules", ENGINE_RULES_PACKAGE
    else:
        rules_dir, prefix = (
            Path(package.__path__[0]) / kind / "rules",
            f"{CHECKERS_PACKAGE}.{kind}.rules",
        )
    names = sorted(p.name for p in rules_dir.iterdir()) if rules_dir.is_dir() else []
    return [
        f"{prefix}.{name[:-3]}"
        for name in names
        if name.endswith(".py") and not name.startswith("_")
    ]


def _builtin() -> tuple[list[Checker], list[type[Rule] | RuleRef]]:
    from mlops_hooks import _index

    indexed = {ref.module: ref for ref in (RuleRef(*row) for row in _index.RULES)}
    checkers: list[Checker] = []
    rules: list[type[Rule] | RuleRef] = []
    kinds = _kinds()
    for kind in kinds:
        checkers.append(import_module(f"{CHECKERS_PACKAGE}.{kind}").CHECKER)
    for kind in [*kinds, ENGINE_KIND]:
        for module_name in _rule_modules(kind):
            ref = indexed.get(module_name)
            if ref is not None:
                rules.append(ref)
            else:
                rules.extend(rules_in_module(import_module(module_name)))
    return checkers, rules


def _metadata_path() -> list[str]:
    """Where installed distributions are looked for: ``sys.path`` without the working
    directory (``''`` or the directory itself), which is the repository being checked, never
    a place to install plugins from."""
    import os

    cwd = os.path.realpath(".")
    return [entry for entry in sys.path if entry and os.path.realpath(entry) != cwd]


def _declares_plugins() -> bool:
    """Whether any installed distribution declares our entry-point groups.

    ``importlib.metadata`` costs tens of milliseconds to import and scan, on every commit of
    every developer; a plain scan of the ``entry_points.txt`` files on ``sys.path`` costs about
    one. Only when one names our groups do we hand over to ``importlib.metadata``.
    """
    from pathlib import Path

    for entry in _metadata_path():
        try:
            dists = [p for p in Path(entry).iterdir() if p.suffix in (".dist-info", ".egg-info")]
        except OSError:
            continue
        for dist in dists:
            try:
                if b"[mlops_hooks." in (dist / "entry_points.txt").read_bytes():
                    return True
            except OSError:
                continue
    return False


def _entry_points(group: str) -> list[Any]:
    """The entry points of ``group`` from the distributions on :func:`_metadata_path` (the
    first distribution of a name wins, as in ``importlib.metadata.entry_points``)."""
    from importlib.metadata import distributions

    seen: set[str] = set()
    found: list[Any] = []
    for dist in distributions(path=_metadata_path()):
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        found.extend(ep for ep in dist.entry_points if ep.group == group)
    return found


def _plugins() -> tuple[list[Checker], list[type[Rule]]]:
    if not _declares_plugins():
        return [], []
    import inspect

    checkers: list[Checker] = []
    rules: list[type[Rule]] = []
    for ep in _entry_points(ENTRY_POINT_CHECKERS):
        obj: Any = ep.load()
        checker: Any = obj() if inspect.isclass(obj) else getattr(obj, "CHECKER", obj)
        if not isinstance(checker, Checker):
            raise RegistryError(f"entry point {ep.name!r} does not give a Checker")
        checkers.append(checker)
    for ep in _entry_points(ENTRY_POINT_RULES):
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
    """The registry of built-in and installed plugin checkers and rules (built once)."""
    checkers, rules = _builtin()
    plugin_checkers, plugin_rules = _plugins()
    return Registry([*checkers, *plugin_checkers], [*rules, *plugin_rules])


def render_index() -> str:
    """The text of ``_index.py`` for the built-in rules (imports every rule module)."""
    rules: list[type[Rule]] = []
    for kind in [*_kinds(), ENGINE_KIND]:
        for module_name in _rule_modules(kind):
            rules.extend(rules_in_module(import_module(module_name)))
    lines = [
        '"""Identity of every built-in rule, so the registry need not import them at start-up.',
        "",
        "Generated by `python -m mlops_hooks.gen` (`just gen`); do not edit.",
        'Row: (code, name, kind, module, default_enabled, parse_error, extra_kinds)."""',
        "",
        "RULES: tuple[tuple[str, str, str, str, bool, bool, tuple[str, ...]], ...] = (",
    ]
    for rule in sorted(rules, key=lambda r: r.code):
        lines.append(f"    {tuple(RuleRef.of(rule))!r},")
    lines.append(")")
    return "\n".join(lines) + "\n"
