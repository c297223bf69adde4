"""GHA007: a workflow step or local pre-commit hook runs a `just` recipe that does not exist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.diagnostics import Span
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
    from mlops_hooks.checkers.workflow.model import Step
    from mlops_hooks.checkers.workflow.scripts import ScriptLine
    from mlops_hooks.project.justfile.calls import JustInvocation
    from mlops_hooks.project.justfile.types import JustfileIndex
    from mlops_hooks.shell import Word

_JUSTFILE = (
    "# list the tasks\ndefault:\n    @just --list\n\nalias c := check\n\n"
    "# run the checks\ncheck: check-code\n\n# lint\ncheck-code:\n    uv run ruff check\n"
    "\nmod docker\n"
)
_FILES = {"justfile": _JUSTFILE, "docker/mod.just": "# build the image\nbuild:\n    echo\n"}
_STEPS = "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
#: Maps ``[start, end)`` offsets in the checked text back to a span in the file.
Locate = Callable[[int, int], Span]
#: Ways to name the repository root (the default working directory of a step).
_WORKSPACE = frozenset(
    {"", ".", "./", "${{github.workspace}}", "$GITHUB_WORKSPACE", "${GITHUB_WORKSPACE}"}
)


class Scalar(Protocol):
    """What this rule reads of a pre-commit config scalar (``entry:``, ``args:`` items)."""

    @property
    def value(self) -> str:
        """The scalar's value."""

    @property
    def raw(self) -> str:
        """The scalar as written."""

    @property
    def style(self) -> str | None:
        """The YAML style (``None`` plain, ``'``, ``"``, ``|``, ``>``)."""

    @property
    def span(self) -> Span:
        """Where the scalar is written."""


class HookRepo(Protocol):
    """What this rule reads of a pre-commit config repo entry."""

    @property
    def url(self) -> Scalar:
        """The ``repo:`` value."""


class Hook(Protocol):
    """What this rule reads of a pre-commit hook (the pre-commit checker calls
    :meth:`UnknownJustRecipe.check_hook` because of ``extra_kinds``; checkers never import
    each other, so the shape is stated here)."""

    @property
    def repo(self) -> HookRepo:
        """The repo entry the hook belongs to."""

    @property
    def entry(self) -> Scalar | None:
        """The ``entry:`` scalar."""

    @property
    def args(self) -> tuple[Scalar, ...] | None:
        """The ``args:`` scalars."""


class UnknownJustRecipe(WorkflowRule):
    """A workflow step or local pre-commit hook runs a `just` recipe that does not exist.

    ## What it does
    Reports, at the recipe's name, a `run:` step (or a local hook's `entry:` and `args:` in
    `.pre-commit-config.yaml`) that calls `just X`, `uv run just X` or
    `uvx --from rust-just just X` where the repository's justfile (at the project root,
    imports and `mod` modules included) has no recipe or alias `X`. Recipes after a recipe
    without parameters are checked too (`just clean package`). Calls that name another
    justfile or directory, run in another `working-directory`, follow a `cd`, or name the
    recipe with a variable or expression are skipped; so is everything when just cannot
    parse the justfile (`JST000` reports it).

    ## Why is this bad?
    The step fails only when it runs: after a recipe is renamed, the release job breaks on
    the next tag, not in the pull request that renamed it.
    """

    code = "GHA007"
    name = "unknown-just-recipe"
    kind = "workflow"
    extra_kinds = ("precommit",)
    examples = (
        Good(
            _STEPS
            + "      - run: uv run just check\n      - run: |\n          just c docker build\n"
            "          just --list\n          just ${{ matrix.task }}\n"
            "      - run: just nope\n        working-directory: sub\n",
            files=_FILES,
        ),
        Bad(
            _STEPS + "      - run: uv run just check-all\n",
            files=_FILES,
            span=(6, 26, 6, 35),
            message="`just check-all` fails: the justfile has no recipe or alias `check-all`;"
            " did you mean `check`?",
        ),
        Bad(
            _STEPS + "      - run: |\n          uv sync\n          uvx --from rust-just just \\\n"
            '            --justfile justfile "docker::push"\n',
            files=_FILES,
            span=(9, 34, 9, 46),
            message="`just docker::push` fails: the justfile has no recipe or alias"
            " `docker::push`; did you mean `docker::build`?",
        ),
        Bad(
            "repos:\n  - repo: local\n    hooks:\n      - id: lint\n        name: lint\n"
            "        entry: uv run just lint\n        language: system\n",
            path=".pre-commit-config.yaml",
            files=_FILES,
            span=(6, 28, 6, 32),
            message="`just lint` fails: the justfile has no recipe or alias `lint`",
        ),
        Bad(
            _STEPS + "      - run: just check\n",
            span=(6, 19, 6, 24),
            message="`just check` fails: the repository has no justfile",
        ),
    )

    def check_step(self, step: Step) -> None:
        script = step.run
        if script is None or not _in_root(step):
            return
        index, ok = self._index()
        if not ok:
            return
        from mlops_hooks.project.justfile.calls import commands, invocation_of

        # The whole script at once, as the shell reads it: continued lines join, and a
        # heredoc's body is data, not commands.
        text = "\n".join(physical.text for physical in script.lines)
        locate = _locator(script.lines)
        for command in commands(text):
            if _leaves_root(command):
                return  # after `cd sub`, a justfile of `sub` may be the one that runs
            invocation = invocation_of(command)
            if invocation is not None:
                self._check(index, invocation, locate)

    def check_hook(self, hook: Hook) -> None:
        if hook.repo.url.value != "local" or hook.entry is None:
            return
        index, ok = self._index()
        if not ok:
            return
        from mlops_hooks.project.justfile.calls import just_invocations

        # entry then args, as pre-commit joins them (file names come after).
        parts: list[tuple[Scalar, int]] = []
        text = ""
        for scalar in (hook.entry, *(hook.args or ())):
            parts.append((scalar, len(text)))
            text += scalar.value + " "

        def locate(start: int, end: int) -> Span:
            scalar, offset = max((p for p in parts if p[1] <= start), key=lambda p: p[1])
            return _scalar_span(scalar, start - offset, end - offset)

        for invocation in just_invocations(text.replace("\n", " ")):
            self._check(index, invocation, locate)

    def _index(self) -> tuple[JustfileIndex | None, bool]:
        """The project's justfile index, and whether recipes can be checked against it."""
        index = self.project.justfile
        return index, index is None or index.loaded

    def _check(
        self, index: JustfileIndex | None, invocation: JustInvocation, locate: Locate
    ) -> None:
        from mlops_hooks.project.justfile.calls import unknown_recipes

        for word in unknown_recipes(index, invocation):
            start, end = word.inner()
            suggest = self.project.cached("gha007-suggestions", lambda p: Suggestions(p.justfile))
            self.report(locate(start, end), _message(index, word.text, suggest))


def _message(index: JustfileIndex | None, name: str, suggest: Callable[[str], str | None]) -> str:
    if index is None:
        return f"`just {name}` fails: the repository has no justfile"
    close = suggest(name)
    hint = f"; did you mean `{close}`?" if close else ""
    return f"`just {name}` fails: the justfile has no recipe or alias `{name}`{hint}"


#: How many known names a "did you mean" compares (difflib's ratio is quadratic in the
#: lengths of the names): those nearest to the unknown name in sorted order, by prefix and
#: by suffix.
SUGGESTION_CANDIDATES = 64


class Suggestions:
    """The known recipe or alias closest to a name, if one is close enough. The names are
    sorted once per run and each name answered once, and each answer compares at most
    :data:`SUGGESTION_CANDIDATES` names: thousands of unknown invocations over thousands
    of recipes stay near-linear."""

    def __init__(self, index: JustfileIndex | None) -> None:
        public = [] if index is None else [n for n, r in index.recipes.items() if not r.private]
        self.public = sorted(public) + sorted(index.aliases if index is not None else ())
        self.by_prefix = sorted(self.public)
        self.by_suffix = sorted((n[::-1], n) for n in self.public)
        self.answers: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        if name not in self.answers:
            self.answers[name] = self._closest(name)
        return self.answers[name]

    def _closest(self, name: str) -> str | None:
        import bisect
        import difflib

        candidates = self.public
        if len(candidates) > SUGGESTION_CANDIDATES:
            half = SUGGESTION_CANDIDATES // 4
            at = bisect.bisect(self.by_prefix, name)
            near = set(self.by_prefix[max(at - half, 0) : at + half])
            at = bisect.bisect(self.by_suffix, (name[::-1], ""))
            near |= {n for _, n in self.by_suffix[max(at - half, 0) : at + half]}
            candidates = [n for n in candidates if n in near]
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return close[0] if close else None


def _in_root(step: Step) -> bool:
    """Whether the step's shell starts in the repository root (``working-directory`` of the
    step, else ``defaults.run`` of the job, else of the workflow)."""
    owners = [step.job.node if step.job is not None else None, step.workflow.root]
    nodes = [step.get("working-directory")]
    for owner in owners:
        defaults = owner.get("defaults") if owner is not None and owner.is_mapping else None
        run = defaults.get("run") if defaults is not None and defaults.is_mapping else None
        nodes.append(run.get("working-directory") if run is not None and run.is_mapping else None)
    for node in nodes:
        if node is not None:
            return (node.string or "").replace(" ", "") in _WORKSPACE
    return True


def _leaves_root(command: Sequence[Word]) -> bool:
    """A ``cd``/``pushd`` to anywhere but the workspace (``cd`` alone goes home)."""
    if not command or command[0].text not in ("cd", "pushd"):
        return False
    if len(command) < 2:
        return True
    target = command[1].text.replace(" ", "")
    return target == "/" or target.rstrip("/") not in _WORKSPACE


def _locator(lines: Sequence[ScriptLine]) -> Locate:
    """Map ``[start, end)`` offsets in the lines joined by newlines back to a span on the
    physical line where ``start`` is (cut at that line's end)."""
    import bisect

    starts: list[int] = []
    offset = 0
    for physical in lines:
        starts.append(offset)
        offset += len(physical.text) + 1

    def locate(start: int, end: int) -> Span:
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        physical, column = lines[index], start - starts[index]
        return physical.span_of(column, min(column + end - start, len(physical.text)))

    return locate


def _scalar_span(scalar: Scalar, start: int, end: int) -> Span:
    """The span of ``value[start:end]`` when the scalar is written on one line as its value
    (plain or simply quoted); else the whole scalar."""
    shift = 1 if scalar.style in ("'", '"') else 0
    plain = scalar.raw[shift : len(scalar.raw) - shift] if shift else scalar.raw
    if plain != scalar.value or "\n" in scalar.raw or scalar.style not in (None, "'", '"'):
        return scalar.span
    line, column = scalar.span.start.line, scalar.span.start.column + shift
    return Span.of(line, column + start, line, column + min(end, len(scalar.value)))
