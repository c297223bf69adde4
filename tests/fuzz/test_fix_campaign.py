"""The fix campaign: every fix on generated, real-shaped inputs.

For each rule that offers a fix, inputs shaped like real files (indentation, quotes, comments,
CRLF, several findings in one file, look-alikes that must not be touched) are fixed with that
rule alone (unsafe fixes included) and must:

- still parse (YAML, Python, Dockerfile);
- be left alone by a second run;
- mean the same apart from the edit: YAML loads to the same data apart from the inserted
  keys or the renamed values; Python has the same AST apart from the edited string literals,
  each of which differs only where a URI was rewritten; a Dockerfile has the same
  instructions apart from the edited ones.

Few examples in `just check` (the ``ci`` profile), many under `just fuzz`.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from mlops_hooks.config import Settings
from mlops_hooks.engine import Engine, RunOptions
from mlops_hooks.registry import get_registry
from tests.fuzz.engine_harness import _write, scratch


@cache
def _engine(code: str) -> Engine:
    options = RunOptions(fix=True, unsafe_fixes=True, write=False, jobs=1)
    return Engine(get_registry(), Settings(), options, select=[code], cwd=scratch())


def fix(code: str, relpath: str, text: str) -> str:
    """``text`` after the fixes of rule ``code`` alone (unsafe included), in memory."""
    [result] = _engine(code).run([str(_write(relpath, text))])
    return result.fixed if result.fixed is not None else text


def fixed_twice(code: str, relpath: str, text: str) -> str:
    once = fix(code, relpath, text)
    assert fix(code, relpath, once) == once, "a second run changed the file"
    return once


def _lines(draw: st.DrawFn, lines: list[str]) -> str:
    text = "\n".join(lines) + "\n"
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


# -- workflows (GHA001) ---------------------------------------------------------------------

TRIGGERS = [
    "push",
    "pull_request",
    "pull_request_target",
    "merge_group",
    "schedule",
    "workflow_dispatch",
    "release",
    "workflow_run",
    "issues",
]
STEPS = [
    "run: uv run just check",
    "run: terraform -chdir=infra apply -auto-approve",
    "run: kubectl -n prod apply -f k8s/",
    "run: docker push ghcr.io/acme/bikes",
    "run: uv publish",
    "run: echo terraform apply",
    "uses: actions/checkout@v5",
    "uses: actions/deploy-pages@v4",
    "uses: pypa/gh-action-pypi-publish@release/v1",
]


@st.composite
def workflows(draw: st.DrawFn) -> str:
    unit = " " * draw(st.sampled_from([2, 4]))
    events = draw(st.lists(st.sampled_from(TRIGGERS), min_size=1, max_size=4, unique=True))
    lines = []
    if draw(st.booleans()):
        lines.append("name: ci  # the pipeline")
    lines.append("on:")
    for event in events:
        lines.append(f"{unit}{event}:")
        if event == "schedule":
            lines.append(f"{unit}{unit}- cron: '0 3 * * *'")
        elif event in ("push", "pull_request") and draw(st.booleans()):
            lines.append(f"{unit}{unit}branches: [main]")
        elif event == "pull_request_target" and draw(st.booleans()):
            lines.append(f"{unit}{unit}types: [opened, synchronize]")
    if draw(st.booleans()):
        lines.append(f"{unit}# workflow_dispatch:")
    lines.append("jobs:")
    for index in range(draw(st.integers(1, 2))):
        lines.append(f"{unit}job{index}:")
        lines.append(f"{unit}{unit}runs-on: ubuntu-latest")
        if draw(st.booleans()) and index == 0:
            lines.append(f"{unit}{unit}environment: production")
        lines.append(f"{unit}{unit}steps:")
        for step in draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=3)):
            lines.append(f"{unit}{unit}{unit}- {step}")
    return _lines(draw, lines)


@given(text=workflows())
def test_gha001_fix(text: str) -> None:
    fixed = fixed_twice("GHA001", ".github/workflows/ci.yml", text)
    before, after = yaml.safe_load(text), yaml.safe_load(fixed)
    added = {k: v for k, v in after.items() if k not in before}
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(added) <= {"concurrency"}
    if added:
        cancel = added["concurrency"]["cancel-in-progress"]
        deploys = re.search(
            r"terraform -chdir|kubectl|docker push|uv publish|deploy-pages|"
            r"pypi-publish|environment:|release:",
            text,
        )
        if deploys:  # never cancellable, pull-request runs at most
            assert cancel is False or "pull_request" in str(cancel), fixed
        if "workflow_dispatch:" in text.replace("# workflow_dispatch:", ""):
            assert "github.run_id" in added["concurrency"]["group"], fixed


# -- pre-commit configs (PCC006, PCC007) --------------------------------------------------

STAGE_NEW = {"commit": "pre-commit", "push": "pre-push", "merge-commit": "pre-merge-commit"}


@st.composite
def precommit_configs(draw: st.DrawFn) -> str:
    stages = draw(st.lists(st.sampled_from([*STAGE_NEW, "manual", "pre-push"]), max_size=3))
    quote = draw(st.sampled_from(["", "'", '"']))
    rev = draw(st.sampled_from(["v0.14.0", "v0.9.0", "0123456789abcdef0123456789abcdef01234567"]))
    lines = []
    if draw(st.booleans()):
        lines.append(f"minimum_pre_commit_version: '{draw(st.sampled_from(['2.20.0', '3.2.0']))}'")
    if stages:
        lines.append("default_stages: [" + ", ".join(f"{quote}{s}{quote}" for s in stages) + "]")
    lines += [
        "repos:",
        "  - repo: https://github.com/astral-sh/ruff-pre-commit",
        f"    rev: {rev}  # pinned",
        "    hooks:",
        f"      - id: {quote}ruff{quote}",
        "        args: [--fix]",
        "      - id: ruff-format",
        "  - repo: local",
        "    hooks:",
        "      - id: ruff",
        "        name: ruff",
        "        entry: ruff check",
        "        language: system",
    ]
    if draw(st.booleans()):
        lines.append(
            "        stages: ["
            + ", ".join(draw(st.lists(st.sampled_from(list(STAGE_NEW)), min_size=1, max_size=2)))
            + "]"
        )
    return _lines(draw, lines)


def _rename(data: Any, mapping: dict[str, str]) -> Any:
    if isinstance(data, dict):
        return {k: _rename(v, mapping) for k, v in data.items()}
    if isinstance(data, list):
        return [_rename(v, mapping) for v in data]
    return mapping.get(data, data) if isinstance(data, str) else data


@given(text=precommit_configs())
def test_pcc006_fix(text: str) -> None:
    fixed = fixed_twice("PCC006", ".pre-commit-config.yaml", text)
    before, after = yaml.safe_load(text), yaml.safe_load(fixed)
    # Stage names renamed (only where the fix applied: it renames every legacy name or none).
    assert after == before or after == {
        **_rename(before, {}),
        **{k: _rename(v, STAGE_NEW) for k, v in before.items() if k in ("default_stages", "repos")},
    }


@given(text=precommit_configs())
def test_pcc007_fix(text: str) -> None:
    fixed = fixed_twice("PCC007", ".pre-commit-config.yaml", text)
    before, after = yaml.safe_load(text), yaml.safe_load(fixed)
    remote_before, local_before = before["repos"]
    remote_after, local_after = after["repos"]
    assert local_after == local_before  # a local hook named ruff is not ruff-pre-commit's
    ids = [h["id"] for h in remote_after["hooks"]]
    assert ids in (["ruff", "ruff-format"], ["ruff-check", "ruff-format"])
    if remote_before["rev"] == "v0.9.0":
        assert ids[0] == "ruff"  # too old for the new id: no fix
    assert {**remote_after, "hooks": []} == {**remote_before, "hooks": []}


# -- Python and YAML model URIs (MLF003, MLF004) -----------------------------------------

URIS = [
    "models:/bikes/Production",
    "models:/bikes/champion",
    "models:/{name}/Staging",
    "models:/bikes/challenger",
    "models:/bikes@champion",
    "models:/bikes/3",
]
CONTEXTS = [
    "model = mlflow.pyfunc.load_model({q}{u}{q})",
    "MODEL_URI = {q}{u}{q}",
    "print({q}serving {u}{q})",
    "cmd = [{q}mlflow{q}, {q}models{q}, {q}serve{q}, {q}-m{q}, {q}{u}{q}]",
    "subprocess.run({q}docker run -v {{cwd}}/models:/app/models bikes{q}, shell=True)",
    "args = [{q}-v{q}, {q}models:/app/models{q}]",
    "uri = {q}data:{u}{q}",
]


@st.composite
def python_modules(draw: st.DrawFn) -> str:
    lines = ["import subprocess", "", "import mlflow", ""]
    for _ in range(draw(st.integers(1, 4))):
        template = draw(st.sampled_from(CONTEXTS))
        uri = draw(st.sampled_from(URIS))
        quote = draw(st.sampled_from(['"', "'"]))
        prefix = "f" if "{name}" in uri or "{{cwd}}" in template else ""
        line = template.format(q=quote, u=uri)
        if prefix:  # an f-string: a placeholder stays a placeholder
            line = re.sub(r"(['\"])(?=[^'\"]*\{)", prefix + r"\1", line, count=1)
        lines.append(line + draw(st.sampled_from(["", "  # serve"])))
    return _lines(draw, lines)


class _Blank(ast.NodeTransformer):
    def __init__(self) -> None:
        self.strings: list[str] = []

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            self.strings.append(node.value)
            return ast.copy_location(ast.Constant("<str>"), node)
        return node


def _shape(text: str) -> tuple[str, list[str]]:
    blank = _Blank()
    tree = blank.visit(ast.parse(text))
    return ast.dump(tree), blank.strings


#: A URI's `/<word>` or `@<alias>`; in an f-string the part after a placeholder starts a
#: literal of its own (`f"models:/{name}/Staging"` is "models:/", name, "/Staging").
_EDIT = re.compile(r"(^|models:/[^/@\s'\"]+)[/@](\w+)")


def _same_but_uris(before: str, after: str) -> bool:
    """Two strings that differ only by `/<word>` rewritten as `@<alias>` in URIs."""
    return _EDIT.sub(r"\1@", before).lower() == _EDIT.sub(r"\1@", after).lower()


def _check_python(code: str, text: str) -> None:
    fixed = fixed_twice(code, "src/bikes/serve.py", text)
    shape_before, strings_before = _shape(text)
    shape_after, strings_after = _shape(fixed)
    assert shape_after == shape_before
    for old, new in zip(strings_before, strings_after, strict=True):
        assert old == new or _same_but_uris(old, new), (old, new)
        assert "app/models" not in old or old == new  # volume mounts are never touched


@given(text=python_modules())
def test_mlf003_fix(text: str) -> None:
    _check_python("MLF003", text)


@given(text=python_modules())
def test_mlf004_fix(text: str) -> None:
    _check_python("MLF004", text)


@st.composite
def yaml_configs(draw: st.DrawFn) -> str:
    lines = ["serving:"]
    for index in range(draw(st.integers(1, 3))):
        uri = draw(st.sampled_from(URIS)).replace("{name}", "bikes")
        quote = draw(st.sampled_from(["", "'", '"']))
        lines.append(f"  model_{index}: {quote}{uri}{quote}  # promoted by hand")
    lines += ["services:", "  api:", "    volumes:", "      - models:/app/models"]
    return _lines(draw, lines)


@given(text=yaml_configs())
def test_mlf_fixes_in_configs(text: str) -> None:
    for code in ("MLF003", "MLF004"):
        fixed = fixed_twice(code, "confs/serving.yaml", text)
        before, after = yaml.safe_load(text), yaml.safe_load(fixed)
        assert after["services"] == before["services"]
        for key, value in before["serving"].items():
            assert value == after["serving"][key] or _same_but_uris(value, after["serving"][key])


# -- Dockerfiles (DKR004, DKR006) ---------------------------------------------------------


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    base = draw(
        st.sampled_from(
            [
                "python:3.12",
                "python:3.12-bookworm",
                "python:3.12-slim",
                "ghcr.io/astral-sh/uv:python3.12-bookworm",
                "$BASE",
            ]
        )
    )
    sync = draw(
        st.sampled_from(
            [
                "RUN uv sync",
                'RUN ["uv", "sync", "--no-dev"]',
                "RUN uv sync --frozen",
                "RUN uv sync \\\n    --no-dev",
            ]
        )
    )
    lines = [
        "ARG BASE=python:3.12",
        f"FROM {base} AS runtime",
        "COPY uv.lock pyproject.toml ./",
        sync,
        "COPY src src",
        'CMD ["python", "-m", "app"]',
    ]
    return _lines(draw, lines)


def _instructions(text: str) -> list[tuple[str, str]]:
    from mlops_hooks.checkers.dockerfile.model import parse
    from mlops_hooks.source import SourceFile

    model = parse(SourceFile("Dockerfile", text))
    return [(i.cmd.upper(), " ".join(" ".join(i.args).split())) for i in model.instructions]


@given(text=dockerfiles())
def test_dockerfile_fixes(text: str) -> None:
    for code, keyword in (("DKR004", "RUN"), ("DKR006", "FROM")):
        fixed = fixed_twice(code, "Dockerfile", text)
        before, after = _instructions(text), _instructions(fixed)
        assert [k for k, _ in after] == [k for k, _ in before]
        for (kind, old), (_, new) in zip(before, after, strict=True):
            assert old == new or kind == keyword, (old, new)
            if old != new and code == "DKR004":  # only `--locked` was added
                assert new.replace(" --locked", "", 1) == old, (old, new)
            if old != new and code == "DKR006":  # only the tag became its slim twin
                assert new.replace("-slim", "", 1) == old, (old, new)
