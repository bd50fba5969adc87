"""Parity of mmviz's Swin with transformers' Swin on random weights (no download): tokens, every
block's window attention, logits, and the SW-MSA mask."""

from __future__ import annotations

import json

import pytest
import torch

transformers = pytest.importorskip("transformers")

from mmviz.windows import shifted_window_mask  # noqa: E402
from mmviz.hf.swin import convert_hf_swin_state_dict, load_hf_swin  # noqa: E402
from mmviz.hf import UnsupportedModelError  # noqa: E402

TOL = 1e-4
# microsoft/swin-tiny-patch4-window7-224: embed 96, heads 3/6/12/24, window 7, patch 4, 224 px;
# depths (2, 2, 6, 2) shrunk to (2, 2, 2, 2) for speed (every stage keeps its W-MSA / SW-MSA pair)
SWIN_T = dict(image_size=224, patch_size=4, embed_dim=96, depths=[2, 2, 2, 2], num_heads=[3, 6, 12, 24],
              window_size=7, mlp_ratio=4.0, qkv_bias=True, layer_norm_eps=1e-5, hidden_act="gelu",
              use_absolute_embeddings=False, drop_path_rate=0.0, hidden_dropout_prob=0.0,
              attention_probs_dropout_prob=0.0, attn_implementation="eager")


def _randomise(model, seed):
    """Random values in every parameter; LayerNorm weights near 1; bias tables large enough to matter."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g)
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.1 * noise)
            elif "relative_position_bias_table" in name:
                p.copy_(noise)
            else:
                p.copy_(0.05 * noise)
    return model.eval()


@pytest.fixture(scope="module")
def cls_dir(tmp_path_factory):
    hf = _randomise(transformers.SwinForImageClassification(transformers.SwinConfig(num_labels=1000, **SWIN_T)), 1)
    d = tmp_path_factory.mktemp("swin_cls")
    hf.save_pretrained(d)
    return d


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    hf = _randomise(transformers.SwinModel(transformers.SwinConfig(**SWIN_T)), 2)
    d = tmp_path_factory.mktemp("swin_base")
    hf.save_pretrained(d)
    (d / "preprocessor_config.json").write_text(json.dumps({"image_mean": [0.5] * 3, "image_std": [0.25] * 3}))
    return d


def _load(d):
    return load_hf_swin(d, json.loads((d / "config.json").read_text()), "cpu")


def _hf_every_block(model, x):
    """Run a HF Swin and capture the attention weights of EVERY block (HF returns one per stage)."""
    attns = []
    layers = [blk for st in model.base_model.encoder.layers for blk in st.blocks]
    hooks = [blk.attention.register_forward_hook(lambda m, a, out: attns.append(out[1])) for blk in layers]
    try:
        out = model(x)
    finally:
        for h in hooks:
            h.remove()
    return out, attns


def _attn_diffs(ours, theirs):
    assert len(ours) == len(theirs) == 8
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
    return [(a - b).abs().max().item() for a, b in zip(ours, theirs)]


@torch.no_grad()
@pytest.mark.parametrize("size", [224, 230])  # 230: pixels, windows and the odd 29x29 grid get padded
def test_classifier_parity_tokens_every_attention_logits(cls_dir, size):
    hf = transformers.SwinForImageClassification.from_pretrained(cls_dir, attn_implementation="eager").eval()
    ours = _load(cls_dir)
    assert ours.cfg.window_size == 7 and ours.cfg.dims == (96, 192, 384, 768) and ours.cfg.num_classes == 1000
    assert ours.class_names[:2] == ["LABEL_0", "LABEL_1"]
    x = torch.randn(2, 3, size, size, generator=torch.Generator().manual_seed(3))
    out, hf_attns = _hf_every_block(hf, x)
    hf_tokens = hf.swin(x).last_hidden_state
    tokens, attns = ours(x, return_attn=True)
    assert (tokens - hf_tokens).abs().max().item() < TOL
    assert max(_attn_diffs(attns, hf_attns)) < TOL
    assert (ours.classify(x) - out.logits).abs().max().item() < TOL
    assert (ours(x)[0] - hf_tokens).abs().max().item() < TOL  # SDPA path too


@torch.no_grad()
def test_base_model_parity_and_preprocessor(base_dir):
    hf = transformers.SwinModel.from_pretrained(base_dir, attn_implementation="eager").eval()
    ours = _load(base_dir)
    assert ours.head is None and ours.cfg.image_mean == (0.5, 0.5, 0.5) and ours.cfg.image_std == (0.25,) * 3
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(4))
    out, hf_attns = _hf_every_block(hf, x)
    tokens, attns = ours(x, return_attn=True)
    assert (tokens - out.last_hidden_state).abs().max().item() < TOL
    assert max(_attn_diffs(attns, hf_attns)) < TOL
    with pytest.raises(ValueError, match="no classification head"):
        ours.classify(x)


@pytest.mark.parametrize("grid", [(56, 56), (28, 28), (14, 14), (14, 21), (21, 14)])
def test_shift_mask_equals_reference(grid):
    cfg = transformers.SwinConfig(**SWIN_T)
    layer = transformers.models.swin.modeling_swin.SwinLayer(cfg, dim=96, input_resolution=grid, num_heads=3,
                                                             shift_size=3)
    ref = layer.get_attn_mask(grid[0], grid[1], dtype=torch.float32, device=torch.device("cpu"))
    ours = shifted_window_mask(grid[0], grid[1], 7, 3)
    assert ref.shape == ours.shape and torch.equal(ref, ours)


def test_new_style_keys_convert_like_hub_keys(cls_dir):
    from safetensors.torch import load_file

    hub = load_file(str(cls_dir / "model.safetensors"))
    ren = [("attention.self.query", "attention.q_proj"), ("attention.self.key", "attention.k_proj"),
           ("attention.self.value", "attention.v_proj"),
           ("attention.self.relative_position_bias_table", "attention.relative_position_bias.relative_position_bias_table"),
           ("attention.output.dense", "attention.o_proj"), ("intermediate.dense", "mlp.fc1"), ("output.dense", "mlp.fc2")]
    new = {}
    for k, v in hub.items():
        for a, b in ren:
            k = k.replace(a, b)
        new[k] = v
    a, b = convert_hf_swin_state_dict(hub), convert_hf_swin_state_dict(new)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert a["stages.0.blocks.0.attn.qkv.weight"].shape == (288, 96)


def test_rejects_what_it_cannot_convert(cls_dir, tmp_path):
    with pytest.raises(UnsupportedModelError, match="not a Swin"):
        load_hf_swin(cls_dir, {"model_type": "vit"})
    with pytest.raises(UnsupportedModelError, match="unexpected key"):
        convert_hf_swin_state_dict({"swin.encoder.layers.0.blocks.0.foo.weight": torch.zeros(1)})
    with pytest.raises(UnsupportedModelError, match="absolute position"):
        load_hf_swin(cls_dir, {**json.loads((cls_dir / "config.json").read_text()), "use_absolute_embeddings": True})
    with pytest.raises(FileNotFoundError):
        load_hf_swin(tmp_path, {"model_type": "swin"})


def test_registry_dispatch_by_model_type(cls_dir, monkeypatch):
    """mmviz.weights.load_hf hands model_type "swin" to load_hf_swin once HF_LOADERS has the entry."""
    from mmviz import hf, weights
    from mmviz.models.swin import Swin

    monkeypatch.setitem(hf.HF_LOADERS, "swin", "mmviz.hf.swin:load_hf_swin")
    model = weights.load_hf(cls_dir)
    assert isinstance(model, Swin) and model.cfg.window_size == 7 and not model.training
