"""The justfile index: just's own parser, positions recovered from the text, never evaluating."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.project import Project
from mlops_hooks.project.justfile import find_root_justfile
from mlops_hooks.project.justfile.index import justfile_index, load_index
from mlops_hooks.project.justfile.sandbox import find_just
from mlops_hooks.project.justfile.types import Dependency, JustfileIndex
from mlops_hooks.testing import write_project

pytestmark = pytest.mark.skipif(find_just() is None, reason="the rust-just wheel is not installed")


def index_of(root: Path, files: dict[str, str]) -> JustfileIndex:
    write_project(root, files)
    index = load_index(Project(root))
    assert index is not None
    return index


def test_no_justfile_gives_none(tmp_path: Path) -> None:
    write_project(tmp_path, {"tasks/check.just": "check:\n  echo\n"})
    assert justfile_index(Project(tmp_path)) is None


@pytest.mark.parametrize("name", ["justfile", "Justfile", "JUSTFILE", ".justfile"])
def test_root_justfile_any_case(tmp_path: Path, name: str) -> None:
    write_project(tmp_path, {name: "default:\n  @just --list\n"})
    assert find_root_justfile(tmp_path) == tmp_path / name
    index = load_index(Project(tmp_path))
    assert index is not None
    assert index.path == name
    assert index.recipes["default"].path == name


def test_loaded_once_per_project(tmp_path: Path) -> None:
    write_project(tmp_path, {"justfile": "default:\n  @just --list\n"})
    project = Project(tmp_path)
    assert justfile_index(project) is justfile_index(project)


def test_recipes_with_positions_from_imports_of_imports(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        {
            "justfile": "import 'tasks/check.just'\n\n# list\ndefault:\n    @just --list\n",
            "tasks/check.just": (
                "import 'more/extra.just'\n\n# run all checks\n[group('check')]\n"
                "check: check-code (check-test 'x')\n\n"
                "# lint\n[group('check')]\n@check-code:\n\tuv run ruff check src\n"
            ),
            "tasks/more/extra.just": (
                "[group('check')]\n[doc('tests')]\ncheck-test *args:\n  uv run pytest {{args}}\n"
            ),
        },
    )
    assert index.error is None
    code = index.recipes["check-code"]
    assert (code.path, code.line, code.name_span and code.name_span.as_tuple()) == (
        "tasks/check.just",
        9,
        (9, 2, 9, 12),
    )
    assert code.quiet and code.groups == ("check",) and code.doc == "lint"
    assert code.body == "uv run ruff check src"
    check = index.recipes["check"]
    assert check.dependencies == (
        Dependency("check-code", (), False),
        Dependency("check-test", ("x",), False),
    )
    test = index.recipes["check-test"]
    assert (test.path, test.line, test.doc) == ("tasks/more/extra.just", 3, "tests")
    assert test.parameters[0].name == "args" and test.parameters[0].kind == "star"
    assert [i.target for i in index.includes] == ["tasks/check.just", "tasks/more/extra.just"]
    assert index.first == "default"


def test_mod_modules_and_aliases(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        {
            "justfile": (
                "mod docker\nmod ops 'infra/ops.just'\nalias b := build\n\nbuild:\n  echo\n"
            ),
            "docker/mod.just": "alias i := image\n# build the image\nimage:\n  docker build .\n",
            "infra/ops.just": "deploy:\n  echo\n",
        },
    )
    assert index.error is None
    assert index.names == {
        "b",
        "build",
        "docker",
        "docker::image",
        "docker::i",
        "ops",
        "ops::deploy",
    }
    assert index.aliases == {"b": "build", "docker::i": "docker::image"}
    assert index.modules == {"docker": "docker/mod.just", "ops": "infra/ops.just"}
    image = index.recipes["docker::image"]
    assert (image.path, image.line, image.module, image.short_name) == (
        "docker/mod.just",
        3,
        "docker",
        "image",
    )
    resolved = index.resolve("docker::i")
    assert resolved is not None and resolved.name == "docker::image"


def test_optional_import_missing_is_fine(tmp_path: Path) -> None:
    index = index_of(tmp_path, {"justfile": "import? 'local.just'\n\ndefault:\n  @just --list\n"})
    assert index.error is None
    (include,) = index.includes
    assert include.optional and include.missing and include.target is None


def test_private_recipes(tmp_path: Path) -> None:
    index = index_of(tmp_path, {"justfile": "[private]\nhelper:\n  echo\n_other:\n  echo\n"})
    assert index.recipes["helper"].private and index.recipes["_other"].private


def test_missing_import_still_loads_the_rest(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        {
            "justfile": "import 'tasks/gone.just'\nimport 'tasks/here.just'\n",
            "tasks/here.just": "x:\n  echo\n",
        },
    )
    assert index.error is None
    assert set(index.recipes) == {"x"}
    gone = index.includes[0]
    assert gone.missing and not gone.outside and gone.span.as_tuple() == (1, 8, 1, 25)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        {"justfile": "import 'tasks/a.just'\n", "tasks/a.just": "ok:\n  echo\n\nbad := \n"},
    )
    assert index.error is not None
    assert (index.error.path, index.error.line, index.error.column) == ("tasks/a.just", 4, 8)
    assert index.error.message.startswith("expected backtick")
    assert index.recipes == {} and not index.loaded


def test_never_evaluates(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    index = index_of(
        tmp_path,
        {
            "justfile": (
                "set dotenv-load\n"
                f"x := `touch {marker}-backtick`\n"
                f"export y := shell('touch {marker}-shell')\n"
                "\n"
                "default:\n"
                "  #!/usr/bin/env bash\n"
                f"  touch {marker}-shebang\n"
                f"after: (default) && default\n  touch {marker}-recipe\n"
            ),
            ".env": f"Z=`touch {marker}-dotenv`\n",
        },
    )
    assert index.error is None and set(index.recipes) == {"default", "after"}
    assert not list(tmp_path.glob("marker*"))


def test_import_outside_the_root_is_never_read(tmp_path: Path) -> None:
    project = tmp_path / "project"
    secret = tmp_path / "secret.just"
    secret.write_text("leaked:\n  echo\n")
    index = index_of(
        project,
        {
            "justfile": (
                "import '../../../etc/passwd'\nimport '../secret.just'\n"
                f"import '{secret}'\nmod s '../secret.just'\n\ndefault:\n  @just --list\n"
            )
        },
    )
    assert index.error is None
    assert set(index.recipes) == {"default"}
    assert all(i.outside and i.target is None for i in index.includes)
    assert list(index.files) == ["justfile"]


def test_symlink_to_outside_is_never_read(tmp_path: Path) -> None:
    project = tmp_path / "project"
    secret = tmp_path / "secret.just"
    secret.write_text("leaked:\n  echo\n")
    write_project(project, {"justfile": "import 'tasks/link.just'\n"})
    (project / "tasks").mkdir()
    (project / "tasks" / "link.just").symlink_to(secret)
    index = load_index(Project(project))
    assert index is not None and index.error is None
    assert index.recipes == {} and index.includes[0].outside


def test_error_columns_are_code_points_not_bytes(tmp_path: Path) -> None:
    index = index_of(tmp_path, {"justfile": 'x := "ééé" + \n'})
    assert index.error is not None
    assert (index.error.line, index.error.column) == (1, 14)


def test_error_on_a_replaced_statement_points_at_the_statement(tmp_path: Path) -> None:
    # The unterminated string swallows the rest of the file: just stops on the line where the
    # missing import was replaced, whose text just saw is not the file's.
    text = "x := \"never closed\nimport 'tasks/missing-file-with-a-long-name.just'\n"
    index = index_of(tmp_path, {"justfile": text})
    assert index.error is not None
    assert (index.error.path, index.error.line, index.error.column) == ("justfile", 2, 8)


def test_unresolvable_import_paths_are_missing(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"justfile": f"import 'tasks/loop.just'\nimport '{'a' * 300}'\nmod {'b' * 300}\n"},
    )
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "loop.just").symlink_to("loop.just")
    index = load_index(Project(tmp_path))
    assert index is not None and index.error is None
    assert [(i.missing, i.outside) for i in index.includes] == [(True, False)] * 3


def test_a_project_without_a_justfile_never_loads_the_tree_modules(tmp_path: Path) -> None:
    """Every workflow asks for the justfile tree; without a justfile the answer costs no
    import of the sandbox or the dump's reader (a hook process starts on every commit)."""
    import subprocess
    import sys

    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/ci.yml").write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: just check\n"
    )
    code = (
        "import sys; from pathlib import Path; from mlops_hooks.cli import main; "
        "from mlops_hooks.project import Project; "
        "main(['check', '--format', 'concise', '.github/workflows/ci.yml']); "
        "print(Project(Path('.')).justfile, "
        "sorted(m for m in sys.modules if m.startswith('mlops_hooks.project.justfile')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    ).stdout
    assert out.splitlines()[-1] == "None ['mlops_hooks.project.justfile']"
