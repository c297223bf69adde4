"""One source for a rule's documentation: ``explain``, the docs pages and SARIF help.

:func:`render_markdown` turns a rule's metadata, docstring sections, options and first
examples into one Markdown page. ``mlops-hooks explain`` prints it, SARIF puts it in each
rule's ``help``, and ``python -m mlops_hooks.docsgen`` writes it to ``docs/rules/``. The
Markdown renders the same on GitHub (GFM) and in the MkDocs site: no pipes inside table code
spans, no relative links (the text is also shown outside the site).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

from mlops_hooks.lazyre import lazy
from mlops_hooks.rule import DOC_SECTIONS, EXAMPLE_SECTIONS, Bad, Good, OptionSpec, Rule

if TYPE_CHECKING:
    from mlops_hooks.checkers import Checker

#: Docstring sections a rule may have besides the required :data:`DOC_SECTIONS`.
OPTIONAL_SECTIONS = ("Fix safety", "Options", "What changed", "Known problems", "References")
_BARE_KEY = lazy(r"^[A-Za-z0-9_-]+$")


def checker_of(rule: type[Rule]) -> Checker | None:
    """The checker of the rule's kind, which says how the kind is titled, fenced and written
    (None for a rule whose kind is not registered: its page still renders, plainly)."""
    from mlops_hooks import registry

    return registry.get_registry().checkers.get(rule.kind)


def fix_text(rule: type[Rule]) -> str:
    """'safe', 'unsafe' or 'no' fix, for tables."""
    return rule.fix_safety.value if rule.fix_safety is not None else "no"


def toml_value(value: Any) -> str:
    """``value`` as it is written in ``pyproject.toml`` (sets sorted, for stable pages)."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        # A literal string when it can be one (no escapes to read), else a basic string.
        if "'" not in value and value.isprintable():
            return f"'{value}'"
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = ", ".join(f"{_toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, (set, frozenset)):
        return "[" + ", ".join(sorted(toml_value(v) for v in value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # e.g. a Path: written as a string


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_value(key)


def _type_cell(type_name: str) -> str:
    """``str | None`` as `` `str` or `None` ``: a pipe would end the table cell."""
    parts, depth, current = [], 0, ""
    for char in type_name:
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    names = [part.replace("|", "or").replace("NoneType", "None") for part in parts]
    return " or ".join(f"`{name}`" for name in names)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def option_rows(rule: type[Rule]) -> list[str]:
    """The options table (empty when the rule has none)."""
    specs = rule.option_specs()
    if not specs:
        return []
    rows = [
        f"Set under `[tool.mlops-hooks.rules.{rule.name}]` in `pyproject.toml`.",
        "",
        "| option | type | default | description |",
        "| --- | --- | --- | --- |",
    ]
    rows += [option_row(spec) for spec in specs]
    return rows


def option_row(spec: OptionSpec) -> str:
    """One row of an options table: key, type, default (as TOML) and doc."""
    default = "unset" if spec.default is None else f"`{toml_value(spec.default)}`"
    return f"| `{spec.key}` | {_type_cell(spec.type_name)} | {default} | {_cell(spec.doc)} |"


def _fence(lang: str, text: str) -> list[str]:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return [f"{ticks}{lang}", text.rstrip("\n"), ticks]


def _example(rule: type[Rule], example: Good | Bad, lang: str) -> list[str]:
    """An example's source, with its path, options and other files when they matter."""
    from mlops_hooks.testing import example_path

    out: list[str] = []
    path = example_path(rule, example)
    if example.options:
        settings = ", ".join(f"{k} = {toml_value(v)}" for k, v in example.options.items())
        out += [f"With `{settings}` under `[tool.mlops-hooks.rules.{rule.name}]`:", ""]
    checker = checker_of(rule)
    if checker is None or path != checker.example_path or example.files:
        out += [f"In `{path}`:", ""]
    out += [*_fence(lang, example.source), ""]
    for other, text in example.files.items():
        if other == "pyproject.toml" and not text.strip():
            continue
        out += [f"And `{other}`:", "", *_fence(_lang_of(other), text), ""]
    return out


def _lang_of(path: str) -> str:
    """The fence language of another file of an example: its kind's, else by its suffix."""
    from mlops_hooks import registry

    checker = registry.get_registry().checker_for(path)
    if checker is not None:
        return checker.fence
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith((".yml", ".yaml")):
        return "yaml"
    return "toml" if name.endswith(".toml") else ""


def _fix_line(rule: type[Rule]) -> str:
    if rule.fix_safety is None:
        return "- Fix: none"
    if rule.fix_safety.value == "safe":
        return "- Fix: safe (applied by `--fix`)"
    return "- Fix: unsafe (applied by `--fix --unsafe-fixes`)"


def render_markdown(rule: type[Rule]) -> str:
    """The rule's page: title, metadata, docstring sections, options and first examples."""
    sections = rule.doc_sections()
    checker = checker_of(rule)
    lang = checker.fence if checker is not None else ""
    kind = checker.title if checker is not None else rule.kind
    out = [f"# {rule.code} `{rule.name}`", "", sections.get("summary", ""), ""]
    out += [
        f"- Kind: {kind} (`{rule.kind}`)",
        f"- Severity: {rule.severity.value}",
        _fix_line(rule),
        f"- On by default: {'yes' if rule.default_enabled else 'no'}",
        f"- Added in: {rule.added_in}",
        "",
    ]
    examples = _examples(rule, lang)
    options = option_rows(rule)
    for title, body in sections.items():
        if title == "summary" or not body:
            continue
        out += [f"## {title}", "", body, ""]
        if title == "Why is this bad?":  # the tested examples come right after, as in ruff
            out += examples
            examples = []
        if title == "Options":
            out += [*options, ""] if options else []
            options = []
    out += examples
    if options:  # options without prose in the docstring still get their table
        out += ["## Options", "", *options, ""]
    out += [
        "## Suppressing",
        "",
        f"`# mlops-hooks: ignore[{rule.code}] reason` on the line above, "
        f"`# mlops-hooks: ignore-file[{rule.code}] reason` for the whole file, or "
        f'`ignore = ["{rule.name}"]` in `[tool.mlops-hooks]`.',
        "",
    ]
    return "\n".join(out).rstrip("\n") + "\n"


def _examples(rule: type[Rule], lang: str) -> list[str]:
    """``## Example`` (the first Bad, how it is reported, and the fix) and ``## Use instead``
    (the first Good): the rule's tested examples, never untested prose."""
    out: list[str] = []
    good = next((e for e in rule.examples if isinstance(e, Good)), None)
    bad = next((e for e in rule.examples if isinstance(e, Bad)), None)
    if bad is not None:
        out += ["## Example", "", *_example(rule, bad, lang)]
        if bad.message is not None:
            from mlops_hooks.testing import example_path

            line, column = bad.span[0], bad.span[1]
            where = f"{example_path(rule, bad)}:{line}:{column}"
            out += [
                "Reported as:",
                "",
                *_fence("text", f"{where}: {rule.code} [{rule.name}] {bad.message}"),
                "",
            ]
        if bad.fixed is not None:
            out += ["After the fix:", "", *_fence(lang, bad.fixed), ""]
    if good is not None:
        out += ["## Use instead", "", *_example(rule, good, lang)]
    return out


def doc_problems(rule: type[Rule]) -> list[str]:
    """What a rule's documentation lacks: required sections, a fix-safety note, option docs."""
    sections = rule.doc_sections()
    problems = []
    if not sections.get("summary"):
        problems.append("the docstring has no summary line")
    missing = [s for s in DOC_SECTIONS if not sections.get(s)]
    if missing:
        problems.append(f"the docstring lacks the sections {missing}")
    prose = [s for s in sections if s in EXAMPLE_SECTIONS]
    if prose:
        problems.append(
            f"the docstring has example prose {prose} that no test runs; the page renders the"
            " rule's tested `examples` there: add a Good or Bad example instead"
        )
    unknown = [
        s
        for s in sections
        if s != "summary" and s not in (*DOC_SECTIONS, *EXAMPLE_SECTIONS, *OPTIONAL_SECTIONS)
    ]
    if unknown:
        problems.append(
            f"unknown docstring sections {unknown}; use {[*DOC_SECTIONS, *OPTIONAL_SECTIONS]}"
        )
    if rule.fix_safety is not None and not sections.get("Fix safety"):
        problems.append("the rule has a fix but no '## Fix safety' section")
    if rule.fix_safety is None and sections.get("Fix safety"):
        problems.append("'## Fix safety' is documented but the rule sets no fix_safety")
    problems += [f"option {s.key!r} has no doc" for s in rule.option_specs() if not s.doc.strip()]
    return problems
