"""The image examiner: a header pass and one reduced decode per image, turned into numbers a model
trainer cares about (size, exposure, sharpness, information, a perceptual hash) and the kinds of
personal data in its metadata. No pixel and no metadata value leaves this module, except the
stripped thumbnail asked for by the contact sheet.

How each statistic is measured (on the *reduced grey copy*: the image converted to 8-bit grey,
transparent pixels laid over white, scaled so its long side is at most 256 pixels; a large JPEG is
decoded at 1/2, 1/4 or 1/8 scale by libjpeg's DCT scaling, its long side then 224 to 256 pixels:
that is what keeps a pass above 100 images a second per core):

- **brightness**: the mean grey level, 0 (black) to 255 (white). An image is *dark*
  (``dark_images``) when it is below ``[media] dark_brightness`` (default 40: a frame taken with
  the lens cap on, a night shot with nothing lit) and *overexposed* (``overexposed_images``) when
  it is above ``[media] bright_brightness`` (default 215: washed out, the subject lost in white).
  ``dark_share`` and ``bright_share`` are the shares of pixels at or below 20 and at or above 245
  (clipped shadows and highlights), kept for the report.
- **sharpness**: the variance of the 3x3 Laplacian (``[0,1,0; 1,-4,1; 0,1,0]``) of the reduced copy:
  edges and texture give large second differences, a defocused or motion-blurred frame small ones.
  An image is *blurry* (``blurry_images``) below ``[media] blur_threshold`` (default 100), unless it
  is dark, overexposed or low-information: such a frame has little contrast to blur, and is counted
  for what it is.
- **entropy**: the Shannon entropy, in bits (0-8), of the 256-bin grey histogram. A blank, single
  colour or nearly empty frame (a placeholder, a scanner's empty page) has little; a photograph has
  6-8 bits. An image is *low information* (``low_information_images``) below
  ``[media] min_entropy`` (default 2.5 bits; an image darkened to a tenth still has about 3).
- **odd size** (``odd_size_images``): the short side below ``[media] min_side`` pixels (default 32),
  or the long side more than ``[media] max_aspect`` times the short side (default 4: banners,
  strips, scans of receipts). Measured on the header's width and height.
- **dhash**: a 64-bit difference hash: the grey copy scaled to 9x8, each pixel compared with its
  right-hand neighbour. Resaved, recompressed or resized copies of one picture differ in a few bits;
  different pictures in about 32. Two images are near duplicates (``near_duplicate_images``) at a
  Hamming distance of at most ``[media] near_distance`` (default 4) bits (readiness/media/hashes.py).

Safety: the header's width times height is checked against ``[media] max_pixels`` before any pixel
is decoded (a decompression bomb: a small file that expands to gigabytes), and Pillow's own bomb
check turns into the same rejection. Truncated files are rejected, never padded with grey.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from readiness.ingest.model import MediaFile
from readiness.media.model import Examined, ImageFacts
from readiness.settings.model import MediaSettings

if TYPE_CHECKING:
    from PIL import Image as PILImage

REDUCED_SIDE = 256  # long side of the grey copy the statistics are measured on...
DRAFT_SIDE = 224  # ...or down to this for a JPEG decoded at 1/2, 1/4 or 1/8 scale (a 1000 px side: 250)
DARK_LEVEL = 20  # dark_share: pixels at or below this grey level
BRIGHT_LEVEL = 245  # bright_share: pixels at or above this grey level
FACE_SIDE = 1000  # long side of the grey copy the face detector looks at (a 100 px face on a 2400 px canvas: 42)
FACE_MIN = 24  # smallest face the detector reports, pixels of that copy
# overlapping detections a face needs. With four turns tried, OpenCV's usual 5 finds a "face" in 10 of 12
# synthetic blotch-and-ellipse textures, 9 in 6 of 12 (12: in 2, but it misses a 50 px face on a busy
# canvas); 9 still finds Grace Hopper upright, turned, and at 256x300 on five 2400x1800 canvases
FACE_SMALL_SIDE = 400  # a smaller image is enlarged to this long side before the search
FACE_NEIGHBOURS = 9
STRIP_PIXELS = 1 << 22  # a large non-JPEG image is flattened and reduced this many pixels at a time
XMP_LIMIT = 1 << 20  # bytes of an XMP packet searched for personal data

HEIC_EXTRA = "HEIC images need the heic extra: pip install 'readiness[heic]'"

# EXIF tags (numbers, so no name table is needed): where personal data sits in a photo's metadata
ORIENTATION = 0x0112
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
GPS_LATITUDE, GPS_LONGITUDE = 2, 4
DATE_TIME = 0x0132  # IFD0: when the file was last written (usually the capture)
DATE_TIME_ORIGINAL, DATE_TIME_DIGITIZED = 0x9003, 0x9004
ARTIST, COPYRIGHT, XP_AUTHOR = 0x013B, 0x8298, 0x9C9D
CAMERA_OWNER_NAME = 0xA430
BODY_SERIAL_NUMBER, LENS_SERIAL_NUMBER = 0xA431, 0xA435
CAMERA_SERIAL_NUMBER = 0xC62F  # DNG's camera serial, in IFD0
# XMP properties (as elements or attributes) that hold the same kinds of personal data as the EXIF tags
XMP_PROPERTIES = {
    "gps": ("exif:GPSLatitude", "exif:GPSLongitude"),
    "serial": ("aux:SerialNumber", "exifEX:BodySerialNumber", "aux:LensSerialNumber"),
    "capture_time": ("exif:DateTimeOriginal", "xmp:CreateDate", "photoshop:DateCreated"),
    "owner": ("dc:creator", "tiff:Artist", "xmpRights:Owner"),
}
XMP_PATTERNS = {kind: tuple(re.compile(
    rb"(?<![\w:.-])" + re.escape(name.encode()) + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')"""  # an attribute
    rb"|<" + re.escape(name.encode()) + rb"(?:\s[^>]*)?>(.*?)</" + re.escape(name.encode()) + rb"\s*>",  # an element
    re.DOTALL) for name in names) for kind, names in XMP_PROPERTIES.items()}
# a copyright line that names nobody: the word itself, the sign, years and boilerplate
COPYRIGHT_BOILERPLATE = re.compile(r"copyright|\(c\)|©|all rights reserved|\d+|[^\w]", re.IGNORECASE)

FORMAT_NAMES = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "tiff": "TIFF", "bmp": "BMP", "gif": "GIF",
                "heic": "HEIC"}


def examine(path: Path, file: MediaFile, settings: MediaSettings, look_for_faces: bool = False) -> Examined:
    """Decode one image once and measure it; never raises for a bad file (status "rejected")."""
    from PIL import Image

    name = FORMAT_NAMES.get(file.format, file.format.upper())
    if file.format == "heic" and not _heif_registered():
        return Examined(file, "skipped", HEIC_EXTRA)
    try:
        if path.stat().st_size == 0:
            return Examined(file, "rejected", "empty file (0 bytes); copy the file again from the source, or remove it")
    except OSError as error:
        return Examined(file, "rejected", f"the file cannot be read ({type(error).__name__}); check its permissions")
    try:
        with warnings.catch_warnings():
            # the header alone: Pillow's own bomb warning (above its 89 megapixels) is weighed below
            # against [media] max_pixels, which may be set higher on purpose
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            width, height = image.size
            if width * height > settings.max_pixels:
                return Examined(file, "rejected", _too_large(width * height, settings.max_pixels))
            mode = image.mode
            frames = int(getattr(image, "n_frames", 1))
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                grey = _reduced_grey(image)
            exif = _exif_kinds(image)
    except Image.DecompressionBombError as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        return Examined(file, "rejected", _too_large(int(pixels.group(1)) if pixels else 0, settings.max_pixels))
    except Image.DecompressionBombWarning:
        return Examined(file, "rejected", _too_large(0, settings.max_pixels))
    except Exception as error:  # any decoder failure is a finding about the file, never a crash
        return Examined(file, "rejected", _decode_failure(error, name, path))

    statistics = _statistics(grey)
    found_faces = faces(path, settings.max_pixels) if look_for_faces else None
    facts = ImageFacts(width=width, height=height, mode=mode, frames=frames, exif=exif, faces=found_faces,
                       **statistics)
    return Examined(file, "ok", None, image=facts)


def load_decoders() -> None:
    """Import Pillow and register every image format it reads (it would do so on the first open)."""
    from PIL import Image

    Image.init()


def quality(facts: ImageFacts, settings: MediaSettings) -> tuple[str, ...]:
    """The image-quality checks (check ids) this image fails, in catalog order."""
    flags: list[str] = []
    low_information = facts.entropy < settings.min_entropy
    dark = facts.brightness < settings.dark_brightness
    bright = facts.brightness > settings.bright_brightness
    if dark:
        flags.append("dark_images")
    if bright:
        flags.append("overexposed_images")
    # a dark, washed-out or blank frame has little contrast, so little Laplacian variance: it is
    # counted for what it is, not again as blurry
    if facts.sharpness < settings.blur_threshold and not (low_information or dark or bright):
        flags.append("blurry_images")
    if low_information:
        flags.append("low_information_images")
    short, long = min(facts.width, facts.height), max(facts.width, facts.height)
    if short < settings.min_side or long > settings.max_aspect * short:
        flags.append("odd_size_images")
    return tuple(flags)


def faces(path: Path, max_pixels: int = MediaSettings.max_pixels) -> int | None:
    """Frontal faces OpenCV's Haar cascade finds on the upright grey copy with long side 1000 (EXIF
    Orientation applied), or, when it finds none there, on that copy turned by 90, 180 and 270 degrees
    (pictures rotated in their pixels): the count at the first turn with a face. None when OpenCV (or
    its cascades: OpenCV 5 dropped them) is missing, or the image cannot be decoded. Up to four passes,
    about 1 s an image: it is run only on the few images the packet shows."""
    classifier = _face_classifier()
    if classifier is None:
        return None
    from PIL import Image

    grey = _face_grey(path, max_pixels)
    if grey is None:
        return None
    grey = _framed(grey)
    for turn in (None, Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270):
        pixels = np.asarray(grey if turn is None else grey.transpose(turn), dtype=np.uint8)
        found = classifier.detectMultiScale(pixels, scaleFactor=1.1, minNeighbors=FACE_NEIGHBOURS,
                                            minSize=(FACE_MIN, FACE_MIN))
        if len(found):
            return len(found)
    return 0


def _framed(grey: PILImage.Image) -> PILImage.Image:
    """A small image (a face that fills a 96 px thumbnail) enlarged to a long side of FACE_SMALL_SIDE,
    and every copy given a grey border of a fifth of its long side: the cascade misses faces that
    fill the frame or touch its edge."""
    from PIL import Image, ImageOps

    if max(grey.size) < FACE_SMALL_SIDE:
        scale = FACE_SMALL_SIDE / max(grey.size)
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.BICUBIC)
    return ImageOps.expand(grey, border=max(grey.size) // 5, fill=128)


def _face_grey(path: Path, max_pixels: int) -> PILImage.Image | None:
    """The upright grey copy the face detector looks at, long side at most FACE_SIDE; None when the
    image cannot be decoded or is above max_pixels."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > max_pixels:
                    return None
                orientation = image.getexif().get(ORIENTATION)
                grey = _grey_copy(image, FACE_SIDE, FACE_SIDE)
    except Exception:
        return None
    if orientation in (2, 3, 4, 5, 6, 7, 8):
        # turned on the small copy, not the full image: exif_transpose reads the tag from the copy
        grey.getexif()[ORIENTATION] = orientation
        grey = ImageOps.exif_transpose(grey)
    return grey


def thumbnail(path: Path, size: int = 96, max_pixels: int = MediaSettings.max_pixels) -> bytes:
    """A JPEG (quality 70) of the image scaled to fit size x size, RGB, upright, with no metadata
    (no EXIF, no ICC profile, no comment): what the contact sheet shows. ValueError when the image
    cannot be decoded."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > max_pixels:
                    raise ValueError("the image is above the [media] max_pixels limit")
                if image.format == "JPEG":
                    image.draft("RGB", (size, size))
                upright = ImageOps.exif_transpose(image)
                rgb = _flatten_rgb(upright)
    except ValueError:
        raise
    except Exception as error:
        raise ValueError(f"the image cannot be decoded ({type(error).__name__})") from None
    rgb.thumbnail((size, size), Image.Resampling.LANCZOS)
    clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())  # a new image: no info, no EXIF, no ICC
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=70, optimize=True)
    return out.getvalue()


def dhash(grey: PILImage.Image) -> int:
    """64-bit difference hash: the image at 9x8, each pixel brighter than its right-hand neighbour
    gives a 1 bit (row by row, most significant first)."""
    from PIL import Image

    small = np.asarray(grey.convert("L").resize((9, 8), Image.Resampling.BOX), dtype=np.int16)
    bits = (small[:, :-1] > small[:, 1:]).ravel()
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


def _reduced_grey(image: PILImage.Image) -> PILImage.Image:
    """The grey copy with long side at most REDUCED_SIDE (a JPEG decoded at that scale)."""
    return _grey_copy(image, REDUCED_SIDE, DRAFT_SIDE)


def _grey_copy(image: PILImage.Image, side: int, draft_side: int) -> PILImage.Image:
    """The flattened grey copy with long side at most side. A JPEG is decoded at the DCT scale (1/2,
    1/4, 1/8) that keeps its long side at least draft_side. Any other format is decoded whole (the
    one full-size copy), then flattened and box-reduced a strip of rows at a time, so no full-size
    grey, float or alpha-composited copy is ever made (a 100 megapixel RGBA PNG: 400 MB, not 3 GB)."""
    from PIL import Image

    width, height = image.size
    if image.format == "JPEG":
        scale = draft_side / max(width, height, 1)
        image.draft("L", (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))))
        grey = _flatten_grey(image)
    else:
        image.load()
        factor = max(1, int(max(width, height) / side / 2))  # as thumbnail's reducing_gap=2.0 would
        grey = _flatten_grey(image) if factor == 1 else _strip_reduced(image, factor)
    grey.thumbnail((side, side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return grey


def _strip_reduced(image: PILImage.Image, factor: int) -> PILImage.Image:
    """The image flattened to grey and box-reduced by factor, strip by strip (rows a multiple of factor)."""
    from PIL import Image

    width, height = image.size
    rows = max(factor, STRIP_PIXELS // max(width, 1) // factor * factor)
    reduced = Image.new("L", (math.ceil(width / factor), math.ceil(height / factor)))
    for top in range(0, height, rows):
        strip = _flatten_grey(image.crop((0, top, width, min(height, top + rows))))
        reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced


def _flatten_grey(image: PILImage.Image) -> PILImage.Image:
    """8-bit grey: transparency laid over white, 16-bit and float images scaled into 0-255."""
    from PIL import Image

    mode = image.mode
    if mode == "L":
        image.load()
        return image
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        if mode.startswith("I;16"):
            values = values / 257.0
        elif mode == "F" and values.size and float(np.nanmax(values)) <= 1.0:
            values = values * 255.0
        elif values.size and float(np.nanmax(values)) > 255.0:
            values = values / 257.0
        values = np.nan_to_num(values, nan=0.0)
        return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8))
    if "A" in mode or "transparency" in image.info or mode == "PA":
        pair = np.asarray(image.convert("LA"), dtype=np.float32)
        alpha = pair[..., 1] / 255.0
        laid = pair[..., 0] * alpha + 255.0 * (1.0 - alpha)
        return Image.fromarray(np.clip(laid + 0.5, 0, 255).astype(np.uint8))
    return image.convert("L")


def _flatten_rgb(image: PILImage.Image) -> PILImage.Image:
    from PIL import Image

    if image.mode == "RGB":
        image.load()
        return image
    if "A" in image.mode or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _flatten_grey(image).convert("RGB")
    return image.convert("RGB")


def _statistics(grey: PILImage.Image) -> dict[str, Any]:
    pixels = np.asarray(grey, dtype=np.uint8)
    count = pixels.size
    if count == 0:
        return {"brightness": 0.0, "dark_share": 0.0, "bright_share": 0.0, "sharpness": 0.0, "entropy": 0.0,
                "dhash": 0}
    histogram = np.bincount(pixels.ravel(), minlength=256)
    shares = histogram[histogram > 0] / count
    entropy = float(-(shares * np.log2(shares)).sum())
    brightness = float(np.dot(histogram, np.arange(256)) / count)
    sharpness = 0.0
    if pixels.shape[0] >= 3 and pixels.shape[1] >= 3:
        values = pixels.astype(np.float32)
        laplacian = (values[:-2, 1:-1] + values[2:, 1:-1] + values[1:-1, :-2] + values[1:-1, 2:]
                     - 4.0 * values[1:-1, 1:-1])
        sharpness = float(laplacian.var())
    return {
        "brightness": round(brightness, 3),
        "dark_share": round(float(histogram[: DARK_LEVEL + 1].sum()) / count, 6),
        "bright_share": round(float(histogram[BRIGHT_LEVEL:].sum()) / count, 6),
        "sharpness": round(sharpness, 3),
        "entropy": round(abs(entropy), 4),
        "dhash": dhash(grey),
    }


def _exif_kinds(image: PILImage.Image) -> tuple[str, ...]:
    """Which kinds of personal data the metadata holds ("gps", "serial", "capture_time", "owner");
    in EXIF tags or in an XMP packet; never the values. Unreadable metadata counts as none."""
    try:
        exif = image.getexif()
        sub = exif.get_ifd(EXIF_IFD) if EXIF_IFD in exif else {}
        gps = exif.get_ifd(GPS_IFD) if GPS_IFD in exif else {}
    except Exception:
        return tuple(sorted(_xmp_kinds(image)))
    kinds = _xmp_kinds(image)
    if any(_coordinate(gps.get(tag)) for tag in (GPS_LATITUDE, GPS_LONGITUDE)):
        kinds.add("gps")
    if any(_filled(sub.get(tag)) for tag in (BODY_SERIAL_NUMBER, LENS_SERIAL_NUMBER)) or _filled(
            exif.get(CAMERA_SERIAL_NUMBER)):
        kinds.add("serial")
    if _filled(exif.get(DATE_TIME)) or any(_filled(sub.get(tag)) for tag in (DATE_TIME_ORIGINAL, DATE_TIME_DIGITIZED)):
        kinds.add("capture_time")
    if (_filled(exif.get(ARTIST)) or _filled(exif.get(XP_AUTHOR)) or _filled(sub.get(CAMERA_OWNER_NAME))
            or _names_someone(exif.get(COPYRIGHT))):
        kinds.add("owner")
    return tuple(sorted(kinds))


def _xmp_kinds(image: PILImage.Image) -> set[str]:
    """The kinds XMP_PROPERTIES finds with a non-empty value in the image's XMP packet (JPEG APP1,
    PNG iTXt, WebP, TIFF tag 700, as Pillow reads them): a byte search, no XML parser; its first
    XMP_LIMIT bytes."""
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if isinstance(packet, str):
        packet = packet.encode("utf-8", errors="ignore")
    if not isinstance(packet, bytes | bytearray) or not packet:
        return set()
    packet = bytes(packet[:XMP_LIMIT])
    kinds = set()
    for kind, patterns in XMP_PATTERNS.items():
        for pattern in patterns:
            if any(_filled(_xmp_value(match)) for match in pattern.finditer(packet)):
                kinds.add(kind)
                break
    return kinds


def _xmp_value(match: re.Match[bytes]) -> str:
    """The text of an XMP attribute or element, nested tags (rdf:Seq, rdf:li) dropped."""
    value = next((group for group in match.groups() if group is not None), b"")
    return re.sub(rb"<[^>]*>", b"", value).decode("utf-8", errors="ignore")


def _text(value: object) -> str:
    if isinstance(value, bytes):
        encoding = "utf-16-le" if value[1:2] == b"\x00" else "latin-1"  # XP tags are UTF-16
        value = value.decode(encoding, errors="ignore")
    return str(value).replace("\x00", "").strip() if value is not None else ""


def _filled(value: object) -> bool:
    text = _text(value)
    return bool(text) and set(text) - set(" :0-.") != set()


def _names_someone(value: object) -> bool:
    return sum(character.isalpha() for character in COPYRIGHT_BOILERPLATE.sub("", _text(value))) >= 2


def _coordinate(value: object) -> bool:
    """A GPS latitude or longitude that is not an all-zero placeholder."""
    if value is None:
        return False
    parts = value if isinstance(value, tuple | list) else (value,)
    try:
        return any(float(part) != 0.0 for part in parts)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return True


def _too_large(pixels: int, limit: int) -> str:
    size = f"the image is {pixels / 1e6:,.0f} megapixels" if pixels else "the image is too large"
    return (f"{size}, above the {limit / 1e6:,.0f} megapixel limit [media] max_pixels; it was not decoded: "
            "a decompression bomb or a scan too large; downscale it, or raise [media] max_pixels if it is wanted")


def _decode_failure(error: Exception, name: str, path: Path) -> str:
    """One line naming what is wrong and the fix: never the path, never file content."""
    from PIL import UnidentifiedImageError

    message = str(error)
    if isinstance(error, UnidentifiedImageError):
        return f"not a readable {name} image (Pillow does not recognise its data); re-export or remove it"
    if "truncated" in message.lower() or isinstance(error, EOFError) or "end of file" in message.lower():
        return f"truncated {name} (image data ends early); copy the file again from the source"
    # Pillow's messages are short fixed sentences; drop anything quoted, and the path, to be sure
    detail = re.sub(r"'[^']*'|\"[^\"]*\"", "", message).replace(str(path), "").splitlines()
    detail_line = re.sub(r"\s+", " ", detail[0]).strip(" :") if detail else ""
    detail_line = "".join(character for character in detail_line if character.isprintable())[:80]
    shown = f"{type(error).__name__}: {detail_line}" if detail_line else type(error).__name__
    return f"the {name} image data cannot be decoded ({shown}); re-export the image or copy it again"


@lru_cache(maxsize=1)
def _heif_registered() -> bool:
    try:
        from pillow_heif import register_heif_opener  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return False
    register_heif_opener()
    return True


@lru_cache(maxsize=1)
def _face_classifier() -> Any:
    """OpenCV's frontal-face Haar cascade, loaded once a process; None without OpenCV or cascades."""
    try:
        import cv2
    except ImportError:
        return None
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if not folder:
        return None
    cascade = Path(folder) / "haarcascade_frontalface_default.xml"
    if not cascade.is_file():
        return None
    classifier = cv2.CascadeClassifier(str(cascade))
    return None if classifier.empty() else classifier
