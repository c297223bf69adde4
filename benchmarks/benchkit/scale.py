"""Large generated inputs: one file of each kind at about 1 MB and 10 MB, and MLflow modules.

Time and memory must grow linearly with the size of a file: the 10 MB file of a kind should
take about ten times the 1 MB file's time, and memory a small multiple of the file's size.
Each file repeats realistic units (stages, recipes, jobs, hooks, calls) with distinct names,
so no cache or deduplication makes the large file cheaper than its size.
"""

from __future__ import annotations

from pathlib import Path

from . import corpus, pytree
from .cases import (
    FLOOR_AST,
    FLOOR_COMPOSE,
    FLOOR_DOCKERFILE,
    FLOOR_PASS,
    available_kinds,
    bench_env,
    kind_gate,
    ours,
    py,
    ruff_e9,
)
from .env import WORK, Environment
from .measure import Case, Command, Target

MB = 1_000_000
#: Relative paths of the generated files of each kind (the checker routes them by name).
PATHS = {
    "dockerfile": "Dockerfile",
    "justfile": "justfile",
    "workflow": ".github/workflows/big.yml",
    "precommit": ".pre-commit-config.yaml",
    "python": "dense.py",
}


def _grow(head: str, unit: object, size: int) -> str:
    parts = [head]
    length = len(head)
    i = 0
    while length < size:
        part = unit(i)  # type: ignore[operator]
        parts.append(part)
        length += len(part)
        i += 1
    return "".join(parts)


def dockerfile(size: int, seed: int = 0) -> str:
    """Multi-stage builds, one after the other, each stage named apart."""
    r = corpus.rng_for(seed, f"scale-dockerfile-{size}")

    def stage(i: int) -> str:
        return (
            f"FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS build{i}\n"
            "WORKDIR /app\n"
            "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
            "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
            "    uv sync --locked --no-install-project --no-dev\n"
            f"COPY src/pkg{i} /app/src/pkg{i}\n"
            f"RUN uv sync --locked --no-dev && echo built-{i}-{r.randint(0, 9999)}\n"
            f"ENV STAGE_{i}=1\n\n"
        )

    return _grow("# syntax=docker/dockerfile:1.7\n", stage, size)


def justfile(size: int, seed: int = 0) -> str:
    """Recipes with dependencies and a few commands each."""
    r = corpus.rng_for(seed, f"scale-justfile-{size}")

    def recipe(i: int) -> str:
        deps = f" task{i - 1}" if i else ""
        return (
            f"# task number {i}\n[group('g{i % 7}')]\ntask{i} *args:{deps}\n"
            f"    uv run python -m pkg.step{i} {{{{ args }}}}\n"
            f"    echo done-{i}-{r.randint(0, 9999)}\n\n"
        )

    return _grow('set shell := ["bash", "-euo", "pipefail", "-c"]\n\n', recipe, size)


def workflow(size: int, seed: int = 0) -> str:
    """One workflow with many jobs of setup and run steps."""
    r = corpus.rng_for(seed, f"scale-workflow-{size}")
    head = (
        "name: big\non:\n  push:\n    branches: [main]\n"
        "concurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n"
        "  cancel-in-progress: true\npermissions:\n  contents: read\njobs:\n"
    )

    def job(i: int) -> str:
        return (
            f"  job{i}:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n"
            "      - uses: actions/checkout@v4\n"
            "      - uses: astral-sh/setup-uv@v5\n"
            f"      - name: step {i}\n        run: uv run python -m pkg.job{i} --seed "
            f"{r.randint(0, 9999)}\n"
        )

    return _grow(head, job, size)


def precommit(size: int, seed: int = 0) -> str:
    """Many local hooks."""
    r = corpus.rng_for(seed, f"scale-precommit-{size}")
    head = "repos:\n  - repo: local\n    hooks:\n"

    def hook(i: int) -> str:
        return (
            f"      - id: hook{i}\n        name: hook {i}\n"
            f"        entry: uv run python -m pkg.hook{i} --level {r.randint(0, 9)}\n"
            "        language: system\n        types: [python]\n"
        )

    return _grow(head, hook, size)


def dense_python(calls: int, seed: int = 0) -> str:
    """A module of ``calls`` conforming ``load_model`` calls by alias (about 68 bytes each)."""
    r = corpus.rng_for(seed, f"scale-python-{calls}")
    names = pytree.PACKAGES
    lines = ["import mlflow\n\n"]
    lines += [
        f'model_{i} = mlflow.pyfunc.load_model("models:/{r.choice(names)}_{i % 97}'
        f'@{r.choice(("champion", "challenger"))}")\n'
        for i in range(calls)
    ]
    return "".join(lines)


def python_pair(seed: int = 0, size: int = 7000) -> tuple[str, str]:
    """A real-shaped module without MLflow, and the same module loading a model by alias."""
    r = corpus.rng_for(seed, "scale-python-pair")
    plain = pytree.python_file(r, "plain", size)
    loads = (
        "import mlflow\n\n"
        'MODEL = mlflow.pyfunc.load_model("models:/bikes@champion")\n\n'
        "logger = logging.getLogger(__name__)\n"
    )
    conforming = plain.replace("logger = logging.getLogger(__name__)\n", loads, 1)
    assert conforming != plain
    return plain, conforming


def scale_files(size: int, seed: int = 0) -> corpus.Files:
    """One file of each kind of about ``size`` bytes (Python: the dense module)."""
    return {
        PATHS["dockerfile"]: dockerfile(size, seed),
        PATHS["justfile"]: justfile(size, seed),
        PATHS["workflow"]: workflow(size, seed),
        PATHS["precommit"]: precommit(size, seed),
        PATHS["python"]: dense_python(size // 68, seed),
    }


# -- the cases ------------------------------------------------------------------------------------

#: The kinds with a large-file case, and how each is checked.
KINDS = ("dockerfile", "justfile", "workflow", "precommit", "python")
#: just refuses justfiles above 1 MB (JST000, a resource limit): its sizes stay below that.
JUST_LIMIT = 950_000
#: Peak memory allowed per byte of input, on top of the process's own start-up footprint.
MEMORY_FACTOR = 30


def write_corpora(small: int, large: int, seed: int) -> dict[str, Path]:
    """The large-input trees (each a git repository with a pyproject.toml)."""
    root = WORK / "corpus"
    out: dict[str, Path] = {}
    for label, size in (("small", small), ("large", large)):
        files = {"pyproject.toml": corpus.pyproject("scale-corpus")} | scale_files(size, seed)
        files[PATHS["justfile"]] = justfile(
            min(size, JUST_LIMIT) if label == "large" else min(size, JUST_LIMIT // 10), seed
        )
        path = root / f"scale-{size}-seed{seed}"
        corpus.write_tree(path, files)
        out[label] = path
    plain, conforming = python_pair(seed)
    pair = root / f"mlflow-pair-seed{seed}"
    corpus.write_tree(
        pair,
        {"pyproject.toml": corpus.pyproject("pair"), "plain.py": plain, "loads.py": conforming},
    )
    out["pair"] = pair
    return out


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.2g} MB"


#: The official parser of each kind, run alone on the same file.
_PARSERS = {
    "dockerfile": ("dockerfile.parse_file alone", FLOOR_DOCKERFILE),
    "workflow": ("yaml.compose alone (CSafeLoader)", FLOOR_COMPOSE),
    "precommit": ("yaml.compose alone (CSafeLoader)", FLOOR_COMPOSE),
    "python": ("ast.parse alone", FLOOR_AST),
}


def _parser_alone(env: Environment, kind: str, path: str, cwd: Path) -> Command:
    if kind == "justfile":
        just = str(env.repo_python.parent / "just")
        argv = [just, "--justfile", path, "--dump", "--dump-format", "json"]
        return Command("just --dump alone", [argv], cwd, ok_codes=frozenset({0}))
    label, code = _PARSERS[kind]
    return py(env, label, code, [path], cwd)


def scale_cases(env: Environment, small: int, large: int, seed: int, rounds: int) -> list[Case]:
    """One conforming MLflow module, the dense module against ruff, and each kind's small
    and large file side by side (time ratio and peak memory)."""
    trees = write_corpora(small, large, seed)
    kinds = available_kinds(env)
    pair, s, big = trees["pair"], trees["small"], trees["large"]
    cases = [
        Case(
            "python-conforming-1",
            "One conforming MLflow module vs the same module without MLflow",
            "mlflow-pair",
            kind_gate(ours(env, ["--kind", "python", "loads.py"], pair), "python", kinds),
            [
                kind_gate(
                    ours(env, ["--kind", "python", "plain.py"], pair, "module without MLflow"),
                    "python",
                    kinds,
                ),
                py(env, "python -c pass", FLOOR_PASS, [], pair),
            ],
            short="1 conforming MLflow module",
            rounds=rounds,
            targets=[Target("<= 1.5x a module without MLflow", "module without MLflow", 1.5)],
            note="The same 7 KB module twice: once as is, once loading a model by alias "
            '(`mlflow.pyfunc.load_model("models:/bikes@champion")`).',
        )
    ]
    dense = PATHS["python"]
    cases.append(
        Case(
            "python-dense",
            f"A dense conforming module ({_mb(s / dense)}, one load_model call per line)",
            "scale",
            kind_gate(ours(env, ["--kind", "python", dense], s), "python", kinds),
            [
                ruff_e9(env, s),
                py(env, "bare ast.parse process", FLOOR_AST, [dense], s),
            ],
            short="dense MLflow module",
            rounds=rounds,
            targets=[
                Target("<= 50x ruff's parse-only run", "ruff --select E9", 50.0),
                Target("peak memory <= 200 MiB", "", max_peak_mib=200.0),
            ],
        )
    )
    for kind in KINDS:
        path = PATHS[kind]
        size = (big / path).stat().st_size
        subject = kind_gate(ours(env, ["--kind", kind, path], big), kind, kinds)
        smaller = kind_gate(
            ours(env, ["--kind", kind, path], s, f"mlops-hooks on {_mb(s / path)}"), kind, kinds
        )
        growth = size / (s / path).stat().st_size
        cases.append(
            Case(
                f"scale-{kind}",
                f"One {_mb(big / path)} {kind} file vs one of {_mb(s / path)}",
                "scale",
                subject,
                [smaller, _parser_alone(env, kind, path, big)],
                short=f"{kind} {_mb(big / path)}",
                rounds=1,  # a 10 MB YAML file takes seconds; the peak run makes three
                targets=[
                    Target(
                        f"linear: <= {growth * 1.2:.0f}x the {growth:.0f}x smaller file",
                        smaller.label,
                        growth * 1.2,
                    ),
                    Target(
                        f"linear memory: peak <= {growth * 1.2:.0f}x the smaller file's peak",
                        smaller.label,
                        max_peak_ratio=growth * 1.2,
                    ),
                    Target(
                        f"peak memory <= {MEMORY_FACTOR}x the file + 64 MiB",
                        "",
                        max_peak_mib=MEMORY_FACTOR * size / 2**20 + 64,
                    ),
                ],
                note="Repeated units with distinct names (stages, recipes, jobs, hooks, "
                "calls). Time grows linearly when the ratio is at most the size ratio. "
                "The parser alone (no target) shows how much of the time and the peak "
                "memory is the official parser's own.",
            )
        )
    for case in cases:
        for command in case.commands:
            if command.env is None:
                command.env = bench_env()
    return cases
