"""Routing, the kind's options, the trigger prefilter and lazy imports, through the engine."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_hooks.checkers.python import CHECKER, PythonOptions
from mlops_hooks.checkers.python import config as config_module
from mlops_hooks.checkers.python import walk as walk_module
from mlops_hooks.cli import main
from mlops_hooks.engine import Engine
from mlops_hooks.testing import Lint, project, write_project


@pytest.mark.parametrize(
    ("relpath", "routed"),
    [
        ("src/bikes/serving.py", True),
        ("serving.py", True),
        ("src/bikes/serving.pyi", False),
        ("notebooks/explore.ipynb", False),
        ("confs/serving.yaml", True),
        ("confs/jobs/training.yml", True),
        ("conf/serving.yaml", True),
        ("conf/a/b/serving.YAML", True),
        ("configs/serving.yml", True),
        ("confs/serving.json", False),  # only YAML files under the globs
        ("confs/serving.toml", False),
        ("src/confs/serving.yaml", False),  # globs are relative to the project root
        ("serving.yaml", False),
        (".github/workflows/ci.yml", False),
    ],
)
def test_routing(relpath: str, routed: bool) -> None:
    assert CHECKER.matches(relpath) is routed


def test_config_globs_option() -> None:
    checker = CHECKER.configured(PythonOptions(config_globs=("deploy/*.yaml",)))
    assert checker.matches("deploy/serving.yaml")
    assert not checker.matches("deploy/sub/serving.yaml")
    assert not checker.matches("confs/serving.yaml")
    assert checker.matches("src/app.py")


def test_config_globs_from_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "0"\n\n'
            '[tool.mlops-hooks.kinds.python]\nconfig-globs = ["deploy/**/*.yaml"]\n',
            "deploy/prod/serving.yaml": "uri: models:/bikes/3\n",
            "confs/serving.yaml": "uri: models:/bikes/4\n",
        },
    )
    config = str(tmp_path / "pyproject.toml")
    code = main(["check", str(tmp_path), "--config", config, "--select", "MLF", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1
    assert "deploy/prod/serving.yaml" in out
    assert "confs/serving.yaml" not in out


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        ("src/bikes/serving.py", True),
        ("confs/serving.yaml", True),
        ("sub/project/confs/jobs/serving.yml", True),
        ("conf/serving.yaml", True),
        ("configs/serving.yaml", True),
        ("confs/serving.json", False),
        ("serving.yaml", False),
        ("src/bikes/serving.pyi", False),
    ],
)
def test_hook_files(path: str, matched: bool) -> None:
    assert bool(re.search(CHECKER.hook_files, path)) is matched


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the engine parses, in order (Python and YAML)."""
    seen: list[str] = []
    parse_module, parse_config = walk_module.parse_module, config_module.parse_config

    def python(source: object, *args: object) -> object:
        seen.append(source.relpath)  # type: ignore[attr-defined]
        return parse_module(source, *args)  # type: ignore[arg-type]

    def config(source: object) -> object:
        seen.append(source.relpath)  # type: ignore[attr-defined]
        return parse_config(source)  # type: ignore[arg-type]

    monkeypatch.setattr(walk_module, "parse_module", python)
    monkeypatch.setattr(config_module, "parse_config", config)
    # Seen in this process only: no module is checked in a process beside it.
    monkeypatch.setattr(Engine, "_may_fork_beside", lambda self, targets: False)
    return seen


FILES = {
    "src/bikes/features.py": "import pandas as pd\n\ndef f(x):\n    return x\n",
    "src/bikes/tracking.py": "import mlflow\n\nmlflow.log_metric('rmse', 1.0)\n",
    "src/bikes/serving.py": 'URI = "models:/bikes@champion"\n',
    "src/bikes/promotion.py": "def f(c):\n    return c.get_latest_versions('bikes')\n",
    "src/bikes/training.py": "import mlflow\n\nwith mlflow.start_run():\n    pass\n",
    "src/bikes/broken.py": "def f(:\n",
    "confs/training.yaml": "epochs: 10\n",
    "confs/serving.yaml": "uri: models:/bikes/3\n",
}


def test_files_without_a_trigger_are_never_parsed(lint: Lint, parses: list[str]) -> None:
    found = lint(FILES, "MLF")
    # serving.py has a trigger, but the first pass proves it conforming: no LibCST parse.
    assert sorted(parses) == ["confs/serving.yaml", "src/bikes/promotion.py"]
    assert project(found, "path", "code") == [("confs/serving.yaml", "MLF001")]


def test_triggers_follow_the_enabled_rules(lint: Lint, parses: list[str]) -> None:
    lint(FILES, "MLF007")
    assert parses == ["src/bikes/training.py"]
    parses.clear()
    lint({}, "MLF005")
    assert parses == ["src/bikes/promotion.py"]  # YAML files have no calls


def test_parse_errors_alone_parse_files_that_mention_mlflow(lint: Lint, parses: list[str]) -> None:
    found = lint({**FILES, "src/bikes/broken.py": "import mlflow\ndef f(:\n"}, "MLF000")
    # Only the file CPython cannot parse goes on to LibCST (which reports the error).
    assert sorted(parses) == ["confs/serving.yaml", "src/bikes/broken.py"]
    assert project(found, "path", "span") == [("src/bikes/broken.py", (2, 7, 2, 7))]


IMPORTS = """
import sys
from mlops_hooks.cli import main
code = main(sys.argv[1:])
print(code, "libcst" in sys.modules, "yaml" in sys.modules)
"""


def _run_cli(*args: str) -> str:
    # One process (`-j 1`): with a spare core, a module that may need LibCST is checked in a
    # forked process beside the main one, which then never imports it.
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, *args, "-j", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip().splitlines()[-1]


def test_registry_and_rule_modules_do_not_import_libcst() -> None:
    script = (
        "import sys\n"
        "from mlops_hooks.registry import get_registry\n"
        "rules = [r for r in get_registry().rules if r.kind == 'python']\n"
        "assert len(rules) == 8, rules\n"
        "print('libcst' in sys.modules, 'yaml' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_libcst_is_imported_only_when_a_file_needs_it(tmp_path: Path) -> None:
    write_project(tmp_path, {k: v for k, v in FILES.items() if "serving" not in k})
    # promotion.py calls get_latest_versions: parsed (its receiver is not a client).
    assert _run_cli("check", str(tmp_path), "--select", "MLF005") == "0 True False"
    assert _run_cli("check", str(tmp_path), "--select", "MLF001") == "0 False False"
    write_project(tmp_path, {"confs/serving.yaml": "uri: models:/bikes/3\n"})
    assert _run_cli("check", str(tmp_path), "--select", "MLF001") == "1 False True"


def test_suppressions_in_python_and_yaml(lint: Lint) -> None:
    found = lint(
        {
            "src/serving.py": 'URI = "models:/bikes/3"  # mlops-hooks: ignore[MLF001] audit\n'
            'OTHER = "models:/bikes/4"\n',
            "confs/serving.yaml": "# mlops-hooks: ignore[model-uri-by-version] audit copy\n"
            "uri: models:/bikes/3\nother: models:/bikes/4\n",
        },
        "MLF",
    )
    assert project(found, "path", "line") == [("confs/serving.yaml", 3), ("src/serving.py", 2)]


def test_costly_is_a_module_that_mentions_a_trigger() -> None:
    # The engine checks such a module in a process beside the main one (LibCST may load).
    from mlops_hooks.checkers.python import CHECKER
    from mlops_hooks.registry import get_registry

    registry = get_registry()
    rules = [registry.load(ref.code) for ref in registry.refs_of("python")]
    defaults = [rule for rule in rules if rule.code != "MLF007"]  # MLF000 sees every file
    mlf001 = [registry.load("MLF001")]
    assert CHECKER.costly("src/serve.py", b'load_model("models:/bikes@champion")\n', defaults)
    assert CHECKER.costly("src/promote.py", b"c = MlflowClient()\n", defaults)
    assert not CHECKER.costly("src/promote.py", b"c = MlflowClient()\n", mlf001)
    assert not CHECKER.costly("src/train.py", b"import mlflow\n", defaults)
    assert CHECKER.costly("src/train.py", b"mlflow.start_run()\n", rules)  # MLF007 on
    assert not CHECKER.costly("src/plain.py", b"import numpy\n", defaults)
    assert not CHECKER.costly("confs/serving.yaml", b"uri: models:/bikes/3\n", rules)


def test_only_a_module_the_first_pass_cannot_prove_is_checked_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A conforming MLflow module costs no fork: the first pass proves it in this process.
    import os

    from mlops_hooks.config import Settings
    from mlops_hooks.engine import RunOptions
    from mlops_hooks.registry import get_registry

    if not hasattr(os, "fork"):
        pytest.skip("a process beside the main one is forked, never spawned")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    write_project(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12-slim\n",
            "src/app/serve.py": 'model = load_model("models:/bikes@champion")\n',
            "src/app/train.py": 'model = load_model("models:/bikes/3")\n',
        },
    )
    eng = Engine(get_registry(), Settings(), RunOptions(), cwd=tmp_path)
    targets = eng.collect([str(tmp_path)])
    assert [t.relpath for t in targets] == ["Dockerfile", "src/app/serve.py", "src/app/train.py"]
    assert [i for i, t in enumerate(targets) if eng._needs_costly_parse(t)] == [2]
    results = eng.run([str(tmp_path)])
    assert [[d.code for d in r.diagnostics] for r in results] == [[], [], ["MLF001"]]
