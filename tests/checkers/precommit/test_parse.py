"""Parsing pre-commit configs: exact positions, PCC000 for what pre-commit refuses, no crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mlops_hooks.checkers.precommit import CHECKER, is_precommit_config
from mlops_hooks.checkers.precommit.model import PrecommitConfig, parse, repo_path
from mlops_hooks.cli import main
from mlops_hooks.diagnostics import Span
from mlops_hooks.source import SourceFile
from mlops_hooks.testing import Lint, project, write_project

GOOD = """\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v6.0.0
    hooks:
      - id: check-yaml
"""


def model(text: str) -> PrecommitConfig:
    return parse(SourceFile(".pre-commit-config.yaml", text))


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        (".pre-commit-config.yaml", True),
        (".pre-commit-config.yml", True),
        ("services/api/.pre-commit-config.yaml", False),
        ("pre-commit-config.yaml", False),
        (".pre-commit-hooks.yaml", False),
        (".pre-commit-config.yaml.bak", False),
        ("docs/.Pre-Commit-Config.yaml", False),
    ],
)
def test_routing(relpath: str, expected: bool) -> None:
    assert is_precommit_config(relpath) is expected
    assert CHECKER.matches(relpath) is expected


def test_model_has_exact_spans_and_run_order() -> None:
    config = model(
        "default_install_hook_types: [pre-commit, commit-msg]\n"
        "repos:\n"
        "  - repo: https://github.com/a/one\n"
        "    rev: 'v1.0.0'\n"
        "    hooks:\n"
        "      - id: first\n"
        '        args: [--fix, "-c", x]\n'
        "        entry: tool --flag 'two words'\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - {id: second, stages: [commit, pre-push]}\n"
    )
    assert config.repos_key == Span.of(2, 1, 2, 6)
    assert config.install_hook_types == frozenset({"pre-commit", "commit-msg"})
    one, local = config.repos
    assert one.url.span == Span.of(3, 11, 3, 35)
    assert one.rev is not None
    assert (one.rev.value, one.rev.style, one.rev.span) == ("v1.0.0", "'", Span.of(4, 10, 4, 18))
    first, second = config.hooks
    assert first.words == ("tool", "--flag", "two words", "--fix", "-c", "x")
    assert (first.index, second.index) == (0, 1)
    assert second.id.span == Span.of(11, 14, 11, 20)
    assert second.stage_names == ("pre-commit", "pre-push")
    assert local.is_local and not local.is_remote


def test_positions_with_crlf_bom_and_wide_characters(lint: Lint) -> None:
    text = "# ünïcödé 😀\r\nrepos:\r\n  - repo: https://github.com/x/y\r\n    rev: main\r\n"
    text += "    hooks:\r\n      - id: z\r\n"
    found = lint(b"\xef\xbb\xbf" + text.encode("utf-8"), "PCC003")
    assert project(found, "span") == [(4, 10, 4, 14)]


def test_merge_keys_and_aliases() -> None:
    config = model(
        "x-base: &base\n  rev: v1.0.0\n  hooks: &hooks\n    - id: a\n"
        "repos:\n  - <<: *base\n    repo: https://github.com/x/one\n"
        "  - <<: *base\n    repo: https://github.com/x/two\n    rev: v2.0.0\n"
    )
    one, two = config.repos
    assert [one.rev and one.rev.value, two.rev and two.rev.value] == ["v1.0.0", "v2.0.0"]
    # The same node seen through two aliases: the same identity, one position.
    assert one.hooks[0].id.node_id == two.hooks[0].id.node_id
    assert one.hooks[0].id.span == Span.of(4, 11, 4, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ((1, 1, 1, 1), "empty file: a pre-commit config is a mapping with a `repos` list")),
        (
            "# nothing but a comment\n",
            ((1, 1, 1, 1), "empty file: a pre-commit config is a mapping with a `repos` list"),
        ),
        (
            "just a string\n",
            (
                (1, 1, 1, 1),
                "the top level is a string, not a mapping:"
                " a pre-commit config is a mapping with a `repos` list",
            ),
        ),
        (
            "repos: {}\n",
            ((1, 8, 1, 8), "`repos` must be a list, not a mapping"),
        ),
        (
            "repos:\n  - hooks: []\n",
            ((2, 5, 2, 5), "missing `repo` key in an item of `repos`"),
        ),
        (
            "repos:\n  - repo: https://github.com/x/y\n    rev: v1.0.0\n",
            ((2, 5, 2, 5), "missing `hooks` key in repo `https://github.com/x/y`"),
        ),
        (
            "repos:\n  - repo: local\n    hooks:\n      - name: lint\n",
            ((4, 9, 4, 9), "missing `id` key in a hook of repo `local`"),
        ),
        (
            "repos:\n  - repo: local\n    hooks:\n      - id: lint\n        args: [--max, 10]\n",
            ((5, 23, 5, 23), "each item of `args` must be a string, not an integer: quote it"),
        ),
        (
            "repos:\n  - repo: local\n    hooks:\n      - id: yes\n",
            ((4, 13, 4, 13), "`id` must be a string, not a boolean: quote it"),
        ),
        (
            "default_install_hook_types: [pre-commit, commit]\nrepos: []\n",
            (
                (1, 42, 1, 42),
                "unknown stage `commit` in `default_install_hook_types`; pre-commit accepts"
                " commit-msg, post-checkout, post-commit, post-merge, post-rewrite, pre-commit,"
                " pre-merge-commit, pre-push, pre-rebase, prepare-commit-msg",
            ),
        ),
        (
            "repos: []\n---\nrepos: []\n",
            (
                (2, 1, 2, 1),
                "invalid YAML: but found another document"
                " (expected a single document in the stream on line 1)",
            ),
        ),
        (
            "repos: !!python/object:os.system []\n",
            (
                (1, 8, 1, 8),
                "unsupported YAML tag `!!python/object:os.system`:"
                " pre-commit's safe loader cannot load it",
            ),
        ),
        (
            "repos: !custom []\n",
            (
                (1, 8, 1, 8),
                "unsupported YAML tag `!custom`: pre-commit's safe loader cannot load it",
            ),
        ),
        (
            "repos:\n  - repo: local\n    hooks:\n      - id: a\n        id: b\n",
            (
                (5, 9, 5, 9),
                "duplicate key `id` (first on line 4): YAML loaders keep only the last one",
            ),
        ),
        (
            "x: &s [commit]\ny: &s [push]\nrepos: []\n",
            ((2, 4, 2, 4), "invalid YAML: duplicate anchor &s (first on line 1)"),
        ),
        (
            "x: *nope\nrepos: []\n",
            ((1, 4, 1, 4), "invalid YAML: undefined alias *nope"),
        ),
        (
            # pre-commit's loader parses the whole file before it constructs a value.
            "x: {a: 1, a: 2}\ny: !custom z\nrepos: [\n",
            (
                (4, 1, 4, 1),
                "invalid YAML: did not find expected node content (while parsing a flow node)",
            ),
        ),
        (
            "y: !custom z\nx: {a: 1, a: 2}\nrepos: []\n",
            (
                (1, 4, 1, 4),
                "unsupported YAML tag `!custom`: pre-commit's safe loader cannot load it",
            ),
        ),
        (
            "x: {a: 1, a: 2}\ny: !custom z\nrepos: []\n",
            (
                (1, 11, 1, 11),
                "duplicate key `a` (first on line 1): YAML loaders keep only the last one",
            ),
        ),
        (
            # Keys are compared as the values the loader constructs; merge keys are applied.
            "1: a\n'1': b\n<<: {c: 1}\n<<: {d: 1}\nrepos: []\n",
            None,
        ),
    ],
)
def test_what_pre_commit_refuses_is_pcc000(
    lint: Lint, text: str, expected: tuple[tuple[int, int, int, int], str] | None
) -> None:
    assert project(lint(text, "PCC000"), "span", "message") == (
        [] if expected is None else [expected]
    )


def test_invalid_yaml_names_line_and_column(lint: Lint) -> None:
    [(span, message)] = project(
        lint("repos:\n  - repo: local\n    hooks: [a, b\nx: 1\n", "PCC000"), "span", "message"
    )
    assert span[:2] == (4, 2)
    assert message.startswith("invalid YAML: ")
    assert "flow sequence" in message


def test_control_character_position_is_in_characters(lint: Lint) -> None:
    [(span, message)] = project(lint("# é😀\nrepos: [x\x07]\n", "PCC000"), "span", "message")
    assert span == (2, 10, 2, 10)
    assert message == "invalid YAML: U+0007 is not allowed in YAML"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"repos: []\n\x00\x01", "binary file (contains NUL bytes); not checked"),
        (b"repos: []\n# caf\xe9\n", "invalid UTF-8 at byte 15 (0xe9); the file must be UTF-8"),
    ],
)
def test_unreadable_bytes(lint: Lint, raw: bytes, message: str) -> None:
    [(_, found)] = project(lint(raw, "PCC000"), "span", "message")
    assert found == message


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: " + "[" * 200_000 + "]" * 200_000 + "\nrepos: []\n", (1, 1003)),
        ("repos: []\nx:\n" + "".join(" " * i + "k:\n" for i in range(1, 3000)), (1002, 1001)),
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_an_error_not_a_crash(
    lint: Lint, text: str, position: tuple[int, int]
) -> None:
    # Reported where the 1001st level opens (the root mapping is the first).
    assert project(lint(text, "PCC000"), "span", "message") == [
        ((*position, *position), "invalid YAML: nesting deeper than 1000 levels")
    ]


def test_many_inline_dashes_are_a_syntax_error(lint: Lint) -> None:
    [(span, message)] = project(
        lint("repos: []\nx: " + "- " * 100_000 + "y\n", "PCC000"), "span", "message"
    )
    assert span == (2, 4, 2, 4)
    assert message.startswith("invalid YAML: ") and "sequence entries are not allowed" in message


def test_recursive_alias_is_walked_once(lint: Lint) -> None:
    text = "x: &a [*a, *a]\nrepos: []\n"
    assert lint(text, "PCC000") == []
    assert model(text).repos == []


def test_alias_bomb_is_not_expanded(lint: Lint) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    assert lint("\n".join(lines) + "\nrepos: []\n", "PCC000") == []


def test_a_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(
        tmp_path,
        {
            ".pre-commit-config.yaml": "repos: [\n",
            "sub/pyproject.toml": '[project]\nname = "sub"\n',
            "sub/.pre-commit-config.yml": GOOD.replace("v6.0.0", "main"),
        },
    )
    code = main(["check", str(tmp_path), "--select", "PCC", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    codes = sorted((d["code"], Path(d["path"]).name) for d in out["diagnostics"])
    assert codes[0] == ("PCC000", ".pre-commit-config.yaml")
    assert ("PCC003", ".pre-commit-config.yml") in codes


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://github.com/PyCQA/bandit", "pycqa/bandit"),
        ("https://GitHub.com/PyCQA/bandit.git/", "pycqa/bandit"),
        ("git@github.com:PyCQA/bandit.git", "pycqa/bandit"),
        ("ssh://git@gitlab.example.com:2222/group/sub/tool", "group/sub/tool"),
        ("PyCQA/bandit", "pycqa/bandit"),
        ("local", "local"),
    ],
)
def test_repo_path(url: str, path: str) -> None:
    assert repo_path(url) == path


def test_merge_key_with_a_list_of_mappings_and_nested_merges() -> None:
    config = model(
        "x-a: &a {rev: v1.0.0}\n"
        "x-b: &b {<<: *a, hooks: [{id: b}]}\n"
        "x-self: &self {<<: *self, rev: v9.9.9}\n"
        "repos:\n"
        "  - <<: [*b, *self]\n"
        "    repo: https://github.com/x/y\n"
    )
    [repo] = config.repos
    assert repo.rev is not None and repo.rev.value == "v1.0.0"  # the first source wins
    assert [h.id.value for h in repo.hooks] == ["b"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "repos:\n  - just-a-string\n",
            ((2, 5, 2, 5), "each item of `repos` must be a mapping, not a string"),
        ),
        (
            "repos:\n  - repo: local\n    hooks: {id: a}\n",
            ((3, 12, 3, 12), "`hooks` must be a list, not a mapping"),
        ),
        (
            "repos:\n  - repo: local\n    hooks: [[a]]\n",
            ((3, 13, 3, 13), "each item of `hooks` must be a mapping, not a list"),
        ),
        (
            "repos:\n  - repo: local\n    hooks: [{id: a, stages: pre-commit}]\n",
            ((3, 29, 3, 29), "`stages` must be a list, not a string"),
        ),
        (
            "repos:\n  - repo: https://github.com/x/y\n    rev: 2024-01-01\n    hooks: []\n",
            ((3, 10, 3, 10), "`rev` must be a string, not a timestamp: quote it"),
        ),
    ],
)
def test_more_shapes_pre_commit_refuses(
    lint: Lint, text: str, expected: tuple[tuple[int, int, int, int], str]
) -> None:
    assert project(lint(text, "PCC000"), "span", "message") == [expected]


@pytest.mark.parametrize("loader", ["libyaml", "python"])
def test_control_character_after_many_brackets(
    lint: Lint, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    # libyaml reports the character at a byte offset, PyYAML at a character offset: the
    # finding is at the same code point either way, with the same words.
    if loader == "python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    text = "# é😀\nx: [" + "[], " * 1200 + "]\ny: a\x07b\n"
    assert project(lint(text, "PCC000"), "span", "message") == [
        ((3, 5, 3, 5), "invalid YAML: U+0007 is not allowed in YAML")
    ]
