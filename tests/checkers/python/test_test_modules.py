"""URIs in test modules: reported only where a call loading a model receives them."""

from __future__ import annotations

import pytest

from mlops_hooks.checkers.python.base import is_test_module
from mlops_hooks.testing import Lint, project

STAGE = "models:/bikes/Production"


@pytest.mark.parametrize(
    ("relpath", "test"),
    [
        ("tests/unit/test_registry.py", True),
        ("tests/helpers.py", True),
        ("src/app/test/fixtures.py", True),
        ("test_serving.py", True),
        ("src/app/serving_test.py", True),
        ("conftest.py", True),
        ("src/app/serving.py", False),
        ("src/app/testing.py", False),
        ("src/app/latest.py", False),
        ("tests/confs/serving.yaml", False),
        ("contests/serving.py", False),
    ],
)
def test_what_is_a_test_module(relpath: str, test: bool) -> None:
    assert is_test_module(relpath) is test


@pytest.mark.parametrize(
    "source",
    [
        f'mv = mlflow.register_model("{STAGE}", "bikes")\n',
        f'model = bentoml.mlflow.import_model("bikes", "{STAGE}")\n',
        f'model = load_model(model_uri=f"{STAGE}")\n',
        f'job = Evaluation(model_uri="{STAGE}")\n',
        f'URI = "{STAGE}"\n\n\ndef test_load():\n    mlflow.pyfunc.load_model(URI)\n',
    ],
)
def test_a_uri_a_model_call_receives_in_a_test_is_reported(lint: Lint, source: str) -> None:
    found = lint({"tests/test_serving.py": "import mlflow\n" + source}, "MLF003")
    assert project(found, "code", "path", "message") == [
        (
            "MLF003",
            "tests/test_serving.py",
            "models:/bikes/Production loads by stage, deprecated since MLflow 2.9; "
            "load by alias instead: models:/bikes@production",
        )
    ]


@pytest.mark.parametrize(
    "source",
    [
        f'entry = ManifestEntry(uri="{STAGE}")\n',
        f'model_uri = "{STAGE}"\n',
        f'assert plan.target == "{STAGE}"\n',
        f'URI = "{STAGE}"\n\n\ndef test_plan():\n    assert Plan(URI).target == URI\n',
        f'def test_label():\n    assert label(load_model) == "{STAGE}"\n',
    ],
)
def test_a_fixture_string_in_a_test_is_not_reported(lint: Lint, source: str) -> None:
    assert lint({"tests/unit/test_manifest.py": "import mlflow\n" + source}, "MLF") == []


def test_the_same_fixture_outside_tests_is_reported(lint: Lint) -> None:
    source = f'import mlflow\nentry = ManifestEntry(uri="{STAGE}")\n'
    found = lint({"src/app/manifest.py": source}, "MLF003")
    assert project(found, "code", "path", "span") == [
        ("MLF003", "src/app/manifest.py", (2, 42, 2, 52))
    ]


def test_a_yaml_config_under_tests_is_still_checked(lint: Lint) -> None:
    files = {"conf/serving.yaml": f"model_uri: {STAGE}\n"}
    found = lint(files, "MLF003")
    assert project(found, "code", "path", "span") == [
        ("MLF003", "conf/serving.yaml", (1, 26, 1, 36))
    ]
