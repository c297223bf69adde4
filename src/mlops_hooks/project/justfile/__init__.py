"""The justfile tree as a project fact: safe discovery, sandboxed ``just --dump``, the index.

Modules by concern: :mod:`.types` (value types), :mod:`.scan` (positions from the text),
:mod:`.discovery` (which files the imports reach, never outside the root), :mod:`.sandbox`
(``just --dump`` on a private copy), :mod:`.convert` (dump to index), :mod:`.index` (loading
and caching per run) and :mod:`.calls` (``just`` invocations in shell text).
"""
