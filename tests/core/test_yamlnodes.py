"""Composing YAML nodes: exact positions, duplicate keys, aliases, nesting, bad input, and
what a dialect changes (typed keys, merge keys, tags, recursive aliases, wording)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from mlops_hooks.checkers import ParseError
from mlops_hooks.source import SourceFile
from mlops_hooks.yamlnodes import (
    BOOL_TAG,
    DEFAULT_DIALECT,
    MAX_DEPTH,
    SAFE_TAGS,
    YAML_TAG,
    YamlDialect,
    YamlNode,
    compose,
)


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with PyYAML's C loader and again with its pure-Python one."""
    if request.param == "python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    return str(request.param)


def doc(text: str, dialect: YamlDialect = DEFAULT_DIALECT) -> YamlNode:
    node = compose(SourceFile("w.yml", text), dialect)
    assert node is not None
    return node


def error(text: str, dialect: YamlDialect = DEFAULT_DIALECT) -> ParseError:
    with pytest.raises(ParseError) as info:
        compose(SourceFile("w.yml", text), dialect)
    return info.value


def spans(node: YamlNode) -> tuple[int, int, int, int]:
    return node.span.as_tuple()


@pytest.mark.usefixtures("loader")
class TestPositions:
    def test_keys_stay_strings_and_on_is_not_true(self) -> None:
        root = doc("on: push\n'on2': yes\ny: n\n")
        assert root.keys() == ["on", "on2", "y"]
        on = root.get("on")
        assert on is not None and on.string == "push"
        on2 = root.get("on2")
        assert on2 is not None and on2.as_bool() is True  # a *value* yes is a YAML 1.1 bool
        y = root.get("y")
        assert y is not None and y.as_bool() is None  # PyYAML resolves `n` to a string

    def test_spans_are_one_based_code_points(self) -> None:
        root = doc("name: é€😀 café\njobs: {a: [x, 'y z']}\n")
        name = root.get("name")
        assert name is not None and spans(name) == (1, 7, 1, 15)
        key = root.key("jobs")
        assert key is not None and spans(key) == (2, 1, 2, 5)
        jobs = root.get("jobs")
        assert jobs is not None and jobs.flow and spans(jobs) == (2, 7, 2, 22)
        a = jobs.get("a")
        assert a is not None and [spans(i) for i in a.items] == [(2, 12, 2, 13), (2, 15, 2, 20)]

    def test_block_collection_ends_at_its_last_content(self) -> None:
        root = doc("on:\n  push:\n    branches: [main]  # c\n\n# next\njobs: {}\n")
        on = root.get("on")
        assert on is not None and spans(on) == (2, 3, 3, 21)

    def test_empty_value_ends_after_its_colon(self) -> None:
        root = doc("on:\n  pull_request:\n  push:\n\njobs: {}\n")
        on = root.get("on")
        assert on is not None and spans(on) == (2, 3, 3, 8)
        push = on.get("push")
        assert push is not None and push.is_null and spans(push) == (3, 8, 3, 8)

    def test_block_scalar_ends_at_its_last_character(self) -> None:
        root = doc("run: |\n  echo a\n  echo b\n\n\n# c\nx: 1\n")
        run = root.get("run")
        assert run is not None and run.style == "|" and spans(run) == (1, 6, 3, 9)

    def test_crlf_and_yaml_only_line_breaks(self) -> None:
        # NEL (U+0085) breaks lines for YAML 1.1 but not for our SourceFile: positions come
        # from code point offsets, so both agree on where things are.
        root = doc("a: 1\r\nb: x\x85c: 2\r\n")
        b = root.get("b")
        assert b is not None and spans(b) == (2, 4, 2, 5)
        c = root.key("c")
        assert c is not None and spans(c) == (2, 6, 2, 7)

    def test_quoted_keys_and_flow_styles(self) -> None:
        root = doc("\"on\": [push, pull_request]\n'jobs': {a: {runs-on: x}}\n")
        assert root.keys() == ["on", "jobs"]
        on = root.get("on")
        assert on is not None and on.strings() == ["push", "pull_request"]

    def test_anchored_node_span_is_its_content(self) -> None:
        root = doc("a: &x !!str value\nb: &m\n  k: 1\n")
        a = root.get("a")
        assert a is not None and a.anchor == "x" and spans(a) == (1, 13, 1, 18)
        b = root.get("b")
        assert b is not None and spans(b) == (3, 3, 3, 7)

    def test_navigation(self) -> None:
        root = doc("a: {b: 1}\nc: [x, {d: 2}, y]\ne: scalar\nf: ~\n")
        assert root.get("missing") is None and root.key("missing") is None
        c = root.get("c")
        assert c is not None and c.get("x") is None and c.strings() == ["x", "y"]
        e, f = root.get("e"), root.get("f")
        assert e is not None and e.strings() == ["scalar"] and e.string == "scalar"
        assert f is not None and f.is_null and f.strings() == [] and f.string is None
        assert f.as_bool() is None and c.as_bool() is None
        assert e.source.position(e.end) == (3, 10)
        assert [n.value for n in root.walk() if n.is_scalar][:3] == ["a", "b", "1"]

    def test_comment_between_properties_and_content(self) -> None:
        root = doc("a: &x # the anchor\n  value\n")
        a = root.get("a")
        assert a is not None and a.value == "value" and spans(a) == (2, 3, 2, 8)

    def test_find_is_exact_or_none(self) -> None:
        root = doc("g: ${{ github.HEAD_REF }}\n")
        g = root.get("g")
        assert g is not None
        found = g.find("github.head_ref", ignore_case=True)
        assert found is not None and found.as_tuple() == (1, 8, 1, 23)
        assert g.find("github.head_ref") is None


@pytest.mark.usefixtures("loader")
class TestAliases:
    def test_alias_has_its_own_position_and_shares_content(self) -> None:
        root = doc("base: &c\n  group: g\n  cancel-in-progress: true\nuse: *c  # shared\n")
        base, use = root.get("base"), root.get("use")
        assert base is not None and use is not None
        assert use.alias_of is base and use.pairs is base.pairs
        assert spans(use) == (4, 6, 4, 8)
        group = use.get("group")
        assert group is not None and spans(group) == (2, 10, 2, 11)
        assert use.find("cancel") is not None  # searched in the anchored text

    def test_alias_bomb_is_not_expanded(self) -> None:
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, 40):
            prev = f"*a{i - 1}"
            lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
        root = doc("\n".join(lines) + "\n")  # 10**40 leaves if expanded
        nodes = list(root.walk())
        assert len(nodes) == 1 + 40 * 2 + 10  # root, keys, anchored values, the first items

    def test_undefined_alias(self) -> None:
        exc = error("a: 1\nb: *nope\n")
        assert (exc.message, exc.line, exc.column) == ("invalid YAML: undefined alias *nope", 2, 4)

    def test_alias_inside_its_own_anchor(self) -> None:
        exc = error("a: &x\n  - *x\n")
        assert exc.message == "invalid YAML: alias *x is inside its anchor"
        assert (exc.line, exc.column) == (2, 5)

    def test_redefined_anchor_applies_to_later_aliases(self) -> None:
        root = doc("a: &x 1\nb: &x 2\nc: *x\n")
        c = root.get("c")
        assert c is not None and c.value == "2"


@pytest.mark.usefixtures("loader")
class TestErrors:
    def test_duplicate_key_at_the_second_key(self) -> None:
        exc = error("on: push\njobs:\n  a:\n    runs-on: x\n    'runs-on': y\n")
        assert exc.message == "duplicate key 'runs-on' (first on line 4)"
        assert (exc.line, exc.column) == (5, 5)

    def test_duplicate_on_written_two_ways(self) -> None:
        exc = error('on: push\n"on": pull_request\n')
        assert (exc.line, exc.column) == (2, 1)

    def test_duplicate_key_in_flow_mapping(self) -> None:
        exc = error("on: {push: {}, push: {}}\n")
        assert (exc.line, exc.column) == (1, 16)

    def test_same_key_in_different_mappings_is_fine(self) -> None:
        doc("a:\n  x: 1\nb:\n  x: 2\n")

    def test_syntax_error_position(self) -> None:
        exc = error("on: push\njobs:\n  a:\n    runs-on: 'x\n")
        assert exc.message.startswith("invalid YAML: found unexpected end of stream")
        assert (exc.line, exc.column) == (5, 1)

    def test_tab_indentation(self) -> None:
        exc = error("on: push\njobs:\n\ta: 1\n")
        assert (exc.line, exc.column) == (3, 1)

    def test_control_character_after_non_ascii(self) -> None:
        exc = error("name: café\njobs: \x07\n")
        assert exc.message == "invalid YAML: U+0007 is not allowed in YAML"
        assert (exc.line, exc.column) == (2, 7)

    def test_second_document(self) -> None:
        exc = error("on: push\n---\non: pull_request\n")
        assert exc.message == (
            "invalid YAML: a second document; the file must be a single YAML document"
        )
        assert (exc.line, exc.column) == (2, 1)

    def test_empty_and_comment_only(self) -> None:
        assert compose(SourceFile("w.yml", "")) is None
        assert compose(SourceFile("w.yml", "# nothing\n\n")) is None

    def test_deep_block_nesting(self) -> None:
        text = "".join(f"{' ' * i}- \n" for i in range(0, 2 * 1100, 2))
        exc = error(text)
        assert exc.message == f"invalid YAML: nesting deeper than {MAX_DEPTH} levels"
        assert exc.line == MAX_DEPTH + 1


def deep_flow_error(depth: int) -> None:
    exc = error("a: " + "[" * depth + "]" * depth + "\n")
    assert exc.message == f"invalid YAML: nesting deeper than {MAX_DEPTH} levels"
    assert (exc.line, exc.column) == (1, 3 + MAX_DEPTH)  # the root mapping is a level


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000, 100_000])
def test_deep_flow_nesting(depth: int) -> None:
    # libyaml's own composer overflows the C stack (a crash) near 100,000 levels.
    deep_flow_error(depth)


def test_deep_flow_nesting_pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    # PyYAML's pure-Python composer raises RecursionError long before this depth. (Its
    # scanner is quadratic in the depth, so deeper inputs only make the test slow.)
    deep_flow_error(MAX_DEPTH + 1)


def test_nesting_at_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    root = doc("a: " + "[" * depth + "]" * depth + "\n")
    assert root.is_mapping


@pytest.mark.usefixtures("loader")
class TestEmptyScalarWithProperties:
    # An anchored or tagged empty value: its (empty) content is right after the properties,
    # not on the next line (the span used to start after it ends).
    @pytest.mark.parametrize(
        ("text", "span"),
        [
            ("a: &x\nb: 1\n", (1, 6, 1, 6)),
            ("a: !!str\nb: 1\n", (1, 9, 1, 9)),
            ("a: &x # c\n\nb: 1\n", (1, 6, 1, 6)),
        ],
    )
    def test_span_is_empty_after_the_properties(
        self, text: str, span: tuple[int, int, int, int]
    ) -> None:
        a = doc(text).get("a")
        assert a is not None and a.value == "" and spans(a) == span

    def test_in_a_sequence(self) -> None:
        root = doc("- &x\n- 1\n")
        assert [spans(item) for item in root.items] == [(1, 5, 1, 5), (2, 3, 2, 4)]


class TestValues:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("v: yes", True),
            ("v: Off", False),
            ("v: TRUE", True),
            ("v: 'true'", None),  # a string for YAML; a reader may choose to read it
            ("v: !!str true", None),
            ("v: 1", None),
            ("v: [true]", None),
        ],
    )
    def test_as_bool(self, text: str, expected: bool | None) -> None:
        v = doc(text).get("v")
        assert v is not None and v.as_bool() is expected

    @pytest.mark.parametrize(
        ("text", "described"),
        [
            ("v: x", "a string"),
            ("v: 1", "an integer"),
            ("v: 1.5", "a float"),
            ("v: no", "a boolean"),
            ("v: ~", "null"),
            ("v: 2024-01-01", "a timestamp"),
            ("v: !!binary aGk=", "binary data"),
            ("v: [a]", "a list"),
            ("v: {a: 1}", "a mapping"),
            ("v: !!set {a}", "a set"),
            ("v: !custom x", "a scalar"),
            ("v: !custom [x]", "a sequence"),
        ],
    )
    def test_describe(self, text: str, described: str) -> None:
        v = doc(text).get("v")
        assert v is not None and v.describe() == described

    def test_target(self) -> None:
        root = doc("a: &x 1\nb: *x\n")
        a, b = root.get("a"), root.get("b")
        assert a is not None and b is not None
        assert a.target is a and b.target is a


class TestMergedPairs:
    def pairs(self, node: YamlNode | None) -> list[tuple[str, str]]:
        assert node is not None
        return [(k.value, v.value) for k, v in node.merged_pairs()]

    def test_own_keys_win_then_sources_in_order(self) -> None:
        root = doc(
            "a: &a {x: a, y: a}\nb: &b {y: b, z: b}\nc: {<<: [*a, *b], x: c}\nd: {<<: *b, w: d}\n"
        )
        assert self.pairs(root.get("c")) == [("x", "c"), ("y", "a"), ("z", "b")]
        assert self.pairs(root.get("d")) == [("w", "d"), ("y", "b"), ("z", "b")]

    def test_nested_merges_are_followed_depth_first(self) -> None:
        root = doc("a: &a {x: a}\nb: &b {<<: *a, y: b}\ns: &s {x: s, z: s}\nc: {<<: [*b, *s]}\n")
        assert self.pairs(root.get("c")) == [("y", "b"), ("x", "a"), ("z", "s")]

    def test_recursive_merges_end(self) -> None:
        dialect = YamlDialect(recursive_aliases=True)
        root = doc("a: &a {<<: *a, x: 1}\nb: &b {<<: [*b, *a], y: 2}\n", dialect)
        assert self.pairs(root.get("b")) == [("y", "2"), ("x", "1")]

    def test_a_long_chain_does_not_recurse(self) -> None:
        lines = ["a0: &a0 {k0: v}"]
        lines += [f"a{i}: &a{i} {{<<: *a{i - 1}, k{i}: v}}" for i in range(1, 3000)]
        root = doc("\n".join(lines) + "\n")
        assert len(self.pairs(root.get("a2999"))) == 3000

    def test_without_merge_keys_and_non_mapping_sources(self) -> None:
        root = doc("a: {x: 1, [k]: 2}\nb: {<<: [1, x], y: 2}\n")
        assert self.pairs(root.get("a")) == [("x", "1")]
        assert self.pairs(root.get("b")) == [("y", "2")]


#: A dialect like pre-commit's: typed keys, merge keys, the safe tags, recursive aliases,
#: unique anchors, syntax errors first.
STRICT = YamlDialect(
    duplicate_key="dup {key} @{line}",
    second_document="second doc after line {line}",
    typed_keys=True,
    merge_keys=True,
    tags=SAFE_TAGS,
    unknown_tag="bad tag {tag}",
    recursive_aliases=True,
    duplicate_anchor="dup anchor &{anchor} @{line}",
    syntax_errors_first=True,
)


@pytest.mark.usefixtures("loader")
class TestDialect:
    def test_typed_keys(self) -> None:
        doc("1: a\n'1': b\non: c\n'on': d\n", STRICT)
        exc = error("1: a\n'1': b\n")
        assert (exc.message, exc.line, exc.column) == ("duplicate key '1' (first on line 1)", 2, 1)
        exc = error("x: 1\n'x': 2\n", STRICT)
        assert (exc.message, exc.line, exc.column) == ("dup x @1", 2, 1)

    def test_merge_keys(self) -> None:
        text = "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n"
        doc(text, STRICT)
        exc = error(text)
        assert (exc.message, exc.line, exc.column) == ("duplicate key '<<' (first on line 4)", 5, 3)

    @pytest.mark.parametrize(
        ("text", "message", "position"),
        [
            ("a: !!python/object:os.system []\n", "bad tag !!python/object:os.system", (1, 4)),
            ("a: !custom x\n", "bad tag !custom", (1, 4)),
            ("a: &x !custom\n  - 1\n", "bad tag !custom", (1, 4)),
        ],
    )
    def test_tags(self, text: str, message: str, position: tuple[int, int]) -> None:
        doc(text)  # any tag by default
        exc = error(text, STRICT)
        assert (exc.message, (exc.line, exc.column)) == (message, position)

    def test_safe_tags_are_allowed(self) -> None:
        root = doc(
            "a: !!str 1\nb: !!binary aGk=\nc: !!set {x}\nd: !!omap [x: 1]\n"
            "e: ! text\nf: !!timestamp 2024-01-01\n",
            STRICT,
        )
        assert root.keys() == ["a", "b", "c", "d", "e", "f"]

    def test_recursive_aliases(self) -> None:
        root = doc("x: &a [1, *a, {k: *a}]\n", STRICT)
        x = root.get("x")
        assert x is not None and len(x.items) == 3
        inner = x.items[1]
        assert inner.alias_of is x and inner.items is x.items  # the completed list, shared
        assert spans(inner) == (1, 11, 1, 13)
        assert len(list(root.walk())) == 6  # root, x, its list, 1, the mapping, k

    def test_duplicate_anchor(self) -> None:
        text = "a: &x 1\nb:\n  c: &x\n    - 2\n"
        b = doc(text).get("b")
        assert b is not None and b.get("c") is not None
        exc = error(text, STRICT)
        assert (exc.message, exc.line, exc.column) == ("dup anchor &x @1", 3, 6)

    def test_syntax_errors_come_first(self) -> None:
        text = "a: !bad 1\nb: {x: 1, x: 2}\nc: [\n"
        exc = error(text, YamlDialect(tags=SAFE_TAGS))
        assert (exc.message, exc.line) == ("unsupported YAML tag `!bad`", 1)
        exc = error(text, STRICT)
        assert exc.message.startswith("invalid YAML: ") and exc.line == 4

    def test_deferred_problems_earliest_first(self) -> None:
        exc = error("a: {x: 1, x: 2}\nb: !bad 1\n", STRICT)
        assert (exc.message, exc.line, exc.column) == ("dup x @1", 1, 11)
        exc = error("b: !bad 1\na: {x: 1, x: 2}\n", STRICT)
        assert (exc.message, exc.line, exc.column) == ("bad tag !bad", 1, 4)

    def test_second_document_names_the_first(self) -> None:
        exc = error("# c\n\n&r a: 1\n---\nb: 2\n", STRICT)
        assert (exc.message, exc.line, exc.column) == ("second doc after line 3", 4, 1)

    def test_undefined_alias_is_still_an_error(self) -> None:
        exc = error("a: *x\n", STRICT)
        assert (exc.message, exc.line, exc.column) == ("invalid YAML: undefined alias *x", 1, 4)


def test_importing_the_module_does_not_import_yaml() -> None:
    code = "import sys, mlops_hooks.yamlnodes; print('yaml' in sys.modules)"
    result = subprocess.run(  # a fresh interpreter: this one has imported yaml already
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_nodes_hold_no_per_node_overhead_a_large_file_would_multiply() -> None:
    # Issue 19 (peak memory on a 10 MB workflow): a node has no attribute dictionary, and a
    # scalar (most nodes) shares the empty children instead of two empty lists of its own.
    from mlops_hooks.yamlnodes import compose as compose_nodes

    root = compose_nodes(SourceFile("x.yml", "a: 1\nb: [2, 3]\nc: &x {d: 4}\ne: *x\n"))
    assert root is not None
    nodes = list(root.walk())
    assert not any(hasattr(node, "__dict__") for node in nodes)
    scalars = [node for node in nodes if node.is_scalar]
    assert len(scalars) == 9
    assert {id(node.items) for node in scalars} == {id(())}
    assert {id(node.pairs) for node in scalars} == {id(())}
    alias = root.get("e")
    assert alias is not None and alias.pairs is root.get("c").pairs  # type: ignore[union-attr]
    assert [item.value for item in root.get("b").items] == ["2", "3"]  # type: ignore[union-attr]


SCALARS = [
    "yes",
    "No",
    "on",
    "1",
    "0o17",
    "0x1F",
    "1_000",
    "1.5",
    ".inf",
    "-.NaN",
    "~",
    "null",
    "",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "x",
    "'1'",
    '"yes"',
    "<<",
    "=",
    "|\n  text\n",
    "a" * 80,
    "1" * 80,
]


def _tags(node: YamlNode) -> list[str]:
    return [value.tag for _, value in node.pairs]


def test_scalar_tags_are_the_resolvers_also_when_met_again(loader: str) -> None:
    # Resolved tags are kept for short values: a second document gets the same ones, which
    # are PyYAML's own.
    text = "".join(f"k{i}: {value}\n" for i, value in enumerate(SCALARS))
    expected = [value.tag for _, value in yaml.compose(text, Loader=yaml.SafeLoader).value]
    assert _tags(doc(text)) == expected
    assert _tags(doc(text)) == expected
    assert expected[:4] == [BOOL_TAG, BOOL_TAG, BOOL_TAG, YAML_TAG + "int"]


def test_the_resolved_tags_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlops_hooks import yamlnodes

    monkeypatch.setattr(yamlnodes, "_RESOLVED", {})
    monkeypatch.setattr(yamlnodes, "_RESOLVED_MAX", 3)
    doc("a: " + "1" * 80 + "\n")
    assert all(key[1] is None or len(key[1]) <= 64 for key in yamlnodes._RESOLVED)
    doc("a: 1\nb: 2\n")
    kept = dict(yamlnodes._RESOLVED)
    assert len(kept) == 3  # the first three values met
    assert _tags(doc("c: 3\nd: yes\n")) == [YAML_TAG + "int", BOOL_TAG]
    assert yamlnodes._RESOLVED == kept  # noqa: SIM300 - nothing added once full
