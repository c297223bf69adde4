# ruff: noqa: E501 - the templates reproduce the long lines of real code
"""A deterministic Python code base like the MLflow-heavy one the issue measured.

The real one: 2,006 files, 19 MB, 79% of files mention ``mlflow``, 226 files (11%) contain
``models:/`` or a model-loading or stage API name. :func:`python_tree` builds a tree with the
same shape from templates of realistic ML code (configs, datasets, training loops, metrics,
feature code, CLIs) in three exact categories, which the smoke tests check:

``plain``
    ML code that never mentions MLflow nor any :data:`URI_MARKERS` string (the byte prefilter
    should skip it without parsing);
``mention``
    code that uses MLflow tracking (runs, params, metrics, artifacts, autolog, log_model) but
    contains no :data:`URI_MARKERS` string;
``uri``
    code that loads models by URI (``models:/name/3``, ``models:/name/Production``,
    ``models:/name@champion``) or calls the registry stage APIs.

File sizes follow a log-normal law (median about 6 KB, mean about 9.5 KB) like a real tree.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from .corpus import PACKAGES, Files, pyproject, rng_for

#: Strings that make a file worth parsing for the MLflow model-URI and stage rules.
URI_MARKERS = (
    "models:/",
    "load_model",
    "get_latest_versions",
    "transition_model_version_stage",
    "get_model_version",
)
CATEGORIES = ("plain", "mention", "uri")

#: A template: (generator, index in the file) -> source text of one top-level block.
Block = Callable[[random.Random, int], str]

NOUNS = (
    "batch",
    "feature",
    "label",
    "score",
    "sample",
    "window",
    "embedding",
    "target",
    "weight",
    "record",
    "frame",
    "split",
    "fold",
    "token",
    "signal",
    "cohort",
)
VERBS = (
    "build",
    "compute",
    "load",
    "normalize",
    "encode",
    "aggregate",
    "filter",
    "rank",
    "select",
    "merge",
    "evaluate",
    "prepare",
    "clip",
    "bucket",
    "resample",
)
SUBPACKAGES = ("data", "features", "training", "evaluation", "serving", "pipelines", "utils")


@dataclass(frozen=True)
class TreeSpec:
    """Parameters of a generated tree (defaults mirror the issue's MLflow code base)."""

    files: int = 2006
    mlflow_share: float = 0.79
    uri_share: float = 226 / 2006
    median_bytes: int = 6300
    seed: int = 0


def _name(r: random.Random) -> str:
    return f"{r.choice(VERBS)}_{r.choice(NOUNS)}s"


def _camel(r: random.Random) -> str:
    return (
        f"{r.choice(NOUNS).title()}{r.choice(('Config', 'Dataset', 'Model', 'Pipeline', 'Stats'))}"
    )


# -- plain ML blocks (no MLflow, no marker string) --------------------------------------------


def _config_block(r: random.Random, i: int) -> str:
    cls = f"{_camel(r)}{i}"
    fields = "\n".join(
        f"    {noun}_{k}: {typ} = {val}"
        for k, (noun, (typ, val)) in enumerate(
            zip(
                r.sample(NOUNS, 5),
                r.sample(
                    [
                        ("int", str(r.randint(1, 512))),
                        ("float", f"{r.random():.4f}"),
                        ("str", repr(r.choice(PACKAGES))),
                        ("bool", r.choice(("True", "False"))),
                        ("tuple[int, ...]", f"({r.randint(1, 9)}, {r.randint(10, 99)})"),
                        ("Path", f'Path("data/{r.choice(NOUNS)}")'),
                    ],
                    5,
                ),
                strict=True,
            )
        )
    )
    return f'''

@dataclass(frozen=True)
class {cls}:
    """Settings for the {r.choice(NOUNS)} stage; immutable so runs are reproducible."""

{fields}

    def scaled(self, factor: float) -> "{cls}":
        """A copy with every numeric setting multiplied by ``factor``."""
        values = {{
            key: value * factor if isinstance(value, (int, float)) and not isinstance(value, bool)
            else value
            for key, value in self.__dict__.items()
        }}
        return type(self)(**values)
'''


def _metric_block(r: random.Random, i: int) -> str:
    fn = f"{_name(r)}_{i}"
    eps = f"{r.choice((1e-6, 1e-8, 1e-12))!r}"
    return f'''

def {fn}(y_true: np.ndarray, y_pred: np.ndarray, *, threshold: float = {r.random():.2f}) -> dict[str, float]:
    """Precision, recall and F1 at ``threshold``, plus the log loss of the raw scores."""
    predicted = (y_pred >= threshold).astype(np.int64)
    tp = float(np.sum((predicted == 1) & (y_true == 1)))
    fp = float(np.sum((predicted == 1) & (y_true == 0)))
    fn = float(np.sum((predicted == 0) & (y_true == 1)))
    precision = tp / max(tp + fp, {eps})
    recall = tp / max(tp + fn, {eps})
    f1 = 2 * precision * recall / max(precision + recall, {eps})
    clipped = np.clip(y_pred, {eps}, 1 - {eps})
    log_loss = -float(np.mean(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped)))
    return {{"precision": precision, "recall": recall, "f1": f1, "log_loss": log_loss}}
'''


def _dataset_block(r: random.Random, i: int) -> str:
    cls = f"{r.choice(NOUNS).title()}Dataset{i}"
    col = r.choice(NOUNS)
    return f'''

class {cls}:
    """Rows of a parquet file as (features, label) pairs, loaded lazily."""

    def __init__(self, path: Path, columns: Sequence[str], label: str = "{col}") -> None:
        self.path = path
        self.columns = list(columns)
        self.label = label
        self._frame: pd.DataFrame | None = None

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            logger.info("reading %s", self.path)
            self._frame = pd.read_parquet(self.path, columns=[*self.columns, self.label])
        return self._frame

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, index: int) -> tuple[np.ndarray, float]:
        row = self.frame.iloc[index]
        return row[self.columns].to_numpy(dtype=np.float32), float(row[self.label])

    def batches(self, size: int = {r.choice((32, 64, 128, 256))}) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(self), size):
            chunk = self.frame.iloc[start : start + size]
            yield chunk[self.columns].to_numpy(np.float32), chunk[self.label].to_numpy()
'''


def _train_block(r: random.Random, i: int) -> str:
    fn = f"train_{r.choice(NOUNS)}_{i}"
    return f'''

def {fn}(dataset: Iterable[tuple[np.ndarray, np.ndarray]], epochs: int = {r.randint(2, 40)}, lr: float = {r.choice((0.1, 0.01, 0.001, 3e-4))!r}) -> dict[str, Any]:
    """Plain logistic regression by mini-batch gradient descent (a baseline to beat)."""
    weights: np.ndarray | None = None
    history: list[float] = []
    for epoch in range(epochs):
        total, count = 0.0, 0
        for features, labels in dataset:
            if weights is None:
                weights = np.zeros(features.shape[1], dtype=np.float64)
            logits = features @ weights
            probs = 1.0 / (1.0 + np.exp(-logits))
            gradient = features.T @ (probs - labels) / len(labels)
            weights -= lr * gradient
            total += float(np.sum((probs - labels) ** 2))
            count += len(labels)
        history.append(total / max(count, 1))
        if epoch % {r.choice((1, 5, 10))} == 0:
            logger.debug("epoch %d loss %.5f", epoch, history[-1])
        if len(history) > 2 and abs(history[-2] - history[-1]) < {r.choice((1e-4, 1e-6))!r}:
            logger.info("converged after %d epochs", epoch + 1)
            break
    return {{"weights": weights, "history": history}}
'''


def _features_block(r: random.Random, i: int) -> str:
    fn = f"{_name(r)}_features_{i}"
    a, b, c = r.sample(NOUNS, 3)
    return f'''

def {fn}(frame: pd.DataFrame, window: int = {r.randint(3, 30)}) -> pd.DataFrame:
    """Rolling and ratio features; the input frame is left untouched."""
    out = frame.copy()
    out["{a}_mean"] = out["{a}"].rolling(window, min_periods=1).mean()
    out["{a}_std"] = out["{a}"].rolling(window, min_periods=2).std().fillna(0.0)
    out["{b}_ratio"] = out["{b}"] / out["{c}"].replace(0, np.nan)
    out["{b}_bucket"] = pd.cut(out["{b}"], bins={r.randint(4, 12)}, labels=False)
    for lag in ({r.randint(1, 3)}, {r.randint(4, 7)}, {r.randint(8, 14)}):
        out[f"{a}_lag_{{lag}}"] = out["{a}"].shift(lag)
    return out.dropna(subset=["{b}_ratio"]).reset_index(drop=True)
'''


def _cli_block(r: random.Random, i: int) -> str:
    return f'''

def main_{i}(argv: Sequence[str] | None = None) -> int:
    """Command line entry point for the {r.choice(NOUNS)} job."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, default=Path("out/{r.choice(NOUNS)}.parquet"))
    parser.add_argument("--limit", type=int, default={r.randint(100, 100000)})
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if not args.input.exists():
        logger.error("missing input %s", args.input)
        return 2
    frame = pd.read_parquet(args.input).head(args.limit)
    logger.info("%d rows, %d columns", len(frame), frame.shape[1])
    if args.dry_run:
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(args.output)
    return 0
'''


PLAIN_BLOCKS: tuple[Block, ...] = (
    _config_block,
    _metric_block,
    _dataset_block,
    _train_block,
    _features_block,
    _cli_block,
)

# -- MLflow tracking blocks (mention mlflow, no marker) ---------------------------------------


def _tracking_block(r: random.Random, i: int) -> str:
    exp = f"{r.choice(PACKAGES)}-{r.choice(NOUNS)}"
    return f'''

def run_experiment_{i}(params: dict[str, Any], metrics: dict[str, float]) -> str:
    """Log one training run to the tracking server and return its run id."""
    mlflow.set_tracking_uri(os.environ.get("MLFLOW_TRACKING_URI", "http://localhost:5000"))
    mlflow.set_experiment("{exp}")
    with mlflow.start_run(run_name="{r.choice(NOUNS)}-{i}") as run:
        mlflow.set_tags({{"team": "{r.choice(PACKAGES)}", "stage": "research"}})
        mlflow.log_params(params)
        for step, (key, value) in enumerate(sorted(metrics.items())):
            mlflow.log_metric(key, value, step=step)
        mlflow.log_dict(params, "params.json")
        return str(run.info.run_id)
'''


def _autolog_block(r: random.Random, i: int) -> str:
    return f'''

def fit_with_autolog_{i}(estimator: Any, features: np.ndarray, labels: np.ndarray) -> Any:
    """Fit with MLflow autologging, then log the fitted estimator as an artifact."""
    mlflow.sklearn.autolog(log_input_examples={r.choice(("True", "False"))}, silent=True)
    with mlflow.start_run(nested=True):
        estimator.fit(features, labels)
        mlflow.sklearn.log_model(estimator, artifact_path="model", input_example=features[:5])
        mlflow.log_artifact(str(Path("reports") / "{r.choice(NOUNS)}.html"))
    return estimator
'''


def _search_block(r: random.Random, i: int) -> str:
    return f'''

def best_runs_{i}(experiment: str, metric: str = "{r.choice(("f1", "auc", "rmse"))}", top: int = {r.randint(3, 20)}) -> list[dict[str, Any]]:
    """The best runs of an experiment by ``metric``, for the weekly report."""
    client = MlflowClient()
    found = client.get_experiment_by_name(experiment)
    if found is None:
        return []
    runs = client.search_runs([found.experiment_id], order_by=[f"metrics.{{metric}} DESC"], max_results=top)
    return [{{"run_id": run.info.run_id, **run.data.metrics}} for run in runs]
'''


MENTION_BLOCKS: tuple[Block, ...] = (_tracking_block, _autolog_block, _search_block)

# -- model URI and registry blocks (the files the MLflow rules must parse) ----------------------


def _uri_block(r: random.Random, i: int) -> str:
    name = r.choice(PACKAGES)
    style = r.randrange(6)
    if style == 0:
        load = f'mlflow.pyfunc.load_model("models:/{name}/{r.randint(1, 40)}")'
    elif style == 1:
        load = (
            f'mlflow.sklearn.load_model(f"models:/{{name}}/{r.choice(("Production", "Staging"))}")'
        )
    elif style == 2:
        load = f'mlflow.pyfunc.load_model("models:/{name}@{r.choice(("champion", "challenger"))}")'
    elif style == 3:
        load = 'mlflow.pyfunc.load_model(f"models:/{name}/{version}")'
    elif style == 4:
        load = 'mlflow.pyfunc.load_model(client.get_latest_versions(name, stages=["Production"])[0].source)'
    else:
        load = f"mlflow.pyfunc.load_model(MODEL_URI_{i})"
    extra = f'MODEL_URI_{i} = "models:/{name}/{r.randint(1, 9)}"\n\n' if style == 5 else ""
    return f'''

{extra}def load_{name}_{i}(name: str = "{name}", version: int = {r.randint(1, 30)}) -> Any:
    """Load the registered model for batch scoring."""
    client = MlflowClient()
    model = {load}
    logger.info("loaded %s from the registry", name)
    return model
'''


def _stage_block(r: random.Random, i: int) -> str:
    name = r.choice(PACKAGES)
    return f'''

def promote_{name}_{i}(version: str, stage: str = "{r.choice(("Staging", "Production"))}") -> None:
    """Move a model version through the registry stages after evaluation."""
    client = MlflowClient()
    current = client.get_model_version("{name}", version)
    logger.info("promoting %s v%s from %s", current.name, version, current.current_stage)
    client.transition_model_version_stage(
        name="{name}", version=version, stage=stage, archive_existing_versions=True
    )
    client.set_registered_model_alias("{name}", "champion", version)
'''


URI_BLOCKS: tuple[Block, ...] = (_uri_block, _uri_block, _stage_block)

HEADER = '''"""{doc}"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
'''
MLFLOW_IMPORTS = (
    "\nimport mlflow\nimport mlflow.sklearn\nfrom mlflow.tracking import MlflowClient\n"
)


def python_file(r: random.Random, category: str, size: int) -> str:
    """One module of ``category`` of about ``size`` bytes."""
    doc = f"{r.choice(VERBS).title()} {r.choice(NOUNS)}s for the {r.choice(PACKAGES)} models."
    parts = [HEADER.format(doc=doc)]
    if category != "plain":
        parts.append(MLFLOW_IMPORTS)
    parts.append("\nlogger = logging.getLogger(__name__)\n")
    i = 0
    if category == "mention":
        parts.append(r.choice(MENTION_BLOCKS)(r, i))
        i += 1
    elif category == "uri":
        parts.append(r.choice(URI_BLOCKS)(r, i))
        i += 1
    length = sum(len(p) for p in parts)
    while length < size:
        pool = PLAIN_BLOCKS
        if category == "mention" and r.random() < 0.2:
            pool = MENTION_BLOCKS
        block = r.choice(pool)(r, i)
        parts.append(block)
        length += len(block)
        i += 1
    return "".join(parts)


def categories(spec: TreeSpec, r: random.Random) -> list[str]:
    """Exactly ``round(files * share)`` files per category, in a seeded order."""
    uri = round(spec.files * spec.uri_share)
    mention = max(0, round(spec.files * spec.mlflow_share) - uri)
    plain = max(0, spec.files - uri - mention)
    kinds = ["uri"] * uri + ["mention"] * mention + ["plain"] * plain
    r.shuffle(kinds)
    return kinds[: spec.files]


def python_tree(spec: TreeSpec) -> tuple[Files, dict[str, str]]:
    """The tree (``{relpath: text}``, with a ``pyproject.toml``) and each file's category."""
    r = rng_for(spec.seed, f"python:{spec.mlflow_share}:{spec.uri_share}")
    project = f"{r.choice(PACKAGES)}_platform"
    files: Files = {"pyproject.toml": pyproject(project.replace("_", "-"))}
    kinds: dict[str, str] = {}
    per_dir: dict[str, int] = {}
    for category in categories(spec, r):
        if r.random() < 0.15:
            directory = f"tests/{r.choice(SUBPACKAGES)}"
        else:
            directory = f"src/{project}/{r.choice(PACKAGES)}/{r.choice(SUBPACKAGES)}"
        n = per_dir.get(directory, 0)
        per_dir[directory] = n + 1
        stem = "__init__" if n == 0 and directory.startswith("src/") else f"{_name(r)}_{n:03d}"
        if directory.startswith("tests/") and stem != "__init__":
            stem = f"test_{stem}"
        size = int(min(80_000, max(400, r.lognormvariate(0, 0.9) * spec.median_bytes)))
        path = f"{directory}/{stem}.py"
        files[path] = python_file(r, category, size)
        kinds[path] = category
    return files, kinds
