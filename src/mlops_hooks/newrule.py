"""Scaffold a new built-in rule: ``python -m mlops_hooks.newrule KIND NAME`` (``just new-rule``).

Writes ``checkers/<kind>/rules/<code>_<name>.py`` with the next free code of the kind, the
docstring sections the docs need, the kind's graded hooks to override, and empty ``Good`` /
``Bad`` lists. The meta-tests fail until the author fills them in (a rule without a Good and a
Bad example, or with an unparsable one, does not pass), then ``just gen`` registers the rule in
the index, the docs, the hook manifest and the README.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Sequence
from pathlib import Path

from mlops_hooks.rule import CODE_RE, NAME_RE

TEMPLATE = '''"""{code}: TODO one line: what the rule flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from {base_module} import {base}
from mlops_hooks.rule import Bad, Good

if TYPE_CHECKING:
{type_imports}


class {cls}({base}):
    """TODO one line: what the rule flags (the summary in `mlops-hooks rules`).

    ## What it does
    TODO: what the rule reports, and where.

    ## Why is this bad?
    TODO: the harm, in a project that uses this part of the stack (a finding whose harm cannot
    happen in the checked project is noise: ask the project facts first).
    """

    code = "{code}"
    name = "{name}"
    #: Run through the engine by tests/test_rule_examples.py and shown on the docs page.
    examples: ClassVar[tuple[Good | Bad, ...]] = ()

    # The graded hooks of the kind: keep the ones this rule needs, delete the others.
{hooks}
'''


class ScaffoldError(Exception):
    """The kind or name is not usable, or the rule already exists."""


def _hooks(base_file: Path, base: str) -> tuple[list[str], list[str]]:
    """The graded hooks of the kind's base class, as method stubs, and the imports of the
    model types they take (read from the base's source, so the scaffold follows the kind)."""
    tree = ast.parse(base_file.read_text(encoding="utf-8"))
    origin: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                origin[alias.asname or alias.name] = node.module
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == base)
    stubs: list[str] = []
    wanted: dict[str, set[str]] = {}
    for node in cls.body:
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith(("check_", "visit_")):
            continue
        params = [a for a in node.args.args if a.arg != "self"]
        signature = ", ".join(
            f"{a.arg}: {ast.unparse(a.annotation)}" if a.annotation else a.arg for a in params
        )
        for param in params:
            for name in ast.walk(param.annotation) if param.annotation else ():
                if isinstance(name, ast.Name) and name.id in origin:
                    wanted.setdefault(origin[name.id], set()).add(name.id)
        doc = (ast.get_docstring(node) or "A graded hook.").splitlines()[0]
        stubs.append(f'\n    def {node.name}(self, {signature}) -> None:\n        """{doc}"""\n')
    imports = [
        f"    from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(wanted.items())
    ]
    return stubs, imports


def scaffold(root: Path, kind: str, name: str) -> Path:
    """Write the new rule module under ``root`` (a checkout); returns its path."""
    if not NAME_RE.match(name):
        raise ScaffoldError(f"{name!r} is not a kebab-case rule name (e.g. `copy-before-sync`)")
    package = root / "src" / "mlops_hooks" / "checkers" / kind
    rules_dir = package / "rules"
    if not rules_dir.is_dir():
        known = sorted(
            p.name for p in (root / "src/mlops_hooks/checkers").iterdir() if (p / "rules").is_dir()
        )
        raise ScaffoldError(f"unknown kind {kind!r}; kinds: {', '.join(known)}")
    pattern = "[a-z][a-z][a-z][0-9][0-9][0-9]_*.py"
    codes = sorted(p.name[:6].upper() for p in rules_dir.glob(pattern))
    if not codes:
        raise ScaffoldError(f"kind {kind!r} has no rule yet to take its code prefix from")
    if any(p.name[7:-3] == name.replace("-", "_") for p in rules_dir.glob("*.py")):
        raise ScaffoldError(f"kind {kind!r} already has a rule named {name!r}")
    prefix, last = codes[-1][:3], int(codes[-1][3:])
    code = f"{prefix}{last + 1:03d}"
    if not CODE_RE.match(code):
        raise ScaffoldError(f"no code left after {codes[-1]}")
    base_file = package / "base.py"
    tree = ast.parse(base_file.read_text(encoding="utf-8"))
    base = next(
        n.name for n in tree.body if isinstance(n, ast.ClassDef) and n.name.endswith("Rule")
    )
    stubs, imports = _hooks(base_file, base)
    module = f"mlops_hooks.checkers.{kind}"
    text = TEMPLATE.format(
        code=code,
        name=name,
        cls="".join(part.capitalize() for part in name.split("-")),
        base=base,
        base_module=f"{module}.base",
        type_imports="\n".join(imports) or "    pass",
        hooks="".join(stubs).rstrip("\n"),
    )
    target = rules_dir / f"{code.lower()}_{name.replace('-', '_')}.py"
    target.write_text(text, encoding="utf-8", newline="\n")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Scaffold the rule and say what comes next; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m mlops_hooks.newrule", description=__doc__)
    parser.add_argument("kind", help="the checker package, e.g. dockerfile")
    parser.add_argument("name", help="the rule's kebab-case name, e.g. copy-before-sync")
    parser.add_argument("--root", type=Path, default=Path(), help="the checkout (default: .)")
    args = parser.parse_args(argv)
    try:
        path = scaffold(args.root, args.kind, args.name)
    except ScaffoldError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(
        f"wrote {path}\nNext: fill in the docstring, the Good and Bad examples and the hooks,"
        " then run `just gen`.\n"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through main() in the tests
    raise SystemExit(main())
