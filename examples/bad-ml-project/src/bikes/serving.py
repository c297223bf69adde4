"""Serve the bike rental model over HTTP (gunicorn bikes.serving:app)."""

import json

import mlflow
import pandas as pd

from bikes.settings import MODEL_NAME, TRACKING_URI

MODEL_VERSION = 3

mlflow.set_tracking_uri(TRACKING_URI)

# The model that answers requests, and the one that shadows it.
model = mlflow.pyfunc.load_model(f"models:/{MODEL_NAME}/{MODEL_VERSION}")
shadow = mlflow.pyfunc.load_model("models:/bikes/Production")
# The model the team promoted last week (a typo for the alias @champion).
candidate = mlflow.pyfunc.load_model("models:/bikes/champion")
# Kept for the comparison dashboard: always the last registered version.
baseline_uri = "models:/" + MODEL_NAME + "/latest"


def app(environ, start_response):
    """A minimal WSGI app: POST a JSON list of records, get the predictions back."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    records = json.loads(environ["wsgi.input"].read(size) or b"[]")
    predictions = model.predict(pd.DataFrame.from_records(records))
    body = json.dumps({"predictions": predictions.tolist()}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
