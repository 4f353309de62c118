"""The versions readiness.json records: the tool's, its schema's and the score formula's."""

__version__ = "0.1.0"
SCHEMA_VERSION = 1
SCORE_VERSION = "2.1"  # 2.1: keys between tables (orphan_rows, child_before_parent, duplicate_parent_keys) scored
