"""The deploys-or-publishes recogniser, through GHA003 and GHA006: by what steps do."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

CANCELLING = (
    "on:\n  push:\n    branches: [main]\n  pull_request:\nconcurrency:\n  group: ci\n"
    "  cancel-in-progress: true\njobs:\n  ship:\n    runs-on: x\n    steps:\n"
)
WHY = (
    "`cancel-in-progress` is true in a workflow that releases or deploys (job 'ship' {how}):"
    " a newer run kills it half way (a partial upload, a tag without its image, a half-done"
    " deployment); set it to `false`"
)


@pytest.mark.parametrize(
    ("step", "how"),
    [
        ("      - run: terraform -chdir=infra apply -auto-approve\n", "terraform apply"),
        ("      - run: tofu apply\n", "tofu apply"),
        ("      - run: kubectl -n prod apply -f k8s/\n", "kubectl apply"),
        ("      - run: helm upgrade --install api ./chart\n", "helm upgrade"),
        ("      - run: helm install api ./chart\n", "helm install"),
        ("      - run: gcloud --project p run deploy api --image x\n", "gcloud run deploy"),
        ("      - run: gcloud functions deploy f\n", "gcloud functions deploy"),
        ("      - run: gcloud app deploy\n", "gcloud app deploy"),
        (
            "      - run: gcloud builds submit . --config=cloudbuild.yaml\n",
            "gcloud builds submit",
        ),
        (
            "      - run: aws lambda update-function-code --function-name f\n",
            "aws lambda update-function-code",
        ),
        ("      - run: aws ecs update-service --cluster c\n", "aws ecs update-service"),
        ("      - run: az webapp deploy --src-path x\n", "az webapp deploy"),
        ("      - run: az functionapp deploy --src-path x\n", "az functionapp deploy"),
        ("      - run: uv run mkdocs gh-deploy --force\n", "mkdocs gh-deploy"),
        ("      - run: npx serverless deploy\n", None),
        ("      - run: serverless deploy --stage prod\n", "serverless deploy"),
        ("      - run: ~/.fly/bin/flyctl deploy\n", "flyctl deploy"),
        ("      - run: sudo docker push ghcr.io/a/b\n", "docker push"),
        ("      - run: uv publish\n", "uv publish"),
        ("      - run: uv run cz bump --yes && git push --follow-tags\n", "cz bump"),
        ("      - run: uvx twine upload dist/*\n", "twine upload"),
    ],
)
def test_deploy_commands(lint: Lint, step: str, how: str | None) -> None:
    found = project(lint(CANCELLING + step, "GHA003"))
    if how is None:  # not a command we know at the start of the line
        assert found == []
        return
    publishing = ("docker push", "uv publish", "twine upload", "gcloud builds submit")
    verb = "publishes" if how in publishing else "deploys"
    verb = "releases" if how == "cz bump" else verb
    assert [(c, m) for c, _, m in found] == [("GHA003", WHY.format(how=f"{verb} with `{how}`"))]


STACK = (
    "on:\n  push:\n    branches: [main]\nconcurrency:\n  group: deploy\n"
    "  cancel-in-progress: true\njobs:\n  ship:\n    runs-on: {runs_on}\n    steps:\n"
)


@pytest.mark.parametrize(
    ("runs_on", "script", "how"),
    [
        ("[self-hosted, staging]", "docker compose -f compose.yml up -d", "docker compose up"),
        (
            "self-hosted",
            "docker compose --project-name app up --detach --build",
            "docker compose up",
        ),
        ("self-hosted", "sudo docker-compose up -d web", "docker-compose up"),
        ("self-hosted", "docker compose up --wait", "docker compose up"),
        ("self-hosted", "docker compose up -dV", "docker compose up"),
    ],
)
def test_a_detached_compose_stack_on_a_self_hosted_runner_deploys(
    lint: Lint, runs_on: str, script: str, how: str
) -> None:
    # The self-hosted runner is the server: the stack started in the background keeps
    # running after the job, so the job deploys it (sixth held-out check, H16).
    text = STACK.format(runs_on=runs_on) + "      - run: docker compose build\n"
    text += f"      - run: {script}\n"
    found = project(lint(text, "GHA003"))
    expected = WHY.format(how=f"deploys with `{how}` on a self-hosted runner")
    assert [(c, m) for c, _, m in found] == [("GHA003", expected)]


@pytest.mark.parametrize(
    ("runs_on", "steps"),
    [
        # A hosted runner is thrown away with its stack: the stack is a test fixture.
        ("ubuntu-latest", "      - run: docker compose up -d --wait\n"),
        # In the foreground the job ends with the stack (a test run, `--exit-code-from`).
        ("self-hosted", "      - run: docker compose up --exit-code-from tests\n"),
        ("self-hosted", "      - run: docker compose build\n"),
        # Brought up and taken down by the job: a stack the job used for itself.
        (
            "self-hosted",
            "      - run: docker compose up -d\n      - run: pytest\n"
            "      - run: docker compose down -v\n",
        ),
        (
            "self-hosted",
            "      - run: docker-compose up -d && make e2e; docker-compose down\n",
        ),
        # A step that never runs on this push.
        (
            "self-hosted",
            "      - if: github.event_name == 'pull_request'\n        run: docker compose up -d\n",
        ),
    ],
)
def test_a_compose_stack_that_does_not_outlive_the_job_deploys_nothing(
    lint: Lint, runs_on: str, steps: str
) -> None:
    assert project(lint(STACK.format(runs_on=runs_on) + steps, "GHA003")) == []


@pytest.mark.parametrize(
    ("step", "how"),
    [
        ("      - uses: pypa/gh-action-pypi-publish@release/v1\n", "publishes with"),
        ("      - uses: peaceiris/actions-gh-pages@v4\n", "deploys with"),
        ("      - uses: actions/deploy-pages@v4\n", "deploys with"),
        (
            "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n",
            "pushes an image with",
        ),
    ],
)
def test_deploy_actions(lint: Lint, step: str, how: str) -> None:
    ((code, _, message),) = project(lint(CANCELLING + step, "GHA003"))
    assert code == "GHA003" and f"job 'ship' {how} `" in message


@pytest.mark.parametrize(
    "step",
    [
        "      - run: terraform plan\n",
        "      - run: terraform -chdir=infra plan -out apply\n",
        "      - run: echo kubectl apply -f k8s/\n",
        "      - run: helm template ./chart\n",
        "      - run: docker build -t x .\n",
        "      - uses: docker/build-push-action@v6\n        with:\n          push: false\n",
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n          push: ${{ github.event_name == 'pull_request' }}\n",
        "      - run: mkdocs build --strict\n",
        # Only in pull-request runs: a preview, not a release.
        "      - run: docker push ghcr.io/a/b:pr\n"
        "        if: github.event_name == 'pull_request'\n",
    ],
)
def test_not_deploying(lint: Lint, step: str) -> None:
    assert lint(CANCELLING + step, "GHA003") == []


def test_cancelling_pull_requests_only_passes(lint: Lint) -> None:
    text = CANCELLING.replace(
        "cancel-in-progress: true", "cancel-in-progress: ${{ github.event_name == 'pull_request' }}"
    )
    assert lint(text + "      - run: terraform apply\n", "GHA003") == []


def test_local_action_that_deploys(lint: Lint) -> None:
    files = {
        ".github/actions/ship/action.yml": "runs:\n  using: composite\n  steps:\n"
        "    - run: kubectl apply -f k8s/\n      shell: bash\n"
    }
    text = CANCELLING + "      - uses: ./.github/actions/ship\n"
    ((_, _, message),) = project(lint(text, "GHA003", files=files))
    assert "job 'ship' `./.github/actions/ship` deploys with `kubectl apply`" in message


def test_job_level_concurrency_of_a_deploying_job(lint: Lint) -> None:
    text = (
        "on: push\njobs:\n  test:\n    concurrency:\n      group: t\n"
        "      cancel-in-progress: true\n    steps:\n      - run: pytest\n"
        "  ship:\n    concurrency:\n      group: s\n      cancel-in-progress: true\n"
        "    steps:\n      - run: helm upgrade api ./chart\n"
    )
    assert project(lint(text, "GHA003"), "span") == [(12, 27, 12, 31)]


PUSH = "on:\n  push:\n    branches: [main, develop]\njobs:\n  pub:\n    runs-on: x\n"


class TestPublishOnEveryPush:
    @pytest.mark.parametrize(
        "guard",
        [
            "    if: needs.release.outputs.created == 'true'\n",
            "    if: ${{ needs.release-please.outputs.releases_created }}\n",
        ],
    )
    def test_job_gated_by_another_jobs_output(self, lint: Lint, guard: str) -> None:
        text = PUSH + guard + "    steps:\n      - run: uv publish\n"
        assert lint(text, "GHA006") == []

    def test_step_gated_by_a_step_output(self, lint: Lint) -> None:
        text = (
            PUSH + "    steps:\n      - id: rp\n        uses: googleapis/release-please-action@v4\n"
            "      - run: uv publish\n        if: ${{ steps.rp.outputs.release_created }}\n"
        )
        assert lint(text, "GHA006") == []

    @pytest.mark.parametrize(
        ("guard", "branches"),
        [
            ("", "main, develop"),
            ("    if: github.ref == 'refs/heads/develop'\n", "develop"),
            ("    if: github.ref_name != 'develop'\n", "main"),
        ],
    )
    def test_message_names_the_branches_it_runs_on(
        self, lint: Lint, guard: str, branches: str
    ) -> None:
        text = PUSH + guard + "    steps:\n      - run: uv publish\n"
        ((_, _, message),) = project(lint(text, "GHA006"))
        assert message == (
            f"publishes with `uv publish` on every push to {branches}: publish on a `release`"
            " or a tag push instead"
        )

    def test_deploy_commands_are_not_publishing(self, lint: Lint) -> None:
        # Continuous deployment on push is normal; publishing a package on every push is not.
        text = PUSH + "    steps:\n      - run: terraform apply\n      - run: mkdocs gh-deploy\n"
        assert lint(text, "GHA006") == []
