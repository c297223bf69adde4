"""DKR006 full-base-image and DKR007 mutable-uv-image: the tricky cases."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

# -- DKR006 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12 AS build\nRUN true\nFROM python:3.12-slim\n",
        "FROM ghcr.io/astral-sh/uv:python3.12-alpine\n",
        "FROM python:3.12-slim AS base\nFROM base\n",
        "FROM ubuntu:24.04\n",
        "FROM gcr.io/distroless/python3-debian12\n",
        "FROM scratch\nCOPY --from=python:3.12 / /\n",
        "FROM python:${UNKNOWN}\n",
    ],
)
def test_slim_or_not_judged(lint: Lint, text: str) -> None:
    assert lint(text, "DKR006") == []


def test_untagged_python_is_fixed_to_slim(lint: Lint) -> None:
    (diagnostic,) = lint("FROM --platform=linux/amd64 python AS app\n", "DKR006")
    assert diagnostic.span.as_tuple() == (1, 29, 1, 35)
    assert diagnostic.message.endswith("use `python:slim`")
    fixed = lint.fixed("FROM --platform=linux/amd64 python AS app\n", "DKR006")
    assert fixed == "FROM --platform=linux/amd64 python:slim AS app\n"


def test_digest_or_variable_is_reported_without_fix(lint: Lint) -> None:
    (pinned,) = lint("FROM python:3.12@sha256:0123\n", "DKR006")
    assert pinned.fix is None and pinned.message.endswith("use `python:3.12-slim`")
    (variable,) = lint("ARG TAG=3.12\nFROM python:$TAG\n", "DKR006")
    assert variable.fix is None and variable.span.as_tuple() == (2, 6, 2, 17)


def test_debian_latest_has_no_single_slim_tag(lint: Lint) -> None:
    (diagnostic,) = lint("FROM debian\n", "DKR006")
    assert diagnostic.fix is None and diagnostic.message.endswith("use a `-slim` variant")


def test_allowed_images_globs(lint: Lint) -> None:
    text = "FROM ghcr.io/astral-sh/uv:python3.12-bookworm\n"
    assert project(lint(text, "DKR006"), "code", "span") == [("DKR006", (1, 6, 1, 46))]
    assert lint(text, "DKR006", {"DKR006": {"allowed-images": ["ghcr.io/astral-sh/uv:*"]}}) == []


# -- DKR007 ------------------------------------------------------------------------------


def test_stage_names_are_not_images(lint: Lint) -> None:
    text = (
        "FROM ghcr.io/astral-sh/uv:0.9.0 AS uv\nFROM python:3.12-slim AS build\n"
        "COPY --from=uv /uv /bin/uv\nRUN --mount=from=uv,source=/uv,target=/bin/uv uv --version\n"
        "FROM python:3.12-slim\nCOPY --from=0 /uv /bin/uv\nCOPY --from=build /x /x\n"
    )
    assert lint(text, "DKR007") == []


def test_a_stage_named_like_the_image_is_still_reported_where_it_is_an_image(lint: Lint) -> None:
    text = "FROM ghcr.io/astral-sh/uv AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\n"
    assert project(lint(text, "DKR007"), "code", "span") == [("DKR007", (1, 6, 1, 26))]


def test_args_in_from_and_copy_from(lint: Lint) -> None:
    text = (
        "ARG UV_IMAGE=ghcr.io/astral-sh/uv\nARG UV_TAG=latest\nFROM python:3.12-slim\n"
        "ARG UV_TAG\nCOPY --link --from=${UV_IMAGE}:${UV_TAG} /uv /bin/uv\n"
        "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
        "    --mount=type=bind,from=${UV_IMAGE},source=/uv,target=/bin/uv \\\n"
        "    uv sync --locked\n"
    )
    diagnostics = lint(text, "DKR007")
    assert project(diagnostics, "code", "span") == [
        ("DKR007", (5, 20, 5, 41)),
        ("DKR007", (7, 28, 7, 39)),
    ]
    assert diagnostics[0].message.startswith("`ghcr.io/astral-sh/uv:latest` follows")
    assert diagnostics[1].message.startswith("`ghcr.io/astral-sh/uv` follows")


def test_docker_hub_name_and_require_version(lint: Lint) -> None:
    text = "FROM astral/uv:0.9-python3.12-bookworm-slim\nCOPY --from=astral/uv /uv /bin/\n"
    assert project(lint(text, "DKR007"), "code", "span") == [("DKR007", (2, 13, 2, 22))]
    strict = lint(text, "DKR007", {"DKR007": {"require-version": True}})
    assert project(strict, "code", "span") == [
        ("DKR007", (1, 6, 1, 44)),
        ("DKR007", (2, 13, 2, 22)),
    ]
    assert "pin a release (`astral/uv:X.Y.Z-python3.12-bookworm-slim`)" in strict[0].message
    assert "pin a release (`astral/uv:X.Y.Z`)" in strict[1].message
