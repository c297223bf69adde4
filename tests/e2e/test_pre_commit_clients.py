"""End to end with the real clients: pre-commit (run and try-repo) and prek install our repo
at HEAD from its sdist/wheel into their own environments and run every hook on the bundled
examples. This proves the manifest, the packaging and the console script together.

Marked ``e2e``: the first run installs the hook environment from PyPI (about 10-20 s);
later runs reuse it through a shared cache directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_hooks.cli import main

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FINDING = re.compile(r"^\s*(\S+):(\d+):(\d+): ([A-Z]{3}\d{3}) ", re.MULTILINE)
HOOK_IDS = [h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="session")
def head() -> str:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit installs hooks from a git revision")
    return _git(ROOT, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("client-homes")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "pre-commit"),
        "PREK_HOME": str(base / "prek"),
        "NO_COLOR": "1",
        "PRE_COMMIT_COLOR": "never",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def project(tmp_path: Path, example: str) -> Path:
    """A fresh git repository holding a copy of one bundled example project."""
    repo = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "init")
    return repo


def config(tmp_path: Path, rev: str) -> Path:
    """A client config (kept outside the checked repo) with every hook of our manifest."""
    hooks = "".join(f"      - id: {hook_id}\n" for hook_id in HOOK_IDS)
    path = tmp_path / "client-config.yaml"
    path.write_text(f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n{hooks}")
    return path


def expected(repo: Path, capsys: pytest.CaptureFixture[str], *kinds: str) -> set[tuple[str, ...]]:
    """Our findings on ``repo``, computed in process (the oracle for the clients' output)."""
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        args = ["check", ".", "--format", "json"] + [a for k in kinds for a in ("--kind", k)]
        main(args)
    finally:
        os.chdir(cwd)
    data = json.loads(capsys.readouterr().out)
    return {
        (d["path"], str(d["start"]["line"]), str(d["start"]["column"]), d["code"])
        for d in data["diagnostics"]
    }


def findings(output: str) -> set[tuple[str, ...]]:
    return {m.groups() for m in FINDING.finditer(output)}


def client(argv: list[str], repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_bad_example_fails_with_exact_findings(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project(tmp_path, "bad-ml-project")
    want = expected(repo, capsys)
    assert want, "the bad example must have findings"
    proc = client(
        [str(BIN / tool), "run", "--all-files", "--config", str(config(tmp_path, head))],
        repo,
        homes,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    got = findings(proc.stdout)
    # The all-in-one hook reports everything once; the per-kind hooks report it again.
    assert got == want
    for hook_id in HOOK_IDS:
        assert re.search(rf"^\s*- hook id: {re.escape(hook_id)}$", proc.stdout, re.MULTILINE) or (
            hook_id not in proc.stdout
        )


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_good_example_passes(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project(tmp_path, "good-ml-project")
    assert expected(repo, capsys) == set()
    proc = client(
        [str(BIN / tool), "run", "--all-files", "--config", str(config(tmp_path, head))],
        repo,
        homes,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Failed" not in proc.stdout


def test_try_repo_runs_one_hook(
    head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project(tmp_path, "bad-ml-project")
    want = expected(repo, capsys, "dockerfile")
    assert want
    proc = client(
        [
            str(BIN / "pre-commit"),
            "try-repo",
            str(ROOT),
            "mlops-dockerfile",
            "--ref",
            head,
            "--all-files",
        ],
        repo,
        homes,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert findings(proc.stdout) == want


KIND_OF_HOOK = {
    "mlops-dockerfile": "DKR",
    "mlops-justfile": "JST",
    "mlops-workflows": "GHA",
    "mlops-mlflow": "MLF",
    "mlops-pre-commit-config": "PCC",
}
HOOK_HEADER = re.compile(r"^- hook id: (\S+)$", re.MULTILINE)


def per_hook(output: str) -> dict[str, set[tuple[str, ...]]]:
    """The findings each hook printed, by hook id (pre-commit and prek print one section per
    failing hook, opened by ``- hook id: ID``)."""
    sections: dict[str, set[tuple[str, ...]]] = {}
    headers = list(HOOK_HEADER.finditer(output))
    for header, following in zip(headers, [*headers[1:], None], strict=True):
        end = following.start() if following else len(output)
        sections[header.group(1)] = findings(output[header.end() : end])
    return sections


def config_with(tmp_path: Path, rev: str, hook_lines: dict[str, list[str]]) -> Path:
    """A client config whose hooks carry extra keys (``args:``, ``exclude:``)."""
    text = f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n"
    for hook_id, extra in hook_lines.items():
        text += f"      - id: {hook_id}\n" + "".join(f"        {line}\n" for line in extra)
    path = tmp_path / "client-config.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_user_args_add_to_the_hooks_own_flags(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`args: [--ignore, X]` on each per-kind hook keeps `--kind` and `--force-exclude`: each
    hook still reports only its kind, minus the ignored code, and `exclude:` holds."""
    repo = project(tmp_path, "bad-ml-project")
    want = expected(repo, capsys)
    ignored = {"DKR": "DKR005", "JST": "JST005", "GHA": "GHA002", "MLF": "MLF001", "PCC": "PCC003"}
    hooks = {
        hook_id: [f"args: [--ignore, {ignored[prefix]}]"]
        for hook_id, prefix in KIND_OF_HOOK.items()
    }
    # The MLflow hook excludes one of its files; the others keep theirs.
    hooks["mlops-mlflow"].append("exclude: ^src/bikes/serving\\.py$")
    proc = client(
        [
            str(BIN / tool),
            "run",
            "--all-files",
            "--config",
            str(config_with(tmp_path, head, hooks)),
        ],
        repo,
        homes,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    got = per_hook(proc.stdout)
    assert set(got) == set(KIND_OF_HOOK), proc.stdout
    for hook_id, prefix in KIND_OF_HOOK.items():
        mine = {
            f
            for f in want
            # The example's one MLH001 names MLF001, which the MLflow hook ignores here: an
            # ignored rule's suppressions are not judged, so no hook reports it.
            if f[3].startswith(prefix)
            and f[3] != ignored[prefix]
            and not (hook_id == "mlops-mlflow" and f[0] == "src/bikes/serving.py")
        }
        assert mine, f"{hook_id}: the example must keep findings of its kind"
        assert got[hook_id] == mine, hook_id


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_user_fix_arg_fixes_only_the_hooks_kind(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path
) -> None:
    """`args: [--fix]` on the workflow hook fixes workflows only: the Python and pre-commit
    files that have safe fixes are left as they are."""
    repo = project(tmp_path, "bad-ml-project")
    before = {
        p: (repo / p).read_bytes()
        for p in ("src/bikes/serving.py", "confs/promotion.yaml", ".pre-commit-config.yaml")
    }
    hooks = {
        "mlops-workflows": ["args: [--fix, --unsafe-fixes]"],
        "mlops-dockerfile": ["args: [--fix]"],
    }
    proc = client(
        [
            str(BIN / tool),
            "run",
            "--all-files",
            "--config",
            str(config_with(tmp_path, head, hooks)),
        ],
        repo,
        homes,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert {p: (repo / p).read_bytes() for p in before} == before
    got = per_hook(proc.stdout)
    assert all(code.startswith("GHA") for *_, code in got["mlops-workflows"]), proc.stdout
    assert all(code.startswith("DKR") for *_, code in got["mlops-dockerfile"]), proc.stdout
    # The workflow hook did fix its own kind: GHA001 (missing concurrency; unsafe on a push
    # workflow, see docs/fix-safety.md).
    assert _git(repo, "status", "--porcelain").splitlines() == ["M .github/workflows/check.yml"]
    assert "concurrency:" in (repo / ".github/workflows/check.yml").read_text()


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_add_noqa_then_clean_then_unused_suppression(
    tool: str,
    head: str,
    homes: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Adopting in a legacy repository: `--add-noqa` records every finding, every hook then
    passes; a suppression that suppresses nothing fails the hook of its kind (MLH001)."""
    repo = project(tmp_path, "bad-ml-project")
    monkeypatch.chdir(repo)
    assert main(["check", "--add-noqa"]) == 0
    capsys.readouterr()
    _git(repo, "add", "-A")
    cfg = str(config(tmp_path, head))
    proc = client([str(BIN / tool), "run", "--all-files", "--config", cfg], repo, homes)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    dockerfile = repo / "Dockerfile"
    dockerfile.write_text(
        dockerfile.read_text() + "# mlops-hooks: ignore[DKR007] no uv image here\nEXPOSE 9090\n"
    )
    _git(repo, "add", "-A")
    proc = client([str(BIN / tool), "run", "--all-files", "--config", cfg], repo, homes)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = len(dockerfile.read_text().splitlines()) - 1
    got = per_hook(proc.stdout)
    assert got["mlops-dockerfile"] == {("Dockerfile", str(line), "1", "MLH001")}
    assert got["mlops-hooks"] == {("Dockerfile", str(line), "1", "MLH001")}
    assert set(got) == {"mlops-dockerfile", "mlops-hooks"}


# -- hook scope: what a commit is judged on (docs/installation.md, "What a hook reports") ----

PER_KIND: dict[str, list[str]] = {hook_id: [] for hook_id in KIND_OF_HOOK}
ALL_IN_ONE: dict[str, list[str]] = {"mlops-hooks": []}
#: The two configurations a user picks from: the recommended all-in-one hook, or per kind.
SETUPS = pytest.mark.parametrize("setup", ["all-in-one", "per-kind"])
HOOKS = {"all-in-one": ALL_IN_ONE, "per-kind": PER_KIND}
KIND = {
    "mlops-dockerfile": "dockerfile",
    "mlops-justfile": "justfile",
    "mlops-workflows": "workflow",
    "mlops-mlflow": "python",
    "mlops-pre-commit-config": "precommit",
}


def commit_run(
    tool: str, repo: Path, cfg: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """What `git commit` runs: the hooks on the staged files (no `--all-files`)."""
    return client([str(BIN / tool), "run", "--config", str(cfg)], repo, env)


@SETUPS
@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_a_clean_commit_passes_beside_old_findings_and_untracked_files(
    tool: str, setup: str, head: str, homes: dict[str, str], tmp_path: Path
) -> None:
    """The bad example has old findings in its Dockerfile, workflows, justfile, pre-commit
    config; an untracked scratch workflow calls a recipe that does not exist. A commit of a
    clean Python file passes every hook, the all-in-one one included."""
    repo = project(tmp_path, "bad-ml-project")
    scratch = repo / ".github/workflows/scratch.yml"
    scratch.write_text(
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: just nope\n"
    )
    (repo / "src/bikes/clean.py").write_text('"""Nothing to see."""\n\nVALUE = 1\n')
    _git(repo, "add", "src/bikes/clean.py")
    proc = commit_run(tool, repo, config_with(tmp_path, head, HOOKS[setup]), homes)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Failed" not in proc.stdout
    # The same untracked workflow, and the old findings, fail a whole-repository check (CI).
    assert main(["check", "--format", "concise", str(repo)]) == 1


@SETUPS
@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_a_commit_that_renames_a_recipe_fails_on_the_workflow_that_calls_it(
    tool: str, setup: str, head: str, homes: dict[str, str], tmp_path: Path
) -> None:
    repo = project(tmp_path, "good-ml-project")
    module = repo / "tasks/check.just"
    module.write_text(module.read_text().replace("\ncheck:", "\nverify:", 1))
    _git(repo, "add", "-A")
    proc = commit_run(tool, repo, config_with(tmp_path, head, HOOKS[setup]), homes)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    got = per_hook(proc.stdout)
    workflows = {
        (".github/workflows/check.yml", "25", "26", "GHA007"),
        (".github/workflows/publish.yml", "26", "26", "GHA007"),
    }
    # The core task is gone from the justfile that no longer has it.
    justfile = {("justfile", "1", "1", "JST001")}
    if setup == "all-in-one":
        assert got == {"mlops-hooks": workflows | justfile}, proc.stdout
    else:
        assert got == {"mlops-workflows": workflows, "mlops-justfile": justfile}, proc.stdout


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_exclude_holds_for_every_per_kind_hook(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project(tmp_path, "bad-ml-project")
    want = {hook_id: expected(repo, capsys, kind) for hook_id, kind in KIND.items()}
    excluded = {
        "mlops-dockerfile": "Dockerfile",
        "mlops-justfile": "justfile",
        "mlops-workflows": ".github/workflows/check.yml",
        "mlops-mlflow": "src/bikes/serving.py",
        "mlops-pre-commit-config": ".pre-commit-config.yaml",
    }
    hooks = {h: [f"exclude: ^{re.escape(path)}$"] for h, path in excluded.items()}
    cfg = config_with(tmp_path, head, hooks)
    proc = client([str(BIN / tool), "run", "--all-files", "--config", str(cfg)], repo, homes)
    got = per_hook(proc.stdout)
    for hook_id, path in excluded.items():
        assert any(f[0] == path for f in want[hook_id]), hook_id  # the exclusion matters
        mine = {f for f in want[hook_id] if f[0] != path}
        assert got.get(hook_id, set()) == mine, hook_id


@pytest.mark.parametrize("tool", ["pre-commit", "prek"])
def test_the_all_in_one_hook_takes_user_args_and_exclude(
    tool: str, head: str, homes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`args: [--ignore, GHA002]` adds to the all-in-one hook's flags and its `exclude:` holds:
    every other finding of every kind is still reported, once."""
    repo = project(tmp_path, "bad-ml-project")
    want = expected(repo, capsys)
    hooks = {"mlops-hooks": ["args: [--ignore, GHA002]", "exclude: ^(Dockerfile|justfile)$"]}
    cfg = config_with(tmp_path, head, hooks)
    proc = client([str(BIN / tool), "run", "--all-files", "--config", str(cfg)], repo, homes)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    mine = {f for f in want if f[3] != "GHA002" and f[0] not in ("Dockerfile", "justfile")}
    assert {f[0] for f in want} > {f[0] for f in mine}  # the exclusion matters
    assert any(f[3] == "GHA002" for f in want)  # so does the ignore
    assert per_hook(proc.stdout) == {"mlops-hooks": mine}
