"""Composing YAML nodes: exact positions, duplicate keys, aliases, nesting, bad input."""

from __future__ import annotations

import pytest

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.workflow.yamlnodes import MAX_DEPTH, YamlNode, compose
from mlops_hooks.source import SourceFile


def doc(text: str) -> YamlNode:
    node = compose(SourceFile("w.yml", text))
    assert node is not None
    return node


def error(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        compose(SourceFile("w.yml", text))
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
        assert e.end_position.line == 3 and e.end_position.column == 10
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
        assert exc.message == "duplicate key 'runs-on' (first on line 4): GitHub rejects the file"
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
        assert exc.message.startswith("invalid YAML: a second document")
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
