"""The three-valued expression evaluator."""

from __future__ import annotations

import pytest

from mlops_hooks.checkers.workflow.expressions import (
    UNKNOWN,
    Prefixed,
    Unknown,
    Value,
    condition,
    embedded,
    evaluate,
    expression_body,
    is_expression,
    literal_bool,
    mentions,
    truthy,
    value_truth,
)
from mlops_hooks.source import SourceFile
from mlops_hooks.yamlnodes import compose

PUSH_MAIN: dict[str, Value] = {
    "github.event_name": "push",
    "github.ref_type": "branch",
    "github.ref": "refs/heads/main",
}
TAG: dict[str, Value] = {
    "github.event_name": "push",
    "github.ref_type": "tag",
    "github.ref": Prefixed("refs/tags/"),
}


@pytest.mark.parametrize(
    ("expression", "context", "expected"),
    [
        ("true", {}, True),
        ("false || null", {}, None),
        ("1 == 1.0", {}, True),
        ("0x10 == 16", {}, True),
        ("'a''b' == 'A''B'", {}, True),
        ("github.event_name == 'push'", PUSH_MAIN, True),
        ("github.EVENT_NAME != 'PUSH'", PUSH_MAIN, False),
        ("github['event_name'] == 'push'", PUSH_MAIN, True),
        ("github.event_name == 'pull_request'", {}, UNKNOWN),
        ("github.ref == 'refs/heads/main' && github.event_name == 'push'", PUSH_MAIN, True),
        ("github.actor == 'x' && github.event_name == 'release'", PUSH_MAIN, Unknown(False)),
        ("github.actor == 'x' || github.event_name == 'push'", PUSH_MAIN, Unknown(True)),
        ("github.actor == 'x' || false", PUSH_MAIN, UNKNOWN),
        ("!(github.event_name == 'push')", PUSH_MAIN, False),
        ("!github.actor", PUSH_MAIN, UNKNOWN),
        ("startsWith(github.ref, 'refs/tags/')", PUSH_MAIN, False),
        ("startsWith(github.ref, 'refs/tags/')", TAG, True),
        ("startsWith(github.ref, 'refs/tags/v')", TAG, UNKNOWN),
        ("startsWith(github.ref, 'refs/')", TAG, True),
        ("startswith(github.ref, 'refs/heads/')", TAG, False),
        ("github.ref == 'refs/heads/main'", TAG, False),
        ("github.ref == 'refs/tags/v1'", TAG, UNKNOWN),
        ("endsWith(github.ref, '/main')", PUSH_MAIN, True),
        ("endsWith(github.ref, '/main')", TAG, UNKNOWN),
        ("'refs/heads/x' == github.ref", TAG, False),
        ("startsWith(github.ref, github.head_ref)", TAG, UNKNOWN),
        ("startsWith(github.actor, 'x')", TAG, UNKNOWN),
        ("contains(1, 1)", {}, UNKNOWN),
        ("github.ref == ,", TAG, UNKNOWN),
        ("github.(", TAG, UNKNOWN),
        ("contains(github.ref, 'MAIN')", PUSH_MAIN, True),
        ("contains(github.event.labels, 'x')", PUSH_MAIN, UNKNOWN),
        ("success() && github.ref_type == 'tag'", TAG, True),
        ("failure()", TAG, UNKNOWN),
        ("format('{0}', github.ref)", TAG, UNKNOWN),
        ("1 < 2 && 'b' > 'a' && 2 <= 2 && 3 >= 4", {}, False),
        ("github.run_number < 2", {}, UNKNOWN),
        ("true == 1", {}, True),
        ("'' == 0", {}, True),
        ("null == 0", {}, True),
        ("'x' == 1", {}, False),
        ("github.ref", TAG, Prefixed("refs/tags/")),
        ("github.event.inputs.*", {}, UNKNOWN),
        ("github.event_name == 'push' &&", PUSH_MAIN, UNKNOWN),  # malformed
        ("github.event_name == 'push' )", PUSH_MAIN, UNKNOWN),
        ("a ~ b", {}, UNKNOWN),
        ("(" * 5000 + "true" + ")" * 5000, {}, UNKNOWN),  # too deep: not evaluated
    ],
)
def test_evaluate(expression: str, context: dict[str, Value], expected: object) -> None:
    assert evaluate(expression, context) == expected


def test_truthy() -> None:
    assert [truthy(v) for v in (0.0, "", None, False, "x", 1.0, True)] == [
        False,
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert truthy(UNKNOWN) is None and truthy(Unknown(False)) is False
    assert truthy(Prefixed("refs/")) is True and truthy(Prefixed("")) is None


def test_conditions_with_and_without_braces() -> None:
    assert condition("github.event_name == 'push'", PUSH_MAIN) is True
    assert condition("${{ github.event_name == 'release' }}", PUSH_MAIN) is False
    assert condition("${{ a }} && ${{ b }}", PUSH_MAIN) is None
    assert condition("false", PUSH_MAIN) is False
    assert value_truth("${{ github.event_name == 'push' }}", PUSH_MAIN) is True
    assert value_truth("true", PUSH_MAIN) is None  # not an expression
    assert expression_body("  ${{ x }}  ") == " x "
    assert expression_body("a-${{ x }}") is None


def test_mentions() -> None:
    group = "${{ github.workflow }}-${{ github.event.pull_request.number || github.REF }}"
    assert embedded(group) == [
        " github.workflow ",
        " github.event.pull_request.number || github.REF ",
    ]
    assert mentions(group, "github.ref")
    assert mentions(group, "github.event.pull_request.number")
    assert not mentions("${{ github.ref_name }}", "github.ref")
    assert not mentions("${{ github.event.pull_request }}", "github.event.pull_request.number")
    assert not mentions("github.ref", "github.ref")  # literal text, not an expression


@pytest.mark.parametrize(
    ("value", "expression", "boolean"),
    [
        ("true", False, True),
        ("yes", False, True),
        ("off", False, False),
        ("'true'", False, True),  # GitHub reads the quoted strings as booleans too
        ('"False"', False, False),
        ("'yes'", False, None),
        ("1", False, None),
        ("${{ github.ref == 'x' }}", True, None),
        ("'${{ true }}'", True, None),
        ("[true]", False, None),
    ],
)
def test_literal_values(value: str, expression: bool, boolean: bool | None) -> None:
    root = compose(SourceFile("w.yml", f"v: {value}\n"))
    node = root.get("v") if root is not None else None
    assert node is not None
    assert is_expression(node) is expression
    assert literal_bool(node) is boolean
