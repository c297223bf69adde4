"""Train the bike rental model and register it (python -m bikes.train)."""

import mlflow
import pandas as pd
from sklearn.ensemble import RandomForestRegressor

from bikes.settings import MODEL_NAME, TRACKING_URI


def main() -> None:
    mlflow.set_tracking_uri(TRACKING_URI)
    data = pd.read_csv("data/bikes.csv")
    features, target = data.drop(columns="cnt"), data["cnt"]
    with mlflow.start_run() as run:
        model = RandomForestRegressor(n_estimators=100).fit(features, target)
        mlflow.sklearn.log_model(model, name="model", registered_model_name=MODEL_NAME)
        mlflow.log_metric("train_r2", model.score(features, target))
    print(f"trained run {run.info.run_id}")


if __name__ == "__main__":
    main()
