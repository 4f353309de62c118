"""The image examiner on images made to measure in tmp_path: each quality flag on its defect and on
no good image, rejections (truncated, empty, bombs), EXIF kinds without values, dHash stability,
thumbnails without metadata, the face counter."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from readiness.ingest.model import MediaFile
from readiness.media import images
from readiness.media.hashes import hamming
from readiness.settings.model import MediaSettings

SETTINGS = MediaSettings()


def natural(seed: int, width: int = 640, height: int = 480) -> Image.Image:
    """A natural-ish picture: gradients, blotchy low-frequency colour, fine noise and shapes."""
    rng = np.random.default_rng(seed)
    rows, columns = np.mgrid[0:height, 0:width]
    pixels = np.zeros((height, width, 3))
    for channel in range(3):
        a, b = rng.uniform(-1, 1, 2)
        pixels[..., channel] = 128 + 60 * (a * columns / width + b * rows / height)
    blotches = rng.normal(0, 30, (height // 16 + 1, width // 16 + 1, 3))
    blotchy = Image.fromarray(np.clip(blotches + 128, 0, 255).astype(np.uint8)).resize(
        (width, height), Image.Resampling.BICUBIC)
    pixels += np.asarray(blotchy, dtype=float) - 128 + rng.normal(0, 20, (height, width, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1, y1 = x0 + int(rng.integers(20, width // 3)), y0 + int(rng.integers(20, height // 3))
        colour = tuple(int(value) for value in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)([x0, y0, x1, y1], fill=colour)
    return image


def scaled(image: Image.Image, factor: float) -> Image.Image:
    return Image.fromarray(np.clip(np.asarray(image, dtype=float) * factor, 0, 255).astype(np.uint8))


def overexposed(image: Image.Image) -> Image.Image:
    return Image.fromarray(np.clip(np.asarray(image, dtype=float) * 3 + 80, 0, 255).astype(np.uint8))


def media_file(path: Path, fmt: str) -> MediaFile:
    return MediaFile(path=path.name, kind="image", format=fmt, bytes=path.stat().st_size, mtime_ns=0, sha256=None)


def save(tmp_path: Path, name: str, image: Image.Image, **options: object) -> Path:
    path = tmp_path / name
    fmt = "JPEG" if name.endswith(".jpg") else None
    if fmt == "JPEG" and "quality" not in options:
        options["quality"] = 90
    image.save(path, fmt, **options)
    return path


def examine(path: Path, settings: MediaSettings = SETTINGS, **options: bool) -> images.Examined:
    fmt = {"jpg": "jpeg", "png": "png", "gif": "gif", "webp": "webp", "tif": "tiff", "bmp": "bmp"}[path.suffix[1:]]
    return images.examine(path, media_file(path, fmt), settings, **options)


def facts(path: Path) -> images.ImageFacts:
    examined = examine(path)
    assert examined.status == "ok", examined.reason
    assert examined.image is not None
    return examined.image


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_good_images_are_flagged_by_nothing(tmp_path: Path, seed: int, suffix: str) -> None:
    image = facts(save(tmp_path, f"good{suffix}", natural(seed)))
    assert images.quality(image, SETTINGS) == ()
    assert (image.width, image.height, image.mode, image.frames) == (640, 480, "RGB", 1)
    assert image.exif == () and image.faces is None
    assert 5.0 < image.entropy <= 8.0


@pytest.mark.parametrize("seed", range(3))
def test_each_defect_is_flagged_by_its_check(tmp_path: Path, seed: int) -> None:
    good = natural(seed)
    blurred = facts(save(tmp_path, "blur.jpg", good.filter(ImageFilter.GaussianBlur(3))))
    assert images.quality(blurred, SETTINGS) == ("blurry_images",)
    dark = facts(save(tmp_path, "dark.jpg", scaled(good, 0.1)))
    assert "dark_images" in images.quality(dark, SETTINGS)
    assert dark.brightness < 20 and dark.dark_share > 0.5
    bright = facts(save(tmp_path, "bright.jpg", overexposed(good)))
    assert "overexposed_images" in images.quality(bright, SETTINGS)
    assert bright.brightness > 225 and bright.bright_share > 0.3
    blank = facts(save(tmp_path, "blank.png", Image.new("RGB", (640, 480), (90, 90, 90))))
    # a blank frame is low-information, not blurry
    assert images.quality(blank, SETTINGS) == ("low_information_images",)
    assert (blank.brightness, blank.entropy, blank.sharpness) == (90.0, 0.0, 0.0)


def test_statistics_known_by_construction(tmp_path: Path) -> None:
    # left half black, right half white: brightness 127.5, half dark, half bright, entropy 1 bit
    pixels = np.zeros((200, 200), dtype=np.uint8)
    pixels[:, 100:] = 255
    halves = facts(save(tmp_path, "halves.png", Image.fromarray(pixels)))
    assert halves.brightness == pytest.approx(127.5)
    assert halves.dark_share == pytest.approx(0.5) and halves.bright_share == pytest.approx(0.5)
    assert halves.entropy == pytest.approx(1.0)
    assert halves.mode == "L"
    # dHash at 9x8: 180 px wide, 20 px a column; an edge at x=100 falls between columns 4 and 5
    edge = np.zeros((160, 180), dtype=np.uint8)
    edge[:, 100:] = 255
    assert facts(save(tmp_path, "rising.png", Image.fromarray(edge))).dhash == 0  # never brighter than the right
    falling = facts(save(tmp_path, "falling.png", Image.fromarray(255 - edge))).dhash
    assert falling == sum(1 << (63 - (row * 8 + 4)) for row in range(8))  # bit 4 of each row, rows first


@pytest.mark.parametrize(("size", "odd"), [((640, 480), False), ((20, 300), True), ((1000, 200), True),
                                           ((400, 100), False), ((32, 32), False), ((31, 64), True)])
def test_odd_sizes(tmp_path: Path, size: tuple[int, int], odd: bool) -> None:
    image = facts(save(tmp_path, "sized.png", natural(1).resize(size)))
    assert ("odd_size_images" in images.quality(image, SETTINGS)) is odd
    assert (image.width, image.height) == size


def test_modes_and_frames(tmp_path: Path) -> None:
    grey16 = Image.fromarray(np.arange(256 * 64, dtype=np.uint16).reshape(64, 256) * 4)
    sixteen = facts(save(tmp_path, "deep.png", grey16))
    assert sixteen.mode.startswith("I") and sixteen.brightness == pytest.approx(16383 * 4 / 2 / 257, abs=0.5)
    transparent = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    clear = facts(save(tmp_path, "clear.png", transparent))
    assert clear.mode == "RGBA" and clear.brightness == 255.0  # laid over white, not read as black
    frames = [Image.new("RGB", (50, 50), colour) for colour in ("red", "green", "blue")]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    assert facts(tmp_path / "anim.gif").frames == 3


def test_truncated_and_empty_files_are_rejected(tmp_path: Path) -> None:
    for name in ("cut.jpg", "cut.png"):
        whole = save(tmp_path, "whole" + name[-4:], natural(2)).read_bytes()
        path = tmp_path / name
        path.write_bytes(whole[: len(whole) // 2])
        examined = examine(path)
        assert examined.status == "rejected" and examined.image is None
        assert examined.reason is not None and examined.reason.startswith("truncated ")
        assert str(tmp_path) not in examined.reason and "\n" not in examined.reason
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    examined = examine(empty)
    assert examined.status == "rejected"
    assert examined.reason is not None and examined.reason.startswith("empty file (0 bytes)")


def test_garbage_is_rejected_without_the_path(tmp_path: Path) -> None:
    path = tmp_path / "noise.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    examined = examine(path)
    assert examined.status == "rejected"
    assert examined.reason is not None and str(path) not in examined.reason and "noise" not in examined.reason


def bomb_png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a few bytes of compressed zeros."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [100_000, 12_000])  # 10,000 megapixels (above Pillow's own limit), 144
def test_decompression_bombs_are_rejected_unread(tmp_path: Path, side: int) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png(side, side))
    examined = examine(path)
    assert examined.status == "rejected"
    assert examined.reason is not None
    assert f"the image is {side * side / 1e6:,.0f} megapixels" in examined.reason
    assert "above the 100 megapixel limit [media] max_pixels" in examined.reason


def test_a_small_max_pixels_rejects_an_ordinary_image(tmp_path: Path) -> None:
    path = save(tmp_path, "photo.jpg", natural(0))
    examined = examine(path, MediaSettings(max_pixels=100_000))
    assert examined.status == "rejected" and examined.reason is not None and "max_pixels" in examined.reason
    assert examine(path).status == "ok"


def with_exif(image: Image.Image, tmp_path: Path, name: str, gps: bool, serial: bool, time: bool,
              owner: str | None) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make: not personal
    if time:
        exif[0x0132] = "2024:05:06 07:08:09"
        exif.get_ifd(0x8769)[0x9003] = "2024:05:06 07:08:09"
    if serial:
        exif.get_ifd(0x8769)[0xA431] = "SN98765432"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    if owner:
        exif[0x8298] = owner
    return save(tmp_path, name, image, exif=exif)


def test_exif_kinds_are_found_and_values_never_returned(tmp_path: Path) -> None:
    path = with_exif(natural(3), tmp_path, "exif.jpg", gps=True, serial=True, time=True, owner="(c) 2024 Jane Roe")
    examined = examine(path)
    assert examined.image is not None
    assert examined.image.exif == ("capture_time", "gps", "owner", "serial")
    text = json.dumps(examined.as_json())
    for value in ("SN98765432", "2024:05", "Jane", "Roe", "52.0", "CameraMaker"):
        assert value not in text
    assert images.quality(examined.image, SETTINGS) == ()


@pytest.mark.parametrize(("gps", "serial", "time", "owner", "expected"), [
    (True, False, False, None, ("gps",)),
    (False, True, False, None, ("serial",)),
    (False, False, True, None, ("capture_time",)),
    (False, False, False, "Copyright 2024. All rights reserved.", ()),  # names nobody
    (False, False, False, "© Max Mustermann", ("owner",)),
    (False, False, False, None, ()),
])
def test_exif_kinds_one_at_a_time(tmp_path: Path, gps: bool, serial: bool, time: bool, owner: str | None,
                                  expected: tuple[str, ...]) -> None:
    for name in ("one.jpg", "one.png"):
        path = with_exif(natural(4), tmp_path, name, gps=gps, serial=serial, time=time, owner=owner)
        assert facts(path).exif == expected


def test_resaved_and_resized_copies_are_near_and_others_far(tmp_path: Path) -> None:
    original = natural(5, 800, 600)
    first = facts(save(tmp_path, "a.jpg", original)).dhash
    resaved = facts(save(tmp_path, "b.jpg", original, quality=60)).dhash
    resized = facts(save(tmp_path, "c.png", original.resize((400, 300)))).dhash
    other = facts(save(tmp_path, "d.jpg", natural(6, 800, 600))).dhash
    assert hamming(first, resaved) <= SETTINGS.near_distance
    assert hamming(first, resized) <= SETTINGS.near_distance
    assert hamming(first, other) > 3 * SETTINGS.near_distance


def test_thumbnail_fits_and_carries_no_metadata(tmp_path: Path) -> None:
    path = with_exif(natural(7, 800, 400), tmp_path, "t.jpg", gps=True, serial=True, time=True, owner="Jane Roe")
    data = images.thumbnail(path, 96)
    assert b"Exif" not in data and b"SN98765432" not in data and b"Jane" not in data
    with Image.open(io.BytesIO(data)) as thumb:
        assert thumb.format == "JPEG" and thumb.mode == "RGB"
        assert thumb.size == (96, 48)
        assert not thumb.getexif() and "icc_profile" not in thumb.info and "exif" not in thumb.info
    rgba = save(tmp_path, "t.png", Image.new("RGBA", (30, 300), (255, 0, 0, 128)))
    with Image.open(io.BytesIO(images.thumbnail(rgba, 64))) as thumb:
        assert thumb.size == (6, 64)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError):
        images.thumbnail(broken)


def test_faces_on_a_blank_image(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    path = save(tmp_path, "blank.png", Image.new("RGB", (640, 480), (200, 200, 200)))
    assert images.faces(path) == 0
    examined = examine(path, look_for_faces=True)
    assert examined.image is not None and examined.image.faces == 0
    assert examine(path).image.faces is None  # type: ignore[union-attr]


def test_heic_needs_its_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_heif_registered", lambda: False)
    path = tmp_path / "x.heic"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32)
    examined = images.examine(path, media_file(path, "heic"), SETTINGS)
    assert (examined.status, examined.reason) == ("skipped", images.HEIC_EXTRA)


GRACE = Path(np.__file__).parents[1] / "matplotlib" / "mpl-data" / "sample_data" / "grace_hopper.jpg"
# EXIF Orientation -> how the stored pixels were turned from the upright picture (the viewer undoes it)
STORED_AS = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def grace() -> Image.Image:
    if not GRACE.is_file():
        pytest.skip("matplotlib's sample image grace_hopper.jpg is not installed")
    with Image.open(GRACE) as image:
        return image.convert("RGB")


def test_faces_on_a_real_photo_upright_and_rotated_in_its_pixels(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    upright = grace()
    assert images.faces(save(tmp_path, "upright.jpg", upright)) >= 1  # type: ignore[operator]
    for degrees in (90, 180, 270):
        turned = save(tmp_path, f"turned{degrees}.png", upright.rotate(degrees, expand=True))
        assert images.faces(turned) >= 1, degrees  # type: ignore[operator]


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_faces_on_a_photo_stored_sideways_with_exif_orientation(tmp_path: Path, orientation: int) -> None:
    pytest.importorskip("cv2")
    upright = grace()
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = save(tmp_path, "sideways.jpg", upright.transpose(STORED_AS[orientation]), exif=exif)
    # the grey copy the detector sees is the upright picture (the viewer's), not the stored pixels
    grey = images._face_grey(path, SETTINGS.max_pixels)
    assert grey is not None and grey.size == (512, 600)
    expected = np.asarray(upright.convert("L"), dtype=float)
    assert np.abs(np.asarray(grey, dtype=float) - expected).mean() < 4
    assert images.faces(path) >= 1  # type: ignore[operator]
    examined = examine(path, look_for_faces=True)
    assert examined.image is not None and examined.image.faces is not None and examined.image.faces >= 1


def test_a_small_face_on_a_large_canvas_is_found(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    canvas = natural(8, 2400, 1800)
    canvas.paste(grace().resize((256, 300), Image.Resampling.LANCZOS), (1500, 900))
    for name in ("canvas.jpg", "canvas.png"):
        assert images.faces(save(tmp_path, name, canvas)) >= 1, name  # type: ignore[operator]


def test_a_face_that_fills_a_thumbnail_sized_image_is_found(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    path = tmp_path / "small.jpg"
    grace().convert("RGB").resize((96, 112), Image.Resampling.LANCZOS).save(path, quality=90)
    assert (images.faces(path) or 0) >= 1


def test_no_faces_on_blank_noise_and_texture(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    rng = np.random.default_rng(0)
    noise = Image.fromarray(rng.integers(0, 256, (900, 1200, 3), dtype=np.uint8))
    assert images.faces(save(tmp_path, "noise.png", noise)) == 0
    assert images.faces(save(tmp_path, "blank.jpg", Image.new("RGB", (2400, 1800), (120, 120, 120)))) == 0
    rows, columns = np.mgrid[0:900, 0:1200]
    gradient = Image.fromarray(((rows + columns) * 255 // 2100).astype(np.uint8))
    assert images.faces(save(tmp_path, "gradient.png", gradient)) == 0
    assert images.faces(save(tmp_path, "blurred.jpg", noise.filter(ImageFilter.GaussianBlur(2)))) == 0


XMP_VALUES = {
    "gps": ('exif:GPSLatitude="52,31.2N"', "<exif:GPSLongitude>13,24.6E</exif:GPSLongitude>"),
    "serial": ('aux:SerialNumber="SN4455667788"', "<exifEX:BodySerialNumber>BS1122</exifEX:BodySerialNumber>",
               "<aux:LensSerialNumber>LS3344</aux:LensSerialNumber>"),
    "capture_time": ('exif:DateTimeOriginal="2023-04-05T06:07:08"', "<xmp:CreateDate>2023-04-05</xmp:CreateDate>",
                     'photoshop:DateCreated="2023-04-05"'),
    "owner": ("<dc:creator><rdf:Seq><rdf:li>Erika Musterfrau</rdf:li></rdf:Seq></dc:creator>",
              'tiff:Artist="Hans Beispiel"', "<xmpRights:Owner><rdf:Bag><rdf:li>Foto Studio Nord</rdf:li>"
              "</rdf:Bag></xmpRights:Owner>"),
}
XMP_SECRETS = ("52,31.2N", "13,24.6E", "SN4455667788", "BS1122", "LS3344", "2023-04-05", "Erika", "Musterfrau",
               "Hans Beispiel", "Foto Studio")


def xmp_packet(properties: list[str]) -> bytes:
    attributes = " ".join(item for item in properties if not item.startswith("<"))
    elements = "".join(item for item in properties if item.startswith("<"))
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
            f'{attributes}>{elements}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()


def with_xmp(tmp_path: Path, name: str, packet: bytes) -> Path:
    from PIL import PngImagePlugin

    image = natural(9, 160, 120)
    if name.endswith(".png"):
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", packet.decode())
        return save(tmp_path, name, image, pnginfo=info)
    if name.endswith(".tif"):
        return save(tmp_path, name, image, tiffinfo={700: packet})
    return save(tmp_path, name, image, xmp=packet)


@pytest.mark.parametrize("name", ["x.jpg", "x.png", "x.webp", "x.tif"])
def test_xmp_kinds_are_found_and_values_never_returned(tmp_path: Path, name: str) -> None:
    packet = xmp_packet([item for items in XMP_VALUES.values() for item in items])
    path = with_xmp(tmp_path, name, packet)
    assert b"SN4455667788" in path.read_bytes()  # the packet is in the file
    examined = examine(path)
    assert examined.image is not None
    assert examined.image.exif == ("capture_time", "gps", "owner", "serial")
    text = json.dumps(examined.as_json())
    for value in XMP_SECRETS:
        assert value not in text


@pytest.mark.parametrize("kind", sorted(XMP_VALUES))
def test_xmp_kinds_one_property_at_a_time(tmp_path: Path, kind: str) -> None:
    for index, item in enumerate(XMP_VALUES[kind]):
        assert facts(with_xmp(tmp_path, f"one{index}.jpg", xmp_packet([item]))).exif == (kind,), item


def test_empty_xmp_properties_and_merging_with_exif(tmp_path: Path) -> None:
    empty = xmp_packet(['exif:GPSLatitude=""', "<dc:creator><rdf:Seq><rdf:li> </rdf:li></rdf:Seq></dc:creator>",
                        "<aux:SerialNumber/>", "<xmp:CreatorTool>Editor 1.0</xmp:CreatorTool>"])
    assert facts(with_xmp(tmp_path, "empty.jpg", empty)).exif == ()
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA431] = "SN1"
    path = save(tmp_path, "both.jpg", natural(9, 160, 120), exif=exif,
                xmp=xmp_packet(['aux:SerialNumber="SN2"', 'exif:GPSLatitude="1,2N"']))
    assert facts(path).exif == ("gps", "serial")  # sorted, each kind once


def test_a_large_rgba_png_gives_the_statistics_of_its_flattened_copy(tmp_path: Path) -> None:
    # half transparent red over white is (255, 127, 127): grey 0.299*255 + 0.701*127 = 165.3
    rgba = Image.new("RGBA", (3000, 2000), (255, 0, 0, 128))
    image = facts(save(tmp_path, "big.png", rgba))
    assert image.brightness == pytest.approx(165.3, abs=1.0) and image.entropy == 0.0
    grey16 = Image.fromarray(np.arange(3000, dtype=np.uint16)[None, :].repeat(2000, 0) * 21)
    image = facts(save(tmp_path, "big16.png", grey16))
    expected = np.floor(np.arange(3000) * 21 / 257).mean()  # each value scaled into 0-255, truncated
    assert image.brightness == pytest.approx(expected, abs=0.3)
    assert images._reduced_grey(Image.open(tmp_path / "big.png")).size == (256, 171)
