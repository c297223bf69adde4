"""Deterministic corpus generators: Dockerfiles, workflows, justfiles, pre-commit configs.

Every generator is a pure function of its arguments and a seed: it returns ``{relpath: text}``
and never touches the disk, so the smoke tests can check it and two runs on two machines
benchmark the same bytes. :func:`write_tree` puts a generated tree on disk (only when its
content changed) as its own git repository, which is how a user's project looks to every tool:
the engine and ruff list files with git, and pre-commit needs a repository.

The Python tree generator lives in :mod:`benchkit.pytree`.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
from pathlib import Path

Files = dict[str, str]

PYTHON_VERSIONS = ("3.10", "3.11", "3.12", "3.13")
SERVICES = (
    "api",
    "trainer",
    "serving",
    "batch-scoring",
    "feature-store",
    "monitoring",
    "notebook",
    "etl",
    "evaluation",
    "gateway",
    "embedding",
    "retrain",
)
PACKAGES = ("churn", "fraud", "ranking", "forecast", "recsys", "vision", "nlp", "pricing")


def rng_for(seed: int, name: str) -> random.Random:
    """A generator for one corpus: the same (seed, name) always yields the same sequence."""
    return random.Random(f"{seed}:{name}")  # noqa: S311 - benchmark data, not security


def digest(files: Files) -> str:
    """A stable hash of a generated tree (paths and contents)."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode())
        h.update(b"\0")
        h.update(files[path].encode())
        h.update(b"\0")
    return h.hexdigest()


# -- Dockerfiles ----------------------------------------------------------------------------


def _uv_multistage(r: random.Random, pkg: str, py: str) -> str:
    port = r.choice((8000, 8080, 5000, 9000))
    uv_image = r.choice(
        (
            f"ghcr.io/astral-sh/uv:python{py}-bookworm-slim",
            f"ghcr.io/astral-sh/uv:0.{r.randint(4, 9)}.{r.randint(0, 20)}-python{py}-bookworm",
        )
    )
    # Some files make the classic mistake (source before the dependency layer) so rules fire.
    early_copy = r.random() < 0.25
    lines = [
        "# syntax=docker/dockerfile:1.7",
        f"ARG PYTHON_VERSION={py}",
        "",
        "# ---- build: resolve the locked dependencies first, then the project ----",
        f"FROM {uv_image} AS builder",
        "ENV UV_COMPILE_BYTECODE=1 \\",
        "    UV_LINK_MODE=copy \\",
        "    UV_PYTHON_DOWNLOADS=0",
        "WORKDIR /app",
    ]
    if early_copy:
        lines += ["COPY . /app", "RUN uv sync --locked --no-dev"]
    else:
        lines += [
            "RUN --mount=type=cache,target=/root/.cache/uv \\",
            "    --mount=type=bind,source=uv.lock,target=uv.lock \\",
            "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\",
            "    uv sync --locked --no-install-project --no-dev",
            "COPY . /app",
            "RUN --mount=type=cache,target=/root/.cache/uv \\",
            "    uv sync --locked --no-dev",
        ]
    lines += [
        "",
        "# ---- runtime: no uv, no compilers, an unprivileged user ----",
        f"FROM python:{py}-slim-bookworm AS runtime",
        f'LABEL org.opencontainers.image.title="{pkg}" \\',
        '      org.opencontainers.image.source="https://example.org/ml/' + pkg + '"',
        "RUN groupadd --system app && useradd --system --gid app --home /app app",
        "COPY --from=builder --chown=app:app /app /app",
        'ENV PATH="/app/.venv/bin:$PATH" \\',
        "    PYTHONUNBUFFERED=1",
        "USER app",
        "WORKDIR /app",
        f"EXPOSE {port}",
    ]
    if r.random() < 0.6:
        lines.append(
            "HEALTHCHECK --interval=30s --timeout=3s --retries=3 \\\n"
            f'    CMD ["python", "-c", "import urllib.request; '
            f"urllib.request.urlopen('http://localhost:{port}/health')\"]"
        )
    lines.append(f'CMD ["uvicorn", "{pkg}.api:app", "--host", "0.0.0.0", "--port", "{port}"]')
    return "\n".join(lines) + "\n"


def _uv_wheel(r: random.Random, pkg: str, py: str) -> str:
    uv_tag = f"0.{r.randint(5, 9)}.{r.randint(0, 25)}"
    return (
        f"""# Build a wheel in one stage, install only the wheel in the runtime image.
FROM python:{py}-slim AS build
COPY --from=ghcr.io/astral-sh/uv:{uv_tag} /uv /uvx /bin/
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-install-project --no-editable
COPY src ./src
RUN uv build --wheel --out-dir /dist

FROM python:{py}-slim
COPY --from=ghcr.io/astral-sh/uv:{uv_tag} /uv /bin/uv
COPY --from=build /dist/*.whl /tmp/
RUN uv pip install --system --no-cache /tmp/*.whl && rm /tmp/*.whl
ENV MLFLOW_TRACKING_URI=http://mlflow:5000
"""
        + ("USER nobody\n" if r.random() < 0.7 else "")
        + f'ENTRYPOINT ["python", "-m", "{pkg}.serve"]\n'
    )


def _pip_classic(r: random.Random, pkg: str, py: str) -> str:
    tag = r.choice((py, f"{py}-slim", "latest", f"{py}-bullseye"))
    extra = "\n".join(
        f"RUN pip install --no-cache-dir {name}"
        for name in r.sample(("mlflow", "boto3", "psycopg2-binary", "gunicorn", "shap"), 2)
    )
    return f"""FROM python:{tag}
WORKDIR /code
# Everything in one layer: any source change reinstalls every dependency.
COPY . .
RUN pip install --upgrade pip && pip install -r requirements.txt
{extra}
ENV PYTHONDONTWRITEBYTECODE=1
CMD python -m {pkg}.train --epochs {r.randint(1, 50)}
"""


def _heredoc(r: random.Random, pkg: str, py: str) -> str:
    apt = " ".join(r.sample(("build-essential", "curl", "git", "libgomp1", "ca-certificates"), 3))
    return f"""# syntax=docker/dockerfile:1
FROM python:{py}-slim-bookworm AS base
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends {apt}
rm -rf /var/lib/apt/lists/*
EOF

COPY <<EOF /etc/{pkg}/config.toml
[server]
port = {r.randint(7000, 9000)}
workers = {r.randint(1, 8)}
EOF

FROM base AS app
COPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/uv
WORKDIR /srv
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-install-project
COPY src/ ./src/
RUN <<-SCRIPT bash
	set -euo pipefail
	uv sync --frozen
	uv run python -c "import {pkg}"
SCRIPT
CMD ["uv", "run", "--no-sync", "python", "-m", "{pkg}"]
"""  # noqa: S608 - a Dockerfile's FROM, not SQL


def _gpu(r: random.Random, pkg: str, py: str) -> str:
    cuda = r.choice(("12.4.1", "12.2.2", "11.8.0"))
    return f"""ARG CUDA={cuda}
FROM nvidia/cuda:${{CUDA}}-cudnn-runtime-ubuntu22.04
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 python3-venv git \\
 && rm -rf /var/lib/apt/lists/*
COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /uvx /bin/
ENV UV_PYTHON=python{py} \\
    UV_PROJECT_ENVIRONMENT=/opt/venv \\
    PATH=/opt/venv/bin:$PATH
WORKDIR /workspace
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-install-project --extra gpu
COPY configs configs
COPY src src
RUN uv sync --locked --extra gpu
VOLUME ["/workspace/data", "/workspace/mlruns"]
ENTRYPOINT ["python", "-m", "{pkg}.train"]
CMD ["--config", "configs/{r.choice(("base", "large", "sweep"))}.yaml"]
"""


DOCKERFILE_STYLES = (_uv_multistage, _uv_multistage, _uv_wheel, _pip_classic, _heredoc, _gpu)


def dockerfile_path(index: int, r: random.Random) -> str:
    """Where the ``index``-th Dockerfile lives (every pattern the checker routes)."""
    if index == 0:
        return "Dockerfile"
    service = f"{r.choice(SERVICES)}-{index:03d}"
    layout = r.randrange(4)
    if layout == 0:
        return f"services/{service}/Dockerfile"
    if layout == 1:
        return f"docker/{service}.Dockerfile"
    if layout == 2:
        return f"deploy/{service}/Dockerfile.{r.choice(('prod', 'dev', 'gpu'))}"
    return f"images/{service}/Containerfile"


def dockerfiles(count: int, seed: int = 0) -> Files:
    """``count`` varied Dockerfiles; ``Dockerfile`` at the root is always a uv multi-stage."""
    r = rng_for(seed, "dockerfile")
    files: Files = {}
    for index in range(count):
        pkg = r.choice(PACKAGES)
        py = r.choice(PYTHON_VERSIONS)
        style = _uv_multistage if index == 0 else r.choice(DOCKERFILE_STYLES)
        path = dockerfile_path(index, r)
        while path in files:
            path = dockerfile_path(index, r)
        files[path] = style(r, pkg, py)
    return files


# -- GitHub Actions workflows ---------------------------------------------------------------


def _uses(r: random.Random, action: str, tag: str) -> str:
    """An action reference, pinned by SHA about half of the time."""
    if r.random() < 0.5:
        sha = "".join(r.choice("0123456789abcdef") for _ in range(40))
        return f"{action}@{sha} # {tag}"
    return f"{action}@{tag}"


def _setup_steps(r: random.Random, py: str) -> str:
    return f"""      - uses: {_uses(r, "actions/checkout", "v4")}
      - uses: {_uses(r, "astral-sh/setup-uv", r.choice(("v3", "v4", "v5")))}
        with:
          enable-cache: true
          python-version: "{py}"
      - run: uv sync --locked --all-extras --dev
"""


def _ci_workflow(r: random.Random, name: str) -> str:
    pys = sorted(r.sample(PYTHON_VERSIONS, r.randint(1, 3)))
    oses = r.sample(("ubuntu-latest", "macos-latest", "windows-latest"), r.randint(1, 2))
    concurrency = (
        """concurrency:
  group: ${{ github.workflow }}-${{ github.ref }}
  cancel-in-progress: true
"""
        if r.random() < 0.7
        else ""
    )
    extra = "".join(
        f"      - name: {step}\n        run: uv run just {step}\n"
        for step in r.sample(("check-code", "check-type", "check-security", "check-format"), 2)
    )
    return f"""name: {name}

on:
  push:
    branches: [main]
  pull_request:
    branches: [main]
    paths-ignore:
      - "docs/**"
      - "*.md"

{concurrency}permissions:
  contents: read

env:
  UV_FROZEN: "1"
  FORCE_COLOR: "1"

jobs:
  lint:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
{_setup_steps(r, pys[-1])}{extra}
  test:
    needs: lint
    runs-on: ${{{{ matrix.os }}}}
    strategy:
      fail-fast: false
      matrix:
        os: [{", ".join(oses)}]
        python-version: [{", ".join(f'"{p}"' for p in pys)}]
    steps:
{_setup_steps(r, "${{ matrix.python-version }}")}      - name: Run the tests
        run: |
          uv run pytest -n auto --cov --cov-report=xml \\
            --junitxml=reports/junit-${{{{ matrix.os }}}}-${{{{ matrix.python-version }}}}.xml
      - uses: {_uses(r, "actions/upload-artifact", "v4")}
        if: always()
        with:
          name: reports-${{{{ matrix.os }}}}-${{{{ matrix.python-version }}}}
          path: reports/
"""


def _release_workflow(r: random.Random, name: str) -> str:
    cancel = "true" if r.random() < 0.3 else "false"
    return f"""name: {name}
on:
  push:
    tags: ["v*.*.*"]
  workflow_dispatch:

concurrency:
  group: release-${{{{ github.ref }}}}
  cancel-in-progress: {cancel}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
{_setup_steps(r, r.choice(PYTHON_VERSIONS))}      - run: uv build
      - uses: {_uses(r, "actions/upload-artifact", "v4")}
        with:
          name: dist
          path: dist/
  publish:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: pypi
      url: https://pypi.org/p/${{{{ github.event.repository.name }}}}
    permissions:
      id-token: write
      contents: write
    steps:
      - uses: {_uses(r, "actions/download-artifact", "v4")}
        with:
          name: dist
          path: dist/
      - uses: {_uses(r, "pypa/gh-action-pypi-publish", "release/v1")}
      - name: GitHub release
        env:
          GH_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
        run: gh release create "${{{{ github.ref_name }}}}" dist/* --generate-notes
"""


def _docker_workflow(r: random.Random, name: str) -> str:
    image = r.choice(SERVICES)
    return f"""name: {name}
on:
  push:
    branches: [main]
    tags: ["v*"]
  pull_request:
permissions:
  contents: read
  packages: write
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: {_uses(r, "actions/checkout", "v4")}
      - uses: {_uses(r, "docker/setup-buildx-action", "v3")}
      - uses: {_uses(r, "docker/login-action", "v3")}
        if: github.event_name != 'pull_request'
        with:
          registry: ghcr.io
          username: ${{{{ github.actor }}}}
          password: ${{{{ secrets.GITHUB_TOKEN }}}}
      - id: meta
        uses: {_uses(r, "docker/metadata-action", "v5")}
        with:
          images: ghcr.io/${{{{ github.repository }}}}/{image}
          tags: |
            type=ref,event=branch
            type=semver,pattern={{{{version}}}}
            type=sha
      - uses: {_uses(r, "docker/build-push-action", "v6")}
        with:
          context: .
          file: services/{image}/Dockerfile
          push: ${{{{ github.event_name != 'pull_request' }}}}
          tags: ${{{{ steps.meta.outputs.tags }}}}
          labels: ${{{{ steps.meta.outputs.labels }}}}
          cache-from: type=gha
          cache-to: type=gha,mode=max
"""


def _retrain_workflow(r: random.Random, name: str) -> str:
    model = r.choice(PACKAGES)
    hour = r.randint(0, 23)
    return f"""name: {name}
on:
  schedule:
    - cron: "{r.randint(0, 59)} {hour} * * {r.randint(0, 6)}"
  workflow_dispatch:
    inputs:
      model:
        description: Registered model to retrain
        required: true
        default: {model}
      alias:
        description: Alias to move when the candidate wins
        type: choice
        options: [challenger, champion]
        default: challenger
concurrency:
  group: retrain-{model}
  cancel-in-progress: false
jobs:
  retrain:
    runs-on: [self-hosted, gpu]
    timeout-minutes: {r.choice((60, 120, 360))}
    env:
      MLFLOW_TRACKING_URI: ${{{{ secrets.MLFLOW_TRACKING_URI }}}}
      MLFLOW_TRACKING_TOKEN: ${{{{ secrets.MLFLOW_TRACKING_TOKEN }}}}
    steps:
{_setup_steps(r, r.choice(PYTHON_VERSIONS))}      - name: Train and register
        run: |
          uv run python -m {model}.train \\
            --experiment "{model}-nightly" \\
            --register-as "{model}"
      - name: Promote
        if: ${{{{ success() && inputs.alias == 'champion' }}}}
        run: uv run python -m {model}.promote --alias champion
"""


def _reusable_workflow(r: random.Random, name: str) -> str:
    return f"""name: {name}
on:
  workflow_call:
    inputs:
      python-version:
        type: string
        default: "{r.choice(PYTHON_VERSIONS)}"
      working-directory:
        type: string
        default: .
    secrets:
      codecov-token:
        required: false
jobs:
  test:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ${{{{ inputs.working-directory }}}}
    steps:
{_setup_steps(r, "${{ inputs.python-version }}")}      - run: uv run pytest --cov --cov-report=xml
      - uses: {_uses(r, "codecov/codecov-action", "v5")}
        with:
          token: ${{{{ secrets.codecov-token }}}}
"""


WORKFLOW_STYLES = (
    _ci_workflow,
    _ci_workflow,
    _release_workflow,
    _docker_workflow,
    _retrain_workflow,
    _reusable_workflow,
)


def workflows(count: int, seed: int = 0) -> Files:
    """``count`` varied workflows; ``.github/workflows/ci.yml`` is always a CI workflow."""
    r = rng_for(seed, "workflow")
    files: Files = {}
    for index in range(count):
        style = _ci_workflow if index == 0 else r.choice(WORKFLOW_STYLES)
        stem = "ci" if index == 0 else f"{style.__name__.strip('_').split('_')[0]}-{index:03d}"
        ext = "yml" if index == 0 or r.random() < 0.8 else "yaml"
        files[f".github/workflows/{stem}.{ext}"] = style(r, stem.replace("-", " ").title())
    return files


# -- justfiles -------------------------------------------------------------------------------

JUST_MODULES = {
    "check": (
        ("check", "check-code check-format check-type check-test", None, "run every check"),
        ("check-code", "", "uv run ruff check src tests", "lint the code with ruff"),
        ("check-format", "", "uv run ruff format --check src tests", "check the formatting"),
        ("check-type", "", "uv run mypy src", "type-check the package"),
        ("check-test", "", "uv run pytest {{ args }}", "run the tests"),
    ),
    "install": (
        ("install", "", "uv sync --locked", "install the locked dependencies"),
        ("install-hooks", "", "uv run pre-commit install", "install the git hooks"),
    ),
    "package": (
        ("package", "", "uv build --wheel", "build the wheel"),
        ("package-lock", "", "uv lock --check", "check that the lock file is current"),
    ),
    "docker": (
        ("docker-build", "", "docker build --tag {{ image }} .", "build the image"),
        ("docker-run", "docker-build", "docker run --rm -p 8000:8000 {{ image }}", "run it"),
    ),
    "mlflow": (
        ("mlflow-serve", "", "uv run mlflow server --port 5000", "start a tracking server"),
        ("mlflow-doctor", "", "uv run mlflow doctor", "print the MLflow environment"),
    ),
    "clean": (("clean", "", "rm -rf dist build .pytest_cache", "remove generated files"),),
}


def _just_recipe(r: random.Random, group: str, recipe: tuple[str, str, str | None, str]) -> str:
    name, deps, body, doc = recipe
    params = " *args" if body and "{{ args }}" in body else ""
    head = f"# {doc}\n[group('{group}')]\n{name}{params}:{(' ' + deps) if deps else ''}\n"
    if body is None:
        return head
    lines = [body] + [
        f"    echo step-{i}" for i in range(r.randint(0, 2))
    ]  # a few extra lines so recipes vary in length
    return head + "".join(f"    {line.strip()}\n" for line in lines)


def justfiles(seed: int = 0, modules: int = 5) -> Files:
    """A root justfile importing ``tasks/*.just`` modules, as the scaffold writes them."""
    r = rng_for(seed, "justfile")
    names = list(JUST_MODULES)[: max(1, min(modules, len(JUST_MODULES)))]
    root = [
        "# project tasks: `just` lists them",
        "",
        'set shell := ["bash", "-euo", "pipefail", "-c"]',
        "set dotenv-load := true",
        "",
        f'image := "ghcr.io/example/{r.choice(PACKAGES)}:dev"',
        "",
    ]
    root += [f"import 'tasks/{name}.just'" for name in names]
    root += ["", "# list the tasks", "[group('help')]", "default:", "    @just --list", ""]
    files: Files = {"justfile": "\n".join(root)}
    for name in names:
        body = [f"# {name} tasks", ""]
        body += [_just_recipe(r, name, recipe) for recipe in JUST_MODULES[name]]
        files[f"tasks/{name}.just"] = "\n".join(body)
    return files


# -- pre-commit configuration and the rest of a project ---------------------------------------


def precommit_config(seed: int = 0) -> str:
    """A ``.pre-commit-config.yaml`` as an MLOps project writes it."""
    r = rng_for(seed, "precommit")
    ruff = f"v0.{r.randint(6, 9)}.{r.randint(0, 9)}"
    return f"""default_language_version:
  python: python3.12
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: check-added-large-files
      - id: check-case-conflict
      - id: check-merge-conflict
      - id: check-toml
      - id: check-yaml
      - id: end-of-file-fixer
      - id: trailing-whitespace
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: {ruff}
    hooks:
      - id: ruff
        args: [--fix]
      - id: ruff-format
  - repo: https://github.com/PyCQA/bandit
    rev: 1.8.0
    hooks:
      - id: bandit
        args: [-c, pyproject.toml]
        additional_dependencies: ["bandit[toml]"]
  - repo: https://github.com/commitizen-tools/commitizen
    rev: v4.1.0
    hooks:
      - id: commitizen
        stages: [commit-msg]
  - repo: https://github.com/mlops-hooks/mlops-hooks
    rev: v0.1.0
    hooks:
      - id: mlops-hooks
"""


def pyproject(name: str) -> str:
    """A minimal project file; the empty ``[tool.mlops-hooks]`` table stops config discovery
    here, so the benchmark never picks up the settings of a repository around it."""
    return f"""[project]
name = "{name}"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["mlflow>=2.16", "scikit-learn>=1.5"]

[tool.mlops-hooks]
"""


# -- on disk ---------------------------------------------------------------------------------


def write_tree(root: Path, files: Files, *, commit: bool = False) -> bool:
    """Write ``files`` under ``root`` as a fresh git repository, unless it is already there.

    Returns True when the tree was (re)written. A stamp file next to the tree records the
    content hash, so a second run reuses the corpus (and the OS page cache) untouched.
    With ``commit``, everything is committed (pre-commit refuses unstaged configuration).
    """
    stamp = root.with_name(root.name + ".sha256")
    want = digest(files)
    if root.is_dir() and stamp.is_file() and stamp.read_text().strip() == want:
        return False
    if root.exists():
        shutil.rmtree(root)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    if commit:
        subprocess.run([*git, "-C", str(root), "add", "--all"], check=True)
        subprocess.run(
            [*git, "-C", str(root), "commit", "-q", "--no-verify", "-m", "corpus"], check=True
        )
    stamp.write_text(want + "\n")
    return True


def describe(files: Files) -> dict[str, int]:
    """File count and total bytes of a tree, for the results table."""
    return {
        "files": len(files),
        "bytes": sum(len(text.encode()) for text in files.values()),
    }


def save_manifest(path: Path, data: object) -> None:
    """Write a JSON side file (parameters of a generated corpus)."""
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
