"""``github``, ``sarif``, ``json``, statistics and diffs on the shared diagnostics: exact output."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_hooks import __version__
from mlops_hooks.diagnostics import Diagnostic, Span
from mlops_hooks.registry import get_registry
from mlops_hooks.reporters import Report, get_renderer, statistics
from mlops_hooks.reporters.diff import unified_diff
from mlops_hooks.reporters.github_format import escape_data, escape_property
from mlops_hooks.reporters.sarif_format import SCHEMA, descriptor
from mlops_hooks.ruledocs import render_markdown
from tests.core.fakekind import FAKE_RULES
from tests.reporters.cases import report
from tests.reporters.sarif_schema import validate_sarif

GITHUB = (
    "::error file=Dockerfile,line=2,col=1,endLine=2,endColumn=9,title=FAK002 risky-word"
    "::source copied before `uv sync`\n"
    "::error file=ci dir%2C v2/release.yml,line=3,endLine=5,title=FAK003 quiet-word"
    "::job `build` has no concurrency: 100%25, of runs%0Arepeat\n"
    "::error file=image.bin,line=1,col=1,endLine=1,title=FAK000 fake-parse-error"
    "::binary file (contains NUL bytes); not checked\n"
    "::notice file=justfile,line=1,col=6,endLine=1,title=FAK003 quiet-word"
    "::recipe `test` has no doc comment\n"
    "::warning file=justfile,line=2,col=2,endLine=2,endColumn=15,title=FAK001 bad-word"
    "::use `just test` arguments\n"
    "::warning file=src/名前.py,line=2,col=34,endLine=2,endColumn=48,title=FAK001 bad-word"
    "::model loaded by version 3; load an alias\n"
)


def test_github() -> None:
    assert get_renderer("github")(report()) == GITHUB
    assert get_renderer("github")(report(diagnostics=[])) == ""


def test_github_escaping_and_paths_relative_to_the_root() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    d = Diagnostic("FAK001", "bad-word", "w.yml", Span.of(2, 1, 4, 1), "m")
    out = get_renderer("github")(Report([d], root="/repo", cwd="/repo/sub"))
    # A span ending at column 1 of line 4 ends on line 3; multi-line spans carry no columns.
    assert out == "::error file=sub/w.yml,line=2,endLine=3,title=FAK001 bad-word::m\n"


def _region(start_line: int, start_col: int, end_line: int, end_col: int) -> dict[str, int]:
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }


def _location(uri: str, region: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": region,
            }
        }
    ]


def _fix(uri: str, text: str, safety: str, region: dict[str, int], new: str) -> dict[str, Any]:
    return {
        "description": {"text": text},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "replacements": [{"deletedRegion": region, "insertedContent": {"text": new}}],
            }
        ],
        "properties": {"safety": safety},
    }


def _rule(rule: Any, full: str, level: str) -> dict[str, Any]:
    page = render_markdown(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": full},
        "help": {"text": page, "markdown": page},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["fake"]},
    }


def test_sarif_document() -> None:
    document = json.loads(get_renderer("sarif")(report(root="/work/repo", cwd="/work/repo")))
    validate_sarif(document)
    parse, bad, risky, quiet = FAKE_RULES
    copy, uri, just = _region(2, 1, 2, 9), _region(2, 34, 2, 48), _region(2, 2, 2, 15)
    assert document == {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlops-hooks",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/mlops-hooks/mlops-hooks",
                        "rules": [
                            _rule(parse, "Reports parse errors.", "error"),
                            _rule(bad, "Flags `bad`.", "warning"),
                            _rule(risky, "Flags `risky`.", "error"),
                            _rule(quiet, "Flags `quiet`.", "error"),
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///work/repo/"}},
                "results": [
                    {
                        "ruleId": "FAK002",
                        "ruleIndex": 2,
                        "level": "error",
                        "message": {"text": "source copied before `uv sync`"},
                        "locations": _location("Dockerfile", copy),
                        "fixes": [
                            _fix(
                                "Dockerfile",
                                "copy the lock file first",
                                "unsafe",
                                copy,
                                "COPY uv.lock pyproject.toml ./\n"
                                "RUN uv sync --no-install-project\nCOPY . .",
                            )
                        ],
                    },
                    {
                        "ruleId": "FAK003",
                        "ruleIndex": 3,
                        "level": "error",
                        "message": {
                            "text": "job `build` has no concurrency: 100%, of runs\nrepeat"
                        },
                        "locations": _location(
                            "ci%20dir%2C%20v2/release.yml", _region(3, 3, 5, 14)
                        ),
                    },
                    {
                        "ruleId": "FAK000",
                        "ruleIndex": 0,
                        "level": "error",
                        "message": {"text": "binary file (contains NUL bytes); not checked"},
                        "locations": _location("image.bin", _region(1, 1, 1, 1)),
                    },
                    {
                        "ruleId": "FAK003",
                        "ruleIndex": 3,
                        "level": "note",
                        "message": {"text": "recipe `test` has no doc comment"},
                        "locations": _location("justfile", _region(1, 6, 1, 6)),
                    },
                    {
                        "ruleId": "FAK001",
                        "ruleIndex": 1,
                        "level": "warning",
                        "message": {"text": "use `just test` arguments"},
                        "locations": _location("justfile", just),
                        "fixes": [
                            _fix(
                                "justfile",
                                "Fix FAK001 (bad-word)",
                                "safe",
                                _region(2, 15, 2, 16),
                                " ",
                            )
                        ],
                    },
                    {
                        "ruleId": "FAK001",
                        "ruleIndex": 1,
                        "level": "warning",
                        "message": {"text": "model loaded by version 3; load an alias"},
                        "locations": _location("src/%E5%90%8D%E5%89%8D.py", uri),
                        "fixes": [
                            _fix(
                                "src/%E5%90%8D%E5%89%8D.py",
                                "load `@champion`",
                                "safe",
                                uri,
                                '"models:/模型@champion"',
                            )
                        ],
                    },
                ],
            }
        ],
    }


def test_sarif_paths_outside_the_root_and_rules_not_in_the_run() -> None:
    inside = Diagnostic("EXT001", "external-rule", "a b.txt", Span.of(1, 1, 1, 2), "m")
    outside = Diagnostic("FAK001", "bad-word", "/elsewhere/x,y.fake", Span.of(1, 1, 1, 2), "m")
    out = get_renderer("sarif")(Report([inside, outside], root="/repo", cwd="/repo/sub dir"))
    document = json.loads(out)
    validate_sarif(document)
    run = document["runs"][0]
    assert run["tool"]["driver"]["rules"] == [
        {"id": "EXT001", "name": "external-rule"},
        {"id": "FAK001", "name": "bad-word"},
    ]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations == [
        {"uri": "sub%20dir/a%20b.txt", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///elsewhere/x%2Cy.fake"},
    ]
    assert [r["ruleIndex"] for r in run["results"]] == [0, 1]


def test_sarif_describes_every_builtin_rule_validly() -> None:
    rules = get_registry().rules
    document = json.loads(get_renderer("sarif")(Report([], rules=rules)))
    validate_sarif(document)
    descriptors = document["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == [r.code for r in rules]
    for rule, described in zip(rules, descriptors, strict=True):
        assert described == descriptor(rule)
        assert described["help"]["markdown"] == render_markdown(rule)
        assert described["helpUri"] == (
            "https://github.com/mlops-hooks/mlops-hooks/blob/main/docs/rules/"
            f"{rule.code}-{rule.name}.md"
        )
    assert document["runs"][0]["results"] == []


def test_json_contract_on_the_shared_set() -> None:
    document = json.loads(get_renderer("json")(report()))
    assert document["version"] == 1
    assert [(d["path"], d["code"]) for d in document["diagnostics"]] == [
        ("Dockerfile", "FAK002"),
        ("ci dir, v2/release.yml", "FAK003"),
        ("image.bin", "FAK000"),
        ("justfile", "FAK003"),
        ("justfile", "FAK001"),
        ("src/名前.py", "FAK001"),
    ]
    assert document["diagnostics"][5] == {
        "code": "FAK001",
        "name": "bad-word",
        "severity": "warning",
        "path": "src/名前.py",
        "start": {"line": 2, "column": 34},
        "end": {"line": 2, "column": 48},
        "message": "model loaded by version 3; load an alias",
        "fix": {
            "safety": "safe",
            "message": "load `@champion`",
            "edits": [
                {
                    "start": {"line": 2, "column": 34},
                    "end": {"line": 2, "column": 48},
                    "content": '"models:/模型@champion"',
                }
            ],
        },
    }


def test_statistics_text_and_json() -> None:
    assert statistics.render(report(), "text") == (
        "2  FAK001  bad-word          2 fixable\n"
        "2  FAK003  quiet-word\n"
        "1  FAK000  fake-parse-error\n"
        "1  FAK002  risky-word        1 unsafe fix\n"
        "Found 6 findings in 5 files (6 checked); 2 fixable with --fix, "
        "1 more with --fix --unsafe-fixes.\n"
    )
    document = json.loads(statistics.render(report(), "json"))
    assert document == {
        "version": 1,
        "statistics": [
            {
                "code": "FAK001",
                "name": "bad-word",
                "severity": "warning",
                "count": 2,
                "fixable": 2,
                "unsafe_fixable": 0,
            },
            {
                "code": "FAK003",
                "name": "quiet-word",
                "severity": "error",
                "count": 2,
                "fixable": 0,
                "unsafe_fixable": 0,
            },
            {
                "code": "FAK000",
                "name": "fake-parse-error",
                "severity": "error",
                "count": 1,
                "fixable": 0,
                "unsafe_fixable": 0,
            },
            {
                "code": "FAK002",
                "name": "risky-word",
                "severity": "error",
                "count": 1,
                "fixable": 0,
                "unsafe_fixable": 1,
            },
        ],
    }
    assert statistics.render(report(diagnostics=[]), "text") == (
        "All checks passed (6 files checked).\n"
    )


@pytest.mark.parametrize(
    ("original", "fixed", "expected"),
    [
        (
            "a\nbad\nc\n",
            "a\ngood\nc\n",
            "--- a/dir with space/f.fake\n+++ b/dir with space/f.fake\n@@ -1,3 +1,3 @@\n"
            " a\n-bad\n+good\n c\n",
        ),
        (
            "x\r\nbad\r\n",
            "x\r\ngood\r\n",
            "--- a/dir with space/f.fake\n+++ b/dir with space/f.fake\n@@ -1,2 +1,2 @@\n"
            " x\r\n-bad\r\n+good\r\n",
        ),
        (
            "bad",
            "good",
            "--- a/dir with space/f.fake\n+++ b/dir with space/f.fake\n@@ -1 +1 @@\n"
            "-bad\n\\ No newline at end of file\n+good\n\\ No newline at end of file\n",
        ),
        ("same\n", "same\n", ""),
    ],
    ids=["lf", "crlf", "no-final-newline", "unchanged"],
)
def test_unified_diff(original: str, fixed: str, expected: str) -> None:
    assert unified_diff("dir with space/f.fake", original, fixed) == expected


def test_unified_diff_colour() -> None:
    out = unified_diff("f", "bad\n", "good\n", color=True)
    assert out == (
        "\x1b[1m--- a/f\x1b[0m\n\x1b[1m+++ b/f\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n"
        "\x1b[31m-bad\x1b[0m\n\x1b[32m+good\x1b[0m\n"
    )
