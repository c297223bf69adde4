"""The test suite mirrors ``src/``: a package's tests live in the same path under ``tests/``.

Every checker package ``src/mlops_hooks/checkers/<kind>/`` has ``tests/checkers/<kind>/``
with at least one test module; so does every other subpackage of ``mlops_hooks``, and the
tests of the top-level core modules sit in ``tests/core/``. Only the suite-wide tests (every
rule, every kind, the docs and the packaging) stay at the top of ``tests/``.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO

SRC = REPO / "src" / "mlops_hooks"
TESTS = REPO / "tests"
#: Packages whose tests sit elsewhere, and where: the engine-level rules are the engine's.
ELSEWHERE = {"engine_rules": "core"}
#: Tests about the whole suite of rules and kinds, not about one module.
SUITE_WIDE = {
    "conftest.py",
    "test_bad_input.py",
    "test_docs.py",
    "test_examples_golden.py",
    "test_fix_safety.py",
    "test_layout.py",
    "test_packaging.py",
    "test_readme.py",
    "test_rule_examples.py",
}


def packages(src: Path) -> list[str]:
    """The packages under ``src`` (folders with an ``__init__.py``), rule and template
    folders aside (their tests are their kind's)."""
    found = []
    for init in src.rglob("__init__.py"):
        parts = init.parent.relative_to(src).parts
        if parts and "rules" not in parts and "templates" not in parts:
            found.append("/".join(parts))
    return sorted(found)


def missing_tests(src: Path, tests: Path) -> list[str]:
    """The packages under ``src`` whose mirrored folder under ``tests`` has no test module."""
    missing = []
    for package in packages(src):
        folder = tests / ELSEWHERE.get(package, package)
        if not (folder / "__init__.py").is_file() or not any(folder.glob("test_*.py")):
            missing.append(package)
    return missing


def test_every_package_has_its_tests_folder() -> None:
    assert {f"checkers/{kind}" for kind in ("dockerfile", "justfile", "precommit")} <= set(
        packages(SRC)
    )
    assert missing_tests(SRC, TESTS) == []


def test_a_checker_package_without_tests_is_caught(tmp_path: Path) -> None:
    src, tests = tmp_path / "src", tmp_path / "tests"
    for package in ("checkers", "checkers/old", "checkers/old/rules", "checkers/new"):
        (src / package).mkdir(parents=True)
        (src / package / "__init__.py").write_text("")
    for folder in ("checkers", "checkers/old", "checkers/new"):
        (tests / folder).mkdir(parents=True)
        (tests / folder / "__init__.py").write_text("")
    (tests / "checkers" / "test_boundary.py").write_text("")
    (tests / "checkers" / "old" / "test_rules.py").write_text("")
    # `new` has a folder but no test module; its rules folder needs none of its own.
    assert missing_tests(src, tests) == ["checkers/new"]
    (tests / "checkers" / "new" / "test_rules.py").write_text("")
    assert missing_tests(src, tests) == []


def test_only_suite_wide_tests_at_the_top() -> None:
    top = {p.name for p in TESTS.glob("*.py")} - {"__init__.py"}
    assert top <= SUITE_WIDE, f"move {sorted(top - SUITE_WIDE)} to the folder of what they test"
