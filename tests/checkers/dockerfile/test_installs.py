"""Which RUN commands install Python packages, and what they install."""

from __future__ import annotations

import pytest

from mlops_hooks.checkers.dockerfile.installs import installs, truthy
from tests.checkers.dockerfile.conftest import model_of

D, P, E, W = "deps", "project", "editable", "wheel"


def summary(run: str, prelude: str = "") -> list[tuple[str, set[str], tuple[str, ...]]]:
    model = model_of(f"FROM python:3.12-slim\n{prelude}RUN {run}\n")
    result = []
    for install in installs(model.instructions[-1]):
        flags = {D if install.dependencies else "", P if install.project else ""}
        flags |= {E if install.editable else "", W if install.wheel else ""}
        result.append((install.action, flags - {""}, install.packages))
    return result


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("uv sync --locked", [("uv sync", {D, P, E}, ())]),
        ("uv sync --locked --no-install-project", [("uv sync", {D}, ())]),
        ("uv sync --no-install-workspace --no-editable", [("uv sync", {D}, ())]),
        ("uv sync --locked --no-editable", [("uv sync", {D, P}, ())]),
        ("uv --directory /app --no-cache sync", [("uv sync", {D, P, E}, ())]),
        ("uv pip install --system -r requirements.txt", [("uv pip install", {D}, ())]),
        ("uv pip install -rrequirements.txt", [("uv pip install", {D}, ())]),
        ("uv pip install --requirement=pyproject.toml", [("uv pip install", {D}, ())]),
        ("uv pip install --system .", [("uv pip install", {D, P}, ())]),
        ("uv pip install -e .[dev]", [("uv pip install", {D, P, E}, ())]),
        ("uv pip install --editable=./", [("uv pip install", {D, P, E}, ())]),
        ("uv pip install -e./", [("uv pip install", {D, P, E}, ())]),
        ("uv pip install --no-deps /tmp/dist/*.whl", [("uv pip install", {W}, ())]),
        (
            "uv pip install --system ruff==0.9 'numpy>=2'",
            [("uv pip install", set(), ("ruff==0.9", "numpy>=2"))],
        ),
        ("uv pip sync requirements.txt", [("uv pip sync", {D}, ())]),
        (
            "uv pip --no-cache install -i https://x/simple torch",
            [("uv pip install", set(), ("torch",))],
        ),
        ("pip install -r requirements.txt", [("pip install", {D}, ())]),
        ("pip3 --no-cache-dir install .", [("pip install", {D, P}, ())]),
        ("/opt/venv/bin/pip install -e .", [("pip install", {D, P, E}, ())]),
        ("python -m pip install --upgrade pip", [("pip install", set(), ("pip",))]),
        ("python3.12 -mpip install dist/app-1.0-py3-none-any.whl", [("pip install", {D, W}, ())]),
        ("pip install --no-deps .", [("pip install", {P}, ())]),
        ("pip install $PACKAGES", [("pip install", set(), ())]),
        ("poetry install --no-root", [("poetry install", {D}, ())]),
        ("poetry install", [("poetry install", {D, P, E}, ())]),
        ("poetry install --only-root", [("poetry install", {P, E}, ())]),
        ("poetry sync", [("poetry sync", {D, P, E}, ())]),
        ("pipenv install --deploy --system", [("pipenv install", {D}, ())]),
        ("pdm install --prod --no-editable", [("pdm install", {D, P}, ())]),
        ("pdm sync --no-self", [("pdm sync", {D}, ())]),
        ("poetry add x && pip uninstall -y y && pip --version && uv --version && uv lock", []),
        ("uv run python -m app && uv pip list && uv tool install ruff", []),
        ("echo no installers here", []),
    ],
)
def test_classification(run: str, expected: list[tuple[str, set[str], tuple[str, ...]]]) -> None:
    assert summary(run) == expected


def test_env_comes_from_the_stage_exports_and_prefixes() -> None:
    model = model_of(
        "FROM python:3.12-slim\nENV UV_NO_EDITABLE=1 A=stage\n"
        "RUN uv sync && export A=exported B=2 PATH && A=prefix uv sync && uv sync\n"
    )
    first, second, third = installs(model.instructions[-1])
    assert (first.env["A"], second.env["A"], third.env["A"]) == ("stage", "prefix", "exported")
    assert third.env["B"] == "2"
    assert not first.editable and first.project


def test_options_and_spans() -> None:
    model = model_of("FROM a\nRUN uv --cache-dir=/c sync --python 3.12 -- --locked\n")
    (install,) = installs(model.instructions[-1])
    assert install.option_value("--cache-dir") == "/c"
    assert install.option_value("--python") == "3.12"
    assert install.option_value("--nope") is None
    assert not install.has_option("--locked")  # after `--` it is no option
    assert install.span.as_tuple() == (2, 5, 2, 27)
    assert install.last_name_word.text == "sync"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        (" yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
        (None, False),
    ],
)
def test_truthy(value: str | None, expected: bool) -> None:
    assert truthy(value) is expected
