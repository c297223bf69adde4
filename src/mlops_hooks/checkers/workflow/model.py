"""The workflow model: a GitHub Actions workflow (or local action) with exact positions.

A :class:`Workflow` is built from the YAML nodes of :mod:`mlops_hooks.yamlnodes`: its
triggers (every form of ``on``: ``on: push``, ``on: [push, pull_request]``, the mapping form),
its workflow-level ``concurrency``, its jobs with their own ``concurrency`` and ``environment``,
and every step with ``uses``/``with``/``run``. A step's ``run:`` script is a
:class:`RunScript`: the decoded text plus every source line of it with its exact position.

A local composite action (``.github/actions/<name>/action.yml``) is a ``Workflow`` with
``is_action`` set: no triggers and no jobs, its steps in ``action_steps``. Rules that follow
``uses: ./...`` load the referenced action or reusable workflow with :meth:`Workflow.local`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Hashable, Iterator
from typing import TYPE_CHECKING, Any

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.workflow.expressions import Prefixed, Value
from mlops_hooks.checkers.workflow.scripts import RunScript, ScriptLine, run_script
from mlops_hooks.diagnostics import Span
from mlops_hooks.records import field, record
from mlops_hooks.safeio import FileTooLargeError, UnreadableFileError, read_file
from mlops_hooks.source import DecodeError, SourceFile
from mlops_hooks.yamlnodes import YamlDialect, YamlNode, compose

if TYPE_CHECKING:
    from mlops_hooks.project import Project

# ScriptLine and RunScript are part of this model's API (a step's ``run``).
__all__ = [
    "PULL_REQUEST_EVENTS",
    "Concurrency",
    "Job",
    "RunScript",
    "ScriptLine",
    "Step",
    "Trigger",
    "Workflow",
    "parse",
    "parse_once",
]

#: Pull-request events: ``github.head_ref`` and ``github.event.pull_request`` are set.
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
#: Local actions and reusable workflows larger than this are not followed.
MAX_LOCAL_FILE_SIZE = 1024 * 1024
_GLOB_CHARS = frozenset("*?[]!+")
#: GitHub reads every key as a string (``on`` and ``"on"`` are one key) and rejects a
#: duplicate one.
GITHUB_YAML = YamlDialect(
    duplicate_key="duplicate key {key!r} (first on line {line}): GitHub rejects the file"
)


@record(slots=True)
class Trigger:
    """One event under ``on``: its name, where it is named, and its settings (the mapping
    form's value: ``branches``, ``tags``, ``types``...; None for ``on: push``/a list)."""

    event: str
    node: YamlNode
    config: YamlNode | None = None

    def filter(self, name: str) -> list[str] | None:
        """The values of a filter (``branches``, ``tags``, ``paths``, ``types``...), None if
        the trigger has no such filter."""
        if self.config is None or not self.config.is_mapping:
            return None
        value = self.config.get(name)
        return None if value is None else value.strings()

    def has_filter(self, *names: str) -> bool:
        """Whether any of the filters ``names`` is set."""
        return any(self.filter(name) is not None for name in names)

    @property
    def on_branches(self) -> bool:
        """A ``push`` that runs for branch pushes: a branch filter, or no tag filter."""
        branch = self.has_filter("branches", "branches-ignore")
        return branch or not self.has_filter("tags", "tags-ignore")

    @property
    def on_tags(self) -> bool:
        """A ``push`` that runs for tag pushes: a tag filter, or no branch filter."""
        tag = self.has_filter("tags", "tags-ignore")
        return tag or not self.has_filter("branches", "branches-ignore")

    def contexts(self) -> list[dict[str, Value]]:
        """What the event alone tells expressions (one context per kind of run)."""
        event = self.event
        if event == "workflow_call":  # the caller's context: nothing is known
            return [{}]
        if event == "release":
            return [_ref_context(event, "tag", None)]
        if event == "push":
            contexts = []
            if self.on_branches:
                branches = self.filter("branches") or []
                single = branches[0] if len(branches) == 1 else None
                if single is None or _GLOB_CHARS & set(single) or self.filter("branches-ignore"):
                    single = None
                contexts.append(_ref_context(event, "branch", single))
            if self.on_tags:
                contexts.append(_ref_context(event, "tag", None))
            return contexts
        if event == "pull_request":
            return [{"github.event_name": event, "github.ref": Prefixed("refs/pull/")}]
        return [{"github.event_name": event}]


def _ref_context(event: str, ref_type: str, name: str | None) -> dict[str, Value]:
    prefix = "refs/heads/" if ref_type == "branch" else "refs/tags/"
    context: dict[str, Value] = {
        "github.event_name": event,
        "github.ref_type": ref_type,
        "github.ref": Prefixed(prefix) if name is None else prefix + name,
    }
    if name is not None:
        context["github.ref_name"] = name
    return context


@record(slots=True)
class Concurrency:
    """A ``concurrency`` setting: a bare group string, or a mapping with ``group`` and
    ``cancel-in-progress``. ``job`` is None at workflow level."""

    key: YamlNode
    value: YamlNode
    job: Job | None = field(default=None, repr=False)

    @property
    def is_bare(self) -> bool:
        """Written as a bare group string (``concurrency: ci-${{ github.ref }}``)."""
        return self.value.is_scalar

    @property
    def group(self) -> YamlNode | None:
        """The group scalar (the value itself when bare)."""
        if self.value.is_scalar:
            return None if self.value.is_null else self.value
        group = self.value.get("group")
        return group if group is not None and group.is_scalar and not group.is_null else None

    @property
    def cancel_in_progress(self) -> YamlNode | None:
        """The ``cancel-in-progress`` value node, if set."""
        return self.value.get("cancel-in-progress") if self.value.is_mapping else None

    @property
    def label(self) -> str:
        """How messages name it: the workflow-level `concurrency`, or a job's."""
        if self.job is None:
            return "the workflow-level `concurrency`"
        return f"the `concurrency` of job {self.job.id!r}"


@record(slots=True)
class Step:
    """One step of a job (or of a composite action, where ``job`` is None)."""

    index: int
    node: YamlNode
    workflow: Workflow = field(repr=False)
    job: Job | None = field(default=None, repr=False)
    run: RunScript | None = None

    def get(self, key: str) -> YamlNode | None:
        """A key of the step's mapping."""
        return self.node.get(key)

    def _string(self, key: str) -> str | None:
        value = self.node.get(key)
        return value.string if value is not None else None

    @property
    def name(self) -> str | None:
        """``name:``."""
        return self._string("name")

    @property
    def id(self) -> str | None:
        """``id:``."""
        return self._string("id")

    @property
    def uses(self) -> str | None:
        """``uses:`` (``actions/checkout@v5``, ``./.github/actions/x``, ``docker://...``)."""
        return self._string("uses")

    @property
    def uses_node(self) -> YamlNode | None:
        """The ``uses:`` value node, for positions."""
        return self.node.get("uses")

    @property
    def action(self) -> str | None:
        """The action ``uses:`` names without its ``@ref``, lower-cased (``pypa/gh-action-
        pypi-publish``); local (``./``) and ``docker://`` references as written."""
        uses = self.uses
        if uses is None:
            return None
        if uses.startswith(("./", "docker://")):
            return uses
        return uses.split("@", 1)[0].lower()

    @property
    def with_inputs(self) -> dict[str, YamlNode]:
        """``with:`` inputs by name."""
        value = self.node.get("with")
        if value is None or not value.is_mapping:
            return {}
        return {k.value: v for k, v in value.pairs if k.is_scalar}

    @property
    def condition(self) -> YamlNode | None:
        """``if:``."""
        return self.node.get("if")

    @property
    def span(self) -> Span:
        """Where the step is written."""
        return self.node.span


@record(slots=True)
class Job:
    """One job under ``jobs``."""

    id: str
    key: YamlNode
    node: YamlNode
    workflow: Workflow = field(repr=False)
    steps: list[Step] = field(default_factory=list)
    concurrency: Concurrency | None = None

    def get(self, key: str) -> YamlNode | None:
        """A key of the job's mapping."""
        return self.node.get(key) if self.node.is_mapping else None

    @property
    def name(self) -> str | None:
        """``name:``."""
        value = self.get("name")
        return value.string if value is not None else None

    @property
    def environment(self) -> YamlNode | None:
        """``environment:`` (a name, or a mapping with ``name`` and ``url``), if set."""
        value = self.get("environment")
        return None if value is None or value.is_null else value

    @property
    def environment_name(self) -> str | None:
        """The environment's name (``pypi``), if the job deploys to one."""
        value = self.environment
        if value is None:
            return None
        name = value.get("name") if value.is_mapping else value
        return name.string if name is not None else None

    @property
    def uses(self) -> YamlNode | None:
        """``uses:`` of a job that calls a reusable workflow."""
        return self.get("uses")

    @property
    def self_hosted(self) -> bool:
        """Whether ``runs-on`` asks for a self-hosted runner (the label ``self-hosted``, in a
        list or under ``labels:``): a machine that outlives the job, unlike a hosted one."""
        runs_on = self.get("runs-on")
        if runs_on is not None and runs_on.is_mapping:
            runs_on = runs_on.get("labels")
        if runs_on is None or not (runs_on.is_scalar or runs_on.is_sequence):
            return False
        return any(label.lower() == "self-hosted" for label in runs_on.strings())

    @property
    def condition(self) -> YamlNode | None:
        """``if:``."""
        return self.get("if")


@record
class Workflow:
    """A parsed workflow file (or local action, ``is_action``)."""

    source: SourceFile
    root: YamlNode
    is_action: bool = False
    on_key: YamlNode | None = None
    triggers: dict[str, Trigger] = field(default_factory=dict)
    concurrency: Concurrency | None = None
    jobs: list[Job] = field(default_factory=list)
    action_steps: list[Step] = field(default_factory=list)
    project: Project | None = field(default=None, repr=False)
    #: Analyses computed once per workflow (steps shared by many jobs are analysed once).
    #: A key made of object ids is stored with those objects in its value, so that no id is
    #: reused while the entry lives.
    memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str | None:
        """``name:``."""
        value = self.root.get("name")
        return value.string if value is not None else None

    @property
    def on(self) -> YamlNode | None:
        """The value of ``on`` (scalar, sequence or mapping)."""
        return self.root.get("on")

    @property
    def events(self) -> list[str]:
        """The trigger events, in the order written."""
        return list(self.triggers)

    def has(self, *events: str) -> bool:
        """Whether any of ``events`` triggers the workflow."""
        return any(event in self.triggers for event in events)

    @property
    def reusable_only(self) -> bool:
        """Triggered by ``workflow_call`` alone: the caller owns concurrency."""
        return self.events == ["workflow_call"]

    @property
    def pull_request(self) -> bool:
        """Triggered by pull requests (``pull_request`` or ``pull_request_target``)."""
        return self.has(*PULL_REQUEST_EVENTS)

    def deploy_jobs(self) -> list[Job]:
        """Jobs with an ``environment`` (deployments)."""
        return [job for job in self.jobs if job.environment is not None]

    def release_reasons(self) -> list[str]:
        """Why this is a release or deploy workflow that must never be cancelled half way:
        a ``release`` or ``deployment`` trigger, tag pushes (``push: tags:``), jobs that
        deploy to an environment. Empty for other workflows."""
        reasons = []
        if "release" in self.triggers:
            reasons.append("release")
        push = self.triggers.get("push")
        if push is not None and push.has_filter("tags", "tags-ignore"):
            reasons.append("tag pushes")
        if "deployment" in self.triggers:
            reasons.append("deployment")
        for job in self.deploy_jobs():
            target = repr(job.environment_name) if job.environment_name else "an environment"
            reasons.append(f"job {job.id!r} deploys to {target}")
        return reasons

    def concurrencies(self) -> list[Concurrency]:
        """Every ``concurrency`` setting: the workflow's, then each job's."""
        blocks = [self.concurrency] if self.concurrency is not None else []
        return blocks + [job.concurrency for job in self.jobs if job.concurrency is not None]

    def steps(self) -> Iterator[Step]:
        """Every distinct step: each job's in order, then a composite action's.

        A step shared through a YAML alias (``steps: *common`` in many jobs, or ``- *checkout``
        in many lists) is one :class:`Step` object, yielded once, where its anchor is written
        (its ``job`` is the first job that lists it): it is analysed, and its findings
        reported, once rather than once per use."""
        seen: set[int] = set()
        for step in (*(s for job in self.jobs for s in job.steps), *self.action_steps):
            if id(step) not in seen:
                seen.add(id(step))
                yield step

    def job(self, job_id: str) -> Job | None:
        """A job by id."""
        return next((job for job in self.jobs if job.id == job_id), None)

    @property
    def indent_unit(self) -> int:
        """The file's indentation step, from its first nested block mapping (default 2)."""
        for key, value in self.root.pairs:
            if value.is_mapping and not value.flow and value.pairs and value.alias_of is None:
                unit = value.pairs[0][0].start_position.column - key.start_position.column
                if unit > 0:
                    return unit
        return 2

    def local(self, ref: str) -> Workflow | None:
        """The local action (``./path`` to a directory with ``action.yml``) or reusable
        workflow (``./.github/workflows/x.yml``) that ``ref`` names, parsed once per run;
        None when it is not local, missing, outside the repository or not parsable."""
        if self.project is None or not ref.startswith("./"):
            return None
        rel = posixpath.normpath(ref[2:].split("@", 1)[0])
        if rel.startswith(("../", "/")) or rel in ("..", "."):
            return None
        return load_local(self.project, rel)


def root_workflows(project: Project) -> list[Workflow]:
    """The repository's workflows (the root's `.github/workflows/*.yml`), parsed once per
    run, in name order."""
    directory = project.root / ".github" / "workflows"
    if not project.contains(directory) or not directory.is_dir():
        return []
    names = sorted(p.name for p in directory.iterdir() if p.suffix in (".yml", ".yaml"))
    parsed = (load_local(project, f".github/workflows/{name}") for name in names)
    return [w for w in parsed if w is not None and w.on_key is not None]


def load_local(project: Project, rel: str) -> Workflow | None:
    """The workflow or local action at ``rel`` (posix, from the root), parsed once per run;
    None when it is missing, outside the repository or not parsable."""
    return project.cached(f"workflow-local:{rel}", lambda p: _load_local(p, rel))


def _load_local(project: Project, rel: str) -> Workflow | None:
    base = project.root / rel
    is_action = not rel.endswith((".yml", ".yaml"))
    candidates = [base / "action.yml", base / "action.yaml"] if is_action else [base]
    for path in candidates:
        try:
            raw = read_file(path, MAX_LOCAL_FILE_SIZE, project.root)
        except FileTooLargeError:
            return None
        except UnreadableFileError:
            continue  # missing, outside the root, not a regular file
        try:
            source = SourceFile.from_bytes(path.as_posix(), raw, project.relpath(path))
            return parse_once(source, project, is_action=is_action)
        except (DecodeError, ParseError):
            return None
    return None


def parse_once(source: SourceFile, project: Project, *, is_action: bool = False) -> Workflow:
    """:func:`parse`, once per run for a given file and text: the checker's parse of a
    workflow and the parse that cross-file rules make of it (:func:`root_workflows`,
    :meth:`Workflow.local`) are one :class:`Workflow`, with the analyses computed on it.

    Keyed by the path from the root and checked against the text, so that a file read again
    with other content (a fix written in between) is parsed again, never mistaken for its
    earlier version; a parse of the same text is the same model."""
    parsed: dict[tuple[str, bool], Workflow] = project.cached("workflow-parsed", _new_memo)
    key = (source.relpath, is_action)
    known = parsed.get(key)
    if known is not None and known.source.text == source.text:
        return known
    workflow = parse(source, project, is_action=is_action)
    # A file too large to be followed by the cross-file rules is not kept for them.
    if len(source.text) <= MAX_LOCAL_FILE_SIZE:
        parsed[key] = workflow
    return workflow


def _new_memo(_project: Project) -> dict[tuple[str, bool], Workflow]:
    return {}


def parse(
    source: SourceFile, project: Project | None = None, *, is_action: bool = False
) -> Workflow:
    """Parse a workflow (or, with ``is_action``, a local action) into a :class:`Workflow`."""
    what = "action" if is_action else "workflow"
    article = "an" if is_action else "a"
    root = compose(source, GITHUB_YAML)
    if root is None or root.is_null:  # no document, or an empty one (`---` alone)
        raise ParseError(f"empty {what}: the file has no YAML content")
    if not root.is_mapping:
        found = "a list" if root.is_sequence else "a scalar"
        position = root.start_position
        raise ParseError(
            f"{article} {what} must be a YAML mapping, found {found}",
            position.line,
            position.column,
        )
    workflow = Workflow(source, root, is_action=is_action, project=project)
    shared = _Shared()
    if is_action:
        runs = root.get("runs")
        steps = runs.get("steps") if runs is not None else None
        workflow.action_steps = shared.steps(steps, workflow, None)
        return workflow
    on_pair = root.pair("on")
    if on_pair is not None:
        workflow.on_key = on_pair[0]
        workflow.triggers = _triggers(on_pair[1])
    workflow.concurrency = _concurrency(root, None)
    jobs = root.get("jobs")
    if jobs is not None and jobs.is_mapping:
        for key, value in jobs.pairs:
            if not key.is_scalar:
                continue
            job = Job(key.value, key, value, workflow)
            job.concurrency = _concurrency(value, job)
            steps = value.get("steps") if value.is_mapping else None
            job.steps = shared.steps(steps, workflow, job)
            workflow.jobs.append(job)
    return workflow


def _triggers(on: YamlNode) -> dict[str, Trigger]:
    triggers: dict[str, Trigger] = {}
    if on.is_scalar and not on.is_null:
        triggers[on.value] = Trigger(on.value, on)
    elif on.is_sequence:
        for item in on.items:
            if item.is_scalar and not item.is_null:
                triggers.setdefault(item.value, Trigger(item.value, item))
    elif on.is_mapping:
        for key, value in on.pairs:
            if key.is_scalar:
                triggers[key.value] = Trigger(key.value, key, None if value.is_null else value)
    return triggers


def _concurrency(owner: YamlNode, job: Job | None) -> Concurrency | None:
    pair = owner.pair("concurrency") if owner.is_mapping else None
    if pair is None:
        return None
    return Concurrency(pair[0], pair[1], job)


class _Shared:
    """Builds the steps, one :class:`Step` per distinct YAML node.

    An alias shares the anchored node's children (:mod:`mlops_hooks.yamlnodes`), so the
    steps of ``steps: *common`` in 600 jobs are the same nodes: they get the same ``Step``
    objects (and the same list), and whatever is computed on a step (its ``run`` script, a
    rule's analysis of it) is computed once. The model's size is that of the text, never
    that of the expansion."""

    def __init__(self) -> None:
        self.lists: dict[int, list[Step]] = {}
        self.by_node: dict[int, Step] = {}

    def steps(self, steps: YamlNode | None, workflow: Workflow, job: Job | None) -> list[Step]:
        if steps is None or not steps.is_sequence:
            return []
        known = self.lists.get(id(steps.target))
        if known is not None:
            return known
        result = []
        for index, node in enumerate(steps.items):
            if not node.is_mapping:
                continue
            step = self.by_node.get(id(node.target))
            if step is None:
                run = node.get("run")
                is_script = run is not None and run.is_scalar and not run.is_null
                script = run_script(run) if run is not None and is_script else None
                step = Step(index, node.target, workflow, job, script)
                self.by_node[id(node.target)] = step
            result.append(step)
        self.lists[id(steps.target)] = result
        return result
