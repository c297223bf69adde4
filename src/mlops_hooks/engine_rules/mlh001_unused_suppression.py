"""MLH001: a suppression comment that suppresses nothing, or names no rule."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, ClassVar

from mlops_hooks.diagnostics import Diagnostic, Edit, Fix, FixSafety, Position, Severity, Span
from mlops_hooks.rule import Bad, Good, Rule

if TYPE_CHECKING:
    from mlops_hooks.source import SourceFile
    from mlops_hooks.suppressions import Directive, Suppressions


class UnusedSuppression(Rule):
    """A suppression comment suppresses nothing, or names no rule.

    ## What it does
    Flags the codes of a `# mlops-hooks: ignore[...]` or `ignore-file[...]` comment that
    suppress no finding: the rule ran and found nothing there, the code is of a rule that never
    checks this kind of file, or the text names no rule at all (a typo). Codes of rules that
    are not selected in the run, or that `per-file-ignores` turns off for the file, are left
    alone: the run cannot tell whether they would suppress something. A file that cannot be
    parsed is not checked for unused suppressions.

    ## Why is this bad?
    A suppression outlives its finding: after the code is fixed it stays, silently hiding the
    next, real finding on that line. A typo in a code (`DKR010` for `DKR001`) suppresses
    nothing while looking as if it did.

    ## Fix safety
    The fix removes the unused codes from the comment, or the whole comment when none of its
    codes is used. Removing a comment never changes what a file does, so the fix is safe.
    (In Python, `# mlops-hooks: ...` inside a string is text, not a comment: it is not a
    suppression, so it is neither used nor reported.)

    ## Known problems
    A directive on a line inside a YAML block scalar or a Dockerfile heredoc is text of that
    scalar or heredoc (a comment of the script it holds, for `run: |` steps and `RUN <<EOF`):
    the fix removes that line from the text.
    """

    code: ClassVar[str] = "MLH001"
    name: ClassVar[str] = "unused-suppression"
    kind: ClassVar[str] = "engine"
    severity: ClassVar[Severity] = Severity.ERROR
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE
    examples = (
        Good(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
            "# mlops-hooks: ignore[DKR001] the dev image copies everything on purpose\n"
            "COPY . .\n",
            path="Dockerfile",
        ),
        Bad(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
            "# mlops-hooks: ignore[GHA001] copied from a workflow\n"
            "COPY uv.lock pyproject.toml ./\n",
            span=(2, 1, 2, 30),
            message="unused suppression: `GHA001` (missing-concurrency) never applies to a "
            "dockerfile file",
            fixed="FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
            "COPY uv.lock pyproject.toml ./\n",
            path="Dockerfile",
        ),
        Bad(
            "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
            "COPY . .  \n"
            "RUN uv sync --locked  # mlops-hooks: ignore[DKR005,uv-cahce-in-layer]\n",
            span=(3, 23, 3, 70),
            message="unused suppression: `uv-cahce-in-layer` is not a rule code or name",
            fixed="FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
            "COPY . .  \n"
            "RUN uv sync --locked  # mlops-hooks: ignore[DKR005]\n",
            path="Dockerfile",
        ),
    )


def unused_suppressions(
    suppressions: Suppressions,
    source: SourceFile,
    judged: Callable[[str], bool],
    applies: Collection[str],
    describe: Callable[[str], str],
    kind: str,
) -> list[Diagnostic]:
    """One ``MLH001`` finding per directive with codes that suppressed nothing.

    ``judged(code)``: whether the run can tell (the rule is selected and not turned off for
    the file); ``applies``: the codes of the rules that check this kind of file;
    ``describe(code)``: ``"`CODE` (name)"``.
    """
    found: list[Diagnostic] = []
    for directive in suppressions.directives:
        reasons = []
        unused: set[int] = set()
        for index, token in enumerate(directive.tokens):
            if index in directive.used or token.code == UnusedSuppression.code:
                continue
            if token.code is None:
                reasons.append(f"`{token.text}` is not a rule code or name")
            elif token.code not in applies:
                reasons.append(f"{describe(token.code)} never applies to a {kind} file")
            elif judged(token.code):
                where = "in this file" if directive.file_level else "here"
                reasons.append(f"{describe(token.code)} suppresses nothing {where}")
            else:
                continue
            unused.add(index)
        if not unused:
            continue
        found.append(
            Diagnostic(
                UnusedSuppression.code,
                UnusedSuppression.name,
                source.path,
                Span.of(directive.line, directive.start + 1, directive.line, directive.end + 1),
                "unused suppression: " + "; ".join(reasons),
                UnusedSuppression.severity,
                _removal(directive, unused, source),
            )
        )
    return found


def _removal(directive: Directive, unused: set[int], source: SourceFile) -> Fix:
    """Remove the unused codes, or the whole comment when no code is left."""
    line = directive.line
    kept = [t.text for i, t in enumerate(directive.tokens) if i not in unused]
    if kept:
        first, last = directive.tokens[0], directive.tokens[-1]
        return Fix.safe(
            Edit(Span.of(line, first.start + 1, line, last.end + 1), ",".join(kept)),
            message="remove the unused codes",
        )
    text = source.line(line)
    if directive.own_line:
        # The comment is the whole line: remove the line with its line ending.
        end = Position(line + 1, 1) if line < source.line_count else Position(line, len(text) + 1)
        start = Position(line, 1)
        if line == source.line_count and line > 1:
            start = Position(line - 1, len(source.line(line - 1)) + 1)
        return Fix.safe(Edit(Span(start, end), ""), message="remove the suppression")
    # At the end of a line: remove the comment (and its reason) and the blanks before it.
    before = len(text[: directive.start].rstrip())
    return Fix.safe(
        Edit(Span.of(line, before + 1, line, len(text) + 1), ""),
        message="remove the suppression",
    )
