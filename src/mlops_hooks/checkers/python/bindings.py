"""The names an ``import`` statement binds, read from the standard library's ``ast``: shared
by the first pass and by the partial parse's scan of the definitions it skips."""

from __future__ import annotations

import ast


def record_imports(node: ast.Import | ast.ImportFrom, imports: dict[str, str]) -> None:
    """Add the names ``node`` binds to ``imports``, as the LibCST walk records them
    (``import mlflow.tracking`` binds ``mlflow``; relative and star imports are left out)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                imports[alias.asname] = alias.name
            else:
                head = alias.name.split(".")[0]
                imports[head] = head
    elif not node.level and node.module:
        for alias in node.names:
            if alias.name != "*":
                imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
