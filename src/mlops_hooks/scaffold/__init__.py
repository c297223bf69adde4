"""``mlops-hooks init``: scaffold the conventional project files that are missing."""
