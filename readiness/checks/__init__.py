"""Stage three: findings from the profile, one module per check family.

catalog.py declares every check (one row per id); base.py makes a finding from a row; run.py runs
the families: tables, values, columns, labels, leakage, splits, dates, time (label drift), text,
expectations (GX outcomes) and waivers. A family imports the catalog and base, never another
family; keys.py and drift.py are helpers they share, explain.py reads the catalog for the packet.
This file stays empty of imports: the score reads the catalog without loading the families.
"""
