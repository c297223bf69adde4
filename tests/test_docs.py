"""The docs: generated rule pages are current, rules are fully documented, pages agree with
the code (config keys, formats, flags, hook ids), links resolve, examples in the docs run."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from mlops_hooks import docsgen
from mlops_hooks.cli import build_parser
from mlops_hooks.config import KNOWN_KEYS
from mlops_hooks.gen import changes
from mlops_hooks.registry import Registry, get_registry
from mlops_hooks.reporters import FORMATS
from mlops_hooks.rule import Bad, Rule
from mlops_hooks.ruledocs import doc_problems, render_markdown, toml_value
from tests.conftest import REPO
from tests.core.fakekind import BadWord, registry

__all__ = ["registry"]

DOCS = REPO / "docs"
RULE_DOCS = DOCS / "rules"
HAND_WRITTEN = (
    "index.md",
    "installation.md",
    "configuration.md",
    "suppressions.md",
    "ci.md",
    "writing-rules.md",
    "architecture.md",
    "output.md",
    "changelog.md",
    "field-trial.md",
    "security.md",
    "fix-safety.md",
)
HOOK_IDS = (
    "mlops-dockerfile",
    "mlops-justfile",
    "mlops-workflows",
    "mlops-mlflow",
    "mlops-pre-commit-config",
    "mlops-hooks",
)
BUILTIN = docsgen.builtin_rules(get_registry())


# -- generated pages ---------------------------------------------------------------------------


def test_committed_rule_pages_are_current() -> None:
    stale = [c for c in changes(REPO) if c.path.startswith("docs/rules/")]
    assert not stale, "docs/rules/ is out of date; run `just gen`:\n" + "\n".join(
        f"{c.status}: {c.path}" for c in stale
    )


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.code)
def test_rule_is_fully_documented(rule: type[Rule]) -> None:
    assert doc_problems(rule) == []


def test_index_links_every_rule_page() -> None:
    index = (RULE_DOCS / "index.md").read_text(encoding="utf-8")
    for rule in BUILTIN:
        assert f"]({rule.code}-{rule.name}.md)" in index


def test_doc_problems_name_what_is_missing() -> None:
    class Undocumented(BadWord):
        """Flags words.

        ## What it does
        Flags.

        ## Why is it bad?
        Typo in the heading.

        ## Example
        `bad`
        """

    assert doc_problems(Undocumented) == [
        "the docstring lacks the sections ['Why is this bad?']",
        "the docstring has example prose ['Example'] that no test runs; the page renders the"
        " rule's tested `examples` there: add a Good or Bad example instead",
        "unknown docstring sections ['Why is it bad?']; use ['What it does', 'Why is this "
        "bad?', 'Fix safety', 'Options', 'What changed', 'Known problems', 'References']",
        "the rule has a fix but no '## Fix safety' section",
    ]
    assert doc_problems(BadWord) == []


def test_rule_page_of_the_fake_rule(registry: Registry) -> None:
    assert render_markdown(BadWord) == (
        "# FAK001 `bad-word`\n\nA line says bad.\n\n"
        "- Kind: fake (`fake`)\n- Severity: warning\n- Fix: safe (applied by `--fix`)\n"
        "- On by default: yes\n- Added in: 0.1.0\n\n"
        "## What it does\n\nFlags `bad`.\n\n"
        "## Why is this bad?\n\nIt is bad.\n\n"
        "## Example\n\nIn `a.fake`:\n\n```\na bad\n```\n\n"
        "Reported as:\n\n```text\na.fake:1:3: FAK001 [bad-word] say good, not bad\n```\n\n"
        "After the fix:\n\n```\na good\n```\n\n"
        "## Use instead\n\nIn `a.fake`:\n\n```\ngood\n```\n\n"
        "## Fix safety\n\nSafe.\n\n"
        "## Options\n\n"
        "Set under `[tool.mlops-hooks.rules.bad-word]` in `pyproject.toml`.\n\n"
        "| option | type | default | description |\n"
        "| --- | --- | --- | --- |\n"
        "| `word` | `str` | `'bad'` | the word to flag |\n"
        "| `limit` | `int` | `100` | max findings |\n"
        "| `enabled-lines` | `list[int]` | `[]` | lines to check |\n"
        "| `mapping` | `dict[str, str]` | `{}` | a mapping |\n"
        "| `ratio` | `float` or `None` | unset | a ratio |\n"
        "| `strict` | `bool` | `false` | a flag |\n\n"
        "## Suppressing\n\n"
        "`# mlops-hooks: ignore[FAK001] reason` on the line above, "
        "`# mlops-hooks: ignore-file[FAK001] reason` for the whole file, or "
        '`ignore = ["bad-word"]` in `[tool.mlops-hooks]`.\n'
    )


@pytest.mark.parametrize(
    ("value", "toml"),
    [
        ("bad", "'bad'"),
        ("it's", '"it\'s"'),
        ("a\nb", '"a\\nb"'),
        (True, "true"),
        (3, "3"),
        (0.5, "0.5"),
        (float("inf"), "inf"),
        (("b", "a"), "['b', 'a']"),
        (frozenset({"b", "a"}), "['a', 'b']"),
        ({"production": "champion", "a b": 1}, "{ production = 'champion', 'a b' = 1 }"),
        ({}, "{}"),
        (Path("x"), '"x"'),
    ],
)
def test_toml_value(value: object, toml: str) -> None:
    assert toml_value(value) == toml


def test_plugin_rules_get_no_page_in_our_docs(registry: Registry) -> None:
    pages = docsgen.render_all(registry)
    assert not any(name.startswith("FAK") for name in pages)
    assert "fake" not in pages["index.md"]


# -- hand-written pages ------------------------------------------------------------------------


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_hand_written_page_exists_with_a_title(name: str) -> None:
    text = _read(name)
    assert re.search(r"^# \S", text, re.MULTILINE) or "--8<--" in text


def test_mkdocs_nav_names_existing_pages() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.findall(r"^  - [^:]+: (\S+\.md)$", config, re.MULTILINE)
    # Generated pages in the nav: the rule index, and the report `just fuzz` writes.
    assert sorted(nav) == sorted([*HAND_WRITTEN, "rules/index.md", "fuzzing.md"])
    assert "\nstrict: true\n" in config
    assert "\nsite_dir: site\n" in config


def test_relative_links_resolve() -> None:
    broken = []
    for page in sorted(DOCS.rglob("*.md")):
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text):
            if "://" not in target and not (page.parent / target).resolve().is_file():
                broken.append(f"{page.relative_to(REPO)}: {target}")
    assert not broken


def test_configuration_page_documents_every_key() -> None:
    text = _read("configuration.md")
    missing = [key for key in KNOWN_KEYS if f"| `{key}` |" not in text]
    assert not missing


def test_output_page_documents_every_format_and_check_flag() -> None:
    text = _read("output.md")
    assert not [f for f in FORMATS if f"## `{f}`" not in text]
    docs = "\n".join(_read(name) for name in HAND_WRITTEN)
    check = next(
        action
        for action in build_parser()._subparsers._group_actions[0].choices.items()  # type: ignore[union-attr]
        if action[0] == "check"
    )[1]
    flags = [
        option
        for action in check._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]
    assert not [flag for flag in flags if f"`{flag}" not in docs]


def test_installation_page_names_every_hook() -> None:
    text = _read("installation.md")
    ids = set(HOOK_IDS)
    manifest = REPO / ".pre-commit-hooks.yaml"
    if manifest.is_file():
        ids |= set(re.findall(r"^- id: (\S+)$", manifest.read_text(encoding="utf-8"), re.M))
    assert not [hook for hook in sorted(ids) if f"`{hook}`" not in text]


def test_changelog_page_includes_the_changelog() -> None:
    assert '--8<-- "CHANGELOG.md"' in _read("changelog.md")
    assert (REPO / "CHANGELOG.md").is_file()


def test_the_example_rule_in_writing_rules_works(tmp_path: Path, monkeypatch) -> None:
    """The rule in writing-rules.md is real code: it registers, and its examples pass."""
    from mlops_hooks import registry as registry_module
    from mlops_hooks import testing
    from mlops_hooks.registry import _builtin

    code = re.search(r"````python\n(# src/acme_rules/.*?)````", _read("writing-rules.md"), re.S)
    assert code is not None
    module = types.ModuleType("acme_rules_example")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(code.group(1), "writing-rules.md", "exec"), module.__dict__)
    rule = module.AptWithoutNoInstallRecommends
    checkers, rules = _builtin()
    reg = Registry(checkers, [*rules, rule])
    monkeypatch.setattr(registry_module, "get_registry", lambda: reg)
    monkeypatch.setattr(testing, "get_registry", lambda: reg)
    assert doc_problems(rule) == []
    for index, example in enumerate(rule.examples):
        testing.check_example(rule, example, tmp_path / str(index))
    assert any(isinstance(e, Bad) and e.fixed for e in rule.examples)


# -- the site ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the docs dependency group is not installed")
    pytest.importorskip("material", reason="the docs dependency group is not installed")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "index.html").is_file()
    for rule in BUILTIN:
        assert (tmp_path / "rules" / f"{rule.code}-{rule.name}" / "index.html").is_file()
