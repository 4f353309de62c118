"""The document examiner: a PDF's, DOCX's or plain text's pages, text layer, language, SimHash and
personal data, as counts. The text itself is read, measured and dropped: nothing of it is kept.

PDF needs pypdf and DOCX python-docx (the docs extra); TXT and MD need nothing. The work is bounded:
at most MAX_PAGES pages of a PDF are read (the rest are counted in ``pages`` only, so text, scanned
and failed pages may sum to less), at most MAX_PAGE_CHARS characters of a page's text and
MAX_TEXT_BYTES of a text file are kept, and a DOCX's zip is checked for a bomb before it is opened. Personal data is counted in the first
PII_CHARS characters, the SimHash and the skeleton hash read the first million words (text.SIMHASH_WORDS).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path
from typing import Any

from readiness.base.text import library_words
from readiness.ingest.model import MediaFile
from readiness.media import text as texts
from readiness.media.model import DocumentFacts, Examined
from readiness.profile import pii
from readiness.profile.pii.mask import MASK_RULES
from readiness.settings.model import MediaSettings

MAX_PAGES = 2_000  # PDF pages read; a longer PDF's other pages are counted but not read
MAX_PAGE_CHARS = 1_000_000  # characters kept of one page's extracted text
MAX_TEXT_BYTES = 20_000_000  # bytes read of a TXT or MD file
MAX_DOCX_BYTES = 200_000_000  # a DOCX's members may unpack to at most this many bytes...
MAX_DOCX_RATIO = 200  # ...and to at most this many times the archive's compressed size
MAX_DOCX_MEMBERS = 10_000
MAX_ANNOTATIONS = 500  # annotations of a page looked at for actions
PII_CHUNK = 100_000  # characters masked at a time (cut at a line break or a space)
PII_CHARS = 2_000_000  # characters of a document searched for personal data (about 3 s; 1,000 pages)
EXTRA = "pip install 'readiness[docs]'"
RETRY = "export it again from the source"
PII_KINDS = tuple(dict.fromkeys(rule.kind for rule in MASK_RULES))
_PLACEHOLDER = re.compile(r"\[(" + "|".join(PII_KINDS) + r")\]")


class Rejected(Exception):
    """The document cannot be read; the message is the reason shown (no path, no content)."""


# --- the facts of a text ----------------------------------------------------------------------------

def _chunks(text: str) -> list[str]:
    """The text in pieces of about PII_CHUNK characters, cut at a line break (else a space), so a
    value is seldom cut in two."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + PII_CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start + PII_CHUNK // 2, end)
            cut = cut if cut > 0 else text.rfind(" ", start + PII_CHUNK // 2, end)
            end = cut + 1 if cut > 0 else end
        out.append(text[start:end])
        start = end
    return out


def pii_counts(text: str) -> dict[str, int]:
    """Values of personal data per kind in the first PII_CHARS characters of free text (the masker costs
    about 1.5 s a million characters): the project's masker (``pii.mask``) replaces each value with its
    kind (``[email]``); the placeholders it adds are counted (any written in the text before are not)."""
    found: dict[str, int] = {}
    for chunk in _chunks(text[:PII_CHARS]):
        before: dict[str, int] = {}
        for match in _PLACEHOLDER.finditer(chunk):
            before[match.group(1)] = before.get(match.group(1), 0) + 1
        for match in _PLACEHOLDER.finditer(pii.mask(chunk)):
            kind = match.group(1)
            if before.get(kind):
                before[kind] -= 1
            else:
                found[kind] = found.get(kind, 0) + 1
    return dict(sorted(found.items()))


def _solid(text: str) -> int:
    """Characters that are not whitespace."""
    return len(text) - sum(text.count(c) for c in " \t\r\n\f\v\u00a0")


def facts_of(text: str, *, pages: int, text_pages: int, scanned: int, failed: int,
             javascript: bool = False) -> DocumentFacts:
    """A document's facts from its extracted text; the text is not kept."""
    return DocumentFacts(pages=pages, text_pages=text_pages, scanned_pages=scanned, failed_pages=failed,
                         chars=len(text), words=len(text.split()), language=texts.language(text),
                         simhash=texts.simhash(text), pii=pii_counts(text), skeleton=texts.skeleton(text),
                         javascript=javascript)


# --- PDF --------------------------------------------------------------------------------------------

def _resolved(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _is_action(value: Any) -> bool:
    """An action dictionary that runs JavaScript or launches a program."""
    action = _resolved(value)
    return hasattr(action, "get") and ("/JS" in action or action.get("/S") in ("/JavaScript", "/Launch"))


def _catalog_javascript(catalog: Any) -> bool:
    """JavaScript or a launch in the catalog, looked up shallowly and never run: named JavaScript,
    an opening action, or additional actions (/AA)."""
    names = _resolved(catalog.get("/Names"))
    if hasattr(names, "get") and "/JavaScript" in names:
        return True
    if "/AA" in catalog:
        return True
    opening = catalog.get("/OpenAction")
    return opening is not None and _is_action(opening)


def _page_javascript(page: Any) -> bool:
    """A page's additional actions, or an annotation (a link, a form field) whose action runs
    JavaScript or launches a program."""
    if "/AA" in page:
        return True
    annotations = _resolved(page.get("/Annots"))
    if not isinstance(annotations, list):
        return False
    for annotation in annotations[:MAX_ANNOTATIONS]:
        annotation = _resolved(annotation)
        if hasattr(annotation, "get") and ("/AA" in annotation or _is_action(annotation.get("/A"))):
            return True
    return False


def _pdf(path: Path, settings: MediaSettings) -> DocumentFacts:
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise Rejected("encrypted PDF (it needs a password); send it without encryption")
        catalog = _resolved(reader.trailer["/Root"])
        javascript = _catalog_javascript(catalog)
        count = len(reader.pages)
    except Rejected:
        raise
    except Exception as error:  # pypdf's errors for a damaged file: PdfReadError, KeyError, ValueError...
        if "password" in str(error).lower() or "decrypt" in str(error).lower():
            raise Rejected("encrypted PDF (it needs a password); send it without encryption") from None
        raise Rejected(f"unreadable PDF ({library_words(error)}); {RETRY}") from None
    parts: list[str] = []
    text_pages = scanned = failed = 0
    for number in range(min(count, MAX_PAGES)):
        try:
            page = reader.pages[number]
            javascript = javascript or _page_javascript(page)
            content = (page.extract_text() or "")[:MAX_PAGE_CHARS]
        except Exception:  # one damaged page: counted, the others still read
            failed += 1
            continue
        if _solid(content) < settings.min_page_chars:
            scanned += 1
        else:
            text_pages += 1
        parts.append(content)
    return facts_of("\n".join(parts), pages=count, text_pages=text_pages, scanned=scanned, failed=failed,
                    javascript=javascript)


# --- DOCX -------------------------------------------------------------------------------------------

def _check_zip(path: Path) -> None:
    """A DOCX is a zip: refuse one that unpacks to far more than it holds (a zip bomb) before any
    library unpacks it. Declared sizes bound the reading too: zipfile stops at a member's declared size."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Rejected(f"damaged DOCX (not a readable zip archive: {library_words(error)}); {RETRY}") from None
    if len(members) > MAX_DOCX_MEMBERS:
        raise Rejected(f"DOCX with {len(members):,} parts (a zip bomb?); save it again from Word")
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > MAX_DOCX_BYTES or unpacked > MAX_DOCX_RATIO * packed:
        raise Rejected(f"DOCX that unpacks to {unpacked / 1e6:,.0f} MB from {packed / 1e6:,.2f} MB (a zip bomb); "
                       "save it again from Word")
    if "word/document.xml" not in {m.filename for m in members}:
        raise Rejected(f"damaged DOCX (no word/document.xml inside); {RETRY}")


def _docx(path: Path, settings: MediaSettings) -> DocumentFacts:
    import docx

    _check_zip(path)
    try:
        document = docx.Document(str(path))
        parts = [paragraph.text for paragraph in document.paragraphs]
        seen: set[int] = set()
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell is listed once per grid cell it spans
                        seen.add(id(cell._tc))
                        parts.append(cell.text)
        pictures = len(document.inline_shapes)
    except Exception as error:  # python-docx / lxml errors for a damaged part
        raise Rejected(f"unreadable DOCX ({library_words(error)}); {RETRY}") from None
    content = "\n".join(parts)
    has_text = _solid(content) >= settings.min_page_chars
    scanned = int(not has_text and pictures > 0)  # pictures and no text: a scan pasted into Word
    return facts_of(content, pages=1, text_pages=int(has_text), scanned=scanned, failed=0)


# --- TXT and MD -------------------------------------------------------------------------------------

def decode(data: bytes, complete: bool = True) -> str:
    """Text bytes as text: UTF-16 when its byte-order mark says so, UTF-8 (a BOM is dropped), else
    cp1252 (the commonest other encoding; bytes it leaves undefined become U+FFFD). ``complete``:
    False when the bytes were cut, so a character cut at the end is dropped, not an error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=complete)
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _plain(path: Path, settings: MediaSettings) -> DocumentFacts:
    with path.open("rb") as handle:
        data = handle.read(MAX_TEXT_BYTES + 1)
    complete = len(data) <= MAX_TEXT_BYTES
    content = decode(data[:MAX_TEXT_BYTES], complete)
    has_text = _solid(content) >= settings.min_page_chars
    return facts_of(content, pages=1, text_pages=int(has_text), scanned=0, failed=0)


# --- the examiner -----------------------------------------------------------------------------------

_SKIPPED = {"pdf": "PDF documents need the docs extra", "docx": "DOCX documents need the docs extra"}


def examine(path: Path, file: MediaFile, settings: MediaSettings) -> Examined:
    """A document's facts, or why it was rejected (cannot be read) or skipped (the docs extra is
    missing). Never raises for bad input."""
    name = file.format.upper()
    try:
        if file.format in ("txt", "md"):
            return Examined(file, "ok", None, document=_plain(path, settings))
        if path.stat().st_size == 0:
            raise Rejected(f"empty {name} file (zero bytes); {RETRY}")
        if file.format == "pdf":
            try:
                import pypdf  # noqa: F401  (the docs extra)
            except ImportError:
                return Examined(file, "skipped", f"{_SKIPPED['pdf']}: {EXTRA}")
            return Examined(file, "ok", None, document=_pdf(path, settings))
        if file.format == "docx":
            try:
                import docx  # noqa: F401  (the docs extra)
            except ImportError:
                return Examined(file, "skipped", f"{_SKIPPED['docx']}: {EXTRA}")
            return Examined(file, "ok", None, document=_docx(path, settings))
        return Examined(file, "skipped", f"{name} documents are not read")
    except Rejected as error:
        return Examined(file, "rejected", str(error))
    except MemoryError:
        return Examined(file, "rejected", f"{name} too large to read in memory; split the document")
    except Exception as error:  # hostile input: any other failure of a parser is a file we cannot read
        return Examined(file, "rejected", f"unreadable {name} ({type(error).__name__}); {RETRY}")


def quality(facts: DocumentFacts) -> tuple[str, ...]:
    """The document checks a file fails: scanned_pages (pages with no text layer) and
    text_extraction_failed (pages whose text could not be extracted, or a document that yields no
    word at all with no scanned page to explain it: an empty or broken text layer)."""
    found: list[str] = []
    if facts.scanned_pages > 0:
        found.append("scanned_pages")
    if facts.failed_pages > 0 or (facts.words == 0 and facts.scanned_pages == 0 and facts.pages > 0):
        found.append("text_extraction_failed")
    return tuple(found)
