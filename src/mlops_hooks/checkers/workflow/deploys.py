"""Which steps of a workflow deploy or publish, by what they do (not by the trigger).

A step publishes when it uses an action that uploads a package, an image or a site
(`pypa/gh-action-pypi-publish`, `docker/build-push-action` with `push` true,
`peaceiris/actions-gh-pages`, `actions/deploy-pages`...) or runs a command that does
(`uv publish`, `twine upload`, `docker push`); it deploys when it changes running
infrastructure (`terraform apply`, `kubectl apply`, `helm upgrade`, `gcloud run deploy`,
`aws lambda update-function-code`, `mkdocs gh-deploy`, `flyctl deploy`...) or hands a build to
a cloud builder that pushes and often deploys (`gcloud builds submit`). Local actions and
reusable workflows (`uses: ./...`) are followed. A job on a self-hosted runner that starts
a Compose stack in the background (`docker compose up -d`) and leaves it running (no
`docker compose down` in the job) deploys too: the runner is the server, and the stack
outlives the job; on a hosted runner the same command starts a throwaway stack for tests.

GHA006 uses the publishing part with its own options; GHA003 (a cancellable release) and
GHA001's fix (never make such a workflow cancellable) use :data:`RECOGNISER`, everything.
Commands are split by the core shell lexer (:mod:`mlops_hooks.shell`) and matched with
:func:`mlops_hooks.checkers.workflow.commands.find_command`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from mlops_hooks.checkers.workflow.commands import find_command
from mlops_hooks.checkers.workflow.expressions import (
    Value,
    condition,
    is_expression,
    literal_bool,
    value_truth,
)
from mlops_hooks.lazyre import lazy

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Job, Step, Workflow
    from mlops_hooks.diagnostics import Span
    from mlops_hooks.yamlnodes import YamlNode

Context = dict[str, Value]
#: An ``if:`` that reads what another job or step computed (``needs.x.outputs.created``,
#: ``steps.release.outputs.release_created``): the step runs when that says so.
_COMPUTED = lazy(r"\b(?:needs|steps)\.[\w-]+\.outputs\b")
#: How deep ``uses: ./...`` is followed (a local action calling a local action...).
MAX_DEPTH = 8

PUBLISHING_ACTIONS = ("pypa/gh-action-pypi-publish",)
PUSH_INPUT_ACTIONS = ("docker/build-push-action", "docker/bake-action")
PUBLISHING_COMMANDS = (
    "uv publish",
    "twine upload",
    "docker push",
    "docker image push",
    "poetry publish",
    "hatch publish",
    "flit publish",
)
#: Actions that deploy a site, a service or a release whenever they run.
DEPLOYING_ACTIONS = (
    "peaceiris/actions-gh-pages",
    "actions/deploy-pages",
    "jamesives/github-pages-deploy-action",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-cloud-functions",
    "google-github-actions/deploy-appengine",
    "aws-actions/amazon-ecs-deploy-task-definition",
    "azure/webapps-deploy",
    "azure/functions-action",
    "azure/k8s-deploy",
    "serverless/github-action",
)
#: Commands that deploy; options may come between the words (``kubectl -n prod apply``).
DEPLOYING_COMMANDS = (
    "terraform apply",
    "tofu apply",
    "terragrunt apply",
    "pulumi up",
    "cdk deploy",
    "sam deploy",
    "kubectl apply",
    "kubectl set image",
    "kubectl rollout restart",
    "helm upgrade",
    "helm install",
    "gcloud run deploy",
    "gcloud functions deploy",
    "gcloud app deploy",
    "gcloud builds submit",
    "aws lambda update-function-code",
    "aws ecs update-service",
    "az webapp deploy",
    "az webapp up",
    "az functionapp deploy",
    "az functionapp deployment",
    "mkdocs gh-deploy",
    "serverless deploy",
    "sls deploy",
    "flyctl deploy",
    "fly deploy",
    "firebase deploy",
    "netlify deploy",
    "vercel deploy",
    "gh release create",
    "cz bump",
    "semantic-release",
    "fastapi deploy",
    "anyscale service deploy",
    "anyscale service rollout",
    "npm publish",
    "cargo publish",
)

#: Commands that start services on the runner's machine: a deployment on a self-hosted
#: runner when they leave the services running in the background (detached).
STACK_COMMANDS = ("docker compose up", "docker-compose up")
#: Commands that stop such services again: a job that runs one used the stack for itself.
STACK_TEARDOWN = ("docker compose down", "docker-compose down")
#: Options of ``up`` that leave the services running when the command returns.
_DETACHED = lazy(r"--detach|--wait|-[A-Za-z]*d[A-Za-z]*")


#: How a message says what a deploy command does, when "deploys" is not the word.
_VERBS = {
    "gh release create": "releases",
    "cz bump": "releases",
    "semantic-release": "releases",
    "npm publish": "publishes",
    "cargo publish": "publishes",
    # Cloud Build runs the build's steps remotely: it pushes images, and often deploys them.
    "gcloud builds submit": "publishes",
}


class Hit(NamedTuple):
    """A step that deploys or publishes: where, how (``publishes with `uv publish```),
    through which local refs (``uses: ./...``), and in which runs it does so."""

    span: Span
    how: str
    chain: tuple[str, ...] = ()
    contexts: tuple[Context, ...] = ()

    def describe(self) -> str:
        """``publishes with `x``` or ```./.github/actions/r` publishes with `x```."""
        if not self.chain:
            return self.how
        through = ", ".join(f"`{ref}`" for ref in self.chain[1:])
        return f"`{self.chain[0]}` {self.how}" + (f" (through {through})" if through else "")


class Recogniser:
    """Finds the steps that publish or deploy, with configurable lists of actions/commands."""

    def __init__(
        self,
        publishing_actions: Iterable[str] = PUBLISHING_ACTIONS,
        push_input_actions: Iterable[str] = PUSH_INPUT_ACTIONS,
        publishing_commands: Iterable[str] = PUBLISHING_COMMANDS,
        deploying_actions: Iterable[str] = (),
        deploying_commands: Iterable[str] = (),
        stack_commands: Iterable[str] = (),
        *,
        skip_computed: bool = False,
    ) -> None:
        #: Leave out jobs and steps whose ``if:`` reads another job's or step's outputs
        #: (GHA006: they publish when a release was cut, not on every push).
        self.skip_computed = skip_computed
        self.publishing_actions = frozenset(a.lower() for a in publishing_actions)
        self.push_input_actions = frozenset(a.lower() for a in push_input_actions)
        self.deploying_actions = frozenset(a.lower() for a in deploying_actions)
        self.commands = [(c, "publishes", tuple(c.split())) for c in publishing_commands]
        self.commands += [
            (c, _VERBS.get(c, "deploys"), tuple(c.split())) for c in deploying_commands
        ]
        #: Commands that deploy only from a self-hosted runner, detached and not torn down.
        self.stack = [(c, tuple(c.split())) for c in stack_commands]

    def job(self, workflow: Workflow, job: Job, contexts: Sequence[Context]) -> list[Hit]:
        """The publishing steps of ``job`` (or the reusable workflow it calls) in
        ``contexts``, less the runs its ``if:`` rules out."""
        running = self._runs_in(job.condition, contexts)
        if not running:
            return []
        hits = []
        uses = job.uses
        if uses is not None and uses.string is not None:
            found = self.local(workflow, uses.string, running, 0)
            if found is not None:
                hits.append(found._replace(span=uses.span))
        hits += self._steps(workflow, job.steps, running)
        if self.stack and job.self_hosted:
            stack = self._stack_up(job, running)
            if stack is not None:
                hits.append(stack)
        return hits

    def _stack_up(self, job: Job, running: Sequence[Context]) -> Hit | None:
        """The step of a self-hosted ``job`` that starts a Compose stack in the background
        and leaves it running (no step of the job takes it down again), if one does."""
        from mlops_hooks.shell import split

        found = None
        teardown = [tuple(c.split()) for c in STACK_TEARDOWN]
        for step in job.steps:
            script = step.run
            step_runs = tuple(self._runs_in(step.condition, running))
            if script is None or not step_runs:
                continue
            for command in split(script.text, templates=True):
                if any(find_command(command.words, down) for down in teardown):
                    return None
                for text, wanted in self.stack if found is None else ():
                    words = find_command(command.words, wanted)
                    if words is None:
                        continue
                    end = next(i for i, w in enumerate(command.words) if w is words[-1])
                    if any(_DETACHED.fullmatch(w.text) for w in command.words[end + 1 :]):
                        span = script.span_of(words[0].start, words[-1].end) or script.node.span
                        how = f"deploys with `{text}` on a self-hosted runner"
                        found = Hit(span, how, (), step_runs)
        return found

    def _steps(self, workflow: Workflow, steps: list[Step], running: list[Context]) -> list[Hit]:
        """The hits of a list of steps, computed once per list and runs: jobs that share
        their steps through a YAML alias (``steps: *common``) share the list."""
        key = ("deploys", id(self), id(steps), tuple(id(c) for c in running))
        found = workflow.memo.get(key)
        if found is None:
            hits = [hit for s in steps if (hit := self.step(workflow, s, running, 0)) is not None]
            # The objects whose ids make the key live as long as the entry.
            found = workflow.memo[key] = (self, steps, running, hits)
        return list(found[3])

    def step(
        self, workflow: Workflow, step: Step, contexts: Sequence[Context], depth: int = 0
    ) -> Hit | None:
        """Where and how ``step`` publishes or deploys in one of ``contexts``, if it does."""
        running = tuple(self._runs_in(step.condition, contexts))
        action, uses = step.action, step.uses_node
        if not running:
            return None
        if action is not None and uses is not None:
            if action in self.publishing_actions:
                return Hit(uses.span, f"publishes with `{action}`", (), running)
            if action in self.deploying_actions:
                return Hit(uses.span, f"deploys with `{action}`", (), running)
            push = step.with_inputs.get("push")
            if action in self.push_input_actions and push is not None:
                pushing = tuple(c for c in running if _is_true(push, c))
                if pushing:
                    how = f"pushes an image with `{action}` (`push` is true)"
                    return Hit(push.span, how, (), pushing)
            found = self.local(workflow, action, running, depth)
            if found is not None:
                return found._replace(span=uses.span)
        script = step.run
        if script is None:
            return None
        from mlops_hooks.shell import split

        for command in split(script.text, templates=True):
            # find_command matches only from a word that is (or, as a path, ends in) the
            # first wanted word: a set of those names skips most pairs at C speed.
            names = {w.text for w in command.words}
            names.update([name.rsplit("/", 1)[-1] for name in names if "/" in name])
            for text, verb, wanted in self.commands:
                if not wanted or wanted[0] not in names:
                    continue
                words = find_command(command.words, wanted)
                if words is not None:
                    span = script.span_of(words[0].start, words[-1].end) or script.node.span
                    return Hit(span, f"{verb} with `{text}`", (), running)
        return None

    def local(
        self, workflow: Workflow, ref: str, contexts: Sequence[Context], depth: int
    ) -> Hit | None:
        """How the local action or reusable workflow ``ref`` publishes, through which local
        refs (``ref`` first), if it does; the hit's span is inside ``ref``'s file."""
        target = workflow.local(ref) if depth < MAX_DEPTH else None
        if target is None:
            return None
        for job in target.jobs:
            running = self._runs_in(job.condition, contexts)
            for step in job.steps if running else ():
                hit = self.step(target, step, running, depth + 1)
                if hit is not None:
                    return hit._replace(chain=(ref, *hit.chain))
        for step in target.action_steps:
            hit = self.step(target, step, contexts, depth + 1)
            if hit is not None:
                return hit._replace(chain=(ref, *hit.chain))
        return None

    def _runs_in(self, guard: YamlNode | None, contexts: Iterable[Context]) -> list[Context]:
        computed = guard is not None and guard.is_scalar and _COMPUTED.search(guard.value)
        if self.skip_computed and computed:
            return []
        return runs_in(guard, contexts)


#: Everything that publishes or deploys (GHA003, GHA001's fix).
RECOGNISER = Recogniser(
    deploying_actions=DEPLOYING_ACTIONS,
    deploying_commands=DEPLOYING_COMMANDS,
    stack_commands=STACK_COMMANDS,
)


def deploying_hits(workflow: Workflow, job: Job | None = None) -> list[Hit]:
    """Every step of ``workflow`` (or of one ``job``) that deploys or publishes, in any run
    its triggers start, each hit with the runs in which it does (cached per workflow)."""
    cache: dict[str, tuple[Hit, ...]] | None = getattr(workflow, "_deploying_hits", None)
    if cache is None:
        contexts = [c for trigger in workflow.triggers.values() for c in trigger.contexts()]
        cache = {j.id: tuple(RECOGNISER.job(workflow, j, contexts)) for j in workflow.jobs}
        workflow._deploying_hits = cache  # type: ignore[attr-defined]
    if job is not None:
        return list(cache.get(job.id, ()))
    return [hit for hits in cache.values() for hit in hits]


def runs_in(guard: YamlNode | None, contexts: Iterable[Context]) -> list[Context]:
    """The contexts in which an ``if:`` may hold."""
    if guard is None or not guard.is_scalar:
        return list(contexts)
    return [c for c in contexts if condition(guard.value, c) is not False]


def _is_true(node: YamlNode, context: Context) -> bool:
    if is_expression(node):
        return value_truth(node.value, context) is True
    return literal_bool(node) is True


def deploys(workflow: Workflow) -> bool:
    """Whether the workflow releases or deploys: by its triggers or environments, or by what
    its steps do (`terraform apply`, `docker push`, `uv publish`...)."""
    return bool(workflow.release_reasons()) or bool(deploying_hits(workflow))
