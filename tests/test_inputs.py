"""mmviz.inputs: every file of the generated corpus (tests/conftest.py) either decodes to
the expected result or raises InputError with a readable sentence; nothing else escapes."""

from __future__ import annotations

import hashlib
import re
import time

import numpy as np
import pytest
from PIL import Image

from mmviz.inputs import (
    AudioClip,
    InputError,
    decode_audio,
    default_audio,
    default_image,
    list_samples,
    load_audio,
    load_image,
    sha1_key,
)

RED, GREEN, BLUE, WHITE = QUADRANTS = ((255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255))
# (same quadrant colours as conftest.quadrant_image: TL, TR, BL, BR)


def px(img: Image.Image, x: int, y: int) -> np.ndarray:
    return np.asarray(img)[y, x].astype(int)


def close(a, b, tol: int = 3) -> bool:
    return bool(np.abs(np.asarray(a, int) - np.asarray(b, int)).max() <= tol)


def quadrants(img: Image.Image, tol: int = 3) -> None:
    """The 64x48 quadrant pattern, unchanged (tol allows JPEG error)."""
    assert img.size == (64, 48)
    w, h = img.size
    corners = [px(img, 0, 0), px(img, w - 1, 0), px(img, 0, h - 1), px(img, w - 1, h - 1)]
    for got, want in zip(corners, QUADRANTS):
        assert close(got, want, tol), (got, want)


def rotated6(img: Image.Image) -> None:
    """EXIF orientation 6 = rotate 90° clockwise: size swapped, stored top-left now top-right."""
    assert img.size == (48, 64)
    assert close(px(img, 47, 0), RED, 4)  # stored top-left -> top-right
    assert close(px(img, 0, 0), BLUE, 4)  # stored bottom-left -> top-left
    assert close(px(img, 47, 63), GREEN, 4)  # stored top-right -> bottom-right


def flat(size, colour, tol=0):
    def check(img: Image.Image) -> None:
        assert img.size == size
        a = np.asarray(img).reshape(-1, 3).astype(int)
        assert np.abs(a - colour).max() <= tol, (a.min(0), a.max(0))

    return check


def halves(left, right):
    def check(img: Image.Image) -> None:
        assert img.size == (8, 8)
        a = np.asarray(img).astype(int)
        assert (a[:, :4] == left).all() and (a[:, 4:] == right).all()

    return check


def row(*values):
    def check(img: Image.Image) -> None:
        assert img.size == (len(values), 1)
        assert np.asarray(img)[0, :, 0].tolist() == list(values)
        assert (np.asarray(img) == np.asarray(img)[..., :1]).all()  # grey: R = G = B

    return check


def ok(check):
    return ("ok", check)


def err(*words):
    return ("error", words)


# file name -> (load_image kwargs, expected outcome)
IMAGE_CASES = {
    "png.png": ({}, ok(quadrants)),
    "jpeg.jpg": ({}, ok(quadrants)),
    "gif.gif": ({}, ok(quadrants)),
    "webp.webp": ({}, ok(quadrants)),
    "bmp.bmp": ({}, ok(quadrants)),
    "tiff.tif": ({}, ok(quadrants)),
    "png_named.jpg": ({}, ok(quadrants)),  # content decides, not the name
    "exif_rotate6.jpg": ({}, ok(rotated6)),
    "cmyk.jpg": ({}, ok(flat((16, 16), RED, 2))),  # Adobe-inverted CMYK JPEG
    "palette.png": ({}, ok(halves((255, 255, 0), BLUE))),
    "palette_transparent.png": ({}, ok(halves(WHITE, BLUE))),  # transparent -> white
    "rgba.png": ({}, ok(halves(WHITE, BLUE))),
    "la.png": ({}, ok(flat((8, 8), WHITE))),  # alpha 0 -> white
    "l.png": ({}, ok(flat((8, 8), (100, 100, 100)))),
    "mode1.png": ({}, ok(flat((8, 8), WHITE))),
    "gray16.png": ({}, ok(row(0, 128, 255))),  # scaled /257, not clipped to 255
    "gray16be.tif": ({}, ok(flat((4, 4), WHITE))),
    "float.tif": ({}, ok(row(0, 128, 255))),  # min-max: -1, 0, 1
    "animated.gif": ({}, ok(flat((16, 16), RED))),  # first frame
    "tiny_1x1.png": ({}, ok(flat((1, 1), (10, 20, 30)))),
    "wide_4000x10.png": ({}, ok(flat((2048, 5), (0, 128, 0)))),
    "large_5000x4000.jpg": ({}, ok(flat((2048, 1638), (0, 128, 255), 3))),
    "truncated.jpg": ({}, err("damaged")),
    "truncated.png": ({}, err("damaged", "truncated")),
    "random_bytes.png": ({}, err("not an image", "PNG", "JPEG")),
    "text.jpg": ({}, err("not an image")),
    "empty.png": ({}, err("empty")),
    "drawing.svg": ({}, err("not an image")),
    "document.pdf": ({}, err("not an image")),
    "icon.ico": ({}, err("ICO", "not supported")),
    "zero_width.png": ({}, err("image")),
    "bomb_100000x100000.png": ({}, err("too many pixels", "at most 50 megapixels")),
    "header_10000x6000.png": ({}, err("10000 × 6000", "60.0 megapixels", "50 megapixel limit")),
    "over_max_bytes.png": ({"max_bytes": 100}, err("100 bytes limit")),
}


def tone_check(n: int, peak: float, channels: int = 1, rate: int = 16000, tol: float = 0.02):
    def check(clip: AudioClip) -> None:
        assert clip.sr == 16000 and clip.y.shape == (n,)
        assert (clip.original_sr, clip.original_channels) == (rate, channels)
        assert abs(float(np.abs(clip.y).max()) - peak) < tol
        assert clip.note is None

    return check


def silent(clip: AudioClip) -> None:
    assert clip.y.shape == (32000,) and not clip.y.any()
    assert clip.note == "The clip is silent (all samples are zero)."
    assert clip.say_notes("ko") == "클립이 무음입니다(모든 샘플이 0)."


def trimmed(clip: AudioClip) -> None:
    assert clip.y.shape == (30 * 16000,) and clip.original_seconds == pytest.approx(600.0)
    assert clip.note == "The clip was 600.0 s long; only the first 30 s are used."
    assert clip.say_notes("ko") == "클립 길이가 600.0초여서 앞의 30초만 씁니다."


# file name -> (decode_audio kwargs, expected outcome)
AUDIO_CASES = {
    "wav_16k.wav": ({}, ok(tone_check(16000, 0.5))),
    "wav_8k.wav": ({}, ok(tone_check(16000, 0.5, rate=8000))),
    "stereo_44k.wav": ({}, ok(tone_check(16000, 0.25, 2, 44100))),  # (L + 0) / 2
    "wav_96k.wav": ({}, ok(tone_check(8000, 0.5, rate=96000))),
    "six_channels.wav": ({}, ok(tone_check(16000, 0.5, 6))),
    "float32.wav": ({}, ok(tone_check(16000, 0.5))),
    "pcm24.wav": ({}, ok(tone_check(16000, 0.5))),
    "flac.flac": ({}, ok(tone_check(16000, 0.5))),
    "vorbis.ogg": ({}, ok(tone_check(16000, 0.5, tol=0.05))),
    "opus.ogg": ({}, ok(tone_check(16000, 0.5, rate=48000, tol=0.05))),
    "mp3.mp3": ({}, ok(tone_check(16000, 0.5, tol=0.05))),
    "aiff.aiff": ({}, ok(tone_check(16000, 0.5))),
    "truncated.wav": ({}, ok(tone_check(7989, 0.5))),  # the half that is there
    "silent_2s.wav": ({}, ok(silent)),
    "ten_minutes_8k.wav": ({}, ok(trimmed)),
    "empty.wav": ({}, err("empty")),
    "short_50ms.wav": ({}, err("0.050 s", "0.1 s minimum")),
    "nan.wav": ({}, err("NaN")),
    "inf.wav": ({}, err("infinity")),
    "scrambled_header.wav": ({}, err("not audio", "WAV")),
    "bad_rate.wav": ({}, err("10 Hz", "sample rate")),
    "text.wav": ({}, err("not audio")),
    "random_bytes.wav": ({}, err("not audio")),
    "fake_mp4.wav": ({}, err("not audio")),
    "over_max_bytes.wav": ({"max_bytes": 1000}, err("32.0 KB", "1.0 KB limit")),
}


def assert_sentence(msg: str) -> None:
    """One plain sentence: capital first, full stop last, no newline, no Python internals."""
    assert re.fullmatch(r"[A-Z][^\n]{20,220}\.", msg), msg
    for jargon in ("Traceback", "Error", "errno", "cannot identify", "<", "b'"):
        assert jargon not in msg, msg


def assert_said_in_korean(err: InputError) -> None:
    """The same refusal in Korean: a Korean sentence with the same numbers (sizes, pixels, seconds, rates)."""
    ko = err.say("ko")
    assert err.say("en") == str(err) and ko != str(err)
    assert re.search(r"[\uac00-\ud7a3]", ko) and "{" not in ko and "please" not in ko, ko
    assert re.findall(r"\d+(?:\.\d+)?", ko) == re.findall(r"\d+(?:\.\d+)?", str(err)), (ko, str(err))


def check_case(fn, path, kwargs, expected):
    outcome, detail = expected
    data = path.read_bytes()
    if outcome == "error":
        with pytest.raises(InputError) as info:  # any other exception fails the test
            fn(data, **kwargs)
        assert isinstance(info.value, ValueError)
        assert_sentence(str(info.value))
        for word in detail:
            assert word.lower() in str(info.value).lower(), (word, str(info.value))
        assert_said_in_korean(info.value)
    else:
        detail(fn(data, **kwargs))


def test_corpus_size_and_coverage(image_corpus, audio_corpus):
    assert set(image_corpus) == set(IMAGE_CASES)
    assert set(audio_corpus) | {"mp3.mp3"} == set(AUDIO_CASES)
    assert len(image_corpus) >= 25 and len(audio_corpus) >= 15


@pytest.mark.parametrize("name", list(IMAGE_CASES))
def test_image_corpus(image_corpus, name):
    kwargs, expected = IMAGE_CASES[name]

    def load(data, **kw):
        img = load_image(data, **kw)
        assert isinstance(img, Image.Image) and img.mode == "RGB"
        return img

    check_case(load, image_corpus[name], kwargs, expected)


@pytest.mark.parametrize("name", list(AUDIO_CASES))
def test_audio_corpus(audio_corpus, name):
    if name not in audio_corpus:
        pytest.skip(f"soundfile cannot write {name} here")
    kwargs, expected = AUDIO_CASES[name]

    def decode(data, **kw):
        clip = decode_audio(data, **kw)
        assert clip.y.dtype == np.float32 and clip.y.ndim == 1 and np.isfinite(clip.y).all()
        return clip

    check_case(decode, audio_corpus[name], kwargs, expected)


def test_image_bytes_limit_checked_before_opening(monkeypatch):
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("opened an oversized file"))
    with pytest.raises(InputError, match=r"The file is 2\.0 KB, more than the 1\.0 KB limit"):
        load_image(b"\x89PNG" + bytes(1996), max_bytes=1000)


def test_pixel_limit_checked_before_decoding(image_corpus, monkeypatch):
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded a bomb"))
    with pytest.raises(InputError, match="megapixel"):
        load_image(image_corpus["header_10000x6000.png"].read_bytes())
    # a custom limit applies to an otherwise fine image
    with pytest.raises(InputError, match=r"64 × 48 pixels"):
        load_image(image_corpus["png.png"].read_bytes(), max_pixels=1000)


def test_max_side_none_keeps_size(image_corpus):
    img = load_image(image_corpus["wide_4000x10.png"].read_bytes(), max_side=None)
    assert img.size == (4000, 10)
    assert load_image(image_corpus["png.png"].read_bytes(), max_side=32).size == (32, 24)


def test_long_audio_is_not_decoded_whole(audio_corpus):
    data = audio_corpus["ten_minutes_8k.wav"].read_bytes()
    decode_audio(data)  # warm up the librosa/soxr import
    start = time.perf_counter()
    clip = decode_audio(data, max_seconds=30)
    assert time.perf_counter() - start < 2.0
    assert clip.y.shape == (480000,)
    short = decode_audio(data, max_seconds=2.5, sr=8000)
    assert short.y.shape == (20000,) and "only the first 2.5 s" in short.note


def test_audio_values_not_normalised(audio_corpus):
    y, sr = load_audio(audio_corpus["ten_minutes_8k.wav"].read_bytes())
    assert sr == 16000 and y.dtype == np.float32
    assert 0.24 < float(np.abs(y).max()) < 0.26  # amplitude 0.25 stays 0.25


def test_load_audio_wrapper_matches_decode(audio_corpus):
    data = audio_corpus["stereo_44k.wav"].read_bytes()
    y, sr = load_audio(data, sr=22050)
    clip = decode_audio(data, sr=22050)
    assert sr == 22050 and y.shape == (22050,) and np.array_equal(y, clip.y)
    with pytest.raises(InputError, match="shorter than the 2 s minimum"):
        load_audio(data, min_seconds=2)


def test_input_error_is_value_error():
    assert issubclass(InputError, ValueError)
    with pytest.raises(ValueError):
        load_image(b"")


def test_sha1_key():
    assert sha1_key(b"abc") == hashlib.sha1(b"abc").hexdigest()
    assert len(sha1_key(b"")) == 40


def test_list_samples():
    samples = list_samples()
    assert set(samples) == {"image", "audio"}
    images = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"]
    assert [p.name for p in samples["image"]] == images
    audio = ["chirp.wav", "chord.wav", "noise.wav", "speech.wav"]
    assert [p.name for p in samples["audio"]] == audio
    for path in samples["audio"]:
        assert path.stat().st_size < 300_000
        clip = decode_audio(path.read_bytes())
        assert clip.original_sr == 16000 and clip.original_channels == 1 and clip.note is None
        assert 2.0 <= clip.original_seconds <= 6.0 and 0.05 < np.abs(clip.y).max() <= 1.0
    for path in samples["image"]:
        assert load_image(path.read_bytes()).mode == "RGB"
    assert (samples["image"][0].parent.parent / "LICENSES.md").is_file()


def test_default_image():
    d = default_image()
    assert set(d) == {"name", "key", "image"} and d["name"] == "chelsea.png"
    path = list_samples()["image"][1]
    assert d["key"] == hashlib.sha1(path.read_bytes()).hexdigest()
    assert d["image"].mode == "RGB" and d["image"].size == (451, 300)
    d["image"].paste((0, 0, 0), (0, 0, 451, 300))  # a copy: the next call is unaffected
    assert np.asarray(default_image()["image"]).mean() > 20


def test_default_audio():
    d = default_audio()
    assert set(d) == {"name", "key", "y", "sr", "note"} and d["name"] == "speech.wav"
    path = list_samples()["audio"][3]
    assert d["key"] == hashlib.sha1(path.read_bytes()).hexdigest()
    assert d["sr"] == 16000 and d["y"].dtype == np.float32 and d["y"].ndim == 1
    assert 3.0 < len(d["y"]) / d["sr"] < 8.0 and d["note"] is None
    d["y"][:] = 0
    assert default_audio()["y"].any()
