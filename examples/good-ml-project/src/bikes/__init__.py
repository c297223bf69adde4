"""Forecast bike rentals."""
