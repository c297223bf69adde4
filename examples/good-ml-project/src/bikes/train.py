"""Train the bike rental model, register it and make it the challenger (python -m bikes.train)."""

import mlflow
import pandas as pd
from mlflow import MlflowClient
from sklearn.ensemble import RandomForestRegressor

from bikes.settings import CHALLENGER, MODEL_NAME, TRACKING_URI


def main() -> None:
    mlflow.set_tracking_uri(TRACKING_URI)
    mlflow.sklearn.autolog(registered_model_name=MODEL_NAME)
    data = pd.read_csv("data/bikes.csv")
    features, target = data.drop(columns="cnt"), data["cnt"]
    with mlflow.start_run():
        RandomForestRegressor(n_estimators=100).fit(features, target)
    (registered,) = MlflowClient().search_model_versions(
        f"name='{MODEL_NAME}'", order_by=["version_number DESC"], max_results=1
    )
    MlflowClient().set_registered_model_alias(MODEL_NAME, CHALLENGER, registered.version)


if __name__ == "__main__":
    main()
