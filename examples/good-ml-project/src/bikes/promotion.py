"""Promote the challenger to champion when it scores better."""

from mlflow import MlflowClient

from bikes.settings import CHALLENGER, CHAMPION, MODEL_NAME


class Promoter:
    """Moves the champion alias to the challenger's version: one atomic registry update."""

    def __init__(self) -> None:
        self.client = MlflowClient()

    def promote(self) -> int:
        challenger = self.client.get_model_version_by_alias(MODEL_NAME, CHALLENGER)
        champion = self.client.get_model_version_by_alias(MODEL_NAME, CHAMPION)
        if _score(challenger) > _score(champion):
            self.client.set_registered_model_alias(MODEL_NAME, CHAMPION, challenger.version)
        return int(challenger.version)


def _score(version) -> float:
    return float(version.tags.get("validation_r2", "-inf"))
