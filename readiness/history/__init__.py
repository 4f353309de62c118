"""Stage six: the run folders, the SQLite history, comparisons and gates."""
