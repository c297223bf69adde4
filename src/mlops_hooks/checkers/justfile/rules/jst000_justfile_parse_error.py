"""JST000: just cannot parse the justfile."""

from __future__ import annotations

from mlops_hooks.checkers.justfile.base import JustfileRule
from mlops_hooks.rule import Bad, Good


class JustfileParseError(JustfileRule):
    """just cannot parse the justfile.

    ## What it does
    Reports the error that just's own parser gives for the justfile tree (a syntax error, an
    unknown dependency, a missing or ambiguous module file), on the file and line that just
    names; the root justfile also gets one at the `import` or `mod` that leads to the broken
    file. Also reports a justfile that is not text (binary, invalid UTF-8) and a missing
    `just` binary (install the `rust-just` package).

    The tree is parsed with `just --dump --dump-format json`, which never evaluates
    backticks, `shell()` calls or recipes. It also reports, without
    running just, an `import` or `mod` line in a form mlops-hooks cannot verify (continued
    with `\\` on the next line, an `x'...'` path, attributes on the same line, inside a
    multi-line string): just must never open a path that was not checked (see
    [Security](../security.md)).

    ## Why is this bad?
    Every `just` command fails on it, in CI too, and no other rule can check the recipes.
    """

    code = "JST000"
    name = "justfile-parse-error"
    parse_error = True
    examples = (
        Good("# run the tests\ntest:\n    uv run pytest\n"),
        Bad(
            "# run the tests\ntest:\n    uv run pytest\ncheck: test lint\n",
            span=(4, 13, 4, 13),
            message="just cannot parse the justfile: recipe `check` has unknown dependency `lint`",
        ),
        Bad(
            "import 'tasks/ok.just'\n",
            files={"tasks/ok.just": "broken := \n"},
            span=(1, 8, 1, 8),
            message="just cannot parse tasks/ok.just (line 1): expected backtick, '!', '[',"
            " identifier, '(', '/', or string, but found end of line",
            spans=((1, 11, 1, 11),),
        ),
        Bad(
            "import \\\n  'tasks/ok.just'\n",
            span=(1, 1, 1, 1),
            message="just cannot parse the justfile: not given to just: an `import` or `mod` in"
            " a form mlops-hooks cannot verify (continued on the next line, an x-string path,"
            " attributes on its line, or inside a multi-line string); write it as"
            " `import 'path'` on one line",
        ),
        Bad(
            "default:\n    echo\x00",
            span=(2, 1, 2, 1),
            message="binary file (contains NUL bytes); not checked",
        ),
    )
