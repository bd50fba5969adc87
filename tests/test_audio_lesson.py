"""The audio lesson's backend: clip preparation, pooled views, counts, and the model pass."""

import numpy as np
import pytest
import torch

from mmviz.audio import lesson as al
from mmviz.audio import token_count

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


def test_choices_and_untrained_model():
    choices = al.ast_choices()
    assert any(c.tier == "untrained" and c.available for c in choices)
    m = al.load_ast(al.UNTRAINED)
    assert m.cfg == al.PRESETS[al.EMBEDDED] and not m.training and m.class_names[0] == "tone"
    again = al.load_ast(al.UNTRAINED)
    assert torch.equal(m.pos_embed, again.pos_embed)  # seeded
    with pytest.raises(KeyError):
        al.load_ast("no-such-ast")


def test_ast_lesson_matches_the_model_forward():
    model = al.load_ast(al.UNTRAINED)
    y = (np.random.default_rng(0).normal(size=SR) * 0.1).astype(np.float32)  # 1 s: padded to 2.58 s
    L = al.ast_lesson(model, y)
    x = al.prepare_features(y, model.cfg)
    with torch.no_grad():
        tokens, attns = model(x, return_attn=True)
        probs = model.logits(tokens).softmax(-1)[0]
    F_, Tp = model.cfg.grid
    assert L["cls"].shape == (4, 4, F_, Tp) and L["features"].shape == (64, 256) and L["n_valid"] == 98
    for layer in range(4):
        np.testing.assert_allclose(L["cls"][layer], attns[layer][0, :, 0, 2:].reshape(4, F_, Tp).numpy(), atol=1e-6)
        np.testing.assert_allclose(L["cls_prefix"][layer], attns[layer][0, :, 0, :2].numpy(), atol=1e-6)
    assert len(L["top"]) == 5 and L["top"][0][1] == pytest.approx(probs.max().item(), abs=1e-6)
    assert L["numbers"]["N"] == 125 and L["numbers"]["T"] == 127 and not L["multi_label"]


def test_registered_weights_drop_in(tmp_path, monkeypatch):
    """Once mmviz.weights registers the AST family, the page's choices and loader go through it."""
    import dataclasses

    from mmviz import weights
    from mmviz.train.ast import train_ast_tiny

    if "family" not in {f.name for f in dataclasses.fields(weights.ModelSpec)} or not hasattr(weights, "FAMILIES"):
        pytest.skip("this mmviz.weights has no model families yet")
    torch.set_num_threads(1)
    train_ast_tiny(steps=1, batch_size=2, warmup=1, out=tmp_path, eval_n=4, eval_every=0, train_clips=4)
    monkeypatch.setattr(weights, "ASSETS", tmp_path)
    monkeypatch.setitem(weights.FAMILIES, "ast", ("mmviz.ast", "AST", "ASTConfig", "PRESETS"))
    monkeypatch.setitem(weights.MODELS, al.EMBEDDED, weights.ModelSpec(
        al.EMBEDDED, "embedded", al.EMBEDDED, "Tiny AST trained on generated sounds.", family="ast", recipe="ast-tiny"))
    monkeypatch.setitem(weights.MODELS, al.UNTRAINED, weights.ModelSpec(
        al.UNTRAINED, "untrained", al.EMBEDDED, "The same tiny AST with random weights.", family="ast"))
    choices = {c.name: c for c in al.ast_choices()}
    assert list(choices)[:2] == [al.EMBEDDED, al.UNTRAINED] and choices[al.EMBEDDED].available
    assert set(choices) <= {m.name for m in weights.available_models("ast")}
    model = al.load_ast(al.EMBEDDED)
    assert isinstance(model, al.AST) and model.class_names[0] == "tone" and not model.training
    assert al.ast_lesson(model, np.zeros(SR, np.float32) + 0.01)["cls"].shape == (4, 4, 5, 25)
    assert al.load_ast(al.UNTRAINED).class_names[-1] == "tremolo"
