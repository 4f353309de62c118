"""Text helpers shared by stages that may not import each other."""

from __future__ import annotations

import re

# broken decoding (UTF-8 read as Latin-1 or cp1252): one pattern for the count and the GX suite
MOJIBAKE = r"Ã[\x80-\xbf¡-¿]|â€[\x80-\x9f™œ¢ž“”˜]|Â[\xa0-\xbf]|\ufffd"


def slug(table_name: str) -> str:
    """A table's file name: every character outside [A-Za-z0-9._-] becomes ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", table_name)


PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def library_words(error: BaseException, limit: int = 12) -> str:
    """A library's error message reduced to what is safe to show: its leading plain words (up to
    ``limit``), stopping at the first token that is not a word, since what follows may quote the
    file's bytes, a path or a value (pypdf: ``Invalid Elementary Object starting with b'l' @302``);
    the exception's type name when no word leads."""
    message = str(getattr(error, "error_string", "") or error)
    words: list[str] = []
    for token in message.split():
        stripped = token.rstrip(".,;:")
        if not PLAIN_WORD.fullmatch(stripped) or len(words) >= limit:
            break
        words.append(stripped)
        if stripped != token:
            break
    return " ".join(words) or type(error).__name__
