"""The shared URI parser and the literal decoder, without files."""

from __future__ import annotations

import pytest

from mlops_hooks.checkers.python.literals import decode_body, split_literal
from mlops_hooks.checkers.python.uri import Piece, UriForm, alias_problem, find_uris
from mlops_hooks.diagnostics import Span
from mlops_hooks.source import SourceFile


class Absolute:
    """Pieces anchored at offsets into one line of text."""

    def __init__(self, text: str) -> None:
        self.source = SourceFile("x", text)

    def base(self, anchor: object) -> int:
        return 0

    def extent(self, anchor: object) -> tuple[int, int]:
        assert isinstance(anchor, tuple)
        return anchor

    def span(self, start: int, end: int) -> Span:
        return self.source.span(start, end)


def literal(text: str, at: int = 0) -> Piece:
    return Piece(text, text, None, tuple(range(at, at + len(text) + 1)))


@pytest.mark.parametrize(
    ("text", "form", "name", "suffix"),
    [
        ("models:/bikes/3", UriForm.VERSION, "bikes", "3"),
        ("models:/bikes/latest", UriForm.LATEST, "bikes", "latest"),
        ("models:/bikes/Production", UriForm.STAGE, "bikes", "Production"),
        ("models:/bikes/none", UriForm.STAGE, "bikes", "none"),
        ("models:/bikes/champion", UriForm.WORD, "bikes", "champion"),
        ("models:/bikes@champion", UriForm.ALIAS, "bikes", "champion"),
        ("models:/a@b@c", UriForm.ALIAS, "a@b", "c"),
        ("models:/m-0123abcd", UriForm.MODEL_ID, "m-0123abcd", None),
        ("models:/bikes/{version}", UriForm.DYNAMIC, "bikes", "{version}"),
        ("models:/bikes/${VERSION}", UriForm.DYNAMIC, "bikes", "${VERSION}"),
        ("models:/bikes@{alias}", UriForm.DYNAMIC_ALIAS, "bikes", "{alias}"),
        ("see models:/bikes/3.", UriForm.VERSION, "bikes", "3"),
        ("'models:/bikes/3'", UriForm.VERSION, "bikes", "3"),
        ("models:/bikes/3?x=1", UriForm.VERSION, "bikes", "3"),
    ],
)
def test_forms(text: str, form: UriForm, name: str, suffix: str | None) -> None:
    (uri,) = find_uris([literal(text)], Absolute(text))
    assert uri.form is form
    assert uri.name.display == name
    assert (uri.suffix.display if uri.suffix else None) == suffix


@pytest.mark.parametrize(
    "text",
    [
        "models:/<name>/<version>",
        "models:/bikes@<alias>",
        "models:/",
        "models://bikes/3",
        "models:/bikes/",
        "models:/bikes/3/model",
        "models:/@alias",
        "models:/ /3",
        "mymodels:/bikes/3",
        "runs:/abc/model",
    ],
)
def test_not_registry_uris(text: str) -> None:
    assert find_uris([literal(text)], Absolute(text)) == []


def test_holes_and_spans() -> None:
    text = 'f"models:/{name}/3"'
    pieces = [
        literal("models:/", 2),
        Piece(None, "{name}", (10, 16)),
        literal("/3", 16),
    ]
    (uri,) = find_uris(pieces, Absolute(text))
    assert uri.display == "models:/{name}/3"
    assert uri.name.text is None
    assert uri.name.span == Span.of(1, 11, 1, 17)
    assert uri.suffix is not None and uri.suffix.span == Span.of(1, 18, 1, 19)
    assert uri.reference is not None and uri.reference.editable
    assert uri.with_alias("champion") == "models:/{name}@champion"


def test_parts_split_over_pieces_are_located_but_not_editable() -> None:
    text = '"models:/bi" "kes/3"'
    (uri,) = find_uris([literal("models:/bi", 1), literal("kes/3", 14)], Absolute(text))
    assert uri.name.text == "bikes"
    assert uri.name.span == Span.of(1, 10, 1, 18)
    assert not uri.name.editable
    assert uri.by_alias_edits("x") is not None  # "/3" is in one literal


def test_a_uri_constant_is_reported_where_it_is_defined() -> None:
    text = "f'{URI}'"
    constant = Piece("models:/bikes/3", "models:/bikes/3", (3, 6), None, "URI")
    assert find_uris([constant], Absolute(text)) == []
    # "?" ends the URI: it lies entirely in the constant.
    assert find_uris([constant, literal("?x=1", 6)], Absolute(text + "?x=1")) == []
    # Built from the constant and more text: a URI of its own.
    prefix = Piece("models:/", "models:/", (3, 9), None, "PREFIX")
    (uri,) = find_uris([prefix, literal("bikes/3", 9)], Absolute("f'{PREFIX}bikes/3'"))
    assert uri.form is UriForm.VERSION


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        ("champion", None),
        ("challenger-2", None),
        ("prod_v2", None),
        ("été", None),  # \w is Unicode-aware in MLflow's own regex
        ("", "is empty"),
        ("prod.2", "may only contain letters, digits, '_' and '-'"),
        ("a b", "may only contain letters, digits, '_' and '-'"),
        ("x" * 256, "is 256 characters long (at most 255)"),
        ("x" * 255, None),
        ("LaTeSt", "is reserved: 'latest' (any case) means the newest version"),
        ("v3", "is reserved: v<number> refers to a model version"),
        ("V12", "is reserved: v<number> refers to a model version"),
        ("v3a", None),
    ],
)
def test_alias_problem(alias: str, problem: str | None) -> None:
    assert alias_problem(alias) == problem


@pytest.mark.parametrize(
    ("code", "parts"),
    [
        ('"abc"', ("", '"', "abc")),
        ("rb'''x'''", ("rb", "'''", "x")),
        ('f""', ("f", '"', "")),
        ("'unterminated", None),
    ],
)
def test_split_literal(code: str, parts: tuple[str, str, str] | None) -> None:
    assert split_literal(code) == parts


@pytest.mark.parametrize(
    ("body", "raw", "fstring", "value", "offsets"),
    [
        ("ab", False, False, "ab", (0, 1, 2)),
        ("a\\nb", False, False, "a\nb", (0, 1, 3, 4)),
        ("a\\nb", True, False, "a\\nb", (0, 1, 2, 3, 4)),
        ("\\x41\\u00e9\\N{BULLET}", False, False, "Aé•", (0, 4, 10, 20)),
        ("\\101\\0", False, False, "A\x00", (0, 4, 6)),
        ("a\\\nb", False, False, "ab", (0, 3, 4)),
        ("\\d", False, False, "\\d", (0, 1, 2)),
        ("{{x}}", False, True, "{x}", (0, 2, 3, 5)),
        ("{{x}}", False, False, "{{x}}", (0, 1, 2, 3, 4, 5)),
    ],
)
def test_decode_body(
    body: str, raw: bool, fstring: bool, value: str, offsets: tuple[int, ...]
) -> None:
    assert decode_body(body, raw=raw, fstring=fstring) == (value, offsets)


@pytest.mark.parametrize("body", ["\\x4", "\\N{NO SUCH NAME}", "\\U00110000", "\\u12"])
def test_decode_rejects_what_python_rejects(body: str) -> None:
    assert decode_body(body, raw=False, fstring=False) is None
