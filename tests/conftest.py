"""Shared fixtures.

Input corpus (used by tests/test_inputs.py): ``image_corpus`` and ``audio_corpus`` write
a set of valid, odd and broken files into a session temp folder and return
``{file name: Path}``. Expected outcomes per file live in tests/test_inputs.py.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

# Colours of the 2x2 quadrant test pattern (top-left, top-right, bottom-left, bottom-right).
QUADRANTS = ((255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255))


def quadrant_image(w: int = 64, h: int = 48) -> Image.Image:
    """RGB image split into four flat quadrants coloured QUADRANTS."""
    a = np.zeros((h, w, 3), np.uint8)
    a[: h // 2, : w // 2], a[: h // 2, w // 2 :] = QUADRANTS[0], QUADRANTS[1]
    a[h // 2 :, : w // 2], a[h // 2 :, w // 2 :] = QUADRANTS[2], QUADRANTS[3]
    return Image.fromarray(a, "RGB")


def _save(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def _png_with_ihdr(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose IHDR claims width x height (CRC fixed), for bomb tests."""
    png = bytearray(_save(Image.new("RGB", (1, 1), "red"), "PNG"))
    png[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    png[29:33] = zlib.crc32(bytes(png[12:29])).to_bytes(4, "big")  # CRC of "IHDR" + data
    return bytes(png)


def _image_files() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    q = quadrant_image()
    jpeg = _save(q, "JPEG", quality=95)
    png = _save(q, "PNG")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    pal = Image.new("P", (8, 8), 1)
    pal.putpalette([255, 255, 0, 0, 0, 255] + [0] * 762)  # 0 = yellow, 1 = blue
    pal.paste(0, (0, 0, 4, 8))  # left half yellow
    rgba = Image.new("RGBA", (8, 8), (0, 0, 255, 255))
    rgba.paste((255, 0, 0, 0), (0, 0, 4, 8))  # left half fully transparent
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "lime", "blue")]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return {
        "png.png": png,
        "jpeg.jpg": jpeg,
        "gif.gif": _save(q, "GIF"),
        "webp.webp": _save(q, "WEBP", lossless=True),
        "bmp.bmp": _save(q, "BMP"),
        "tiff.tif": _save(q, "TIFF"),
        "truncated.jpg": jpeg[: len(jpeg) // 2],
        "truncated.png": png[: len(png) // 2],
        "random_bytes.png": rng.bytes(4096),
        "text.jpg": b"This is a shopping list, not a picture.\nmilk\neggs\n",
        "empty.png": b"",
        "exif_rotate6.jpg": _save(q, "JPEG", quality=95, exif=exif.tobytes()),
        "cmyk.jpg": _save(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "JPEG"),  # red, Adobe
        "palette.png": _save(pal, "PNG"),
        "palette_transparent.png": _save(pal, "PNG", transparency=0),  # yellow -> transparent
        "rgba.png": _save(rgba, "PNG"),
        "la.png": _save(Image.new("LA", (8, 8), (50, 0)), "PNG"),  # fully transparent grey
        "l.png": _save(Image.new("L", (8, 8), 100), "PNG"),
        "mode1.png": _save(Image.new("1", (8, 8), 1), "PNG"),
        "gray16.png": _save(Image.fromarray(np.array([[0, 32768, 65535]], np.uint16)), "PNG"),
        "gray16be.tif": _save(Image.new("I;16B", (4, 4), 65535), "TIFF"),
        "float.tif": _save(Image.fromarray(np.array([[-1.0, 0.0, 1.0]], np.float32), "F"), "TIFF"),
        "animated.gif": gif.getvalue(),
        "tiny_1x1.png": _save(Image.new("RGB", (1, 1), (10, 20, 30)), "PNG"),
        "bomb_100000x100000.png": _png_with_ihdr(100_000, 100_000),
        "header_10000x6000.png": _png_with_ihdr(10_000, 6_000),
        "zero_width.png": _png_with_ihdr(0, 10),
        "over_max_bytes.png": png,
        "wide_4000x10.png": _save(Image.new("RGB", (4000, 10), "green"), "PNG"),
        "png_named.jpg": png,
        "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<rect width="10" height="10" fill="red"/></svg>',
        "document.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "icon.ico": _save(Image.new("RGB", (16, 16), "red"), "ICO"),
        "large_5000x4000.jpg": _save(Image.new("RGB", (5000, 4000), (0, 128, 255)), "JPEG"),
    }


def _tone(seconds: float, sr: int, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(round(seconds * sr))) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _wav(y: np.ndarray, sr: int, fmt: str = "WAV", subtype: str | None = None) -> bytes:
    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, y, sr, format=fmt, subtype=subtype)
    return buf.getvalue()


def _audio_files() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    tone = _tone(1.0, 16000)
    nan = tone.copy()
    nan[100:200] = np.nan
    inf = tone.copy()
    inf[5] = np.inf
    wav = _wav(tone, 16000, subtype="PCM_16")
    scrambled = bytearray(wav)
    scrambled[:44] = rng.bytes(44)  # the whole RIFF/fmt/data header replaced by noise
    bad_rate = bytearray(wav)
    bad_rate[24:28] = (10).to_bytes(4, "little")  # fmt chunk: sample rate = 10 Hz
    stereo = np.stack([_tone(1.0, 44100), np.zeros(44100, np.float32)], axis=1)  # (T, 2)
    files = {
        "wav_16k.wav": wav,
        "wav_8k.wav": _wav(_tone(1.0, 8000), 8000, subtype="PCM_16"),
        "stereo_44k.wav": _wav(stereo, 44100),
        "wav_96k.wav": _wav(_tone(0.5, 96000), 96000, subtype="PCM_16"),
        "six_channels.wav": _wav(np.repeat(_tone(1.0, 16000)[:, None], 6, 1), 16000),
        "float32.wav": _wav(tone, 16000, subtype="FLOAT"),
        "pcm24.wav": _wav(tone, 16000, subtype="PCM_24"),
        "flac.flac": _wav(tone, 16000, "FLAC"),
        "vorbis.ogg": _wav(tone, 16000, "OGG", "VORBIS"),
        "opus.ogg": _wav(_tone(1.0, 48000), 48000, "OGG", "OPUS"),
        "aiff.aiff": _wav(tone, 16000, "AIFF", "PCM_16"),
        "truncated.wav": wav[: len(wav) // 2],
        "empty.wav": b"",
        "short_50ms.wav": _wav(_tone(0.05, 16000), 16000, subtype="PCM_16"),
        "silent_2s.wav": _wav(np.zeros(32000, np.float32), 16000, subtype="PCM_16"),
        "nan.wav": _wav(nan, 16000, subtype="FLOAT"),
        "inf.wav": _wav(inf, 16000, subtype="FLOAT"),
        "scrambled_header.wav": bytes(scrambled),
        "bad_rate.wav": bytes(bad_rate),
        "text.wav": b"RIFF? No. These are lecture notes saved with the wrong name.\n" * 20,
        "random_bytes.wav": rng.bytes(8192),
        "fake_mp4.wav": b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
        + rng.bytes(4096),
        "over_max_bytes.wav": wav,
        "ten_minutes_8k.wav": _wav(_tone(600.0, 8000, amp=0.25), 8000, subtype="PCM_16"),
    }
    try:
        files["mp3.mp3"] = _wav(tone, 16000, "MP3", "MPEG_LAYER_III")
    except Exception:  # libsndfile built without MP3 encoding: the test skips this case
        pass
    return files


def _write(folder: Path, files: dict[str, bytes]) -> dict[str, Path]:
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


@pytest.fixture(scope="session")
def image_corpus(tmp_path_factory) -> dict[str, Path]:
    """{file name: path} of valid, odd and broken image files (see _image_files)."""
    return _write(tmp_path_factory.mktemp("image_corpus"), _image_files())


@pytest.fixture(scope="session")
def audio_corpus(tmp_path_factory) -> dict[str, Path]:
    """{file name: path} of valid, odd and broken audio files (see _audio_files)."""
    return _write(tmp_path_factory.mktemp("audio_corpus"), _audio_files())
