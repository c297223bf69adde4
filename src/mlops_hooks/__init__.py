"""mlops-hooks: linters for the conventions of a production-grade, uv-managed ML project.

The public API for rule authors is small and stable: :class:`Rule`, the example types
:class:`Good` and :class:`Bad`, and the diagnostic values. Importing this package stays cheap:
parsers are imported by the checkers that need them, when a file needs them.
"""

from __future__ import annotations

from mlops_hooks.diagnostics import Diagnostic, Edit, Fix, FixSafety, Position, Severity, Span
from mlops_hooks.rule import Bad, Good, Rule

__version__ = "0.1.0"

__all__ = [
    "Bad",
    "Diagnostic",
    "Edit",
    "Fix",
    "FixSafety",
    "Good",
    "Position",
    "Rule",
    "Severity",
    "Span",
    "__version__",
]
