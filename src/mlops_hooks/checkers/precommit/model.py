"""The pre-commit config model: repos and hooks from YAML nodes, with exact spans.

The file is composed into the nodes of :mod:`mlops_hooks.yamlnodes` (libyaml's parser when
available): nodes, not Python objects, so every value keeps its position and quoting style,
nothing is constructed (a tag never runs code), and a value reached through an alias is its
anchored node (one identity and position wherever it is used; walks read each mapping once, so
a recursive alias cannot loop). Merge keys (``<<: *base``) are applied the way PyYAML's safe
loader applies them.

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
from typing import TYPE_CHECKING, Any

from mlops_hooks.checkers import ParseError
from mlops_hooks.diagnostics import Edit, Span
from mlops_hooks.lazyre import lazy
from mlops_hooks.records import field, record
from mlops_hooks.yamlnodes import NULL_TAG, SAFE_TAGS, YAML_TAG, YamlDialect, YamlNode, compose

if TYPE_CHECKING:
    from mlops_hooks.source import SourceFile

#: A config listing more hooks than this (YAML aliases expanded: ``hooks: *h`` in many repos)
#: is one PCC000 and not checked; a real config lists a few dozen.
MAX_HOOKS = 10_000

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
#: What pre-commit's loader (PyYAML's safe loader) refuses or silently gets wrong. It parses
#: the whole file before constructing values, keys mappings by constructed values (``1`` and
#: ``'1'`` differ), applies merge keys, allows recursive aliases, refuses a repeated anchor
#: and constructs only the standard tags.
PRECOMMIT_YAML = YamlDialect(
    duplicate_key="duplicate key `{key}` (first on line {line}):"
    " YAML loaders keep only the last one",
    second_document="invalid YAML: but found another document"
    " (expected a single document in the stream on line {line})",
    typed_keys=True,
    merge_keys=True,
    tags=SAFE_TAGS,
    unknown_tag="unsupported YAML tag `{tag}`: pre-commit's safe loader cannot load it",
    recursive_aliases=True,
    duplicate_anchor="invalid YAML: duplicate anchor &{anchor} (first on line {line})",
    syntax_errors_first=True,
)


@record(frozen=True)
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


@record
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
    #: Identity of the hook's YAML node: hooks shared through an alias (``hooks: *common``)
    #: share it.
    node_id: int = 0

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


@record
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


@record
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
        """Every hook in run order (a hook listed through several aliases, each time)."""
        return [hook for repo in self.repos for hook in repo.hooks]

    def distinct_hooks(self) -> list[Hook]:
        """Every hook in run order, once per YAML node and repository: a list of hooks
        shared by many repos of the same ``repo``/``rev`` through an alias (``hooks: *h``)
        is checked, and its findings reported, once, where its anchor is written."""
        seen: set[tuple[int, str, str | None]] = set()
        result = []
        for hook in self.hooks:
            rev = hook.repo.rev.value if hook.repo.rev is not None else None
            key = (hook.node_id, hook.repo.url.value, rev)
            if key not in seen:
                seen.add(key)
                result.append(hook)
        return result

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

    def commented_out_entries(self) -> tuple[tuple[str, str], ...]:
        """The ``repo:`` and ``id:`` entries written in comment lines (``# - repo: URL``,
        ``#   - id: commitizen``) as ``(key, value)`` pairs: a hook entry the maintainer
        disabled by commenting it out, rather than one nobody ever wrote."""
        return tuple((match[1], match[2]) for match in _COMMENTED_ENTRY.finditer(self.source.text))


# -- repository paths and hook specs --------------------------------------------------------

#: A comment line holding a config entry: ``# - repo: URL`` or ``#     - id: name`` (any
#: indentation and number of ``#``, the list dash optional, the value optionally quoted).
_COMMENTED_ENTRY = lazy(
    r"^[ \t]*#+[ \t]*(?:-[ \t]+)?(repo|id)[ \t]*:[ \t]*[\"']?([^\"'\s#]+)", re.MULTILINE
)
_SCP_LIKE = lazy(r"^[^/@:]+@[^/:]+:")


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
    root = compose(source, PRECOMMIT_YAML)
    if root is None:
        raise ParseError("empty file: a pre-commit config is a mapping with a `repos` list")
    builder = _Builder(source)
    return builder.config(root)


def _fields(node: YamlNode) -> dict[str, tuple[YamlNode, YamlNode]]:
    """A mapping's keys (merge keys applied) to their key and value nodes (the last wins,
    as in the loader)."""
    return {key.value: (key, value) for key, value in node.merged_pairs()}


class _Builder:
    """Builds the model from the root node, raising ParseError on what pre-commit refuses.

    A node reached through an alias is read as its anchored node (its span, its identity):
    an edit there changes every use, and an error points at the value to change.
    """

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.hook_count = 0
        #: The fields of each hook node, read once however many repos list it.
        self.hook_fields: dict[int, tuple[Scalar, Span, dict[str, Any]]] = {}

    def fail(self, node: YamlNode, message: str) -> ParseError:
        pos = node.target.start_position
        return ParseError(message, pos.line, pos.column)

    def scalar(self, node: YamlNode, what: str) -> Scalar:
        node = node.target
        if not node.is_scalar or node.tag != YAML_TAG + "str":
            hint = ": quote it" if node.is_scalar and node.style is None else ""
            raise self.fail(node, f"{what} must be a string, not {node.describe()}{hint}")
        return Scalar(
            value=node.value,
            span=node.span,
            start=node.start,
            end=node.end,
            style=node.style,
            raw=self.source.text[node.start : node.end],
            node_id=id(node),
        )

    def strings(
        self, node: YamlNode, what: str, allowed: tuple[str, ...] = ()
    ) -> tuple[Scalar, ...]:
        if not node.is_sequence:
            raise self.fail(node, f"{what} must be a list, not {node.describe()}")
        items = tuple(self.scalar(item, f"each item of {what}") for item in node.items)
        if allowed:
            for item, scalar in zip(node.items, items, strict=True):
                if scalar.value not in allowed:
                    raise self.fail(
                        item,
                        f"unknown stage `{scalar.value}` in {what}; pre-commit accepts "
                        + ", ".join(sorted(set(allowed) - set(LEGACY_STAGES))),
                    )
        return items

    def config(self, root: YamlNode) -> PrecommitConfig:
        if not root.is_mapping:
            raise self.fail(
                root,
                f"the top level is {root.describe()}, not a mapping:"
                " a pre-commit config is a mapping with a `repos` list",
            )
        fields = _fields(root)
        if "repos" not in fields:
            raise self.fail(root, "no `repos` key: pre-commit requires a `repos` list")
        repos_key, repos_node = fields["repos"]
        config = PrecommitConfig(self.source, repos_key.target.span)
        stages = (*STAGES, *LEGACY_STAGES)
        if "default_install_hook_types" in fields:
            config.default_install_hook_types = self.strings(
                fields["default_install_hook_types"][1], "`default_install_hook_types`", HOOK_TYPES
            )
        if "default_stages" in fields:
            config.default_stages = self.strings(
                fields["default_stages"][1], "`default_stages`", stages
            )
        if not repos_node.is_sequence:
            raise self.fail(repos_node, f"`repos` must be a list, not {repos_node.describe()}")
        config.repos = [self.repo(item) for item in repos_node.items]
        return config

    def repo(self, node: YamlNode) -> Repo:
        if not node.is_mapping:
            raise self.fail(node, f"each item of `repos` must be a mapping, not {node.describe()}")
        fields = _fields(node)
        if "repo" not in fields:
            raise self.fail(node, "missing `repo` key in an item of `repos`")
        repo = Repo(self.scalar(fields["repo"][1], "`repo`"), node.target.span)
        if "rev" in fields:
            rev = fields["rev"][1].target
            # `rev:` with no value is an empty rev (PCC003), not a type error.
            is_empty = rev.tag == NULL_TAG and rev.value == ""
            repo.rev = self._empty(rev) if is_empty else self.scalar(rev, "`rev`")
        if "hooks" not in fields:
            raise self.fail(node, f"missing `hooks` key in repo `{repo.url.value}`")
        hooks = fields["hooks"][1]
        if not hooks.is_sequence:
            raise self.fail(hooks, f"`hooks` must be a list, not {hooks.describe()}")
        if self.hook_count + len(hooks.items) > MAX_HOOKS:
            where = hooks.start_position  # the alias itself (`*h`), not its anchor
            raise ParseError(
                f"more than {MAX_HOOKS} hooks once YAML aliases are expanded; not checked",
                where.line,
                where.column,
            )
        repo.hooks = [self.hook(repo, item) for item in hooks.items]
        return repo

    def _empty(self, node: YamlNode) -> Scalar:
        span = self.source.span(node.start, node.start)
        return Scalar("", span, node.start, node.start, None, "", id(node))

    def hook(self, repo: Repo, node: YamlNode) -> Hook:
        known = self.hook_fields.get(id(node.target))
        if known is None:
            known = self.hook_fields[id(node.target)] = self._hook_fields(repo, node)
        hook_id, span, optional = known
        hook = Hook(repo, self.hook_count, hook_id, span, node_id=id(node.target), **optional)
        self.hook_count += 1
        return hook

    def _hook_fields(self, repo: Repo, node: YamlNode) -> tuple[Scalar, Span, dict[str, Any]]:
        if not node.is_mapping:
            raise self.fail(node, f"each item of `hooks` must be a mapping, not {node.describe()}")
        fields = _fields(node)
        if "id" not in fields:
            raise self.fail(node, f"missing `id` key in a hook of repo `{repo.url.value}`")
        hook_id = self.scalar(fields["id"][1], "`id`")
        optional: dict[str, Any] = {}
        if "stages" in fields:
            optional["stages"] = self.strings(
                fields["stages"][1], "`stages`", (*STAGES, *LEGACY_STAGES)
            )
        if "args" in fields:
            optional["args"] = self.strings(fields["args"][1], "`args`")
        if "entry" in fields:
            optional["entry"] = self.scalar(fields["entry"][1], "`entry`")
        return hook_id, node.target.span, optional
