"""The shell lexer: words, commands and the source offset of every character."""

from __future__ import annotations

import pytest

from mlops_hooks.checkers.dockerfile.shell import (
    ShellCommand,
    exec_form_command,
    split_commands,
)
from mlops_hooks.shell import Stream


def commands(text: str) -> list[ShellCommand]:
    return split_commands(Stream(text, range(len(text))))


def argvs(text: str) -> list[tuple[str, ...]]:
    return [c.argv for c in commands(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cd /app && uv sync --locked", [("cd", "/app"), ("uv", "sync", "--locked")]),
        ("a || b; c | d & e", [("a",), ("b",), ("c",), ("d",), ("e",)]),
        ("a\nb\n", [("a",), ("b",)]),
        ("echo 'a b' \"c $X d\" e\\ f", [("echo", "a b", "c $X d", "e f")]),
        ("echo \"say \\\"hi\\\"\" 'it''s'", [("echo", 'say "hi"', "its")]),
        ("echo $(uv --version) `date` ${A:-b}", [("echo", "$(uv --version)", "`date`", "${A:-b}")]),
        ("echo a#b # a comment\nuv sync", [("echo", "a#b"), ("uv", "sync")]),
        ("uv sync > /log 2>&1", [("uv", "sync")]),
        ("cat <<EOF > /etc/x", [("cat",)]),
        ("(cd /app && uv sync)", [("cd", "/app"), ("uv", "sync")]),
        ("if true; then uv sync; fi", [("true",), ("uv", "sync"), ("fi",)]),
        (
            "for p in a b; do pip install $p; done",
            [("for", "p", "in", "a", "b"), ("pip", "install", "$p"), ("done",)],
        ),
        ("a \\\n  b", [("a", "b")]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


def test_assignments_and_wrappers_are_stripped() -> None:
    (command,) = commands("UV_FROZEN=1 A='x y' env -u B C=2 sudo -u app uv sync")
    assert command.argv == ("uv", "sync")
    assert command.assignments == (("UV_FROZEN", "1"), ("A", "x y"), ("C", "2"))


def test_heredoc_delimiters_are_recorded() -> None:
    (command,) = commands("python3 <<'EOF' -")
    assert command.argv == ("python3", "-")
    assert command.heredocs == ("EOF",)
    (command,) = commands("<<-EOF")
    assert command.argv == ()
    assert command.heredocs == ("EOF",)


def test_word_offsets_point_into_the_source() -> None:
    text = "cd /app && \"uv\" sy'nc' --locked"
    (_, uv) = commands(text)
    first, second = uv.words[:2]
    assert (first.text, text[first.start : first.end]) == ("uv", '"uv"')
    assert (second.text, text[second.start : second.end]) == ("sync", "sy'nc'")
    assert [text[o] for o in second.offsets] == list("sync")


def test_offsets_follow_a_stream_with_gaps() -> None:
    # "uv " at offsets 10..12, "sync" at 20..23: a continuation joined two physical lines.
    stream = Stream("uv sync", [10, 11, 12, 20, 21, 22, 23])
    (command,) = split_commands(stream)
    assert [(w.start, w.end) for w in command.words] == [(10, 12), (20, 24)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "sh -c 'cd /app && uv sync'",
            [("sh", "-c", "cd /app && uv sync"), ("cd", "/app"), ("uv", "sync")],
        ),
        (
            'bash -euxo pipefail -c "uv sync"',
            [("bash", "-euxo", "pipefail", "-c", "uv sync"), ("uv", "sync")],
        ),
        (
            "bash -o pipefail -ec 'uv sync'",
            [("bash", "-o", "pipefail", "-ec", "uv sync"), ("uv", "sync")],
        ),
        ("bash script.sh -c 'uv sync'", [("bash", "script.sh", "-c", "uv sync")]),
        ("sh -c", [("sh", "-c")]),
    ],
)
def test_shell_c_scripts_are_split_too(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


def test_nested_words_keep_source_offsets() -> None:
    text = "sh -c 'uv sync'"
    nested = commands(text)[1]
    assert text[nested.words[0].start : nested.words[1].end] == "uv sync"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("echo 'open", [("echo", "open")]),
        ('echo "open', [("echo", "open")]),
        ("echo $(open", [("echo", "$(open")]),
        ("echo `open", [("echo", "`open")]),
        ("a \\", [("a",)]),
        ("a <", [("a",)]),
    ],
)
def test_unterminated_input_does_not_raise(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uv \\\r\nsync", [("uv", "sync")]),
        ('echo "a\\\nb" "c\\d"', [("echo", "ab", "c\\d")]),
        ("echo $(a $(b) c) d", [("echo", "$(a $(b) c)", "d")]),
        ("echo ${A:-${B}}x", [("echo", "${A:-${B}}x")]),
        ("echo a$ b", [("echo", "a$", "b")]),
        ("echo '' \"\"", [("echo", "", "")]),
    ],
)
def test_more_quoting(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


def test_exec_form_without_strings() -> None:
    assert exec_form_command([]) == []
