"""The base layer: errors, regex, progress, child processes. Imports no other readiness package."""
