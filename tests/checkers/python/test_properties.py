"""Property tests: the evaluator agrees with Python, spans point at the right characters, fixes
are idempotent. Bounded profiles (a few hundred examples) so that the suite stays fast."""

from __future__ import annotations

import warnings

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers.python.walk import parse_module
from mlops_hooks.source import SourceFile
from mlops_hooks.testing import Lint

PRELUDE = 'NAME = "bikes"\nVERSION = 3\nSTAGE = "Production"\n'
NAMESPACE = {"NAME": "bikes", "VERSION": 3, "STAGE": "Production"}
TEXT = st.sampled_from(
    [
        "models:/",
        "models:",
        "/",
        "bikes",
        "3",
        "12",
        "@",
        "champion",
        "Production",
        "latest",
        "x y",
        "é",
        "-",
    ]
)
ESCAPED = st.sampled_from(["\\x41", "\\n", "\\u00e9", "\\\\", "\\'", '\\"', "{{", "}}"])


@st.composite
def literal(draw: st.DrawFn) -> str:
    """A string literal: any prefix, any quotes, text with escapes; maybe an f-string."""
    fstring = draw(st.booleans())
    raw = draw(st.booleans())
    quote = draw(st.sampled_from(['"', "'", '"""', "'''"]))
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 3))
        if kind == 0 and fstring:
            parts.append(
                draw(st.sampled_from(["{NAME}", "{VERSION}", "{STAGE}", "{VERSION:d}", "{NAME!r}"]))
            )
        elif kind == 1 and not raw:
            escape = draw(ESCAPED)
            if escape in ("{{", "}}") and not fstring:
                escape = "{"
            parts.append(escape)
        else:
            parts.append(draw(TEXT))
    body = "".join(parts)
    if quote[0] in body or body.endswith("\\"):
        body = body.replace(quote[0], "")
    if raw and body.endswith("\\"):
        body += "x"
    prefix = ("f" if fstring else "") + ("r" if raw else "")
    return f"{prefix}{quote}{body}{quote}"


@st.composite
def expression(draw: st.DrawFn) -> str:
    atoms = draw(
        st.lists(
            st.one_of(literal(), st.sampled_from(["NAME", "str(VERSION)", "STAGE"])),
            min_size=1,
            max_size=4,
        )
    )
    out = atoms[0]
    for atom in atoms[1:]:
        joiner = draw(st.sampled_from([" + ", " ", " + "]))
        if joiner == " " and not (out[-1] in "\"'" and atom[-1] in "\"'"):
            joiner = " + "
        out += joiner + atom
    return out


def _value(expr: str) -> object:
    module = parse_module(SourceFile("x.py", f"{PRELUDE}uri = {expr}\n"))
    statement = module.segments[-1].module.body[-1]
    assert isinstance(statement, cst.SimpleStatementLine)
    assign = statement.body[0]
    assert isinstance(assign, cst.Assign)
    return module.evaluator.value(assign.value).py


@settings(max_examples=300, deadline=None)
@given(expression())
def test_evaluator_agrees_with_python(expr: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes are part of what is generated
            expected = eval(expr, dict(NAMESPACE))  # our own generated literals, not user code
    except (SyntaxError, TypeError, ValueError):
        return
    assert _value(expr) == expected


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(expression(), min_size=1, max_size=3))
def test_spans_lie_in_the_file_and_fixes_are_idempotent(lint: Lint, exprs: list[str]) -> None:
    source = PRELUDE + "".join(f"uri{i} = {e}\n" for i, e in enumerate(exprs))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "x.py", "exec")
    except SyntaxError:
        return
    lines = source.splitlines()
    for diagnostic in lint(source, "MLF", path="src/x.py"):
        start, end = diagnostic.span.start, diagnostic.span.end
        assert diagnostic.code != "MLF000"
        assert 1 <= start.line <= end.line <= len(lines)
        assert 1 <= start.column <= len(lines[start.line - 1]) + 1
        assert 1 <= end.column <= len(lines[end.line - 1]) + 1
    once = lint.fixed(source, "MLF", path="src/x.py")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compile(once, "x.py", "exec")  # the fixed file still parses
    assert lint.fixed(once, "MLF", path="src/x.py") == once
