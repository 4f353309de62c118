"""Write a seeded corpus of broken and hostile media files (and a few good ones) into a folder.

Usage: python tests/corpus/media.py OUT_DIR

Each entry is (relative path, the statuses it may end with); the files are made here, small, so the
repository holds the recipe, not the bombs. Names and folder names are hostile too: markup that
would run in a browser, and an email address as a class folder (personal data in a name).
"""

from __future__ import annotations

import io
import random
import struct
import sys
import wave
import zipfile
import zlib
from pathlib import Path

SEED = 19
MARKER = "SEEDED-MEDIA-4711"  # text inside hostile files that no reason, report or packet may quote
EMAIL_FOLDER = "jane.doe@example.com"
SCRIPT_PATH = "<script>alert(1)</script>.jpg"  # a folder "<script>alert(1)<" holding "script>.jpg"
IMG_FOLDER = "<img src=x onerror=alert(1)>"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header claiming width x height pixels (10 gigapixels), its data a little zlib of
    zeros: a few hundred bytes on disk, tens of gigabytes if decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    data = zlib.compress(b"\0" * (1 << 20), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def jpeg(seed: int, size: tuple[int, int] = (96, 72)) -> bytes:
    """A small valid JPEG with noise and a stripe (distinct per seed)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    pixels = rng.integers(40, 216, (size[1], size[0], 3), dtype=np.uint8)
    pixels[:, seed % size[0]] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def gif_frames(count: int) -> bytes:
    """An animated GIF of ``count`` 1x1 frames, written by hand (cheap to make, costly to walk)."""
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff")
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    frame = (b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 10 ms
             b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00"  # image descriptor 1x1
             b"\x02\x02\x44\x01\x00")  # LZW min code 2, one sub-block: clear, index 0, end
    out += frame * count + b"\x3b"
    return bytes(out)


def wav_claiming(data_bytes: int, actual: bytes) -> bytes:
    """A WAV whose RIFF and data sizes claim ``data_bytes`` while the file holds ``actual`` only."""
    fmt = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
    riff = min(0xFFFFFFFF, 36 + data_bytes)
    return (b"RIFF" + struct.pack("<I", riff) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", min(0xFFFFFFFF, data_bytes)) + actual)


def wav(seconds: float = 0.8) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(1)
        handle.setframerate(8000)
        handle.writeframes(bytes((128 + int(60 * ((i // 9) % 2 * 2 - 1))) for i in range(int(seconds * 8000))))
    return buffer.getvalue()


def pdf(body_objects: list[bytes], trailer: str = "", xref: bool = True) -> bytes:
    """A PDF from its object bodies (object 1 the catalog), with a correct xref table unless told."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(body_objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += f"xref\n0 {len(body_objects) + 1}\n0000000000 65535 f \n".encode()
        out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(body_objects) + 1} /Root 1 0 R{trailer} >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def _page_objects(text: str, catalog_extra: str = "", page_extra: str = "") -> list[bytes]:
    stream = f"BT /F1 12 Tf 50 700 Td ({text}) Tj ET".encode()
    return [
        f"<< /Type /Catalog /Pages 2 0 R{catalog_extra} >>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         f"/Resources << /Font << /F1 5 0 R >> >>{page_extra} >>").encode(),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def docx_bomb() -> bytes:
    """A DOCX-shaped zip whose document.xml unpacks to 60 MB (about 60 KB on disk: a ratio near 1,000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (60 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


def build(out: Path) -> dict[str, set[str]]:
    """Write the corpus; returns {relative path: the statuses the file may end with}."""
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, set[str]] = {}

    def put(name: str, data: bytes, *statuses: str) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[name] = set(statuses)

    good = jpeg(1)
    # good files in hostile class folders
    for i, folder in enumerate(("cat", IMG_FOLDER, EMAIL_FOLDER)):
        for j in range(3):
            put(f"{folder}/img_{j}.jpg", jpeg(10 * i + j + 2), "ok")
    put(SCRIPT_PATH, jpeg(40), "ok")
    # images
    put("cat/bomb.png", png_bomb(), "rejected")
    put("cat/truncated_scan.jpg", good[: len(good) * 2 // 3], "rejected")
    put("cat/empty.jpg", b"", "rejected")
    put("cat/garbage.png", b"\x89PNG\r\n\x1a\n" + MARKER.encode() + bytes(rng.getrandbits(8) for _ in range(2048)),
        "rejected")
    put("cat/not_an_image.png", (MARKER + " plain text, named .png\n").encode(), "rejected")
    put("cat/frames.gif", gif_frames(10_000), "ok", "rejected")
    # audio
    put("sounds/empty.wav", b"", "rejected")
    put("sounds/claims_10gb.wav", wav_claiming(10 * 1024**3, b"\0\1" * 8000), "ok", "rejected")
    put("sounds/garbage.wav", b"RIFF\xff\xff\xff\xffWAVE" + MARKER.encode() + bytes(rng.getrandbits(8) for _ in range(512)),
        "rejected")
    put("sounds/good.wav", wav(), "ok")
    # documents
    put("docs/empty.pdf", b"", "rejected")
    put("docs/javascript_launch.pdf", pdf(_page_objects(
        f"Quarterly letter {MARKER}", catalog_extra=" /OpenAction << /S /JavaScript /JS (app.alert\\(1\\);) >>",
        page_extra=" /AA << /O << /S /Launch /F (calc.exe) >> >>")), "ok", "rejected")
    looped = pdf(_page_objects(f"xref loop {MARKER}"), trailer=" /Prev 9", xref=True)
    put("docs/xref_loop.pdf", looped.replace(b"/Prev 9", b"/Prev " + str(looped.index(b"xref")).encode()),
        "ok", "rejected")
    put("docs/garbage.pdf", b"%PDF-1.7\n" + MARKER.encode() + bytes(rng.getrandbits(8) for _ in range(4096)), "rejected")
    secret = bytes(rng.getrandbits(8) for _ in range(64))
    encrypted = _page_objects(MARKER) + [b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -3904 /O <" + secret[:32].hex().encode()
                                         + b"> /U <" + secret[32:].hex().encode() + b"> >>"]
    put("docs/encrypted.pdf", pdf(encrypted, trailer=" /Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> "
                                                    "<00112233445566778899aabbccddeeff>]"), "rejected")
    put("docs/bomb.docx", docx_bomb(), "rejected")
    return expected


if __name__ == "__main__":
    for name, statuses in sorted(build(Path(sys.argv[1])).items()):
        print(f"{'/'.join(sorted(statuses)):12} {name!r}")
