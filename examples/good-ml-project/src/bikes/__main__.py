"""Serve the champion model (python -m bikes)."""

from bikes.serving import main

main()
