"""Regression: URI templates (logging %-style, str.format text, docs placeholders) are not
aliases written as stages (MLF004 used to read "%s" and "{" as stage names)."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

TEMPLATES = [
    'log.info("loading models:/%s/%s", name, version)\n',
    'log.info("loading models:/%(name)s/%(version)d", params)\n',
    'URI_TEMPLATE = "models:/{name}/{version}"\n',
    'DOC = "models:/<name>/<stage>"\n',
    'CMD = "mlflow models serve -m models:/${MODEL}/${STAGE}"\n',
    'TEXT = "f\\"models:/bikes/{os.environ[\'V\']}\\""\n',
]


@pytest.mark.parametrize("line", TEMPLATES)
def test_templates_are_not_flagged(line: str, lint: Lint) -> None:
    assert lint({"src/app/serving.py": "import logging\nimport mlflow\n" + line}, "MLF") == []


def test_a_real_word_is_still_flagged(lint: Lint) -> None:
    found = lint(
        {"src/app/serving.py": 'import mlflow\nmlflow.pyfunc.load_model("models:/bikes/1.0")\n'},
        "MLF",
    )
    assert project(found, "code") == ["MLF004"]
