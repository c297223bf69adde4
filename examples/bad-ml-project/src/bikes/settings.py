"""Project settings, read by the jobs and the serving app."""

import os

MODEL_NAME = "bikes"  # mlops-hooks: ignore[MLF001] left over from a pinned URI
# Bumped by hand after each promotion.
MODEL_VERSION = 3
TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "http://localhost:5000")
