"""Project settings: the registered model and the aliases the jobs move."""

import os

MODEL_NAME = "bikes"
# Serving loads the champion; promotion moves it to a validated challenger.
CHAMPION = "champion"
CHALLENGER = "challenger"
TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "http://localhost:5000")
