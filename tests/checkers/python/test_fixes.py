"""MLF003 and MLF004 fixes: only the characters inside the string literal change."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project


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
def test_stage_fix(lint: Lint, source: str, fixed: str) -> None:
    assert lint.fixed(source, "MLF003") == fixed


def test_stage_fix_with_configured_aliases(lint: Lint) -> None:
    options = {"MLF003": {"stage-aliases": {"PRODUCTION": "champion", "Staging": "challenger"}}}
    source = (
        'a = "models:/bikes/Production"\nb = "models:/bikes/staging"\nc = "models:/bikes/None"\n'
    )
    assert lint.fixed(source, "MLF003", options=options) == (
        'a = "models:/bikes@champion"\nb = "models:/bikes@challenger"\nc = "models:/bikes@none"\n'
    )


def test_no_stage_fix_when_the_text_is_not_in_a_literal(lint: Lint) -> None:
    # The stage comes from a constant: the literal that holds it is elsewhere.
    source = 'STAGE = "Production"\nuri = f"models:/bikes/{STAGE}"\n'
    (diagnostic,) = lint(source, "MLF003")
    assert project([diagnostic], "code") == ["MLF003"]
    assert diagnostic.fix is None
    assert lint.fixed(source, "MLF003") == source


def test_stage_fix_in_a_formatting_argument(lint: Lint) -> None:
    # The separator is in the template and the stage in a literal argument: both are edited.
    source = 'uri = "models:/bikes/%s" % "Production"\n'
    assert lint.fixed(source, "MLF003") == 'uri = "models:/bikes@%s" % "production"\n'


def test_stage_fix_needs_unsafe_fixes(lint: Lint) -> None:
    source = 'uri = "models:/bikes/Production"\n'
    assert lint.fixed(source, "MLF003", unsafe_fixes=False) == source


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
def test_alias_separator_fix(lint: Lint, source: str, fixed: str | None) -> None:
    assert project(lint(source, "MLF004"), "code") == ["MLF004"]
    assert lint.fixed(source, "MLF004") == (fixed or source)


def test_alias_separator_fix_needs_a_valid_alias(lint: Lint) -> None:
    source = 'uri = "models:/bikes/1.0"\nother = "models:/bikes/v2"\n'
    assert project(lint(source, "MLF004"), "code") == ["MLF004", "MLF004"]
    assert lint.fixed(source, "MLF004") == source


def test_fixes_keep_crlf_and_bom_and_are_idempotent(lint: Lint) -> None:
    source = (
        "\ufeff# Serving\r\n"
        'URI = "models:/bikes/Production"  # promoted by hand\r\n'
        "ALIAS_URI = 'models:/bikes/champion'\r\n"
    )
    once = lint.fixed(source.encode("utf-8"), "MLF", path="serving.py")
    assert once == (
        "\ufeff# Serving\r\n"
        'URI = "models:/bikes@production"  # promoted by hand\r\n'
        "ALIAS_URI = 'models:/bikes@champion'\r\n"
    ).encode("utf-8")
    assert lint(once, "MLF", path="serving.py", fix=True, unsafe_fixes=True) == []
    assert lint.read() == once
