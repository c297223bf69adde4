"""The field runner's proof that diff mode wrote nothing: a hash over every file."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from tests.benchmarks.conftest import BENCHMARKS

spec = importlib.util.spec_from_file_location("field_run", BENCHMARKS / "field" / "run.py")
assert spec is not None and spec.loader is not None
field_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(field_run)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_tree_digest_hashes_links_as_links_and_sees_every_write(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("x = 1\n")
    (tmp_path / "broken").symlink_to(tmp_path / "missing")  # snapshots hold broken links
    (tmp_path / "link").symlink_to("src/app.py")
    before = field_run.tree_digest(tmp_path)
    assert field_run.tree_digest(tmp_path) == before
    (tmp_path / "src" / "app.py").write_text("x = 2\n")
    assert field_run.tree_digest(tmp_path) != before
    (tmp_path / "src" / "app.py").write_text("x = 1\n")
    assert field_run.tree_digest(tmp_path) == before
    (tmp_path / "link").unlink()
    (tmp_path / "link").symlink_to("src/other.py")
    assert field_run.tree_digest(tmp_path) != before
