"""Errors that are the user's to fix: the CLI prints the message and exits 2, no traceback.

Raise :class:`UsageError` (or a subclass, such as
:class:`mlops_hooks.config.ConfigError`) for a command line or a configuration that cannot
mean what its author wanted. Any other exception that escapes a command is a bug: the CLI
reports it as an internal error (a traceback with ``MLOPS_HOOKS_DEBUG=1``), even a
``ValueError``.
"""

from __future__ import annotations


class UsageError(Exception):
    """A wrong command line or configuration; its message says what to change."""
