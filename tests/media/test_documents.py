"""The document examiner and the text facts on documents made here: PDFs written by hand (a text
layer in Helvetica) or by pypdf (blank pages: no text layer), encrypted and scripted PDFs, DOCX with
personal data, a zip bomb, and plain text in three languages. The facts must hold no text."""

from __future__ import annotations

import hashlib
import json
import random
import sys
import textwrap
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from readiness.checks import media as media_checks
from readiness.ingest.model import MediaFile
from readiness.media import documents, text
from readiness.media.model import DocumentFacts, Examined, MediaDataset
from readiness.settings import Settings
from readiness.settings.model import MediaSettings

SETTINGS = MediaSettings()
ENGLISH = ("The committee reviewed the annual budget and it was clear that the plan would need more time. "
           "We asked what the members thought of the proposal, and they said that it has been a difficult "
           "year for all of them, but there is hope for the future if we work with the partners.")
GERMAN = ("Der Ausschuss hat den Haushalt geprüft und es ist nicht klar, ob der Plan mit den Mitteln auskommt. "
          "Wir haben die Mitglieder gefragt, und sie sagen, dass es ein schwieriges Jahr für alle war, aber "
          "auch dass sich die Lage nach dem Sommer bei den Partnern bessern wird, wenn sie mit uns arbeiten.")
FRENCH = ("Le comité a examiné le budget annuel et il est clair que le plan aura besoin de plus de temps. "
          "Nous avons demandé aux membres ce qu'ils pensent de la proposition, et ils disent que cette année "
          "a été difficile pour eux, mais il y a de l'espoir pour la suite avec les partenaires.")


def _file(path: Path, fmt: str | None = None) -> MediaFile:
    return MediaFile(path.name, "document", fmt or path.suffix[1:], path.stat().st_size, 0, None)


def _examine(path: Path, fmt: str | None = None) -> Examined:
    return documents.examine(path, _file(path, fmt), SETTINGS)


def _facts(path: Path, fmt: str | None = None) -> DocumentFacts:
    examined = _examine(path, fmt)
    assert examined.status == "ok", examined.reason
    assert examined.document is not None
    return examined.document


def _no_text(examined: Examined, *words: str) -> None:
    """Nothing of the document in its JSON (the cache and readiness.json get it)."""
    dumped = json.dumps(examined.as_json()).lower()
    for word in words:
        assert word.lower() not in dumped
    assert Examined.from_json(json.loads(json.dumps(examined.as_json()))) == examined


def _pdf(pages: Sequence[str | None], catalog_extra: str = "", objects_extra: tuple[str, ...] = ()) -> bytes:
    """A minimal valid PDF by hand: one page per item, its text in Helvetica (None: a page with an
    empty content stream, no text layer), with a correct xref table."""
    count = len(pages)
    objs: list[str] = ["<< /Type /Catalog /Pages 2 0 R" + catalog_extra + " >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>")
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, content in enumerate(pages):
        page, stream = 4 + 2 * i, 5 + 2 * i
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                    f" /Contents {stream} 0 R >>")
        lines = [] if content is None else textwrap.wrap(content, 80)
        body = "".join(f"BT /F1 10 Tf 40 {750 - 14 * n} Td ({line.replace('(', '').replace(')', '')}) Tj ET\n"
                       for n, line in enumerate(lines))
        objs.append(f"<< /Length {len(body.encode('latin-1'))} >>\nstream\n{body}endstream")
        assert page == len(objs) - 1
    objs.extend(objects_extra)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_text_pdf_pages_and_language(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf([ENGLISH, ENGLISH.upper(), None]))
    examined = _examine(path)
    facts = examined.document
    assert facts is not None
    assert (facts.pages, facts.text_pages, facts.scanned_pages, facts.failed_pages) == (3, 2, 1, 0)
    assert facts.language == "en"
    assert facts.words == 2 * len(ENGLISH.split())
    assert not facts.javascript and facts.pii == {}
    assert documents.quality(facts) == ("scanned_pages",)
    _no_text(examined, "committee", "budget", "partners")


def test_blank_pdf_from_pypdf_is_scanned(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for _ in range(4):
        writer.add_blank_page(width=612, height=792)
    with (tmp_path / "scan.pdf").open("wb") as handle:
        writer.write(handle)
    facts = _facts(tmp_path / "scan.pdf")
    assert (facts.pages, facts.text_pages, facts.scanned_pages, facts.chars, facts.words) == (4, 0, 4, 3, 0)
    assert facts.language is None and facts.simhash == 0
    assert documents.quality(facts) == ("scanned_pages",)


def test_encrypted_pdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    (tmp_path / "plain.pdf").write_bytes(_pdf([ENGLISH]))
    for password, status in (("secret", "rejected"), ("", "ok")):
        writer = pypdf.PdfWriter(clone_from=str(tmp_path / "plain.pdf"))
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
        path = tmp_path / f"locked-{status}.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        examined = _examine(path)
        assert examined.status == status
        if status == "rejected":
            assert examined.reason == "encrypted PDF (it needs a password); send it without encryption"
        else:  # the empty password opens it: read as any other
            assert examined.document is not None and examined.document.language == "en"
            assert examined.document.text_pages == 1


@pytest.mark.parametrize("catalog", [
    " /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>",
    " /OpenAction 6 0 R",  # object 6: the action after the page and its stream
    " /Names << /JavaScript 6 0 R >>",
    " /AA << /WC << /S /Launch /F (calc.exe) >> >>",
])
def test_pdf_javascript_is_found_not_run(tmp_path: Path, catalog: str) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "script.pdf"
    path.write_bytes(_pdf([ENGLISH], catalog, ("<< /S /JavaScript /JS (app.alert\\(1\\)) >>",)))
    facts = _facts(path)
    assert facts.javascript
    assert facts.text_pages == 1


def test_plain_pdf_has_no_javascript_and_link_action_is_found(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    (tmp_path / "plain.pdf").write_bytes(_pdf([ENGLISH], " /OpenAction [4 0 R /Fit]"))
    assert not _facts(tmp_path / "plain.pdf").javascript  # an opening view is no script
    data = _pdf([ENGLISH]).replace(b"/Contents 5 0 R >>",
                                   b"/Contents 5 0 R /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9]"
                                   b" /A << /S /JavaScript /JS (x) >> >>] >>")
    (tmp_path / "link.pdf").write_bytes(data)
    assert _facts(tmp_path / "link.pdf").javascript


@pytest.mark.parametrize(("name", "content", "words"), [
    ("empty.pdf", b"", "zero bytes"),
    ("garbage.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 10, "unreadable PDF"),
    ("cut.pdf", _pdf([ENGLISH, ENGLISH])[:200], "PDF"),
])
def test_broken_pdf_is_rejected(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / name
    path.write_bytes(content)
    examined = _examine(path)
    assert examined.status == "rejected", examined
    assert examined.reason is not None and words in examined.reason and "\n" not in examined.reason
    assert name not in examined.reason and str(tmp_path) not in examined.reason


def test_missing_extra_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.pdf").write_bytes(_pdf([ENGLISH]))
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04" + bytes(50))
    monkeypatch.setitem(sys.modules, "pypdf", None)
    monkeypatch.setitem(sys.modules, "docx", None)
    pdf = _examine(tmp_path / "a.pdf")
    assert (pdf.status, pdf.reason) == ("skipped", "PDF documents need the docs extra: pip install 'readiness[docs]'")
    word = _examine(tmp_path / "a.docx")
    assert (word.status, word.reason) == ("skipped",
                                          "DOCX documents need the docs extra: pip install 'readiness[docs]'")


def _docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def test_docx_text_tables_and_pii(tmp_path: Path) -> None:
    path = _docx(tmp_path / "letter.docx",
                 [GERMAN, "Kontakt: jane.doe@example.com oder Telefon +49 30 1234 5678."],
                 [["Name", "E-Mail"], ["Quokka", "max.quokka@example.org"]])
    examined = _examine(path)
    facts = examined.document
    assert facts is not None
    assert (facts.pages, facts.text_pages, facts.scanned_pages, facts.failed_pages) == (1, 1, 0, 0)
    assert facts.pii == {"email": 2, "phone": 1}
    assert facts.language == "de"
    assert facts.words == len(GERMAN.split()) + 7 + 4
    assert documents.quality(facts) == ()
    _no_text(examined, "jane.doe", "example.com", "1234", "Quokka", "Ausschuss")


def test_docx_zip_bomb_and_broken_zip(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 50_000_000 + b"</w:document>")
    examined = _examine(bomb)
    assert examined.status == "rejected" and "zip bomb" in (examined.reason or "")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    examined = _examine(broken)
    assert examined.status == "rejected" and (examined.reason or "").startswith("damaged DOCX")
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    assert (_examine(empty).reason or "").startswith("damaged DOCX (no word/document.xml")


@pytest.mark.parametrize(("content", "encoding", "lang"), [
    (ENGLISH, "utf-8", "en"), (GERMAN, "utf-8-sig", "de"), (FRENCH, "cp1252", "fr"), (GERMAN, "utf-16", "de"),
])
def test_text_files_languages_and_encodings(tmp_path: Path, content: str, encoding: str, lang: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(content.encode(encoding))
    examined = _examine(path)
    facts = examined.document
    assert facts is not None
    assert (facts.pages, facts.text_pages, facts.scanned_pages) == (1, 1, 0)
    assert facts.chars == len(content) and facts.words == len(content.split())
    assert facts.language == lang
    assert facts.simhash == text.simhash(content) and facts.skeleton == text.skeleton(content) != 0
    _no_text(examined, "budget", "Haushalt", "comité")


def test_empty_markdown_fails_extraction(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"  \n")
    facts = _facts(tmp_path / "empty.md")
    assert (facts.pages, facts.text_pages, facts.words, facts.language, facts.simhash, facts.skeleton) == \
        (1, 0, 0, None, 0, 0)
    assert documents.quality(facts) == ("text_extraction_failed",)


def test_text_file_is_read_up_to_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "MAX_TEXT_BYTES", 1_000)
    (tmp_path / "long.txt").write_bytes(("é" * 999).encode())  # 1,998 bytes: cut inside a character
    facts = _facts(tmp_path / "long.txt")
    assert facts.chars == 500


def test_pii_counts_ignore_placeholders_already_there() -> None:
    assert documents.pii_counts("masked before: [email] [email]; new: a.b@example.com") == {"email": 1}
    assert documents.pii_counts("") == {}


@pytest.mark.parametrize(("sample", "lang"), [
    ("这是一个用于测试语言识别的中文句子，我们需要足够多的汉字才能判断。", "zh"),
    ("これは言語を判定するための日本語の文章です。十分な文字が必要です。", "ja"),
    ("이것은 언어를 판별하기 위한 한국어 문장입니다. 충분한 글자가 필요합니다.", "ko"),
    ("Это предложение на русском языке для проверки определения языка текста.", "ru"),
    ("هذه جملة باللغة العربية لاختبار تحديد لغة النص بشكل صحيح.", "ar"),
    ("זהו משפט בעברית כדי לבדוק את זיהוי השפה של הטקסט.", "he"),
    ("Αυτή είναι μια πρόταση στα ελληνικά για τον έλεγχο της γλώσσας.", "el"),
    ("यह भाषा की पहचान की जाँच करने के लिए हिंदी में एक वाक्य है।", "hi"),
    ("El comité revisó el presupuesto anual y está claro que el plan necesita más tiempo, pero los miembros "
     "dicen que fue un año difícil para todos y que hay esperanza para el futuro con los socios.", "es"),
    ("Il comitato ha esaminato il bilancio annuale ed è chiaro che il piano avrà bisogno di più tempo, ma i "
     "membri dicono che questo è stato un anno difficile per tutti e che non si può fare di più.", "it"),
    ("O comitê analisou o orçamento anual e é claro que o plano precisa de mais tempo, mas os membros dizem "
     "que foi um ano difícil para todos e que há esperança para o futuro com os parceiros.", "pt"),
    ("Het comité heeft de begroting bekeken en het is duidelijk dat het plan meer tijd nodig heeft, maar de "
     "leden zeggen dat het een moeilijk jaar voor iedereen is geweest en dat er nog hoop is.", "nl"),
    ("too few words to judge", None),
    ("1234 5678 9012 " * 20, None),
])
def test_language(sample: str, lang: str | None) -> None:
    assert text.language(sample) == lang


def _words(rng: random.Random, count: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(3_000)]
    return [rng.choice(vocabulary) for _ in range(count)]


def test_simhash_near_and_far() -> None:
    """One word changed in 300 changes 3 of 298 shingles: SimHash theory expects 64 * angle / pi = 2.9
    bits on average, so near copies are judged on the mean of many; unrelated texts differ in about 32."""
    rng = random.Random(7)
    near, far = [], []
    for _ in range(60):
        words = _words(rng, 300)
        changed = list(words)
        changed[rng.randrange(300)] = "different"
        near.append(text.distance(text.simhash(" ".join(words)), text.simhash(" ".join(changed))))
        far.append(text.distance(text.simhash(" ".join(words)), text.simhash(" ".join(_words(rng, 300)))))
    assert sum(near) / len(near) <= 3.5
    assert sorted(near)[len(near) // 2] <= 3  # the median near copy is within text_near_distance
    assert min(far) >= 16 and 28 <= sum(far) / len(far) <= 36
    # a longer document: one word in 1,000 changed is within 3 bits nearly always
    words = _words(rng, 1_000)
    changed = list(words)
    changed[500] = "different"
    assert text.distance(text.simhash(" ".join(words)), text.simhash(" ".join(changed))) <= 3


def test_simhash_is_stable_and_normalised() -> None:
    assert text.simhash("") == 0 and text.simhash(" ,;. ") == 0
    assert text.simhash("Hello, World!") == text.simhash("hello world")
    assert text.simhash(ENGLISH) == text.simhash(ENGLISH.upper().replace(",", ""))
    assert text.simhash(ENGLISH) != text.simhash(GERMAN)
    assert 0 <= text.simhash(ENGLISH) < 1 << 64
    assert text.simhash("alpha beta gamma") == 0xec8b7878e45e555a  # blake2b and splitmix64: the same on every machine


def test_docx_of_pictures_only_is_scanned(tmp_path: Path) -> None:
    """A scan pasted into Word: a picture and no text needs OCR like a scanned PDF page."""
    docx = pytest.importorskip("docx")
    image = pytest.importorskip("PIL.Image")
    image.new("L", (64, 64), 200).save(tmp_path / "scan.png")
    document = docx.Document()
    document.add_picture(str(tmp_path / "scan.png"))
    document.save(str(tmp_path / "scan.docx"))
    facts = _facts(tmp_path / "scan.docx")
    assert (facts.pages, facts.text_pages, facts.scanned_pages, facts.words) == (1, 0, 1, 0)
    assert documents.quality(facts) == ("scanned_pages",)


def _blake(folded: str) -> int:
    return int.from_bytes(hashlib.blake2b(folded.encode(), digest_size=8).digest(), "little")


def test_skeleton_masks_digits_case_and_spacing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert text.skeleton("") == 0 and text.skeleton(" ,;. \n") == 0  # no words
    assert text.skeleton("  Invoice 1042,\n\tDUE  2026-03-01 ") == _blake("invoice 0000, due 0000-00-00")
    assert text.skeleton("invoice 9999, due 1999-12-31") == text.skeleton("Invoice 1042, due 2026-03-01")
    assert text.skeleton("Invoice 1042; due 2026-03-01") != text.skeleton("Invoice 1042, due 2026-03-01")
    assert text.skeleton("Straße ٣") == _blake("strasse 0")  # case folded; any decimal digit is masked
    monkeypatch.setattr(text, "SIMHASH_CHARS", 12)  # the same bounded text as SimHash
    assert text.skeleton("Invoice 1042 paid") == text.skeleton("invoice 1042 unpaid") == _blake("invoice 0000")


# one digit differs between the five files of each language: a short text's SimHash moves too many bits
NUMBERED = {
    "en": "Invoice 10{d}4 was sent to the client on Monday and the total that is due for the work of the team in "
          "March is 350 euros with tax, as we agreed with them.",
    "de": "Die Rechnung 10{d}4 wurde am Montag an den Kunden gesendet und der Betrag für die Arbeit des Teams im "
          "März ist 350 Euro mit Steuer, wie wir es mit ihnen vereinbart haben.",
}


def test_texts_differing_by_a_digit_are_near_duplicates(tmp_path: Path) -> None:
    """5 texts per language, each the first but for one digit: 4 near copies per language, whatever
    their SimHash distance (here some pairs are 7-10 bits apart, over text_near_distance)."""
    files: list[Examined] = []
    for lang, template in NUMBERED.items():
        for d in range(1, 6):
            path = tmp_path / f"{lang}_{d}.txt"
            path.write_text(template.format(d=d), encoding="utf-8")
            examined = _examine(path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files.append(Examined(MediaFile(path.name, "document", "txt", path.stat().st_size, 0, digest),
                                  examined.status, examined.reason, document=examined.document))
    facts = [item.document for item in files if item.document is not None]
    assert [f.language for f in facts] == ["en"] * 5 + ["de"] * 5
    assert len({f.skeleton for f in facts}) == 2 and len({f.simhash for f in facts}) == 10
    distances = [text.distance(facts[0].simhash, f.simhash) for f in facts[1:5]]
    assert max(distances) > SETTINGS.text_near_distance  # SimHash alone misses some of them

    def near(chosen: list[Examined]) -> tuple[int, list[str]]:
        dataset = MediaDataset("docs", "document", tuple(chosen), (None,) * len(chosen), (None,) * len(chosen), None)
        found = [f for f in media_checks.findings(dataset, Settings()) if f.check == "near_duplicate_texts"]
        return (found[0].count, found[0].details["examples"]) if found else (0, [])

    assert near(files[:5]) == (4, ["en_2.txt", "en_3.txt", "en_4.txt", "en_5.txt"])
    assert near(files[5:]) == (4, ["de_2.txt", "de_3.txt", "de_4.txt", "de_5.txt"])
    assert near(files)[0] == 8
