"""mmviz.lessons.audio_tokens: clip preparation, pooled views, counts, and the model pass."""

import numpy as np
import pytest
import torch

from mmviz.audio import token_count
from mmviz.lessons import audio_tokens as al
from mmviz.weights import load_model

SR = 16000


def test_prepare_clip_cuts_and_resamples():
    y = np.ones(25 * SR, np.float32) * 0.1
    c = al.prepare_clip(y, SR)
    assert c["cut"] and len(c["y"]) == 10 * SR and c["seconds"] == 10.0 and c["original_seconds"] == 25.0
    assert c["note"] == "The clip is 25.0 s long; this lesson uses its first 10 s."
    c8 = al.prepare_clip(np.zeros(8000, np.float32), 8000)
    assert c8["sr"] == SR and len(c8["y"]) == SR and c8["note"] is None and not c8["cut"]
    assert al.wav_bytes(c8["y"], SR)[:4] == b"RIFF"


def test_waveform_envelope_and_pool_max():
    y = np.sin(np.linspace(0, 200, 10 * SR)).astype(np.float32)
    env = al.waveform_envelope(y, SR, max_points=1000)
    assert len(env["t"]) <= 1000 and (env["lo"] <= env["hi"]).all()
    assert env["peak"] == pytest.approx(1.0, abs=1e-3) and env["rms"] == pytest.approx(2**-0.5, abs=1e-2)
    S = np.arange(12.0).reshape(3, 4)
    z, fr, fc = al.pool_max(S, 2, 2)
    assert (fr, fc) == (2, 2) and z.tolist() == [[5.0, 7.0], [9.0, 11.0]]
    assert al.pool_max(S, 10, 10)[0] is S


def test_stft_lesson_and_zoomed_view():
    y = np.sin(2 * np.pi * 1000 * np.arange(4 * SR) / SR).astype(np.float32)
    L = al.stft_lesson(y, SR, n_fft=512, hop_length=64, window="hann")
    assert L["db"].shape == (257, 1 + 4 * SR // 64) and L["db"].max() == 0 and L["db"].min() >= -80
    assert L["resolution"]["bin_hz"] == pytest.approx(31.25)
    full = al.stft_view(L, 0.0, 4.0, max_cols=480)
    assert full["z"].shape[1] <= 480 and full["pool"][1] > 1
    zoom = al.stft_view(L, 1.0, 1.4)
    assert zoom["pool"] == (1, 1) and zoom["z"].shape == (257, 101)  # every bin and frame of 0.4 s
    assert zoom["times"][0] == pytest.approx(1.0) and zoom["frames"] == (250, 350)
    assert abs(zoom["freqs"][zoom["z"][:, 100].argmax()] - 1000) < 32


def test_mel_lesson_reports_empty_filters():
    ok = al.mel_lesson(sr=SR, n_fft=400, n_mels=64, fmin=0.0, fmax=8000.0)
    assert ok["M"].shape == (64, 201) and len(ok["empty"]) == 0
    assert (np.diff(ok["centres"]) > 0).all() and ok["widths"][-1] > ok["widths"][0]
    bad = al.mel_lesson(sr=SR, n_fft=128, n_mels=128, fmin=0.0, fmax=8000.0)
    assert len(bad["empty"]) > 0


def test_patch_lesson_pads_short_clips_and_counts():
    S = al.log_mel_lesson(np.zeros(1600, np.float32) + 0.01, SR, n_fft=400, hop_length=160, window="hann",
                          n_mels=128, fmin=0.0, fmax=8000.0)
    assert S.shape == (128, 11)
    P = al.patch_lesson(S, patch=16, stride=10)
    assert P["padded"] == 5 and P["S"].shape == (128, 16) and P["grid"] == (12, 1)
    assert P["counts"] == token_count(128, 16, patch=16, stride=10)
    with pytest.raises(ValueError, match="fewer than the 32-bin patch"):
        al.patch_lesson(np.zeros((16, 100), np.float32), patch=32, stride=10)


def test_token_curve_is_the_grid_formula():
    c = al.token_curve(sr=SR, hop_length=160, n_fft=400, n_mels=128, patch=16, stride=10, seconds=[10.0, 20.0])
    assert c["frames"].tolist() == [1001, 2001] and c["patches"].tolist() == [12 * 99, 12 * 199]
    assert c["attention"].tolist() == [(12 * 99 + 2) ** 2, (12 * 199 + 2) ** 2]
    assert c["memory_mb"][0] == pytest.approx((12 * 99 + 2) ** 2 * 144 * 4 / 2**20)


def test_ast_lesson_matches_the_model_forward():
    model = load_model("ast-untrained")
    y = (np.random.default_rng(0).normal(size=SR) * 0.1).astype(np.float32)  # 1 s: padded to 2.58 s
    L = al.ast_lesson(model, y)
    x = al.prepare_features(y, model.cfg)
    assert model.class_names[0] == "tone"  # the registry names the untrained twin's classes
    with torch.no_grad():
        tokens, attns = model(x, return_attn=True)
        probs = model.logits(tokens).softmax(-1)[0]
    F_, Tp = model.cfg.grid
    assert L["cls"].shape == (4, 4, F_, Tp) and L["features"].shape == (64, 256) and L["n_valid"] == 98
    for layer in range(4):
        np.testing.assert_allclose(L["cls"][layer], attns[layer][0, :, 0, 2:].reshape(4, F_, Tp).numpy(), atol=1e-6)
        np.testing.assert_allclose(L["cls_prefix"][layer], attns[layer][0, :, 0, :2].numpy(), atol=1e-6)
        np.testing.assert_allclose(L["patch_share"][layer], 1 - attns[layer][0, :, 0, :2].sum(-1).numpy(), atol=1e-6)
        np.testing.assert_allclose(L["cls_max"][layer], attns[layer][0, :, 0, 2:].max(-1).values.numpy(), atol=1e-6)
    assert len(L["top"]) == 5 and L["top"][0][1] == pytest.approx(probs.max().item(), abs=1e-6)
    assert L["numbers"]["N"] == 125 and L["numbers"]["T"] == 127 and not L["multi_label"]
