"""What a column's header says: its words in snake case, a row number's names, a year's names."""

from __future__ import annotations

import re


def snake(name: str) -> str:
    """``OrderID`` -> ``order_id``, ``BirthYear`` -> ``birth_year`` (lower-cased before the cut)."""
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()).strip("_")


def singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


# Names writers give a row number: pandas' index written to a file (an empty header, read as
# "Unnamed: N"; "index", "level_0" after reset_index; "__index_level_0__" in Parquet), R's row
# names ("", "X" once read back, "rownames", "row.names"), readr's "...1", and the plain ones.
ROW_NUMBER_NAME = re.compile(
    r"(unnamed[:_ ]*\d+(\.\d+)?|index|idx|level_\d+|__index_level_\d+__|row[._]?names?|row_?num(ber)?|"
    r"row_?n[or]|rowid|\.\.\.\d+|)", re.IGNORECASE)
FIRST_COLUMN_ROW_NUMBER_NAME = re.compile(r"x", re.IGNORECASE)  # R's read.csv names an empty header X
YEAR_NAME = re.compile(r"(^|_)(year|yr)($|_)")  # year, yr, birth_year, year_built (snake-cased)


def year_column(name: str) -> bool:
    """Whether the column's name says it holds years (BirthYear, YEAR too: lower-cased before snake)."""
    if ROW_NUMBER_NAME.fullmatch(name.strip()):  # an unnamed first column may hold a series' years
        return True
    return YEAR_NAME.search(snake(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())) is not None
