"""The JSON reader: an array of records (or an object holding one such array), or JSON lines,
one record a line; a file plain or gzip-compressed. Nested values are kept as their JSON text.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.ingest import sandbox
from readiness.ingest.columns import typed_column
from readiness.ingest.readers.common import Part, Read, RejectedFile, Request


def read_json(path: Path, request: Request) -> Read:
    return Read((Part(request.name, read_records(path, "json", request.limits.json_max_depth)),))


def read_jsonl(path: Path, request: Request) -> Read:
    return Read((Part(request.name, read_records(path, "jsonl", request.limits.json_max_depth)),))


def nesting_depth(value: Any, limit: int) -> int:
    """How deeply lists and objects nest in a parsed JSON value (stops counting past the limit)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (list, dict)))
    return deepest


def read_records(path: Path, fmt: str, max_depth: int = 64) -> pd.DataFrame:
    """The records of a JSON (``fmt`` "json") or JSON lines ("jsonl") file as one table."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as handle:  # type: ignore[operator]
            if fmt == "jsonl":
                records = []
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise RejectedFile(f"line {number} is not valid JSON ({exc.msg} at column {exc.colno}); fix or "
                                           "remove that line") from exc
            else:
                try:
                    records = json.load(handle)
                except json.JSONDecodeError as exc:
                    if not exc.doc.strip():  # as for an empty CSV
                        raise RejectedFile("the file is empty; export the records as [{...}, {...}] or JSON lines") \
                            from exc
                    raise RejectedFile(f"not valid JSON ({exc.msg} at line {exc.lineno}); fix the file or export it again") from exc
    except UnicodeDecodeError as exc:
        raise RejectedFile("not UTF-8 text; re-export it as UTF-8") from exc
    except RecursionError as exc:
        raise RejectedFile("JSON nested too deeply to read; flatten it into records") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise RejectedFile(f"cannot be read ({sandbox.error_summary(exc)}); check the file and re-export it") from exc
    if isinstance(records, dict):
        lists = [v for v in records.values() if isinstance(v, list)]
        if len(lists) == 1 and all(isinstance(r, dict) for r in lists[0]):
            records = lists[0]
        else:
            raise RejectedFile("JSON is an object, not an array of records; export it as [{...}, {...}] or JSON lines")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise RejectedFile("JSON is not an array of records (objects); export it as [{...}, {...}] or JSON lines")
    if nesting_depth(records, max_depth + 1) > max_depth + 1:
        raise RejectedFile(f"JSON nests deeper than {max_depth} levels; flatten the records, or raise "
                           "[limits] json_max_depth")
    columns: dict[str, None] = {}
    for record in records:
        for key in record:
            columns.setdefault(str(key), None)
    data = {c: typed_column([r.get(c) for r in records]) for c in columns}
    return pd.DataFrame(data) if data else pd.DataFrame(index=range(len(records)))
