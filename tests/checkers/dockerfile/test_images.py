"""Image references: parsing, uv pinning, slim variants."""

from __future__ import annotations

import pytest

from mlops_hooks.checkers.dockerfile.images import parse_image, slim_tag, uv_tag_is_mutable


@pytest.mark.parametrize(
    ("text", "registry", "path", "tag", "digest"),
    [
        ("python", "docker.io", "library/python", None, None),
        ("python:3.12-slim", "docker.io", "library/python", "3.12-slim", None),
        ("docker.io/library/python:3.12", "docker.io", "library/python", "3.12", None),
        ("index.docker.io/python:3", "docker.io", "library/python", "3", None),
        ("GHCR.io/Astral-SH/uv:0.9.0", "ghcr.io", "astral-sh/uv", "0.9.0", None),
        ("ghcr.io/astral-sh/uv@sha256:abc", "ghcr.io", "astral-sh/uv", None, "sha256:abc"),
        (
            "ghcr.io/astral-sh/uv:latest@sha256:abc",
            "ghcr.io",
            "astral-sh/uv",
            "latest",
            "sha256:abc",
        ),
        ("localhost:5000/team/python:3.12", "localhost:5000", "team/python", "3.12", None),
        ("astral/uv:debian", "docker.io", "astral/uv", "debian", None),
    ],
)
def test_parse(text: str, registry: str, path: str, tag: str | None, digest: str | None) -> None:
    ref = parse_image(text)
    assert ref is not None
    assert (ref.registry, ref.path, ref.tag, ref.digest) == (registry, path, tag, digest)


@pytest.mark.parametrize("text", ["", "scratch", "python:${PY}", "$BASE", "a b"])
def test_unparsable_or_unresolved(text: str) -> None:
    assert parse_image(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("python", "slim"),
        ("python:latest", "slim"),
        ("python:3", "3-slim"),
        ("python:3.12.4", "3.12.4-slim"),
        ("python:3.12-bookworm", "3.12-slim-bookworm"),
        ("python:3.13-trixie", "3.13-slim-trixie"),
        ("python:bookworm", "slim-bookworm"),
        ("python:3.14-rc-trixie", "3.14-rc-slim-trixie"),
        ("python:3.14.0rc1", "3.14.0rc1-slim"),
        ("mirror.gcr.io/library/python:3.12", "3.12-slim"),
        ("python:3.12-slim", None),
        ("python:3.12-slim-bookworm", None),
        ("python:3.12-alpine3.20", None),
        ("python:3.12-windowsservercore-ltsc2022", None),
        ("python:custom-build", None),
        ("ghcr.io/astral-sh/uv:python3.12-bookworm", "python3.12-bookworm-slim"),
        ("ghcr.io/astral-sh/uv:0.9.0-python3.12-trixie", "0.9.0-python3.12-trixie-slim"),
        ("ghcr.io/astral-sh/uv:0.9-debian", "0.9-debian-slim"),
        ("astral/uv:bookworm", "bookworm-slim"),
        ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", None),
        ("ghcr.io/astral-sh/uv:python3.12-alpine", None),
        ("ghcr.io/astral-sh/uv:debian-slim", None),
        ("ghcr.io/astral-sh/uv:0.9.0", None),
        ("ghcr.io/astral-sh/uv", None),
        ("debian:bookworm", "bookworm-slim"),
        ("debian:12", "12-slim"),
        ("debian:stable", "stable-slim"),
        ("debian", ""),
        ("debian:bookworm-slim", None),
        ("debian:bookworm-20240612", None),
        ("ubuntu:24.04", None),
        ("nvidia/cuda:12.4.1-runtime-ubuntu22.04", None),
    ],
)
def test_slim_tag(text: str, expected: str | None) -> None:
    ref = parse_image(text)
    assert ref is not None
    assert slim_tag(ref) == expected


@pytest.mark.parametrize(
    ("text", "mutable", "mutable_strict"),
    [
        ("ghcr.io/astral-sh/uv", True, True),
        ("ghcr.io/astral-sh/uv:latest", True, True),
        ("ghcr.io/astral-sh/uv:latest@sha256:abc", False, False),
        ("ghcr.io/astral-sh/uv@sha256:abc", False, False),
        ("ghcr.io/astral-sh/uv:0.9.0", False, False),
        ("ghcr.io/astral-sh/uv:0.9", False, True),
        ("ghcr.io/astral-sh/uv:0.9.0-python3.12-bookworm-slim", False, False),
        ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", False, True),
    ],
)
def test_uv_tag_is_mutable(text: str, mutable: bool, mutable_strict: bool) -> None:
    ref = parse_image(text)
    assert ref is not None
    assert uv_tag_is_mutable(ref, require_version=False) is mutable
    assert uv_tag_is_mutable(ref, require_version=True) is mutable_strict


def test_tag_start() -> None:
    for text, start in [
        ("python", 6),
        ("python:3.12", 7),
        ("uv:1@sha256:ab", 3),
        ("uv@sha256:ab", 2),
    ]:
        ref = parse_image(text)
        assert ref is not None
        assert ref.tag_start == start
