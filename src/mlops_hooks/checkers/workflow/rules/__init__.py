"""GitHub Actions workflow rules: one per module, found by the registry."""
