"""LibCST parses only the top-level statements that can matter; results stay the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers.python.walk import parse_module
from mlops_hooks.source import SourceFile
from mlops_hooks.testing import Lint, project

WORDS = ("models:/", "get_latest_versions", "MlflowClient", "start_run", "autolog")

MODULE = '''"""A module with many functions, one of which loads a model."""

import mlflow
from mlflow import MlflowClient as Client

PREFIX = "models:/"
BASE = PREFIX + "bikes"


def unrelated(x):
    return x + 1


@decorator(
    "arg",
)
def also_unrelated():
    return [i for i in range(3)]


class Helper:
    def method(self):
        return "nothing to see"


def make():
    return Client()


def serve():
    uri = BASE + "/3"
    return mlflow.pyfunc.load_model(uri)


def promote():
    client = make()
    return Client().get_latest_versions("bikes")
'''


def _parsed_texts(source: str) -> list[str]:
    model = parse_module(SourceFile("m.py", source), WORDS)
    return [source[s.start : s.start + len(s.module.code)] for s in model.segments]


def test_only_functions_and_classes_with_a_word_are_parsed() -> None:
    texts = "".join(_parsed_texts(MODULE))
    assert "def serve" in texts and "def promote" in texts and "def make" in texts
    assert "unrelated" not in texts and "class Helper" not in texts
    assert "PREFIX =" in texts and "import mlflow" in texts
    segments = parse_module(SourceFile("m.py", MODULE), WORDS).segments
    for text, segment in zip(_parsed_texts(MODULE), segments, strict=True):
        assert text == segment.module.code  # each segment is the file's own text


def test_results_equal_a_whole_file_parse(lint: Lint) -> None:
    whole = parse_module(SourceFile("m.py", MODULE), None)
    part = parse_module(SourceFile("m.py", MODULE), WORDS)
    assert [(u.form, u.display, u.suffix and u.suffix.span) for u in whole.uris] == [
        (u.form, u.display, u.suffix and u.suffix.span) for u in part.uris
    ]
    assert project(lint(MODULE, "MLF"), "code") == ["MLF001", "MLF005"]
    assert project(lint(MODULE, "MLF"))[0][1] == (31, 20, 31, 21)


def test_names_bound_by_skipped_functions_are_not_constants(lint: Lint) -> None:
    source = (
        "VERSION = 3\n\ndef bump():\n    global VERSION\n    VERSION = 4\n\n"
        'def load():\n    return f"models:/bikes/{VERSION}"\n'
    )
    assert lint(source, "MLF") == []
    source = 'NAME = "bikes"\n\ndef NAME():\n    pass\n\nuri = f"models:/{NAME}/champion"\n'
    assert project(lint(source, "MLF"), "message") == [
        'models:/{NAME}/champion reads "champion" as a stage, which does not exist, and fails '
        "at run time; an alias is written models:/{NAME}@champion"
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_positions_after_skipped_code(lint: Lint, newline: str) -> None:
    source = MODULE.replace("\n", newline)
    assert project(lint(source, "MLF"))[0][1] == (31, 20, 31, 21)


def test_syntax_error_only_libcst_sees_in_a_segment() -> None:
    # Both parsers agree here; the line reported is the file's, not the segment's.
    source = "def a():\n    pass\n\n\ndef b():\n    x = 'models:/bikes/3'\n"
    model = parse_module(SourceFile("m.py", source), WORDS)
    assert [s.first_line for s in model.segments] == [5]
    assert [u.suffix.span.start.line for u in model.uris if u.suffix] == [6]


def _segments(source: SourceFile) -> list[tuple[int, int, str]]:
    from mlops_hooks.checkers.python.segments import parse_source

    parsed = parse_source(source, WORDS)
    return [(s.start, s.first_line, s.module.code) for s in parsed.segments]


def test_the_first_pass_tree_is_taken_once_and_only_for_its_own_file() -> None:
    import ast

    from mlops_hooks.checkers.python import depth

    fresh = _segments(SourceFile("m.py", MODULE))
    # Handed over for this very file: used (a tree of other text proves it), then gone.
    source = SourceFile("m.py", MODULE)
    depth.hand_over(source, ast.parse("\n\nimport mlflow\n"))  # line 3 only
    assert _segments(source) == [(MODULE.index("import mlflow"), 3, "import mlflow\n")]
    assert _segments(source) == fresh
    # Handed over for another file object with the same text: not used.
    depth.hand_over(SourceFile("m.py", MODULE), ast.parse("import mlflow\n"))
    assert _segments(SourceFile("m.py", MODULE)) == fresh
    assert depth.take_tree(source) is None


def _lint_with(source: SourceFile, first_pass: bool) -> list[tuple[str, tuple[int, ...]]]:
    from pathlib import Path

    from mlops_hooks.checkers.python import CHECKER
    from mlops_hooks.project import Project
    from mlops_hooks.registry import get_registry
    from mlops_hooks.rule import RuleContext

    context = RuleContext(source, Project(Path.cwd()))
    refs = [r for r in get_registry().rules if r.kind == "python" and not r.parse_error]
    rules = [rule(context, rule.Options()) for rule in refs]
    if first_pass:
        assert CHECKER.wants(source, rules)
    CHECKER.run(CHECKER.parse(source, context.project, rules), rules)
    return [(d.code, d.span.as_tuple()) for d in context.sink]


def test_a_file_the_first_pass_cannot_prove_is_parsed_by_cpython_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ast

    text = MODULE + 'mlflow.pyfunc.load_model("models:/bikes/Production")\n'
    alone = _lint_with(SourceFile("m.py", text), first_pass=False)
    parses: list[str] = []
    real = ast.parse
    monkeypatch.setattr(ast, "parse", lambda t, *a, **k: parses.append(t) or real(t, *a, **k))
    assert _lint_with(SourceFile("m.py", text), first_pass=True) == alone
    assert parses == [text]
    assert "MLF001" in [code for code, _ in alone]


# -- which statements: words found by line ----------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "ab", "b", "models:/", "import", " ", "\n", "\r\n", "\r"])),
    st.lists(st.sampled_from(["a", "ab", "ba", "models:/", "import", "b\nimport", ""]), max_size=3),
)
def test_words_found_by_line_as_by_searching_the_lines(chunks: list[str], words: list[str]) -> None:
    from mlops_hooks.checkers.python.segments import _line_end, _WordLines
    from mlops_hooks.diagnostics import Position

    source = SourceFile("m.py", "".join(chunks))
    lines = _WordLines(source)
    count = source.line_count  # the lines a statement can be on
    for first in range(1, count + 1):
        for last in range(first, count + 1):
            start, end = source.offset(Position(first, 1)), _line_end(source, last)
            expected = any(source.text.find(word, start, end) >= 0 for word in words)
            assert lines.within(words, first, last) == expected, (first, last)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_constant_after_a_semicolon_still_names_a_word(newline: str) -> None:
    import ast

    from mlops_hooks.checkers.python.segments import select

    text = newline.join(
        [
            "x = 1; PREFIX = 'models:/'",
            "def uses():",
            "    return PREFIX",
            "def other():",
            "    return y",
            "",
        ]
    )
    source = SourceFile("m.py", text)
    kept, skipped, _ = select(source, ast.parse(text), ("models:/",))
    assert skipped == {"other"}
    assert [getattr(s, "name", None) for s in kept] == [None, None, "uses"]


def _positions(model: object) -> list[Any]:
    """Every finding the rules make on ``model``: codes, spans, messages and fixes' edits."""
    from mlops_hooks.checkers.python import CHECKER
    from mlops_hooks.project import Project
    from mlops_hooks.registry import get_registry
    from mlops_hooks.rule import RuleContext

    rules = [r for r in get_registry().rules if r.kind == "python" and not r.parse_error]
    context = RuleContext(model.source, Project(Path.cwd()))  # type: ignore[attr-defined]
    instances = [rule(context, rule.Options()) for rule in rules]
    CHECKER.run(model, instances)  # type: ignore[arg-type]
    return list(context.sink)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_position_measures_the_segment_that_holds_it_and_no_offset_changes(
    newline: str,
) -> None:
    text = (
        MODULE
        + '\n\ndef stage():\n    return load_model("models:/bikes/Production")\n'
        + '\n\ndef stage_of(name):\n    return load_model(f"models:/{name}/Production")\n'
    ).replace("\n", newline)
    hinted = parse_module(SourceFile("m.py", text), WORDS)
    found = _positions(hinted)
    assert [d.code for d in found] == ["MLF005", "MLF001", "MLF003", "MLF003"]
    assert found[2].fix is not None and found[3].fix is not None
    # The last segment's findings measured it alone, not the ones before it.
    assert 0 not in hinted._measured  # imports and constants: no finding there
    # Without the walk's hints every segment up to the node's own is measured, in order.
    plain = parse_module(SourceFile("m.py", text), WORDS)
    plain.owners.clear()
    assert _positions(plain) == found
    whole = parse_module(SourceFile("m.py", text), None)
    assert _positions(whole) == found


def test_the_closure_of_words_matches_the_fixpoint_and_tests_each_definition_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ast

    from mlops_hooks.checkers.python import segments

    # A name defined before the constant it stands for (E) joins in a later round; a
    # definition holding no word (D) never does.
    text = (
        'E = F + "/3"\n'
        'F = "models:/bikes"\n'
        "G = E\n"
        "D = 1\n"
        "import x as Client_alias\n"
        "import MlflowClient as C\n"
    )
    source = SourceFile.from_bytes("m.py", text.encode(), "m.py")
    found = segments._closure(source, ast.parse(text), WORDS)
    assert sorted(set(found) - set(WORDS)) == ["C", "E", "F", "G"]
    # 3,000 constants, each holding a word: each is tested once, against the words alone
    # (testing every definition against every name found made this quadratic: seconds
    # for a dense 1 MB module of load_model calls).
    dense = "".join(f'M{i} = load("models:/m{i}@champion")\n' for i in range(3000))
    tested: list[int] = []
    within = segments._WordLines.within

    def counted(self: Any, words: Any, first: int, last: int) -> bool:
        tested.append(len(words))
        return within(self, words, first, last)

    monkeypatch.setattr(segments._WordLines, "within", counted)
    source = SourceFile.from_bytes("d.py", dense.encode(), "d.py")
    found = segments._closure(source, ast.parse(dense), WORDS)
    assert len(found) == len(WORDS) + 3000
    assert len(tested) == 3000
    assert sum(tested) <= 3000 * len(WORDS)
