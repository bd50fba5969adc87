"""mmviz's AST: shapes, both attention paths, patch order, and parity with transformers' AST
(random weights from the MIT/ast-finetuned-audioset-10-10-0.4593 layout, no download)."""

import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from mmviz.hf.ast import convert_hf_ast_state_dict, load_hf_ast
from mmviz.models.ast import AST, PRESETS, ASTConfig, prepare_features
from mmviz.audio import spectrogram_patches

TOL = 1e-4
SMALL = replace(PRESETS["ast-tiny-sounds"], depth=2)


def test_presets_grid_and_seconds():
    big = PRESETS["ast-audioset"]
    assert big.grid == (12, 101) and big.num_patches == 1212  # 10.24 s at 10 ms, 16x16 stride 10
    assert (big.dim, big.depth, big.num_heads, big.num_mel_bins, big.max_length) == (768, 12, 12, 128, 1024)
    assert big.seconds == pytest.approx(10.255, abs=1e-3) and big.multi_label
    tiny = PRESETS["ast-tiny-sounds"]
    assert tiny.grid == (5, 25) and tiny.num_classes == 8 and not tiny.multi_label
    hash(tiny)  # frozen: can key caches


def test_forward_shapes_and_attention_paths_agree():
    torch.manual_seed(0)
    model = AST(SMALL).eval()
    x = torch.randn(2, SMALL.max_length, SMALL.num_mel_bins)
    with torch.no_grad():
        tokens, attns = model(x, return_attn=True)
        fused, none = model(x)
        logits = model.classify(x)
    T = 2 + SMALL.num_patches
    assert tokens.shape == (2, T, SMALL.dim) and none is None and logits.shape == (2, 8)
    assert len(attns) == 2 and attns[0].shape == (2, SMALL.num_heads, T, T)
    torch.testing.assert_close(attns[1].sum(-1), torch.ones(2, SMALL.num_heads, T))
    torch.testing.assert_close(tokens, fused, atol=1e-5, rtol=0)


def test_patch_tokens_follow_spectrogram_patches_order():
    torch.manual_seed(0)
    model = AST(SMALL).eval()
    x = torch.randn(1, SMALL.max_length, SMALL.num_mel_bins)
    patches, grid = spectrogram_patches(x[0].T.numpy(), patch=16, stride=10)  # (N, 256), (F, Tp)
    assert grid == SMALL.grid
    W = model.patch_embed.proj.weight.reshape(SMALL.dim, -1)  # (D, 256)
    by_hand = torch.from_numpy(patches) @ W.T + model.patch_embed.proj.bias  # (N, D)
    with torch.no_grad():
        torch.testing.assert_close(model.patch_tokens(x)[0], by_hand, atol=1e-5, rtol=1e-5)


def test_wrong_feature_size_is_refused():
    model = AST(SMALL)
    with pytest.raises(ValueError, match="pad or cut"):
        model(torch.zeros(1, 100, SMALL.num_mel_bins))


def test_prepare_features_pads_and_cuts():
    y = np.random.default_rng(0).normal(size=16000 * 5).astype(np.float32) * 0.1
    x = prepare_features(y, SMALL)
    assert x.shape == (1, 256, 64) and x.dtype == torch.float32
    short = prepare_features(y[:8000], SMALL)[0]  # 0.5 s: 48 frames, then padding
    pad = (0 - SMALL.feature_mean) / (2 * SMALL.feature_std)
    torch.testing.assert_close(short[48:], torch.full((208, 64), pad))


# --------------------------------------------------------------------------- parity with transformers
transformers = pytest.importorskip("transformers")

# MIT/ast-finetuned-audioset-10-10-0.4593: hidden 768, 12 heads, 128 mel, patch 16, strides 10, eps 1e-12,
# 527 labels; 2 of its 12 layers and 200 of its 1024 frames (12 x 19 patches) keep the test fast.
AUDIOSET = dict(hidden_size=768, num_hidden_layers=2, num_attention_heads=12, intermediate_size=3072,
                num_mel_bins=128, max_length=200, patch_size=16, frequency_stride=10, time_stride=10,
                layer_norm_eps=1e-12, qkv_bias=True)
LABELS = {str(i): f"AudioSet class {i}" for i in range(527)} | {"0": "Speech", "137": "Music"}


def _randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g) * 0.05
            p.copy_(1 + noise if "layernorm" in name and name.endswith("weight") else noise)
    return model.eval()


@pytest.fixture(scope="module")
def audioset_dir(tmp_path_factory):
    torch.manual_seed(0)
    cfg = transformers.ASTConfig(attn_implementation="eager", id2label=LABELS, **AUDIOSET)
    hf = _randomise(transformers.ASTForAudioClassification(cfg), seed=1)
    d = tmp_path_factory.mktemp("ast_audioset")
    hf.save_pretrained(d)
    (d / "preprocessor_config.json").write_text(json.dumps(
        {"feature_extractor_type": "ASTFeatureExtractor", "mean": -4.2677393, "std": 4.5689974,
         "sampling_rate": 16000, "num_mel_bins": 128, "max_length": 200}))
    return hf, d


def test_parity_tokens_attentions_logits(audioset_dir):
    hf, d = audioset_dir
    model = load_hf_ast(d, json.loads((d / "config.json").read_text()))
    assert model.cfg.grid == (12, 19) and model.cfg.num_classes == 527 and model.cfg.multi_label
    assert model.class_names[0] == "Speech" and model.class_names[137] == "Music" and len(model.class_names) == 527
    x = torch.randn(2, 200, 128, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        ref = hf(x, output_attentions=True)
        ref_tokens = hf.audio_spectrogram_transformer(x).last_hidden_state
        tokens, attns = model(x, return_attn=True)
        logits = model.logits(tokens)
    assert tokens.shape == ref_tokens.shape == (2, 2 + 228, 768)
    assert (tokens - ref_tokens).abs().max() < TOL
    assert len(attns) == len(ref.attentions) == 2
    for a, b in zip(attns, ref.attentions):
        assert a.shape == b.shape and (a - b).abs().max() < TOL
    assert (logits - ref.logits).abs().max() < TOL
    torch.testing.assert_close(model.classify(x), logits, atol=1e-5, rtol=0)


def test_parity_from_the_waveform(audioset_dir, monkeypatch):
    """HF feature extractor + HF model == mmviz prepare_features + mmviz AST, on one real-ish clip (the
    extractor's float64 NumPy path; see tests/test_audio_kaldi.py for its float32 torchaudio path)."""
    from transformers.models.audio_spectrogram_transformer import feature_extraction_audio_spectrogram_transformer as m

    monkeypatch.setattr(m, "is_speech_available", lambda: False)
    hf, d = audioset_dir
    model = load_hf_ast(d, json.loads((d / "config.json").read_text()))
    assert (model.cfg.feature_mean, model.cfg.feature_std) == (-4.2677393, 4.5689974)
    y = np.random.default_rng(1).normal(size=16000 * 3).astype(np.float32) * 0.2
    fe = m.ASTFeatureExtractor(max_length=200)
    x_ref = torch.from_numpy(fe(y, sampling_rate=16000, return_tensors="np")["input_values"])
    x = prepare_features(y, model.cfg)
    assert (x - x_ref).abs().max() < 1e-5
    with torch.no_grad():
        assert (model.classify(x) - hf(x_ref).logits).abs().max() < TOL


def test_encoder_only_checkpoint_and_dispatch(tmp_path):
    from mmviz.weights import load_hf

    torch.manual_seed(0)
    cfg = transformers.ASTConfig(attn_implementation="eager", **{**AUDIOSET, "num_hidden_layers": 1,
                                                                 "max_length": 64})
    hf = _randomise(transformers.ASTModel(cfg), seed=2)
    hf.save_pretrained(tmp_path)
    model = load_hf(tmp_path)  # the registry's dispatch by model_type
    assert isinstance(model, AST) and model.head is None and model.class_names is None
    x = torch.randn(1, 64, 128)
    with torch.no_grad():
        assert (model(x)[0] - hf(x).last_hidden_state).abs().max() < TOL


def test_unknown_keys_are_refused():
    from mmviz.hf import UnsupportedModelError

    with pytest.raises(UnsupportedModelError):
        convert_hf_ast_state_dict({"audio_spectrogram_transformer.mystery.weight": torch.zeros(1)})


def test_config_is_a_plain_dataclass():
    cfg = ASTConfig(**json.loads(json.dumps(PRESETS["ast-tiny-sounds"].__dict__)))
    assert cfg == PRESETS["ast-tiny-sounds"]
