"""``check --scope changed`` (the per-kind pre-commit hooks): the named files of a commit, the
findings their changes cause elsewhere, never untracked files or old findings elsewhere, and
the same findings however the file list is split into batches."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from mlops_hooks.cli import main
from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.registry import get_registry
from mlops_hooks.scope import GitState, context_pattern, git_state

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(find_just() is None, reason="just is not installed"),
]

JUSTFILE = "import 'tasks/check.just'\n\n# list\ndefault:\n    @just --list\n"
CHECK_JUST = "# run the checks\ncheck:\n    uv run ruff check\n"
DEPLOY_JUST = "# deploy\ndeploy:\n    echo deploy\n"
WORKFLOW = """\
name: check
on:
  pull_request:
concurrency:
  group: ${{ github.workflow }}-${{ github.head_ref || github.run_id }}
  cancel-in-progress: true
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - run: uv run just check
"""
NOPE = "      - run: uv run just nope\n"
DEPLOY = WORKFLOW.replace("name: check", "name: deploy").replace("just check", "just deploy")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed repository whose workflows call recipes of a ``tasks/*.just`` module."""
    write(
        tmp_path,
        {
            "justfile": JUSTFILE.replace("\n\n", "\nimport 'tasks/deploy.just'\n\n"),
            "tasks/check.just": CHECK_JUST,
            "tasks/deploy.just": DEPLOY_JUST,
            ".github/workflows/check.yml": WORKFLOW,
            ".github/workflows/deploy.yml": DEPLOY,
        },
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hook(
    capsys: pytest.CaptureFixture[str], kind: str, *files: str
) -> tuple[int, list[tuple[str, int, str]]]:
    """One hook invocation (the manifest's entry), with the JSON report's findings."""
    code = main(
        [
            "check",
            "--kind",
            kind,
            "--force-exclude",
            "--scope",
            "changed",
            "--format",
            "json",
            *files,
        ]
    )
    data = json.loads(capsys.readouterr().out)
    return code, [(d["path"], d["start"]["line"], d["code"]) for d in data["diagnostics"]]


def test_a_renamed_recipe_fails_the_workflow_that_calls_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    git(repo, "add", "-A")
    code, found = hook(capsys, "workflow", "tasks/check.just")
    assert (code, found) == (1, [(".github/workflows/check.yml", 14, "GHA007")])


def test_an_old_finding_in_an_untouched_file_is_not_reported(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The deploy workflow has called a recipe that does not exist since the first commit.
    write(repo, {".github/workflows/deploy.yml": DEPLOY.replace("just deploy", "just ship")})
    git(repo, "commit", "-qam", "old finding")
    assert main(["check", "--kind", "workflow", "--format", "concise"]) == 1
    capsys.readouterr()
    # A commit of an unrelated change to the justfile tree does not fail on it ...
    write(repo, {"tasks/check.just": CHECK_JUST.replace("ruff check", "ruff check src")})
    git(repo, "add", "-A")
    assert hook(capsys, "workflow", "tasks/check.just") == (0, [])
    # ... but a run that names the file (`pre-commit run --all-files`) reports it.
    assert hook(capsys, "workflow", ".github/workflows/deploy.yml") == (
        1,
        [(".github/workflows/deploy.yml", 14, "GHA007")],
    )


def test_a_finding_caused_by_a_file_not_named_is_left_to_its_invocation(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A named file that the commit does not change keeps its old findings, but one caused by
    a change to another file is reported by the invocation given that file."""
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    assert hook(capsys, "workflow", ".github/workflows/check.yml") == (0, [])
    assert hook(capsys, "workflow", ".github/workflows/check.yml", "tasks/check.just") == (
        1,
        [(".github/workflows/check.yml", 14, "GHA007")],
    )


def test_untracked_files_are_never_reported_nor_read_by_the_walk(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, {".github/workflows/scratch.yml": WORKFLOW + NOPE})
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    git(repo, "add", "tasks/check.just")
    code, found = hook(capsys, "workflow", "tasks/check.just")
    assert all(path != ".github/workflows/scratch.yml" for path, *_ in found)
    assert hook(capsys, "workflow", ".") == (0, [])  # a walk lists tracked files only
    assert main(["check", "--kind", "workflow", "--format", "concise", "."]) == 1  # CI does


def test_a_changed_file_reports_every_finding_of_its_own(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, {".github/workflows/check.yml": WORKFLOW + NOPE})
    assert hook(capsys, "workflow", ".github/workflows/check.yml") == (
        1,
        [(".github/workflows/check.yml", 15, "GHA007")],
    )


def _batches(
    capsys: pytest.CaptureFixture[str], kind: str, *batches: list[str]
) -> Counter[tuple[str, int, str]]:
    found: Counter[tuple[str, int, str]] = Counter()
    for batch in batches:
        found.update(hook(capsys, kind, *batch)[1])
    return found


@pytest.mark.parametrize("kind", ["workflow", "justfile"])
def test_findings_do_not_depend_on_how_the_files_are_batched(
    repo: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """Two context files changed (each breaks one workflow), plus one workflow: every split
    of the file list gives each finding exactly once."""
    write(
        repo,
        {
            "tasks/check.just": CHECK_JUST.replace("check:", "verify:"),
            "tasks/deploy.just": DEPLOY_JUST.replace("deploy:", "ship:"),
            ".github/workflows/check.yml": WORKFLOW + "      - run: uv run just default\n",
        },
    )
    git(repo, "add", "-A")
    files = ["tasks/check.just", "tasks/deploy.just", ".github/workflows/check.yml"]
    whole = _batches(capsys, kind, files)
    if kind == "workflow":
        assert whole == Counter(
            {(".github/workflows/check.yml", 14, "GHA007"): 1,
             (".github/workflows/deploy.yml", 14, "GHA007"): 1}
        )  # fmt: skip
    assert whole, kind
    for split in ([files[:1], files[1:]], [files[1:2], files[::2]], [[f] for f in files]):
        assert _batches(capsys, kind, *split) == whole, split


def test_findings_caused_jointly_are_reported_once_whatever_the_batching(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The recipe moves out of one module and into another that the justfile no longer
    imports: neither change alone breaks the workflow's call, both together do."""
    write(
        repo,
        {
            "justfile": JUSTFILE,  # no longer imports tasks/deploy.just
            "tasks/check.just": CHECK_JUST,
        },
    )
    git(repo, "add", "-A")
    whole = _batches(capsys, "workflow", ["justfile", "tasks/deploy.just"])
    assert whole == Counter({(".github/workflows/deploy.yml", 14, "GHA007"): 1})
    assert _batches(capsys, "workflow", ["justfile"], ["tasks/deploy.just"]) == whole
    assert _batches(capsys, "workflow", ["tasks/deploy.just"], ["justfile"]) == whole


def test_every_file_named_on_a_clean_tree_reports_everything(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pre-commit run --all-files` names every file: the same findings as `check .`."""
    write(repo, {"tasks/check.just": CHECK_JUST.replace("check:", "verify:")})
    git(repo, "commit", "-qam", "break it")
    main(["check", "--format", "json", "."])
    everything = [
        (d["path"], d["start"]["line"], d["code"])
        for d in json.loads(capsys.readouterr().out)["diagnostics"]
    ]
    assert (".github/workflows/check.yml", 14, "GHA007") in everything
    tracked = git(repo, "ls-files").split()
    found = []
    for kind in sorted(get_registry().checkers):
        found += hook(capsys, kind, *tracked)[1]
    assert sorted(found) == sorted(everything)


def test_outside_git_every_named_file_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, {"pyproject.toml": "", "justfile": JUSTFILE, "tasks/check.just": CHECK_JUST})
    write(tmp_path, {".github/workflows/ci.yml": WORKFLOW + NOPE})
    monkeypatch.chdir(tmp_path)
    assert hook(capsys, "workflow", ".github/workflows/ci.yml") == (
        1,
        [(".github/workflows/ci.yml", 15, "GHA007")],
    )


def test_git_state_and_context_pattern(repo: Path) -> None:
    write(repo, {"tasks/check.just": "x\n", "new.txt": "untracked\n"})
    (repo / "tasks/deploy.just").unlink()
    state = git_state(repo)
    assert state == GitState(
        frozenset(
            {
                "justfile",
                "tasks/check.just",
                "tasks/deploy.just",
                ".github/workflows/check.yml",
                ".github/workflows/deploy.yml",
            }
        ),
        frozenset({"tasks/check.just", "tasks/deploy.just"}),
        True,
    )
    checkers = get_registry().checkers
    workflow = context_pattern([checkers["workflow"]])
    assert workflow is not None
    assert [p for p in ("justfile", "tasks/a.just", "pyproject.toml") if workflow.search(p)] == [
        "justfile",
        "tasks/a.just",
    ]
    assert context_pattern([checkers["python"]]) is None
    dockerfile = context_pattern([checkers["dockerfile"]])
    assert dockerfile is not None
    assert re.search(dockerfile, "compose.yaml") and re.search(dockerfile, "uv.lock")
    assert not dockerfile.search("Dockerfile")  # one Dockerfile does not read another


def test_a_first_commit_has_no_old_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, {"justfile": JUSTFILE, "tasks/check.just": CHECK_JUST})
    write(tmp_path, {".github/workflows/ci.yml": WORKFLOW + NOPE})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    monkeypatch.chdir(tmp_path)
    state = git_state(tmp_path)
    assert state is not None and not state.has_head and state.changed == state.tracked
    assert hook(capsys, "workflow", "justfile", ".github/workflows/ci.yml") == (
        1,
        [(".github/workflows/ci.yml", 15, "GHA007")],
    )


def test_the_mirror_copies_tracked_files_and_never_writes_through_a_link(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlops_hooks import scope

    (repo / "docs").mkdir()
    (repo / "docs/link.just").symlink_to("../tasks/check.just")
    (repo / "big.lock").write_bytes(b"x" * 64)
    (repo / "small.txt").write_text("small\n")
    mirror = scope.Mirror(repo, ["justfile", "docs/link.just", "gone.txt", ".git/config"])
    try:
        assert (mirror.path / "justfile").read_text() == (repo / "justfile").read_text()
        assert (mirror.path / "docs/link.just").readlink() == Path("../tasks/check.just")
        assert not (mirror.path / "gone.txt").exists()  # tracked, deleted in the work tree
        assert list((mirror.path / ".git").iterdir()) == []  # never copied, only a marker
        # Put back at HEAD: the work tree's file (which the copy may share) is untouched.
        (repo / "justfile").write_text("changed\n")
        mirror.current("justfile")
        mirror.head("justfile")
        assert (mirror.path / "justfile").read_text() == JUSTFILE.replace(
            "\n\n", "\nimport 'tasks/deploy.just'\n\n"
        )
        assert (repo / "justfile").read_text() == "changed\n"
        mirror.head("small.txt")  # not in HEAD: absent
        assert not (mirror.path / "small.txt").exists()
        # Where hard links fail (another file system), the file is copied; one too large for
        # any reader keeps only its size.
        monkeypatch.setattr(scope.os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError()))
        monkeypatch.setattr(scope, "MAX_FACT_BYTES", 10)
        mirror.current("small.txt")
        mirror.current("big.lock")
        assert (mirror.path / "small.txt").read_text() == "small\n"
        assert (mirror.path / "big.lock").stat().st_size == 64
        assert (mirror.path / "big.lock").read_bytes() == b"\0" * 64
    finally:
        mirror.close()
    assert not mirror.path.exists()


def test_the_mirror_fills_in_one_pass_what_it_would_copy_file_by_file(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlops_hooks import scope

    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.just").write_text("secret:\n    echo no\n")
    (repo / "linked").symlink_to(outside)  # a directory replaced by a link out of the tree
    (repo / "sub").mkdir()  # a submodule: a directory where the index has a file
    (repo / "deep/er").mkdir(parents=True)
    (repo / "deep/er/a.txt").write_text("a\n")
    tracked = ["deep/er/a.txt", "justfile", "linked/secret.just", "sub", "x/.git/config"]
    # Where hard links fail (another file system), each file is copied.
    monkeypatch.setattr(scope.os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError()))
    mirror = scope.Mirror(repo, tracked)
    try:
        copied = sorted(
            p.relative_to(mirror.path).as_posix() for p in mirror.path.rglob("*") if p.is_file()
        )
        assert copied == ["deep/er/a.txt", "justfile"]
        assert (mirror.path / "deep/er/a.txt").read_text() == "a\n"
        assert not (mirror.path / "x").exists()
    finally:
        mirror.close()


def test_where_git_cannot_tell_every_named_file_is_checked(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mlops_hooks import scope

    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    monkeypatch.setattr(scope, "_git", lambda root, *args: None)
    monkeypatch.setattr(scope.Started, "output", lambda self: None)  # started early too
    assert scope.git_state(repo) is None
    # Without git's view nothing is caused: the named workflow is checked as it is.
    assert hook(capsys, "workflow", ".github/workflows/check.yml") == (
        1,
        [(".github/workflows/check.yml", 14, "GHA007")],
    )


def test_a_failing_diff_is_no_state(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlops_hooks import scope

    real = scope._git
    monkeypatch.setattr(
        scope, "_git", lambda root, *args: None if args[0] == "diff" else real(root, *args)
    )
    assert scope.git_state(repo) is None


HOOKS_CONFIG = """\
exclude: ^vendor/
repos:
  - repo: https://github.com/mlops-hooks/mlops-hooks
    rev: 0123456789abcdef0123456789abcdef01234567
    hooks:
      - id: mlops-workflows
        exclude: ^\\.github/workflows/deploy\\.yml$
"""


def test_a_caused_finding_honours_the_hooks_exclude(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pre-commit's `exclude:` of the hook holds for the files outside the commit too."""
    write(repo, {".pre-commit-config.yaml": HOOKS_CONFIG})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    write(
        repo,
        {
            "tasks/check.just": CHECK_JUST.replace("check:", "verify:"),
            "tasks/deploy.just": DEPLOY_JUST.replace("deploy:", "ship:"),
        },
    )
    assert hook(capsys, "workflow", "tasks/check.just", "tasks/deploy.just") == (
        1,
        [(".github/workflows/check.yml", 14, "GHA007")],
    )


@pytest.mark.parametrize(
    ("config", "accepted"),
    [
        (HOOKS_CONFIG, {"a.yml", "b.yml"}),
        (HOOKS_CONFIG.replace("^vendor/", "a"), {"b.yml", "vendor/c.yml"}),
        (HOOKS_CONFIG + "        files: ^b\n", {"b.yml"}),
        (HOOKS_CONFIG + "      - id: mlops-workflows\n", None),  # twice, differently
        (HOOKS_CONFIG.replace("mlops-workflows", "other"), None),
        (HOOKS_CONFIG.replace("^vendor/", "'['"), None),  # not a regex
        ("repos: [\n", None),  # not YAML
        ("- a list\n", None),
        ("repos:\n  - hooks: 3\n  - 7\n", None),
        ("exclude: [1]\nrepos:\n  - hooks:\n      - id: mlops-workflows\n", None),
    ],
)
def test_precommit_filter(tmp_path: Path, config: str, accepted: set[str] | None) -> None:
    from mlops_hooks.scope import precommit_filter

    assert precommit_filter(tmp_path, "mlops-workflows") is None  # no config
    (tmp_path / ".pre-commit-config.yaml").write_text(config)
    accepts = precommit_filter(tmp_path, "mlops-workflows")
    paths = ["a.yml", "b.yml", "vendor/c.yml", ".github/workflows/deploy.yml"]
    assert (None if accepts is None else {p for p in paths if accepts(p)}) == accepted


def test_an_untracked_context_file_does_not_change_what_a_commit_is_judged_on(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An optional import of a module that only this laptop has (never added): a workflow
    that calls its recipe fails in CI, so it fails the commit too."""
    write(repo, {"justfile": "import? 'tasks/local.just'\n" + (repo / "justfile").read_text()})
    git(repo, "commit", "-qam", "optional import")
    write(repo, {"tasks/local.just": "# mine\nnope:\n    echo\n"})  # untracked
    write(repo, {".github/workflows/check.yml": WORKFLOW + NOPE})
    git(repo, "add", "-A", ".github")
    assert main(["check", "--kind", "workflow", "--format", "concise", ".github"]) == 0
    capsys.readouterr()
    assert hook(capsys, "workflow", ".github/workflows/check.yml") == (
        1,
        [(".github/workflows/check.yml", 15, "GHA007")],
    )
    # A fix writes the work tree: it is checked there.
    code = main(["check", "--kind", "workflow", "--scope", "changed", "--fix", ".github"])
    assert code == 0


# -- the all-in-one hook (`mlops-hooks`): every kind in one process, judged the same way ----


def all_in_one(
    capsys: pytest.CaptureFixture[str], *files: str
) -> tuple[int, list[tuple[str, int, str]]]:
    """The all-in-one hook's invocation (its manifest entry, no `--kind`)."""
    code = main(["check", "--force-exclude", "--scope", "changed", "--format", "json", *files])
    data = json.loads(capsys.readouterr().out)
    return code, [(d["path"], d["start"]["line"], d["code"]) for d in data["diagnostics"]]


OLD_FINDINGS = {
    "Dockerfile": "FROM python:3.12-slim\nRUN pip install mlflow\n",
    "src/serve.py": 'import mlflow\n\nmodel = mlflow.pyfunc.load_model("models:/bikes/3")\n',
}


def test_the_all_in_one_hook_reports_what_the_commit_breaks_and_no_old_finding(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, OLD_FINDINGS)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "old findings")
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    (repo / "src/train.py").write_text('"""Clean."""\n')
    git(repo, "add", "-A")
    # The workflow the rename breaks, and the changed module's own finding (no group); not
    # the Dockerfile's or serve.py's old findings, nor the old JST001 of the justfile.
    assert all_in_one(capsys, "src/train.py", "tasks/check.just") == (
        1,
        [(".github/workflows/check.yml", 14, "GHA007"), ("tasks/check.just", 2, "JST006")],
    )
    # The same commit without the module: the clean Python file passes.
    assert all_in_one(capsys, "src/train.py") == (0, [])


def test_only_the_kinds_that_read_a_changed_file_go_through_the_chain(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed justfile module can cause findings in workflows, justfiles and pre-commit
    configs, never in a Dockerfile or a Python file: those are not checked again."""
    import mlops_hooks.scope as scope

    write(repo, OLD_FINDINGS)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "old findings")
    chained: list[str] = []
    real = scope.chain

    def spy(*args: object, **kwargs: object) -> scope.Chain:
        chained.extend(args[4])  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scope, "chain", spy)
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    assert all_in_one(capsys, "tasks/check.just")[0] == 1
    assert sorted(chained) == [
        ".github/workflows/check.yml",
        ".github/workflows/deploy.yml",
        "justfile",
        "tasks/deploy.just",
    ]
    # A commit of Python files alone starts no chain at all.
    chained.clear()
    (repo / "src/serve.py").write_text(OLD_FINDINGS["src/serve.py"] + "\n")
    git(repo, "checkout", "--", "tasks/check.just")
    assert all_in_one(capsys, "src/serve.py") == (1, [("src/serve.py", 3, "MLF001")])
    assert chained == []


def test_the_all_in_one_hook_honours_its_exclude_for_caused_findings(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, {".pre-commit-config.yaml": HOOKS_CONFIG.replace("mlops-workflows", "mlops-hooks")})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    write(
        repo,
        {
            "tasks/check.just": CHECK_JUST.replace("check:", "verify:"),
            "tasks/deploy.just": DEPLOY_JUST.replace("deploy:", "ship:"),
        },
    )
    code, found = all_in_one(capsys, "tasks/check.just", "tasks/deploy.just")
    assert [f for f in found if f[2] == "GHA007"] == [(".github/workflows/check.yml", 14, "GHA007")]


def test_head_blobs_reads_many_files_at_head_in_one_batch(repo: Path) -> None:
    from mlops_hooks.scope import head_blob, head_blobs

    odd = ["with space.just", "new\nline.just"]
    write(repo, {name: f"# {name!r}\n" for name in odd})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "odd names")
    (repo / "justfile").write_text("changed\n")  # the work tree never counts
    names = ["justfile", "tasks", "absent.just", *odd, "tasks/check.just"]
    assert head_blobs(repo, names) == {
        "justfile": JUSTFILE.replace("\n\n", "\nimport 'tasks/deploy.just'\n\n").encode(),
        "tasks": None,  # a directory at HEAD: no file content
        "absent.just": None,
        "with space.just": b"# 'with space.just'\n",
        "new\nline.just": b"# 'new\\nline.just'\n",
        "tasks/check.just": CHECK_JUST.encode(),
    }
    assert head_blobs(repo, []) == {}
    assert head_blob(repo, "absent.just") is None


def test_git_listing_tells_tracked_from_untracked_files(repo: Path) -> None:
    from mlops_hooks.scope import git_listing

    write(repo, {".gitignore": "*.log\n", "new file.just": "x\n", "debug.log": "x\n"})
    (repo / "tasks/deploy.just").unlink()  # deleted in the work tree: still tracked
    assert git_listing(repo) == (
        frozenset(
            {
                "justfile",
                "tasks/check.just",
                "tasks/deploy.just",
                ".github/workflows/check.yml",
                ".github/workflows/deploy.yml",
            }
        ),
        frozenset({".gitignore", "new file.just"}),  # never an ignored file
    )


def test_git_started_early_answers_as_git_asked_late(repo: Path) -> None:
    from mlops_hooks.scope import (
        DIFF_ARGS,
        LISTING_ARGS,
        Started,
        git_changed,
        git_listing,
    )

    (repo / "justfile").write_text("changed:\n    echo\n")
    write(repo, {"new.just": "x\n"})
    diff, listing = Started(repo, *DIFF_ARGS), Started(repo, *LISTING_ARGS)
    assert git_changed(repo, diff) == git_changed(repo) == (frozenset({"justfile"}), True)
    assert git_listing(repo, listing) == git_listing(repo)
    assert diff.output() is None  # taken once
    failing = Started(repo, "cat-file", "blob", "HEAD:absent")
    assert failing.output() is None
    unused = Started(repo, *LISTING_ARGS)
    unused.close()  # never read: stopped and reaped
    assert unused.output() is None


def test_a_check_asks_git_while_it_checks_and_a_fix_asks_first(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlops_hooks import scope
    from mlops_hooks.engine import Engine

    events: list[str] = []
    started_init = scope.Started.__init__
    run = Engine.run

    def started(self: scope.Started, root: Path, *args: str) -> None:
        events.append(f"start {args[0]}")
        started_init(self, root, *args)

    def checked(self: Engine, paths: object) -> object:
        events.append("check")
        return run(self, paths)  # type: ignore[arg-type]

    def asked(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
        events.append(f"git {args[0]}")
        return git_read(root, *args, stdin=stdin)

    git_read = scope._git
    monkeypatch.setattr(scope.Started, "__init__", started)
    monkeypatch.setattr(Engine, "run", checked)
    monkeypatch.setattr(scope, "_git", asked)
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    hook(capsys, "workflow", "tasks/check.just")
    assert events[:3] == ["start diff", "start ls-files", "check"]
    events.clear()
    hook(capsys, "workflow", "--fix", "tasks/check.just")
    assert events[:2] == ["git diff", "check"]


def test_the_worlds_of_a_commit_share_each_justfile_trees_dump(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The work tree and the copy at its current content hold the same justfile tree, and
    so does the copy at ``HEAD`` when the commit changes no file of the tree: each distinct
    tree is dumped once, and the findings are those of separate dumps."""
    from mlops_hooks.project.justfile import sandbox

    runs: list[list[str]] = []
    real = sandbox._run

    def spy(argv: list[str], cwd: Path) -> object:
        runs.append(argv)
        return real(argv, cwd)

    monkeypatch.setattr(sandbox, "_run", spy)
    # A workflow changed: the justfile tree is the same in every world.
    write(repo, {".github/workflows/check.yml": WORKFLOW + NOPE})
    git(repo, "add", "-A")
    assert hook(capsys, "workflow", ".github/workflows/check.yml") == (
        1,
        [(".github/workflows/check.yml", 15, "GHA007")],
    )
    assert len(runs) == 1
    # A renamed recipe: the HEAD tree and the current one, one dump each.
    runs.clear()
    git(repo, "reset", "-q", "--hard")
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    git(repo, "add", "-A")
    assert hook(capsys, "workflow", "tasks/check.just") == (
        1,
        [(".github/workflows/check.yml", 14, "GHA007")],
    )
    assert len(runs) == 2
    # Outside a hook run, nothing is shared: each check dumps its tree.
    runs.clear()
    assert main(["check", "--kind", "workflow", "--format", "concise"]) == 1
    assert main(["check", "--kind", "workflow", "--format", "concise"]) == 1
    assert len(runs) == 2


def test_earlier_worlds_check_only_the_files_with_a_finding_in_the_final_one(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a finding of the final world can be caused: the ``HEAD`` world checks the files
    that have one, and is not needed when none has."""
    import mlops_hooks.scope as scope

    checked: list[list[str]] = []
    real = scope._findings

    def spy(engine: object, mirror: Path, files: list[str]) -> object:
        checked.append(list(files))
        return real(engine, mirror, files)  # type: ignore[arg-type]

    monkeypatch.setattr(scope, "_findings", spy)
    # An unrelated change to the justfile tree: the final world has no finding.
    write(repo, {"tasks/check.just": CHECK_JUST.replace("ruff check", "ruff check src")})
    git(repo, "add", "-A")
    assert hook(capsys, "workflow", "tasks/check.just") == (0, [])
    assert checked == [[".github/workflows/check.yml", ".github/workflows/deploy.yml"]]
    # A renamed recipe breaks one workflow, another keeps an old finding, a third has none:
    # the HEAD world checks the first two only, and tells the old finding from the caused one.
    checked.clear()
    git(repo, "reset", "-q", "--hard")
    write(repo, {".github/workflows/deploy.yml": DEPLOY.replace("just deploy", "just ship")})
    write(repo, {".github/workflows/other.yml": DEPLOY.replace("name: deploy", "name: other")})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "old finding")
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    git(repo, "add", "-A")
    assert hook(capsys, "workflow", "tasks/check.just") == (
        1,
        [(".github/workflows/check.yml", 14, "GHA007")],
    )
    workflows = [".github/workflows/check.yml", ".github/workflows/deploy.yml"]
    assert checked == [[*workflows, ".github/workflows/other.yml"], workflows]


def test_only_files_a_stepped_checker_could_match_are_routed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Routing costs file-system checks: in a large repository, the unchanged files that no
    checker of the changed context's kinds could match are never routed."""
    import mlops_hooks.scope as scope

    write(repo, {f"docs/page{n}.md": "# page\n" for n in range(20)})
    write(repo, {"sub/.github/workflows/nested.yml": WORKFLOW + NOPE})  # a nested path
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "docs")
    routed: list[str] = []
    real = scope._kind

    def spy(engine: object, path: Path) -> str | None:
        routed.append(path.relative_to(repo).as_posix())
        return real(engine, path)  # type: ignore[arg-type]

    monkeypatch.setattr(scope, "_kind", spy)
    (repo / "tasks/check.just").write_text(CHECK_JUST.replace("check:", "verify:"))
    git(repo, "add", "-A")
    assert hook(capsys, "workflow", "tasks/check.just") == (
        1,
        [(".github/workflows/check.yml", 14, "GHA007")],
    )
    assert sorted(routed) == [
        ".github/workflows/check.yml",
        ".github/workflows/deploy.yml",
        "sub/.github/workflows/nested.yml",
    ]
