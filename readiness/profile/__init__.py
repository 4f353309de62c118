"""Stage two: count, infer types and formats, find personal data and labels.

The modules, in the order the data goes through them:

- labels.py: which column is the label, in which tables, for which task;
- hashing.py: one pass per column (its codes, its text values counted) and the duplicate rows;
- headers.py, keys.py: what a column's header says; the id and row-number columns;
- formats.py, dates.py: value formats and date layouts, on a column's distinct values;
- infer.py: each column's type, expected format and range;
- pii/: personal data and secrets, by name and by value, and masking;
- plan.py: the plan of each table, which the counts and the GX suite share;
- counts.py (with examples.py, shapes.py): the exact counts readiness.json reports;
- entities.py: columns that group rows by entity;
- names.py, placeholders.py: names of things as shared;
- visual.py: the visual profile (fg-data-profiling), for the owner only.
"""
