"""DKR000: the Dockerfile cannot be read or parsed."""

from __future__ import annotations

from mlops_hooks.checkers.dockerfile.base import DockerfileRule
from mlops_hooks.rule import Bad, Good


class DockerfileParseError(DockerfileRule):
    """The Dockerfile cannot be read or parsed.

    ## What it does
    Reports a Dockerfile that BuildKit's parser rejects (an unterminated heredoc, a file with no
    instructions), or that is not text (binary, invalid UTF-8, larger than `max-file-size`),
    with the parser's message and line. The other files of the run are still checked.

    ## Why is this bad?
    `docker build` fails on it, and no other rule can check it.
    """

    code = "DKR000"
    name = "dockerfile-parse-error"
    parse_error = True
    examples = (
        Good("FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"),
        Bad(
            "FROM python:3.12-slim\nCOPY <<EOF /app/run.sh\necho never terminated\n",
            span=(2, 1, 2, 1),
            message="Dockerfile parse error: unterminated heredoc",
        ),
        Bad(
            "# escape=`\nARG BASE=python:3.12-slim\nRUN echo no stage yet\n",
            span=(3, 1, 3, 1),
            message="Dockerfile parse error: no build stage in current context",
        ),
        Bad(
            "# only a comment\n",
            span=(1, 1, 1, 1),
            message="Dockerfile parse error: file with no instructions",
        ),
        Bad(
            "FROM python:3.12\x00\x01",
            span=(1, 1, 1, 1),
            message="binary file (contains NUL bytes); not checked",
        ),
    )
