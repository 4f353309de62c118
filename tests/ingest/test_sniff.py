"""Media files are recognised by their first bytes, not their names."""

from __future__ import annotations

import io
import wave
import zipfile

import pytest
from PIL import Image

from readiness.ingest import sniff


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 80)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "kind", "fmt", "claimed"), [
    ("a.png", _png, "image", "png", None),
    ("a.jpg", _png, "image", "png", "jpeg"),  # a PNG named .jpg: a PNG with a wrong extension
    ("scan0001", _jpeg, "image", "jpeg", None),  # no extension: still a photo
    ("clip.wav", _wav, "audio", "wav", None),
    ("clip.mp3", _wav, "audio", "wav", "mp3"),
    ("a.flac", lambda: b"fLaC\x00\x00\x00\x22" + b"\x00" * 40, "audio", "flac", None),
    ("a.ogg", lambda: b"OggS\x00\x02" + b"\x00" * 40, "audio", "ogg", None),
    ("a.mp3", lambda: b"ID3\x04\x00\x00" + b"\x00" * 40, "audio", "mp3", None),
    ("a.pdf", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "document", "pdf", None),
    ("a.docx", _docx, "document", "docx", None),
    ("notes.txt", lambda: b"hello there", "document", "txt", None),
    ("notes.md", lambda: b"# title", "document", "md", None),
    ("a.gif", lambda: b"GIF89a" + b"\x00" * 20, "image", "gif", None),
    ("a.webp", lambda: b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image", "webp", None),
    ("a.tif", lambda: b"II*\x00" + b"\x00" * 20, "image", "tiff", None),
    ("a.heic", lambda: b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20, "image", "heic", None),
    ("broken.jpg", lambda: b"this is not an image", "image", "jpeg", None),  # its decoder rejects it
])
def test_sniff_by_content(tmp_path, name, content, kind, fmt, claimed):
    path = tmp_path / name
    path.write_bytes(content())
    found = sniff.sniff(path)
    assert found is not None
    assert (found.kind, found.format, found.claimed) == (kind, fmt, claimed)


@pytest.mark.parametrize("name", ["data.bin", "model.onnx", "archive.xyz", "a.docx"])
def test_not_media(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 not a real zip" if name.endswith(".docx") else b"\x00\x01\x02 plain bytes")
    assert sniff.sniff(path) is None if not name.endswith(".docx") else sniff.sniff(path).format == "docx"


def test_documentation_names():
    from pathlib import Path

    assert sniff.is_documentation(Path("README.pdf"))
    assert sniff.is_documentation(Path("LICENSE.txt"))
    assert sniff.is_documentation(Path("readme_2.md"))
    assert not sniff.is_documentation(Path("invoice_readme_x.pdf"))
    assert not sniff.is_documentation(Path("contract.pdf"))
