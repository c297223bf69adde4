"""The registry: discovery, invariants, plugins."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from mlops_hooks import registry as registry_module
from mlops_hooks.checkers.dockerfile import DockerfileChecker
from mlops_hooks.registry import Registry, RegistryError, get_registry
from tests.core.fakekind import BadWord, FakeChecker, FakeRule


def test_builtin_rules_are_found_without_a_list() -> None:
    reg = get_registry()
    assert "dockerfile" in reg.checkers
    assert reg.lookup("DKR000") is reg.lookup("dockerfile-parse-error")
    assert reg.lookup("dkr000") is not None
    assert reg.parse_error_rule("dockerfile") is reg.lookup("DKR000")
    assert reg.checker_for("sub/Dockerfile.prod") is reg.checkers["dockerfile"]
    assert reg.checker_for("README.md") is None


def make(code: str, name: str, kind: str = "fake") -> type[FakeRule]:
    return type("R", (FakeRule,), {"code": code, "name": name, "kind": kind})


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([make("FAK001", "a"), make("FAK001", "b")], "FAK001 is already used"),
        ([make("FAK001", "a"), make("FAK002", "a")], "a is already used"),
        ([make("FK001", "a")], "is not three capitals"),
        ([make("FAK001", "Not_Kebab")], "is not kebab-case"),
        ([make("FAK001", "a", kind="cobol")], "unknown kind 'cobol'"),
    ],
)
def test_invariants(rules: list[type[FakeRule]], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        Registry([FakeChecker()], rules)


def test_two_checkers_for_one_kind() -> None:
    with pytest.raises(RegistryError, match="two checkers"):
        Registry([FakeChecker(), FakeChecker()], [])


class _EP:
    def __init__(self, name: str, obj: Any) -> None:
        self.name = name
        self._obj = obj

    def load(self) -> Any:
        return self._obj


def test_plugins_from_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("fake_pack")
    module.BadWord = BadWord  # imported, not defined here: not collected from the module
    plugin_rule = make("FAK009", "plugin-word")
    plugin_rule.__module__ = "fake_pack"
    module.PluginWord = plugin_rule
    monkeypatch.setitem(sys.modules, "fake_pack", module)
    groups = {
        "mlops_hooks.checkers": [_EP("fake", FakeChecker)],
        "mlops_hooks.rules": [_EP("pack", module), _EP("single", BadWord)],
    }

    monkeypatch.setattr(registry_module, "_entry_points", lambda group: groups[group])
    monkeypatch.setattr(registry_module, "_declares_plugins", lambda: True)
    get_registry.cache_clear()
    try:
        reg = get_registry()
        assert reg.lookup("FAK009") is plugin_rule
        assert reg.lookup("bad-word") is BadWord
        assert "fake" in reg.checkers
        groups["mlops_hooks.rules"] = [_EP("junk", 42)]
        get_registry.cache_clear()
        with pytest.raises(RegistryError, match="neither a module nor a Rule class"):
            get_registry()
        groups["mlops_hooks.checkers"] = [_EP("junk", types.ModuleType("empty"))]
        get_registry.cache_clear()
        with pytest.raises(RegistryError, match="does not give a Checker"):
            get_registry()
    finally:
        get_registry.cache_clear()


def test_checker_options_are_per_copy() -> None:
    checker = DockerfileChecker()
    clone = checker.configured("opts")
    assert clone.options == "opts"
    assert checker.options != "opts"


def test_plugin_scan_finds_declared_groups(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "pack-1.0.dist-info"
    dist.mkdir()
    (tmp_path / "other-1.0.dist-info").mkdir()
    (tmp_path / "notes.txt").write_text("")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
    assert registry_module._declares_plugins() is False
    (dist / "entry_points.txt").write_text("[mlops_hooks.rules]\npack = pack.rules\n")
    assert registry_module._declares_plugins() is True


def test_no_plugins_means_no_importlib_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_module, "_declares_plugins", lambda: False)
    assert registry_module._plugins() == ([], [])


def test_rule_index_is_current() -> None:
    from pathlib import Path

    from mlops_hooks.registry import render_index

    index = Path(registry_module.__file__).with_name("_index.py")
    assert index.read_text(encoding="utf-8") == render_index(), "stale rule index: run `just gen`"


def test_stale_index_entry_is_an_error() -> None:
    from mlops_hooks.registry import RuleRef

    ref = RuleRef(
        "DKR000",
        "renamed-rule",
        "dockerfile",
        BadWord.__module__.replace(
            "tests.core.fakekind",
            "mlops_hooks.checkers.dockerfile.rules.dkr000_dockerfile_parse_error",
        ),
    )
    reg = Registry([DockerfileChecker()], [ref])
    assert reg.resolve("renamed-rule") == "DKR000"
    with pytest.raises(RegistryError, match="stale rule index for DKR000"):
        reg.load("DKR000")


def test_rules_load_lazily_per_kind(tmp_path) -> None:
    import subprocess

    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\n")
    code = (
        "import sys; from mlops_hooks.cli import main; main(['check', 'Dockerfile']); "
        "print(sorted({m.split('.')[2] for m in sys.modules "
        "if m.startswith('mlops_hooks.checkers.') and '.rules.' in m}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "['dockerfile']"
