"""MLflow rules: one per module, found by the registry."""
