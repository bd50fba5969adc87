"""The issue's bad-input list, generated as files, through the same path as the app: decode
(mmviz.inputs.decode_audio, as the sidebar does) and then every step of the audio lesson.

Each file either works end to end (finite spectrograms, patches, model outputs) or is refused
with one plain sentence (InputError), never a traceback.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import soundfile as sf

from mmviz.lessons import audio_tokens as al
from mmviz.inputs import InputError, decode_audio
from mmviz.weights import load_model

SR = 16000


def _tone(seconds: float, sr: int, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def _encode(y: np.ndarray, sr: int, fmt: str = "WAV", subtype: str | None = "PCM_16") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, y, sr, format=fmt, subtype=subtype)
    return buf.getvalue()


def _one_hour(path) -> None:
    """A real one-hour 8 kHz WAV (8-bit, 28.8 MB), written one second at a time."""
    second = _tone(1.0, 8000, 0.3)
    with sf.SoundFile(path, "w", samplerate=8000, channels=1, format="WAV", subtype="PCM_U8") as f:
        for _ in range(3600):
            f.write(second)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("bad_audio")
    wav = _encode(_tone(2.0, SR), SR)
    nan = _tone(2.0, SR)
    nan[1000:1100] = np.nan
    corrupt = bytearray(wav)
    corrupt[:44] = np.random.default_rng(0).bytes(44)
    out = {
        "empty.wav": b"",
        "silent.wav": _encode(np.zeros(3 * SR, np.float32), SR),
        "50ms.wav": _encode(_tone(0.05, SR), SR),
        "8khz.wav": _encode(_tone(2.0, 8000), 8000),
        "96khz.wav": _encode(_tone(1.0, 96000), 96000),
        "six_channels.wav": _encode(np.repeat(_tone(2.0, SR)[:, None], 6, 1), SR),
        "nan.wav": _encode(nan, SR, subtype="FLOAT"),
        "corrupt_header.wav": bytes(corrupt),
        "video.wav": b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(4096),
        "text.wav": b"These are my lecture notes, not a recording.\n" * 40,
        "flac.flac": _encode(_tone(2.0, SR), SR, "FLAC", None),
        "ogg.ogg": _encode(_tone(2.0, SR), SR, "OGG", "VORBIS"),
    }
    try:
        out["mp3.mp3"] = _encode(_tone(2.0, SR), SR, "MP3", "MPEG_LAYER_III")
    except Exception:  # libsndfile without an MP3 encoder
        pass
    paths = {}
    for name, data in out.items():
        paths[name] = d / name
        paths[name].write_bytes(data)
    paths["one_hour.wav"] = d / "one_hour.wav"
    _one_hour(paths["one_hour.wav"])
    return paths


WORKS = ["silent.wav", "8khz.wav", "96khz.wav", "six_channels.wav", "flac.flac", "ogg.ogg", "mp3.mp3", "one_hour.wav"]
REFUSED = {"empty.wav": "empty", "50ms.wav": "0.050 s", "nan.wav": "NaN", "corrupt_header.wav": "not audio",
           "video.wav": "not audio", "text.wav": "not audio"}


def _lesson(y: np.ndarray, sr: int) -> dict:
    """Every backend step of pages/5_audio_tokens.py with its default controls."""
    c = al.prepare_clip(y, sr)
    S1 = al.stft_lesson(c["y"], c["sr"], n_fft=400, hop_length=160, window="hann")
    S = al.log_mel_lesson(c["y"], c["sr"], n_fft=400, hop_length=160, window="hann", n_mels=128, fmin=0.0, fmax=8000.0)
    P = al.patch_lesson(S, patch=16, stride=10)
    A = al.ast_lesson(load_model("ast-untrained"), c["y"])
    for arr in (S1["db"], S, P["patches"], A["cls"], A["features"]):
        assert np.isfinite(arr).all()
    return {"clip": c, "patches": P, "ast": A}


def test_the_list_is_covered(files):
    assert set(WORKS) | set(REFUSED) >= set(files)


@pytest.mark.parametrize("name", WORKS)
def test_file_works_end_to_end(files, name):
    if name not in files:
        pytest.skip(f"soundfile cannot write {name} here")
    clip = decode_audio(files[name].read_bytes())  # the sidebar keeps at most 30 s
    assert clip.sr == SR and clip.y.dtype == np.float32
    out = _lesson(clip.y, clip.sr)
    c = out["clip"]
    if name == "one_hour.wav":
        assert clip.original_seconds == pytest.approx(3600.0) and "only the first 30 s" in clip.note
        assert c["cut"] and c["seconds"] == 10.0 and "first 10 s" in c["note"]
        assert out["patches"]["grid"] == (12, 99)
    elif name == "silent.wav":
        assert "silent" in clip.note and out["ast"]["top"]
    else:
        assert 0.9 <= c["seconds"] <= 2.01 and np.abs(c["y"]).max() > 0.1  # the tone survived
    if name == "six_channels.wav":
        assert clip.original_channels == 6
    if name in ("8khz.wav", "96khz.wav"):
        assert clip.original_sr in (8000, 96000)


@pytest.mark.parametrize("name", list(REFUSED))
def test_file_is_refused_in_one_sentence(files, name):
    with pytest.raises(InputError) as info:
        decode_audio(files[name].read_bytes())
    msg = str(info.value)
    assert re.fullmatch(r"[A-Z][^\n]{20,220}\.", msg), msg
    assert REFUSED[name].lower() in msg.lower() and "Traceback" not in msg
