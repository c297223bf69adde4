"""Fix safety of the MLflow rules: a URI counts only at the start of a string or a word, and
a safe fix applies only where the string is certainly a model URI (docs/fix-safety.md)."""

from __future__ import annotations

import pytest

from mlops_hooks.diagnostics import FixSafety
from mlops_hooks.testing import Lint, project

DEFAULT_PATH = "src/bikes/serving.py"


@pytest.mark.parametrize(
    ("source", "path"),
    [
        # A docker volume mount inside a path: the regression of the fix-safety issue.
        (
            "import subprocess\n"
            'subprocess.run(f"docker run -v {cwd}/models:/app/models bikes", shell=True)\n',
            DEFAULT_PATH,
        ),
        ('CMD = "docker run -v $PWD/models:/app/models bikes"\n', DEFAULT_PATH),
        # A named volume after a volume option, in one string or in an argument list.
        ('CMD = "docker run -v models:/app/models bikes"\n', DEFAULT_PATH),
        ("CMD = \"docker run --volume='models:/app/models' bikes\"\n", DEFAULT_PATH),
        ('ARGS = ["docker", "run", "-v", "models:/app/models", "bikes"]\n', DEFAULT_PATH),
        # After a placeholder or another word: not the start of a word.
        ('X = f"{base}models:/app/models"\n', DEFAULT_PATH),
        ('X = "data:models:/app/models"\n', DEFAULT_PATH),
        # A compose file's volumes under a configuration directory.
        (
            "services:\n  serving:\n    volumes:\n      - models:/app/models\n    command: serve\n",
            "confs/compose.yaml",
        ),
    ],
)
def test_a_path_is_neither_a_finding_nor_a_fix(lint: Lint, source: str, path: str) -> None:
    assert lint(source, "MLF", path=path) == []
    assert lint.fixed(source, "MLF", path=path) == source


@pytest.mark.parametrize(
    "source",
    [
        # Printed, or a word of a command line: the rewrite changes what the program does.
        'print("models:/bikes/champion")\n',
        'CMD = "mlflow models serve -m models:/bikes/champion"\n',
        'uri = "models:/bikes/champion and more"\n',
        # A value used elsewhere than a loading call or a *_uri name.
        'NAME = "models:/bikes/champion"\n',
        'send(uri="models:/bikes/champion")\n',
    ],
)
def test_outside_a_model_uri_context_the_alias_fix_is_unsafe(lint: Lint, source: str) -> None:
    (found,) = lint(source, "MLF004", path=DEFAULT_PATH)
    assert found.fix is not None and found.fix.safety is FixSafety.UNSAFE
    assert lint.fixed(source, "MLF", path=DEFAULT_PATH, unsafe_fixes=False) == source
    assert "models:/bikes@champion" in lint.fixed(source, "MLF", path=DEFAULT_PATH)


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ('model = mlflow.pyfunc.load_model("models:/bikes/champion")\n', DEFAULT_PATH),
        ('info = mlflow.models.get_model_info(model_uri="models:/bikes/champion")\n', DEFAULT_PATH),
        ('MODEL_URI = "models:/bikes/champion"\n', DEFAULT_PATH),
        ('self.model_uri: str = f"models:/{name}/champion"\n', DEFAULT_PATH),
        ("serving:\n  model: models:/bikes/champion\n", "confs/serving.yaml"),
    ],
)
def test_in_a_model_uri_context_the_alias_fix_is_safe(lint: Lint, source: str, path: str) -> None:
    (found,) = lint(source, "MLF004", path=path)
    assert found.fix is not None and found.fix.safety is FixSafety.SAFE
    fixed = lint.fixed(source, "MLF", path=path, unsafe_fixes=False)
    assert fixed == source.replace("/champion", "@champion")
    assert lint.fixed(fixed, "MLF", path=path) == fixed  # idempotent


def test_uris_at_the_start_of_words_are_still_found(lint: Lint) -> None:
    source = (
        'a = "--model-uri=models:/bikes/3"\n'
        'b = "serve -m models:/bikes/latest"\n'
        'c = ["models:/bikes/Production", "models:/bikes/2"]\n'
    )
    assert project(lint(source, "MLF"), "code") == ["MLF001", "MLF002", "MLF003", "MLF001"]
