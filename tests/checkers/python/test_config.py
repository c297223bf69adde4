"""YAML configuration files: exact scalar positions, aliases, bad YAML."""

from __future__ import annotations

import time

import pytest

from mlops_hooks.testing import Lint, project

CONFIG = """\
# serving configuration
defaults: &defaults
  model_uri: "models:/bikes/Production"
serving:
  <<: *defaults
  fallbacks: [models:/bikes/3, 'models:/bikes/champion', "models:/bikes@v2"]
  comment: "ünïcode first, then models:/bikes/latest"
  command: |
    mlflow models serve -m models:/bikes/Staging --port 5000
  escaped: "models:/bikes/\\x33"
  from_env: models:/bikes/${MODEL_VERSION}
  ok: models:/bikes@champion
  run: runs:/0a1b/model
---
second: models:/bikes/challenger
"""


def test_uris_in_yaml_values(lint: Lint) -> None:
    found = project(lint(CONFIG, "MLF", path="confs/serving.yaml"))
    assert [(c, s) for c, s, _ in found] == [
        ("MLF003", (3, 29, 3, 39)),
        ("MLF001", (6, 29, 6, 30)),
        ("MLF004", (6, 47, 6, 55)),
        ("MLF006", (6, 73, 6, 75)),
        ("MLF002", (7, 47, 7, 53)),
        ("MLF003", (9, 42, 9, 49)),
        # An escape inside the URI: located at the whole scalar, not editable.
        ("MLF001", (10, 12, 10, 32)),
        ("MLF004", (15, 23, 15, 33)),
    ]


def test_yaml_fixes_touch_only_the_uri(lint: Lint) -> None:
    fixed = lint.fixed(CONFIG, "MLF", path="confs/serving.yaml")
    assert fixed == (
        CONFIG.replace('"models:/bikes/Production"', '"models:/bikes@production"')
        .replace("'models:/bikes/champion'", "'models:/bikes@champion'")
        .replace("models:/bikes/Staging", "models:/bikes@staging")
        .replace("models:/bikes/challenger", "models:/bikes@challenger")
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "a: [1, 2\nb: 3\n",
            "YAML parse error: did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
        ("a: 1\n a: 2\n", "YAML parse error: mapping values are not allowed in this context"),
    ],
)
def test_invalid_yaml_is_one_diagnostic(lint: Lint, source: str, message: str) -> None:
    found = lint({"confs/bad.yaml": source + "uri: models:/bikes@champion\n"}, "MLF")
    assert project(found, "code", "message") == [("MLF000", message)]


def test_alias_bomb_is_never_expanded(lint: Lint) -> None:
    lines = ['a0: &a0 ["models:/bikes/3", "x"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
    started = time.perf_counter()
    found = lint({"confs/bomb.yaml": "\n".join(lines) + "\n"}, "MLF")
    # Bound: 4**39 expanded strings would never finish; the events are checked once.
    assert time.perf_counter() - started < 30
    assert project(found, "code", "span") == [("MLF001", (1, 25, 1, 26))]


def test_deep_yaml_nesting_is_one_diagnostic(lint: Lint) -> None:
    # Bound: 100,000 levels, a parse error at the 1,001st (the root mapping is the first),
    # never a stack overflow.
    source = "uri: models:/bikes@champion\nx: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert project(lint({"confs/deep.yaml": source}, "MLF")) == [
        ("MLF000", (2, 1003, 2, 1003), "YAML nested deeper than 1000 levels")
    ]


def test_yaml_without_uris_is_not_parsed(lint: Lint) -> None:
    assert lint({"confs/broken.yaml": "a: [1, 2\n"}, "MLF") == []


def test_non_string_scalars_and_keys(lint: Lint) -> None:
    source = "models:/bikes/3: key\nx: !!binary bW9kZWxzOi8vYmlrZXMvMw==\ny: 3\n"
    assert project(lint(source, "MLF", path="confs/x.yaml"), "code", "span") == [
        ("MLF001", (1, 15, 1, 16))
    ]
