"""Safe decoding of the images and audio clips students upload.

Everything a student can hand us goes through two doors:

* :func:`load_image` turns file bytes into an RGB ``PIL.Image.Image``;
* :func:`decode_audio` / :func:`load_audio` turn file bytes into a mono float32
  waveform ``y: (T,)`` at a fixed sample rate.

Decoding is done by libraries (Pillow for images, soundfile/libsndfile for audio,
librosa/soxr for resampling); this module only sets limits and converts. Anything
that cannot be handled raises :class:`InputError`, whose message is one plain
sentence that says what is wrong and what to do, ready for ``st.error``.

The bundled samples in ``assets/samples/`` are listed by :func:`list_samples`;
:func:`default_image` and :func:`default_audio` return them in the shape the app
keeps in ``st.session_state``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from mmviz import i18n
from mmviz.memory import release as release_memory

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "samples"
DEFAULT_IMAGE = "chelsea.png"
DEFAULT_AUDIO = "speech.wav"

# Pillow format names we accept; detection is by content, never by file name.
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff")
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")
# Sample rates outside this range are not real audio (usually a damaged header).
_MIN_RATE, _MAX_RATE = 1_000, 768_000


def say(key: str, lang: str = i18n.DEFAULT, /, **values) -> str:
    """The sentence ``inputs.<key>`` of the catalogue (:mod:`mmviz.i18n`) in ``lang``; a ``hint`` value ("image",
    "audio") becomes what to upload instead, in the same language."""
    if "hint" in values:
        values = {**values, "hint": i18n.text(f"inputs.hint_{values['hint']}", lang)}
    return i18n.text(f"inputs.{key}", lang, **values)


class InputError(ValueError):
    """A file the app cannot use; ``str(err)`` is one sentence for the student in English, ``err.say(lang)`` the
    same sentence in the interface's language (``err.key``: its name in the catalogue, ``err.values``: what it
    fills in)."""

    def __init__(self, key: str, **values) -> None:
        self.key, self.values = key, values
        super().__init__(say(key, **values))

    def say(self, lang: str = i18n.DEFAULT) -> str:
        return say(self.key, lang, **self.values)


def sha1_key(data: bytes) -> str:
    """Hex SHA-1 of the file bytes, used as a cache key for an upload.

    Args:
        data: the raw file bytes.

    Returns:
        40 hexadecimal characters.
    """
    return hashlib.sha1(data).hexdigest()


def _size(n: int) -> str:
    """Human-readable byte count: 512 bytes, 3.4 KB, 25.0 MB."""
    if n < 1000:
        return f"{n} bytes"
    return f"{n / 1e3:.1f} KB" if n < 1_000_000 else f"{n / 1e6:.1f} MB"


# --------------------------------------------------------------------------- images


def _open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Open (header only, nothing decoded yet) an image of an allowed format."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise InputError("image_bomb", mp=max_pixels / 1e6) from err
    except Image.UnidentifiedImageError:
        pass
    except Exception as err:  # a recognised format whose header is broken
        raise InputError("image_damaged", hint="image") from err
    # Not one of our formats: name the format if Pillow knows it, for a better message.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            other = Image.open(io.BytesIO(data)).format
    except Exception:
        other = None
    if other:
        raise InputError("image_format", fmt=other, hint="image")
    raise InputError("not_image", hint="image")


def _to_rgb(im: Image.Image, extrema: tuple[float, float] | None = None) -> Image.Image:
    """Convert any Pillow mode to 8-bit RGB; transparency is composited onto white.

    Args:
        im: a decoded image in any mode ("1", "L", "P", "LA", "RGBA", "CMYK",
            "I;16", "I", "F", ...).
        extrema: (lo, hi) of the whole image for one-channel 16/32-bit and float modes, when ``im``
            is a strip of it (default: its own).

    Returns:
        A new image in mode "RGB", same size.
    """
    mode = im.mode
    if mode == "F" or mode.startswith("I"):  # one channel of 16/32-bit ints or floats
        a = np.asarray(im).astype(np.float64)  # (H, W)
        a = np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0)
        lo, hi = extrema if extrema is not None else (float(a.min()), float(a.max()))
        if mode != "F" and lo >= 0 and hi <= 65535:
            a = np.round(a / 257.0)  # 16-bit -> 8-bit: 65535 -> 255, 32768 -> 128
        elif hi > lo:
            a = np.round(np.clip((a - lo) / (hi - lo), 0.0, 1.0) * 255.0)  # floats, other ranges: min-max
        else:
            a = np.zeros_like(a)  # a flat float image: black
        return Image.fromarray(a.astype(np.uint8), "L").convert("RGB")

    if "transparency" in im.info and mode in ("P", "L", "RGB"):
        im, mode = im.convert("RGBA"), "RGBA"
    if mode in ("LA", "La", "PA", "RGBa"):
        im, mode = im.convert("RGBA"), "RGBA"
    if mode == "RGBA":
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, im).convert("RGB")
    return im.convert("RGB")  # RGB, L, 1, P, CMYK (incl. Adobe-inverted JPEG), YCbCr, ...


def _extrema(im: Image.Image) -> tuple[float, float] | None:
    """(lo, hi) of a one-channel 16/32-bit or float image, NaN and infinities read as 0; None for other modes."""
    if not (im.mode == "F" or im.mode.startswith("I")):
        return None
    if im.mode == "F":
        a = np.nan_to_num(np.asarray(im, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        return float(a.min()), float(a.max())
    lo, hi = im.getextrema()
    return float(lo), float(hi)


#: rows converted at a time when a large image is reduced (bounds the memory of the conversion)
_STRIP_ROWS = 256


def _reduced_rgb(im: Image.Image, k: int) -> Image.Image:
    """A decoded image of any mode -> RGB, ``k`` times smaller on each side (box average), strip by strip:
    only a few hundred rows are ever converted at full size (a 45-megapixel RGBA PNG would need 180 MB
    more for one RGBA -> RGB conversion of the whole image)."""
    W, H = im.size
    out = Image.new("RGB", (math.ceil(W / k), math.ceil(H / k)))
    lohi, step = _extrema(im), k * max(1, _STRIP_ROWS // k)
    for y0 in range(0, H, step):
        strip = _to_rgb(im.crop((0, y0, W, min(H, y0 + step))), lohi)
        out.paste(strip.reduce(k) if k > 1 else strip, (0, y0 // k))
    return out


#: large images decoded at once on the server (each needs its full-size buffer for a moment)
_BIG_DECODES = threading.BoundedSemaphore(2)

_ORIENTATION = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270,
                7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}


def load_image(
    data: bytes,
    *,
    max_bytes: int = 25_000_000,
    max_pixels: int = 50_000_000,
    max_side: int | None = 2048,
) -> Image.Image:
    """Decode uploaded image bytes into a safe, upright RGB image.

    Steps: size limit on the bytes; format detected from the content (PNG, JPEG,
    GIF, WEBP, BMP, TIFF); pixel count checked from the header *before* decoding
    (decompression bombs); decode (first frame of an animation); EXIF orientation
    applied; converted to RGB (transparency onto white, 16-bit scaled to 8-bit);
    downscaled so the longer side is at most ``max_side``. A large image is reduced as it is
    converted, a few hundred rows at a time, and the full-size decode is released before this
    returns (JPEG is even decoded at 1/2, 1/4 or 1/8 size directly): the memory it keeps is that of
    the result.

    Args:
        data: the raw file bytes.
        max_bytes: refuse files larger than this many bytes.
        max_pixels: refuse images whose width * height is larger than this.
        max_side: if not None, downscale (keeping the aspect ratio, LANCZOS) so that
            max(width, height) <= max_side.

    Returns:
        PIL.Image.Image in mode "RGB", size (W, H); ``np.asarray`` gives (H, W, 3) uint8;
        ``info["original_size"]`` is the file's (width, height).

    Raises:
        InputError: empty, too large, not an allowed image format, damaged or
            truncated, or zero-sized.
    """
    if not data:
        raise InputError("empty", hint="image")
    if len(data) > max_bytes:
        raise InputError("image_too_big", size=_size(len(data)), limit=_size(max_bytes))
    im = _open_image(data, max_pixels)
    w, h = im.size
    if w <= 0 or h <= 0:
        raise InputError("image_empty")
    if w * h > max_pixels:
        raise InputError("image_pixels", w=w, h=h, mp=w * h / 1e6, limit=max_pixels / 1e6)
    if im.format in ("JPEG", "MPO") and max_side and max(w, h) > max_side:
        scale = max_side / max(w, h)
        # JPEG can decode directly at 1/2, 1/4 or 1/8 size: much faster for big photos.
        im.draft(None, (max(1, round(w * scale)), max(1, round(h * scale))))
    big = w * h > 4_000_000
    with _BIG_DECODES if big else contextlib.nullcontext():
        try:
            im.seek(0)  # animated GIF/WEBP/TIFF: the first frame
            im.load()
        except Exception as err:  # truncated data, bad compressed stream, ...
            raise InputError("image_truncated", fmt=im.format) from err
        try:
            orientation = im.getexif().get(0x0112)  # read before the pixels are replaced by a smaller copy
        except Exception:
            orientation = None  # a broken EXIF block: keep the pixels as stored
        k = max(1, max(im.size) // max_side) if max_side else 1
        try:
            # Every format: the full-size decode is reduced (an integer box filter) strip by strip and released
            # at once, so a large image leaves no large buffer behind (PNG, GIF, WebP, TIFF, BMP have no draft).
            im = _reduced_rgb(im, k) if k > 1 or big else _to_rgb(im)
        except Exception as err:
            raise InputError("image_mode", mode=im.mode, hint="image") from err
    if orientation in _ORIENTATION:
        im = im.transpose(_ORIENTATION[orientation])  # rotate phone photos upright
    if max_side and max(im.size) > max_side:
        scale = max_side / max(im.size)
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        im = im.resize(size, Image.Resampling.LANCZOS)
    im.info = {"original_size": (w, h)}
    if big:
        release_memory()
    return im


# --------------------------------------------------------------------------- audio


@dataclass(frozen=True, eq=False)  # eq=False: arrays do not compare/hash as one bool
class AudioClip:
    """A decoded audio clip.

    Attributes:
        y: (T,) float32 mono waveform at ``sr``, values as decoded (about [-1, 1]).
        sr: sample rate of ``y`` in Hz.
        original_sr: sample rate of the file in Hz.
        original_channels: number of channels in the file (averaged to mono).
        original_seconds: length of the whole file in seconds (before trimming).
        notes: what to tell the student (trimmed, silent): (catalogue key, values) pairs for :func:`say`.
    """

    y: np.ndarray
    sr: int
    original_sr: int
    original_channels: int
    original_seconds: float
    notes: tuple[tuple[str, dict], ...] = ()

    def say_notes(self, lang: str = i18n.DEFAULT) -> str | None:
        """The notes as one text in ``lang`` (None: nothing to say)."""
        return " ".join(say(key, lang, **values) for key, values in self.notes) or None

    @property
    def note(self) -> str | None:
        """The notes in English (None: nothing to say)."""
        return self.say_notes()


def decode_audio(
    data: bytes,
    *,
    sr: int = 16000,
    max_seconds: float = 30.0,
    min_seconds: float = 0.1,
    max_bytes: int = 100_000_000,
) -> AudioClip:
    """Decode uploaded audio bytes into a mono float32 clip at ``sr``.

    soundfile (libsndfile) reads WAV, FLAC, OGG/Vorbis and MP3 from memory; only the
    first ``max_seconds`` are read, so a one-hour file is not decoded whole. Channels
    are averaged to mono and the result is resampled with librosa (soxr).

    Args:
        data: the raw file bytes.
        sr: target sample rate in Hz.
        max_seconds: keep only the first ``max_seconds`` (a note says so).
        min_seconds: refuse clips shorter than this.
        max_bytes: refuse files larger than this many bytes.

    Returns:
        AudioClip with ``y: (T,)`` float32, T <= ceil(max_seconds * sr).

    Raises:
        InputError: empty, too large, not a readable audio file, damaged, too short,
            or containing NaN/infinite samples.
    """
    import soundfile as sf

    if not data:
        raise InputError("empty", hint="audio")
    if len(data) > max_bytes:
        raise InputError("audio_too_big", size=_size(len(data)), limit=_size(max_bytes))
    try:
        with sf.SoundFile(io.BytesIO(data)) as f:
            rate, channels, frames = int(f.samplerate), int(f.channels), int(f.frames)
            if not _MIN_RATE <= rate <= _MAX_RATE:
                raise InputError("audio_rate", rate=rate, hint="audio")
            n = int(np.ceil(max_seconds * rate))
            # Read block by block and average channels as we go: (frames, C) -> (frames,)
            chunks = f.blocks(
                blocksize=65536, frames=min(n, frames), dtype="float32", always_2d=True
            )
            blocks = [b.mean(axis=1, dtype=np.float32) for b in chunks]
    except InputError:
        raise
    except Exception as err:  # unknown format, broken header, text or video file
        raise InputError("not_audio", hint="audio") from err
    y = np.concatenate(blocks) if blocks else np.zeros(0, np.float32)  # (T0,)
    seconds = len(y) / rate
    original_seconds = max(frames, len(y)) / rate
    if not np.isfinite(y).all():
        raise InputError("audio_invalid")
    if seconds < min_seconds:
        raise InputError("audio_short", seconds=seconds, min=min_seconds)
    if rate != sr:
        y = _resample(y, rate, sr)
    y = np.ascontiguousarray(y, dtype=np.float32)  # (T,)

    notes: list[tuple[str, dict]] = []  # (catalogue key, its values)
    if original_seconds > max_seconds + 1 / rate:
        notes.append(("note_cut", {"seconds": original_seconds, "max": max_seconds}))
    if not np.any(y):
        notes.append(("note_silent", {}))
    return AudioClip(
        y=y,
        sr=int(sr),
        original_sr=rate,
        original_channels=channels,
        original_seconds=float(original_seconds),
        notes=tuple(notes),
    )


def _resample(y: np.ndarray, rate: int, sr: int) -> np.ndarray:
    """``librosa.resample(y, orig_sr=rate, target_sr=sr, res_type="soxr_hq")``, without importing librosa (its
    first import takes seconds): soxr's high-quality mode, then the length fixed to ceil(T * sr / rate)."""
    import soxr

    n = int(np.ceil(len(y) * sr / rate))
    out = soxr.resample(y, rate, sr, quality="soxr_hq")
    return np.pad(out, (0, max(0, n - len(out))))[:n].astype(y.dtype, copy=False)


def load_audio(
    data: bytes, *, sr: int = 16000, max_seconds: float = 30.0, min_seconds: float = 0.1
) -> tuple[np.ndarray, int]:
    """Decode audio bytes to ``(y, sr)``; see :func:`decode_audio` for the rules.

    Args:
        data: the raw file bytes.
        sr: target sample rate in Hz.
        max_seconds: keep only the first ``max_seconds``.
        min_seconds: refuse clips shorter than this.

    Returns:
        (y, sr): y is a (T,) float32 mono waveform, sr the sample rate in Hz.

    Raises:
        InputError: see :func:`decode_audio`.
    """
    clip = decode_audio(data, sr=sr, max_seconds=max_seconds, min_seconds=min_seconds)
    return clip.y, clip.sr


# --------------------------------------------------------------------------- samples


def list_samples() -> dict[str, list[Path]]:
    """The bundled sample files.

    Returns:
        {"image": [Path, ...], "audio": [Path, ...]}, each list sorted by file name.
    """
    def files(sub: str, suffixes: tuple[str, ...]) -> list[Path]:
        folder = SAMPLES_DIR / sub
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes)

    return {"image": files("images", IMAGE_SUFFIXES), "audio": files("audio", AUDIO_SUFFIXES)}


@functools.lru_cache(maxsize=1)
def _default_image() -> tuple[str, Image.Image]:
    data = (SAMPLES_DIR / "images" / DEFAULT_IMAGE).read_bytes()
    return sha1_key(data), load_image(data)


@functools.lru_cache(maxsize=1)
def _default_audio() -> tuple[str, AudioClip]:
    data = (SAMPLES_DIR / "audio" / DEFAULT_AUDIO).read_bytes()
    return sha1_key(data), decode_audio(data)


def default_image() -> dict:
    """The default sample image, in the shape ``st.session_state["image"]`` uses.

    Returns:
        {"name": "chelsea.png", "key": sha1 hex of the file, "image": PIL RGB image}.
        The image is a fresh copy, safe to modify.
    """
    key, image = _default_image()
    return {"name": DEFAULT_IMAGE, "key": key, "image": image.copy()}


def default_audio() -> dict:
    """The default sample clip, in the shape ``st.session_state["audio"]`` uses.

    Returns:
        {"name": "speech.wav", "key": sha1 hex of the file, "y": (T,) float32 copy,
        "sr": 16000, "note": None or a sentence}.
    """
    key, clip = _default_audio()
    return {"name": DEFAULT_AUDIO, "key": key, "y": clip.y.copy(), "sr": clip.sr, "note": clip.note}
