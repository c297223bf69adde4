"""The core shell lexer: words with exact offsets, commands, redirections, logical lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_hooks.shell import Command, LogicalLine, Stream, Word, compact, logical_lines, split


def argvs(text: str, *, templates: bool = False) -> list[tuple[str, ...]]:
    return [command.argv for command in split(text, templates=templates)]


def only(text: str) -> Command:
    (command,) = split(text)
    return command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \t ", []),
        ("a", [("a",)]),
        ("a b  c", [("a", "b", "c")]),
        ("a && b || c; d | e & f", [("a",), ("b",), ("c",), ("d",), ("e",), ("f",)]),
        ("a&&b||c;d|e&f", [("a",), ("b",), ("c",), ("d",), ("e",), ("f",)]),
        ("a\nb\n\n", [("a",), ("b",)]),
        ("(a; b)", [("a",), ("b",)]),
        ("case $x in a) b;; esac", [("case", "$x", "in", "a"), ("b",), ("esac",)]),
        ("a ;; b", [("a",), ("b",)]),
    ],
)
def test_commands_split_on_control_operators(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


def test_each_command_records_the_operator_that_ends_it() -> None:
    assert [c.separator for c in split("a && b || c; d | e & f\ng")] == [
        "&&",
        "||",
        ";",
        "|",
        "&",
        "\n",
        "",
    ]
    assert [c.separator for c in split("case x in y) z;; esac")] == [")", ";;", ""]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'a b'", ["a b"]),
        ('"a b"', ["a b"]),
        ("'it''s'", ["its"]),
        ("a'b'\"c\"d", ["abcd"]),
        ("'' \"\"", ["", ""]),
        ("'a\\b'", ["a\\b"]),
        ("'a\"b'", ['a"b']),
        ('"a\'b"', ["a'b"]),
        ('"\\"\\\\\\$\\`"', ['"\\$`']),
        ('"\\a\\n"', ["\\a\\n"]),
        ("a\\ b", ["a b"]),
        ("\\'a\\'", ["'a'"]),
        ("\\#a", ["#a"]),
        ("a\\;b", ["a;b"]),
        ('"a;b && c"', ["a;b && c"]),
        ("'#not a comment'", ["#not a comment"]),
    ],
)
def test_quotes_and_escapes(text: str, expected: list[str]) -> None:
    assert [w.text for w in only(text).words] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a \\\nb", [("a", "b")]),
        ("a\\\nb", [("ab",)]),
        ("a \\\r\nb", [("a", "b")]),
        ('"a\\\nb"', [("ab",)]),
        ("a \\\\\nb", [("a", "\\"), ("b",)]),
    ],
)
def test_backslash_newline_continues_the_line(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a # b c", [("a",)]),
        ("# only a comment\nb", [("b",)]),
        ("a#b", [("a#b",)]),
        ("a;#b\nc", [("a",), ("c",)]),
        ("a $#", [("a", "$#")]),
    ],
)
def test_comments_start_only_where_a_word_could(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "echo $(uv --version) `date` ${A:-b c}",
            ["echo", "$(uv --version)", "`date`", "${A:-b c}"],
        ),
        ("echo $(a $(b) c)d", ["echo", "$(a $(b) c)d"]),
        ("echo ${A:-${B}}x", ["echo", "${A:-${B}}x"]),
        ("echo $((1 << 2))", ["echo", "$((1 << 2))"]),
        ("echo `a \\` b` c", ["echo", "`a \\` b`", "c"]),
        ('echo "x $(a "b") y"', ["echo", 'x $(a "b") y']),
        ("echo a$ $", ["echo", "a$", "$"]),
        ("echo $HOME/x", ["echo", "$HOME/x"]),
    ],
)
def test_expansions_stay_inside_their_word(text: str, expected: list[str]) -> None:
    assert [w.text for w in only(text).words] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uv sync > /log 2>&1", [("uv", "sync")]),
        ("a >> log", [("a",)]),
        ("a 2> err b", [("a", "b")]),
        ("a &> log", [("a",)]),
        ("a &>> log", [("a",)]),
        ("a >| x <> y <&3 >&- z", [("a", "z")]),
        ("a <<< 'here string' b", [("a", "b")]),
        ("a 12>x", [("a",)]),
        ("a x2>y", [("a", "x2")]),
        ("a <", [("a",)]),
        ("> out", []),
    ],
)
def test_redirections_are_not_words(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


def test_heredoc_delimiters_are_recorded_and_bodies_skipped() -> None:
    script = "cat <<'EOF' > /etc/x\nuv publish\nEOF\njust check\n"
    first, second = split(script)
    assert (first.argv, first.heredocs) == (("cat",), ("EOF",))
    assert second.argv == ("just", "check")
    assert first.separator == "\n"


def test_heredoc_variants() -> None:
    # <<- strips leading tabs from the body and the delimiter line.
    assert argvs("cat <<-END\n\tnot a command\n\tEND\nnext") == [("cat",), ("next",)]
    # Two heredocs on one line: their bodies follow one after the other.
    assert argvs("a <<A; b <<B\nx\nA\ny\nB\nc") == [("a",), ("b",), ("c",)]
    assert [c.heredocs for c in split('a <<A; b <<"B"\nA\nB\n')] == [("A",), ("B",)]
    # The rest of the line still holds commands; the body starts on the next line.
    assert argvs("cat <<EOF && uv sync\nbody\nEOF") == [("cat",), ("uv", "sync")]
    # Without its delimiter line, a body runs to the end of the text.
    assert argvs("cat <<EOF\nuv publish\n") == [("cat",)]
    # CRLF line endings: the delimiter line matches without its CR.
    assert argvs("cat <<EOF\r\nbody\r\nEOF\r\nnext") == [("cat",), ("next",)]
    # A heredoc whose delimiter is the last word: no body, nothing skipped.
    assert only("<<-EOF").heredocs == ("EOF",)


def test_arithmetic_shift_is_no_heredoc() -> None:
    assert argvs("((x << 2))\nuv publish") == [("((x << 2))",), ("uv", "publish")]
    assert argvs("echo $((x << 2))\nuv publish") == [("echo", "$((x << 2))"), ("uv", "publish")]


def test_templates_are_kept_whole_when_asked() -> None:
    text = 'a "${{ x }}" $(just no) `just no` {{ y }} ${{ a && b }}'
    assert [w.text for w in only_templates(text).words] == [
        "a",
        "${{ x }}",
        "$(just no)",
        "`just no`",
        "{{ y }}",
        "${{ a && b }}",
    ]
    assert argvs("{{ just_executable() }} check", templates=True) == [
        ("{{ just_executable() }}", "check")
    ]
    assert argvs("x{{ a }}y {b} {{ open", templates=True) == [("x{{ a }}y", "{b}", "{{ open")]
    assert argvs('"{{ a }}" "{"', templates=True) == [("{{ a }}", "{")]
    # Without templates, `{{` is ordinary text and `(` splits commands.
    assert argvs("{{ just_executable() }} check") == [("{{", "just_executable"), ("}}", "check")]


def only_templates(text: str) -> Command:
    (command,) = split(text, templates=True)
    return command


def test_word_offsets_point_into_the_source() -> None:
    text = "cd /app && \"uv\" sy'nc' --locked"
    _, uv = split(text)
    first, second, third = uv.words
    assert (first.text, text[first.start : first.end]) == ("uv", '"uv"')
    assert (second.text, text[second.start : second.end]) == ("sync", "sy'nc'")
    assert [text[o] for o in second.offsets] == list("sync")
    assert (third.start, third.end) == (23, 31)


def test_offsets_follow_a_stream_with_gaps() -> None:
    # "uv " at offsets 10..12, "sync" at 20..23: a continuation joined two physical lines.
    stream = Stream.build([("uv ", 10), ("sync", 20)])
    assert (stream.text, list(stream.offsets)) == ("uv sync", [10, 11, 12, 20, 21, 22, 23])
    (command,) = split(stream)
    assert [(w.start, w.end) for w in command.words] == [(10, 12), (20, 24)]
    assert list(command.words[1].offsets) == [20, 21, 22, 23]


def test_offsets_take_no_memory_per_character_where_they_run_without_gaps() -> None:
    # A large Dockerfile's model was mostly one int object per character of its commands.
    joined = Stream.build([("uv ", 10), ("sync", 13), ("", 17)])
    assert joined == Stream("uv sync", range(10, 17))
    gapped = Stream.build([("uv ", 10), ("sync", 20)])
    assert not isinstance(gapped.offsets, (list, range))  # eight bytes per character
    (command,) = split(gapped)
    assert [w.offsets for w in command.words] == [range(10, 12), range(20, 24)]
    (quoted,) = split(Stream.of("echo 'a'b\\c"))
    assert quoted.words[1].text == "abc"
    assert quoted.words[1].offsets == (6, 8, 10)  # gaps: a tuple
    assert compact([3, 4, 5]) == range(3, 6)
    assert compact([3, 5, 4]) == (3, 5, 4)
    assert compact([5, 3, 4]) == (5, 3, 4)
    assert compact([]) == compact(range(4, 4)) == ()
    assert Stream.build([]) == Stream("", range(0))


def test_stream_helpers() -> None:
    assert Stream.of("ab") == Stream("ab", range(2))
    tail = Stream("abcd", [5, 6, 9, 10]).after(2)
    assert (tail.text, list(tail.offsets)) == ("cd", [9, 10])


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("'check'", "check"),
        ('"check"', "check"),
        ("check", "check"),
        ("''", ""),
        ("'a'b", "'a'b"),
        ("'a''b'", "'a''b'"),
        ('"a\\"b"', '"a\\"b"'),
        ("\\ab", "\\ab"),
    ],
)
def test_inner_leaves_the_quotes_out(text: str, inner: str) -> None:
    (word,) = only(text).words
    start, end = word.inner()
    assert text[start:end] == inner


@pytest.mark.parametrize(
    "text",
    ["echo 'open", 'echo "open', "echo $(open", "echo ${open", "echo `open", "a \\", "a <<", "(("],
)
def test_unterminated_input_does_not_raise(text: str) -> None:
    for command in split(text):
        for word in command.words:
            assert 0 <= word.start < word.end <= len(text)
            assert all(word.start <= o < word.end for o in word.offsets)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("echo 'open", [("echo", "open")]),
        ('echo "open', [("echo", "open")]),
        ("echo $(open", [("echo", "$(open")]),
        ("echo `open", [("echo", "`open")]),
        ("a \\", [("a",)]),
        # A backslash that ends the text inside double quotes (it raised IndexError).
        ('echo "a\\', [("echo", "a\\")]),
        ('"\\', [("\\",)]),
    ],
)
def test_unterminated_quotes_run_to_the_end(text: str, expected: list[tuple[str, ...]]) -> None:
    assert argvs(text) == expected


def test_only_blanks_separate_words() -> None:
    # A form feed is a blank; a no-break space is part of a word (as in sh), never an operator.
    assert argvs("uv\fsync\v--locked") == [("uv", "sync", "--locked")]
    assert argvs("uv\u00a0sync --locked") == [("uv\u00a0sync", "--locked")]


def test_a_text_split_again_gives_the_same_commands_in_a_list_of_its_own() -> None:
    # Several rules split the same workflow script: the second split is the first's, shared
    # (commands and words are immutable), in a new list that a caller may change.
    text = "uv sync --locked && just check"
    first = split(text, templates=True)
    first.append(Command(()))
    again = split(text, templates=True)
    assert [c.argv for c in again] == [("uv", "sync", "--locked"), ("just", "check")]
    assert again is not first
    assert [c.argv for c in split(text)] == [c.argv for c in again]


def test_the_splits_kept_are_few_and_short(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlops_hooks import shell

    monkeypatch.setattr(shell, "_SPLITS", {})
    monkeypatch.setattr(shell, "_SPLIT_ENTRIES", 2)
    monkeypatch.setattr(shell, "_SPLIT_LONGEST", 10)
    assert [c.argv for c in split("echo one two three")] == [("echo", "one", "two", "three")]
    assert shell._SPLITS == {}  # longer than a text kept may be
    split("a b")
    split("c d e")
    assert list(shell._SPLITS) == [("a b", False), ("c d e", False)]
    split("f g h")  # a third: the kept ones go first
    assert list(shell._SPLITS) == [("f g h", False)]
    assert [c.argv for c in split("a b")] == [("a", "b")]


def test_words_are_plain_tuples() -> None:
    word = Word("a", range(1), 0, 1)  # offsets in one piece: a range
    assert only("a").words == (word,)
    assert Command((word,)).argv == ("a",)


def test_logical_lines_join_continued_lines() -> None:
    lines = ["a \\", "  b", "c", "d \\"]
    joined = list(logical_lines(lines))
    assert joined == [
        LogicalLine("a    b", 0, (0, 3)),
        LogicalLine("c", 2, (0,)),
        LogicalLine("d  ", 3, (0,)),
    ]
    # Every offset maps back to its physical line and column.
    first = joined[0]
    assert first.locate(0) == (0, 0)
    assert first.locate(2) == (0, 2)  # the backslash, replaced by a space
    assert first.locate(3) == (1, 0)
    assert first.locate(5) == (1, 2)
    assert joined[1].locate(0) == (2, 0)


@pytest.mark.parametrize(
    ("line", "continued"),
    [("a \\", True), ("a \\\\", False), ("a \\\\\\", True), ("a \\ ", False), ("", False)],
)
def test_only_an_odd_run_of_backslashes_continues(line: str, continued: bool) -> None:
    assert len(list(logical_lines([line, "next"]))) == (1 if continued else 2)


_PIECES = [*"ab #'\"\\$`(){}<>|&;-=\n\t\r", "{{", "}}", "<<", "<<-", "$(", "${", "&&", "\\\n"]
_SHELLISH = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, database=None)
@given(text=_SHELLISH, templates=st.booleans(), shift=st.integers(0, 50))
def test_any_text_lexes_into_words_that_point_into_it(
    text: str, templates: bool, shift: int
) -> None:
    stream = Stream(text, range(shift, shift + len(text)))
    previous = shift - 1
    for command in split(stream, templates=templates):
        assert command.words or command.heredocs
        assert command.separator in ("", "\n", ";", ";;", "&&", "||", "|", "&", "(", ")")
        for word in command.words:
            # Every character of a value comes from the text, in order, inside the word.
            assert len(word.offsets) == len(word.text)
            assert shift <= word.start < word.end <= shift + len(text)
            assert all(word.start <= o < word.end for o in word.offsets)
            assert list(word.offsets) == sorted(set(word.offsets))
            # The lexer only drops characters (quotes, escaping backslashes): each one it
            # keeps is the text's own character at its offset.
            assert all(text[o - shift] == c for o, c in zip(word.offsets, word.text, strict=True))
            assert word.start > previous  # words do not overlap
            previous = word.end - 1
