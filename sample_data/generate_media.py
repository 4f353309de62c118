"""Make the demo media folders (photos, recordings, documents): seeded, byte-reproducible, each with
a manifest of the defects injected (sample_data/manifests/<name>.json, outside the folders).

Usage: python sample_data/generate_media.py [OUT_DIR]   (default: the folder this script is in)

Every defect is a file written on purpose, so its count is known by construction. Where defects
interact (a copy of a training image placed in test is also an exact duplicate), the manifest's
count is what the rules say of the final folder; the notes say which file makes which count.
Reproducible byte for byte: fixed seeds, fixed encoder settings, no timestamps in any file (DOCX
zip entries carry a fixed date, its core properties fixed dates).
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import wave
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SEED = 20261130
JPEG_QUALITY = 85
FIXED_ZIP_DATE = (2026, 1, 1, 0, 0, 0)
FIXED_DATE = datetime(2026, 1, 1, 9, 0, 0)
MIN_DISTANCE = 12  # difference-hash bits between any two distinct pictures (near duplicates: <= 4)
SIZES = [(160, 120), (200, 150), (240, 180), (256, 192), (224, 168), (120, 160), (150, 200), (180, 240)]


def _write_manifest(out: Path, dataset: str, defects: list[tuple[str, int]], notes: str) -> None:
    manifest = {"dataset": dataset, "seed": SEED, "notes": notes,
                "defects": [{"check": check, "table": ".", "column": None, "path": None, "count": count}
                            for check, count in defects]}
    manifests = out / "manifests"
    manifests.mkdir(parents=True, exist_ok=True)
    (manifests / f"{dataset}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


# --- photos ---------------------------------------------------------------------------------------

def _texture(rng: np.random.Generator, size: tuple[int, int], noise: float = 10.0) -> np.ndarray:
    """A natural-ish picture: a soft gradient, large random shapes (they set the coarse layout, so
    each picture's difference hash is its own) and fine grain (sharpness, entropy). Float RGB array."""
    width, height = size
    image = Image.new("RGB", size, tuple(int(v) for v in rng.integers(60, 200, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(7, 12))):
        x0, y0 = int(rng.integers(-width // 4, width)), int(rng.integers(-height // 4, height))
        x1, y1 = x0 + int(rng.integers(width // 5, int(width // 1.5))), y0 + int(rng.integers(height // 5, int(height // 1.5)))
        colour = tuple(int(v) for v in rng.integers(20, 236, 3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
    pixels = np.asarray(image, dtype=np.float64)
    ramp = np.linspace(-1.0, 1.0, width)[None, :, None] * rng.uniform(-25, 25)
    ramp = ramp + np.linspace(-1.0, 1.0, height)[:, None, None] * rng.uniform(-25, 25)
    return pixels + ramp + rng.normal(0.0, noise, pixels.shape)


def _to_image(pixels: np.ndarray, target: float | None = None) -> Image.Image:
    """Shift the picture so its mean grey level is ``target`` (a good photo: 90-170)."""
    if target is not None:
        grey = pixels @ np.array([0.299, 0.587, 0.114])
        pixels = pixels + (target - grey.mean())
    return Image.fromarray(np.clip(pixels, 0, 255).round().astype(np.uint8), "RGB")


def _jpeg(image: Image.Image, quality: int = JPEG_QUALITY, exif: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, Any] = {"quality": quality, "optimize": False, "progressive": False, "subsampling": 2}
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=9, optimize=False)
    return buffer.getvalue()


def _exif(kind: str) -> bytes:
    """EXIF with one kind of personal metadata (so files and values count the same)."""
    exif = Image.Exif()
    exif[0x010F] = "Acme"  # make
    exif[0x0110] = "Acme X100"  # model: not personal
    if kind == "gps":
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.5), 3: "E", 4: (13.0, 24.0, 17.8)}
    elif kind == "capture_time":
        exif[0x8769] = {0x9003: "2026:05:14 08:31:07"}
    elif kind == "serial":
        exif[0x8769] = {0xA431: "AX100-0042317"}
    elif kind == "owner":
        exif[0x013B] = "Jane Miller"  # Artist
    return exif.tobytes()


def _dhash(image: Image.Image) -> int:
    """The 64-bit difference hash of the grey picture at 9x8 (as readiness/media/images.py measures it)."""
    grey = image.convert("L")
    grey.thumbnail((256, 256), Image.Resampling.BILINEAR)
    small = np.asarray(grey.resize((9, 8), Image.Resampling.BOX), dtype=np.int16)
    return int.from_bytes(np.packbits((small[:, :-1] > small[:, 1:]).ravel()).tobytes(), "big")


def _two_tone() -> Image.Image:
    """A low-information frame: light left half, dark right half (1 bit of entropy, sharp edge)."""
    image = Image.new("RGB", (200, 150), (190, 190, 190))
    ImageDraw.Draw(image).rectangle((100, 0, 199, 149), fill=(70, 70, 70))
    return image


class Distinct:
    """Draws pictures until each is at least MIN_DISTANCE bits from every picture kept so far, so
    the only near duplicates in the folder are the ones made on purpose."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.hashes: list[int] = [0, _dhash(_two_tone())]  # the low-information frames' hashes

    def keep(self, make: Any) -> Image.Image:
        while True:
            image: Image.Image = make()
            value = _dhash(image)
            if all((value ^ other).bit_count() >= MIN_DISTANCE for other in self.hashes):
                self.hashes.append(value)
                return image

    def good(self, grey: bool = False) -> Image.Image:
        def make() -> Image.Image:
            size = SIZES[int(self.rng.integers(len(SIZES)))]
            return _to_image(_texture(self.rng, size), target=float(self.rng.uniform(100, 160)))
        image = self.keep(make)
        return image.convert("L") if grey else image


def photos(root: Path) -> None:
    """An image classification folder: train/ and test/ with class folders, and the defects below."""
    folder = root / "photos"
    _fresh(folder)
    rng = np.random.default_rng(SEED)
    pictures = Distinct(rng)
    files: dict[str, bytes] = {}

    def put(name: str, data: bytes) -> None:
        assert name not in files, name
        files[name] = data

    plan = [("train/cat", "cat", 55), ("train/dog", "dog", 55), ("train/Cat", "Cat", 20), ("train/bird", "bird", 5),
            ("test/cat", "cat", 24), ("test/dog", "dog", 24)]
    greys = {"train/cat/cat_0030.jpg", "train/dog/dog_0030.jpg", "test/cat/cat_0210.jpg"}
    exif_kinds = {"train/cat/cat_0001.jpg": "gps", "train/cat/cat_0002.jpg": "capture_time",
                  "train/dog/dog_0001.jpg": "serial", "train/dog/dog_0002.jpg": "owner"}
    for place, stem, count in plan:
        offset = 200 if place.startswith("test") else 0
        for i in range(count):
            name = f"{place}/{stem.lower()}_{offset + i:04d}.jpg"
            if place == "train/Cat":
                name = f"{place}/Cat_{i:04d}.jpg"
            kind = exif_kinds.get(name)
            put(name, _jpeg(pictures.good(grey=name in greys), exif=_exif(kind) if kind else None))

    # corrupt_file: a JPEG cut mid-scan, and an empty file
    whole = _jpeg(pictures.good())
    put("train/dog/dog_0900.jpg", whole[: len(whole) // 2])
    put("test/cat/cat_0901.jpg", b"")
    # wrong_extension: a PNG named .jpg (still readable: status ok)
    put("train/cat/cat_0902.jpg", _png(pictures.good()))
    # duplicate_files: three plain byte copies beside their originals
    for original in ("train/cat/cat_0003.jpg", "train/dog/dog_0005.jpg", "test/dog/dog_0203.jpg"):
        put(original.replace(".jpg", "_copy.jpg"), files[original])
    # split_overlap: two training images copied into test (also exact duplicates)
    put("test/cat/cat_0903.jpg", files["train/cat/cat_0010.jpg"])
    put("test/dog/dog_0904.jpg", files["train/dog/dog_0011.jpg"])
    # conflicting_labels: the same bytes filed under cat and under dog (also exact duplicates)
    put("train/dog/dog_0905.jpg", files["train/cat/cat_0012.jpg"])
    put("train/cat/cat_0906.jpg", files["train/dog/dog_0013.jpg"])
    # near_duplicate_images: one re-saved at a lower quality, one resized to 90%
    put("train/cat/cat_0907.jpg", _jpeg(Image.open(io.BytesIO(files["train/cat/cat_0020.jpg"])), quality=70))
    source = Image.open(io.BytesIO(files["train/dog/dog_0021.jpg"]))
    put("train/dog/dog_0908.jpg", _jpeg(source.resize((source.width * 9 // 10, source.height * 9 // 10),
                                                      Image.Resampling.LANCZOS)))
    # dark_images, overexposed_images: fresh pictures (no near copies of others), grain kept for sharpness
    for name, scale, target in (("train/cat/cat_0910.jpg", 0.25, 20.0), ("test/dog/dog_0911.jpg", 0.25, 24.0),
                                ("train/dog/dog_0912.jpg", 0.25, 236.0), ("test/cat/cat_0913.jpg", 0.25, 232.0)):
        def exposed(scale: float = scale, target: float = target) -> Image.Image:
            size = SIZES[int(rng.integers(len(SIZES)))]
            pixels = _texture(rng, size) * scale + rng.normal(0.0, 9.0, (size[1], size[0], 3))
            return _to_image(pixels, target=target)
        put(name, _jpeg(pictures.keep(exposed)))
    # blurry_images: GaussianBlur radius 5
    for name in ("train/cat/cat_0914.jpg", "train/dog/dog_0915.jpg", "test/dog/dog_0916.jpg"):
        put(name, _jpeg(pictures.good().filter(ImageFilter.GaussianBlur(5))))
    # low_information_images: a blank grey frame and a two-tone frame (PNG: no JPEG ringing)
    put("train/dog/dog_0917.png", _png(Image.new("RGB", (200, 150), (128, 128, 128))))
    put("test/cat/cat_0918.png", _png(_two_tone()))
    # odd_size_images: a thin strip and a banner
    put("train/cat/cat_0919.jpg", _jpeg(pictures.keep(lambda: _to_image(_texture(rng, (20, 200)), target=130.0))))
    put("train/dog/dog_0920.jpg", _jpeg(pictures.keep(lambda: _to_image(_texture(rng, (400, 64), noise=18.0), target=130.0))))

    for name, data in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (folder / "readiness.toml").write_text(PHOTOS_CONFIG, encoding="utf-8")
    _write_manifest(root, "photos", [
        ("corrupt_file", 2), ("wrong_extension", 1), ("duplicate_files", 7), ("near_duplicate_images", 2),
        ("dark_images", 2), ("overexposed_images", 2), ("blurry_images", 3), ("low_information_images", 2),
        ("odd_size_images", 2), ("class_too_small", 5), ("label_variants", 20), ("split_overlap", 2),
        ("conflicting_labels", 4), ("pii", 4), ("mixed_image_modes", 3),
    ], "train/ and test/ with class folders cat, dog, bird (and 'Cat', a case variant of cat, 20 images: "
       "label_variants 20). corrupt_file: train/dog/dog_0900.jpg cut mid-scan, test/cat/cat_0901.jpg empty. "
       "wrong_extension: train/cat/cat_0902.jpg is a PNG (status ok). duplicate_files 7 = copies after the first: "
       "3 *_copy.jpg + 2 split-overlap copies + 2 conflicting copies. split_overlap: test/cat/cat_0903.jpg and "
       "test/dog/dog_0904.jpg repeat training images. conflicting_labels 4 = both files of 2 pairs "
       "(dog_0905 = cat_0012, cat_0906 = dog_0013). near_duplicate_images 2 = files after the first of 2 pairs "
       "(cat_0907 re-saved at quality 70 from cat_0020, dog_0908 resized to 90% from dog_0021; exact copies not "
       "counted again). dark: cat_0910, dog_0911; overexposed: dog_0912, cat_0913; blurry (GaussianBlur 5): cat_0914, "
       "dog_0915, dog_0916; low information: dog_0917.png (blank grey), cat_0918.png (two tones); odd size: "
       "cat_0919 (20x200), dog_0920 (400x64). class_too_small: bird has 5 images (min 20). pii 4: one kind of "
       "personal EXIF each in cat_0001 (GPS), cat_0002 (capture time), dog_0001 (body serial), dog_0002 (artist). "
       "mixed_image_modes 3: three greyscale (L) images among RGB ones.")


PHOTOS_CONFIG = """\
# Demo config for the photo folder (see docs/configuration.md).
[project]
goal = "Tell cats from dogs (and birds) in photos sent in by app users"
"""


# --- recordings -----------------------------------------------------------------------------------

def _wav(samples: np.ndarray, rate: int, width: int) -> bytes:
    """Mono PCM WAV from floats in [-1, 1]: width 1 (8-bit unsigned) or 2 (16-bit signed)."""
    if width == 1:
        data = np.clip(np.round(samples * 127.0) + 128, 0, 255).astype(np.uint8).tobytes()
    else:
        data = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(width)
        handle.setframerate(rate)
        handle.writeframes(data)
    return buffer.getvalue()


def _clip(rng: np.random.Generator, seconds: float, rate: int, level: float = 0.3) -> np.ndarray:
    """A tone sweep with a noise burst: audible, well below full scale."""
    t = np.arange(int(round(seconds * rate))) / rate
    base = float(rng.uniform(180, 900))
    tone = np.sin(2 * np.pi * (base * t + float(rng.uniform(-60, 60)) * t * t))
    envelope = np.minimum(1.0, np.minimum(t, t[-1] - t + 1.0 / rate) * 20.0)
    burst = rng.normal(0.0, 0.15, len(t)) * (np.abs(np.sin(np.pi * t * float(rng.uniform(1, 4)))) > 0.7)
    return np.clip(level * envelope * tone + burst * 0.5, -0.6, 0.6)


TRANSCRIPTS = {
    "lights_on": ["turn the lights on", "lights on please", "switch on the light", "light on now"],
    "lights_off": ["turn the lights off", "lights off please", "switch off the light", "lights out"],
    "music": ["play some music", "start the music", "music please", "play my playlist"],
}


def recordings(root: Path) -> None:
    """Voice-command clips with labels.csv (path,label,transcript,split), and the defects below."""
    folder = root / "recordings"
    _fresh(folder)
    rng = np.random.default_rng(SEED + 1)
    labels = list(TRANSCRIPTS)
    rows: list[tuple[str, str, str, str]] = []
    short = {4: 0.3, 17: 0.25}
    eight_khz = {7, 14, 21}
    for i in range(28):
        label = labels[i % 3]
        transcript = TRANSCRIPTS[label][int(rng.integers(4))]
        name = f"clip_{i:03d}.wav"
        rate = 8000 if i in eight_khz else 16000
        seconds = short.get(i, float(rng.uniform(1.2, 2.8)))
        if i in short:  # a word said quickly fits a quarter second
            transcript = {"lights_on": "lights on", "lights_off": "lights off", "music": "music"}[label]
        if i == 9:  # clips_too_long: 31 s at 8 kHz, 8-bit (small), a transcript to match
            rate, seconds = 8000, 31.0
            transcript = " then ".join(TRANSCRIPTS[label] * 6)
        samples = _clip(rng, seconds, rate)
        width = 1
        if i == 11:  # silent_audio: a faint hiss far below -60 dBFS (16-bit: 8-bit cannot be that quiet)
            samples, width = rng.normal(0.0, 2.0 / 32768, len(samples)), 2
            transcript = ""  # nothing said: an empty transcript is the one that fits
        if i == 23:  # clipped_audio: a tone driven past full scale
            t = np.arange(len(samples)) / rate
            samples, width = np.clip(1.8 * np.sin(2 * np.pi * 440.0 * t), -1.0, 1.0), 2
        if i == 5:  # transcript_mismatch: one second of audio, 500 characters of transcript
            samples = _clip(rng, 1.0, rate)
            transcript = ("please turn on the lights in the kitchen and the hall and then " * 8)[:500]
        data = _wav(samples, rate, width)
        if i == 26:  # corrupt_file: the header is cut short
            data = data[:30]
        (folder / name).write_bytes(data)
        split = "test" if i % 5 == 4 else "train"
        rows.append((name, label, transcript, split))
    import soundfile

    flac = _clip(rng, 1.5, 16000)
    soundfile.write(str(folder / "clip_028.flac"), flac, 16000, format="FLAC", subtype="PCM_16")
    rows.append(("clip_028.flac", "music", "play the next song", "train"))
    rows.append(("clip_090.wav", "lights_on", "lights on please", "train"))  # label_file_missing
    rows.append(("clip_091.wav", "music", "play some music", "test"))
    for i in range(2):  # unlabeled_files: no row names them
        (folder / f"extra_{i:03d}.wav").write_bytes(_wav(_clip(rng, 1.5, 16000), 16000, 1))
    lines = ["path,label,transcript,split"] + [",".join(row) for row in rows]
    (folder / "labels.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "readiness.toml").write_text(RECORDINGS_CONFIG, encoding="utf-8")
    _write_manifest(root, "recordings", [
        ("mixed_sample_rates", 4), ("clips_too_short", 2), ("clips_too_long", 1), ("silent_audio", 1),
        ("clipped_audio", 1), ("corrupt_file", 1), ("label_file_missing", 2), ("unlabeled_files", 2),
        ("transcript_mismatch", 1),
    ], "Voice commands (lights_on, lights_off, music) beside labels.csv with path,label,transcript,split; "
       "mono 16 kHz 8-bit WAVs and one FLAC. mixed_sample_rates 4 = files not at 16 kHz: clip_007, clip_014, "
       "clip_021 and the long clip_009 at 8 kHz. clips_too_short: clip_004 (0.3 s), clip_017 (0.25 s). "
       "clips_too_long: clip_009 (31 s). silent_audio: clip_011 (16-bit faint hiss, about -84 dBFS). "
       "clipped_audio: clip_023 (16-bit tone past full scale). corrupt_file: clip_026.wav, header cut at 30 bytes. "
       "label_file_missing: rows naming clip_090.wav and clip_091.wav, which do not exist. unlabeled_files: "
       "extra_000.wav, extra_001.wav. transcript_mismatch: clip_005, 1 s with a 500-character transcript. "
       "[label] min_class_count = 5 in readiness.toml (about 10 clips a class).")


RECORDINGS_CONFIG = """\
# Demo config for the voice-command recordings (see docs/configuration.md).
[project]
goal = "Recognise three smart-home voice commands from short recordings"

[label]
min_class_count = 5
"""


# --- documents ------------------------------------------------------------------------------------

NOUNS = ["supplier", "customer", "service", "delivery", "payment", "contract", "agreement", "party", "invoice",
         "order", "account", "warehouse", "shipment", "licence", "software", "support", "period", "notice",
         "amount", "schedule", "project", "report", "review", "team", "office", "product", "quality", "price",
         "budget", "request", "meeting", "proposal", "term", "renewal", "policy", "record", "equipment", "fee"]
VERBS = ["provides", "confirms", "requires", "includes", "covers", "describes", "extends", "replaces", "accepts",
         "reviews", "approves", "lists", "receives", "sends", "updates", "records", "delivers", "signs"]
ADJECTIVES = ["annual", "monthly", "written", "new", "final", "standard", "additional", "current", "agreed",
              "previous", "separate", "full", "regular", "local", "early", "late", "open", "formal"]
GERMAN = ("Der Vertrag wird auf unbestimmte Zeit geschlossen und kann von beiden Seiten mit einer Frist von drei "
          "Monaten zum Ende eines Quartals gekündigt werden. Die Zahlung ist innerhalb von dreißig Tagen nach "
          "Erhalt der Rechnung fällig. Der Lieferant ist verpflichtet, die Ware in einwandfreiem Zustand zu liefern, "
          "und die Kosten für den Versand werden von dem Kunden getragen, wenn nicht anders vereinbart. "
          "Änderungen und Ergänzungen dieses Vertrages bedürfen der Schriftform. Sollte eine Bestimmung unwirksam "
          "sein, bleibt die Wirksamkeit der übrigen Bestimmungen unberührt. Es gilt das Recht der Bundesrepublik "
          "Deutschland, und der Gerichtsstand ist der Sitz des Lieferanten.")
GERMAN_2 = ("Sehr geehrte Damen und Herren, wir bedanken uns für Ihre Anfrage und senden Ihnen gerne unser Angebot. "
            "Die Preise verstehen sich zuzüglich der gesetzlichen Mehrwertsteuer und gelten für die nächsten vier "
            "Wochen. Die Lieferung erfolgt in der Regel innerhalb von zwei Wochen nach Eingang der Bestellung. Bei "
            "Fragen zu dem Angebot stehen wir Ihnen jederzeit gerne zur Verfügung, und wir freuen uns auf die "
            "Zusammenarbeit mit Ihnen. Mit freundlichen Grüßen, das Team des Vertriebs.")


def _sentences(rng: np.random.Generator, count: int) -> list[str]:
    """English sentences, each drawn afresh, so no two documents share their word sequences."""
    out = []
    for _ in range(count):
        def pick(words: list[str]) -> str:
            return words[int(rng.integers(len(words)))]
        out.append(f"The {pick(ADJECTIVES)} {pick(NOUNS)} {pick(VERBS)} the {pick(NOUNS)} for the "
                   f"{pick(ADJECTIVES)} {pick(NOUNS)} and the {pick(NOUNS)} of this {pick(NOUNS)}.")
    return out


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(pages: list[list[str] | None], extra_catalog: str = "", trailer_extra: str = "",
         extra_objects: list[bytes] | None = None) -> bytes:
    """A minimal PDF: one page per entry, a Helvetica text stream for a list of lines, an image-only
    page (a small grey picture, no text layer) for None. Correct xref table, no dates, no /ID."""
    objects: list[bytes] = []
    count = len(pages)
    first_page = 4
    kids = " ".join(f"{first_page + 3 * i} 0 R" for i in range(count))
    objects.append(f"<< /Type /Catalog /Pages 2 0 R{extra_catalog} >>".encode())
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        number = first_page + 3 * i
        if lines is None:
            picture = bytes(((x * 7 + y * 13) % 200 + 30) for y in range(16) for x in range(16))
            content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
            resources = f"<< /XObject << /Im1 {number + 2} 0 R >> >>"
            image = (b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                     b"/BitsPerComponent 8 /Length " + str(len(picture)).encode() + b" >>\nstream\n" + picture
                     + b"\nendstream")
        else:
            text = "".join(f"({_pdf_escape(line)}) Tj T* " for line in lines)
            content = f"BT /F1 10 Tf 14 TL 50 760 Td {text}ET".encode("latin-1")
            resources = "<< /Font << /F1 3 0 R >> >>"
            image = b"<< >>"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources {resources} "
                       f"/Contents {number + 1} 0 R >>".encode())
        objects.append(b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream")
        objects.append(image)
    objects.extend(extra_objects or [])
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _wrap(sentences: list[str], width: int = 90) -> list[str]:
    lines, line = [], ""
    for word in " ".join(sentences).split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _docx(title: str, paragraphs: list[str]) -> bytes:
    """A DOCX by python-docx, re-zipped with fixed entry dates (python-docx stamps the clock)."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    properties = document.core_properties
    properties.author = "Records office"
    properties.last_modified_by = "Records office"
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def documents(root: Path) -> None:
    """A labeled document folder (invoices/, contracts/, letters/) of PDF, DOCX, TXT and MD files."""
    folder = root / "documents"
    _fresh(folder)
    rng = np.random.default_rng(SEED + 2)
    files: dict[str, bytes] = {}

    def text_pdf(count: int, **options: Any) -> bytes:
        return _pdf([_wrap(_sentences(rng, count))], **options)

    files["invoices/invoice_001.pdf"] = text_pdf(12)
    files["invoices/invoice_002.pdf"] = text_pdf(14)
    files["invoices/invoice_003.docx"] = _docx("Invoice summary", [" ".join(_sentences(rng, 6)),
                                                                   " ".join(_sentences(rng, 6))])
    # pii (1 of 2): a phone number in an invoice note
    files["invoices/invoice_004.txt"] = ("\n".join(_wrap(_sentences(rng, 10)))
                                         + "\nFor questions about this invoice call +44 20 7946 0958.\n").encode()
    files["contracts/contract_001.pdf"] = text_pdf(15)
    # scanned_pages: one page of text, two image-only pages (no text layer)
    files["contracts/contract_002.pdf"] = _pdf([_wrap(_sentences(rng, 12)), None, None])
    # corrupt_file: encrypted with a user password we do not have
    secret = rng.integers(0, 256, 96).astype(np.uint8).tobytes()
    encrypt = (b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -3904 /O <" + secret[:32].hex().encode() + b"> /U <"
               + secret[32:64].hex().encode() + b"> >>")
    files["contracts/contract_003.pdf"] = _pdf(
        [["\x8a\x13\x99\xf0 \x02\x7f\xe1\xb4"]], extra_objects=[encrypt],
        trailer_extra=f" /Encrypt 7 0 R /ID [<{secret[64:80].hex()}> <{secret[80:96].hex()}>]")
    files["contracts/contract_004.docx"] = _docx("Service agreement", [" ".join(_sentences(rng, 7)),
                                                                      " ".join(_sentences(rng, 7))])
    files["contracts/contract_005.md"] = ("# Liefervertrag\n\n" + GERMAN + "\n").encode("utf-8")  # language_mix
    # pii (2 of 2): an email address in a letter
    files["letters/letter_001.txt"] = ("\n".join(_wrap(_sentences(rng, 10)))
                                       + "\nPlease send the signed copy to jane.miller@example.com by Friday.\n"
                                       ).encode()
    # near_duplicate_texts: the same letter wrapped at another width, with other capitals and punctuation
    letter = _sentences(rng, 14)
    files["letters/letter_002.txt"] = ("\n".join(_wrap(letter, 90)) + "\n").encode()
    files["letters/letter_003.txt"] = ("\n\n".join(_wrap([s.upper().replace(".", ";") for s in letter], 60))
                                       + "\n").encode()
    files["letters/letter_004.md"] = ("# Angebot\n\n" + GERMAN_2 + "\n").encode("utf-8")  # language_mix
    # pdf_javascript: a letter that runs a script when opened
    files["letters/letter_005.pdf"] = text_pdf(
        12, extra_catalog=" /OpenAction << /S /JavaScript /JS (app.alert\\('Thank you'\\);) >>")
    for name, data in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (folder / "readiness.toml").write_text(DOCUMENTS_CONFIG, encoding="utf-8")
    _write_manifest(root, "documents", [
        ("scanned_pages", 2), ("corrupt_file", 1), ("language_mix", 2), ("near_duplicate_texts", 1), ("pii", 2),
        ("pdf_javascript", 1),
    ], "Business documents in class folders invoices/, contracts/, letters/ (PDF, DOCX, TXT, MD). scanned_pages: "
       "contracts/contract_002.pdf has 1 text page and 2 image-only pages. corrupt_file: contracts/contract_003.pdf "
       "is encrypted with an unknown user password. language_mix 2 = documents not in English: "
       "contracts/contract_005.md and letters/letter_004.md are German. near_duplicate_texts 1 = the second of a "
       "pair: letters/letter_003.txt is letter_002.txt re-wrapped, upper-cased, with other punctuation. pii 2: a "
       "phone number in invoices/invoice_004.txt, an email address in letters/letter_001.txt (one value each). "
       "pdf_javascript: letters/letter_005.pdf has an /OpenAction JavaScript. [label] min_class_count = 3.")


DOCUMENTS_CONFIG = """\
# Demo config for the document folder (see docs/configuration.md).
[project]
goal = "Sort incoming business documents into invoices, contracts and letters"

[label]
min_class_count = 3
"""


def main(out: Path) -> None:
    photos(out)
    recordings(out)
    documents(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
