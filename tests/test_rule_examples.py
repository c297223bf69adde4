"""Every example of every rule, run through the real engine; plus the rules' own contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.registry import get_registry
from mlops_hooks.rule import DOC_SECTIONS, Bad, Good, Rule
from mlops_hooks.testing import check_example

RULES = get_registry().rules
CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{type(example).__name__.lower()}{index}")
    for rule in RULES
    for index, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule: type[Rule], example: Good | Bad, tmp_path: Path) -> None:
    check_example(rule, example, tmp_path)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_good_and_bad_examples(rule: type[Rule]) -> None:
    assert any(isinstance(e, Good) for e in rule.examples), f"{rule.code} has no Good example"
    bads = [e for e in rule.examples if isinstance(e, Bad)]
    assert bads, f"{rule.code} has no Bad example"
    assert any(b.message for b in bads), f"{rule.code}: no Bad example states its message"
    if rule.fix_safety is not None:
        assert any(b.fixed is not None for b in bads), f"{rule.code}: fixable, no fixed example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_docs_have_required_sections(rule: type[Rule]) -> None:
    sections = rule.doc_sections()
    assert sections["summary"], f"{rule.code}: docstring has no summary line"
    missing = [s for s in DOC_SECTIONS if not sections.get(s)]
    assert not missing, f"{rule.code}: docstring lacks sections {missing}"
    for spec in rule.option_specs():
        assert spec.doc, f"{rule.code}: option {spec.key} is undocumented"
