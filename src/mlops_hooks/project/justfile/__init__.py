"""The justfile tree as a project fact: safe discovery, sandboxed ``just --dump``, the index.

Modules by concern: :mod:`.types` (value types), :mod:`.scan` (positions from the text),
:mod:`.discovery` (which files the imports reach, never outside the root), :mod:`.sandbox`
(``just --dump`` on a private copy), :mod:`.convert` (dump to index), :mod:`.index` (loading
and caching per run) and :mod:`.calls` (``just`` invocations in shell text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def find_root_justfile(root: Path) -> Path | None:
    """``justfile`` (any case) or ``.justfile`` directly in ``root``."""
    try:
        names = sorted(entry.name for entry in root.iterdir())
    except OSError:
        return None
    for name in names:
        # A link is returned unfollowed: the caller refuses one that leads outside the root.
        if name.lower() in ("justfile", ".justfile") and (
            (root / name).is_symlink() or (root / name).is_file()
        ):
            return root / name
    return None
