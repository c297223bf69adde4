"""Bad input that crashes, hangs or blows up: each file's failure stays that file's one
diagnostic, and the run goes on (issue 14, items 7, 10, 11 and 12).

Every test is an attack from the security review, written as the attack; its docstring names
the promise it guards. Time and memory are bounded by the fuzz properties (tests/fuzz), not
here: these tests assert what is reported.
"""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_hooks.checkers.python import PythonChecker
from tests.security.conftest import Check, findings, write_tree

SERVING = 'import mlflow\nmlflow.pyfunc.load_model("models:/bikes/3")\n'
MLF001 = (
    "models:/bikes/3 loads a fixed model version (3); load by alias instead, e.g. "
    "models:/bikes@champion"
)
TOO_DEEP = (
    "expression nests too deeply to check (more than 1000 levels of operators, brackets and"
    " string pieces)"
)


def test_a_500_term_sum_is_checked_and_the_other_files_too(check: Check) -> None:
    """Promise: deep but valid Python is checked (no RecursionError, no exit 2); the other
    files' findings are never lost."""
    deep = "x = " + "+".join(["a"] * 500) + "\n"
    found = check({"src/deep.py": SERVING + deep, "src/other.py": SERVING})
    assert findings(found, "src/deep.py") == [("MLF001", 2, MLF001)]
    assert findings(found, "src/other.py") == [("MLF001", 2, MLF001)]


@pytest.mark.parametrize(
    "expression",
    [
        " and ".join(["a"] * 20_000),  # flat for CPython, 20,000 levels for LibCST
        " ".join(['"a"'] * 20_000),  # implicit concatenation
        'f"{' + " or ".join(["a"] * 20_000) + '}"',  # inside an f-string's field
        "(" * 3000 + "a" + ")" * 3000,
        "lambda: " * 20_000 + "a",
    ],
    ids=["and-chain", "string-pieces", "f-string-field", "parentheses", "lambdas"],
)
def test_nesting_that_crashes_libcst_is_one_diagnostic(expression: str, tmp_path: Path) -> None:
    """Promise: nothing crashes on bad input; a file nested beyond the bound is one MLF000
    naming its line, and the run goes on. (A subprocess: a regression is a segfault.)"""
    write_tree(tmp_path, {"deep.py": SERVING + "x = " + expression + "\n", "ok.py": SERVING})
    done = subprocess.run(
        [sys.executable, "-m", "mlops_hooks", "check", "--format", "concise", "deep.py", "ok.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[:2] == [
        f"deep.py:3:1: MLF000 [python-parse-error] {TOO_DEEP}",
        f"ok.py:2:41: MLF001 [model-uri-by-version] {MLF001}",
    ]


@pytest.mark.parametrize("chain", ["a" + "[0]" * 2000, "a" + "()" * 2000, "a" + ".b()" * 600])
def test_call_and_subscript_chains_never_reach_libcst(
    check: Check, monkeypatch: pytest.MonkeyPatch, chain: str
) -> None:
    """Promise: a chain of calls or subscripts nests like any operator: past the bound it is
    one MLF000 at its line, before any parser (LibCST took seconds on a 2,000-subscript
    chain, its time growing with the square of the chain; CPython's limit gave no line)."""
    import libcst

    monkeypatch.setattr(libcst, "parse_module", lambda *args: pytest.fail("parsed"))
    found = check({"src/deep.py": SERVING + "\n\nx = " + chain + "\n", "src/other.py": "x = 1\n"})
    assert findings(found, "src/deep.py") == [("MLF000", 5, TOO_DEEP)]


def test_cpythons_recursion_limit_is_reported_at_the_deepest_line(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: when CPython's parser gives up on the nesting (RecursionError or MemoryError,
    without a position), the one MLF000 still names the line: the deepest one."""
    import ast

    def give_up(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded during ast construction")

    monkeypatch.setattr(ast, "parse", give_up)
    text = SERVING + "x = (a, (b, (c, (d))))\ny = [f(g(h(i(j(k)))))]\nz = a + b\n"
    found = check({"src/deep.py": text})
    assert findings(found, "src/deep.py") == [
        ("MLF000", 4, "Python code nested too deeply to check")
    ]


def test_a_tree_past_the_walks_bound_is_reported_at_the_deepest_line(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: a LibCST tree deeper than the walk's bound is one MLF000 naming the line
    where the file nests deepest (LibCST's nodes hold no positions)."""
    from mlops_hooks.checkers.python import walk

    monkeypatch.setattr(walk, "MAX_DEPTH", 15)
    deep = "f(g(h(i(j(k(l(m(n(o('models:/bikes/4'))))))))))"
    text = SERVING + f"x = 1\ny = {deep} + q\nz = a + b\n"
    found = check({"src/deep.py": text})
    assert findings(found, "src/deep.py") == [
        ("MLF000", 4, "Python code nested deeper than 15 levels")
    ]


def test_a_long_elif_chain_is_one_diagnostic(check: Check) -> None:
    """Promise: an ``elif`` chain too long for LibCST's parser is one MLF000 at the branch
    past the bound (it never reaches the parser, whose stack would overflow)."""
    chain = "if a:\n    pass\n" + "elif a:\n    pass\n" * 1500 + "x = 'models:/bikes/3'\n"
    found = check({"src/chain.py": "import mlflow\n" + chain})
    assert findings(found, "src/chain.py") == [
        (
            "MLF000",
            2 + 2 * 1001,
            "if statement nests too deeply to check (more than 1000 elif branches)",
        )
    ]


def test_an_unexpected_failure_on_one_file_is_that_files_diagnostic(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: any unexpected exception while checking one file becomes one XXX000
    diagnostic for that file ("internal error while checking this file"); the run goes on
    and the other kinds' findings are reported."""

    def boom(*args: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(PythonChecker, "parse", boom)
    found = check({"src/serving.py": SERVING, "Dockerfile": "FROM python:3.12\n"})
    assert findings(found, "src/serving.py") == [
        ("MLF000", 1, "internal error while checking this file: RuntimeError: kaput")
    ]
    assert [code for code, _, _ in findings(found, "Dockerfile")] == ["DKR006"]


@pytest.mark.parametrize(
    "path",
    ["Dockerfile", "justfile", ".github/workflows/check.yml", ".pre-commit-config.yaml", "m.py"],
)
def test_a_nul_byte_after_8_kib_is_one_diagnostic_at_its_line(check: Check, path: str) -> None:
    """Promise: a NUL byte anywhere in a file is one XXX000 at its line, never a silently
    truncated file (it hid the rest of a Dockerfile after the first 8 KiB)."""
    padding = "# padding\n" * 1000  # 10,000 bytes
    content = (padding + "x\x00\nFROM python:3.12\n").encode()
    found = check({path: content})
    [(code, line, message)] = findings(found, path)
    assert code.endswith("000")
    assert (line, message) == (1001, "binary file (contains NUL bytes); not checked")


def test_a_nul_character_in_a_utf16_file_is_one_diagnostic_at_its_line(check: Check) -> None:
    """Promise: the NUL check holds whatever the encoding (a BOM selects UTF-16)."""
    text = "FROM python:3.12-slim\nRUN echo\x00\n"
    found = check({"Dockerfile": codecs.BOM_UTF16_LE + text.encode("utf-16-le")})
    assert findings(found, "Dockerfile") == [
        ("DKR000", 2, "binary file (contains NUL bytes); not checked")
    ]


def test_self_doubling_args_expand_within_a_budget(check: Check) -> None:
    """Promise: variable expansion in a Dockerfile is capped (length per substitution), so
    a chain of self-doubling ARGs (2^60 characters written out) is checked at once; the
    reference past the budget stays unexpanded."""
    chain = "".join(f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, 61))
    text = "ARG A0=xx\n" + chain + "FROM python:3.12\nARG A60\nENV B=${A60}${A60}\n"
    found = check({"Dockerfile": text})
    assert [code for code, _, _ in findings(found, "Dockerfile")] == ["DKR006"]


@pytest.mark.parametrize("terms", [5000, 20_000])
def test_a_deep_just_expression_is_one_diagnostic(check: Check, terms: int) -> None:
    """Promise: a justfile expression too deep for just's parser (20,000 terms: it overflows
    its stack, with a thread id in its message) or for reading just's dump (5,000 terms: a
    RecursionError was an internal error) is one JST000 with a fixed message."""
    text = "x := " + " + ".join(["'a'"] * terms) + "\n\ncheck:\n    echo {{x}}\n"
    found = check({"justfile": text})
    assert findings(found, "justfile") == [
        ("JST000", 1, "just cannot parse the justfile: an expression nests too deeply to check")
    ]
