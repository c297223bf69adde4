"""Project settings, read by the jobs and the serving app."""

import os

MODEL_NAME = "bikes"
# Bumped by hand after each promotion.
MODEL_VERSION = 3
TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "http://localhost:5000")
