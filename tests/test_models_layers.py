"""mmviz.models.layers: one attention signature, fused and explicit paths pinned together, the one PatchEmbed."""

from __future__ import annotations

import math

import pytest
import torch

from mmviz.models.layers import (
    ACTIVATIONS,
    MLP,
    Attention,
    Block,
    PatchEmbed,
    WindowAttention,
    attend,
    causal_mask,
    seeded_patch_embed,
)
from mmviz.windows import shifted_window_mask


def test_attend_explicit_and_fused_paths_agree_with_bool_and_float_masks():
    torch.manual_seed(0)
    q, k, v = torch.randn(3, 2, 4, 7, 8).unbind(0)  # (B, h, N, d) each
    causal = causal_mask(7)
    additive = torch.zeros(7, 7).masked_fill(~causal, -1e4)
    for mask in (None, causal, additive):
        fused, none = attend(q, k, v, mask=mask)
        manual, attn = attend(q, k, v, mask=mask, return_attn=True)
        assert none is None and attn.shape == (2, 4, 7, 7)
        torch.testing.assert_close(fused, manual, atol=1e-5, rtol=0)
        torch.testing.assert_close(attn.sum(-1), torch.ones(2, 4, 7))
    assert attn[..., causal.logical_not()].max() < 1e-30  # nothing above the diagonal


def test_attend_by_hand():
    q, k, v = torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([[1.0], [3.0]])
    out, attn = attend(q, k, v, return_attn=True)
    w = torch.softmax(torch.tensor([1.0, 0.0]) / 2**0.5, -1)
    torch.testing.assert_close(attn[0], w)
    torch.testing.assert_close(out[0], w @ v)


@pytest.mark.parametrize("cls", [Attention, WindowAttention])
def test_every_attention_module_has_one_signature(cls):
    torch.manual_seed(1)
    mod = (cls(16, 4) if cls is Attention else cls(16, 4, 2)).eval()
    x = torch.randn(3, 4, 16)
    y1, none = mod(x)
    y2, attn = mod(x, return_attn=True)
    assert none is None and attn.shape == (3, 4, 4, 4)
    torch.testing.assert_close(y1, y2, atol=1e-5, rtol=0)
    with pytest.raises(TypeError):
        mod(x, True)  # flags are keyword-only


def test_attention_mask_hides_keys_and_heads_split_the_width():
    torch.manual_seed(2)
    mha = Attention(8, 2, qkv_bias=False).eval()
    x = torch.randn(1, 5, 8)
    _, attn = mha(x, return_attn=True, attn_mask=causal_mask(5))
    assert torch.all(attn.triu(1) == 0)
    q, k, _ = mha.heads(x)
    assert q.shape == k.shape == (1, 2, 5, 4)
    with pytest.raises(ValueError):
        Attention(10, 3)


def test_window_attention_applies_bias_and_the_shifted_mask():
    torch.manual_seed(3)
    att = WindowAttention(16, 4, 4).eval()
    with torch.no_grad():
        att.relative_position_bias_table.normal_()
    x = torch.randn(2 * 4, 16, 16)  # 2 images x 4 windows of 4x4
    mask = shifted_window_mask(8, 8, 4, 2)  # (4, 16, 16), 0 / -100
    y1, a = att(x, attn_mask=mask, return_attn=True)
    y2, _ = att(x, attn_mask=mask)
    torch.testing.assert_close(y1, y2, atol=1e-5, rtol=0)
    assert a[3][:, mask[3] < 0].max() < 1e-30 and a[7][:, mask[3] < 0].max() < 1e-30  # the wrapped corner
    q, k, _ = att.heads(x[:1])
    by_hand = ((q[0] @ k[0].transpose(-2, -1)) * att.scale + att.bias()).softmax(-1)  # window 0 has no mask
    torch.testing.assert_close(a[0], by_hand, atol=1e-6, rtol=0)


def test_block_from_config_and_activations():
    class Cfg:
        dim, num_heads, mlp_ratio, qkv_bias, layer_norm_eps, hidden_act = 12, 3, 2.0, False, 1e-5, "quick_gelu"

    b = Block.from_config(Cfg())
    assert b.attn.qkv.bias is None and b.mlp.fc1.out_features == 24 and b.norm1.eps == 1e-5
    assert b.mlp.act is ACTIVATIONS["quick_gelu"]
    x = torch.randn(2, 6, 12)
    y, attn = b(x, return_attn=True)
    assert y.shape == x.shape and attn.shape == (2, 3, 6, 6)
    with pytest.raises(ValueError, match="unknown activation"):
        MLP(4, 8, "mish")
    t = torch.linspace(-3, 3, 50)
    torch.testing.assert_close(ACTIVATIONS["gelu_new"](t), 0.5 * t * (1 + torch.tanh((2 / torch.pi) ** 0.5
                                                                                       * (t + 0.044715 * t**3))))


def test_patch_embed_remainder_rules():
    x = torch.zeros(1, 3, 40, 50)
    crop = PatchEmbed(16, 3, 8)
    assert crop.grid(40, 50) == (2, 3) and crop(x).shape == (1, 6, 8)
    pad = PatchEmbed(16, 3, 8, norm=True, remainder="pad")
    assert pad.grid(40, 50) == (3, 4) and pad(x).shape == (1, 12, 8)
    strict = PatchEmbed(16, 3, 8, remainder="raise")
    with pytest.raises(ValueError, match="cannot be cut into whole 16x16 patches"):
        strict(x)
    with pytest.raises(ValueError, match="does not fit"):
        strict(torch.zeros(1, 3, 8, 8))
    with pytest.raises(ValueError, match="smaller than one"):
        crop(torch.zeros(1, 3, 8, 8))
    overlap = PatchEmbed(16, 1, 4, stride=(10, 10))  # AST: (M - P) // s + 1 patches per axis
    assert overlap.grid(64, 256) == (5, 25) and overlap(torch.zeros(1, 1, 64, 256)).shape == (1, 125, 4)
    with pytest.raises(ValueError):
        PatchEmbed(16, 3, 8, remainder="wrap")


def test_seeded_patch_embed_is_deterministic_and_leaves_the_rng_alone():
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    a, b = seeded_patch_embed(8, 4, seed=1), seeded_patch_embed(8, 4, seed=1)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert torch.equal(a.proj.weight, b.proj.weight) and a.remainder == "raise"


def test_fused_and_manual_paths_agree():
    torch.manual_seed(0)
    mha = Attention(dim=32, num_heads=4).eval()
    x = torch.randn(2, 7, 32)
    out_fast, none = mha(x)
    out_manual, attn = mha(x, return_attn=True)
    assert none is None
    assert out_fast.shape == (2, 7, 32)
    assert attn.shape == (2, 4, 7, 7)
    torch.testing.assert_close(out_fast, out_manual, atol=1e-5, rtol=0)
    torch.testing.assert_close(attn.sum(-1), torch.ones(2, 4, 7), atol=1e-6, rtol=0)


def test_attention_matches_hand_formula():
    torch.manual_seed(1)
    mha = Attention(dim=8, num_heads=2, qkv_bias=False)
    x = torch.randn(1, 3, 8)
    _, attn = mha(x, return_attn=True)
    W = mha.qkv.weight  # (3D, D)
    q, k = x[0] @ W[:8].T, x[0] @ W[8:16].T  # (3, 8)
    head1_scores = q[:, 4:] @ k[:, 4:].T / math.sqrt(4)
    torch.testing.assert_close(attn[0, 1], head1_scores.softmax(-1), atol=1e-6, rtol=0)


def test_bad_head_count():
    with pytest.raises(ValueError):
        Attention(dim=10, num_heads=3)


def test_masked_paths_agree_and_masked_weights_are_zero():
    from mmviz.models.vit import cls_apart_mask

    torch.manual_seed(2)
    mha = Attention(dim=16, num_heads=2).eval()
    x = torch.randn(2, 5, 16)
    mask = cls_apart_mask(5)
    out_fast, _ = mha(x, attn_mask=mask)
    out_manual, attn = mha(x, return_attn=True, attn_mask=mask)
    torch.testing.assert_close(out_fast, out_manual, atol=1e-5, rtol=0)
    assert torch.equal(attn[:, :, 0], torch.tensor([1.0, 0, 0, 0, 0]).expand(2, 2, 5))  # [CLS] reads itself only
    assert attn[:, :, 1:, 0].abs().max() == 0  # no patch reads [CLS]
    torch.testing.assert_close(attn.sum(-1), torch.ones(2, 2, 5), atol=1e-6, rtol=0)
