"""GHA000: the workflow cannot be read or parsed."""

from __future__ import annotations

from mlops_hooks.checkers.workflow.base import WorkflowRule
from mlops_hooks.rule import Bad, Good


class WorkflowParseError(WorkflowRule):
    """The workflow is not valid YAML or not a mapping.

    ## What it does
    Reports a workflow (or local action) that is not a single valid YAML document whose root
    is a mapping: a syntax error, a duplicate key (reported at the second one), an undefined
    alias, nesting deeper than 1000 levels, an empty file, a list or a string at the root.
    Also a file that is not text (binary, invalid UTF-8, larger than `max-file-size`). One
    finding per file, at the line and column of the problem; the other files are still
    checked.

    ## Why is this bad?
    GitHub rejects the workflow when it is pushed ("Invalid workflow file"), so the checks it
    should run do not run; and no other rule can check it.
    """

    code = "GHA000"
    name = "workflow-parse-error"
    parse_error = True
    examples = (
        Good("on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n"),
        Bad(
            "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    runs-on: ubuntu-24.04\n",
            span=(5, 5, 5, 5),
            message="duplicate key 'runs-on' (first on line 4): GitHub rejects the file",
        ),
        Bad(
            "on: push\njobs:\n  check:\n    runs-on: 'ubuntu-latest\n",
            span=(5, 1, 5, 1),
            message="invalid YAML: found unexpected end of stream"
            " (while scanning a quoted scalar started on line 4)",
        ),
        Bad(
            "- on: push\n",
            span=(1, 1, 1, 1),
            message="a workflow must be a YAML mapping, found a list",
        ),
        Bad(
            "# nothing yet\n",
            span=(1, 1, 1, 1),
            message="empty workflow: the file has no YAML content",
        ),
    )
