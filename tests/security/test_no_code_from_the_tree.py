"""No code from the checked repository is imported, whichever way the tool is started.

``python -m mlops_hooks`` puts the working directory (the repository being checked) first
on ``sys.path``; a fake ``*.dist-info`` there declaring a rule pack would have its module
imported as a plugin.
"""

from __future__ import annotations

import subprocess  # nosec B404
import sys
from pathlib import Path

import pytest

from mlops_hooks import registry


def _fake_plugin(folder: Path, marker: Path) -> None:
    dist = folder / "evil-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[mlops_hooks.rules]\nx = evilmod\n")
    (folder / "evilmod.py").write_text(f"import pathlib\npathlib.Path({str(marker)!r}).touch()\n")
    (folder / "Dockerfile").write_text("FROM python:3.12-slim\n")
    # A module named like one the CLI imports from the standard library.
    (folder / "argparse.py").write_text(f"import pathlib\npathlib.Path({str(marker)!r}).touch()\n")


def test_python_dash_m_does_not_import_from_the_working_directory(tmp_path: Path) -> None:
    """Promise: ``python -m mlops_hooks`` run inside a checked tree imports nothing from it
    (neither a plugin declared by a fake ``*.dist-info`` nor a module shadowing the standard
    library's)."""
    marker = tmp_path / "MARKER"
    tree = tmp_path / "tree"
    _fake_plugin(tree, marker)
    done = subprocess.run(  # nosec B603
        [sys.executable, "-m", "mlops_hooks", "check", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    assert not marker.exists(), "imported a module from the checked tree"
    assert done.returncode == 0, done.stderr


def test_the_plugin_scan_skips_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: entry points are looked up in installed locations only, never in the
    working directory, even when it is on ``sys.path``."""
    marker = tmp_path / "MARKER"
    tree = tmp_path / "tree"
    _fake_plugin(tree, marker)
    site = tmp_path / "site"
    real = site / "pack-1.0.dist-info"
    real.mkdir(parents=True)
    (real / "METADATA").write_text("Metadata-Version: 2.1\nName: pack\nVersion: 1.0\n")
    (real / "entry_points.txt").write_text("[mlops_hooks.rules]\npack = pack.rules\n")
    monkeypatch.chdir(tree)
    monkeypatch.setattr(sys, "path", ["", str(tree), str(site)])
    assert registry._metadata_path() == [str(site)]
    assert [ep.value for ep in registry._entry_points("mlops_hooks.rules")] == ["pack.rules"]
    assert registry._entry_points("mlops_hooks.checkers") == []
    monkeypatch.setattr(sys, "path", ["", str(tree)])
    assert registry._declares_plugins() is False
    assert not marker.exists()
