"""The pre-commit config model: repos and hooks from YAML nodes, with exact spans.

The file is parsed with ``yaml.compose`` (libyaml's C loader when available): nodes, not Python
objects, so every value keeps its position and quoting style, nothing is constructed (a tag
never runs code), and an alias is the very node of its anchor wherever it is used (walks keep a
set of visited nodes, so a recursive alias cannot loop). Merge keys (``<<: *base``) are applied
the way PyYAML's safe loader applies them.

What pre-commit itself would refuse is a :class:`~mlops_hooks.checkers.ParseError` (``PCC000``)
with the position of the offending node: invalid YAML, several documents, a duplicate key (YAML
loaders silently keep the last one), a tag the safe loader cannot load, a top level that is not
a mapping or has no ``repos``, and wrong types or unknown stage names in the keys the rules
read (``repos``, ``repo``, ``rev``, ``hooks``, ``id``, ``entry``, ``args``, ``stages``,
``default_stages``, ``default_install_hook_types``).

This module imports nothing heavy at import time: rules import its constants and helpers.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.precommit.yamlnodes import YAML_TAG, check_nodes, compose, describe, pairs
from mlops_hooks.diagnostics import Edit, Span

if TYPE_CHECKING:
    from mlops_hooks.source import SourceFile

#: The git hooks ``pre-commit install --hook-type`` can install (pre-commit's ``HOOK_TYPES``).
HOOK_TYPES = (
    "commit-msg",
    "post-checkout",
    "post-commit",
    "post-merge",
    "post-rewrite",
    "pre-commit",
    "pre-merge-commit",
    "pre-push",
    "pre-rebase",
    "prepare-commit-msg",
)
#: Every stage a hook may run at; ``manual`` runs only with ``pre-commit run --hook-stage``.
STAGES = (*HOOK_TYPES, "manual")
#: Stage names renamed in pre-commit 3.2 (still accepted, warned since 4.0).
LEGACY_STAGES = {"commit": "pre-commit", "merge-commit": "pre-merge-commit", "push": "pre-push"}


@dataclass(frozen=True)
class Scalar:
    """A string value as written: its value, span, source offsets and quoting style."""

    value: str
    span: Span
    start: int
    end: int
    #: ``None`` for plain scalars, else ``'``, ``"``, ``|`` or ``>``.
    style: str | None
    #: The source text of the node, quotes included.
    raw: str
    #: Identity of the YAML node: an alias shares it with its anchor.
    node_id: int

    def replace(self, new: str) -> Edit:
        """An edit that sets the value to ``new`` and keeps the quoting style (and so the
        surrounding flow or block layout, comments and line endings)."""
        quote = self.style if self.style in ("'", '"') else None
        if quote is not None and self.raw == f"{quote}{self.value}{quote}":
            return Edit(Span.of(*_shift(self.span, 1, -1)), new)
        if self.style is None and self.raw == self.value:
            return Edit(self.span, new)
        # Escapes, folded or literal blocks: write the whole scalar again, double-quoted.
        return Edit(self.span, json.dumps(new))


def _shift(span: Span, start: int, end: int) -> tuple[int, int, int, int]:
    return (span.start.line, span.start.column + start, span.end.line, span.end.column + end)


@dataclass
class Hook:
    """One hook of a repo, in the order pre-commit runs it."""

    repo: Repo
    #: Position in the run order over the whole file (0-based).
    index: int
    id: Scalar
    span: Span
    stages: tuple[Scalar, ...] | None = None
    args: tuple[Scalar, ...] | None = None
    entry: Scalar | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """The command line words: ``entry`` (as a shell would split it) then ``args``."""
        words: list[str] = []
        if self.entry is not None:
            try:
                words.extend(shlex.split(self.entry.value))
            except ValueError:
                words.extend(self.entry.value.split())
        words.extend(a.value for a in self.args or ())
        return tuple(words)

    @property
    def stage_names(self) -> tuple[str, ...] | None:
        """The ``stages`` as written, legacy names translated; None when not set."""
        if not self.stages:
            return None
        return tuple(LEGACY_STAGES.get(s.value, s.value) for s in self.stages)


@dataclass
class Repo:
    """One entry of ``repos``: where the hooks come from, at which ``rev``."""

    url: Scalar
    span: Span
    rev: Scalar | None = None
    hooks: list[Hook] = field(default_factory=list)

    @property
    def is_local(self) -> bool:
        """``repo: local``: hooks defined in the config itself."""
        return self.url.value == "local"

    @property
    def is_meta(self) -> bool:
        """``repo: meta``: pre-commit's own checks of the config."""
        return self.url.value == "meta"

    @property
    def is_remote(self) -> bool:
        """A repository pre-commit clones (needs a ``rev``)."""
        return not (self.is_local or self.is_meta)

    @property
    def path(self) -> str:
        """The repository path without host, scheme, case or ``.git``: ``owner/name``."""
        return repo_path(self.url.value)

    def matches(self, repo: str) -> bool:
        """Whether this is ``repo`` (``owner/name`` or a URL; any host, case, ``.git``)."""
        return self.is_remote and path_matches(self.path, repo_path(repo))


@dataclass
class PrecommitConfig:
    """A parsed ``.pre-commit-config.yaml``."""

    source: SourceFile
    #: The ``repos`` key (findings about something missing go there).
    repos_key: Span
    repos: list[Repo] = field(default_factory=list)
    default_install_hook_types: tuple[Scalar, ...] | None = None
    default_stages: tuple[Scalar, ...] | None = None

    @property
    def hooks(self) -> list[Hook]:
        """Every hook in run order."""
        return [hook for repo in self.repos for hook in repo.hooks]

    @property
    def install_hook_types(self) -> frozenset[str]:
        """What a bare ``pre-commit install`` installs (``pre-commit`` unless configured)."""
        if self.default_install_hook_types is None:
            return frozenset({"pre-commit"})
        return frozenset(s.value for s in self.default_install_hook_types)

    @property
    def default_stage_names(self) -> tuple[str, ...]:
        """The stages of hooks that set none (every stage unless ``default_stages``)."""
        if self.default_stages is None:
            return STAGES
        return tuple(LEGACY_STAGES.get(s.value, s.value) for s in self.default_stages)


# -- repository paths and hook specs --------------------------------------------------------

_SCP_LIKE = re.compile(r"^[^/@:]+@[^/:]+:")


def repo_path(url: str) -> str:
    """``https://GitHub.com/PyCQA/bandit.git`` -> ``pycqa/bandit``; ``owner/name`` as is."""
    text = url.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
        text = text.split("/", 1)[1] if "/" in text else ""
    elif _SCP_LIKE.match(text):
        text = text.split(":", 1)[1]
    text = text.strip("/")
    if text.endswith(".git"):
        text = text[: -len(".git")]
    return text.strip("/")


def path_matches(path: str, wanted: str) -> bool:
    """Whether ``path``'s last segments are ``wanted`` (``a/pycqa/bandit`` ~ ``pycqa/bandit``)."""
    have = [p for p in path.split("/") if p]
    want = [p for p in wanted.split("/") if p]
    return bool(want) and have[-len(want) :] == want


# -- parsing ------------------------------------------------------------------------------


def parse(source: SourceFile) -> PrecommitConfig:
    """Compose ``source`` into nodes and build a :class:`PrecommitConfig` (or raise
    :class:`ParseError` where pre-commit would refuse the file)."""
    root = compose(source)
    if root is None:
        raise ParseError("empty file: a pre-commit config is a mapping with a `repos` list")
    check_nodes(root, source)
    builder = _Builder(source)
    return builder.config(root)


class _Builder:
    """Builds the model from the root node, raising ParseError on what pre-commit refuses."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.hook_count = 0

    def span(self, node: Any) -> Span:
        return self.source.span(node.start_mark.index, node.end_mark.index)

    def fail(self, node: Any, message: str) -> ParseError:
        pos = self.source.position(node.start_mark.index)
        return ParseError(message, pos.line, pos.column)

    def scalar(self, node: Any, what: str) -> Scalar:
        if node.id != "scalar" or node.tag != YAML_TAG + "str":
            hint = ": quote it" if node.id == "scalar" and not node.style else ""
            raise self.fail(node, f"{what} must be a string, not {describe(node)}{hint}")
        start, end = node.start_mark.index, node.end_mark.index
        return Scalar(
            value=str(node.value),
            span=self.span(node),
            start=start,
            end=end,
            # libyaml gives "" for plain scalars, PyYAML None: one spelling for rules.
            style=node.style or None,
            raw=self.source.text[start:end],
            node_id=id(node),
        )

    def strings(self, node: Any, what: str, allowed: tuple[str, ...] = ()) -> tuple[Scalar, ...]:
        if node.id != "sequence":
            raise self.fail(node, f"{what} must be a list, not {describe(node)}")
        items = tuple(self.scalar(item, f"each item of {what}") for item in node.value)
        if allowed:
            for item, scalar in zip(node.value, items, strict=True):
                if scalar.value not in allowed:
                    raise self.fail(
                        item,
                        f"unknown stage `{scalar.value}` in {what}; pre-commit accepts "
                        + ", ".join(sorted(set(allowed) - set(LEGACY_STAGES))),
                    )
        return items

    def config(self, root: Any) -> PrecommitConfig:
        if root.id != "mapping":
            raise self.fail(
                root,
                f"the top level is {describe(root)}, not a mapping:"
                " a pre-commit config is a mapping with a `repos` list",
            )
        fields = {str(k.value): (k, v) for k, v in pairs(root)}
        if "repos" not in fields:
            raise self.fail(root, "no `repos` key: pre-commit requires a `repos` list")
        repos_key, repos_node = fields["repos"]
        config = PrecommitConfig(self.source, self.span(repos_key))
        stages = (*STAGES, *LEGACY_STAGES)
        if "default_install_hook_types" in fields:
            config.default_install_hook_types = self.strings(
                fields["default_install_hook_types"][1], "`default_install_hook_types`", HOOK_TYPES
            )
        if "default_stages" in fields:
            config.default_stages = self.strings(
                fields["default_stages"][1], "`default_stages`", stages
            )
        if repos_node.id != "sequence":
            raise self.fail(repos_node, f"`repos` must be a list, not {describe(repos_node)}")
        config.repos = [self.repo(item) for item in repos_node.value]
        return config

    def repo(self, node: Any) -> Repo:
        if node.id != "mapping":
            raise self.fail(node, f"each item of `repos` must be a mapping, not {describe(node)}")
        fields = {str(k.value): (k, v) for k, v in pairs(node)}
        if "repo" not in fields:
            raise self.fail(node, "missing `repo` key in an item of `repos`")
        repo = Repo(self.scalar(fields["repo"][1], "`repo`"), self.span(node))
        if "rev" in fields:
            rev = fields["rev"][1]
            # `rev:` with no value is an empty rev (PCC003), not a type error.
            is_null = rev.id == "scalar" and rev.tag == YAML_TAG + "null" and rev.value == ""
            repo.rev = self._empty(rev) if is_null else self.scalar(rev, "`rev`")
        if "hooks" not in fields:
            raise self.fail(node, f"missing `hooks` key in repo `{repo.url.value}`")
        hooks = fields["hooks"][1]
        if hooks.id != "sequence":
            raise self.fail(hooks, f"`hooks` must be a list, not {describe(hooks)}")
        repo.hooks = [self.hook(repo, item) for item in hooks.value]
        return repo

    def _empty(self, node: Any) -> Scalar:
        start = node.start_mark.index
        return Scalar("", self.source.span(start, start), start, start, None, "", id(node))

    def hook(self, repo: Repo, node: Any) -> Hook:
        if node.id != "mapping":
            raise self.fail(node, f"each item of `hooks` must be a mapping, not {describe(node)}")
        fields = {str(k.value): (k, v) for k, v in pairs(node)}
        if "id" not in fields:
            raise self.fail(node, f"missing `id` key in a hook of repo `{repo.url.value}`")
        hook = Hook(repo, self.hook_count, self.scalar(fields["id"][1], "`id`"), self.span(node))
        self.hook_count += 1
        if "stages" in fields:
            hook.stages = self.strings(fields["stages"][1], "`stages`", (*STAGES, *LEGACY_STAGES))
        if "args" in fields:
            hook.args = self.strings(fields["args"][1], "`args`")
        if "entry" in fields:
            hook.entry = self.scalar(fields["entry"][1], "`entry`")
        return hook
