"""Text helpers shared by stages that may not import each other."""

from __future__ import annotations

import re

# broken decoding (UTF-8 read as Latin-1 or cp1252): one pattern for the count and the GX suite
MOJIBAKE = r"Ã[\x80-\xbf¡-¿]|â€[\x80-\x9f™œ¢ž“”˜]|Â[\xa0-\xbf]|\ufffd"


def slug(table_name: str) -> str:
    """A table's file name: every character outside [A-Za-z0-9._-] becomes ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", table_name)
