"""GHA001-GHA006 on the tricky cases: trigger forms, reusable workflows, job-level
concurrency, expressions, deploys and local actions. Exact codes, spans and messages."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

CI = ".github/workflows/ci.yml"


JOB = "jobs:\n  a:\n    runs-on: x\n"


class TestMissingConcurrency:
    @pytest.mark.parametrize(
        ("on", "span"),
        [
            ("on: push\n", (1, 1, 1, 3)),
            ("on: [push, pull_request]\n", (1, 1, 1, 3)),
            ("on:\n  pull_request:\n    types: [opened, synchronize]\n", (1, 1, 1, 3)),
            ('"on": {merge_group: }\n', (1, 1, 1, 5)),
            ("name: x\n'on':\n  - push\n  - schedule\n", (2, 1, 2, 5)),
            ("on:\n  workflow_run:\n    workflows: [ci]\n", (1, 1, 1, 3)),
        ],
    )
    def test_every_trigger_form(self, lint: Lint, on: str, span: tuple[int, ...]) -> None:
        assert project(lint(on + JOB, "GHA001"), "span") == [span]

    def test_message_names_the_piling_triggers(self, lint: Lint) -> None:
        (finding,) = project(lint("on: [issues, push, workflow_call]\n" + JOB, "GHA001"))
        assert finding[2] == (
            "no `concurrency` in a workflow triggered by push: superseded runs pile up;"
            " add a workflow-level `concurrency` group"
        )

    @pytest.mark.parametrize(
        "on",
        [
            "on: workflow_call\n",
            "on: [workflow_call]\n",
            "on:\n  workflow_call:\n    inputs:\n      x: {type: string}\n",
            "on: issues\n",
            "on: [pull_request_review, issue_comment]\n",
            "on:\n",
            # Nothing supersedes these runs: each is an event or a request of its own.
            "on: workflow_dispatch\n",
            "on:\n  release:\n    types: [published]\n",
            "on: [release, workflow_dispatch]\n",
            "on:\n  schedule:\n    - cron: '0 0 * * 0'\n  workflow_dispatch:\n",
            "on:\n  issue_comment:\n    types: [created]\n  issues:\n    types: [labeled]\n"
            "  schedule:\n    - cron: '0 0 * * 0'\n",
            "on:\n  pull_request:\n    types: [opened, closed, labeled]\n",
            "on:\n  pull_request_target:\n    types: [assigned]\n  workflow_dispatch:\n",
        ],
    )
    def test_exempt(self, lint: Lint, on: str) -> None:
        assert lint(on + JOB, "GHA001") == []

    def test_reusable_and_triggered_is_flagged_without_fix(self, lint: Lint) -> None:
        (found,) = lint("on: [workflow_call, push]\n" + JOB, "GHA001")
        assert found.span.as_tuple() == (1, 1, 1, 3) and found.fix is None

    def test_workflow_level_concurrency_is_enough(self, lint: Lint) -> None:
        text = "on: push\nconcurrency: ${{ github.ref }}\n" + JOB
        assert lint(text, "GHA001") == []

    def test_job_level_concurrency_on_every_job(self, lint: Lint) -> None:
        text = (
            "on: [push, pull_request]\njobs:\n"
            "  a:\n    concurrency: a-${{ github.ref }}\n    runs-on: x\n"
            "  b:\n    concurrency:\n      group: b-${{ github.ref }}\n"
            "      cancel-in-progress: true\n"
            "  c:\n    uses: ./.github/workflows/r.yml\n    concurrency: c-${{ github.ref }}\n"
        )
        assert lint(text, "GHA001") == []

    def test_job_level_concurrency_on_some_jobs(self, lint: Lint) -> None:
        text = (
            "on: [push, pull_request]\njobs:\n"
            "  a:\n    concurrency: a-${{ github.ref }}\n    runs-on: x\n"
            "  b:\n    runs-on: x\n  c:\n    runs-on: x\n"
        )
        (found,) = lint(text, "GHA001")
        assert found.message == (
            "no workflow-level `concurrency`, and jobs 'b', 'c' have none: superseded runs of a"
            " workflow triggered by push, pull_request pile up"
        )
        assert found.fix is None  # a new group could deadlock with job a's

    def test_null_concurrency_is_missing_but_not_fixed(self, lint: Lint) -> None:
        (found,) = lint("on: push\nconcurrency:\n" + JOB, "GHA001")
        assert found.fix is None

    def test_triggers_option(self, lint: Lint) -> None:
        options = {"missing-concurrency": {"triggers": ["issues"]}}
        assert project(lint("on: issues\n" + JOB, "GHA001", options=options), "span") == [
            (1, 1, 1, 3)
        ]
        assert lint("on: push\n" + JOB, "GHA001", options=options) == []

    def test_local_action_has_no_triggers(self, lint: Lint) -> None:
        files = {".github/actions/x/action.yml": "runs:\n  using: composite\n  steps: []\n"}
        assert lint("on: issues\n" + JOB, "GHA001", files=files) == []


CONSEQUENCE = "so a superseded pull-request run keeps running and the new one waits"


class TestApiOnlyWorkflows:
    ON = "on:\n  push:\n  pull_request_target:\n    types: [synchronize]\n"
    LABELER = (
        "jobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: eps1lon/actions-label-merge-conflict@v3\n"
        "  board:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/github-script@v7\n        with:\n          script: core.info('hi')\n"
    )

    def test_remote_api_actions_alone_pile_nothing_up(self, lint: Lint) -> None:
        assert lint(self.ON + self.LABELER, "GHA001") == []

    @pytest.mark.parametrize(
        "extra",
        [
            "      - uses: actions/checkout@v5\n",
            "      - run: echo done\n",
            "      - uses: ./.github/actions/label\n",
            "      - uses: docker://alpine:3.20\n",
            "      - uses: docker/build-push-action@v6\n",
            "      - uses: softprops/action-gh-release@v2\n",
        ],
    )
    def test_anything_more_than_api_calls_is_checked(self, lint: Lint, extra: str) -> None:
        found = lint(self.ON + self.LABELER + extra, "GHA001")
        assert project(found, "span", "message") == [
            (
                (1, 1, 1, 3),
                "no `concurrency` in a workflow triggered by push, pull_request_target:"
                " superseded runs pile up; add a workflow-level `concurrency` group",
            )
        ]

    @pytest.mark.parametrize(
        "job",
        [
            "  other:\n    uses: ./.github/workflows/reusable.yml\n",
            "  other:\n    runs-on: x\n    container: python:3.12\n    steps:\n"
            "      - uses: actions/labeler@v5\n",
            "  other:\n    runs-on: x\n    services:\n      db:\n        image: postgres\n"
            "    steps:\n      - uses: actions/labeler@v5\n",
            "  other:\n    runs-on: x\n    environment: production\n    steps:\n"
            "      - uses: actions/labeler@v5\n",
            "  other:\n    runs-on: x\n",
        ],
    )
    def test_jobs_that_do_more_are_checked(self, lint: Lint, job: str) -> None:
        assert project(lint(self.ON + self.LABELER + job, "GHA001"), "span") == [(1, 1, 1, 3)]


class TestPullRequestRunsNotCancelled:
    @pytest.mark.parametrize(
        ("concurrency", "span", "what"),
        [
            ("concurrency: ci-${{ github.ref }}\n", (3, 14, 3, 34), "is a bare group"),
            ("concurrency:\n  group: g\n", (3, 1, 3, 12), "has no `cancel-in-progress`"),
            (
                "concurrency:\n  group: g\n  cancel-in-progress: false\n",
                (5, 23, 5, 28),
                "has `cancel-in-progress: false`",
            ),
            (
                "concurrency:\n  group: g\n  cancel-in-progress: 'false'\n",
                (5, 23, 5, 30),
                "has `cancel-in-progress: false`",
            ),
        ],
    )
    def test_not_cancelling(
        self, lint: Lint, concurrency: str, span: tuple[int, ...], what: str
    ) -> None:
        text = "on: [push, pull_request]\n# c\n" + concurrency
        assert project(lint(text, "GHA002")) == [
            (
                "GHA002",
                span,
                f"the workflow-level `concurrency` {what}, {CONSEQUENCE};"
                " set `cancel-in-progress: true`",
            )
        ]

    @pytest.mark.parametrize(
        "cancel",
        ["true", "yes", "'true'", "${{ github.event_name == 'pull_request' }}", "${{ inputs.x }}"],
    )
    def test_cancelling_or_deliberate(self, lint: Lint, cancel: str) -> None:
        text = f"on: pull_request\nconcurrency:\n  group: g\n  cancel-in-progress: {cancel}\n"
        assert lint(text, "GHA002") == []

    def test_null_concurrency(self, lint: Lint) -> None:
        assert lint("on: pull_request\nconcurrency:\n", "GHA002") == []

    def test_only_pull_request_workflows(self, lint: Lint) -> None:
        text = "on: [push, schedule]\nconcurrency: ci\n"
        assert lint(text, "GHA002") == []

    def test_job_level_when_no_workflow_level(self, lint: Lint) -> None:
        text = (
            "on: pull_request_target\njobs:\n  a:\n    concurrency: a-${{ github.ref }}\n"
            "  b:\n    concurrency: {group: b, cancel-in-progress: true}\n"
            "  deploy:\n    environment: preview\n    concurrency: preview\n"
        )
        assert project(lint(text, "GHA002"), "span") == [(4, 18, 4, 37)]

    def test_workflow_level_wins_over_jobs(self, lint: Lint) -> None:
        text = (
            "on: pull_request\nconcurrency:\n  group: g\n  cancel-in-progress: true\njobs:\n"
            "  a:\n    concurrency: a\n"
        )
        assert lint(text, "GHA002") == []


RELEASE_MESSAGE = (
    "`cancel-in-progress` is true in a workflow that releases or deploys ({}): a newer run"
    " kills it half way (a partial upload, a tag without its image, a half-done deployment);"
    " set it to `false`"
)


class TestCancellableRelease:
    @pytest.mark.parametrize(
        ("on", "why"),
        [
            ("on:\n  release:\n    types: [published]\n", "triggered by release"),
            ("on:\n  push:\n    tags: ['v*']\n", "triggered by tag pushes"),
            ("on:\n  push:\n    tags-ignore: [nightly]\n", "triggered by tag pushes"),
            ("on: deployment\n", "triggered by deployment"),
            (
                "on: [push, release]\n",
                "triggered by release",
            ),
        ],
    )
    def test_release_triggers(self, lint: Lint, on: str, why: str) -> None:
        text = on + "concurrency:\n  group: g\n  cancel-in-progress: true\n"
        assert project(lint(text, "GHA003")) == [
            ("GHA003", (text.count("\n"), 23, text.count("\n"), 27), RELEASE_MESSAGE.format(why))
        ]

    def test_no_cancel_in_progress(self, lint: Lint) -> None:
        text = (
            "on: release\nconcurrency: ${{ github.ref }}\n"
            "jobs:\n  a:\n    concurrency: {group: a}\n"
        )
        assert lint(text, "GHA003") == []

    def test_plain_push_is_not_a_release(self, lint: Lint) -> None:
        text = "on: [push, pull_request]\nconcurrency:\n  group: g\n  cancel-in-progress: true\n"
        assert lint(text, "GHA003") == []

    @pytest.mark.parametrize(
        ("cancel", "flagged"),
        [
            ("${{ github.event_name == 'pull_request' }}", False),
            ("${{ github.event_name != 'release' }}", False),
            ("${{ !startsWith(github.ref, 'refs/tags/') }}", False),
            ("${{ inputs.cancel }}", False),
            ("${{ true }}", True),
            ("${{ github.event_name == 'release' }}", True),
            ("${{ github.ref_type == 'tag' || github.event_name == 'pull_request' }}", True),
        ],
    )
    def test_expressions(self, lint: Lint, cancel: str, flagged: bool) -> None:
        text = (
            "on: [pull_request, release]\nconcurrency:\n  group: ${{ github.ref }}\n"
            f"  cancel-in-progress: {cancel}\n"
        )
        assert bool(project(lint(text, "GHA003"))) is flagged

    def test_job_level_on_release_workflow(self, lint: Lint) -> None:
        text = (
            "on:\n  release:\njobs:\n  build:\n"
            "    concurrency: {group: b, cancel-in-progress: true}\n"
        )
        assert project(lint(text, "GHA003"), "span") == [(5, 49, 5, 53)]

    def test_deploy_jobs(self, lint: Lint) -> None:
        text = (
            "on: [pull_request, push]\n"
            "concurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
            "jobs:\n"
            "  test:\n    concurrency: {group: t, cancel-in-progress: true}\n"
            "  deploy:\n    environment: production\n    if: github.event_name == 'push'\n"
            "    concurrency:\n      group: deploy\n      cancel-in-progress: true\n"
        )
        assert project(lint(text, "GHA003")) == [
            (
                "GHA003",
                (13, 27, 13, 31),
                RELEASE_MESSAGE.format("job 'deploy' deploys to 'production'"),
            )
        ]

    def test_deploy_job_guard_decides_expressions(self, lint: Lint) -> None:
        base = (
            "on: [pull_request, push]\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: {}\njobs:\n  deploy:\n    environment: prod\n"
            "    if: github.event_name == 'push'\n"
        )
        on_push = base.replace("{}", "${{ github.event_name == 'push' }}")
        assert project(lint(on_push, "GHA003"), "span") == [(4, 23, 4, 57)]
        on_pr = base.replace("{}", "${{ github.event_name == 'pull_request' }}")
        assert lint(on_pr, "GHA003") == []

    def test_preview_deploys_on_pull_requests_only(self, lint: Lint) -> None:
        text = (
            "on: pull_request\nconcurrency:\n  group: ${{ github.ref }}\n"
            "  cancel-in-progress: true\njobs:\n  preview:\n    environment: preview\n"
        )
        assert project(lint(text, "GHA003"), "span") == [(4, 23, 4, 27)]


SHARED = (
    "every pull request shares it, so one cancels another's run;"
    " add `${{ github.event.pull_request.number || github.ref }}`"
)


class TestSharedConcurrencyGroup:
    @pytest.mark.parametrize(
        "group",
        [
            "${{ github.ref }}",
            "${{ github.head_ref || github.run_id }}",
            "ci-${{ github.event.pull_request.number }}",
            "${{ github.workflow }}-${{ github.run_id }}",
            "${{ format('{0}-{1}', github.workflow, github.REF) }}",
        ],
    )
    def test_per_run_groups(self, lint: Lint, group: str) -> None:
        text = f"on: pull_request\nconcurrency:\n  group: {group}\n  cancel-in-progress: true\n"
        assert lint(text, "GHA004") == []

    @pytest.mark.parametrize(
        ("group", "message"),
        [
            ("ci", "the workflow-level `concurrency` group is the literal 'ci': " + SHARED),
            (
                "github.ref",  # written without ${{ }}: a literal string
                "the workflow-level `concurrency` group is the literal 'github.ref': " + SHARED,
            ),
            (
                "${{ github.workflow }}-${{ github.ref_type }}",
                "the workflow-level `concurrency` group reads no per-run value (github.ref,"
                " github.head_ref, github.event.pull_request.number, github.run_id): " + SHARED,
            ),
        ],
    )
    def test_shared_groups(self, lint: Lint, group: str, message: str) -> None:
        text = f"on: [pull_request, push]\nconcurrency:\n  group: {group}\n"
        assert project(lint(text, "GHA004")) == [("GHA004", (3, 10, 3, 10 + len(group)), message)]

    def test_only_pull_request_workflows(self, lint: Lint) -> None:
        text = "on: [push]\nconcurrency: deploy\njobs:\n  a:\n    concurrency: a\n"
        assert lint(text, "GHA004") == []

    def test_no_group(self, lint: Lint) -> None:
        text = "on: pull_request\nconcurrency:\n  cancel-in-progress: true\n"
        assert lint(text, "GHA004") == []

    def test_option(self, lint: Lint) -> None:
        text = "on: pull_request\nconcurrency: ${{ github.sha }}\n"
        assert project(lint(text, "GHA004"), "span") == [(2, 14, 2, 31)]
        options = {"GHA004": {"per-run-contexts": ["github.sha"]}}
        assert lint(text, "GHA004", options=options) == []


class TestHeadRefWithoutFallback:
    @pytest.mark.parametrize(
        "group",
        [
            "${{ github.head_ref || github.run_id }}",
            "${{ github.head_ref || github.ref }}",
            "${{ github.head_ref }}-${{ github.sha }}",
            "${{ github.workflow }}-${{ github.ref }}",
        ],
    )
    def test_with_fallback(self, lint: Lint, group: str) -> None:
        text = f"on: [pull_request, push]\nconcurrency: {group}\n"
        assert lint(text, "GHA005") == []

    def test_push_only_workflow(self, lint: Lint) -> None:
        text = "on: push\nconcurrency:\n  group: ci-${{ github.head_ref }}\n"
        assert project(lint(text, "GHA005")) == [
            (
                "GHA005",
                (3, 17, 3, 32),
                "`github.head_ref` is empty for push runs, so they all share one concurrency"
                " group; use `github.head_ref || github.run_id`",
            )
        ]

    def test_head_ref_in_literal_text_is_not_read(self, lint: Lint) -> None:
        text = "on: push\nconcurrency: github.head_ref\n"
        assert lint(text, "GHA005") == []

    def test_job_level(self, lint: Lint) -> None:
        text = (
            "on: [pull_request_target, merge_group]\njobs:\n  a:\n"
            "    concurrency: ${{ github.head_ref }}\n"
        )
        assert project(lint(text, "GHA005"), "span") == [(4, 22, 4, 37)]


PUSH_MAIN = "on:\n  push:\n    branches: [main]\njobs:\n  release:\n    runs-on: x\n    steps:\n"
SUFFIX = "on every push to main: publish on a `release` or a tag push instead"


class TestPublishOnEveryPush:
    @pytest.mark.parametrize(
        ("step", "span", "what"),
        [
            (
                "      - uses: pypa/gh-action-pypi-publish@release/v1\n",
                (8, 15, 8, 53),
                "publishes with `pypa/gh-action-pypi-publish`",
            ),
            (
                "      - run: uv build && uv publish\n",
                (8, 26, 8, 36),
                "publishes with `uv publish`",
            ),
            (
                "      - run: |\n          uv build\n          python -m twine upload dist/*\n",
                (10, 21, 10, 33),
                "publishes with `twine upload`",
            ),
            (
                "      - run: >\n          sudo DOCKER_X=1\n          docker push ghcr.io/a/b\n",
                (10, 11, 10, 22),
                "publishes with `docker push`",
            ),
            (
                "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n",
                (10, 17, 10, 21),
                "pushes an image with `docker/build-push-action` (`push` is true)",
            ),
            (
                '      - run: "echo \\"go\\" && uv publish"\n',
                (8, 14, 8, 41),  # an escape before it: the whole script
                "publishes with `uv publish`",
            ),
        ],
    )
    def test_publishing_steps(
        self, lint: Lint, step: str, span: tuple[int, ...], what: str
    ) -> None:
        assert project(lint(PUSH_MAIN + step, "GHA006")) == [("GHA006", span, f"{what} {SUFFIX}")]

    @pytest.mark.parametrize(
        "step",
        [
            "      - run: echo uv publish\n",
            "      - run: uv publish --help || true  # mlops-hooks: ignore[GHA006] a dry check\n",
            "      - run: uv build\n",
            "      - uses: docker/build-push-action@v6\n        with:\n          push: false\n",
            "      - uses: docker/build-push-action@v6\n"
            "        with:\n          push: ${{ github.event_name == 'release' }}\n",
            "      - run: uv publish\n        if: github.event_name == 'release'\n",
            "      - run: uv publish\n        if: ${{ startsWith(github.ref, 'refs/tags/') }}\n",
            "      - run: uv publish\n        if: github.ref == 'refs/heads/release'\n",
            "      - run: uv publish\n        if: false\n",
            # A heredoc body is data, not commands (the lexer skips it).
            "      - run: |\n          cat <<EOF > notes.md\n          uv publish\n          EOF\n",
        ],
    )
    def test_not_publishing_on_branch_pushes(self, lint: Lint, step: str) -> None:
        assert lint(PUSH_MAIN + step, "GHA006") == []

    @pytest.mark.parametrize(
        "on",
        [
            "on:\n  push:\n    tags: ['v*']\n",
            "on:\n  release:\n    types: [published]\n",
            "on: [pull_request, workflow_dispatch]\n",
        ],
    )
    def test_releases_and_tags(self, lint: Lint, on: str) -> None:
        text = on + "jobs:\n  a:\n    steps:\n      - run: uv publish\n"
        assert lint(text, "GHA006") == []

    @pytest.mark.parametrize(
        ("name", "path"),
        [
            ("name: Continuous Deployment\n", ".github/workflows/main.yml"),
            ("name: Continuous delivery\n", ".github/workflows/main.yml"),
            ("name: CD-Deploy\n", ".github/workflows/main.yml"),
            ("name: Docker build, scan & deploy\n", ".github/workflows/docker.yml"),
            ("name: cd\n", ".github/workflows/main.yml"),
            ("", ".github/workflows/cd.yml"),
            ("", ".github/workflows/deploy-api.yaml"),
        ],
    )
    def test_a_declared_deployment_ships_its_images(self, lint: Lint, name: str, path: str) -> None:
        steps = (
            "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n"
            "      - run: docker image push ghcr.io/acme/bikes\n"
        )
        assert lint({path: name + PUSH_MAIN + steps}, "GHA006") == []

    @pytest.mark.parametrize(
        ("name", "path"),
        [
            ("name: CI/CD Pipeline\n", ".github/workflows/main.yml"),
            ("name: Publish\n", ".github/workflows/cd.yml"),  # the name is what says it
            ("name: Deployer tests\n", ".github/workflows/main.yml"),
            ("", ".github/workflows/ci-cd.yml"),
        ],
    )
    def test_only_a_declared_deployment_counts(self, lint: Lint, name: str, path: str) -> None:
        steps = "      - run: docker push ghcr.io/acme/bikes\n"
        offset = 1 if name else 0
        assert project(lint({path: name + PUSH_MAIN + steps}, "GHA006"), "path", "span") == [
            (path, (8 + offset, 14, 8 + offset, 25))
        ]

    def test_a_declared_deployment_still_may_not_publish_packages(self, lint: Lint) -> None:
        steps = (
            "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n"
            "      - uses: pypa/gh-action-pypi-publish@release/v1\n"
        )
        text = "name: Continuous Deployment\n" + PUSH_MAIN + steps
        assert project(lint({".github/workflows/cd.yml": text}, "GHA006")) == [
            (
                "GHA006",
                (12, 15, 12, 53),
                f"publishes with `pypa/gh-action-pypi-publish` {SUFFIX}",
            )
        ]

    def test_any_branch_and_job_guard(self, lint: Lint) -> None:
        text = (
            "on:\n  push:\n    branches-ignore: [dev]\njobs:\n"
            "  skip:\n    if: github.ref_type == 'tag'\n    steps:\n      - run: uv publish\n"
            "  go:\n    steps:\n      - run: uv publish\n"
        )
        assert project(lint(text, "GHA006")) == [
            (
                "GHA006",
                (11, 14, 11, 24),
                "publishes with `uv publish` on every push to any branch: publish on a"
                " `release` or a tag push instead",
            )
        ]

    @pytest.mark.parametrize(
        ("branches", "guard", "where"),
        [
            # The filter allows any branch; the job's guard names the two that publish.
            (
                "['**']",
                "github.event_name != 'pull_request' && (github.ref_name == 'develop'"
                " || github.ref_name == 'master')",
                "develop, master",
            ),
            ("'release/*'", "github.ref == 'refs/heads/release/v2'", "release/v2"),
            (None, "github.ref == 'refs/heads/main'", "main"),
            # A named branch the filter never pushes to is left out.
            (
                "'release/*'",
                "github.ref_name == 'main' || github.ref_name == 'release/x'",
                "release/x",
            ),
            # The ref is also read another way: the step may run elsewhere too.
            (
                "['**']",
                "github.ref_name == 'main' || startsWith(github.ref, 'refs/heads/hotfix/')",
                "**",
            ),
            # The step runs on every other branch too.
            ("['**']", "github.ref_name != 'main'", "**"),
            (None, "github.ref_name == 'main' || github.event_name == 'push'", "any branch"),
        ],
    )
    def test_a_guard_that_names_branches_names_them(
        self, lint: Lint, branches: str | None, guard: str, where: str
    ) -> None:
        # Sixth held-out check (H17): the message named the filter (`**`) although the
        # job's `if:` let the step publish on develop and master only.
        push = "  push:\n" + (f"    branches: {branches}\n" if branches else "")
        text = (
            f"on:\n{push}jobs:\n  ship:\n    if: {guard}\n    runs-on: x\n    steps:\n"
            "      - run: docker push ghcr.io/acme/bikes\n"
        )
        assert project(lint(text, "GHA006"), "message") == [
            f"publishes with `docker push` on every push to {where}: publish on a `release` or"
            " a tag push instead"
        ]

    def test_a_guard_on_a_step_names_its_branches(self, lint: Lint) -> None:
        text = (
            "on:\n  push:\njobs:\n  ship:\n    runs-on: x\n    steps:\n"
            "      - run: docker push ghcr.io/acme/bikes\n"
            "        if: github.ref == 'refs/heads/main'\n"
        )
        assert project(lint(text, "GHA006"), "message") == [
            f"publishes with `docker push` {SUFFIX}"
        ]

    def test_local_actions_and_reusable_workflows(self, lint: Lint) -> None:
        files = {
            ".github/actions/outer/action.yml": "runs:\n  using: composite\n  steps:\n"
            "    - uses: ./.github/actions/inner\n",
            ".github/actions/inner/action.yaml": "runs:\n  using: composite\n  steps:\n"
            "    - run: uv publish\n      shell: bash\n",
            ".github/actions/loop/action.yml": "runs:\n  using: composite\n  steps:\n"
            "    - uses: ./.github/actions/loop\n",
            ".github/workflows/release.yml": "on: workflow_call\njobs:\n  pub:\n    steps:\n"
            "      - uses: pypa/gh-action-pypi-publish@release/v1\n",
        }
        text = (
            PUSH_MAIN + "      - uses: ./.github/actions/outer\n"
            "      - uses: ./.github/actions/loop\n"
            "      - uses: ./.github/actions/missing\n"
            "  call:\n    uses: ./.github/workflows/release.yml\n"
        )
        assert project(lint(text, "GHA006", files=files)) == [
            (
                "GHA006",
                (8, 15, 8, 38),
                "`./.github/actions/outer` publishes with `uv publish` (through"
                f" `./.github/actions/inner`) {SUFFIX}",
            ),
            (
                "GHA006",
                (12, 11, 12, 42),
                "`./.github/workflows/release.yml` publishes with `pypa/gh-action-pypi-publish`"
                f" {SUFFIX}",
            ),
        ]

    def test_options(self, lint: Lint) -> None:
        text = PUSH_MAIN + "      - run: just release\n      - uses: My/Publish@v1\n"
        options = {
            "GHA006": {
                "publishing-commands": ["just release"],
                "publishing-actions": ["my/publish"],
            }
        }
        assert project(lint(text, "GHA006", options=options), "span") == [
            (8, 14, 8, 26),
            (9, 15, 9, 28),
        ]


def test_gha001_repository_dispatch_supersedes_nothing(lint: Lint) -> None:
    # Held-out field trial: a model-registry webhook dispatches one event per model version.
    text = (
        "on:\n  repository_dispatch:\n    types: [staging]\n  workflow_dispatch:\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n"
    )
    assert lint(text, "GHA001") == []
    options = {"GHA001": {"triggers": ["repository_dispatch"]}}
    assert [code for code, *_ in project(lint(text, "GHA001", options=options))] == ["GHA001"]


GATE_JUSTFILE = (
    "# run the checks\ncheck: check-code check-test\n\n# lint\ncheck-code:\n"
    "    uv run ruff check src\n\n# test\ncheck-test:\n    uv run pytest tests\n\n"
    "# everything CI runs\nci: check-code\n    just check-test\n\nalias c := check\n"
)
PR = "on:\n  pull_request:\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "


@pytest.mark.parametrize(
    "run",
    [
        "uv run just check",
        "just c",  # an alias
        "uvx --from rust-just just check-test",  # a recipe check runs
        "uv run just ci",  # a recipe that runs part of the gate
        "uv run pytest tests -q",  # the same tools, written out (field trial)
        "|\n          uv sync --frozen\n          uv run ruff check src",
    ],
)
def test_gha008_a_pull_request_gate_in_any_form(lint: Lint, run: str) -> None:
    files = {"justfile": GATE_JUSTFILE}
    assert lint(PR + run + "\n", "GHA008", files=files) == []


def test_gha008_is_reported_once_on_the_first_pull_request_workflow(lint: Lint) -> None:
    files = {
        "justfile": GATE_JUSTFILE,
        ".github/workflows/a-labels.yml": PR + "echo label\n",
        ".github/workflows/z-release.yml": "on: push\n" + PR.split("\n", 2)[2] + "uv build\n",
    }
    found = lint({CI: PR + "npm test\n", **files}, "GHA008")
    assert project(found, "path", "span") == [(".github/workflows/a-labels.yml", (1, 1, 1, 3))]


def test_gha008_follows_reusable_workflows_and_local_actions(lint: Lint) -> None:
    files = {
        "justfile": GATE_JUSTFILE,
        ".github/workflows/gate.yml": "on: workflow_call\njobs:\n  g:\n    runs-on: x\n"
        "    steps:\n      - uses: ./.github/actions/check\n",
        ".github/actions/check/action.yml": "runs:\n  using: composite\n  steps:\n"
        "    - run: uv run just check\n      shell: bash\n",
    }
    text = "on: pull_request\njobs:\n  call:\n    uses: ./.github/workflows/gate.yml\n"
    assert lint(text, "GHA008", files=files) == []


PUBLISH_JOB = (
    "jobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - run: uv build\n"
    "      - run: uv publish\n"
)


@pytest.mark.parametrize(
    ("trigger", "others", "reported"),
    [
        ("on: workflow_dispatch\n", {}, True),
        ("on:\n  push:\n    tags: ['v*']\n", {}, False),
        # Every push to main: GHA006's finding, not reported twice.
        ("on:\n  push:\n    branches: [main]\n", {}, False),
        # A reusable workflow: its callers decide when it runs.
        ("on: workflow_call\n", {}, False),
        # Another workflow publishes on a release.
        (
            "on: workflow_dispatch\n",
            {".github/workflows/release.yml": "on:\n  release:\n" + PUBLISH_JOB},
            False,
        ),
    ],
)
def test_gha009_publishing_outside_releases(
    lint: Lint, trigger: str, others: dict[str, str], reported: bool
) -> None:
    found = project(lint(trigger + PUBLISH_JOB, "GHA009", files=others))
    assert [code for code, *_ in found] == (["GHA009"] if reported else [])


def test_gha009_an_image_pushed_to_be_deployed_is_a_deployment(lint: Lint) -> None:
    # Held-out field trial: a manual Cloud Run deployment pushes its image, then deploys it.
    text = (
        "on: workflow_dispatch\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: docker push gcr.io/p/api:latest\n"
        "      - run: gcloud run deploy api --image gcr.io/p/api:latest\n"
    )
    assert lint(text, "GHA009") == []
