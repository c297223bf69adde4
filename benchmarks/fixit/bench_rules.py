"""The one trivial LibCST rule Fixit runs in the benchmark (Fixit's cost, not the rule's).

It flags string literals that start with ``models:/``: about the least work a rule can do,
so the Fixit timing is LibCST parsing plus Fixit's framework, the floor of any Fixit rule.
"""

from __future__ import annotations

import libcst as cst
from fixit import Invalid, LintRule, Valid


class ModelUriLiteral(LintRule):
    """Flags ``"models:/..."`` string literals."""

    MESSAGE = "model URI literal"
    VALID = [Valid('uri = "runs:/abc/model"')]
    INVALID = [Invalid('uri = "models:/churn/3"')]

    def visit_SimpleString(self, node: cst.SimpleString) -> None:  # noqa: N802 - LibCST API
        if node.value.lstrip("rbuRBU").strip("'\"").startswith("models:/"):
            self.report(node)
