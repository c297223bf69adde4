"""The typical commit: a few files of each kind, changed in a small project, through the hooks.

The project is committed, then the commit's files are edited and staged, so each hook judges
a real change (``--scope changed``: the commit's files, plus what their changes cause in the
files left untouched, which is the costly part). Measured twice: the hook processes run
directly (what our hooks cost), and through pre-commit itself, once with our hooks and once
with the same hooks as no-ops (``entry: true``), so the difference is exactly what our hooks
add on top of pre-commit's own overhead.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from . import corpus, pytree
from .cases import (
    DOCKERFILE_RX,
    PYTHON_RX,
    WORKFLOW_RX,
    bench_env,
    hook_manifest,
)
from .env import WORK, Environment
from .measure import Case, Command, Target

ALL_IN_ONE = "mlops-hooks"  # the hook id that checks every kind in one process
#: Issue 19: a typical commit adds at most this over pre-commit with no-op hooks.
COMMIT_BUDGET = 0.150


#: What the commit adds to each of its files (every kind takes a `#` comment).
EDIT = "# edited by the commit under test\n"


def commit_files(seed: int) -> tuple[corpus.Files, list[str]]:
    """A small project (committed) and the files a typical commit changes in it: a couple of
    files of each kind, the justfile and one task module among them (context files: the
    workflow, justfile and pre-commit hooks then check the untouched files too)."""
    files: corpus.Files = {"pyproject.toml": corpus.pyproject("commit-corpus")}
    docker = corpus.dockerfiles(4, seed)
    flows = corpus.workflows(6, seed)
    just = corpus.justfiles(seed, modules=3)
    tree, kinds = pytree.python_tree(
        pytree.TreeSpec(files=24, mlflow_share=0.5, uri_share=0.2, seed=seed)
    )
    picked: list[str] = []
    for category, count in (("plain", 3), ("mention", 2), ("uri", 1)):
        picked += [p for p, k in sorted(kinds.items()) if k == category][:count]
    files |= docker | flows | just | {p: t for p, t in tree.items() if p != "pyproject.toml"}
    files[".pre-commit-config.yaml"] = corpus.precommit_config(seed)
    modules = sorted(p for p in just if p.startswith("tasks/"))
    changed = [
        *sorted(docker)[:2],
        *sorted(flows)[:2],
        "justfile",
        *modules[:1],
        *picked,
        ".pre-commit-config.yaml",
    ]
    return files, sorted(changed)


def _edit(root: Path, files: corpus.Files, changed: list[str]) -> None:
    """Edit and stage the commit's files (the same edit every run: the corpus is reused)."""
    for rel in changed:
        (root / rel).write_text(files[rel] + EDIT, encoding="utf-8", newline="\n")
    subprocess.run(["git", "-C", str(root), "add", "--", *changed], check=True)


def _flags(hook: dict[str, object]) -> list[str]:
    """The hook's command line after `mlops-hooks check`: the fixed flags of its `entry`,
    then its `args` (pre-commit's order)."""
    entry = str(hook.get("entry", "")).split()
    return [*entry[2:], *[str(a) for a in hook.get("args", [])]]  # type: ignore[attr-defined]


def commit_cases(env: Environment, seed: int, rounds: int, have_pre_commit: bool) -> list[Case]:
    """A few files of each kind through every per-kind hook, directly and through pre-commit."""
    files, names = commit_files(seed)
    manifest = hook_manifest(env)
    hooks = [h for h in manifest if h.get("id") != ALL_IN_ONE]
    all_in_one = next((h for h in manifest if h.get("id") == ALL_IN_ONE), None)
    root = WORK / "corpus" / f"commit-seed{seed}"
    runs: list[tuple[dict[str, object], list[str]]] = []
    for hook in hooks:
        rx = re.compile(str(hook.get("files", "")))
        matched = [n for n in names if rx.search(n)]
        if matched:
            runs.append((hook, matched if hook.get("pass_filenames", True) else []))
    single_runs: list[tuple[dict[str, object], list[str]]] = []
    if all_in_one is not None:
        rx = re.compile(str(all_in_one.get("files", "")))
        passed = all_in_one.get("pass_filenames", True)
        single_runs = [(all_in_one, [n for n in names if rx.search(n)] if passed else [])]
    configs = {
        ".bench/ours.yaml": _precommit_local(runs, str(env.mlops_hooks) + " check"),
        ".bench/noop.yaml": _precommit_local(runs, "true"),
        ".bench/ours-all.yaml": _precommit_local(single_runs, str(env.mlops_hooks) + " check"),
        ".bench/noop-all.yaml": _precommit_local(single_runs, "true"),
    }
    corpus.write_tree(root, files | configs, commit=True)
    _edit(root, files, names)
    argvs = [[str(env.mlops_hooks), "check", *_flags(hook), *passed] for hook, passed in runs]
    ids = ", ".join(str(h["id"]) for h, _ in runs) or "none"
    direct = Command(f"mlops-hooks ({len(argvs)} hooks)", argvs, root, ok_codes=frozenset({0, 1}))
    direct.part_labels = [str(hook["id"]) for hook, _ in runs]
    if not argvs:
        direct.unavailable = "no hook of this build matches the commit's files"
    floor = Command(
        f"python -c pass x{len(argvs)}",
        [[str(env.repo_python), "-c", "pass"] for _ in argvs]
        or [[str(env.repo_python), "-c", "pass"]],
        root,
        ok_codes=frozenset({0}),
    )
    cases = [
        Case(
            "commit-direct",
            "A typical commit: each per-kind hook's process, run directly",
            "commit",
            direct,
            [floor],
            short="commit, hooks run directly",
            rounds=rounds,
            note=f"A commit of {len(names)} files ({_count_kinds(names)}) in a project of "
            f"{len(files)} files; hooks that match: {ids}. The same processes pre-commit "
            "would start, without pre-commit.",
        )
    ]
    if all_in_one is not None:
        single = Command(
            "mlops-hooks (all-in-one hook)",
            [[str(env.mlops_hooks), "check", *_flags(all_in_one), *single_runs[0][1]]],
            root,
            ok_codes=frozenset({0, 1}),
        )
        cases.append(
            Case(
                "commit-all-in-one",
                "A typical commit: the all-in-one `mlops-hooks` hook instead (no target)",
                "commit",
                single,
                [floor, direct],
                short="commit, all-in-one hook",
                rounds=rounds,
                note="The `mlops-hooks` hook checks every kind in one process, given the "
                "commit's files, as its manifest entry says.",
            )
        )
    pc = [str(env.repo_python.parent / "pre-commit"), "run", "--color", "never", "--config"]
    through = Command(
        "pre-commit + mlops-hooks hooks", [[*pc, ".bench/ours.yaml", "--files", *names]], root
    )
    noop = Command("pre-commit + no-op hooks", [[*pc, ".bench/noop.yaml", "--files", *names]], root)
    if not have_pre_commit:
        through.unavailable = noop.unavailable = "pre-commit is not installed in the repo .venv"
    if not argvs:
        through.unavailable = direct.unavailable
    cases.append(
        Case(
            "commit-pre-commit",
            "A typical commit through pre-commit: the per-kind hooks vs the same hooks as no-ops",
            "commit",
            through,
            [noop],
            short="commit through pre-commit, per-kind hooks",
            rounds=rounds,
            targets=[
                Target(
                    f"adds <= {COMMIT_BUDGET * 1000:.0f} ms over pre-commit + no-op hooks",
                    noop.label,
                    max_extra_seconds=COMMIT_BUDGET,
                )
            ],
            profile_argvs=argvs,
            note="Both runs use `repo: local` hooks with `language: system`, the same ids, "
            "`files` regexes and pass_filenames as .pre-commit-hooks.yaml; the no-op run's "
            "entry is `true`. The difference is what our hooks add to a commit. The no-op "
            "run itself is pre-commit's overhead on this machine (the issue measured 120 ms).",
        )
    )
    if all_in_one is not None:
        ours_all = Command(
            "pre-commit + the all-in-one hook",
            [[*pc, ".bench/ours-all.yaml", "--files", *names]],
            root,
        )
        noop_all = Command(
            "pre-commit + the all-in-one hook as a no-op",
            [[*pc, ".bench/noop-all.yaml", "--files", *names]],
            root,
        )
        if not have_pre_commit:
            ours_all.unavailable = noop_all.unavailable = through.unavailable
        cases.append(
            Case(
                "commit-pre-commit-all-in-one",
                "A typical commit through pre-commit: the all-in-one `mlops-hooks` hook (the "
                "recommended configuration) vs the same hook as a no-op",
                "commit",
                ours_all,
                [noop_all],
                short="commit through pre-commit, all-in-one hook",
                rounds=rounds,
                targets=[
                    Target(
                        f"adds <= {COMMIT_BUDGET * 1000:.0f} ms over pre-commit + a no-op hook",
                        noop_all.label,
                        max_extra_seconds=COMMIT_BUDGET,
                    )
                ],
                profile_argvs=single.argvs,
                note="One `repo: local` hook with the all-in-one hook's `files`, args and "
                "pass_filenames; the no-op run's entry is `true`.",
            )
        )
    for case in cases:
        for command in case.commands:
            command.env = bench_env()
    return cases


def _count_kinds(names: list[str]) -> str:
    rx = {
        "Dockerfiles": DOCKERFILE_RX,
        "workflows": WORKFLOW_RX,
        "Python": PYTHON_RX,
        "just": r"(^|/)justfile$|\.just$",
        "pre-commit": r"\.pre-commit-config\.yaml$",
    }
    return ", ".join(f"{sum(1 for n in names if re.search(p, n))} {k}" for k, p in rx.items())


def _precommit_local(runs: list[tuple[dict[str, object], list[str]]], entry: str) -> str:
    lines = ["repos:", "  - repo: local", "    hooks:"]
    for hook, _ in runs:
        command = entry if entry == "true" else " ".join([entry, *_flags(hook)])
        lines += [
            f"      - id: {hook['id']}",
            f"        name: {json.dumps(str(hook['id']))}",
            f"        entry: {json.dumps(command)}",
            "        language: system",
            f"        files: {json.dumps(str(hook.get('files', '')))}",
            "        types: [file]",
            f"        pass_filenames: {'true' if hook.get('pass_filenames', True) else 'false'}",
            f"        require_serial: {'true' if hook.get('require_serial') else 'false'}",
        ]
    if not runs:
        lines += [
            "      - id: none",
            "        name: none",
            "        entry: 'true'",
            "        language: system",
            "        always_run: true",
        ]
    return "\n".join(lines) + "\n"
