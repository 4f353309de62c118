"""Execution engines: pandas (default) and Spark."""
