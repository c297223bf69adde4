"""MLF003 and MLF004 fixes: only the characters inside the string literal change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_hooks.testing import run_rules, write_project
from tests.checkers.python.conftest import Lint

Fix = Callable[..., str]


@pytest.mark.parametrize(
    ("source", "fixed"),
    [
        # Quotes, prefixes and triple quotes are kept.
        ('uri = "models:/bikes/Production"\n', 'uri = "models:/bikes@production"\n'),
        ("uri = u'models:/bikes/STAGING'\n", "uri = u'models:/bikes@staging'\n"),
        ('uri = R"""models:/bikes/Archived"""\n', 'uri = R"""models:/bikes@archived"""\n'),
        # f-strings: literal parts change, placeholders stay.
        ('uri = f"models:/{name}/Production"\n', 'uri = f"models:/{name}@production"\n'),
        ('uri = rf"models:/{name}/Staging"\n', 'uri = rf"models:/{name}@staging"\n'),
        # Implicit concatenation: one edit per literal.
        (
            'uri = ("models:/bikes/"\n       "Production")\n',
            'uri = ("models:/bikes@"\n       "production")\n',
        ),
        # Escapes elsewhere in the literal are kept.
        ('uri = "models:/bik\\x65s/Production"\n', 'uri = "models:/bik\\x65s@production"\n'),
        # Templates: the literal template is edited.
        ('uri = "models:/%s/Production" % name\n', 'uri = "models:/%s@production" % name\n'),
        (
            'uri = "models:/{}/Production".format(name)\n',
            'uri = "models:/{}@production".format(name)\n',
        ),
        # Several URIs in one value.
        (
            'cmd = "diff models:/a/Production models:/b/Staging"\n',
            'cmd = "diff models:/a@production models:/b@staging"\n',
        ),
    ],
)
def test_stage_fix(fix: Fix, source: str, fixed: str) -> None:
    assert fix(source, "MLF003") == fixed


def test_stage_fix_with_configured_aliases(fix: Fix) -> None:
    options = {"MLF003": {"stage-aliases": {"PRODUCTION": "champion", "Staging": "challenger"}}}
    source = (
        'a = "models:/bikes/Production"\nb = "models:/bikes/staging"\nc = "models:/bikes/None"\n'
    )
    assert fix(source, "MLF003", options=options) == (
        'a = "models:/bikes@champion"\nb = "models:/bikes@challenger"\nc = "models:/bikes@none"\n'
    )


def test_no_stage_fix_when_the_text_is_not_in_a_literal(
    lint: Lint, fix: Fix, tmp_path: Path
) -> None:
    # The stage comes from a constant: the literal that holds it is elsewhere.
    source = 'STAGE = "Production"\nuri = f"models:/bikes/{STAGE}"\n'
    assert [c for c, _, _ in lint(source, "MLF003")] == ["MLF003"]
    write_project(tmp_path, {"src/bikes/serving.py": source})
    (diagnostic,) = run_rules(tmp_path, ["MLF003"], paths=["src/bikes/serving.py"])
    assert diagnostic.fix is None
    assert fix(source, "MLF003") == source


def test_stage_fix_in_a_formatting_argument(fix: Fix) -> None:
    # The separator is in the template and the stage in a literal argument: both are edited.
    source = 'uri = "models:/bikes/%s" % "Production"\n'
    assert fix(source, "MLF003") == 'uri = "models:/bikes@%s" % "production"\n'


def test_stage_fix_needs_unsafe_fixes(tmp_path: Path) -> None:
    source = 'uri = "models:/bikes/Production"\n'
    write_project(tmp_path, {"src/bikes/serving.py": source})
    run_rules(tmp_path, ["MLF003"], fix=True, unsafe_fixes=False)
    assert (tmp_path / "src/bikes/serving.py").read_text() == source


@pytest.mark.parametrize(
    ("source", "fixed"),
    [
        ('uri = "models:/bikes/champion"\n', 'uri = "models:/bikes@champion"\n'),
        ("uri = f'models:/{name}/challenger'\n", "uri = f'models:/{name}@challenger'\n"),
        ('uri = "models:/" + name + "/champion"\n', 'uri = "models:/" + name + "@champion"\n'),
        (
            'uri = "models:/{}/{}".format(name, "champion")\n',
            'uri = "models:/{}@{}".format(name, "champion")\n',
        ),
    ],
)
def test_alias_separator_fix(fix: Fix, lint: Lint, source: str, fixed: str | None) -> None:
    assert [c for c, _, _ in lint(source, "MLF004")] == ["MLF004"]
    assert fix(source, "MLF004") == (fixed or source)


def test_alias_separator_fix_needs_a_valid_alias(fix: Fix, lint: Lint) -> None:
    source = 'uri = "models:/bikes/1.0"\nother = "models:/bikes/v2"\n'
    assert [c for c, _, _ in lint(source, "MLF004")] == ["MLF004", "MLF004"]
    assert fix(source, "MLF004") == source


def test_fixes_keep_crlf_and_bom_and_are_idempotent(tmp_path: Path) -> None:
    source = (
        "\ufeff# Serving\r\n"
        'URI = "models:/bikes/Production"  # promoted by hand\r\n'
        "ALIAS_URI = 'models:/bikes/champion'\r\n"
    )
    write_project(tmp_path, {})
    path = tmp_path / "serving.py"
    path.write_bytes(source.encode("utf-8"))
    run_rules(tmp_path, ["MLF"], fix=True, unsafe_fixes=True)
    once = path.read_bytes()
    assert once == (
        "\ufeff# Serving\r\n"
        'URI = "models:/bikes@production"  # promoted by hand\r\n'
        "ALIAS_URI = 'models:/bikes@champion'\r\n"
    ).encode("utf-8")
    assert run_rules(tmp_path, ["MLF"], fix=True, unsafe_fixes=True) == []
    assert path.read_bytes() == once
