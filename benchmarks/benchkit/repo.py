"""The same comparisons on a real repository passed by path (informational: no targets).

Nothing from the repository is executed: the anchors are linters, ruff runs ``--isolated`` and
Fixit reads our own configuration file, never the repository's (which could enable local rules,
i.e. import the repository's code).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from .cases import (
    DOCKERFILE_RX,
    FLOOR_COMPOSE,
    FLOOR_DOCKERFILE,
    FLOOR_READ,
    WORKFLOW_RX,
    anchor,
    available_kinds,
    bench_env,
    fixit_command,
    github_workflows_schema,
    kind_gate,
    ours,
    py,
    ruff_e9,
    zizmor,
)
from .env import Environment
from .measure import Case


def repo_cases(env: Environment, repo: Path, rounds: int, with_fixit: bool) -> list[Case]:
    """The same comparisons on a real repository (informational: no targets)."""
    kinds = available_kinds(env)
    listed = _tracked(repo)
    dfiles = [f for f in listed if re.search(DOCKERFILE_RX, f)]
    wfiles = [f for f in listed if re.search(WORKFLOW_RX, f)]
    pfiles = [f for f in listed if f.endswith(".py")]
    name = repo.name
    cases: list[Case] = []
    if dfiles:
        cases.append(
            Case(
                "repo-dockerfiles",
                f"{name}: {len(dfiles)} Dockerfiles",
                name,
                kind_gate(ours(env, ["--kind", "dockerfile", *dfiles], repo), "dockerfile", kinds),
                [
                    anchor(env, "hadolint", dfiles, repo),
                    py(env, "bare parse process", FLOOR_DOCKERFILE, dfiles, repo),
                ],
                rounds=rounds,
            )
        )
    if wfiles:
        cases.append(
            Case(
                "repo-workflows",
                f"{name}: {len(wfiles)} workflows",
                name,
                kind_gate(ours(env, ["--kind", "workflow", *wfiles], repo), "workflow", kinds),
                [
                    zizmor(env, wfiles, repo),
                    github_workflows_schema(env, wfiles, repo),
                    py(env, "bare yaml.compose process", FLOOR_COMPOSE, wfiles, repo),
                ],
                rounds=rounds,
            )
        )
    if pfiles:
        subject = kind_gate(ours(env, ["--kind", "python", "."], repo), "python", kinds)
        cases.append(
            Case(
                "repo-python",
                f"{name}: {len(pfiles)} Python files",
                name,
                subject,
                [
                    ruff_e9(env, repo),
                    py(env, "read every file", FLOOR_READ, [], repo),
                ],
                rounds=rounds,
            )
        )
        if with_fixit:
            fixit = fixit_command(env, repo, pfiles[0])
            cases.append(
                Case(
                    "repo-python-fixit",
                    f"{name}: {len(pfiles)} Python files vs Fixit",
                    name,
                    kind_gate(ours(env, ["--kind", "python", "."], repo), "python", kinds),
                    [fixit],
                    rounds=1,
                )
            )
    cases.append(
        Case(
            "repo-all",
            f"{name}: every kind, the whole repository ({len(listed)} files)",
            name,
            ours(env, ["."], repo),
            [py(env, "read every file", FLOOR_READ, [], repo)],
            rounds=rounds,
        )
    )
    for case in cases:
        for command in case.commands:
            if command.env is None:
                command.env = bench_env()
    return cases


def _tracked(repo: Path) -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=repo,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8", "surrogateescape")
        return sorted(n for n in out.split("\0") if n)
    except (OSError, subprocess.SubprocessError):
        skip = {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist"}
        found = []
        for dirpath, dirs, names in os.walk(repo):
            dirs[:] = [x for x in dirs if x not in skip]
            found += [Path(dirpath, n).relative_to(repo).as_posix() for n in names]
        return sorted(found)
