"""Resource properties (issue 14, items 7 and 10): deep nesting and expansion bombs end within
time and memory bounds per input, with their real findings or one parse diagnostic.

Each input is checked in a child process (see :mod:`tests.fuzz.bounded`): a crash of a native
parser is an exit status, not a lost test run. The Python inputs are deep expressions and
blocks of every shape (sums, ``and`` chains, brackets, calls, subscripts, f-strings, lambdas,
nested ``def``/``if``, ``elif`` chains) beside a file with a known finding; the Dockerfile
inputs are self-doubling ``ARG``/``ENV`` chains, nested ``${a:-${b:-...}}`` defaults and long
continuations; the justfile and pre-commit inputs nest expressions and YAML.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fuzz.bounded import run_bounded

#: Inputs per property: each is a child process (about half a second), so the suite keeps
#: a handful and `just fuzz` (the campaign profile) a few hundred.
EXAMPLES = 300 if os.environ.get("HYPOTHESIS_PROFILE") == "campaign" else 10

SERVING = 'import mlflow\nmlflow.pyfunc.load_model("models:/m/1")\n'
MLF001 = (
    "MLF001 [model-uri-by-version] models:/m/1 loads a fixed model version (1); load by alias"
    " instead, e.g. models:/m@champion"
)
_FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$")


def findings(stdout: str) -> list[tuple[str, int, str]]:
    """``(path, line, "CODE [name] message")`` of every finding in concise output."""
    found = []
    for line in stdout.splitlines():
        match = _FINDING.match(line)
        if match:
            found.append((match["path"], int(match["line"]), match["rest"]))
    return found


# -- Python -----------------------------------------------------------------------------------

#: One deep expression of each shape, ``n`` levels or terms (single line unless it says).
_EXPRESSIONS = {
    "sum": lambda n: "+".join(["a"] * n),
    "and": lambda n: " and ".join(["a"] * n),
    "power": lambda n: "**".join(["a"] * n),
    "compare": lambda n: " < ".join(["a"] * n),
    "parentheses": lambda n: "(" * n + "a" + ")" * n,
    "lists": lambda n: "[" * n + "]" * n,
    "dicts": lambda n: "{1: " * n + "1" + "}" * n,
    "tuples": lambda n: "a, (" * n + "a" + ")" * n,
    "calls": lambda n: "f(" * n + ")" * n,
    "call-chain": lambda n: "a" + "()" * n,
    "subscripts": lambda n: "a" + "[0]" * n,
    "attributes": lambda n: "a" + ".b" * n,
    "methods": lambda n: "a" + ".b()" * n,
    "unary": lambda n: "-" * n + "a",
    "not": lambda n: "not " * n + "a",
    "lambdas": lambda n: "lambda: " * n + "a",
    "ternaries": lambda n: "a if b else " * n + "c",
    "strings": lambda n: " ".join(["'a'"] * n),
    "f-string-field": lambda n: 'f"{' + " or ".join(["a"] * n) + '}"',
    "nested-f-strings": lambda n: "f'{f\"{f'''{f\"\"\"{" + "+".join(["a"] * n) + "}\"\"\"}'''}\"}'",
    "multi-line-sum": lambda n: "(\n" + " +\n".join(["a"] * n) + "\n)",
    "continued-sum": lambda n: " + \\\n".join(["a"] * n),
}
#: Headers of blocks that nest statements (each indents the next).
_BLOCKS = ["if a:", "def f():", "for a in b:", "while a:", "with a:", "class C:", "async def g():"]
_SIZES = st.sampled_from([1, 2, 50, 199, 201, 500, 999, 1000, 1001, 2000, 2900, 6000, 20_000])


@st.composite
def deep_python(draw: st.DrawFn) -> tuple[str, int, int]:
    """Python nested deeply by expression, blocks or both: the file's text, and the first and
    last line of the deep part (which a parse diagnostic must point into)."""
    blocks = draw(st.lists(st.sampled_from(_BLOCKS), max_size=draw(st.sampled_from([0, 3, 120]))))
    shape = draw(st.sampled_from([*_EXPRESSIONS, "elif-chain"]))
    n = draw(_SIZES)
    indent = " " * len(blocks)
    head = "".join(" " * depth + block + "\n" for depth, block in enumerate(blocks))
    if shape == "elif-chain":
        body = indent + "if a:\n" + indent + " pass\n"
        body += (indent + "elif a:\n" + indent + " pass\n") * min(n, 2000)
    else:
        body = indent + "x = " + _EXPRESSIONS[shape](n).replace("\n", "\n" + indent) + "\n"
    first = SERVING.count("\n") + 1
    return SERVING + head + body, first, first + (head + body).count("\n") - 1


@settings(max_examples=EXAMPLES)
@given(deep_python())
@example((SERVING + "x = " + "+".join(["a"] * 5000) + "\n", 3, 3))
@example((SERVING + "x = " + " and ".join(["a"] * 20_000) + "\n", 3, 3))
@example((SERVING + "x = " + "a" + "[0]" * 2000 + "\n", 3, 3))
@example(
    (SERVING + "".join(" " * i + "def f():\n" for i in range(150)) + " " * 150 + "a\n", 3, 153)
)
def test_deep_python_is_checked_or_one_diagnostic_at_its_line(
    case: tuple[str, int, int],
) -> None:
    """Within the bounds, the deep file has its real findings (the version-pinned model URI
    before the deep part) or exactly one MLF000 pointing into the deep part; never an
    internal error or a crash; the file beside it keeps its finding."""
    text, first, last = case
    with TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "deep.py").write_text(text)
        (root / "other.py").write_text(SERVING)
        done = run_bounded(root, "deep.py", "other.py")
    assert done.returncode == 1, done.stderr
    found = findings(done.stdout)
    assert [f for f in found if f[0] == "other.py"] == [("other.py", 2, MLF001)], done.stdout
    deep = [f for f in found if f[0] == "deep.py"]
    if text.startswith(SERVING) and deep == [("deep.py", 2, MLF001)]:
        return  # checked: its real finding
    [(_, line, rest)] = deep
    assert rest.startswith("MLF000 [python-parse-error] "), rest
    assert first <= line <= last, (line, first, last, rest)
