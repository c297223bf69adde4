"""``@record`` behaves as ``@dataclass`` for what the model classes use."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from typing import ClassVar

import pytest

from mlops_hooks.records import field, record


@record
class Point:
    kind: ClassVar[str] = "point"
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", repr=False, compare=False)


@record(frozen=True, slots=True)
class Frozen:
    name: str
    size: int = 1


@record(eq=False, slots=True)
class Node:
    value: int
    parent: Node | None = field(default=None, repr=False)


def test_construction_defaults_and_fresh_factories() -> None:
    assert Point(1).y == 0
    assert Point(1, 2).y == 2
    assert Point(x=3, y=4, note="n").note == "n"
    first, second = Point(1), Point(1)
    first.tags.append("a")
    assert second.tags == []  # a new list per instance
    assert Point.kind == "point"  # a ClassVar is not a field
    assert Point.y == 0  # a default stays a class attribute, as with dataclasses
    assert Point.__match_args__ == ("x", "y", "tags", "note")
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_repr_and_equality_follow_the_field_flags() -> None:
    assert repr(Point(1, 2, ["t"], note="hidden")) == "Point(x=1, y=2, tags=['t'])"
    assert Point(1, note="a") == Point(1, note="b")  # compare=False
    assert Point(1) != Point(2)
    assert Point(1) != (1, 0, [], "")  # type: ignore[comparison-overlap]
    with pytest.raises(TypeError):
        hash(Point(1))  # eq without frozen: unhashable, as a dataclass
    assert repr(Node(1, Node(2))) == "Node(value=1)"


def test_frozen_records_hash_by_value_and_refuse_assignment() -> None:
    assert Frozen("a") == Frozen("a", 1)
    assert {Frozen("a"), Frozen("a")} == {Frozen("a")}
    with pytest.raises(AttributeError, match="frozen Frozen"):
        Frozen("a").size = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del Frozen("a").name


def test_slots_copy_and_pickle() -> None:
    frozen = Frozen("a", 3)
    assert not hasattr(frozen, "__dict__")
    assert copy.copy(frozen) == frozen
    assert copy.deepcopy(frozen) == frozen
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    node = Node(1)
    assert node != Node(1)  # eq=False: identity
    assert node == node
    assert {node: 1}[node] == 1
    with pytest.raises(AttributeError):
        node.other = 1  # type: ignore[attr-defined]


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):

        @record
        class Wrong:
            a: int = 0
            b: int  # type: ignore[misc]


def test_field_takes_a_default_or_a_factory() -> None:
    with pytest.raises(ValueError, match="not both"):
        field(default=1, default_factory=list)  # type: ignore[call-overload]


def test_the_hook_path_models_do_not_import_dataclasses() -> None:
    # The reason records exist: dataclasses (and inspect with it) cost every commit.
    script = (
        "import sys\n"
        "import mlops_hooks.yamlnodes, mlops_hooks.checkers.workflow.model\n"
        "import mlops_hooks.checkers.workflow.scripts, mlops_hooks.checkers.precommit.model\n"
        "print([m for m in ('dataclasses', 'inspect') if m in sys.modules])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip() == "[]", proc.stderr
