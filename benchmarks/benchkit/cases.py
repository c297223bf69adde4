"""The benchmark cases: each mlops-hooks run next to the tools a user would pick instead.

Every command is an exact argv (recorded in RESULTS.md). mlops-hooks runs from the repository's
``.venv``; the floors (a bare parser in a fresh process, reading every file once,
``python -c pass``) run with the same interpreter, so they measure what our own process cannot
avoid; the anchors run from the benchmark's venv.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import corpus, pytree
from .env import BENCH, WORK, Environment
from .measure import Case, Command, Target

PRE_COMMIT_OVERHEAD = 0.120  # seconds, the measured pre-commit overhead per run

FLOOR_PASS = "pass"  # noqa: S105 - Python code, not a password
FLOOR_DOCKERFILE = "import sys, dockerfile\nfor p in sys.argv[1:]: dockerfile.parse_file(p)"
FLOOR_AST = "import ast, sys\nfor p in sys.argv[1:]: ast.parse(open(p, 'rb').read())"
FLOOR_COMPOSE = (
    "import sys, yaml\n"
    "for p in sys.argv[1:]:\n"
    "    with open(p, 'rb') as f: yaml.compose(f, Loader=yaml.CSafeLoader)"
)
FLOOR_READ = (
    "import subprocess\n"
    "listed = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others',"
    " '--exclude-standard'], capture_output=True, check=True).stdout\n"
    "for name in listed.decode().split('\\0'):\n"
    "    if name:\n"
    "        with open(name, 'rb') as f: f.read()"
)

#: Fixit takes minutes on the 2,006-file tree; past this it is reported as timed out (which
#: still bounds the ratio: mlops-hooks / Fixit < mlops-hooks time / this).
FIXIT_TIMEOUT = 420.0
ZIZMOR_CODES = frozenset({0, 10, 11, 12, 13, 14})  # 1x: findings of severity x


@dataclass(frozen=True)
class Sizes:
    """Corpus sizes and rounds for a mode."""

    dockerfiles: int
    workflows: int
    python_files: int
    plain_files: int
    rounds_small: int
    rounds_large: int
    rounds_fixit: int
    #: The small and large generated file of each kind (bytes), see benchkit/scale.py.
    scale_small: int = 1_000_000
    scale_large: int = 10_000_000


FULL = Sizes(97, 95, 2006, 2089, rounds_small=9, rounds_large=5, rounds_fixit=1)
QUICK = Sizes(
    10,
    10,
    60,
    60,
    rounds_small=3,
    rounds_large=2,
    rounds_fixit=1,
    scale_small=100_000,
    scale_large=1_000_000,
)


@dataclass
class Corpora:
    """Where each generated corpus lives on disk, and its size."""

    paths: dict[str, Path]
    sizes: dict[str, dict[str, int]]

    def path(self, name: str) -> Path:
        return self.paths[name]


def bench_env() -> dict[str, str]:
    """The environment every timed command gets: the caller's, without colour or debug, and
    with bytecode caching on in a private prefix (so a caller's PYTHONDONTWRITEBYTECODE=1 does
    not turn every run into a cold start, and the repo's .venv is not written to)."""
    drop = ("MLOPS_HOOKS_DEBUG", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["NO_COLOR"] = "1"
    env["PRE_COMMIT_HOME"] = str(WORK / "pre-commit-home")
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    return env


def build_corpora(sizes: Sizes, seed: int, log: object = print) -> Corpora:
    """Generate (or reuse) every corpus under ``benchmarks/.work/corpus``; the directory
    names carry the size and seed, so quick and full runs keep their own trees."""
    say = log if callable(log) else (lambda _m: None)
    root = WORK / "corpus"
    root.mkdir(parents=True, exist_ok=True)
    plain = pytree.TreeSpec(files=sizes.plain_files, mlflow_share=0, uri_share=0, seed=seed)
    trees: dict[str, tuple[int, corpus.Files]] = {
        "dockerfiles": (
            sizes.dockerfiles,
            {"pyproject.toml": corpus.pyproject("docker-corpus")}
            | corpus.dockerfiles(sizes.dockerfiles, seed),
        ),
        "workflows": (
            sizes.workflows,
            {"pyproject.toml": corpus.pyproject("workflow-corpus")}
            | corpus.workflows(sizes.workflows, seed),
        ),
        "justfiles": (
            1,
            {"pyproject.toml": corpus.pyproject("just-corpus")}
            | corpus.justfiles(seed)
            | {".pre-commit-config.yaml": corpus.precommit_config(seed)},
        ),
        "python-mlflow": (
            sizes.python_files,
            pytree.python_tree(pytree.TreeSpec(files=sizes.python_files, seed=seed))[0],
        ),
        "python-plain": (sizes.plain_files, pytree.python_tree(plain)[0]),
    }
    out = Corpora({}, {})
    for name, (count, files) in trees.items():
        path = root / f"{name}-{count}-seed{seed}"
        written = corpus.write_tree(path, files)
        out.paths[name] = path
        out.sizes[name] = size = corpus.describe(files)
        say(
            f"  corpus {path.name}: {size['files']} files, {size['bytes'] / 1e6:.2f} MB"
            + (" (written)" if written else " (reused)")
        )
    return out


# -- helpers ---------------------------------------------------------------------------------


def py(env: Environment, label: str, code: str, args: Iterable[str], cwd: Path) -> Command:
    """A floor: the repo's interpreter running ``code`` (one process)."""
    return Command(label, [[str(env.repo_python), "-c", code, *args]], cwd, ok_codes=frozenset({0}))


def ours(env: Environment, args: Iterable[str], cwd: Path, label: str = "mlops-hooks") -> Command:
    return Command(label, [[str(env.mlops_hooks), "check", *args]], cwd, ok_codes=frozenset({0, 1}))


def anchor(
    env: Environment,
    name: str,
    args: Iterable[str],
    cwd: Path,
    label: str | None = None,
    *,
    ok_codes: frozenset[int] = frozenset({0, 1}),
    run_env: dict[str, str] | None = None,
) -> Command:
    """An anchor from the bench venv; reported as unavailable when it did not install."""
    command = Command(label or name, [[str(env.anchor(name)), *args]], cwd, ok_codes, run_env)
    if name in env.missing:
        command.unavailable = f"{name} not installed: {env.missing[name]}"
    return command


def zizmor(env: Environment, files: list[str], cwd: Path) -> Command:
    """zizmor without network (its online audits need a GitHub token and time)."""
    return anchor(
        env, "zizmor", ["--offline", *files], cwd, "zizmor --offline", ok_codes=ZIZMOR_CODES
    )


def ruff_e9(env: Environment, cwd: Path) -> Command:
    """ruff's parse-error rules only, no cache, no configuration: the Python parsing ceiling."""
    args = ["check", "--isolated", "--no-cache", "--select", "E9", "--quiet", "."]
    return anchor(env, "ruff", args, cwd, "ruff --select E9")


def github_workflows_schema(env: Environment, files: list[str], cwd: Path) -> Command:
    """check-jsonschema with its vendored workflow schema: the `check-github-workflows` hook."""
    return anchor(
        env,
        "check-jsonschema",
        ["--builtin-schema", "vendor.github-workflows", *files],
        cwd,
        "check-jsonschema (github-workflows)",
    )


def fixit_command(env: Environment, cwd: Path, warm_file: str) -> Command:
    """Fixit with the one trivial rule of ``benchmarks/fixit`` over ``cwd``; our own config
    file, so no configuration or local rule of the measured repository is loaded."""
    args = [
        "--config-file",
        str(BENCH / "fixit" / "fixit.toml"),
        "--rules",
        "bench_rules:ModelUriLiteral",
        "lint",
    ]
    command = anchor(
        env,
        "fixit",
        [*args, "."],
        cwd,
        "fixit (one LibCST rule)",
        run_env=bench_env() | {"PYTHONPATH": str(BENCH / "fixit")},
    )
    # Warm up on one file: loads Fixit's imports and bytecode without a minute-long run.
    command.warmup = [[str(env.anchor("fixit")), *args, warm_file]]
    command.timeout = FIXIT_TIMEOUT
    return command


@dataclass
class Kinds:
    """The kinds the build under test has rules for, or why they could not be listed."""

    names: set[str]
    error: str = ""


def available_kinds(env: Environment) -> Kinds:
    """The kinds the mlops-hooks build under test has rules for (others land later)."""
    try:
        done = subprocess.run(
            [str(env.mlops_hooks), "rules", "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if done.returncode:
            lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
            return Kinds(set(), f"`mlops-hooks rules` failed: {lines[0]}")
        return Kinds({row["kind"] for row in json.loads(done.stdout)})
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
        return Kinds(set(), f"`mlops-hooks rules` failed: {exc}")


def hook_manifest(env: Environment) -> list[dict[str, object]]:
    """The hooks of ``.pre-commit-hooks.yaml`` as generated by the build under test."""
    code = (
        "import json, sys, yaml\n"
        "from mlops_hooks.hooks import render_manifest\n"
        "json.dump(yaml.safe_load(render_manifest()), sys.stdout)"
    )
    try:
        out = subprocess.run(
            [str(env.repo_python), "-c", code],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        hooks = json.loads(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        return []
    return [h for h in hooks if isinstance(h, dict)]


def kind_gate(command: Command, kind: str, kinds: Kinds) -> Command:
    """Mark ``command`` unavailable when the build under test cannot check ``kind``."""
    if kinds.error:
        command.unavailable = kinds.error
    elif kind not in kinds.names:
        command.unavailable = f"no `{kind}` checker in this build of mlops-hooks yet"
    return command


def _files(root: Path, pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts and rx.search(p.relative_to(root).as_posix())
    )


DOCKERFILE_RX = r"(^|/)(?i:dockerfile|containerfile)(\.[^/]*)?$|\.(?i:dockerfile|containerfile)$"
WORKFLOW_RX = r"^\.github/workflows/[^/]+\.ya?ml$"
PYTHON_RX = r"\.py$"


# -- the generated cases -----------------------------------------------------------------------


def generated_cases(env: Environment, corpora: Corpora, sizes: Sizes) -> list[Case]:
    """The cases matching the issue's targets, on the generated corpora."""
    kinds = available_kinds(env)
    cases: list[Case] = []
    rs, rl = sizes.rounds_small, sizes.rounds_large

    d = corpora.path("dockerfiles")
    dfiles = _files(d, DOCKERFILE_RX)
    cases.append(
        Case(
            "dockerfile-1",
            "One Dockerfile",
            "dockerfiles",
            kind_gate(ours(env, ["--kind", "dockerfile", "Dockerfile"], d), "dockerfile", kinds),
            [
                py(env, "bare parse process", FLOOR_DOCKERFILE, ["Dockerfile"], d),
                anchor(env, "hadolint", ["Dockerfile"], d),
                py(env, "python -c pass", FLOOR_PASS, [], d),
            ],
            short="1 Dockerfile",
            rounds=rs,
            targets=[
                Target("<= 2x the bare parse process", "bare parse process", max_ratio=2.0),
                Target("faster than hadolint", "hadolint", max_ratio=1.0),
            ],
        )
    )
    cases.append(
        Case(
            f"dockerfile-{len(dfiles)}",
            f"{len(dfiles)} Dockerfiles",
            "dockerfiles",
            kind_gate(ours(env, ["--kind", "dockerfile", *dfiles], d), "dockerfile", kinds),
            [
                anchor(env, "hadolint", dfiles, d),
                py(env, "bare parse process", FLOOR_DOCKERFILE, dfiles, d),
            ],
            short=f"{len(dfiles)} Dockerfiles",
            rounds=rl,
            targets=[Target(">= 20x faster than hadolint", "hadolint", max_ratio=1 / 20)],
        )
    )

    w = corpora.path("workflows")
    wfiles = _files(w, WORKFLOW_RX)
    ci = ".github/workflows/ci.yml"
    cases.append(
        Case(
            "workflow-1",
            "One workflow",
            "workflows",
            kind_gate(ours(env, ["--kind", "workflow", ci], w), "workflow", kinds),
            [
                py(env, "bare yaml.compose process", FLOOR_COMPOSE, [ci], w),
                zizmor(env, [ci], w),
                py(env, "python -c pass", FLOOR_PASS, [], w),
            ],
            short="1 workflow",
            rounds=rs,
            targets=[
                Target("<= 1.2x the bare yaml.compose process", "bare yaml.compose process", 1.2),
                Target("faster than zizmor --offline", "zizmor --offline", max_ratio=1.0),
            ],
        )
    )
    cases.append(
        Case(
            f"workflow-{len(wfiles)}",
            f"{len(wfiles)} workflows",
            "workflows",
            kind_gate(ours(env, ["--kind", "workflow", *wfiles], w), "workflow", kinds),
            [
                zizmor(env, wfiles, w),
                github_workflows_schema(env, wfiles, w),
                py(env, "bare yaml.compose process", FLOOR_COMPOSE, wfiles, w),
            ],
            short=f"{len(wfiles)} workflows",
            rounds=rl,
            targets=[
                Target("no slower than zizmor --offline", "zizmor --offline", max_ratio=1.0),
                Target(
                    ">= 5x faster than check-jsonschema",
                    "check-jsonschema (github-workflows)",
                    max_ratio=1 / 5,
                ),
            ],
        )
    )

    m = corpora.path("python-mlflow")
    n_m = corpora.sizes["python-mlflow"]["files"] - 1  # minus pyproject.toml
    cases.append(
        Case(
            "python-mlflow-ruff",
            f"MLflow-heavy Python tree ({n_m} files) vs ruff",
            "python-mlflow",
            kind_gate(ours(env, ["--kind", "python", "."], m), "python", kinds),
            [
                ruff_e9(env, m),
                py(env, "read every file", FLOOR_READ, [], m),
            ],
            short=f"MLflow tree ({n_m} files)",
            rounds=rl,
            targets=[Target("<= 5x ruff's parse-only run", "ruff --select E9", 5.0)],
        )
    )
    fixit = fixit_command(env, m, next(iter(_files(m, PYTHON_RX)), "."))
    cases.append(
        Case(
            "python-mlflow-fixit",
            f"MLflow-heavy Python tree ({n_m} files) vs Fixit",
            "python-mlflow",
            kind_gate(ours(env, ["--kind", "python", "."], m), "python", kinds),
            [fixit],
            short=f"MLflow tree ({n_m} files)",
            rounds=sizes.rounds_fixit,
            targets=[Target(">= 25x faster than Fixit (one rule)", fixit.label, 1 / 25)],
            note="Fixit takes minutes on this tree, so it runs once (after a warm-up on one "
            "file that loads its imports and bytecode); mlops-hooks runs in the same round.",
        )
    )
    p = corpora.path("python-plain")
    n_p = corpora.sizes["python-plain"]["files"] - 1
    cases.append(
        Case(
            "python-plain",
            f"Python tree without MLflow ({n_p} files)",
            "python-plain",
            kind_gate(ours(env, ["--kind", "python", "."], p), "python", kinds),
            [
                ruff_e9(env, p),
                py(env, "read every file", FLOOR_READ, [], p),
            ],
            short=f"plain Python tree ({n_p} files)",
            rounds=rl,
            targets=[Target("within 1.5x of ruff's parse-only run", "ruff --select E9", 1.5)],
        )
    )

    j = corpora.path("justfiles")
    just = str(env.repo_python.parent / "just")
    cases.append(
        Case(
            "justfile-1",
            "One justfile with its tasks/*.just modules (no target)",
            "justfiles",
            kind_gate(ours(env, ["--kind", "justfile", "justfile"], j), "justfile", kinds),
            [
                Command(
                    "bare just --dump process",
                    [[just, "--justfile", "justfile", "--dump", "--dump-format", "json"]],
                    j,
                    ok_codes=frozenset({0}),
                ),
                py(env, "python -c pass", FLOOR_PASS, [], j),
            ],
            short="1 justfile + modules",
            rounds=rs,
        )
    )
    cases.append(
        Case(
            "precommit-1",
            "One .pre-commit-config.yaml (no target)",
            "justfiles",
            kind_gate(
                ours(env, ["--kind", "precommit", ".pre-commit-config.yaml"], j), "precommit", kinds
            ),
            [
                py(env, "bare yaml.compose process", FLOOR_COMPOSE, [".pre-commit-config.yaml"], j),
                py(env, "python -c pass", FLOOR_PASS, [], j),
            ],
            short="1 pre-commit config",
            rounds=rs,
        )
    )
    cases.append(_cold_start_case(env, d, kinds, rs))
    for case in cases:
        for command in case.commands:
            if command.env is None:
                command.env = bench_env()
    return cases


def _cold_start_case(env: Environment, d: Path, kinds: Kinds, rounds: int) -> Case:
    """One Dockerfile with no usable .pyc: what the first run after an install costs."""
    empty = WORK / "empty-pycache"
    empty.mkdir(parents=True, exist_ok=True)
    cold = bench_env() | {"PYTHONPYCACHEPREFIX": str(empty), "PYTHONDONTWRITEBYTECODE": "1"}
    subject = kind_gate(ours(env, ["--kind", "dockerfile", "Dockerfile"], d), "dockerfile", kinds)
    floor = py(env, "bare parse process", FLOOR_DOCKERFILE, ["Dockerfile"], d)
    subject.env = floor.env = cold
    return Case(
        "dockerfile-1-no-pyc",
        "One Dockerfile without .pyc files (no target)",
        "dockerfiles",
        subject,
        [floor],
        short="1 Dockerfile, no .pyc",
        rounds=rounds,
        note="PYTHONPYCACHEPREFIX points at an empty directory and PYTHONDONTWRITEBYTECODE=1, so "
        "every module (ours, the libraries', the non-frozen stdlib) is compiled from source on "
        "each run: the first run after `uv pip install` without --compile-bytecode.",
    )
