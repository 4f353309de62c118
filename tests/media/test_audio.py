"""The audio examiner on recordings made here, whose facts are known by construction: WAV of every
PCM width, float WAV, FLAC and OGG through soundfile, and broken files that must be rejected."""

from __future__ import annotations

import json
import math
import struct
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from readiness.ingest.model import MediaFile
from readiness.media import audio
from readiness.media.model import AudioFacts, Examined
from readiness.settings.model import MediaSettings

SETTINGS = MediaSettings()


def _file(path: Path, fmt: str | None = None) -> MediaFile:
    return MediaFile(path.name, "audio", fmt or path.suffix[1:], path.stat().st_size, 0, None)


def _write_wav(path: Path, samples: np.ndarray, rate: int, width: int = 2) -> Path:
    """Samples (frames x channels, or frames) in -1..1 written as PCM of ``width`` bytes."""
    frames = samples.reshape(len(samples), -1)
    if width == 1:
        data = np.clip(np.round(frames * 128 + 128), 0, 255).astype(np.uint8).tobytes()
    elif width == 2:
        data = np.clip(np.round(frames * 32768), -32768, 32767).astype("<i2").tobytes()
    elif width == 3:
        ints = np.clip(np.round(frames * 8388608), -8388608, 8388607).astype(np.int64).ravel()
        ints = np.where(ints < 0, ints + (1 << 24), ints)
        data = np.stack([ints & 255, (ints >> 8) & 255, (ints >> 16) & 255], axis=1).astype(np.uint8).tobytes()
    else:
        data = np.clip(np.round(frames * 2147483648), -2147483648, 2147483647).astype("<i4").tobytes()
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(frames.shape[1])
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(data)
    return path


def _examine(path: Path, fmt: str | None = None) -> Examined:
    return audio.examine(path, _file(path, fmt), SETTINGS)


def _facts(path: Path, fmt: str | None = None) -> AudioFacts:
    examined = _examine(path, fmt)
    assert examined.status == "ok", examined.reason
    assert examined.audio is not None
    return examined.audio


def _sine(seconds: float, rate: int, amplitude: float = 0.5, hz: float = 440.0) -> np.ndarray:
    return amplitude * np.sin(2 * np.pi * hz * np.arange(round(seconds * rate)) / rate)


def test_sine_wav_header_and_levels(tmp_path: Path) -> None:
    facts = _facts(_write_wav(tmp_path / "sine.wav", _sine(1.0, 16000), 16000))
    assert (facts.sample_rate, facts.channels, facts.frames) == (16000, 1, 16000)
    assert facts.duration == pytest.approx(1.0, abs=1e-6)
    # a sine of amplitude 0.5 has RMS 0.5/sqrt(2): -9.03 dBFS (16-bit rounding moves it by < 1e-4)
    assert facts.rms_dbfs == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=1e-3)
    assert facts.peak == pytest.approx(0.5, abs=1e-4)
    assert facts.clipped_share == 0.0
    assert audio.quality(facts, SETTINGS) == ()


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_every_pcm_width_reads_a_square_wave_exactly(tmp_path: Path, width: int) -> None:
    """A square wave of amplitude 0.5 is exact in every width: RMS 0.5 (-6.0206 dBFS), peak 0.5."""
    square = np.where(np.arange(8000) % 20 < 10, 0.5, -0.5)
    facts = _facts(_write_wav(tmp_path / f"square{width}.wav", square, 8000, width))
    assert (facts.frames, facts.sample_rate, facts.duration) == (8000, 8000, 1.0)
    assert facts.rms_dbfs == pytest.approx(20 * math.log10(0.5), abs=1e-5)
    assert facts.peak == 0.5
    assert facts.clipped_share == 0.0


def test_clipped_share_is_exact(tmp_path: Path) -> None:
    """1,600 of 16,000 samples at full scale (+1 and -1 alternating), the rest a quiet sine."""
    samples = _sine(1.0, 16000, amplitude=0.25)
    samples[:1600] = np.where(np.arange(1600) % 2 == 0, 1.0, -1.0)
    facts = _facts(_write_wav(tmp_path / "clipped.wav", samples, 16000))
    assert facts.clipped_share == 1600 / 16000
    assert facts.peak == 1.0
    assert audio.quality(facts, SETTINGS) == ("clipped_audio",)


def test_8_bit_clipping_counts_both_extremes(tmp_path: Path) -> None:
    """8-bit PCM reaches -1.0 but only +127/128 (0.992): both extremes are clipped."""
    samples = np.zeros(1000)
    samples[:100] = 1.0
    samples[100:150] = -1.0
    facts = _facts(_write_wav(tmp_path / "clip8.wav", samples, 8000, width=1))
    assert facts.clipped_share == 150 / 1000
    assert facts.peak == 1.0


def test_silence_is_silent_not_clipped(tmp_path: Path) -> None:
    facts = _facts(_write_wav(tmp_path / "silence.wav", np.zeros(16000), 16000))
    assert facts.rms_dbfs == audio.SILENCE_DBFS
    assert facts.peak == 0.0
    assert audio.quality(facts, SETTINGS) == ("silent_audio",)
    # silent and clipped at once (a few full-scale clicks in silence): only silent
    quiet = AudioFacts(1.0, 16000, 1, 16000, rms_dbfs=-70.0, peak=1.0, clipped_share=0.01)
    assert audio.quality(quiet, SETTINGS) == ("silent_audio",)


def test_short_and_long_clips(tmp_path: Path) -> None:
    short = _facts(_write_wav(tmp_path / "short.wav", _sine(0.2, 16000), 16000))
    assert short.frames == 3200 and short.duration == pytest.approx(0.2, abs=1e-6)
    assert audio.quality(short, SETTINGS) == ("clips_too_short",)
    # 40 s at 8 kHz: 320,000 samples, more than one decoding block; 2 s of full-scale clicks in it
    samples = _sine(40.0, 8000, amplitude=0.1)
    samples[300_000:316_000] = 1.0
    long = _facts(_write_wav(tmp_path / "long.wav", samples, 8000))
    assert (long.frames, long.sample_rate) == (320_000, 8000)
    assert long.duration == pytest.approx(40.0, abs=1e-6)
    assert long.clipped_share == 16_000 / 320_000
    assert audio.quality(long, SETTINGS) == ("clips_too_long", "clipped_audio")


def test_stereo_and_rates(tmp_path: Path) -> None:
    stereo = np.stack([_sine(0.5, 8000), np.zeros(4000)], axis=1)
    facts = _facts(_write_wav(tmp_path / "stereo.wav", stereo, 8000))
    assert (facts.channels, facts.frames, facts.sample_rate) == (2, 4000, 8000)
    assert facts.duration == pytest.approx(0.5, abs=1e-6)
    # half the samples silent: the mean square halves, -3.01 dB below the sine's -9.03
    assert facts.rms_dbfs == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)) - 10 * math.log10(2), abs=1e-3)
    wide = _facts(_write_wav(tmp_path / "wide.wav", _sine(0.5, 16000), 16000))
    assert (wide.sample_rate, wide.frames) == (16000, 8000)


def test_flac_ogg_and_float_wav_through_soundfile(tmp_path: Path) -> None:
    soundfile = pytest.importorskip("soundfile")
    samples = _sine(1.5, 16000)
    samples[:160] = 1.0
    soundfile.write(tmp_path / "a.flac", samples, 16000, subtype="PCM_16")
    flac = _facts(tmp_path / "a.flac")
    assert (flac.frames, flac.sample_rate, flac.channels) == (24000, 16000, 1)
    assert flac.duration == pytest.approx(1.5, abs=1e-6)
    assert flac.clipped_share == 160 / 24000
    soundfile.write(tmp_path / "f.wav", samples.astype(np.float32), 16000, subtype="FLOAT")
    float_wav = _facts(tmp_path / "f.wav")
    assert (float_wav.frames, float_wav.clipped_share, float_wav.peak) == (24000, 160 / 24000, 1.0)
    soundfile.write(tmp_path / "x.wav", samples, 16000, format="WAVEX", subtype="PCM_24")  # wave refuses it
    extensible = _facts(tmp_path / "x.wav")
    assert (extensible.frames, extensible.clipped_share) == (24000, 160 / 24000)
    assert extensible.peak == pytest.approx(1.0, abs=1e-6)  # 24-bit's loudest code: 1 - 2**-23
    soundfile.write(tmp_path / "b.ogg", _sine(1.0, 22050), 22050, format="OGG", subtype="VORBIS")
    ogg = _facts(tmp_path / "b.ogg")
    assert (ogg.frames, ogg.sample_rate) == (22050, 22050)
    assert ogg.rms_dbfs == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.2)  # lossy


def test_missing_extra_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.flac").write_bytes(b"fLaC" + bytes(100))
    monkeypatch.setitem(sys.modules, "soundfile", None)
    examined = _examine(tmp_path / "a.flac")
    assert examined.status == "skipped"
    assert examined.reason == "FLAC audio needs the audio extra: pip install 'readiness[audio]'"
    # plain PCM WAV needs no extra
    assert _examine(_write_wav(tmp_path / "a.wav", _sine(0.5, 8000), 8000)).status == "ok"


def _header(channels: int, rate: int, width: int = 2, data: bytes = b"\x00" * 400) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * width, channels * width, width * 8)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(("name", "content", "fmt", "words"), [
    ("empty.wav", b"", "wav", "zero bytes"),
    ("garbage.wav", b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk" * 3, "wav", "damaged WAV header"),
    ("noise.wav", bytes(range(256)) * 4, "wav", "damaged WAV header"),
    ("header.wav", b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav", "WAV"),
    ("rate0.wav", _header(1, 0), "wav", "sample rate of 0"),
    ("channels0.wav", _header(0, 8000), "wav", "WAV"),
    ("garbage.flac", b"fLaC" + bytes(range(256)) * 8, "flac", "FLAC"),
    ("garbage.ogg", b"OggS" + bytes(range(256)) * 8, "ogg", "OGG"),
])
def test_broken_files_are_rejected(tmp_path: Path, name: str, content: bytes, fmt: str, words: str) -> None:
    if fmt != "wav":
        pytest.importorskip("soundfile")
    path = tmp_path / name
    path.write_bytes(content)
    examined = _examine(path, fmt)
    assert examined.status == "rejected"
    assert examined.reason is not None and words in examined.reason and "\n" not in examined.reason
    assert name not in examined.reason and str(tmp_path) not in examined.reason


def test_truncated_files_are_rejected(tmp_path: Path) -> None:
    soundfile = pytest.importorskip("soundfile")
    pcm = _write_wav(tmp_path / "cut.wav", _sine(1.0, 16000), 16000).read_bytes()
    (tmp_path / "cut.wav").write_bytes(pcm[:len(pcm) // 2])
    examined = _examine(tmp_path / "cut.wav")
    assert examined.status == "rejected" and examined.reason is not None
    assert examined.reason.startswith("truncated WAV (its header gives 1.00 s, the data ends at 0.50 s)")
    soundfile.write(tmp_path / "f.wav", _sine(1.0, 16000).astype(np.float32), 16000, subtype="FLOAT")
    whole = (tmp_path / "f.wav").read_bytes()
    (tmp_path / "f.wav").write_bytes(whole[:len(whole) // 2])
    cut_float = _examine(tmp_path / "f.wav")
    assert cut_float.status == "rejected" and (cut_float.reason or "").startswith("truncated WAV")
    soundfile.write(tmp_path / "c.flac", _sine(1.0, 16000), 16000)
    whole = (tmp_path / "c.flac").read_bytes()
    (tmp_path / "c.flac").write_bytes(whole[:len(whole) // 2])
    assert _examine(tmp_path / "c.flac").status == "rejected"


def test_as_json_holds_numbers_only(tmp_path: Path) -> None:
    examined = _examine(_write_wav(tmp_path / "sine.wav", _sine(0.5, 8000), 8000))
    data = examined.as_json()
    assert set(data["audio"]) == {"duration", "sample_rate", "channels", "frames", "rms_dbfs", "peak",
                                  "clipped_share"}
    assert Examined.from_json(json.loads(json.dumps(data))) == examined


@pytest.mark.parametrize(("duration", "transcript", "fits"), [
    (3.0, "turn the lights off in the kitchen please", True),  # 41 characters: 14 a second
    (0.2, "yes", True),  # one quick word in a very short clip
    (1.0, "this transcript is much too long to be said in one second", False),  # 57 a second
    (10.0, "ok", False),  # 0.2 a second on a 10 s clip
    (1.0, "ok", True),  # too short a clip to judge slowness
    (4.0, "", False),  # nothing transcribed for a 4 s clip with sound
    (4.0, "   ", False),
    (1.5, "", True),
])
def test_transcript_fits(duration: float, transcript: str, fits: bool) -> None:
    assert audio.transcript_fits(duration, transcript) is fits


def test_transcript_of_a_silent_clip() -> None:
    assert audio.transcript_fits(4.0, "", silent=True)
    assert not audio.transcript_fits(4.0, "hello there", silent=True)
