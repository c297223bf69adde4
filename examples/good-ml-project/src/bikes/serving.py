"""Serve the champion model over HTTP."""

import json
from wsgiref.simple_server import make_server

import mlflow
import pandas as pd

from bikes.registry import load, uri_for_model_alias
from bikes.settings import CHAMPION, MODEL_NAME, TRACKING_URI

mlflow.set_tracking_uri(TRACKING_URI)
# The alias moves in the registry; this code never changes when a model is promoted.
model = load(uri_for_model_alias(MODEL_NAME, CHAMPION))
shadow = mlflow.pyfunc.load_model("models:/bikes@challenger")


def app(environ, start_response):
    """A minimal WSGI app: POST a JSON list of records, get the predictions back."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    records = json.loads(environ["wsgi.input"].read(size) or b"[]")
    predictions = model.predict(pd.DataFrame.from_records(records))
    body = json.dumps({"predictions": predictions.tolist()}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


def main() -> None:
    with make_server("0.0.0.0", 8080, app) as server:
        server.serve_forever()
