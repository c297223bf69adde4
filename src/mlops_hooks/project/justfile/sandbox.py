"""Run just's own parser on a private copy of the verified tree: ``just --dump``, nothing more.

just runs (the ``rust-just`` wheel's binary, else the one on PATH) as
``just --justfile justfile --dump --dump-format json`` with a fixed argv, no shell and a
minimal environment, which parses and resolves the whole tree without evaluating anything: no
backtick, no ``shell()``, no recipe, no dotenv command runs.

It runs on a private copy of the files that discovery read, laid out as in the project
(``cwd`` = the copy of the justfile's directory), in which every ``import``/``mod`` statement
is rewritten with a path we wrote: the copy of its verified target, or, for a target outside
the root or missing, an optional import of a path that does not exist. So just can read
nothing but the files we checked (never a path as the repository wrote it: no escape, link or
``..`` of its own), and the rest of the tree still loads when one import is missing
(``JST003`` reports it). Statements the scanner cannot read exactly never get here
(:func:`mlops_hooks.project.justfile.discovery.unverified`).
"""

from __future__ import annotations

import json
import os
import shutil

# just runs with a fixed argv and no shell, only ever with --dump (nothing is evaluated).
import subprocess  # nosec B404
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mlops_hooks.project.justfile.types import JustError, JustfileIndex

#: Seconds just may take to parse the tree.
TIMEOUT = 20.0


_MISSING = "__mlops_hooks_missing__.just"


def find_just() -> str | None:
    """The ``just`` binary: next to the interpreter (the ``rust-just`` wheel), else on PATH."""
    exe = "just.exe" if os.name == "nt" else "just"
    beside = Path(sys.executable).parent / exe
    if _runnable(beside):
        return str(beside)
    import sysconfig  # only when just is not next to the interpreter

    scripts = sysconfig.get_path("scripts")
    if scripts and _runnable(Path(scripts) / exe):
        return str(Path(scripts) / exe)
    return shutil.which("just")


def _runnable(candidate: Path) -> bool:
    return candidate.is_file() and os.access(candidate, os.X_OK)


def _neutralize(index: JustfileIndex, tmp: Path) -> dict[str, str] | JustError:
    """The texts to give just: every ``import``/``mod`` statement is rewritten (same line, so
    positions hold) with a path we wrote: the verified file's copy, as a raw string, or for a
    target that is missing or outside the root, an optional import of a path that does not
    exist. just never reads a path as the repository wrote it (escapes, links, ``..``)."""
    texts = {rel: tree.source.text for rel, tree in index.files.items()}
    replacements: dict[str, dict[int, str]] = {}
    nowhere = json.dumps((tmp / _MISSING).as_posix())
    for include in index.includes:
        optional = include.optional or include.target is None
        if include.target is None:
            path = nowhere
        else:
            copy = (tmp / include.target).as_posix()
            if "'" in copy or any(ord(char) < 0x20 or char == "\x7f" for char in copy):
                return JustError(
                    f"cannot hand the path of {include.target!r} to just safely (a quote or"
                    " control character in a file name)",
                    include.path,
                    include.span.start.line,
                    include.span.start.column,
                )
            path = f"'{copy}'"
        mark = "?" if optional else ""
        if include.keyword == "import":
            line = f"import{mark} {path}"
        else:
            line = f"mod{mark} {include.name} {path}"
        replacements.setdefault(include.path, {})[include.line] = line
    for rel, lines in replacements.items():
        source = index.files[rel].source
        out = [lines.get(n, source.line(n)) for n in range(1, source.line_count + 1)]
        texts[rel] = "\n".join(out) + "\n"
    return texts


#: An expression nested too deeply for just's parser or for reading its dump.
_TOO_DEEP = "an expression nests too deeply to check"


#: The dumps of the trees already parsed while :func:`shared_dumps` is active, by what
#: :func:`dump` reads: the binary, the root file, every file's text and the statements.
_SHARED: dict[tuple[object, ...], dict[str, Any] | JustError] | None = None


@contextmanager
def shared_dumps() -> Iterator[None]:
    """Within: a tree that was already dumped (the same files with the same texts) is not
    dumped again. ``check --scope changed`` checks the same tree in several worlds (the work
    tree, the copy at its current content, the copy at ``HEAD`` when no justfile changed);
    each dump is a process. The dumps are shared read-only."""
    global _SHARED
    outer, _SHARED = _SHARED, {} if _SHARED is None else _SHARED
    try:
        yield
    finally:
        _SHARED = outer


def dump(just: str, index: JustfileIndex) -> dict[str, Any] | JustError:
    """just's JSON dump of the tree of ``index`` (see the module doc), or just's error."""
    if _SHARED is None:
        return _dump(just, index)
    texts = tuple(sorted((rel, tree.source.text) for rel, tree in index.files.items()))
    key = (just, index.path, texts, index.includes)
    if key not in _SHARED:
        _SHARED[key] = _dump(just, index)
    return _SHARED[key]


def _dump(just: str, index: JustfileIndex) -> dict[str, Any] | JustError:
    with tempfile.TemporaryDirectory(prefix="mlops-hooks-just-") as name:
        tmp = Path(name).resolve()
        texts = _neutralize(index, tmp)
        if isinstance(texts, JustError):
            return texts
        for rel, text in texts.items():
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
            if "overflowed its stack" in result.stderr:
                # just's recursive parser crashed (its message holds a thread id): say why.
                return JustError(_TOO_DEEP, index.path, 1, 1, just_version(just))
            error = _in_source(_error(result.stderr, tmp, index), index)
            return error._replace(version=just_version(just))
        try:
            dump = json.loads(result.stdout)
        except RecursionError:
            # A deep expression is as deep in the dump, past what Python's decoder recurses.
            return JustError(_TOO_DEEP, index.path, 1, 1)
        except ValueError:
            return JustError("just printed an unreadable dump", index.path, 1, 1)
        if not isinstance(dump, dict):
            return JustError("just printed an unreadable dump", index.path, 1, 1)
        _relativize(dump, tmp)
        return dump


def just_version(just: str) -> str:
    """The version ``just --version`` prints (``just 1.43.0`` -> ``1.43.0``), or empty; asked
    only once a parse failed, so a run that parses pays nothing for it."""
    if just not in _VERSIONS:
        result = _run([just, "--version"], Path(tempfile.gettempdir()))
        words = [] if isinstance(result, JustError) else result.stdout.split()
        _VERSIONS[just] = words[1] if len(words) >= 2 and words[0] == "just" else ""
    return _VERSIONS[just]


#: The version of each just binary asked (the binary does not change during a run).
_VERSIONS: dict[str, str] = {}


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
        if include.path == error.path and include.line == error.line:
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
