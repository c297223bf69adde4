"""Routing, the pre-commit hook's files, and GHA000 end to end: the run goes on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mlops_hooks.checkers.workflow import CHECKER, WorkflowRule
from mlops_hooks.checkers.workflow.model import Job, Step, Workflow
from mlops_hooks.cli import main
from mlops_hooks.testing import Lint, project, write_project


@pytest.mark.parametrize(
    ("relpath", "routed"),
    [
        (".github/workflows/ci.yml", True),
        (".github/workflows/publish.yaml", True),
        (".github/workflows/sub/ci.yml", False),  # GitHub ignores subdirectories
        (".github/workflows/ci.yml.bak", False),
        (".github/workflows/README.md", False),
        (".github/actions/release/action.yml", True),
        (".github/actions/group/release/action.yaml", True),
        (".github/actions/action.yml", False),
        (".github/dependabot.yml", False),
        ("workflows/ci.yml", False),
        ("docs/.github/workflows/ci.yml", False),  # relative to the project root
    ],
)
def test_routing(relpath: str, routed: bool) -> None:
    assert CHECKER.matches(relpath) is routed


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        (".github/workflows/ci.yml", True),
        ("sub/.github/workflows/ci.yaml", True),
        (".github/actions/x/action.yml", True),
        ("justfile", True),
        ("tasks/check.just", True),
        (".github/dependabot.yml", False),
        (".github/workflows/sub/ci.yml", False),
        ("src/app.py", False),
    ],
)
def test_hook_files(path: str, matched: bool) -> None:
    # The hook's files: the kind's own routing plus the files of the facts it reads.
    from mlops_hooks.hooks import hook_files

    assert bool(re.search(hook_files(CHECKER), path)) is matched


def test_a_broken_file_does_not_stop_the_run(lint: Lint) -> None:
    files = {
        ".github/workflows/a.yml": "on: push\njobs:\n  x: [\n",
        ".github/workflows/b.yml": "on: push\njobs: {}\n",
        ".github/actions/broken/action.yml": "runs:\n  using: composite\n  using: node20\n",
    }
    found = project(lint(files, "GHA"), "code", "path", "line", "column", "message")
    assert [f[:4] for f in found] == [
        ("GHA000", ".github/actions/broken/action.yml", 3, 3),
        ("GHA000", ".github/workflows/a.yml", 4, 1),
        ("GHA001", ".github/workflows/b.yml", 1, 1),
    ]
    assert found[0][4] == "duplicate key 'using' (first on line 2): GitHub rejects the file"
    # libyaml and PyYAML word it differently; both name the unfinished flow node.
    assert found[1][4].startswith("invalid YAML: ")
    assert "while parsing a flow node" in found[1][4]


def test_unreadable_bytes(lint: Lint) -> None:
    files = {
        ".github/workflows/bin.yml": b"on: push\n\x00\x01",
        ".github/workflows/latin1.yml": b"name: caf\xe9\non: push\n",
    }
    assert project(lint(files, "GHA"), "path", "code", "line", "column") == [
        (".github/workflows/bin.yml", "GHA000", 2, 1),
        (".github/workflows/latin1.yml", "GHA000", 1, 10),
    ]


def test_json_output_names_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, {".github/workflows/ci.yml": "on: push\njobs:\n  a: 1\n  a: 2\n"})
    assert main(["check", str(tmp_path), "--select", "GHA", "--format", "json"]) == 1
    (diagnostic,) = json.loads(capsys.readouterr().out)["diagnostics"]
    assert diagnostic["code"] == "GHA000"
    assert diagnostic["path"].endswith(".github/workflows/ci.yml")
    assert (diagnostic["start"]["line"], diagnostic["start"]["column"]) == (4, 3)


def test_only_overridden_hooks_are_called() -> None:
    calls: list[str] = []

    class Steps(WorkflowRule):
        def check_step(self, step: Step) -> None:
            calls.append(f"step {step.index}")

    class Jobs(WorkflowRule):
        def check_job(self, job: Job) -> None:
            calls.append(f"job {job.id}")

        def check_workflow(self, workflow: Workflow) -> None:
            calls.append("workflow")

    from mlops_hooks.project import Project
    from mlops_hooks.rule import RuleContext
    from mlops_hooks.source import SourceFile

    source = SourceFile(
        "ci.yml", "on: push\njobs:\n  a:\n    steps: [{run: x}, {run: y}]\n  b: {}\n"
    )
    context = RuleContext(source, Project(Path.cwd()))
    model = CHECKER.parse(source, context.project, [])
    CHECKER.run(model, [Steps(context), Jobs(context)])
    assert calls == ["workflow", "job a", "job b", "step 0", "step 1"]


EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_bad_example_fix_keeps_data(tmp_path: Path) -> None:
    import shutil

    import yaml

    shutil.copytree(EXAMPLES / "bad-ml-project", tmp_path / "bad")
    workflows = sorted((tmp_path / "bad" / ".github" / "workflows").glob("*.yml"))
    before = {p.name: yaml.safe_load(p.read_text()) for p in workflows}
    main(["check", str(tmp_path / "bad"), "--select", "GHA001", "--fix", "--unsafe-fixes"])
    assert main(["check", str(tmp_path / "bad"), "--select", "GHA001"]) == 0
    for path in workflows:
        after = yaml.safe_load(path.read_text())
        added = {k: v for k, v in after.items() if k not in before[path.name]}
        assert {k: v for k, v in after.items() if k in before[path.name]} == before[path.name]
        assert set(added) <= {"concurrency"}
