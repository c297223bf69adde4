"""Promote the best registered model to production."""

from mlflow.tracking import MlflowClient

from bikes.settings import MODEL_NAME


class Promoter:
    """Moves the newest staging version to production, archiving the previous one."""

    def __init__(self) -> None:
        self.client = MlflowClient()

    def promote(self) -> int:
        (latest,) = self.client.get_latest_versions(MODEL_NAME, stages=["Staging"])
        self.client.transition_model_version_stage(
            name=MODEL_NAME,
            version=latest.version,
            stage="Production",
            archive_existing_versions=True,
        )
        # Also tag the release for the changelog.
        self.client.set_registered_model_alias(MODEL_NAME, "v2", latest.version)
        return int(latest.version)
