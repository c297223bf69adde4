"""The workflow model: triggers, concurrency, jobs, steps and run scripts with positions."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.workflow.expressions import Prefixed
from mlops_hooks.checkers.workflow.model import RunScript, Workflow, parse
from mlops_hooks.project import Project
from mlops_hooks.source import SourceFile
from mlops_hooks.testing import Lint, write_project


def workflow(text: str, *, is_action: bool = False) -> Workflow:
    return parse(SourceFile(".github/workflows/w.yml", text), is_action=is_action)


def run_of(text: str) -> RunScript:
    steps = list(workflow(text).steps())
    assert steps and steps[0].run is not None
    return steps[0].run


STEP = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"


class TestTriggers:
    @pytest.mark.parametrize(
        ("on", "events"),
        [
            ("on: push", ["push"]),
            ("on: [push, pull_request]", ["push", "pull_request"]),
            ("on:\n  - push\n  - push\n  - release", ["push", "release"]),
            ("on:\n  pull_request:\n  push:\n    branches: [main]", ["pull_request", "push"]),
            ('"on": {push: {tags: [v*]}, workflow_dispatch: }', ["push", "workflow_dispatch"]),
            ("'on':\n  schedule:\n    - cron: '0 3 * * *'", ["schedule"]),
            ("on:", []),
            ("true: push", []),
        ],
    )
    def test_every_form(self, on: str, events: list[str]) -> None:
        assert workflow(f"{on}\njobs: {{}}\n").events == events

    def test_trigger_position_and_settings(self) -> None:
        wf = workflow("on:\n  push:\n    branches: [main]\n    tags: ['v*']\n")
        push = wf.triggers["push"]
        assert push.node.span.as_tuple() == (2, 3, 2, 7)
        assert push.filter("branches") == ["main"]
        assert push.filter("tags") == ["v*"]
        assert push.filter("paths") is None
        assert wf.on_key is not None and wf.on_key.span.as_tuple() == (1, 1, 1, 3)

    @pytest.mark.parametrize(
        ("push", "branches", "tags"),
        [
            ("push", True, True),
            ("push:\n    branches: [main]", True, False),
            ("push:\n    branches-ignore: [dev]", True, False),
            ("push:\n    tags: ['v*']", False, True),
            ("push:\n    tags-ignore: ['x*']", False, True),
            ("push:\n    branches: [main]\n    tags: ['v*']", True, True),
            ("push:\n    paths: [src/**]", True, True),
        ],
    )
    def test_branch_and_tag_pushes(self, push: str, branches: bool, tags: bool) -> None:
        wf = workflow(f"on:\n  {push}\n")
        trigger = wf.triggers["push"]
        assert (trigger.on_branches, trigger.on_tags) == (branches, tags)

    def test_contexts(self) -> None:
        wf = workflow("on:\n  push:\n    branches: [main]\n    tags: ['v*']\n  release:\n")
        assert wf.triggers["push"].contexts() == [
            {
                "github.event_name": "push",
                "github.ref_type": "branch",
                "github.ref": "refs/heads/main",
                "github.ref_name": "main",
            },
            {
                "github.event_name": "push",
                "github.ref_type": "tag",
                "github.ref": Prefixed("refs/tags/"),
            },
        ]
        assert wf.triggers["release"].contexts()[0]["github.ref_type"] == "tag"
        glob = workflow("on:\n  push:\n    branches: ['release/*']\n").triggers["push"]
        assert glob.contexts()[0]["github.ref"] == Prefixed("refs/heads/")

    def test_called_workflows_know_nothing_of_the_event(self) -> None:
        assert workflow("on: workflow_call\n").triggers["workflow_call"].contexts() == [{}]
        assert workflow("on: schedule\n").triggers["schedule"].contexts() == [
            {"github.event_name": "schedule"}
        ]

    def test_kinds_of_workflow(self) -> None:
        assert workflow("on: workflow_call\n").reusable_only
        assert not workflow("on: [workflow_call, push]\n").reusable_only
        assert workflow("on: pull_request_target\n").pull_request
        assert not workflow("on: push\n").pull_request

    def test_release_reasons(self) -> None:
        wf = workflow(
            "on:\n  release:\n  push:\n    tags: [v*]\n  deployment:\njobs:\n"
            "  a:\n    environment: pypi\n  b:\n    environment:\n      name: prod\n      url: u\n"
            "  c:\n    environment: ${{ inputs.env }}\n  d:\n    runs-on: x\n"
        )
        assert wf.release_reasons() == [
            "release",
            "tag pushes",
            "deployment",
            "job 'a' deploys to 'pypi'",
            "job 'b' deploys to 'prod'",
            "job 'c' deploys to '${{ inputs.env }}'",
        ]
        assert workflow("on: [push, pull_request]\n").release_reasons() == []


class TestConcurrencyAndJobs:
    def test_concurrency_forms(self) -> None:
        wf = workflow(
            "on: push\nconcurrency: ci-${{ github.ref }}\njobs:\n"
            "  a:\n    concurrency:\n      group: a\n      cancel-in-progress: true\n"
            "  b:\n    concurrency:\n  c:\n    runs-on: x\n"
        )
        top = wf.concurrency
        assert top is not None and top.is_bare and top.group is not None
        assert top.group.value == "ci-${{ github.ref }}"
        assert top.cancel_in_progress is None and top.label == "the workflow-level `concurrency`"
        a = wf.jobs[0].concurrency
        assert a is not None and not a.is_bare and a.group is not None and a.group.value == "a"
        assert a.cancel_in_progress is not None and a.cancel_in_progress.as_bool() is True
        assert a.label == "the `concurrency` of job 'a'"
        b = wf.jobs[1].concurrency
        assert b is not None and b.group is None
        assert wf.jobs[2].concurrency is None
        assert [c.label for c in wf.concurrencies()] == [
            "the workflow-level `concurrency`",
            "the `concurrency` of job 'a'",
            "the `concurrency` of job 'b'",
        ]

    def test_job_api(self) -> None:
        wf = workflow(
            "on: push\njobs:\n  build:\n    name: Build\n    if: github.ref == 'x'\n"
            "    environment: {name: pypi}\n  call:\n    uses: ./.github/workflows/r.yml\n"
            "  none:\n    environment:\n"
        )
        build, call, none = wf.jobs
        assert wf.name is None and workflow("name: CI\non: push\n").name == "CI"
        assert (build.id, build.name, build.environment_name) == ("build", "Build", "pypi")
        assert build.condition is not None and build.condition.value == "github.ref == 'x'"
        assert call.uses is not None and call.uses.string == "./.github/workflows/r.yml"
        assert none.environment is None and none.environment_name is None
        assert wf.job("call") is call and wf.job("nope") is None
        assert [j.id for j in wf.deploy_jobs()] == ["build"]

    def test_step_api(self) -> None:
        wf = workflow(
            STEP + "      - name: Publish\n        id: pub\n"
            "        uses: PyPA/gh-action-pypi-publish@release/v1\n"
            "        with:\n          verbose: true\n        if: success()\n"
            "      - uses: ./.github/actions/x\n      - uses: docker://alpine:3\n"
            "      - run: echo\n      - just a string\n"
        )
        first, local, docker, run = wf.steps()
        assert (first.name, first.id, first.index) == ("Publish", "pub", 0)
        assert first.action == "pypa/gh-action-pypi-publish"
        assert list(first.with_inputs) == ["verbose"]
        assert first.condition is not None and first.condition.value == "success()"
        assert first.job is wf.jobs[0] and first.workflow is wf
        assert first.span.as_tuple() == (6, 9, 11, 22)
        assert local.action == "./.github/actions/x" and docker.action == "docker://alpine:3"
        assert run.action is None and run.with_inputs == {} and run.run is not None

    def test_complex_keys_are_not_jobs(self) -> None:
        wf = workflow("on: push\njobs:\n  ? [a, b]\n  : {runs-on: x}\n  real: {}\n")
        assert [job.id for job in wf.jobs] == ["real"]

    def test_composite_action(self) -> None:
        action = workflow(
            "name: release\nruns:\n  using: composite\n  steps:\n    - run: uv publish\n"
            "      shell: bash\n",
            is_action=True,
        )
        assert action.is_action and action.jobs == [] and action.triggers == {}
        (step,) = action.steps()
        assert step.job is None and step.run is not None and step.run.text == "uv publish"

    @pytest.mark.parametrize(
        ("text", "unit"),
        [
            ("on:\n  push:\njobs: {}\n", 2),
            ("on: push\njobs:\n    a:\n        runs-on: x\n", 4),
            ("on: [push]\njobs: {}\n", 2),
            ("  on:\n     push:\n", 3),
        ],
    )
    def test_indent_unit(self, text: str, unit: int) -> None:
        assert workflow(text).indent_unit == unit

    @pytest.mark.parametrize(
        ("text", "message", "where"),
        [
            ("", "empty workflow: the file has no YAML content", (1, 1)),
            ("\n# c\n", "empty workflow: the file has no YAML content", (1, 1)),
            ("---\n...\n", "empty workflow: the file has no YAML content", (1, 1)),
            ("\n- on: push\n", "a workflow must be a YAML mapping, found a list", (2, 1)),
            ("# c\n  just text\n", "a workflow must be a YAML mapping, found a scalar", (2, 3)),
        ],
    )
    def test_not_a_mapping(self, text: str, message: str, where: tuple[int, int]) -> None:
        with pytest.raises(ParseError) as info:
            workflow(text)
        assert (info.value.message, info.value.line, info.value.column) == (message, *where)

    @pytest.mark.parametrize(
        ("runs_on", "self_hosted"),
        [
            ("self-hosted", True),
            ("[self-hosted, staging]", True),
            ("\n      - Self-Hosted\n      - linux", True),
            ("\n      group: ops\n      labels: [self-hosted, prod]", True),
            ("ubuntu-latest", False),
            ("[ubuntu-latest]", False),
            ("${{ matrix.runner }}", False),
            ("\n      group: large-runners", False),
        ],
    )
    def test_self_hosted_runner(self, runs_on: str, self_hosted: bool) -> None:
        wf = workflow(f"on: push\njobs:\n  a:\n    runs-on: {runs_on}\n    steps: []\n")
        assert wf.jobs[0].self_hosted is self_hosted

    def test_a_job_without_runs_on_is_not_self_hosted(self) -> None:
        assert (
            workflow("on: push\njobs:\n  a:\n    uses: ./.github/workflows/b.yml\n")
            .jobs[0]
            .self_hosted
            is False
        )

    def test_action_not_a_mapping(self) -> None:
        with pytest.raises(ParseError, match="an action must be a YAML mapping"):
            workflow("[a]\n", is_action=True)


class TestRunScript:
    def test_literal_block(self) -> None:
        script = run_of(
            STEP + "      - run: |  # build it\n          uv build\n\n"
            "          if true; then\n            uv publish\n          fi\n\n# comment\n"
        )
        assert script.text == "uv build\n\nif true; then\n  uv publish\nfi\n"
        assert [(line.text, line.line, line.column) for line in script.lines] == [
            ("uv build", 7, 11),
            ("", 8, 1),
            ("if true; then", 9, 11),
            ("  uv publish", 10, 11),
            ("fi", 11, 11),
        ]
        found = script.find("uv publish")
        assert found is not None and found.as_tuple() == (10, 13, 10, 23)
        assert script.find("twine") is None
        assert script.lines[0].span.as_tuple() == (7, 11, 7, 19)
        offset = script.text.index("uv publish")
        span = script.span_of(offset, offset + len("uv publish"))
        assert span is not None and span.as_tuple() == (10, 13, 10, 23)

    def test_literal_with_indentation_indicator(self) -> None:
        script = run_of(STEP + "      - run: |2\n           more\n          less\n")
        assert script.text == " more\nless\n"
        assert [(line.text, line.column) for line in script.lines] == [(" more", 11), ("less", 11)]

    def test_folded_block(self) -> None:
        script = run_of(STEP + "      - run: >-\n          uv build\n          && uv publish\n")
        assert script.text == "uv build && uv publish"
        assert [line.text for line in script.lines] == ["uv build", "&& uv publish"]
        offset = script.text.index("uv publish")
        span = script.span_of(offset, offset + 10)
        assert span is not None and span.as_tuple() == (8, 14, 8, 24)

    def test_plain_multi_line(self) -> None:
        script = run_of(STEP + "      - run: uv build &&\n          uv publish   \n")
        assert script.text == "uv build && uv publish"
        assert [(line.text, line.line, line.column) for line in script.lines] == [
            ("uv build &&", 6, 14),
            ("uv publish", 7, 11),
        ]

    def test_single_and_double_quoted(self) -> None:
        single = run_of(STEP + "      - run: 'echo ''hi'' && just check'\n")
        assert single.text == "echo 'hi' && just check"
        assert [(line.text, line.column) for line in single.lines] == [
            ("echo ''hi'' && just check", 15)
        ]
        assert single.span_of(0, 4) is None  # the value is not written verbatim there
        double = run_of(STEP + '      - run: "just check"\n')
        span = double.span_of(5, 10)
        assert span is not None and span.as_tuple() == (6, 20, 6, 25)

    def test_escapes_do_not_map(self) -> None:
        script = run_of(STEP + '      - run: "echo \\"x\\"; just check"\n')
        assert script.text == 'echo "x"; just check'
        assert script.position(script.text.index("just")) is None
        assert script.lines[0].text == 'echo \\"x\\"; just check'

    def test_crlf_and_bom(self) -> None:
        raw = (STEP + "      - run: |\n          just check\n          just test\n").replace(
            "\n", "\r\n"
        )
        source = SourceFile.from_bytes("w.yml", codecs.BOM_UTF8 + raw.encode())
        (step,) = parse(source).steps()
        assert step.run is not None and step.run.text == "just check\njust test\n"
        assert [(line.text, line.line, line.column) for line in step.run.lines] == [
            ("just check", 7, 11),
            ("just test", 8, 11),
        ]

    def test_anchor_and_alias(self) -> None:
        wf = workflow(
            STEP + "      - run: &s |\n          just check\n      - run: *s\n"
            "      - run: &t echo\n"
        )
        first, second, third = (s.run for s in wf.steps())
        assert first is not None and second is not None and third is not None
        assert first.lines[0].line == 7 and second.lines == first.lines
        assert second.node.span.as_tuple() == (8, 14, 8, 16)
        assert [(line.text, line.column) for line in third.lines] == [("echo", 17)]

    def test_empty_and_non_scalar_run(self) -> None:
        wf = workflow(STEP + "      - run: |\n      - run:\n      - run: [a]\n")
        empty, null, listed = wf.steps()
        assert empty.run is not None and empty.run.lines == () and empty.run.text == ""
        assert null.run is None and listed.run is None


class TestLocal:
    def test_local_action_and_reusable_workflow(self, tmp_path: Path) -> None:
        write_project(
            tmp_path,
            {
                ".github/actions/pub/action.yaml": "runs:\n  using: composite\n  steps: []\n",
                ".github/workflows/r.yml": "on: workflow_call\njobs: {}\n",
                ".github/actions/bad/action.yml": "runs: [\n",
                ".github/actions/bin/action.yml": "\x00",
                ".github/actions/big/action.yml": "#" * (1024 * 1024 + 1),
            },
        )
        project = Project(tmp_path)
        wf = parse(SourceFile("w.yml", "on: push\n"), project)
        action = wf.local("./.github/actions/pub")
        assert action is not None and action.is_action
        assert wf.local("./.github/actions/pub/") is action  # cached once per run
        reusable = wf.local("./.github/workflows/r.yml")
        assert reusable is not None and reusable.reusable_only and not reusable.is_action
        for ref in (
            "./.github/actions/missing",
            "./.github/actions/bad",
            "./.github/actions/bin",
            "./.github/actions/big",
            "./../outside",
            "./",
            "actions/checkout@v5",
        ):
            assert wf.local(ref) is None, ref
        assert parse(SourceFile("w.yml", "on: push\n")).local("./x") is None  # no project

    def test_symlink_outside_is_not_followed(self, tmp_path: Path) -> None:
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "action.yml").write_text("runs: {using: composite, steps: []}\n")
        (tmp_path / "repo").mkdir()
        write_project(tmp_path / "repo", {})
        (tmp_path / "repo" / "linked").symlink_to(outside)
        project = Project(tmp_path / "repo")
        wf = parse(SourceFile("w.yml", "on: push\n"), project)
        assert wf.local("./linked") is None


class TestGitHubYaml:
    """The YAML dialect of workflows: keys are strings, duplicates are refused."""

    @pytest.mark.parametrize(
        ("text", "message", "position"),
        [
            (
                'on: push\n"on": pull_request\n',
                "duplicate key 'on' (first on line 1): GitHub rejects the file",
                (2, 1),
            ),
            (
                "on: push\nx: &a {k: 1}\ny:\n  <<: *a\n  <<: *a\n",
                "duplicate key '<<' (first on line 4): GitHub rejects the file",
                (5, 3),
            ),
            ("on: push\nx: &a [*a]\n", "invalid YAML: alias *a is inside its anchor", (2, 8)),
            (
                "on: push\n---\non: pull_request\n",
                "invalid YAML: a second document; the file must be a single YAML document",
                (2, 1),
            ),
        ],
    )
    def test_what_is_refused(self, text: str, message: str, position: tuple[int, int]) -> None:
        with pytest.raises(ParseError) as info:
            workflow(text)
        assert (info.value.message, (info.value.line, info.value.column)) == (message, position)

    def test_tags_and_a_repeated_anchor_are_read(self) -> None:
        wf = workflow("on: !custom push\nx: &a 1\ny: &a 2\nz: *a\njobs: {}\n")
        assert wf.events == ["push"]
        z = wf.root.get("z")
        assert z is not None and z.value == "2"


class TestParsedOncePerRun:
    """Issue 19: the checker's parse of a workflow and the cross-file rules' parse of the
    repository's workflows (GHA008, GHA009) are one parse."""

    def test_the_same_text_is_one_model_another_text_is_parsed_again(self, tmp_path: Path) -> None:
        from mlops_hooks.checkers.workflow.model import parse_once

        project = Project(tmp_path)
        rel = ".github/workflows/w.yml"
        first = parse_once(SourceFile("w.yml", STEP + "      - run: a\n", rel), project)
        again = parse_once(SourceFile("/abs/w.yml", STEP + "      - run: a\n", rel), project)
        assert again is first
        edited = parse_once(SourceFile("w.yml", STEP + "      - run: b\n", rel), project)
        assert edited is not first
        assert [s.run.text for s in edited.steps() if s.run is not None] == ["b"]
        other = parse_once(SourceFile("x.yml", STEP + "      - run: a\n", "x.yml"), project)
        assert other is not first
        action = parse_once(
            SourceFile("w.yml", STEP + "      - run: b\n", rel), project, is_action=True
        )
        assert action is not edited
        assert action.is_action

    @staticmethod
    def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
        from mlops_hooks.checkers.workflow import model

        seen: list[str] = []
        real = model.parse

        def counting(source: SourceFile, *args: object, **kwargs: object) -> Workflow:
            seen.append(source.relpath)
            return real(source, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(model, "parse", counting)
        return seen

    def test_a_whole_run_parses_each_workflow_once(
        self, lint: Lint, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        seen = self.parsed(monkeypatch)
        found = lint(WORKFLOWS, "GHA", files={"justfile": JUSTFILE})
        assert sorted(seen) == sorted(WORKFLOWS)
        # The cross-file findings are still made: the manual publish (GHA009) and the pull
        # request workflow that does not run `just check` (GHA008).
        assert sorted(d.code for d in found if d.code in ("GHA008", "GHA009")) == [
            "GHA008",
            "GHA009",
        ]

    @pytest.mark.parametrize("name", [".github/workflows/a-ci.yml", ".github/workflows/m-docs.yml"])
    def test_a_one_file_run_reads_the_others_only_when_they_decide(
        self, lint: Lint, monkeypatch: pytest.MonkeyPatch, name: str
    ) -> None:
        # a-ci runs the gate on pull requests (GHA008 is settled) and publishes nothing
        # (GHA009 cannot be reported on it); m-docs is not triggered by pull requests, so
        # GHA008 must know whether any other workflow is.
        gate = {**WORKFLOWS, ".github/workflows/a-ci.yml": PR_GATE}
        seen = self.parsed(monkeypatch)
        assert lint(gate, ["GHA008", "GHA009"], files={"justfile": JUSTFILE}, paths=[name]) == []
        expected = [name] if name.endswith("a-ci.yml") else sorted(gate)
        assert sorted(seen) == expected


JUSTFILE = "check:\n    uv run pytest\n"
PR_GATE = "on: pull_request\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: just check\n"
WORKFLOWS = {
    ".github/workflows/a-ci.yml": "on: pull_request\njobs:\n  t:\n    runs-on: x\n"
    "    steps:\n      - run: npm test\n",
    ".github/workflows/m-docs.yml": "on: push\njobs:\n  d:\n    runs-on: x\n"
    "    steps:\n      - run: mkdocs build\n",
    ".github/workflows/z-publish.yml": "on: workflow_dispatch\njobs:\n  p:\n    runs-on: x\n"
    "    steps:\n      - run: uv build\n      - run: uv publish\n",
}
