"""The project's justfile tree, loaded once per run through just's own parser.

:func:`justfile_index` finds the root justfile (``justfile`` in any case, or ``.justfile``) at
the project root, follows its ``import``/``mod`` statements textually, and runs
``just --justfile justfile --dump --dump-format json`` (the ``rust-just`` wheel's binary),
which parses and resolves the whole tree without evaluating anything: no backtick, no
``shell()``, no recipe, no dotenv command runs.

Security: before just runs, every ``import``/``mod`` target is resolved textually; a target
that resolves outside the project root (``../``, absolute paths, ``~``, symlinks) is never read
or stat'ed, by us or by just. just runs on a private copy of the verified files, laid out as in
the project (``cwd`` = the copy of the justfile's directory), in which every statement whose
target is outside the root or missing is replaced by an optional import of a path that does
not exist; so just can read nothing but the files we checked, and the rest of the tree still
loads when one import is missing (``JST003`` reports it).

The dump merges imported recipes and has no positions: each recipe's file and line come from
:mod:`mlops_hooks.checkers.justfile.scan`, matched by module and name.

Cross-kind users (the pre-commit and workflow checkers) call :func:`justfile_index` with their
``Project``; this module imports nothing heavy.
"""

from __future__ import annotations

import json
import os
import shutil

# just runs with a fixed argv and no shell, only ever with --dump (nothing is evaluated).
import subprocess  # nosec B404
import sys
import sysconfig
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mlops_hooks.checkers.justfile.scan import (
    Header,
    ScannedFile,
    Statement,
    body_text,
    scan,
)
from mlops_hooks.diagnostics import Span
from mlops_hooks.safeio import UnreadableFileError, read_file, resolve_within
from mlops_hooks.source import DecodeError, SourceFile

if TYPE_CHECKING:
    from mlops_hooks.project import Project

CACHE_KEY = "justfile-index"
#: Seconds just may take to parse the tree.
TIMEOUT = 20.0
#: Bounds on what we read, so a hostile tree cannot exhaust memory.
MAX_FILES = 500
MAX_FILE_SIZE = 1_000_000
_MISSING = "__mlops_hooks_missing__.just"


class Parameter(NamedTuple):
    """A recipe parameter: ``kind`` is ``singular``, ``plus`` (``+x``) or ``star`` (``*x``)."""

    name: str
    kind: str
    default: str | None
    export: bool


class Dependency(NamedTuple):
    """A dependency: the recipe it runs, its arguments as written, and whether it runs after
    the body (``&&``)."""

    recipe: str
    arguments: tuple[str, ...]
    after: bool


class Attribute(NamedTuple):
    """A recipe attribute (``group``, ``private``, ``confirm``, ``doc`` ...) and its arguments."""

    name: str
    arguments: tuple[str, ...]


class RecipeInfo(NamedTuple):
    """One recipe of the tree, with where it is written.

    ``name`` is the full path (``docker::build`` inside module ``docker``). ``path`` is the
    posix path relative to the project root and ``line`` the 1-based header line; both are
    ``""``/``0`` in the rare case the scanner could not find the header (never guessed).
    """

    name: str
    module: str
    path: str
    line: int
    name_span: Span | None
    block_first: int
    body: str
    attributes: tuple[Attribute, ...]
    groups: tuple[str, ...]
    doc: str | None
    dependencies: tuple[Dependency, ...]
    private: bool
    quiet: bool
    shebang: bool
    parameters: tuple[Parameter, ...]

    @property
    def short_name(self) -> str:
        """The name inside its module (``build`` for ``docker::build``)."""
        return self.name.rsplit("::", 1)[-1]

    def has_attribute(self, name: str) -> bool:
        """Whether the recipe carries attribute ``name``."""
        return any(a.name == name for a in self.attributes)


class Include(NamedTuple):
    """An ``import``/``mod`` statement and what it resolves to.

    ``target`` is the resolved file relative to the project root, or None when the file is
    missing (``missing``) or outside the root (``outside``, never read).
    """

    keyword: str
    optional: bool
    name: str | None
    literal: str | None
    path: str
    line: int
    span: Span
    target: str | None
    missing: bool
    outside: bool
    #: Module path of the statement's file ("" for the root module).
    module: str


class JustError(NamedTuple):
    """just's own error (or why just could not run): message, file and 1-based position."""

    message: str
    path: str
    line: int
    column: int


class TreeFile(NamedTuple):
    """One file of the tree: its text, what the scanner found, and its module path."""

    path: str
    source: SourceFile
    scanned: ScannedFile
    module: str


class JustfileIndex:
    """The justfile tree of a project: files, statements, recipes and aliases.

    When just fails (``error`` set), ``recipes`` and ``aliases`` are empty: rules that need
    them must not conclude anything (a missing task may be in the part that failed).
    (A plain class, not a dataclass: see ``mlops_hooks/diagnostics.py`` on start-up time.)
    """

    def __init__(
        self,
        path: str,
        files: dict[str, TreeFile] | None = None,
        includes: tuple[Include, ...] = (),
        recipes: dict[str, RecipeInfo] | None = None,
        aliases: dict[str, str] | None = None,
        modules: dict[str, str] | None = None,
        first: str | None = None,
        settings: dict[str, Any] | None = None,
        error: JustError | None = None,
        complete: bool = False,
        unreadable: dict[str, JustError] | None = None,
    ) -> None:
        self.path = path
        self.files: dict[str, TreeFile] = files if files is not None else {}
        self.includes = includes
        self.recipes: dict[str, RecipeInfo] = recipes if recipes is not None else {}
        self.aliases: dict[str, str] = aliases if aliases is not None else {}
        self.modules: dict[str, str] = modules if modules is not None else {}
        #: Name of the root module's first recipe (what a bare ``just`` runs).
        self.first = first
        #: The root module's settings as just dumps them (``dotenv_load``, ``default_list``).
        self.settings: dict[str, Any] = settings if settings is not None else {}
        self.error = error
        #: Whether every file of the tree was read (False when there were too many, so a file
        #: missing from ``files`` may still belong to the tree).
        self.complete = complete
        #: Files of the tree that could not be read (binary, too large), with why.
        self.unreadable: dict[str, JustError] = unreadable if unreadable is not None else {}

    @property
    def loaded(self) -> bool:
        """Whether just parsed the tree (recipes are known)."""
        return self.error is None

    @property
    def names(self) -> frozenset[str]:
        """Every name ``just NAME`` accepts: recipes, aliases and modules (``a::b`` paths)."""
        return frozenset({*self.recipes, *self.aliases, *self.modules})

    def resolve(self, name: str) -> RecipeInfo | None:
        """The recipe ``name`` runs (following an alias), if any."""
        return self.recipes.get(self.aliases.get(name, name))

    def recipes_in(self, path: str) -> Iterator[RecipeInfo]:
        """The recipes written in file ``path``, in line order."""
        found = [r for r in self.recipes.values() if r.path == path]
        return iter(sorted(found, key=lambda r: r.line))

    def includes_in(self, path: str) -> Iterator[Include]:
        """The ``import``/``mod`` statements written in file ``path``."""
        return (i for i in self.includes if i.path == path)

    def runs_command(self, *words: str) -> list[RecipeInfo]:
        """Recipes whose body contains the words in order on one line (``pre-commit install``)."""
        found = []
        for recipe in self.recipes.values():
            for line in recipe.body.splitlines():
                tokens = line.replace("@", " ").split()
                if _contains_run(tokens, words):
                    found.append(recipe)
                    break
        return found


def _contains_run(tokens: list[str], words: tuple[str, ...]) -> bool:
    n = len(words)
    return any(tuple(tokens[i : i + n]) == words for i in range(len(tokens) - n + 1))


class _Slot:
    """The cached index of a project (mutable, so a fresher one can replace it)."""

    def __init__(self) -> None:
        self.loaded = False
        self.index: JustfileIndex | None = None


def justfile_index(project: Project) -> JustfileIndex | None:
    """The project's justfile tree (None without a root justfile), loaded once per run."""
    slot = project.cached(CACHE_KEY, lambda _: _Slot())
    if not slot.loaded:
        slot.index, slot.loaded = load_index(project), True
    return slot.index


def index_for(project: Project, source: SourceFile) -> JustfileIndex | None:
    """The index as it is with ``source``'s text for its file.

    The cached index serves every file whose text is the one it read. When the engine gives
    other text for a file of the tree (a fix being re-checked, or the file changed since the
    index was loaded), the tree is parsed again with that text; if the text was read from
    disk, the fresher index replaces the cached one for the other files and kinds.
    """
    index = justfile_index(project)
    relpath = source.relpath
    if index is not None:
        tree = index.files.get(relpath)
        if tree is None or tree.source.text == source.text:
            return index
    elif find_root_justfile(project.root) is None or source.raw is None:
        return None
    fresh = load_index(project, {relpath: source})
    if source.raw is not None:
        slot: _Slot = project.cached(CACHE_KEY, lambda _: _Slot())
        slot.index = fresh
    return fresh


def find_root_justfile(root: Path) -> Path | None:
    """``justfile`` (any case) or ``.justfile`` directly in ``root``."""
    try:
        names = sorted(entry.name for entry in root.iterdir())
    except OSError:
        return None
    for name in names:
        # A link is returned unfollowed: the caller refuses one that leads outside the root.
        if name.lower() in ("justfile", ".justfile") and (
            (root / name).is_symlink() or (root / name).is_file()
        ):
            return root / name
    return None


def find_just() -> str | None:
    """The ``just`` binary: next to the interpreter (the ``rust-just`` wheel), else on PATH."""
    exe = "just.exe" if os.name == "nt" else "just"
    candidates = [Path(sys.executable).parent / exe]
    scripts = sysconfig.get_path("scripts")
    if scripts:
        candidates.append(Path(scripts) / exe)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("just")


def load_index(
    project: Project, overrides: Mapping[str, SourceFile] | None = None
) -> JustfileIndex | None:
    """Read the tree under ``project.root`` and parse it with just (see the module doc);
    ``overrides`` gives the text of some files instead of what is on disk."""
    root_file = find_root_justfile(project.root)
    if root_file is None:
        return None
    relroot = root_file.name
    index = JustfileIndex(path=relroot)
    if not project.contains(root_file):
        index.error = JustError("the justfile is a link to outside the project", relroot, 1, 1)
        return index
    includes, index.complete = _read_tree(project, relroot, index, overrides or {})
    index.includes = tuple(includes)
    if index.error is not None:
        return index
    just = find_just()
    if just is None:
        index.error = JustError(
            "just is not installed: install the rust-just package (pip install rust-just)",
            relroot,
            1,
            1,
        )
        return index
    dump = _dump(just, index)
    if isinstance(dump, JustError):
        index.error = dump
        return index
    _fill(index, dump)
    return index


def _read_tree(
    project: Project, relroot: str, index: JustfileIndex, overrides: Mapping[str, SourceFile]
) -> tuple[list[Include], bool]:
    """Read every file of the tree into ``index.files``; the statements, and whether the
    whole tree was read."""
    includes: list[Include] = []
    queue: list[tuple[str, str]] = [(relroot, "")]
    while queue:
        rel, module = queue.pop(0)
        if rel in index.files:
            continue
        if len(index.files) >= MAX_FILES:
            index.error = JustError(f"more than {MAX_FILES} justfiles imported", relroot, 1, 1)
            return includes, False
        path = project.root / rel
        try:
            source = overrides.get(rel) or _read(path, rel, project.root)
        except DecodeError as exc:
            # Keep reading: the other files still get their statements checked.
            index.unreadable[rel] = JustError(exc.message, rel, exc.line, exc.column)
            index.error = index.error or index.unreadable[rel]
            continue
        except UnreadableFileError as exc:
            index.unreadable[rel] = JustError(exc.message, rel, 1, 1)
            index.error = index.error or index.unreadable[rel]
            continue
        scanned = scan(source)
        index.files[rel] = TreeFile(rel, source, scanned, module)
        for statement in scanned.statements:
            include = _resolve(project, rel, module, statement)
            includes.append(include)
            if include.target is not None:
                child = module
                if statement.keyword == "mod" and statement.name:
                    child = f"{module}::{statement.name}" if module else statement.name
                queue.append((include.target, child))
    return includes, True


def _read(path: Path, rel: str, root: Path) -> SourceFile:
    # The safe reader: inside the root, a regular file, the size refused before reading.
    return SourceFile.from_bytes(rel, read_file(path, MAX_FILE_SIZE, root), rel)


def _resolve(project: Project, rel: str, module: str, statement: Statement) -> Include:
    try:
        outside, target = _target(project, rel, statement)
    except (OSError, ValueError, RuntimeError):
        # A name too long, a NUL byte, a symlink loop (RuntimeError before Python 3.13): no
        # such file.
        outside, target = False, None
    return Include(
        keyword=statement.keyword,
        optional=statement.optional,
        name=statement.name,
        literal=statement.literal,
        path=rel,
        line=statement.line,
        span=statement.span,
        target=project.relpath(target) if target is not None else None,
        missing=target is None and not outside,
        outside=outside,
        module=module,
    )


def _target(project: Project, rel: str, statement: Statement) -> tuple[bool, Path | None]:
    """Whether the statement's file is outside the root, and the file (None if missing)."""
    base = (project.root / rel).parent
    outside = False
    target: Path | None = None
    literal = statement.literal
    if literal is not None:
        if literal.startswith("~") or "\0" in literal:
            outside = True
        else:
            # Resolved physically (``link/..`` is where the link leads, as just reads it),
            # one component at a time: a path or link leading outside is refused from its
            # text, before anything outside is stat'ed; a link loop raises (missing).
            candidate = resolve_within(project.root, base / literal)
            if candidate is None:
                outside = True
            elif statement.keyword == "mod" and candidate.is_dir():
                target = _module_file(candidate, None)
            elif candidate.is_file():
                target = candidate
    elif statement.name is not None:
        target = _module_file(base, statement.name)
    if target is not None and not project.contains(target):
        outside, target = True, None
    return outside, target


def _module_file(directory: Path, name: str | None) -> Path | None:
    """The file ``mod name`` loads: ``name.just``, ``name/mod.just``, ``name/justfile``..."""
    folder = directory / name if name is not None else directory
    candidates = [directory / f"{name}.just"] if name is not None else []
    candidates.append(folder / "mod.just")
    if folder.is_dir():
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            entries = []
        candidates.extend(e for e in entries if e.name.lower() in ("justfile", ".justfile"))
    return next((c for c in candidates if c.is_file()), None)


def _neutralize(index: JustfileIndex, tmp: Path) -> dict[str, str]:
    """The texts to give just: statements whose target is missing or outside the root are
    replaced (same line, so positions hold) by an optional import of a path that does not
    exist."""
    texts = {rel: tree.source.text for rel, tree in index.files.items()}
    replacements: dict[str, dict[int, str]] = {}
    for include in index.includes:
        if include.target is not None:
            continue
        nowhere = json.dumps((tmp / _MISSING).as_posix())
        if include.keyword == "import":
            line = f"import? {nowhere}"
        else:
            line = f"mod? {include.name} {nowhere}"
        replacements.setdefault(include.path, {})[include.line] = line
    for rel, lines in replacements.items():
        source = index.files[rel].source
        out = [lines.get(n, source.line(n)) for n in range(1, source.line_count + 1)]
        texts[rel] = "\n".join(out) + "\n"
    return texts


def _dump(just: str, index: JustfileIndex) -> dict[str, Any] | JustError:
    with tempfile.TemporaryDirectory(prefix="mlops-hooks-just-") as name:
        tmp = Path(name).resolve()
        for rel, text in _neutralize(index, tmp).items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        argv = [just, "--justfile", str(tmp / index.path), "--dump", "--dump-format", "json"]
        argv += ["--color", "never"]
        needs_unstable = any(i.keyword == "mod" for i in index.includes)
        result = _run(argv, tmp)
        if isinstance(result, JustError):
            return result
        if result.returncode != 0 and needs_unstable and "unstable" in result.stderr:
            result = _run([*argv, "--unstable"], tmp)
            if isinstance(result, JustError):
                return result
        if result.returncode != 0:
            return _in_source(_error(result.stderr, tmp, index), index)
        try:
            dump = json.loads(result.stdout)
        except ValueError:
            return JustError("just printed an unreadable dump", index.path, 1, 1)
        if not isinstance(dump, dict):
            return JustError("just printed an unreadable dump", index.path, 1, 1)
        _relativize(dump, tmp)
        return dump


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str] | JustError:
    # A minimal environment: JUST_* variables of the user must not change what just does.
    env = {"NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    for key in ("SYSTEMROOT", "TEMP", "TMP"):
        if key in os.environ:
            env[key] = os.environ[key]
    try:
        # A fixed argv, no shell, and only --dump: nothing of the justfile is evaluated.
        return subprocess.run(  # nosec B603
            argv,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return JustError(f"just took more than {TIMEOUT:g}s to parse the justfile", "", 1, 1)
    except OSError as exc:
        return JustError(f"cannot run just: {exc.strerror or exc}", "", 1, 1)


def _error(stderr: str, tmp: Path, index: JustfileIndex) -> JustError:
    """just's message and the ``——▶ file:line:column`` it names."""
    lines = stderr.strip().splitlines()
    message = ""
    path, line, column = index.path, 1, 1
    for text in lines:
        stripped = text.strip()
        if not message and stripped.startswith("error:"):
            message = stripped[len("error:") :].strip()
            continue
        arrow = stripped.split("▶", 1) if "▶" in stripped else stripped.split("-->", 1)
        if len(arrow) == 2 and message:
            where = arrow[1].strip()
            parts = where.rsplit(":", 2)
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                path = _relative(parts[0], tmp) or index.path
                line, column = int(parts[1]), int(parts[2])
            break
    if not message:
        message = lines[0].strip() if lines else "just failed without a message"
    return JustError(message.replace(str(tmp) + "/", ""), path, line, column)


def _in_source(error: JustError, index: JustfileIndex) -> JustError:
    """just's position in our terms: just counts columns in UTF-8 bytes, we in code points;
    on a statement we replaced (see :func:`_neutralize`), the statement's own position."""
    tree = index.files.get(error.path)
    if tree is None:
        return error
    for include in index.includes:
        if include.path == error.path and include.line == error.line and include.target is None:
            start = include.span.start
            return JustError(error.message, error.path, start.line, start.column)
    text = tree.source.line(error.line).encode("utf-8")
    column = len(text[: max(error.column - 1, 0)].decode("utf-8", "ignore")) + 1
    line = min(max(error.line, 1), max(tree.source.line_count, 1))
    if line != error.line:
        column = len(tree.source.line(line)) + 1
    return JustError(error.message, error.path, line, column)


def _relative(path: str, tmp: Path) -> str:
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = tmp / candidate
    try:
        return Path(os.path.normpath(candidate)).relative_to(tmp).as_posix()
    except ValueError:
        return ""


def _relativize(dump: dict[str, Any], tmp: Path) -> None:
    source = dump.get("source")
    if isinstance(source, str):
        dump["source"] = _relative(source, tmp)
    for module in (dump.get("modules") or {}).values():
        if isinstance(module, dict):
            _relativize(module, tmp)


def _fill(index: JustfileIndex, dump: dict[str, Any]) -> None:
    first = dump.get("first")
    index.first = first if isinstance(first, str) else None
    settings = dump.get("settings")
    index.settings = settings if isinstance(settings, dict) else {}
    _fill_module(index, dump, "")


def _fill_module(index: JustfileIndex, dump: dict[str, Any], module: str) -> None:
    prefix = f"{module}::" if module else ""
    if module:
        source = dump.get("source")
        index.modules[module] = source if isinstance(source, str) else ""
    headers = _headers(index, module)
    for key, recipe in (dump.get("recipes") or {}).items():
        if isinstance(recipe, dict):
            info = _recipe(index, recipe, module, headers.get(key))
            index.recipes[info.name] = info
    for key, alias in (dump.get("aliases") or {}).items():
        if isinstance(alias, dict):
            target = alias.get("target")
            index.aliases[prefix + key] = prefix + str(target)
    for key, child in (dump.get("modules") or {}).items():
        if isinstance(child, dict):
            _fill_module(index, child, prefix + key)


def _headers(index: JustfileIndex, module: str) -> dict[str, tuple[TreeFile, Header]]:
    """Recipe headers of the files of ``module``; a later definition wins, as in just."""
    found: dict[str, tuple[TreeFile, Header]] = {}
    for tree in index.files.values():
        if tree.module == module:
            for header in tree.scanned.headers:
                found[header.name] = (tree, header)
    return found


def _recipe(
    index: JustfileIndex,
    recipe: dict[str, Any],
    module: str,
    where: tuple[TreeFile, Header] | None,
) -> RecipeInfo:
    name = str(recipe.get("name", ""))
    attributes = tuple(_attribute(a) for a in recipe.get("attributes") or ())
    priors = int(recipe.get("priors") or 0)
    dependencies = tuple(
        Dependency(
            recipe=str(dep.get("recipe", "")),
            arguments=tuple(_render(a) for a in dep.get("arguments") or ()),
            after=position >= priors,
        )
        for position, dep in enumerate(recipe.get("dependencies") or ())
        if isinstance(dep, dict)
    )
    parameters = tuple(
        Parameter(
            name=str(p.get("name", "")),
            kind=str(p.get("kind", "singular")),
            default=None if p.get("default") is None else _render(p.get("default")),
            export=bool(p.get("export")),
        )
        for p in recipe.get("parameters") or ()
        if isinstance(p, dict)
    )
    doc = recipe.get("doc")
    if where is not None:
        tree, header = where
        path, line, span, block = tree.path, header.line, header.name_span, header.block_first
        body = body_text(tree.source, header)
    else:
        path, line, span, block = "", 0, None, 0
        body = "\n".join(_render_line(line) for line in recipe.get("body") or ())
    return RecipeInfo(
        name=str(recipe.get("namepath") or name),
        module=module,
        path=path,
        line=line,
        name_span=span,
        block_first=block,
        body=body,
        attributes=attributes,
        groups=tuple(a.arguments[0] for a in attributes if a.name == "group" and a.arguments),
        doc=doc if isinstance(doc, str) else None,
        dependencies=dependencies,
        private=bool(recipe.get("private")),
        quiet=bool(recipe.get("quiet")),
        shebang=bool(recipe.get("shebang")),
        parameters=parameters,
    )


def _attribute(value: Any) -> Attribute:
    if isinstance(value, dict) and value:
        key, argument = next(iter(value.items()))
        if argument is None:
            return Attribute(str(key), ())
        if isinstance(argument, list):
            return Attribute(str(key), tuple(_render(a) for a in argument))
        return Attribute(str(key), (_render(argument),))
    return Attribute(str(value), ())


def _render(value: Any) -> str:
    """An expression from the dump as text: strings as is, others in a compact form."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 2 and value[0] == "variable":
        return str(value[1])
    return json.dumps(value)


def _render_line(fragments: Any) -> str:
    if not isinstance(fragments, list):
        return ""
    return "".join(f if isinstance(f, str) else "{{…}}" for f in fragments)
