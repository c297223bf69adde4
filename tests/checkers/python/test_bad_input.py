"""Decoding (PEP 263 cookies, BOMs), syntax errors and hostile input: one MLF000, no crash."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

STAGE = (
    "models:/bikes/Production loads by stage, deprecated since MLflow 2.9; "
    "load by alias instead: models:/bikes@production"
)


FIELDS = ("path", "code", "span", "message")


def test_coding_cookie_latin1_spans_in_code_points_and_fix_keeps_encoding(lint: Lint) -> None:
    text = '# -*- coding: latin-1 -*-\r\n# café\r\nuri = "é models:/bikes/Production"\r\n'
    found = lint(text.encode("latin-1"), "MLF", path="serving.py")
    assert project(found, *FIELDS) == [("serving.py", "MLF003", (3, 24, 3, 34), STAGE)]
    fixed = lint.fixed(text.encode("latin-1"), "MLF003", path="serving.py")
    assert fixed == text.replace("/Production", "@production").encode("latin-1")


def test_coding_cookie_on_the_second_line(lint: Lint) -> None:
    text = '#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nuri = "€ models:/bikes/3"\n'
    found = lint(text.encode("cp1252"), "MLF", path="serving.py")
    assert project(found, "code", "span") == [("MLF001", (3, 24, 3, 25))]


def test_a_cookie_after_code_is_ignored(lint: Lint) -> None:
    found = lint(
        b'import os\n# coding: latin-1\nuri = "models:/bikes/3 \xe9"\n', "MLF", path="serving.py"
    )
    assert project(found, *FIELDS) == [
        (
            "serving.py",
            "MLF000",
            (3, 24, 3, 24),
            "invalid UTF-8 at byte 51 (0xe9); the file must be UTF-8",
        )
    ]


def test_utf8_bom_is_kept_by_the_fix(lint: Lint) -> None:
    source = b'\xef\xbb\xbfuri = "models:/bikes/Production"\n'
    found = lint(source, "MLF", path="serving.py")
    assert project(found, "code", "span") == [("MLF003", (1, 22, 1, 32))]
    fixed = lint.fixed(source, "MLF003", path="serving.py")
    assert fixed == b'\xef\xbb\xbfuri = "models:/bikes@production"\n'


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (
            b'# coding: klingon\nuri = "models:/bikes/3"\n',
            "unknown encoding in coding cookie: 'klingon'",
            1,
        ),
        (
            b'\xef\xbb\xbf# coding: latin-1\nuri = "models:/bikes/3"\n',
            "encoding cookie 'latin-1' contradicts the UTF-8 BOM",
            1,
        ),
        (b'uri = "models:/bikes/3"\x00\x01\n', "binary file (contains NUL bytes); not checked", 1),
    ],
)
def test_undecodable_python(lint: Lint, data: bytes, message: str, line: int) -> None:
    found = lint(data, "MLF", path="serving.py")
    assert project(found, "code", "line", "message") == [("MLF000", line, message)]


@pytest.mark.parametrize(
    ("source", "span", "message"),
    [
        (
            'import mlflow\nmlflow.pyfunc.load_model("models:/bikes@champion"\n',
            (2, 25, 2, 25),
            "Python syntax error: '(' was never closed",
        ),
        (
            'uri = "models:/bikes@champion"\ndef f(:\n    pass\n',
            (2, 7, 2, 7),
            "Python syntax error: invalid syntax",
        ),
        (
            'uri = "models:/bikes@champion"\nif True:\nx = 1\n',
            (3, 1, 3, 1),
            "Python syntax error: expected an indented block after 'if' statement on line 2",
        ),
        (
            'uri = "models:/bikes@champion" + "x" +\n',
            (1, 39, 1, 39),
            "Python syntax error: invalid syntax",
        ),
        (
            "uri = 'models:/bikes@champion\n",
            (1, 7, 1, 7),
            "Python syntax error: unterminated string literal (detected at line 1)",
        ),
        (
            'é = "models:/bikes@champion"; ü = (é +\n',
            (1, 35, 1, 35),
            "Python syntax error: '(' was never closed",
        ),
    ],
)
def test_syntax_errors(
    lint: Lint, source: str, span: tuple[int, int, int, int], message: str
) -> None:
    assert project(lint(source, "MLF")) == [("MLF000", span, message)]


def test_syntax_error_does_not_stop_the_run(lint: Lint) -> None:
    files = {
        "src/a.py": 'uri = "models:/bikes/3"\n',
        "src/b.py": 'uri = ("models:/bikes/3"\n',
        "src/c.py": 'uri = "models:/bikes/4"\n',
    }
    assert project(lint(files, "MLF"), "path", "code") == [
        ("src/a.py", "MLF001"),
        ("src/b.py", "MLF000"),
        ("src/c.py", "MLF001"),
    ]


def test_newer_syntax_than_the_running_python_is_parsed(lint: Lint) -> None:
    # PEP 695 (3.12) and PEP 701 (3.12) syntax: LibCST parses it on any Python.
    source = 'type Uri = str\nuri = f"models:/{names["serving"]}/3"\n'
    assert project(lint(source, "MLF"), "code") == ["MLF001"]


TOO_DEEP = (
    "expression nests too deeply to check (more than 1000 levels of operators, brackets and"
    " string pieces)"
)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        # CPython limits: rejected before LibCST (whose native parser would overflow its
        # stack on such input, crashing the process).
        (
            'uri = "models:/bikes/3" + ' + "(" * 300 + "1" + ")" * 300 + "\n",
            "Python syntax error: too many nested parentheses",
        ),
        (
            'uri = "models:/bikes/3" + ' + " + ".join(["x"] * 20000) + "\n",
            TOO_DEEP,
        ),
        (
            'uri = "models:/bikes/3"\nx = ' + "-" * 5000 + "1\n",
            TOO_DEEP,
        ),
    ],
)
def test_pathological_nesting_is_one_diagnostic(lint: Lint, source: str, message: str) -> None:
    found = project(lint(source, "MLF"))
    assert [(c, m) for c, _, m in found] == [("MLF000", message)]


def test_deep_conforming_code_is_not_reported_as_too_deep(lint: Lint) -> None:
    # CPython parses it (a BoolOp is flat) and the first pass proves it conforming: LibCST,
    # whose bound this is, never sees it. With a finding, LibCST must look: too deep.
    chain = "x = " + " and ".join(["a"] * 1200) + "\n"
    assert lint('uri = "models:/bikes@champion"\n' + chain, "MLF") == []
    found = project(lint('uri = "models:/bikes/3"\n' + chain, "MLF"))
    assert [(c, m) for c, _, m in found] == [("MLF000", TOO_DEEP)]


def test_deep_but_valid_code_is_checked(lint: Lint) -> None:
    # 900 implicitly concatenated parts: LibCST nests them 900 levels deep.
    source = 'uri = ("models:/bikes/3"\n' + '       " x"\n' * 899 + ")\n"
    assert project(lint(source, "MLF"), "code", "span") == [("MLF001", (1, 23, 1, 24))]


def test_empty_and_whitespace_files(lint: Lint) -> None:
    assert lint("", "MLF") == []
    assert lint("\n\n   \n", "MLF") == []
    assert lint('"models:/bikes/3"', "MLF") == []  # a bare string statement, no trailing newline
    assert project(lint('x = "models:/bikes/3"', "MLF"), "code") == ["MLF001"]


def test_lone_cr_line_endings(lint: Lint) -> None:
    source = 'import mlflow\rx = 1\ruri = "models:/bikes/3"\r'
    assert project(lint(source, "MLF"), "code", "span") == [("MLF001", (3, 22, 3, 23))]
