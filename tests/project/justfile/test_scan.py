"""The line scanner that recovers positions just's dump does not give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlops_hooks.project import Project
from mlops_hooks.project.justfile.index import load_index
from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.project.justfile.scan import body_text, open_after, recipe_colon, scan, unquote
from mlops_hooks.source import SourceFile
from mlops_hooks.testing import write_project

TRICKY = (
    "#!/usr/bin/env -S just --justfile\n"  # 1
    "set positional-arguments\n"  # 2
    "set shell := [\n"  # 3
    '  "bash", "-c",\n'  # 4
    "]\n"  # 5
    'export FOO := "a:b"\n'  # 6
    "x := '''\n"  # 7
    "fake: recipe\n"  # 8
    "'''\n"  # 9
    'y := if "a" == "b" {\n'  # 10
    '  "c"\n'  # 11
    "} else {\n"  # 12
    '  "d"\n'  # 13
    "}\n"  # 14
    "alias t := test\n"  # 15
    "\n"  # 16
    "# note: a comment with a colon\n"  # 17
    "serve addr=\"0.0.0.0:80\" $ENV='dev': # trailing: comment\n"  # 18
    "    echo {{addr}}\n"  # 19
    "\n"  # 20
    "    echo again\n"  # 21
    "\n"  # 22
    "[group: 'x']\n"  # 23
    'test *args: serve && (serve "1:2")\n'  # 24
    "    # indented comment\n"  # 25
    "    echo\n"  # 26
    "\n"  # 27
    "set-up:\n"  # 28
    "  echo\n"  # 29
    "mod? nothing\n"  # 30
    "import? 'nothing.just' # optional\n"  # 31
)


def test_tricky_headers_statements_and_aliases() -> None:
    found = scan(SourceFile("justfile", TRICKY))
    assert [(h.name, h.line, h.block_first, h.body_first, h.body_last) for h in found.headers] == [
        ("serve", 18, 17, 19, 21),
        ("test", 24, 23, 25, 26),
        ("set-up", 28, 28, 29, 29),
    ]
    assert [(a.name, a.target, a.name_span.as_tuple()) for a in found.aliases] == [
        ("t", "test", (15, 7, 15, 8))
    ]
    assert [
        (s.keyword, s.optional, s.name, s.literal, s.span.as_tuple()) for s in found.statements
    ] == [
        ("mod", True, "nothing", None, (30, 6, 30, 13)),
        ("import", True, None, "nothing.just", (31, 9, 31, 23)),
    ]


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_tricky_file_agrees_with_just(tmp_path: Path) -> None:
    write_project(tmp_path, {"justfile": TRICKY})
    index = load_index(Project(tmp_path))
    assert index is not None and index.error is None
    assert {name: r.line for name, r in index.recipes.items()} == {
        "serve": 18,
        "test": 24,
        "set-up": 28,
    }
    assert index.recipes["serve"].body == "echo {{addr}}\n\necho again"
    assert index.recipes["test"].groups == ("x",)


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_every_recipe_of_the_mlops_package_is_located(tmp_path: Path) -> None:
    shutil.copytree(
        Path(__file__).parents[2] / "checkers" / "justfile" / "fixtures" / "mlops_package",
        tmp_path / "p",
    )
    write_project(tmp_path / "p", {})
    index = load_index(Project(tmp_path / "p"))
    assert index is not None and index.error is None
    assert len(index.recipes) == 38
    assert all(r.path and r.line > 0 and r.name_span for r in index.recipes.values())
    venv = index.recipes["clean-venv"]
    assert (venv.path, venv.line, any(a.name == "confirm" for a in venv.attributes)) == (
        "tasks/clean.just",
        24,
        True,
    )
    serve = index.recipes["mlflow-serve"]
    assert serve.shebang and serve.body.startswith("#!/usr/bin/env bash\nset -euo pipefail")
    project = index.recipes["project"]
    assert [d.arguments for d in project.dependencies] == [
        ("tuning",),
        ("training",),
        ("promotion",),
        ("inference",),
    ]


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("'tasks/a.just'", "tasks/a.just"),
        ('"tasks/\\tb.just"', "tasks/\tb.just"),
        ("'''x.just'''", "x.just"),
        ('"a\\\\b"', "a\\b"),
        ("'raw\\n'", "raw\\n"),
    ],
)
def test_unquote(literal: str, value: str) -> None:
    assert unquote(literal) == value


@pytest.mark.parametrize(
    ("line", "index"),
    [
        ("build:", 5),
        ("build a='x:y': dep", 13),
        ("x := 1", -1),
        ("build # no: colon", -1),
        ("run (arg)='(':", 13),
        ('run a="\\":":', 11),
        ("broken 'unterminated", -1),
    ],
)
def test_recipe_colon(line: str, index: int) -> None:
    assert recipe_colon(line, 0) == index


def test_body_text_keeps_relative_indentation() -> None:
    source = SourceFile("j", "build:\n    if true; then\n      echo\n    fi\nnext:\n")
    (header, _) = scan(source).headers
    assert body_text(source, header) == "if true; then\n  echo\nfi"


@pytest.mark.parametrize(
    ("line", "before", "after"),
    [
        ("x := \"'''\"", None, None),
        ("x := '''", None, "'''"),
        ('x := """a \\""" b', None, '"""'),
        ("x := 'a' # don't '''", None, None),
        ("x := ```", None, "```"),
        ("still inside", "'''", "'''"),
        ("end ''' + '''again", "'''", "'''"),
        ("end ''' # '''", "'''", None),
        ('end \\""" """', '"""', None),
        ("x := 'never closed", None, None),
    ],
)
def test_open_after_skips_whole_strings(line: str, before: str | None, after: str | None) -> None:
    assert open_after(line, before) == after


def test_a_quote_inside_a_one_line_string_does_not_hide_the_next_import() -> None:
    found = scan(SourceFile("justfile", "x := \"'''\"\nimport 'a.just'\n"))
    assert [(s.keyword, s.line) for s in found.statements] == [("import", 2)]


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_recipes_and_variables_named_like_keywords_are_parsed(tmp_path: Path) -> None:
    write_project(tmp_path, {"justfile": "import := 'x'\n\nmod:\n    echo\n"})
    index = load_index(Project(tmp_path))
    assert index is not None and index.error is None
    assert set(index.recipes) == {"mod"}


@pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")
def test_a_quote_in_an_imported_file_name_is_refused(tmp_path: Path) -> None:
    write_project(tmp_path, {"justfile": 'import "it\'s.just"\n', "it's.just": "a:\n  true\n"})
    index = load_index(Project(tmp_path))
    assert index is not None and index.error is not None
    assert index.error.message.startswith('cannot hand the path of "it\'s.just" to just safely')
    assert (index.error.path, index.error.line, index.error.column) == ("justfile", 1, 8)
