"""Properties: any text gives a model or one ParseError; GHA001's fix keeps the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.workflow.model import parse
from mlops_hooks.checkers.workflow.rules.gha001_missing_concurrency import (
    DISPATCH_GROUP,
    EVENT_GROUP,
    GROUP,
    MissingConcurrency,
)
from mlops_hooks.fixes import apply_fixes
from mlops_hooks.project import Project
from mlops_hooks.rule import RuleContext
from mlops_hooks.source import SourceFile

YAMLISH = st.text(alphabet=st.sampled_from(list("onpush:[]{},-?&*!|>'\"# \t\n\r\\~é")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        workflow = parse(SourceFile(".github/workflows/w.yml", text))
    except ParseError as exc:
        assert exc.line >= 1 and exc.column >= 1 and exc.message
        return
    for step in workflow.steps():
        assert step.run is None or isinstance(step.run.text, str)


EVENTS = st.sampled_from(["push", "pull_request", "schedule", "workflow_dispatch", "merge_group"])
SETTINGS = st.dictionaries(
    st.sampled_from(["branches", "paths", "types"]),
    st.lists(st.sampled_from(["main", "src/**", "opened", "v*"]), min_size=1, max_size=2),
    max_size=2,
)
TRIGGERS = st.one_of(
    EVENTS,
    st.lists(EVENTS, min_size=1, max_size=3, unique=True),
    st.dictionaries(EVENTS, st.one_of(st.none(), SETTINGS), min_size=1, max_size=3),
)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text("ab #:'\"", max_size=5)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("xyz"), inner),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    triggers=TRIGGERS,
    before=st.dictionaries(st.sampled_from(["name", "env", "permissions"]), VALUES, max_size=2),
    after=st.dictionaries(st.sampled_from(["jobs", "defaults", "x-extra"]), VALUES, max_size=2),
    flow=st.sampled_from([None, False, True]),
    indent=st.sampled_from([2, 4]),
    crlf=st.booleans(),
)
def test_fix_keeps_the_data(
    triggers: Any,
    before: dict[str, Any],
    after: dict[str, Any],
    flow: bool | None,
    indent: int,
    crlf: bool,
) -> None:
    data = {**before, "on": triggers, **after}
    text = yaml.safe_dump(data, default_flow_style=flow, indent=indent, sort_keys=False)
    if crlf:
        text = text.replace("\n", "\r\n")
    source = SourceFile(".github/workflows/w.yml", text)
    context = RuleContext(source, Project(Path.cwd()))
    workflow = parse(source)
    MissingConcurrency(context).check_workflow(workflow)
    if not context.sink:  # manual runs, pull requests limited to once-per-PR types
        assert set(workflow.triggers) <= {"workflow_dispatch", "pull_request", "schedule"}
        return
    (diagnostic,) = context.sink
    if diagnostic.fix is None:
        assert workflow.root.flow  # a flow root: no block to insert into
        return
    fixed, applied = apply_fixes(source, [diagnostic.fix])
    assert applied == 1
    loaded = yaml.safe_load(fixed)
    cancel = loaded["concurrency"]["cancel-in-progress"]
    group = loaded["concurrency"]["group"]
    assert group in (GROUP, EVENT_GROUP, DISPATCH_GROUP) or "&& github.run_id ||" in group
    assert loaded == {
        **yaml.safe_load(text),
        "concurrency": {"group": group, "cancel-in-progress": cancel},
    }
    if crlf:
        assert "\n" not in fixed.replace("\r\n", "")
    # Fixed: the rule has nothing more to say.
    again = SourceFile(".github/workflows/w.yml", fixed)
    context = RuleContext(again, Project(Path.cwd()))
    MissingConcurrency(context).check_workflow(parse(again))
    assert context.sink == []
