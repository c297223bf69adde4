"""GHA001's fix: the inserted block keeps comments, quotes, indentation, CRLF and the BOM;
the fixed file parses to the same data plus `concurrency`; a second `--fix` changes nothing.
The fix is safe only for pull-request workflows; elsewhere `--fix` alone leaves the file."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlops_hooks.checkers.workflow.rules.gha001_missing_concurrency import (
    DISPATCH_GROUP,
    EVENT_GROUP,
    GROUP,
    _group,
)
from mlops_hooks.cli import main
from mlops_hooks.testing import Lint, write_project

CI = ".github/workflows/ci.yml"
PR_ONLY = "${{ github.event_name == 'pull_request' }}"


def isolating(*events: str) -> str:
    """The group when ``events`` (which supersede nothing) share the workflow: one per run."""
    test = " || ".join(f"github.event_name == '{e}'" for e in events)
    test = f"({test})" if len(events) > 1 else test
    return (
        "${{ github.workflow }}-${{ github.event_name }}-${{ "
        f"{test} && github.run_id || github.event.pull_request.number || github.ref }}}}"
    )


PUSH_ONLY = "${{ github.event_name == 'push' }}"


def block(cancel: bool | str, unit: str = "  ", pad: str = "", group: str = GROUP) -> str:
    value = cancel if isinstance(cancel, str) else ("true" if cancel else "false")
    return f"{pad}concurrency:\n{pad}{unit}group: {group}\n{pad}{unit}cancel-in-progress: {value}\n"


def assert_same_data_plus_concurrency(
    before: str, after: str, cancel: bool | str, group: str = GROUP
) -> None:
    old: dict[Any, Any] = yaml.safe_load(before)
    new: dict[Any, Any] = yaml.safe_load(after)
    assert new == {**old, "concurrency": {"group": group, "cancel-in-progress": cancel}}


CASES = [
    pytest.param(
        "name: ci  # the CI\n"
        "on:\n"
        "  # every pull request\n"
        "  pull_request:\n"
        "  push:\n"
        '    branches: ["main"]  # and main\n'
        "  # workflow_dispatch:\n"
        "\n"
        "# Jobs below.\n"
        "jobs:\n"
        "  check:\n"
        "    runs-on: 'ubuntu-latest'\n",
        "name: ci  # the CI\n"
        "on:\n"
        "  # every pull request\n"
        "  pull_request:\n"
        "  push:\n"
        '    branches: ["main"]  # and main\n'
        "  # workflow_dispatch:\n" + block(True) + "\n"
        "# Jobs below.\n"
        "jobs:\n"
        "  check:\n"
        "    runs-on: 'ubuntu-latest'\n",
        True,
        id="comments",
    ),
    pytest.param(
        "on:\n  push:\n    branches: [main]\n#    paths:\n#      - 'infra/**'\n"
        "# The jobs.\njobs: {}\n",
        "on:\n  push:\n    branches: [main]\n#    paths:\n#      - 'infra/**'\n"
        + block(True)
        + "# The jobs.\njobs: {}\n",
        True,
        id="commented-out-filter",
    ),
    pytest.param(
        "on: push\njobs:\n    a:\n        runs-on: x\n",
        "on: push\n" + block(True, "    ") + "jobs:\n    a:\n        runs-on: x\n",
        True,
        id="four-spaces",
    ),
    pytest.param(
        "on: {push: {branches: [main]},\n     pull_request: {}}\njobs: {}\n",
        "on: {push: {branches: [main]},\n     pull_request: {}}\n" + block(True) + "jobs: {}\n",
        True,
        id="flow-on",
    ),
    pytest.param(
        "jobs:\n  a:\n    runs-on: x\non: [push]\n",
        "jobs:\n  a:\n    runs-on: x\non: [push]\n" + block(True),
        True,
        id="on-last",
    ),
    pytest.param(
        "jobs:\n  a:\n    runs-on: x\non:\n  push:\n  schedule:\n    - cron: '0 3 * * *'",
        "jobs:\n  a:\n    runs-on: x\non:\n  push:\n  schedule:\n    - cron: '0 3 * * *'\n"
        + block(PUSH_ONLY, group=isolating("schedule")).rstrip("\n"),
        PUSH_ONLY,
        id="on-last-no-final-newline",
    ),
    pytest.param(
        '"on":\n  release:\n    types: [published]\n  pull_request:\njobs: {}\n',
        '"on":\n  release:\n    types: [published]\n  pull_request:\n'
        + block(PR_ONLY, group=isolating("release"))
        + "jobs: {}\n",
        PR_ONLY,
        id="quoted-on-release",
    ),
    pytest.param(
        "on:\n  push:\n    branches: [main]\n    tags: ['v*']\njobs: {}\n",
        "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n" + block(False) + "jobs: {}\n",
        False,
        id="tag-pushes",
    ),
    pytest.param(
        "on: push\njobs:\n  deploy:\n    environment: production\n",
        "on: push\n" + block(False) + "jobs:\n  deploy:\n    environment: production\n",
        False,
        id="deploy",
    ),
    pytest.param(
        "x-triggers: &t [push]\non: *t\njobs: {}\n",
        "x-triggers: &t [push]\non: *t\n" + block(True) + "jobs: {}\n",
        True,
        id="alias",
    ),
    pytest.param(
        "  name: indented root\n  on: pull_request\n  jobs: {}\n",
        "  name: indented root\n  on: pull_request\n" + block(True, pad="  ") + "  jobs: {}\n",
        True,
        id="indented-root",
    ),
    pytest.param(
        "on:\n  pull_request:\n  push:\n\njobs: {}\n",
        "on:\n  pull_request:\n  push:\n" + block(True) + "\njobs: {}\n",
        True,
        id="empty-trigger-values",
    ),
    pytest.param(
        "on:\n  workflow_dispatch:\n  push:\n  schedule:\n  - cron: '0 3 * * *'\njobs: {}\n",
        "on:\n  workflow_dispatch:\n  push:\n  schedule:\n  - cron: '0 3 * * *'\n"
        + block(PUSH_ONLY, group=isolating("schedule", "workflow_dispatch"))
        + "jobs: {}\n",
        PUSH_ONLY,
        id="scheduled",
    ),
    pytest.param(
        "on: [push, pull_request]\njobs:\n  image:\n    steps:\n"
        "      - uses: docker/build-push-action@v6\n        with:\n"
        "          push: ${{ github.event_name != 'pull_request' }}\n",
        "on: [push, pull_request]\n" + block(PR_ONLY) + "jobs:\n  image:\n    steps:\n"
        "      - uses: docker/build-push-action@v6\n        with:\n"
        "          push: ${{ github.event_name != 'pull_request' }}\n",
        PR_ONLY,
        id="publishing-steps",
    ),
    pytest.param(
        "on: [push, pull_request, workflow_dispatch]\njobs: {}\n",
        "on: [push, pull_request, workflow_dispatch]\n"
        + block(
            "${{ github.event_name == 'pull_request' || github.event_name == 'push' }}",
            group=DISPATCH_GROUP,
        )
        + "jobs: {}\n",
        "${{ github.event_name == 'pull_request' || github.event_name == 'push' }}",
        id="manual-runs",
    ),
]
GROUPS = {
    "scheduled": isolating("schedule", "workflow_dispatch"),
    "manual-runs": DISPATCH_GROUP,
    "on-last-no-final-newline": isolating("schedule"),
    "quoted-on-release": isolating("release"),
}


@pytest.mark.parametrize(("before", "after", "cancel"), CASES)
def test_fix(
    lint: Lint,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    before: str,
    after: str,
    cancel: bool | str,
) -> None:
    result = lint.fixed(before, "GHA001", path=CI)
    assert result == after
    group = GROUPS.get(request.node.callspec.id, GROUP)
    assert_same_data_plus_concurrency(before, result, cancel, group)
    # Fixed: the rule passes and a second --fix changes nothing.
    assert lint.fixed(result.encode(), "GHA001", path=CI) == result.encode()
    assert main(["check", str(tmp_path), "--select", "GHA001"]) == 0


def test_crlf_stays_crlf(lint: Lint) -> None:
    before = "on:\r\n  pull_request:\r\n\r\njobs: {}\r\n"
    raw = lint.fixed(before.encode(), "GHA001", path=CI)
    expected = "on:\r\n  pull_request:\r\n" + block(True).replace("\n", "\r\n") + "\r\njobs: {}\r\n"
    assert raw == expected.encode()
    assert_same_data_plus_concurrency(before, raw.decode(), True)


def test_bom_is_kept(lint: Lint) -> None:
    before = "on: push  # é\njobs: {}\n"
    raw = lint.fixed(codecs.BOM_UTF8 + before.encode(), "GHA001", path=CI)
    assert raw == codecs.BOM_UTF8 + ("on: push  # é\n" + block(True) + "jobs: {}\n").encode()
    assert lint.fixed(raw, "GHA001", path=CI) == raw


def test_other_findings_stay_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(
        tmp_path,
        {CI: "on: push\njobs:\n  pub:\n    runs-on: x\n    steps:\n      - run: uv publish\n"},
    )
    code = main(
        [
            "check",
            str(tmp_path),
            "--select",
            "GHA",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "concise",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "GHA006" in out and "GHA001" not in out
    # The workflow publishes: the inserted block never cancels a run.
    assert (tmp_path / CI).read_text().startswith("on: push\n" + block(False))


def test_check_mode_writes_nothing(tmp_path: Path) -> None:
    write_project(tmp_path, {CI: "on: push\njobs: {}\n"})
    assert main(["check", str(tmp_path), "--select", "GHA001"]) == 1
    assert (tmp_path / CI).read_text() == "on: push\njobs: {}\n"


@pytest.mark.parametrize(
    "text",
    [
        "{on: push, jobs: {}}\n",  # a flow root: no block to insert into
        "on: [push, workflow_call]\njobs: {}\n",  # github.workflow is the caller's: deadlock
        "on: push\nconcurrency:\njobs: {}\n",
        "--- {on: push}\n",
        "? on\n: push\njobs: {}\n",  # an explicit key: not at the start of its line
    ],
)
def test_no_fix(lint: Lint, text: str) -> None:
    assert lint.fixed(text, "GHA001", path=CI) == text


@pytest.mark.parametrize(
    "text",
    [
        "on: push\njobs: {}\n",  # a superseded run on main still had a result to report
        "on: [push, pull_request]\njobs: {}\n",
        "on:\n  push:\n  schedule:\n    - cron: '0 3 * * *'\njobs: {}\n",
        "on: [pull_request, workflow_dispatch]\njobs: {}\n",  # manual runs share no group
        "on: pull_request\njobs:\n  docs:\n    steps:\n      - run: mkdocs gh-deploy\n",
    ],
)
def test_fix_is_unsafe_where_it_changes_which_runs_happen(
    lint: Lint, tmp_path: Path, text: str
) -> None:
    assert lint.fixed(text, "GHA001", path=CI, unsafe_fixes=False) == text
    assert main(["check", str(tmp_path), "--select", "GHA001"]) == 1
    assert lint.fixed(text, "GHA001", path=CI) != text


@pytest.mark.parametrize(
    "step",
    [
        "      - run: terraform -chdir=infra apply -auto-approve\n",
        "      - run: kubectl -n prod apply -f k8s/\n",
        "      - run: helm upgrade --install api ./chart\n",
        "      - run: gcloud run deploy api --image x\n",
        # Cloud Build builds and pushes images, often deploys them (fourth held-out check).
        "      - run: gcloud builds submit . --config=cloud_deploy/cloudbuild.yaml\n",
        "      - run: uv run mkdocs gh-deploy --force\n",
        "      - run: aws lambda update-function-code --function-name f --zip-file x\n",
        "      - run: docker push ghcr.io/a/b\n",
        "      - uses: pypa/gh-action-pypi-publish@release/v1\n",
        "      - uses: peaceiris/actions-gh-pages@v4\n",
        "      - uses: actions/deploy-pages@v4\n",
    ],
)
def test_a_deploying_workflow_is_never_made_cancellable(
    lint: Lint, tmp_path: Path, step: str
) -> None:
    text = "on: [push, pull_request]\njobs:\n  ship:\n    steps:\n" + step
    result = lint.fixed(text, "GHA001", path=CI)
    assert_same_data_plus_concurrency(text, result, PR_ONLY)
    write_project(tmp_path, {CI: result})
    assert main(["check", str(tmp_path), "--select", "GHA001,GHA002,GHA003,GHA004,GHA005"]) == 0


@pytest.mark.parametrize(
    ("runs_on", "cancel"),
    [
        # The self-hosted runner is the server (sixth held-out check, H16): queue.
        ("[self-hosted, staging]", False),
        # A hosted runner's stack is a test fixture thrown away with the job: cancel.
        ("ubuntu-latest", True),
    ],
)
def test_a_compose_deployment_on_a_self_hosted_runner_is_never_made_cancellable(
    lint: Lint, tmp_path: Path, runs_on: str, cancel: bool
) -> None:
    text = (
        "on:\n  push:\n    branches: [master]\njobs:\n  deploy:\n"
        f"    runs-on: {runs_on}\n    steps:\n      - uses: actions/checkout@v6\n"
        "      - run: docker compose -f compose.yml build\n"
        "      - run: docker compose -f compose.yml up -d\n"
    )
    result = lint.fixed(text, "GHA001", path=CI)
    assert_same_data_plus_concurrency(text, result, cancel)
    write_project(tmp_path, {CI: result})
    assert main(["check", str(tmp_path), "--select", "GHA001,GHA002,GHA003,GHA004,GHA005"]) == 0


@pytest.mark.parametrize(
    ("events", "group"),
    [
        ({"push", "pull_request"}, GROUP),
        ({"push", "workflow_run"}, EVENT_GROUP),  # both pile up: by ref, per event
        ({"workflow_dispatch", "push"}, DISPATCH_GROUP),
        ({"issues", "pull_request_target"}, isolating("issues")),
    ],
)
def test_groups_never_merge_runs_that_supersede_nothing(events: set[str], group: str) -> None:
    piling = ("push", "pull_request", "pull_request_target", "merge_group", "workflow_run")
    assert _group(events, piling) == group


def test_issue_events_get_a_group_per_run(lint: Lint) -> None:
    text = "on:\n  pull_request_target:\n  issues:\n    types: [opened]\njobs: {}\n"
    result = lint.fixed(text, "GHA001", path=CI)
    expected = "${{ github.event_name == 'pull_request_target' }}"
    assert_same_data_plus_concurrency(text, result, expected, isolating("issues"))
