"""The audio examiner: a recording's header facts (duration, rate, channels, frames) and its
loudness, peak and clipping, measured on samples decoded block by block.

PCM WAV is read with the standard library's ``wave``, always; float or extensible WAV (which
``wave`` refuses), FLAC, OGG and MP3 need the audio extra (soundfile). Memory stays bounded: at
most BLOCK_SAMPLES samples are decoded at a time, whatever the file's length.
"""

from __future__ import annotations

import math
import wave
from pathlib import Path
from typing import Literal

import numpy as np

from readiness.base.text import library_words
from readiness.ingest.model import MediaFile
from readiness.media.model import AudioFacts, Examined
from readiness.settings.model import MediaSettings

BLOCK_SAMPLES = 1 << 18  # samples (all channels) decoded at a time: 2 MB as float64
FULL_SCALE = 0.999  # a sample at least this loud (1.0 = full scale) is clipped
SILENCE_DBFS = -120.0  # the level recorded for digital silence (20*log10(0) is -inf)
MAX_CHARS_PER_SECOND = 30.0  # transcript_fits: faster than any speech (about 12-20 characters a second)
MIN_CHARS_PER_SECOND = 0.5  # ...or slower than one character every two seconds...
MIN_JUDGED_SECONDS = 2.0  # ...on a clip at least this long (a short clip may hold one short word)
SLACK_CHARS = 5  # a short word said quickly in a very short clip is no mismatch
EXTRA = "pip install 'readiness[audio]'"
RETRY = "copy the file again from the source"


class Rejected(Exception):
    """The file cannot be decoded; the message is the reason shown (no path, no content)."""


class _Levels:
    """Running sums over decoded blocks: the whole clip's RMS, peak and clipped samples."""

    def __init__(self, ceiling: float = FULL_SCALE) -> None:
        self.ceiling = ceiling  # a sample at least this loud is clipped
        self.squares = 0.0
        self.samples = 0
        self.peak = 0.0
        self.clipped = 0

    def add(self, block: np.ndarray) -> None:
        if not block.size:
            return
        magnitude = np.abs(block.astype(np.float64, copy=False))
        self.squares += float(np.dot(magnitude.ravel(), magnitude.ravel()))
        self.samples += int(block.size)
        self.peak = max(self.peak, float(magnitude.max()))
        self.clipped += int(np.count_nonzero(magnitude >= self.ceiling))

    def facts(self, duration: float, rate: int, channels: int, frames: int) -> AudioFacts:
        if not self.samples:
            return AudioFacts(duration, rate, channels, frames, None, None, None)
        rms = math.sqrt(self.squares / self.samples)
        dbfs = max(SILENCE_DBFS, 20 * math.log10(rms)) if rms > 0 else SILENCE_DBFS
        return AudioFacts(duration, rate, channels, frames, round(dbfs, 6), min(1.0, self.peak),
                          self.clipped / self.samples)


def _pcm(data: bytes, width: int) -> np.ndarray:
    """Interleaved PCM bytes as floats, full scale 1.0 (8-bit WAV is unsigned, the rest signed)."""
    if width == 1:
        return (np.frombuffer(data, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(data, dtype="<i2") / 32768.0
    if width == 3:
        raw = np.frombuffer(data[:len(data) - len(data) % 3], dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        return np.where(value >= 1 << 23, value - (1 << 24), value) / float(1 << 23)
    if width == 4:
        return np.frombuffer(data, dtype="<i4") / 2147483648.0
    raise Rejected(f"WAV with {width * 8}-bit samples, which no reader supports; export it as 16-bit PCM")


def _wav(path: Path) -> AudioFacts | None:
    """A PCM WAV's facts read with ``wave``; None when ``wave`` does not take its format (float,
    extensible): soundfile reads those."""
    try:
        reader = wave.open(str(path), "rb")
    except wave.Error as error:
        if "unknown format" in str(error):
            return None
        raise Rejected(f"damaged WAV header ({library_words(error)}); {RETRY}") from None
    except EOFError:
        raise Rejected(f"truncated WAV (the file ends inside its header); {RETRY}") from None
    except (RuntimeError, ValueError, OverflowError) as error:  # the chunk reader on a chunk that lies
        raise Rejected(f"damaged WAV header ({library_words(error)}); {RETRY}") from None
    with reader:
        channels, width, rate, frames = (reader.getnchannels(), reader.getsampwidth(), reader.getframerate(),
                                         reader.getnframes())
        _plausible("WAV", channels, rate)
        if not frames:
            raise Rejected(f"WAV holds no audio frames (or its header gives a length of 0); {RETRY}")
        # 8-bit PCM's loudest positive code is 127/128 (0.992) of full scale: clipped too
        levels = _Levels(min(FULL_SCALE, 1 - 1 / (1 << (8 * width - 1))))
        step = max(1, BLOCK_SAMPLES // channels)
        read = 0
        while read < frames:
            data = reader.readframes(min(step, frames - read))
            got = len(data) // (width * channels)
            if not got:
                break
            levels.add(_pcm(data[:got * width * channels], width))
            read += got
        if read < frames:
            raise Rejected(f"truncated WAV (its header gives {frames / rate:.2f} s, the data ends at "
                           f"{read / rate:.2f} s); {RETRY}")
    return levels.facts(frames / rate, rate, channels, frames)


def _plausible(name: str, channels: int, rate: int) -> None:
    if channels <= 0:
        raise Rejected(f"{name} header gives 0 channels; {RETRY}")
    if rate <= 0:
        raise Rejected(f"{name} header gives a sample rate of 0; {RETRY}")


def _wav_data_short(path: Path) -> tuple[int, int] | None:
    """For a RIFF WAV: the data chunk's length as its header gives it and the bytes the file holds
    after the chunk's start, when the file holds fewer (truncated); else None. libsndfile trusts the
    file's size over the header, so this is how it tells a cut float WAV."""
    with path.open("rb") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
            return None
        order: Literal["little", "big"] = "little" if head[:4] == b"RIFF" else "big"
        size = path.stat().st_size
        for _ in range(64):  # chunks before the data: fmt, fact, LIST... never many
            chunk = handle.read(8)
            if len(chunk) < 8:
                return None
            length = int.from_bytes(chunk[4:8], order)
            if chunk[:4] == b"data":
                left = size - handle.tell()
                return (length, left) if left < length else None
            handle.seek(length + length % 2, 1)
    return None


def _soundfile(path: Path, name: str) -> AudioFacts:
    """FLAC, OGG, MP3 and the WAVs ``wave`` refuses, read with soundfile (libsndfile)."""
    import soundfile  # the audio extra

    if name == "WAV":
        short = _wav_data_short(path)
        if short is not None:
            raise Rejected(f"truncated WAV (its header gives {short[0]:,} bytes of audio, the file holds "
                           f"{short[1]:,}); {RETRY}")
    try:
        with soundfile.SoundFile(str(path)) as sound:
            channels, rate, frames = sound.channels, sound.samplerate, sound.frames
            _plausible(name, channels, rate)
            levels = _Levels()
            step = max(1, BLOCK_SAMPLES // channels)
            read = 0
            while True:
                block = sound.read(step, dtype="float64", always_2d=True)
                if not len(block):
                    break
                levels.add(block)
                read += len(block)
    except Rejected:
        raise
    except Exception as error:  # libsndfile's errors: a damaged or truncated stream
        raise Rejected(f"undecodable {name} ({library_words(error)}); {RETRY}") from None
    if read < frames and not (name == "MP3" and read >= 0.99 * frames):  # an MP3's length is an estimate
        raise Rejected(f"truncated {name} (its header gives {frames / rate:.2f} s, the data ends at "
                       f"{read / rate:.2f} s); {RETRY}")
    if not read:
        raise Rejected(f"{name} holds no audio frames; {RETRY}")
    return levels.facts(read / rate, rate, channels, read)


def examine(path: Path, file: MediaFile, settings: MediaSettings) -> Examined:
    """A recording's facts, or why it was rejected (cannot be decoded) or skipped (the audio extra is
    missing). Never raises for bad input."""
    name = file.format.upper()
    try:
        if path.stat().st_size == 0:
            raise Rejected(f"empty {name} file (zero bytes); {RETRY}")
        facts = _wav(path) if file.format == "wav" else None
        if facts is None:
            try:
                import soundfile  # noqa: F401  (the audio extra)
            except ImportError:
                return Examined(file, "skipped", f"{name} audio needs the audio extra: {EXTRA}")
            facts = _soundfile(path, name)
    except Rejected as error:
        return Examined(file, "rejected", str(error))
    except MemoryError:
        return Examined(file, "rejected", f"{name} too large to decode in memory; split the recording")
    except Exception as error:  # hostile input: any other failure of a decoder is a file we cannot read
        return Examined(file, "rejected", f"undecodable {name} ({type(error).__name__}); {RETRY}")
    return Examined(file, "ok", None, audio=facts)


def quality(facts: AudioFacts, settings: MediaSettings) -> tuple[str, ...]:
    """The audio checks a clip fails: clips_too_short, clips_too_long, silent_audio, clipped_audio
    (a silent clip is never also clipped)."""
    found: list[str] = []
    if facts.duration < settings.min_clip_seconds:
        found.append("clips_too_short")
    if facts.duration > settings.max_clip_seconds:
        found.append("clips_too_long")
    silent = facts.rms_dbfs is not None and facts.rms_dbfs < settings.silent_dbfs
    if silent:
        found.append("silent_audio")
    elif facts.clipped_share is not None and facts.clipped_share > 0 and facts.clipped_share >= settings.clipped_share:
        found.append("clipped_audio")
    return tuple(found)


def transcript_fits(duration: float, transcript: str, *, silent: bool = False) -> bool:
    """Whether a transcript's length is plausible for a clip of this many seconds.

    Speech runs at about 12-20 characters a second (2-4 words). A mismatch (the transcript belongs to
    another clip, or the audio was cut) is more than MAX_CHARS_PER_SECOND characters a second (plus
    SLACK_CHARS, so one quick word in a 0.2 s clip fits), or, on a clip of at least
    MIN_JUDGED_SECONDS, fewer than MIN_CHARS_PER_SECOND. Characters are counted with runs of
    whitespace as one. An empty transcript is judged the same way (a 2 s clip with nothing
    transcribed is a mismatch) unless the clip is ``silent``: then only an empty transcript fits."""
    chars = len(" ".join(transcript.split()))
    if silent:
        return chars == 0
    if duration <= 0:
        return True  # nothing to judge against
    if chars > MAX_CHARS_PER_SECOND * duration + SLACK_CHARS:
        return False
    return not (duration >= MIN_JUDGED_SECONDS and chars < MIN_CHARS_PER_SECOND * duration)
