"""pre-commit config rules: one per module, found by the registry."""
