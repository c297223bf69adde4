"""``[tool.mlops-hooks]`` configuration: rule selection, per-path ignores, typed rule options.

Selectors accept a code (``DKR001``), a name (``dependencies-after-source``), a code prefix
(``DKR``, ``DKR00``) or ``ALL``. A prefix selects only the rules that are on by default; a code
or name selects the rule whatever its default. Anything unknown is a :class:`ConfigError`
naming the key and the valid values (exit 2).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlops_hooks.errors import UsageError
from mlops_hooks.registry import Registry
from mlops_hooks.rule import build_options, build_record

TABLE = "mlops-hooks"
KNOWN_KEYS = (
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "force-exclude",
    "max-file-size",
    "rules",
    "kinds",
)
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class ConfigError(UsageError, ValueError):
    """Invalid configuration; the CLI prints it and exits 2."""


class Settings:
    """Resolved configuration for one run."""

    def __init__(
        self,
        select: list[str] | None = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
        per_file_ignores: dict[str, list[str]] | None = None,
        exclude: list[str] | None = None,
        force_exclude: bool = False,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        rule_options: dict[str, dict[str, Any]] | None = None,
        kind_options: dict[str, dict[str, Any]] | None = None,
        config_path: Path | None = None,
    ) -> None:
        self.select = select
        self.extend_select = extend_select or []
        self.ignore = ignore or []
        self.per_file_ignores = per_file_ignores or {}
        self.exclude = exclude or []
        self.force_exclude = force_exclude
        self.max_file_size = max_file_size
        self.rule_options = rule_options or {}
        self.kind_options = kind_options or {}
        self.config_path = config_path


#: Bytes read at most from a TOML file (a pyproject.toml is a few kilobytes).
MAX_TOML_SIZE = 4 * 1024 * 1024


def read_toml(path: Path, root: Path | None = None) -> dict[str, Any]:
    """Parse a TOML file (tomllib, or tomli below Python 3.11); raises OSError or ValueError.

    The file is read through :func:`mlops_hooks.safeio.read_file`: a regular file of at most
    :data:`MAX_TOML_SIZE` bytes, and with ``root``, one that resolves inside it.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    from mlops_hooks.safeio import read_file

    raw = read_file(path, MAX_TOML_SIZE, root)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start})") from None
    data: dict[str, Any] = tomllib.loads(text)
    return data


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def find_config(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` upward from ``start`` that has ``[tool.mlops-hooks]``."""
    from mlops_hooks.safeio import UnreadableFileError, read_file

    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if not os.path.lexists(candidate):
            continue
        try:
            # A pyproject.toml that is not a regular file in its own directory (a symbolic
            # link to elsewhere, a FIFO) configures nothing: it is never read.
            raw = read_file(candidate, MAX_TOML_SIZE, directory)
        except UnreadableFileError:
            continue
        if TABLE.encode() in raw and TABLE in _load_toml(candidate).get("tool", {}):
            return candidate
    return None


def load_settings(config: Path | None, cwd: Path) -> Settings:
    """Read settings from ``config`` (``--config``) or the nearest configured pyproject.toml."""
    path = config if config is not None else find_config(cwd.resolve())
    if path is None:
        return Settings()
    data = _load_toml(path)
    table = data.get("tool", {}).get(TABLE) if "tool" in data else None
    if table is None:
        if path.name == "pyproject.toml":
            if config is not None:
                raise ConfigError(f"{path}: no [tool.{TABLE}] table")
            return Settings()  # pragma: no cover - find_config only returns configured files
        table = data
    return parse_table(table, path)


def parse_table(table: Any, path: Path | None = None) -> Settings:
    """Validate the raw ``[tool.mlops-hooks]`` table into :class:`Settings`."""
    where = f"{path}: " if path else ""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}[tool.{TABLE}] must be a table")
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}unknown key {unknown[0]!r} in [tool.{TABLE}]; "
            f"valid keys: {', '.join(KNOWN_KEYS)}"
        )
    settings = Settings(config_path=path)
    if "select" in table:
        settings.select = _str_list(table["select"], "select", where)
    settings.extend_select = _str_list(table.get("extend-select", []), "extend-select", where)
    settings.ignore = _str_list(table.get("ignore", []), "ignore", where)
    settings.exclude = _str_list(table.get("exclude", []), "exclude", where)
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, Mapping):
        raise ConfigError(f"{where}per-file-ignores must be a table of glob = [codes]")
    settings.per_file_ignores = {
        str(glob): _str_list(codes, f"per-file-ignores.{glob!r}", where)
        for glob, codes in pfi.items()
    }
    size = table.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ConfigError(f"{where}max-file-size must be a positive integer (bytes)")
    settings.max_file_size = size
    rules = table.get("rules", {})
    if not isinstance(rules, Mapping) or not all(isinstance(v, Mapping) for v in rules.values()):
        raise ConfigError(f"{where}rules must be a table of [tool.{TABLE}.rules.<rule>] tables")
    settings.rule_options = {str(k): dict(v) for k, v in rules.items()}
    kinds = table.get("kinds", {})
    if not isinstance(kinds, Mapping) or not all(isinstance(v, Mapping) for v in kinds.values()):
        raise ConfigError(f"{where}kinds must be a table of [tool.{TABLE}.kinds.<kind>] tables")
    settings.kind_options = {str(k): dict(v) for k, v in kinds.items()}
    force = table.get("force-exclude", False)
    if not isinstance(force, bool):
        raise ConfigError(f"{where}force-exclude must be true or false")
    settings.force_exclude = force
    return settings


def _str_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}{key} must be a list of strings, got {value!r}")
    return [v.strip() for v in value]


def expand_selector(registry: Registry, token: str, what: str) -> tuple[set[str], bool]:
    """Codes matched by one selector, and whether it named rules exactly (code or name)."""
    code = registry.resolve(token)
    if code is not None:
        return {code}, True
    upper = token.upper()
    if upper == "ALL":
        return set(registry.refs), False
    matched = {code for code in registry.refs if code.startswith(upper)}
    if upper and re.fullmatch(r"[A-Z]{1,3}\d{0,2}", upper) and matched:
        return matched, False
    raise ConfigError(
        f"unknown rule {token!r} in {what}; use a code (DKR001), a name "
        f"(dependencies-after-source), a prefix (DKR) or ALL; see `mlops-hooks rules`"
    )


def resolve_codes(registry: Registry, tokens: Iterable[str], what: str) -> set[str]:
    """All codes named by ``tokens`` (exact selectors and prefixes alike)."""
    codes: set[str] = set()
    for token in tokens:
        codes |= expand_selector(registry, token, what)[0]
    return codes


def selected_codes(
    registry: Registry,
    select: list[str] | None,
    extend_select: Iterable[str],
    ignore: Iterable[str],
) -> frozenset[str]:
    """The codes a run uses: (select, or the defaults) + extend-select - ignore."""
    refs = registry.refs
    chosen: set[str] = set()
    if select is None:
        chosen = {code for code, ref in refs.items() if ref.default_enabled}
    for token in [*(select or []), *extend_select]:
        codes, exact = expand_selector(registry, token, "select")
        chosen |= codes if exact else {c for c in codes if refs[c].default_enabled}
    chosen -= resolve_codes(registry, ignore, "ignore")
    return frozenset(chosen)


def rule_options(registry: Registry, raw: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Build each configured rule's ``Options`` (keyed by code), validating every key."""
    built: dict[str, Any] = {}
    for key, values in raw.items():
        rule = registry.lookup(key)  # imports just this rule, for its Options
        if rule is None:
            raise ConfigError(
                f"unknown rule {key!r} in [tool.{TABLE}.rules]; see `mlops-hooks rules`"
            )
        try:
            built[rule.code] = build_options(rule, values)
        except (ValueError, TypeError) as exc:  # OptionError, or a record's __post_init__
            raise ConfigError(str(exc)) from None
    return built


def kind_options(registry: Registry, raw: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Build each configured checker's ``Options`` (keyed by kind), validating every key."""
    built: dict[str, Any] = {}
    for kind, values in raw.items():
        checker = registry.checkers.get(kind)
        if checker is None:
            raise ConfigError(
                f"unknown kind {kind!r} in [tool.{TABLE}.kinds]; "
                f"valid kinds: {', '.join(sorted(registry.checkers))}"
            )
        try:
            built[kind] = build_record(type(checker).Options, values, f"kind {kind}", kind)
        except (ValueError, TypeError) as exc:  # OptionError, or a record's __post_init__
            raise ConfigError(str(exc)) from None
    return built


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"(?:/.*)?\Z")


def glob_match(pattern: str, relpath: str) -> bool:
    """Gitignore-like glob match: ``**`` spans directories; a pattern without ``/`` also
    matches the base name; a directory pattern matches everything below it."""
    pattern = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    if _glob_regex(pattern).match(relpath):
        return True
    return "/" not in pattern and bool(_glob_regex(pattern).match(relpath.rsplit("/", 1)[-1]))
