"""Turn just's JSON dump into the index: recipes, aliases, modules and settings.

The dump merges imported recipes and has no positions: each recipe's file and line come from
:mod:`mlops_hooks.project.justfile.scan`, matched by module and name (a later definition wins,
as in just). A recipe whose header the scanner could not find keeps ``""``/``0`` (never
guessed).
"""

from __future__ import annotations

import json
from typing import Any

from mlops_hooks.project.justfile.scan import Header, body_text
from mlops_hooks.project.justfile.types import (
    Attribute,
    Dependency,
    JustfileIndex,
    Parameter,
    RecipeInfo,
    TreeFile,
)


def fill(index: JustfileIndex, dump: dict[str, Any]) -> None:
    first = dump.get("first")
    index.first = first if isinstance(first, str) else None
    settings = dump.get("settings")
    index.settings = settings if isinstance(settings, dict) else {}
    _fill_module(index, dump, "")


def _fill_module(index: JustfileIndex, dump: dict[str, Any], module: str) -> None:
    prefix = f"{module}::" if module else ""
    if module:
        source = dump.get("source")
        index.modules[module] = source if isinstance(source, str) else ""
    headers = _headers(index, module)
    for key, recipe in (dump.get("recipes") or {}).items():
        if isinstance(recipe, dict):
            info = _recipe(index, recipe, module, headers.get(key))
            index.recipes[info.name] = info
    for key, alias in (dump.get("aliases") or {}).items():
        if isinstance(alias, dict):
            target = alias.get("target")
            index.aliases[prefix + key] = prefix + str(target)
    for key, child in (dump.get("modules") or {}).items():
        if isinstance(child, dict):
            _fill_module(index, child, prefix + key)


def _headers(index: JustfileIndex, module: str) -> dict[str, tuple[TreeFile, Header]]:
    """Recipe headers of the files of ``module``; a later definition wins, as in just."""
    found: dict[str, tuple[TreeFile, Header]] = {}
    for tree in index.files.values():
        if tree.module == module:
            for header in tree.scanned.headers:
                found[header.name] = (tree, header)
    return found


def _recipe(
    index: JustfileIndex,
    recipe: dict[str, Any],
    module: str,
    where: tuple[TreeFile, Header] | None,
) -> RecipeInfo:
    name = str(recipe.get("name", ""))
    attributes = tuple(_attribute(a) for a in recipe.get("attributes") or ())
    priors = int(recipe.get("priors") or 0)
    dependencies = tuple(
        Dependency(
            recipe=str(dep.get("recipe", "")),
            arguments=tuple(_render(a) for a in dep.get("arguments") or ()),
            after=position >= priors,
        )
        for position, dep in enumerate(recipe.get("dependencies") or ())
        if isinstance(dep, dict)
    )
    parameters = tuple(
        Parameter(
            name=str(p.get("name", "")),
            kind=str(p.get("kind", "singular")),
            default=None if p.get("default") is None else _render(p.get("default")),
            export=bool(p.get("export")),
        )
        for p in recipe.get("parameters") or ()
        if isinstance(p, dict)
    )
    doc = recipe.get("doc")
    if where is not None:
        tree, header = where
        path, line, span, block = tree.path, header.line, header.name_span, header.block_first
        body = body_text(tree.source, header)
    else:
        path, line, span, block = "", 0, None, 0
        body = "\n".join(_render_line(line) for line in recipe.get("body") or ())
    return RecipeInfo(
        name=str(recipe.get("namepath") or name),
        module=module,
        path=path,
        line=line,
        name_span=span,
        block_first=block,
        body=body,
        attributes=attributes,
        groups=tuple(a.arguments[0] for a in attributes if a.name == "group" and a.arguments),
        doc=doc if isinstance(doc, str) else None,
        dependencies=dependencies,
        private=bool(recipe.get("private")),
        quiet=bool(recipe.get("quiet")),
        shebang=bool(recipe.get("shebang")),
        parameters=parameters,
    )


def _attribute(value: Any) -> Attribute:
    if isinstance(value, dict) and value:
        key, argument = next(iter(value.items()))
        if argument is None:
            return Attribute(str(key), ())
        if isinstance(argument, list):
            return Attribute(str(key), tuple(_render(a) for a in argument))
        return Attribute(str(key), (_render(argument),))
    return Attribute(str(value), ())


def _render(value: Any) -> str:
    """An expression from the dump as text: strings as is, others in a compact form."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 2 and value[0] == "variable":
        return str(value[1])
    return json.dumps(value)


def _render_line(fragments: Any) -> str:
    if not isinstance(fragments, list):
        return ""
    return "".join(f if isinstance(f, str) else "{{…}}" for f in fragments)
