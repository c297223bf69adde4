"""The first pass (``ast``) and the LibCST pass agree: a file the first pass proves conforming
has no finding in the LibCST pass, for generated and real-shaped modules and every option."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers.python import CHECKER, firstpass
from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.diagnostics import Span
from mlops_hooks.project import Project
from mlops_hooks.registry import get_registry
from mlops_hooks.rule import Rule, RuleContext
from mlops_hooks.source import SourceFile

RULES = [r for r in get_registry().rules if r.kind == "python" and not r.parse_error]
#: Option sets that change what the rules report.
OPTIONS: list[dict[str, dict[str, Any]]] = [
    {},
    {"MLF001": {"flag_dynamic_versions": True}, "MLF005": {"flag_unresolved_receivers": True}},
    {"MLF003": {"stage_aliases": {"Staging": "v2"}}, "MLF001": {"suggested_alias": "x"}},
]


def _instances(source: SourceFile, options: dict[str, dict[str, Any]]) -> list[Rule]:
    context = RuleContext(source, Project(Path.cwd()))
    return [rule(context, rule.Options(**options.get(rule.code, {}))) for rule in RULES]


def _findings(text: str, options: dict[str, dict[str, Any]]) -> tuple[bool, list[str]]:
    """(what the first pass says, what the LibCST pass finds) for the module ``text``; the
    LibCST pass as the checker runs it: on the statements that hold a word of the rules (see
    :mod:`.segments`), as the first pass looks only at those."""
    source = SourceFile("m.py", text)
    proven = firstpass.conforming(source, _instances(source, options))
    rules = _instances(source, options)
    try:
        model = CHECKER.parse(source, Project(Path.cwd()), rules)
    except ValueError as exc:  # ParseError: MLF000
        return proven, [f"MLF000 {exc}"]
    CHECKER.run(model, rules)
    sink = rules[0].context.sink
    return proven, [f"{d.code} {d.span.as_tuple()} {d.message}" for d in sink]


def _agree(text: str) -> None:
    for options in OPTIONS:
        proven, found = _findings(text, options)
        assert not (proven and found), (options, found, text)


# -- generated modules -----------------------------------------------------------------------

WORD = st.sampled_from(["bikes", "champion", "3", "Production", "latest", "v2", "a.b", "", "x y"])
URI = st.builds(
    lambda name, sep, suffix: f"models:/{name}{sep}{suffix}",
    st.sampled_from(["bikes", "{name}", "{NAME}", "%s", ""]),
    st.sampled_from(["@", "/", "", "//"]),
    WORD,
)


@st.composite
def string_expr(draw: st.DrawFn) -> str:
    """A string expression as code: literals, f-strings, +, %, .format, str(), names."""
    form = draw(st.integers(0, 9))
    uri = draw(URI)
    if form == 0:
        return repr(uri)
    if form == 1:
        return "f" + repr(uri)
    if form == 2:
        head, _, tail = uri.partition(draw(st.sampled_from(["/", "@", "bikes"])))
        return f"{head!r} + {draw(st.sampled_from(['NAME', 'VERSION', 'name', 'ALIAS', 'PREFIX']))}"
    if form == 3:
        return f"{uri!r} % ({draw(st.sampled_from(['NAME', '3', 'name']))},)"
    if form == 4:
        return f"{uri!r}.format(name=NAME, version=3)"
    if form == 5:
        return f"str({draw(st.sampled_from(['VERSION', 'NAME', 'x']))}) + {uri!r}"
    if form == 6:
        return f"PREFIX + {draw(st.sampled_from(['NAME', repr('bikes/3'), repr('b@c')]))}"
    if form == 7:
        return f'f"{{PREFIX}}{draw(WORD)}/{{{draw(st.sampled_from(["VERSION", "STAGE", "v"]))}}}"'
    if form == 8:
        return f"{uri!r} {'f' + repr(draw(WORD))}"
    return draw(st.sampled_from(["URI", "ALIAS", "NAME", "b'models:/x/3'", "f'{URI}'"]))


@st.composite
def statement(draw: st.DrawFn) -> str:
    expr = draw(string_expr())
    form = draw(st.integers(0, 10))
    if form == 0:
        return f"model = mlflow.pyfunc.load_model({expr})\n"
    if form == 1:
        return f"def load(name, version, NAME=None):\n    return load_model({expr})\n"
    if form == 2:
        alias = draw(st.sampled_from([expr, "ALIAS", "'champion'", "'v3'", "a", "*args"]))
        return f"client.set_registered_model_alias('bikes', {alias}, 3)\n"
    if form == 3:
        method = draw(st.sampled_from(["get_latest_versions", "transition_model_version_stage"]))
        receiver = draw(st.sampled_from(["client", "MlflowClient()", "registry", "self.client"]))
        return f"{receiver}.{method}('bikes')\n"
    if form == 4:
        return "with mlflow.start_run():\n    pass\n"
    if form == 5:
        return f"{draw(st.sampled_from(['NAME', 'ALIAS', 'URI', 'PREFIX', 'VERSION']))} = {expr}\n"
    if form == 6:
        return f'"""{draw(URI)}"""\n'
    if form == 7:
        return f"if x:\n    STAGE = {draw(st.sampled_from([repr('Staging'), '3', expr]))}\n"
    if form == 8:
        return "from mlflow import start_run as go\ngo()\nmlflow.autolog()\n"
    if form == 9:
        return draw(DEFINITION)
    return f"x = [{expr}, {{'k': {expr}}}]\n"


#: Functions and classes that hold a rule's word or not (LibCST and the first pass leave out
#: those that do not), some binding or using a name another one imports.
DEFINITION = st.sampled_from(
    [
        'def f():\n    return load_model("models:" "/bikes/3")\n',
        'class C:\n    URI = "models:\\x2fbikes/3"\n',
        "def g():\n    from mlflow import start_run as go\n    return 1\n",
        'def h():\n    go()\n    return "models:/bikes@champion"\n',
        "def k():\n    go()\n",
        "@decorate('models:/bikes/3')\ndef d():\n    pass\n",
        "def s():\n    client.get_latest_versions('bikes')\n",
        "def p():\n    return PREFIX + 'bikes/3'\n",
        "def u():\n    return load_model(URI)\n",
    ]
)


PRELUDE = st.sampled_from(
    [
        "",
        "import mlflow\nfrom mlflow import MlflowClient\nclient = MlflowClient()\n",
        "NAME = 'bikes'\nVERSION = 3\nALIAS = 'champion'\nPREFIX = 'models:/'\n",
        "NAME = 'bikes/3'\nALIAS = 'v1'\nURI = 'models:/bikes/Staging'\nSTAGE = 'Production'\n",
        "VERSION = 2.5\nPREFIX = f'models:/{NAME}'\nNAME = PREFIX\n",
    ]
)


@settings(
    # A few examples in `just check`; FIRSTPASS_EXAMPLES=5000 for a longer search.
    max_examples=int(os.environ.get("FIRSTPASS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(PRELUDE, st.lists(statement(), min_size=1, max_size=5))
def test_the_passes_agree_on_generated_modules(prelude: str, statements: list[str]) -> None:
    _agree(prelude + "".join(statements))


# -- real-shaped modules ------------------------------------------------------------------------


def _real_shaped() -> list[str]:
    from benchkit import pytree  # benchmarks/ is on sys.path (tests/benchmarks/conftest.py)

    r = random.Random(7)
    return [pytree.python_file(r, category, 3000) for category in ("uri", "mention") * 12]


@pytest.fixture(scope="module")
def real_shaped() -> list[str]:
    import sys

    benchmarks = Path(__file__).resolve().parents[3] / "benchmarks"
    if str(benchmarks) not in sys.path:
        sys.path.insert(0, str(benchmarks))
    return _real_shaped()


def test_the_passes_agree_on_real_shaped_modules(real_shaped: list[str]) -> None:
    proven = 0
    for text in real_shaped:
        _agree(text)
        proven += firstpass.conforming(SourceFile("m.py", text), _instances_default(text))
    # The "mention" half (tracking code without URIs) and the URIs by alias are proven.
    assert proven >= len(real_shaped) // 2


def _instances_default(text: str) -> list[Rule]:
    """The rules enabled by default (MLF007 is not)."""
    return [r for r in _instances(SourceFile("m.py", text), {}) if r.default_enabled]


# -- what it proves, what it leaves to LibCST -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'model = mlflow.pyfunc.load_model("models:/bikes@champion")\n',
        'NAME = "bikes"\nmodel = load_model(f"models:/{NAME}@champion")\n',
        'def load(name, version):\n    return load_model(f"models:/{name}/{version}")\n',
        '"""Loads models:/bikes/3 in the docs."""\n',
        'client.set_registered_model_alias("bikes", "champion", 3)\n',
        'URI = "models:/bikes@champion"\nload_model(URI)\n',
        "registry.get_model_version('bikes', 3)  # get_latest_versions\n",
        'x = b"models:/bikes/3"\n',
        'uri = f"models:/{a % b}@x" + f"{a - b}"\n',
        'URI = "models:/b@c"\nx = f"{y:{URI}}"\n',
        'URI = "models:/b@c"\nx = (URI, URI + "d", f"{URI} {URI}")\n',
        'uri = f"models:/{NAME}@x"\nNAME = b"3"\nNAME = True\nNAME = 2.5\n',
        'uri = "models:/{}@x".format + "y".format()\n',
    ],
)
def test_conforming_shapes_are_proven(text: str) -> None:
    source = SourceFile("m.py", text)
    assert firstpass.conforming(source, _instances(source, {}))
    assert _findings(text, {})[1] == []


@pytest.mark.parametrize(
    "text",
    [
        'model = mlflow.pyfunc.load_model("models:/bikes/3")\n',
        'VERSION = 3\nuri = f"models:/bikes/{VERSION}"\n',
        'STAGE = "Staging"\nuri = "models:/bikes/" + STAGE\n',
        'uri = "models:/%s@champion" % name\n',
        'uri = "models:/{}@x".format(name)\n',
        'uri = str(name) + "models:/bikes@x"\n',
        'uri = f"models:/{name!r}@x"\n',
        'uri = "models:/bikes/" + 3\n',
        "client.get_latest_versions('bikes')\n",
        "f(archive_existing_versions=True)\n",
        'client.set_registered_model_alias("bikes", "v3", 3)\n',
        "client.set_registered_model_alias(*args)\n",
        "def f(:\n",
        "x = (" * 300 + ")" * 300 + "\n",
        'y = "{}".format("models:/b@x")\n',
        'LOG = "%s" % x\nURI = LOG + "models:/b@x"\ny = f"{URI}"\n',
        'y = str("models:/b@x")\n',
        'y = "{a}".format(a="models:/b@x")\n',
        'URI = "models:/b@x"\ny = "{}".format(*URI)\n',
        'y = "%s" % ("models:/b@x",)\n',
        'y = "%s" % name + "models:/b@x"\n',
        "".join(f"if x:\n    A = '{i}'\n" for i in range(9)) + 'y = f"models:/{A}{A}@x"\n',
        "".join(f"if x:\n    A = '{i}'\n" for i in range(9)) + 'y = "models:/b@" + A + A\n',
    ],
)
def test_doubtful_shapes_go_to_libcst(text: str) -> None:
    source = SourceFile("m.py", text)
    assert not firstpass.conforming(source, _instances(source, {}))


def test_deep_code_that_cpython_parses_is_proven_without_the_nesting_bound() -> None:
    # Flat for CPython, 1,200 levels deep for LibCST: the bound is LibCST's, and a file the
    # first pass proves conforming never reaches LibCST, so it is not reported as too deep.
    text = 'URI = "models:/bikes@champion"\nx = ' + " and ".join(["a"] * 1200) + "\n"
    source = SourceFile("m.py", text)
    assert firstpass.conforming(source, _instances(source, {}))
    bad = SourceFile("m.py", text.replace("@champion", "/3"))
    assert not firstpass.conforming(bad, _instances(bad, {}))


def test_start_run_is_left_to_libcst_when_mlf007_is_on() -> None:
    text = "from mlflow import start_run as go\n\nwith go():\n    pass\n"
    source = SourceFile("m.py", text)
    rules = _instances(source, {})
    assert not firstpass.conforming(source, rules)
    without = [r for r in rules if r.code != "MLF007"]
    assert firstpass.conforming(source, without)


def test_a_rule_the_first_pass_does_not_know_sends_the_file_to_libcst() -> None:
    class Custom(PythonRule):
        code, name = "XYZ001", "custom"

        def check_call(self, call: Any) -> None: ...

    source = SourceFile("m.py", "x = 1\n")
    assert not firstpass.conforming(source, [Custom(RuleContext(source, Project(Path.cwd())))])


def test_cyclic_and_long_constant_chains() -> None:
    cyclic = 'A = B + "models:/x/"\nB = A\nuri = A + "3"\n'
    _agree(cyclic)
    chain = "".join(f"C{i} = C{i - 1}\n" for i in range(1, 80))
    forward = f'C0 = "models:/bikes@x"\n{chain}uri = C79 + "y"\n'
    _agree(forward)
    assert firstpass.conforming(SourceFile("m.py", forward), _instances_default(forward))
    # Defined last to first, each name needs the next: the depth is bounded.
    backward = "".join(f"C{i} = C{i + 1}\n" for i in range(80)) + 'C80 = "models:/b@x"\n'
    first = firstpass._FirstPass(firstpass.parse(backward), [])  # type: ignore[arg-type]
    with pytest.raises(firstpass._Undecided):
        first._name("C0")
    _agree(backward + 'uri = C0 + "y"\n')


def test_positions_are_never_computed() -> None:
    locator = firstpass._Locator()
    for ask in (
        lambda: locator.base(None),
        lambda: locator.extent(None),
        lambda: locator.span(0, 1),
    ):
        with pytest.raises(firstpass._Undecided):
            ask()


def test_a_uri_rule_that_reports_without_a_position_is_heard() -> None:
    class Loud(PythonRule):
        code, name = "XYZ002", "loud"

        def check_uri(self, uri: Any) -> None:
            self.report(Span.point(1, 1), "always")

    text = 'uri = "models:/bikes@champion"\n'
    source = SourceFile("m.py", text)
    rule = Loud(RuleContext(source, Project(Path.cwd())))
    assert not firstpass.conforming(source, [rule])
    assert rule.context.sink == []  # the probe reported into its own sink


def test_record_imports_binds_as_the_walk_does() -> None:
    import ast

    from mlops_hooks.checkers.python.bindings import record_imports

    found: dict[str, str] = {}
    tree = ast.parse(
        "import mlflow.tracking\nimport mlflow.pyfunc as pf\nfrom mlflow import MlflowClient as C\n"
        "from os import *\nfrom . import local\n"
    )
    for node in tree.body:
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        record_imports(node, found)
    assert found == {"mlflow": "mlflow", "pf": "mlflow.pyfunc", "C": "mlflow.MlflowClient"}


# -- only what LibCST parses ------------------------------------------------------------------

_FILLER = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n\n" for i in range(20))


def test_a_finding_among_functions_without_words_is_still_found() -> None:
    for bad in (
        'def load():\n    return load_model("models:/bikes/3")\n',
        "class Registry:\n    def old(self):\n        MlflowClient().get_latest_versions('b')\n",
        "@cache\ndef load():\n    return load_model(f'models:/bikes/{VERSION}')\n",
        "def load():\n    return load_model(PREFIX + 'bikes/3')\n",
    ):
        text = (
            "from mlflow import MlflowClient\nPREFIX = 'models:/'\nVERSION = 3\n\n\n"
            + _FILLER
            + bad
            + "\n\n"
            + _FILLER
        )
        proven, found = _findings(text, {})
        assert not proven
        assert found, bad


def test_a_definition_that_holds_no_word_is_not_looked_at_by_either_pass() -> None:
    # The URI is written without the word `models:/` (implicit concatenation, an escape):
    # LibCST does not parse the function, so neither need the first pass look at it.
    text = (
        _FILLER + 'def load():\n    return load_model("models:" "/bikes/3")\n\n\n'
        'class Names:\n    URI = "models:\\x2fbikes/3"\n\n\n'
        'DEFAULT = "models:/bikes@champion"\n'
    )
    proven, found = _findings(text, {})
    assert proven
    assert found == []


def test_imports_in_a_definition_left_out_still_name_start_run() -> None:
    text = (
        "def setup():\n    import mlflow as mf\n    return mf\n\n\n"
        "def train():\n    with mf.start_run():\n        pass\n"
    )
    source = SourceFile("m.py", text)
    assert not firstpass.conforming(source, _instances(source, {}))
    _agree(text)
    without = [r for r in _instances(source, {}) if r.code != "MLF007"]
    assert firstpass.conforming(source, without)


def test_the_first_pass_looks_at_the_statements_that_segments_parse() -> None:
    import ast

    from mlops_hooks.checkers.python.segments import select

    text = (
        "import mlflow\nURI = 'models:/b@c'\n\n\ndef a():\n    pass\n\n\n"
        "def b():\n    import os as system\n    return URI\n\n\n"
        "def c():\n    from mlflow import pyfunc as pf\n    return 1\n\n\n"
        "class D:\n    x = 1\n\n\nif x:\n    y = 2\n"
    )
    source = SourceFile("m.py", text)
    tree = ast.parse(text)
    kept, skipped, imports = select(source, tree, ("models:/",))
    assert [getattr(s, "name", type(s).__name__) for s in kept] == ["Import", "Assign", "b", "If"]
    assert skipped == {"a", "c", "D"}
    assert imports == {"pf": "mlflow.pyfunc"}
