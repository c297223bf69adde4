"""What ``pyproject.toml`` (and ruff's and commitizen's own config files) say, read once per run.

Read with :func:`mlops_hooks.config.read_toml` (``tomllib``), only inside the project root;
an unreadable or invalid file configures nothing (other tools report it). The facts:

- ``has_bandit_table``, ``ruff_fix``: is bandit configured here, does ruff fix by default;
- ``name`` and ``source_paths``: where the project's importable source lives, from the build
  backend's configuration (hatch, setuptools, uv, poetry, flit, pdm), else ``src/<name>`` or
  ``<name>/`` (see :func:`source_paths`);
- ``dependency_groups``: every group of requirements (PEP 735 ``[dependency-groups]``,
  ``tool.uv.dev-dependencies`` as ``dev``, ``project.optional-dependencies`` extras, and the
  main ``project.dependencies`` as ``""``), each as normalized package names;
- ``commitizen_config``: the file that configures commitizen, if any.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from mlops_hooks.config import read_toml
from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.project import Project


class PyprojectFacts(NamedTuple):
    """What ``pyproject.toml`` (and ruff's own config files) say that the rules use.

    (A ``NamedTuple``, not a dataclass: see ``mlops_hooks/diagnostics.py`` on start-up time.)
    """

    has_bandit_table: bool = False
    ruff_fix: bool = False
    #: ``project.name`` (or ``tool.poetry.name``) as written; None when there is none.
    name: str | None = None
    #: Directories (or single modules) of the project's source, posix, relative to the root.
    source_paths: tuple[str, ...] = ()
    #: Group name -> normalized package names (see the module doc for the group names).
    dependency_groups: Mapping[str, frozenset[str]] = MappingProxyType({})
    #: The file that configures commitizen (``pyproject.toml`` for ``[tool.commitizen]``).
    commitizen_config: str | None = None

    #: The keys of ``[tool.bandit]`` (empty without the table).
    bandit_keys: frozenset[str] = frozenset()
    #: The rule selectors ruff's configuration selects (``select`` and ``extend-select`` of
    #: ``lint``, or of the top level in older configurations).
    ruff_select: tuple[str, ...] = ()
    #: Whether the project builds a distribution: False only with ``tool.uv.package = false``.
    builds_package: bool = True
    #: Whether ``uv sync`` installs the project itself: ``tool.uv.package = true``, or a
    #: ``[build-system]`` table without ``package = false`` (uv installs only packages).
    uv_installs_project: bool = True
    #: A ``pyproject.toml`` is there but could not be read as TOML (a template's, with Jinja):
    #: what it declares is unknown, not absent.
    unreadable: bool = False

    def depends_on(self, package: str) -> bool:
        """Whether ``package`` is in any dependency group (names compared normalized)."""
        wanted = normalize(package)
        return any(wanted in names for names in self.dependency_groups.values())


def pyproject_facts(project: Project) -> PyprojectFacts:
    """The facts of the project's ``pyproject.toml``, loaded once per run."""
    return project.cached("pyproject", _load_facts)


def _read_toml(project: Project, name: str) -> dict[str, Any] | None:
    path = project.root / name
    if not os.path.lexists(path):
        return None
    try:
        data = read_toml(path, project.root)
    except (OSError, ValueError):
        # An unreadable or invalid file configures nothing; other tools report it.
        return None
    return data


def _load_facts(project: Project) -> PyprojectFacts:
    read = _read_toml(project, "pyproject.toml")
    unreadable = read is None and os.path.lexists(project.root / "pyproject.toml")
    pyproject = read or {}
    tool = pyproject.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    # ruff reads the first of .ruff.toml, ruff.toml and pyproject.toml's [tool.ruff].
    ruff: Any = None
    for name in (".ruff.toml", "ruff.toml"):
        ruff = _read_toml(project, name)
        if ruff is not None:
            break
    if ruff is None:
        ruff = tool.get("ruff")
    written: Any = _table(pyproject, "project").get("name")
    if not isinstance(written, str):
        written = _table(tool, "poetry").get("name")
    project_name = written.strip() if isinstance(written, str) and written.strip() else None
    bandit = tool.get("bandit")
    return PyprojectFacts(
        has_bandit_table=isinstance(bandit, dict),
        ruff_fix=isinstance(ruff, dict) and ruff.get("fix") is True,
        name=project_name,
        source_paths=source_paths(project, pyproject, project_name),
        dependency_groups=dependency_groups(pyproject),
        commitizen_config=_commitizen(project, tool),
        bandit_keys=frozenset(bandit) if isinstance(bandit, dict) else frozenset(),
        ruff_select=_ruff_select(ruff),
        builds_package=_builds_package(tool),
        uv_installs_project=read is None or _uv_installs_project(pyproject, tool),
        unreadable=unreadable,
    )


#: Files commitizen reads its configuration from, besides ``pyproject.toml``.
COMMITIZEN_FILES = (".cz.toml", "cz.toml", ".cz.json", "cz.json", ".cz.yaml", "cz.yaml")
_SEPARATORS = lazy(r"[-_.]+")
_REQUIREMENT_NAME = lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them (``Rust_Just`` -> ``rust-just``)."""
    return _SEPARATORS.sub("-", name).lower()


def import_name(name: str) -> str:
    """The import name a build backend derives from a project name (``my-app`` -> ``my_app``)."""
    return _SEPARATORS.sub("_", name).lower()


def _table(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _commitizen(project: Project, tool: dict[str, Any]) -> str | None:
    if isinstance(tool.get("commitizen"), dict):
        return "pyproject.toml"
    for name in COMMITIZEN_FILES:
        if project.read_text(project.root / name, 1_000_000) is not None:
            return name
    return None


def _names(requirements: Any) -> frozenset[str]:
    """Normalized names of a list of PEP 508 requirement strings (other items ignored)."""
    found = set()
    for item in requirements if isinstance(requirements, list) else ():
        match = _REQUIREMENT_NAME.match(item) if isinstance(item, str) else None
        if match is not None:
            found.add(normalize(match.group(1)))
    return frozenset(found)


def dependency_groups(pyproject: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Every group of requirements ``pyproject`` declares, as normalized package names.

    ``""`` is ``project.dependencies``; extras and PEP 735 groups keep their names (a PEP 735
    ``{include-group = ...}`` item is not followed); ``tool.uv.dev-dependencies`` (uv's
    legacy form) and poetry's ``tool.poetry.group.<name>.dependencies`` join their group.
    """
    groups: dict[str, set[str]] = {"": set(_names(_dig(pyproject, "project", "dependencies")))}

    def add(group: str, names: frozenset[str]) -> None:
        groups.setdefault(group, set()).update(names)

    for extra, requirements in _table(
        _table(pyproject, "project"), "optional-dependencies"
    ).items():
        add(str(extra), _names(requirements))
    for group, requirements in _table(pyproject, "dependency-groups").items():
        add(str(group), _names(requirements))
    add("dev", _names(_dig(pyproject, "tool", "uv", "dev-dependencies")))
    poetry = _dig(pyproject, "tool", "poetry")
    add("", frozenset(normalize(str(n)) for n in _table(poetry, "dependencies") if n != "python"))
    for group, table in _table(poetry, "group").items():
        add(str(group), frozenset(normalize(str(n)) for n in _table(table, "dependencies")))
    return {name: frozenset(names) for name, names in groups.items() if names or name == ""}


def source_paths(project: Project, pyproject: dict[str, Any], name: str | None) -> tuple[str, ...]:
    """Where the project's importable source lives, relative to the root (existing paths only).

    From the build backend's configuration: hatch (``tool.hatch.build.targets.wheel.packages``),
    setuptools (``packages`` with ``package-dir``, ``packages.find.where``), uv's build backend
    (``module-root``/``module-name``), poetry (``packages`` with ``from``), flit
    (``tool.flit.module.name``), pdm (``tool.pdm.build.package-dir``). Without one that
    names an existing path: ``src/<import name>``, else ``<import name>``, else ``src``.
    The members of a uv workspace (``tool.uv.workspace.members``, less ``exclude``) add
    their own source paths, found the same way in each member's ``pyproject.toml``.
    """
    own = _package_sources(project, "", pyproject, name)
    members = [path for member in _workspace_members(project, pyproject) for path in member]
    return tuple(dict.fromkeys((*own, *members)))


def _package_sources(
    project: Project, base: str, pyproject: dict[str, Any], name: str | None
) -> tuple[str, ...]:
    """The source paths of the package whose ``pyproject.toml`` is in ``base`` ('' = root)."""
    tool = _table(pyproject, "tool")
    module = import_name(name) if name else None
    declared = [_join(base, p) for p in _declared_sources(tool, module)]
    found = [p for p in dict.fromkeys(declared) if _exists(project, p)]
    if found:
        return tuple(found)
    defaults = [f"src/{module}", module] if module else []
    defaults.append("src")
    return tuple(p for p in (_join(base, d) for d in defaults[:3]) if _exists(project, p))[:1]


#: The most workspace members read (a glob such as ``packages/*`` may match many).
MAX_MEMBERS = 64


def _workspace_members(project: Project, pyproject: dict[str, Any]) -> list[tuple[str, ...]]:
    """The source paths of each uv workspace member (a directory with a readable
    ``pyproject.toml`` inside the root)."""
    from fnmatch import fnmatch

    workspace = _table(_table(_table(pyproject, "tool"), "uv"), "workspace")
    members, exclude = _strings(workspace.get("members")), _strings(workspace.get("exclude"))
    found: list[tuple[str, ...]] = []
    directories: list[str] = []
    for pattern in members:
        pattern = pattern.strip("/").removeprefix("./")
        if not pattern or "**" in pattern or ".." in pattern.split("/"):
            continue  # a recursive glob could walk the whole tree; `..` leaves the root
        paths = [project.root / pattern] if not _GLOB.search(pattern) else []
        if not paths:
            paths = sorted(project.root.glob(pattern))[:MAX_MEMBERS]
        directories += [project.relpath(p) for p in paths if project.contains(p)]
    for member in dict.fromkeys(directories):
        if not member or any(fnmatch(member, x.strip("/").removeprefix("./")) for x in exclude):
            continue
        if len(found) == MAX_MEMBERS:
            break
        data = _read_toml(project, f"{member}/pyproject.toml")
        if data is None:
            continue
        written = _table(data, "project").get("name")
        written = written.strip() if isinstance(written, str) and written.strip() else None
        found.append(_package_sources(project, member, data, written))
    return found


_GLOB = lazy(r"[*?\[]")


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _declared_sources(tool: dict[str, Any], module: str | None) -> list[str]:
    paths: list[str] = []
    hatch = _dig(tool, "hatch", "build", "targets", "wheel", "packages")
    paths += [p for p in hatch if isinstance(p, str)] if isinstance(hatch, list) else []
    setuptools = _table(tool, "setuptools")
    package_dir = _table(setuptools, "package-dir")
    root_dir = package_dir.get("")
    root_dir = root_dir if isinstance(root_dir, str) else ""
    packages = setuptools.get("packages")
    if isinstance(packages, list):
        for package in packages:
            if isinstance(package, str) and "." not in package:
                mapped = package_dir.get(package)
                paths.append(mapped if isinstance(mapped, str) else _join(root_dir, package))
    elif isinstance(packages, dict):
        where = _dig(packages, "find", "where")
        paths += [w for w in where if isinstance(w, str)] if isinstance(where, list) else []
    elif root_dir:
        paths.append(root_dir)
    backend = _dig(tool, "uv", "build-backend")
    if isinstance(backend, dict):
        root = backend.get("module-root", "src")
        names = backend.get("module-name", module)
        names = [names] if isinstance(names, str) else names
        for item in names if isinstance(names, list) else ():
            if isinstance(item, str) and isinstance(root, str):
                paths.append(_join(root, item.replace(".", "/")))
    for entry in _dig(tool, "poetry", "packages") or ():
        include = entry.get("include") if isinstance(entry, dict) else None
        where = entry.get("from", "") if isinstance(entry, dict) else ""
        if isinstance(include, str) and isinstance(where, str) and "*" not in include:
            paths.append(_join(where, include))
    flit = _dig(tool, "flit", "module", "name")
    if isinstance(flit, str):
        paths += [f"src/{flit}", flit]
    pdm = _dig(tool, "pdm", "build", "package-dir")
    if isinstance(pdm, str) and module:
        paths.append(_join(pdm, module))
    return [p.strip("/").removeprefix("./") for p in paths if p.strip("/.")]


def _join(root: str, name: str) -> str:
    root = root.strip("/").removeprefix("./").strip(".")
    return f"{root}/{name}" if root else name


def _exists(project: Project, relpath: str) -> bool:
    path = project.root / relpath
    candidates = [path, path.with_name(path.name + ".py")]
    return any(project.contains(c) and c.exists() for c in candidates)


def _ruff_select(ruff: Any) -> tuple[str, ...]:
    if not isinstance(ruff, dict):
        return ()
    selected: list[str] = []
    lint = ruff.get("lint")
    for table in (ruff, lint if isinstance(lint, dict) else {}):
        for key in ("select", "extend-select"):
            value = table.get(key)
            if isinstance(value, list):
                selected += [item for item in value if isinstance(item, str)]
    return tuple(selected)


def _uv_installs_project(pyproject: dict[str, Any], tool: dict[str, Any]) -> bool:
    package = _table(tool, "uv").get("package")
    return package is True or (package is not False and "build-system" in pyproject)


def _builds_package(tool: dict[str, Any]) -> bool:
    # Only an explicit `package = false` says so: without `[build-system]`, `uv build` and pip
    # still build the project with setuptools' legacy backend.
    return _table(tool, "uv").get("package") is not False
