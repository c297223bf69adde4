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

from mlops_hooks.config import Settings
from mlops_hooks.engine import Engine, RunOptions
from mlops_hooks.registry import get_registry
from tests.fuzz.bounded import run_bounded

#: Inputs per property: each is a child process (about half a second), so the suite keeps
#: a handful and `just fuzz` (the campaign profile) a few hundred.
EXAMPLES = 300 if os.environ.get("HYPOTHESIS_PROFILE") == "campaign" else 8

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


def findings_here(root: Path, path: str) -> list[tuple[str, int, str]]:
    """What the engine in this process finds in ``path`` of ``root`` (the child's tree)."""
    options = RunOptions(fix=False, unsafe_fixes=False, write=False, jobs=1)
    engine = Engine(get_registry(), Settings(), options, select=["ALL"], cwd=root)
    return [
        (path, d.span.start.line, f"{d.code} [{d.name}] {d.message}")
        for result in engine.run([str(root / path)])
        for d in result.diagnostics
        if d.path == path
    ]


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


# -- Dockerfile -------------------------------------------------------------------------------

#: How one level of a chain refers to the level before (``{v}``): each doubles it, or more.
_DOUBLINGS = [
    "${{{v}}}${{{v}}}",
    "${v}${v}${v}",
    "${{{v}:-${v}}}${{{v}:+${v}${v}}}",
    '"${{{v}}}${{{v}}}"',
    "${{{v}}}/${{{v}}}",
]
_USES = [
    "RUN pip install ${{{v}}}",
    "WORKDIR /${v}",
    "COPY ${{{v}}} /app/",
    "ENV PATH=${v}:$PATH",
    "RUN uv pip install --system ${v} && echo ${{{v}:-x}}",
    "USER ${v}",
]


@st.composite
def expansion_bomb(draw: st.DrawFn) -> str:
    """A Dockerfile whose variables double at every level (``ARG a1=${a0}${a0}`` ...),
    before the first ``FROM`` or inside a stage, with nested defaults and long
    continuations around them."""
    levels = draw(st.sampled_from([1, 10, 40, 64, 200, 1000]))
    doubling = draw(st.sampled_from(_DOUBLINGS))
    global_scope = draw(st.booleans())
    lines = [] if global_scope else ["FROM python:3.12-slim AS base"]
    lines.append("ARG a0=xy")
    for level in range(1, levels):
        keyword = "ARG" if global_scope else draw(st.sampled_from(["ARG", "ENV"]))
        lines.append(f"{keyword} a{level}=" + doubling.format(v=f"a{level - 1}"))
    last = f"a{levels - 1}"
    if global_scope:
        lines += [f"FROM python:${{{last}}} AS base", f"ARG {last}"]
    defaults = draw(st.sampled_from([0, 100, 3000]))
    if defaults:
        nested = "".join(f"${{b{i}:-" for i in range(defaults)) + f"${last}" + "}" * defaults
        lines.append(f"ENV NESTED={nested}")
    lines += [use.format(v=last) for use in draw(st.lists(st.sampled_from(_USES), max_size=3))]
    continued = draw(st.sampled_from([0, 50, 5000]))
    if continued:
        lines.append("RUN echo start \\")
        lines += [f"  && echo ${last} ${{{last}:-x}} \\" for _ in range(continued)]
        lines.append("  && echo end")
    lines += ["FROM base", "RUN pip install torch"]
    return "\n".join(lines) + "\n"


@settings(max_examples=EXAMPLES)
@given(expansion_bomb())
@example(
    "ARG a0=xy\n"
    + "".join(f"ARG a{i}=${{a{i - 1}}}${{a{i - 1}}}\n" for i in range(1, 200))
    + "FROM python:3.12-slim\nARG a199\nRUN pip install ${a199}\n"
)
def test_dockerfile_expansion_bombs_are_checked_within_bounds(text: str) -> None:
    """Within the bounds, with no internal error, and the same findings as the engine in
    this process gives (deterministic: no budget that depends on time or hash order)."""
    with TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "Dockerfile").write_text(text)
        done = run_bounded(root, "Dockerfile")
        here = findings_here(root, "Dockerfile")
    assert done.returncode in (0, 1), done.stderr
    assert findings(done.stdout) == here


# -- justfile and pre-commit config -----------------------------------------------------------

_JUST_EXPRESSIONS = {
    "parentheses": lambda n: "(" * n + "'a'" + ")" * n,
    "concatenation": lambda n: " + ".join(["'a'"] * n),
    "paths": lambda n: " / ".join(["'a'"] * n),
    "conditionals": lambda n: "if 'a' == 'b' { " * n + "'c'" + " } else { 'd' }" * n,
    "calls": lambda n: "uppercase(" * n + "'a'" + ")" * n,
    "doubling": lambda n: "a0 + a0",
}
_YAML = {
    "flow-lists": lambda n: "[" * n + "]" * n,
    "flow-maps": lambda n: "{a: " * n + "1" + "}" * n,
    "block-maps": lambda n: "\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(n)),
}


@st.composite
def nested_task_files(draw: st.DrawFn) -> tuple[str, str]:
    """A justfile with a deep expression (in a variable or a recipe's interpolation), or a
    pre-commit config with deep YAML."""
    n = draw(st.sampled_from([1, 10, 200, 1000, 5000]))
    if draw(st.booleans()):
        shape = draw(st.sampled_from(list(_YAML)))
        text = "repos: " + _YAML[shape](n) + "\n"
        return ".pre-commit-config.yaml", text
    shape = draw(st.sampled_from(list(_JUST_EXPRESSIONS)))
    expression = _JUST_EXPRESSIONS[shape](n)
    head = "a0 := 'xy'\n" + "".join(f"a{i} := a{i - 1} + a{i - 1}\n" for i in range(1, 60))
    if draw(st.booleans()):
        return "justfile", head + f"x := {expression}\n\ncheck:\n    echo {{{{x}}}}\n"
    return "justfile", head + f"\ncheck:\n    echo {{{{ {expression} }}}}\n"


@settings(max_examples=EXAMPLES)
@given(nested_task_files())
def test_nested_justfiles_and_configs_are_checked_within_bounds(case: tuple[str, str]) -> None:
    """Within the bounds, with no internal error; a file nested past a parser's limit is
    one XXX000 of its own, and the same findings as the engine in this process gives."""
    path, text = case
    with TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / path).write_text(text)
        done = run_bounded(root, path)
        here = findings_here(root, path)
    assert done.returncode in (0, 1), done.stderr
    found = findings(done.stdout)
    errors = [rest for _, _, rest in found if rest[3:6] == "000"]
    assert len(errors) <= 1, errors
    assert found == here
