"""DKR002 install-without-uv, DKR004 unlocked-sync, DKR005 uv-cache-in-layer: tricky cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.diagnostics import FixSafety
from mlops_hooks.testing import Lint, project

UV = "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"


# -- DKR002 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "span"),
    [
        ("python3 -m pip install -r requirements.txt", (2, 5, 2, 27)),
        ("/opt/venv/bin/pip install .", (2, 5, 2, 30)),
        ("bash -c 'pip3 install numpy'", (2, 14, 2, 26)),
        ("pdm sync --prod", (2, 5, 2, 13)),
        ("pip install uv && pip install -r requirements.txt", (2, 23, 2, 34)),
    ],
)
def test_installers_other_than_uv(lint: Lint, run: str, span: tuple[int, int, int, int]) -> None:
    # No uv.lock here: the option makes the rule look at a project without one.
    text = "FROM python:3.12-slim\nRUN " + run + "\n"
    options = {"DKR002": {"outside-uv-projects": True}}
    assert project(lint(text, "DKR002", options), "code", "span") == [("DKR002", span)]


def test_no_finding_in_a_project_without_uv_lock(lint: Lint) -> None:
    assert lint("FROM python:3.12-slim\nRUN pip install -r requirements.txt\n", "DKR002") == []


@pytest.mark.parametrize(
    "run",
    [
        "pip install uv",
        "pip install --no-cache-dir 'uv==0.9.0'",
        "pip install --upgrade pip setuptools wheel",  # a bootstrap (field trial F1)
        "pip install --no-deps /tmp/app-1.0-py3-none-any.whl",  # resolves nothing (F5)
        "uv pip install --system -r requirements.txt",
        "pip --version && pip freeze && pip uninstall -y x",
        "conda install -y numpy",
        "echo pip install x",
    ],
)
def test_not_installs_without_uv(lint: Lint, run: str) -> None:
    assert lint("FROM python:3.12-slim\nRUN " + run + "\n", "DKR002") == []


def test_allowed_installers(lint: Lint) -> None:
    text = "FROM python:3.12-slim\nRUN pip install -r a.txt && poetry install\n"
    options = {"DKR002": {"allowed-installers": ["pip"], "outside-uv-projects": True}}
    assert project(lint(text, "DKR002", options), "code", "span") == [("DKR002", (2, 29, 2, 43))]


# -- DKR004 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        UV + "RUN export UV_FROZEN=1 && uv sync\n",
        UV + "ENV UV_LOCKED=yes\nRUN uv sync\n",
        UV + "RUN uv sync --frozen=true\n",
        UV + "RUN uv sync --locked && uv pip install -r requirements.txt\n",
        UV + "RUN cat <<EOF > /app/build.sh\nuv sync\nEOF\n",
        UV + "RUN python3 <<EOF\nimport os\nos.system('uv sync')\nEOF\n",
    ],
)
def test_locked_or_not_a_sync(lint: Lint, text: str) -> None:
    assert lint(text, "DKR004") == []


def test_every_sync_of_a_run_is_reported_and_fixed(lint: Lint) -> None:
    text = UV + "RUN uv sync --no-install-project && \\\n    UV_LOCKED=0 uv sync\n"
    diagnostics = lint(text, "DKR004")
    assert project(diagnostics, "code", "span") == [
        ("DKR004", (2, 5, 2, 12)),
        ("DKR004", (3, 17, 3, 24)),
    ]
    assert all(d.fix is not None and d.fix.safety is FixSafety.UNSAFE for d in diagnostics)
    assert lint(text, "DKR004", fix=True) == diagnostics  # unsafe: not applied by --fix alone
    assert lint.read() == text.encode()
    assert lint(text, "DKR004", fix=True, unsafe_fixes=True) == []
    fixed = lint.read().decode()
    assert (
        fixed
        == UV
        + "RUN uv sync --locked --no-install-project && \\\n    UV_LOCKED=0 uv sync --locked\n"
    )
    assert lint.fixed(fixed, "DKR004") == fixed  # a second --fix changes nothing


def test_fix_keeps_crlf_and_bom(lint: Lint) -> None:
    raw = b"\xef\xbb\xbf" + (UV + "RUN uv \\\n  sync # comment\n").replace("\n", "\r\n").encode()
    expected = (UV + "RUN uv \\\n  sync --locked # comment\n").replace("\n", "\r\n").encode()
    assert lint.fixed(raw, "DKR004") == b"\xef\xbb\xbf" + expected


def test_quoted_sync_is_fixed_outside_the_quotes(lint: Lint) -> None:
    assert lint.fixed(UV + "RUN \"uv\" 'sync'\n", "DKR004") == UV + "RUN \"uv\" 'sync' --locked\n"


NO_LOCK = (
    "`uv sync` runs without `--locked` or `--frozen`, and the image copies `pyproject.toml`"
    " but not `uv.lock`, so every build resolves afresh; copy `uv.lock` beside it and add"
    " `--locked`"
)
MANIFEST_ONLY = UV + "WORKDIR /app\nCOPY pyproject.toml ./\n"


@pytest.mark.parametrize(
    "steps",
    [
        "RUN uv sync\n",
        "COPY README.md LICENSE ./\nCOPY src src/\nRUN uv sync --no-dev\n",
        "RUN sed -i s/cu124/cpu/ pyproject.toml\nRUN uv sync --no-install-project\n",
        "COPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /uvx /bin/\nRUN uv sync\n",
    ],
)
def test_manifest_without_its_lock_gets_no_fix(lint: Lint, steps: str) -> None:
    (diagnostic,) = lint(MANIFEST_ONLY + steps, "DKR004")
    assert (diagnostic.message, diagnostic.fix) == (NO_LOCK, None)


@pytest.mark.parametrize(
    ("steps", "files"),
    [
        ("COPY uv.lock ./\nRUN uv sync\n", {}),
        ("COPY . .\nRUN uv sync\n", {}),
        ('COPY ["*.lock", "./"]\nRUN uv sync\n', {}),
        ("COPY backend/ ./\nRUN uv sync\n", {"backend/uv.lock": "version = 1\n"}),
        ("RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync\n", {}),
        ("COPY --from=deps /app /app\nRUN uv sync\n", {}),
        ("RUN uv lock && uv sync\n", {}),
        ("RUN uv sync --project backend\n", {}),
    ],
)
def test_lock_that_may_reach_the_image_keeps_the_fix(
    lint: Lint, steps: str, files: dict[str, str]
) -> None:
    (diagnostic,) = lint(MANIFEST_ONLY + steps, "DKR004", files=files)
    assert diagnostic.message.startswith("`uv sync` runs without `--locked` or `--frozen`; add")
    assert diagnostic.fix is not None


def test_no_manifest_copied_keeps_the_fix(lint: Lint) -> None:
    # Nothing says where pyproject.toml comes from (a base image, a mount): the fix stays.
    (diagnostic,) = lint(UV + "WORKDIR /app\nCOPY src src/\nRUN uv sync\n", "DKR004")
    assert diagnostic.fix is not None


# -- DKR005 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        UV + "RUN --mount=type=cache,target=/root/.cache uv sync --locked\n",
        UV
        + "USER app\nRUN --mount=type=cache,target=/home/app/.cache/uv,uid=1000 uv sync --locked\n",
        UV + "RUN --mount=type=tmpfs,target=/root/.cache/uv uv sync --locked\n",
        UV + "ENV XDG_CACHE_HOME=/cache\nRUN --mount=type=cache,target=/cache uv sync --locked\n",
        UV + "RUN --mount=type=cache,target=/c uv sync --locked --cache-dir /c/uv\n",
        UV + "RUN uv sync --locked && rm -rf /root/.cache/uv\n",
        UV + "RUN uv -n pip install --system ruff\n",
        UV + "RUN uv sync --no-cache-dir --frozen\n",
        UV + 'RUN ["uv", "--no-cache-dir", "pip", "install", "--system", "ruff"]\n',
        UV + "ARG UV_NO_CACHE=1\nRUN uv sync --locked\n",
        UV + "RUN uv pip list && uv venv\n",
    ],
)
def test_cache_kept_out_of_the_layer(lint: Lint, text: str) -> None:
    assert lint(text, "DKR005") == []


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (
            UV + "RUN --mount=type=cache,target=/root/.cache/pip uv sync --locked\n",
            "/root/.cache/uv",
        ),
        (
            UV
            + "ENV UV_CACHE_DIR=/opt/uv\nRUN --mount=type=cache,target=/root/.cache/uv uv sync\n",
            "/opt/uv",
        ),
        (UV + "RUN uv cache clean && uv sync --locked\n", "/root/.cache/uv"),
        (UV + "RUN rm -rf /tmp/x && uv sync --locked\n", "/root/.cache/uv"),
        (UV + "RUN uv sync --locked && rm -rf /tmp/x && uv cache dir\n", "/root/.cache/uv"),
    ],
)
def test_cache_in_the_layer(lint: Lint, text: str, target: str) -> None:
    (diagnostic,) = lint(text, "DKR005")
    assert diagnostic.message.endswith(
        f"add `--mount=type=cache,target={target}` to the `RUN` (or pass `--no-cache`)"
    )


def test_an_image_beside_a_uv_project_with_its_own_requirements(lint: Lint, tmp_path: Path) -> None:
    # Field trial: a course repository locked by uv for its tooling, whose exercise images
    # install their own requirements; uv.lock does not describe them.
    (tmp_path / "uv.lock").write_text("version = 1\n")
    (tmp_path / "exercises").mkdir()
    text = "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    assert lint(text, "DKR002", path="exercises/Dockerfile") == []
    # ... but the same image built from the project (its manifests copied) bypasses the lock.
    built = text.replace("COPY requirements.txt .", "COPY pyproject.toml uv.lock ./")
    assert project(lint(built, "DKR002", path="exercises/Dockerfile"), "code", "span") == [
        ("DKR002", (3, 5, 3, 16))
    ]


def test_named_packages_in_an_image_beside_the_lock_that_does_not_use_the_project(
    lint: Lint, tmp_path: Path
) -> None:
    # Held-out field trial: `Dockerfile.mlflow` beside uv.lock builds an MLflow server from
    # pinned packages; the project's lock does not describe that image.
    (tmp_path / "uv.lock").write_text("version = 1\n")
    text = "FROM python:3.12-slim\nRUN pip install -U pip && pip install mlflow==3.1.0 psycopg2\n"
    assert lint(text, "DKR002", path="Dockerfile.mlflow") == []


def test_an_image_that_copies_the_declared_source_package_uses_the_project(lint: Lint) -> None:
    # The package `pyproject.toml` declares (hatch's `packages`) copied on its own, without
    # the manifests: the image runs the project's code, so uv.lock speaks for its installs.
    files = {
        "uv.lock": "version = 1\n",
        "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1.0"\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["lib/core"]\n',
        "lib/core/__init__.py": "",
    }
    text = "FROM python:3.12-slim\nRUN pip install numpy\nCOPY {} /app/{}\n"
    found = lint(text.format("lib/", "lib/"), "DKR002", files=files)
    assert project(found, "code", "span") == [("DKR002", (2, 5, 2, 16))]
    assert project(lint(text.format("lib/core", "core"), "DKR002", files=files), "code") == [
        "DKR002"
    ]
    # Another directory of the repository is not the project's package.
    assert lint(text.format("tools/", "tools/"), "DKR002", files=files) == []


TOOL_IMAGE = (
    "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /bin/uv\n"
    "WORKDIR /app\nCOPY pyproject.toml .\nRUN uv pip install --system -e .\n"
)


@pytest.mark.parametrize(
    "runner",
    [
        {
            "Makefile": "render:\n"
            "\tdocker build -t render -f tools/render/Dockerfile tools/render\n"
            '\tdocker run --rm -v "$(CURDIR)/docs:/app/docs" render\n'
        },
        {
            "compose.yaml": "services:\n  render:\n    build: tools/render\n"
            "    volumes:\n      - .:/workspace\n"
        },
    ],
)
def test_cache_in_a_tooling_image_is_not_shipped(lint: Lint, runner: dict[str, str]) -> None:
    # Built and run on the developer's machine with the working tree mounted, never pushed.
    files = {"tools/render/Dockerfile": TOOL_IMAGE, **runner}
    assert lint(files, "DKR005") == []


def test_cache_in_a_tool_image_also_run_without_a_mount(lint: Lint) -> None:
    justfile = (
        "build:\n    docker build -t render -f tools/render/Dockerfile tools/render\n"
        "serve:\n    docker run --rm -p 8000:8000 render\n"
    )
    files = {"tools/render/Dockerfile": TOOL_IMAGE, "justfile": justfile}
    assert project(lint(files, "DKR005"), "code", "path", "span", "message") == [
        (
            "DKR005",
            "tools/render/Dockerfile",
            (5, 5, 5, 19),
            "`uv pip install` runs without a cache mount or `--no-cache`, so uv's download cache"
            " is baked into the layer; add `--mount=type=cache,target=/root/.cache/uv` to the"
            " `RUN` (or pass `--no-cache`)",
        )
    ]


# -- DKR002: uv pip install bypassing uv.lock ---------------------------------------------

UV_PROJECT = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "0.1.0"\n',
    "uv.lock": "version = 1\n",
    "requirements.txt": "fastapi\nuvicorn>=0.30\n",
    "requirements.lock.txt": "fastapi==0.115.0\nuvicorn==0.30.6\n",
}
BUILT_FROM_PROJECT = UV + "COPY pyproject.toml uv.lock ./\n"
NAMED = (
    "`uv pip install` resolves the packages it names ({names}) at build time, bypassing"
    " `uv.lock`; declare them in `pyproject.toml` and install them with `uv sync --locked`"
)


@pytest.mark.parametrize(
    ("run", "span", "message"),
    [
        (
            "uv pip install --system fastapi 'uvicorn[standard]'",
            (3, 5, 3, 19),
            NAMED.format(names="`fastapi`, `uvicorn[standard]`"),
        ),
        (
            "uv venv /opt/venv && \\\n    uv pip install --python /opt/venv a b==1.0 c d",
            (4, 5, 4, 19),
            NAMED.format(names="`a`, `b==1.0`, `c` and 1 more"),
        ),
        (
            "pip install uv && uv pip install --system -r requirements.txt",
            (3, 23, 3, 37),
            "`uv pip install` resolves `requirements.txt` at build time, bypassing `uv.lock`;"
            " install with `uv sync --locked` (or from a requirements file that `uv export`"
            " wrote)",
        ),
        (
            "uv pip install --system -r requirements.lock.txt -r requirements.txt",
            (3, 5, 3, 19),
            "`uv pip install` resolves `requirements.txt` at build time, bypassing `uv.lock`;"
            " install with `uv sync --locked` (or from a requirements file that `uv export`"
            " wrote)",
        ),
        # uv.lock is no requirements file: the lock is never installed (sixth held-out
        # check, H18).
        (
            "uv pip install --system -r uv.lock",
            (3, 5, 3, 19),
            "`uv pip install` reads `uv.lock` as a requirements file, which uv's lock is not, so"
            " the locked versions are never installed; install them with `uv sync --locked`",
        ),
        (
            "uv pip install --system -r ./uv.lock",
            (3, 5, 3, 19),
            "`uv pip install` reads `./uv.lock` as a requirements file, which uv's lock is not,"
            " so the locked versions are never installed; install them with `uv sync --locked`",
        ),
        # One finding per RUN: the first install that bypasses the lock.
        (
            "uv pip install --system ruff && pip install -r requirements.txt",
            (3, 5, 3, 19),
            NAMED.format(names="`ruff`"),
        ),
    ],
)
def test_uv_pip_install_bypassing_the_lock(
    lint: Lint, run: str, span: tuple[int, int, int, int], message: str
) -> None:
    found = lint(BUILT_FROM_PROJECT + "RUN " + run + "\n", "DKR002", files=UV_PROJECT)
    assert project(found, "code", "span", "message") == [("DKR002", span, message)]


@pytest.mark.parametrize(
    "run",
    [
        "uv pip install --system -U pip setuptools wheel",
        "uv pip install --system -r requirements.lock.txt",
        "uv export --frozen -o /tmp/req.txt && uv pip install --system -r /tmp/req.txt",
        "uv pip install --system --no-deps dist/app-1.0-py3-none-any.whl",
        "uv pip install --system $EXTRA",
        "uv pip sync requirements.lock.txt",
    ],
)
def test_uv_pip_installs_that_honour_the_lock(lint: Lint, run: str) -> None:
    assert lint(BUILT_FROM_PROJECT + "RUN " + run + "\n", "DKR002", files=UV_PROJECT) == []


def test_uv_pip_install_of_named_packages_outside_a_uv_locked_image(lint: Lint) -> None:
    run = "RUN uv pip install --system mlflow==3.1.0 psycopg2\n"
    # No uv.lock: a project that has not adopted uv.
    assert lint(BUILT_FROM_PROJECT + run, "DKR002") == []
    # Beside uv.lock, but an image that does not use the project (an MLflow server).
    assert lint(UV + run, "DKR002", files=UV_PROJECT) == []


STAGES = (
    "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS test\n"
    "RUN uv sync --locked\n"
    "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS serve\n"
    "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev\n"
)
WORKFLOW = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"


def test_cache_in_a_stage_ci_builds_as_a_target(lint: Lint) -> None:
    # Only the final stage ships by default ...
    assert lint(STAGES, "DKR005") == []
    # ... but a stage a root workflow builds as a target is an image too.
    files = {
        "Dockerfile": STAGES,
        ".github/workflows/ci.yml": WORKFLOW + "      - run: docker build --target test .\n",
    }
    assert project(lint(files, "DKR005"), "code", "path", "span") == [
        ("DKR005", "Dockerfile", (2, 5, 2, 12))
    ]
    # The target of another Dockerfile does not count.
    files[".github/workflows/ci.yml"] = WORKFLOW + (
        "      - uses: docker/build-push-action@v6\n        with:\n"
        "          file: other/Dockerfile\n          target: test\n"
    )
    assert lint(files, "DKR005") == []
