"""Re-run the field corpus and tally the findings against the adjudications.

The corpus is a set of public repositories (listed with their snapshot commits in
``corpus.json``) extracted, one directory each, under a corpus directory that is never part
of this repository. ``adjudications.json`` holds one verdict per finding of the first run
(true / false / debatable, with the reason) and the hazards the rules missed. This script
runs ``mlops-hooks check`` from the root of every corpus project (so its project facts are
found), matches each finding to its verdict, and prints the per-rule precision table that
docs/field-trial.md quotes, plus what changed since the adjudicated run:

    uv run python benchmarks/field/run.py --corpus /path/to/corpus [--diff] [--markdown]

``--set heldout2`` tallies the second held-out set instead (``heldout2/corpus.json`` and
``heldout2/adjudications.json``: repositories first run after the corpus's fixes, never
tuned against before that run), its snapshots extracted under the ``--corpus`` directory;
``--set heldout3`` the third (first run on main at ``c6baad7``, after the second's fixes);
``--set heldout4`` the fourth (first run after the third's fixes, see docs/field-trial.md);
``--set heldout5`` the fifth (first run on main at ``7accf20``, after the fourth's fixes);
``--set heldout6`` the sixth (first run on main at ``48b6783``, after the fifth's first fix).

``--diff`` also runs ``--fix --diff`` and ``--fix --unsafe-fixes --diff`` on every project and
checks, by hashing every file before and after, that diff mode wrote nothing.
Nothing from a corpus project is executed: mlops-hooks only reads it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: The sets of repositories this runner can tally: name -> directory of its two JSON files.
SETS = {
    "corpus": HERE,
    "heldout2": HERE / "heldout2",
    "heldout3": HERE / "heldout3",
    "heldout4": HERE / "heldout4",
    "heldout5": HERE / "heldout5",
    "heldout6": HERE / "heldout6",
}
VERDICTS = ("true", "false", "debatable")
#: How the adjudication of a finding that reports a former miss begins.
MISS_FOUND = "the miss of this row now reported"


def run_check(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI of the installed mlops-hooks from the project's root."""
    return subprocess.run(
        [sys.executable, "-m", "mlops_hooks", "check", *extra, "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def as_clone(root: Path) -> None:
    """Make a snapshot look like the clone a user runs the hooks in: a git work tree (an
    empty repository is enough for git's listing and for the repository's top level, which
    decides which pre-commit config and workflows are the ones the tools run)."""
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "--quiet", str(root)], check=True)


def tree_digest(root: Path) -> str:
    """One hash over every file's path and bytes under root (to prove diff mode wrote nothing)."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            digest.update(str(path.relative_to(root)).encode())
            if path.is_symlink():
                # A link's target, not what it points to: snapshots hold broken links, and a
                # write through a link would change the file it points to (hashed itself).
                digest.update(b"-> " + str(path.readlink()).encode())
            else:
                digest.update(path.read_bytes())
    return digest.hexdigest()


def key(repo: str, item: dict[str, Any]) -> tuple[str, str, str, int, int]:
    """Identify a finding by repository, rule, path, line and column."""
    return (repo, item["rule"], item["path"], item["line"], item["column"])


def subject(message: str) -> str:
    """The first `quoted` word of a message: the hook or task that tells apart several
    findings of one rule at one position (PCC001, JST001)."""
    parts = message.split("`")
    return parts[1] if len(parts) > 2 else ""


def match(
    item: dict[str, Any], verdicts: dict[tuple[str, str, str, int, int], list[dict[str, Any]]]
) -> dict[str, Any] | None:
    """The adjudication of a finding: by position, then by subject among several."""
    candidates = verdicts.get(key(item["repo"], item), [])
    if len(candidates) > 1:
        candidates = [c for c in candidates if c["subject"] == subject(item["message"])]
    return candidates[0] if candidates else None


def judged(verdict: dict[str, Any], item: dict[str, Any]) -> str:
    """The verdict that applies to the finding now. A finding judged again after a fix
    changed its message carries an ``after`` entry: while the message holds
    ``after["when"]``, its ``verdict`` applies instead of the first run's."""
    after = verdict.get("after")
    if after is not None and after["when"] in item["message"]:
        return str(after["verdict"])
    return str(verdict["verdict"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.environ.get("MLOPS_FIELD_CORPUS", "/work/corpus"))
    parser.add_argument("--set", dest="set_name", choices=sorted(SETS), default="corpus")
    parser.add_argument("--diff", action="store_true", help="also check the fix diffs")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", dest="json_out", help="write the raw findings here")
    args = parser.parse_args(argv)
    corpus_dir = Path(args.corpus)
    files = SETS[args.set_name]
    corpus = json.loads((files / "corpus.json").read_text())
    adjudicated = json.loads((files / "adjudications.json").read_text())
    verdicts: dict[tuple[str, str, str, int, int], list[dict[str, Any]]] = defaultdict(list)
    for finding in adjudicated["findings"]:
        verdicts[key(finding["repo"], finding)].append(finding)

    found: list[dict[str, Any]] = []
    for project in corpus:
        root = corpus_dir / project["dir"]
        if not root.is_dir():
            print(f"missing from the corpus directory: {project['dir']}", file=sys.stderr)
            continue
        as_clone(root)
        before = tree_digest(root) if args.diff else ""
        result = run_check(root, "--format", "json", "--exit-zero")
        if result.returncode != 0:
            print(f"{project['dir']}: exit {result.returncode}: {result.stderr}", file=sys.stderr)
            continue
        for diag in json.loads(result.stdout)["diagnostics"]:
            found.append(
                {
                    "repo": project["dir"],
                    "rule": diag["code"],
                    "path": diag["path"],
                    "line": diag["start"]["line"],
                    "column": diag["start"]["column"],
                    "message": diag["message"],
                    "fix": diag["fix"] is not None,
                }
            )
        if args.diff:
            for mode in (["--fix", "--diff"], ["--fix", "--unsafe-fixes", "--diff"]):
                diff = run_check(root, *mode)
                touched = sorted(
                    line[6:] for line in diff.stdout.splitlines() if line.startswith("+++ b/")
                )
                if touched:
                    print(f"{project['dir']} {' '.join(mode)}: {', '.join(touched)}")
            if tree_digest(root) != before:
                print(f"DIFF MODE WROTE INTO {project['dir']}", file=sys.stderr)
                return 2

    if args.json_out:
        Path(args.json_out).write_text(json.dumps(found, indent=1))
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    seen: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    #: Findings that can report a miss: not adjudicated yet, or adjudicated as a miss found.
    catches: list[dict[str, Any]] = []
    for item in found:
        verdict = match(item, verdicts)
        tally[item["rule"]][judged(verdict, item) if verdict else "new"] += 1
        (seen if verdict else new).append(verdict or item)
        if verdict is None or verdict.get("reason", "").startswith(MISS_FOUND):
            catches.append(item)
    print_table(tally, markdown=args.markdown)

    gone = [f for f in adjudicated["findings"] if not any(f is s for s in seen)]
    for verdict in VERDICTS:
        rows = [f for f in gone if f["verdict"] == verdict]
        if rows:
            print(f"\nadjudicated {verdict} findings no longer reported: {len(rows)}")
            for f in rows:
                print(f"  {f['repo']} {f['rule']} {f['path']}:{f['line']}:{f['column']}")
    if new:
        print(f"\nnew findings (not adjudicated): {len(new)}")
        for f in new:
            print(f"  {f['repo']} {f['rule']} {f['path']}:{f['line']}:{f['column']} {f['message']}")
    # A miss counts as reported once a finding that was not adjudicated (a new one), or was
    # adjudicated as that miss found, appears for its rule and file, at its line when the miss
    # names one.
    print("\nmisses:")
    for miss in adjudicated["misses"]:
        hit = any(
            (f["repo"], f["rule"], f["path"]) == (miss["repo"], miss["rule"], miss["path"])
            and miss["line"] in (None, f["line"])
            for f in catches
        )
        status = "now reported" if hit else "still missed"
        print(f"  {miss['id']} {miss['rule']} {miss['repo']} {miss['path']}: {status}")
    return 0


def print_table(tally: dict[str, Counter[str]], *, markdown: bool) -> None:
    """Per rule: findings, true, false, debatable, new, precision, share acted on."""
    header = ("rule", "findings", "true", "false", "debatable", "new", "precision", "acted on")
    rows = []
    total: Counter[str] = Counter()
    for rule in sorted(tally):
        counts = tally[rule]
        total.update(counts)
        rows.append(row(rule, counts))
    rows.append(row("all", total))
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + " --- |" * len(header))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        for r in (header, *rows):
            print("".join(cell.ljust(11) for cell in r))


def row(rule: str, counts: Counter[str]) -> tuple[str, ...]:
    """Precision is true / (true + false); 'acted on' is true / all findings."""
    n = sum(counts.values())
    judged = counts["true"] + counts["false"]
    precision = f"{counts['true'] / judged:.2f}" if judged else "-"
    acted = f"{counts['true'] / n:.2f}" if n else "-"
    cells = [str(counts[v]) for v in (*VERDICTS, "new")]
    return (rule, str(n), *cells, precision, acted)


if __name__ == "__main__":
    sys.exit(main())
