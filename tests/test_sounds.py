"""The procedural sounds: deterministic, well-formed, and each kind looks like its description."""

import numpy as np
import pytest

from mmviz.audio import kaldi_fbank, stft_power
from mmviz.data.sounds import SOUND_KINDS, SR, SoundWorld, coloured_noise, make_batch, make_clip, make_sound

CLEAN = SoundWorld(background_p=0.0, event=(1.0, 1.0), peak=(0.5, 0.5))


def test_kinds():
    assert len(SOUND_KINDS) == 8 and len(set(SOUND_KINDS)) == 8
    with pytest.raises(ValueError, match="unknown sound kind"):
        make_sound("violin", 100, np.random.default_rng(0))


def test_batch_is_deterministic_and_well_formed():
    a, b = make_batch(24, seed=3), make_batch(24, seed=3)
    assert a["labels"].dtype == np.int64 and a["labels"].shape == (24,)
    assert set(a["labels"].tolist()) <= set(range(8)) and len(set(a["labels"].tolist())) >= 5
    for ya, yb, p in zip(a["waves"], b["waves"], a["params"]):
        np.testing.assert_array_equal(ya, yb)
        assert ya.dtype == np.float32 and ya.ndim == 1 and np.isfinite(ya).all()
        assert 2.0 * SR <= len(ya) <= 3.0 * SR and np.abs(ya).max() <= 1.0
        assert 0.3 <= p["event_s"] <= len(ya) / SR + 1e-9 and p["onset_s"] + p["event_s"] <= len(ya) / SR + 1e-9
    assert not np.array_equal(make_batch(1, seed=4)["waves"][0][:1000], a["waves"][0][:1000])


def test_background_is_another_colour_and_quieter():
    rng = np.random.default_rng(0)
    seen = 0
    for _ in range(40):
        y, label, p = make_clip(rng, SoundWorld(background_p=1.0))
        assert p["background"] in ("white noise", "pink noise", "brown noise")
        assert p["background"] != SOUND_KINDS[label] and 12 <= p["snr_db"] <= 30
        seen += 1
    assert seen == 40


@pytest.mark.parametrize("alpha, slope", [(0.0, 0.0), (1.0, -3.0), (2.0, -6.0)])
def test_noise_colours_have_their_slope(alpha, slope):
    y = coloured_noise(SR * 4, alpha, np.random.default_rng(1))
    assert np.sqrt(np.mean(y**2)) == pytest.approx(1.0)
    P = stft_power(y.astype(np.float32), n_fft=2048, hop_length=512).mean(axis=1)  # (1025,)
    f = np.fft.rfftfreq(2048, 1 / SR)
    band = lambda lo: P[(f >= lo) & (f < 2 * lo)].mean()  # noqa: E731
    per_octave = 10 * np.log10(np.mean([band(lo * 2) / band(lo) for lo in (250, 500, 1000, 2000)]))
    assert per_octave == pytest.approx(slope, abs=1.0)


def _spectrum_peaks(kind, seed=0):
    rng = np.random.default_rng(seed)
    y, _, p = make_clip(rng, CLEAN, kind=kind)
    P = stft_power(y, n_fft=2048, hop_length=512)  # (1025, frames), 7.8 Hz bins
    return P, p


def test_tone_chord_chirp_tremolo_clicks_look_right():
    P, p = _spectrum_peaks("tone")
    assert abs(P.mean(1).argmax() * SR / 2048 - p["freq"]) < 10
    P, p = _spectrum_peaks("chord")
    spec = P.mean(1)
    for f in p["freqs"]:  # every note is a peak
        k = round(f * 2048 / SR)
        assert spec[k - 1:k + 2].max() > 100 * np.median(spec)
    P, p = _spectrum_peaks("chirp")
    track = P[:, 2:-2].argmax(0) * SR / 2048  # the loudest frequency in each frame
    assert (np.diff(track) >= -20).all() if p["f1"] > p["f0"] else (np.diff(track) <= 20).all()
    rng = np.random.default_rng(0)
    y, _, p = make_clip(rng, CLEAN, kind="tremolo")
    n = len(y) // 160 * 160
    env = np.abs(y[:n]).reshape(-1, 160).max(1)  # peak per 10 ms
    assert env[20:-20].min() < 0.35 * env[20:-20].max()  # it pulses
    y, _, p = make_clip(np.random.default_rng(0), CLEAN, kind="clicks")
    assert (np.abs(y) > 0.05).mean() < 0.1  # mostly quiet between the clicks


def test_kinds_differ_in_the_model_features():
    """The eight kinds have different mean fbank profiles (what the tiny AST has to tell apart)."""
    rng = np.random.default_rng(5)
    profiles = []
    for kind in SOUND_KINDS:
        y, _, _ = make_clip(rng, CLEAN, kind=kind)
        fb = kaldi_fbank(y, n_mels=64)  # (frames, 64)
        profiles.append(np.concatenate([fb.mean(0), [fb.mean(1).std()]]))
    profiles = np.array(profiles)
    d = np.linalg.norm(profiles[:, None] - profiles[None], axis=-1)
    assert d[~np.eye(8, dtype=bool)].min() > 1.0
