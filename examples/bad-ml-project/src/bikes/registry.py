"""Registry helpers: build model URIs from names, aliases and versions given by the caller."""

import typing as T

import mlflow


def uri_for_model_alias(name: str, alias: str) -> str:
    """Return the URI of a registered model by alias: models:/<name>@<alias>."""
    return f"models:/{name}@{alias}"


def uri_for_model_version(name: str, version: int) -> str:
    """Return the URI of a registered model by version: models:/<name>/<version>."""
    return f"models:/{name}/{version}"


def load(uri: str) -> T.Any:
    """Load a registered model as a pyfunc."""
    return mlflow.pyfunc.load_model(model_uri=uri)
