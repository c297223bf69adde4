"""One source for a rule's documentation: ``explain``, the docs pages and SARIF help."""

from __future__ import annotations

from mlops_hooks.rule import Bad, Good, Rule

KIND_TITLES = {
    "dockerfile": "Dockerfile",
    "justfile": "justfile",
    "workflow": "GitHub Actions workflow",
    "precommit": "pre-commit config",
    "python": "Python (MLflow)",
}


def fence_language(rule: type[Rule]) -> str:
    """The code-fence language of a rule's examples."""
    return {
        "dockerfile": "dockerfile",
        "workflow": "yaml",
        "precommit": "yaml",
        "python": "python",
        "justfile": "just",
    }.get(rule.kind, "")


def fix_text(rule: type[Rule]) -> str:
    """'safe', 'unsafe' or 'no' fix, for tables."""
    return rule.fix_safety.value if rule.fix_safety is not None else "no"


def render_markdown(rule: type[Rule]) -> str:
    """The rule's page: title, metadata, docstring sections, options and first examples."""
    sections = rule.doc_sections()
    lang = fence_language(rule)
    out = [f"# {rule.code} `{rule.name}`", "", sections.get("summary", ""), ""]
    out += [
        f"- Kind: {KIND_TITLES.get(rule.kind, rule.kind)}",
        f"- Severity: {rule.severity.value}",
        f"- Fix: {fix_text(rule)}",
        f"- On by default: {'yes' if rule.default_enabled else 'no'}",
        f"- Added in: {rule.added_in}",
        "",
    ]
    for title, body in sections.items():
        if title == "summary" or not body:
            continue
        out += [f"## {title}", "", body, ""]
    specs = rule.option_specs()
    out += ["## Options", ""]
    if specs:
        out += [f"Set under `[tool.mlops-hooks.rules.{rule.name}]` in `pyproject.toml`.", ""]
        out += ["| option | type | default | description |", "| --- | --- | --- | --- |"]
        for spec in specs:
            default = spec.default
            if isinstance(default, (tuple, frozenset, set)):
                default = list(default)
            out.append(f"| `{spec.key}` | `{spec.type_name}` | `{default!r}` | {spec.doc} |")
        out.append("")
    else:
        out += ["None.", ""]
    good = next((e for e in rule.examples if isinstance(e, Good)), None)
    bad = next((e for e in rule.examples if isinstance(e, Bad)), None)
    if bad is not None:
        out += ["## Flagged", "", f"```{lang}", bad.source.rstrip("\n"), "```", ""]
        if bad.fixed is not None:
            out += ["## After the fix", "", f"```{lang}", bad.fixed.rstrip("\n"), "```", ""]
    if good is not None:
        out += ["## Not flagged", "", f"```{lang}", good.source.rstrip("\n"), "```", ""]
    out += [
        "## Suppressing",
        "",
        f"`# mlops-hooks: ignore[{rule.code}] reason` on the line above, "
        f"`# mlops-hooks: ignore-file[{rule.code}] reason` for the whole file, or "
        f'`ignore = ["{rule.name}"]` in `[tool.mlops-hooks]`.',
        "",
    ]
    return "\n".join(out).rstrip("\n") + "\n"
