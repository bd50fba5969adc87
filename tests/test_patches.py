"""Unit tests of mmviz.patches: patchify, embeddings, conv tokenizers (the lesson's numbers: test_lessons_patch_tokenization)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
from PIL import Image

from mmviz import patches as pt
from mmviz.models.layers import PatchEmbed, seeded_patch_embed


@pytest.fixture
def x() -> torch.Tensor:
    g = torch.Generator().manual_seed(0)
    return torch.rand(2, 3, 48, 64, generator=g)  # (B, C, H, W), non-square on purpose


# ---- image <-> tensor ---------------------------------------------------------------------------
def test_image_to_tensor_resizes_shorter_side_then_center_crops():
    # 300 x 100 image: left third red, middle green, right blue. Shorter side 100 -> 60, so
    # the image becomes 180 x 60 and the 60 x 60 center crop is all green.
    a = np.zeros((100, 300, 3), np.uint8)
    a[:, :100, 0] = 255
    a[:, 100:200, 1] = 255
    a[:, 200:, 2] = 255
    x = pt.image_to_tensor(Image.fromarray(a), 60)
    assert x.shape == (1, 3, 60, 60) and x.dtype == torch.float32
    assert 0.0 <= float(x.min()) and float(x.max()) <= 1.0
    assert torch.allclose(x[0, :, 30, 30], torch.tensor([0.0, 1.0, 0.0]))
    inner = x[0, :, :, 2:-2]  # bicubic blends one column of the neighbours in at the crop borders
    assert float(inner[1].min()) > 0.99 and float(inner[0].max()) < 0.01 and float(inner[2].max()) < 0.01


def test_image_to_tensor_upscales_small_images_and_converts_modes():
    grey = Image.new("L", (10, 20), 128)
    x = pt.image_to_tensor(grey, 32)
    assert x.shape == (1, 3, 32, 32)
    assert torch.allclose(x, torch.full_like(x, 128 / 255), atol=1e-6)


def test_image_to_tensor_equals_resize_then_crop():
    yy, xx = np.mgrid[0:90, 0:160]
    a = np.stack([xx * 1.5, yy * 2.5, (xx + yy) % 256], -1).astype(np.uint8)  # smooth 160 x 90
    im = Image.fromarray(a)
    x = pt.image_to_tensor(im, 45)
    big = im.resize((80, 45), Image.Resampling.BICUBIC).crop((17, 0, 62, 45))  # shorter side 45, center crop
    ref = torch.from_numpy(np.asarray(big, np.float32) / 255).permute(2, 0, 1)
    assert (x[0] - ref).abs().mean() < 0.01


def test_image_to_tensor_handles_very_thin_images():
    x = pt.image_to_tensor(Image.new("RGB", (4000, 10), (0, 128, 0)), 512)
    assert x.shape == (1, 3, 512, 512)
    assert torch.allclose(x[0, :, 256, 256], torch.tensor([0.0, 128 / 255, 0.0]), atol=1e-6)


def test_tensor_to_uint8_round_trips_pixels():
    a = np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    x = pt.image_to_tensor(Image.fromarray(a), 16)  # same size: no resampling
    assert np.array_equal(pt.tensor_to_uint8(x), a)
    assert np.array_equal(pt.tensor_to_uint8(x[0]), a)


# ---- patch grid and patchify --------------------------------------------------------------------
def test_patch_grid_and_errors():
    assert pt.patch_grid(224, 224, 16) == (14, 14)
    assert pt.patch_grid(48, 64, 16) == (3, 4)
    with pytest.raises(ValueError, match="divisible by 16"):
        pt.patch_grid(100, 224, 16)
    with pytest.raises(ValueError, match="does not fit"):
        pt.patch_grid(8, 8, 16)
    with pytest.raises(ValueError, match="positive"):
        pt.patch_grid(8, 8, 0)
    with pytest.raises(ValueError, match="divisible"):
        pt.patchify(torch.zeros(1, 3, 30, 32), 8)


def test_valid_patch_sizes():
    assert pt.valid_patch_sizes(224) == [4, 7, 8, 14, 16, 28, 32, 56]
    assert pt.valid_patch_sizes(64) == [4, 8, 16, 32]
    assert all(512 % p == 0 for p in pt.valid_patch_sizes(512))


@pytest.mark.parametrize("P", [1, 2, 4, 8, 16])
def test_patchify_round_trip(x, P):
    p = pt.patchify(x, P)
    gh, gw = 48 // P, 64 // P
    assert p.shape == (2, gh * gw, P * P * 3)
    assert torch.equal(pt.unpatchify(p, P, (gh, gw), channels=3), x)


def test_patchify_raster_order_and_pcc_flattening(x):
    P = 16
    p = pt.patchify(x, P)  # (2, 12, 768)
    gh, gw = 3, 4
    for k in range(gh * gw):
        r, c = k // gw, k % gw
        crop = x[:, :, r * P:(r + 1) * P, c * P:(c + 1) * P]  # (B, C, P, P)
        expected = crop.permute(0, 2, 3, 1).reshape(2, -1)  # (B, P*P*C) in (P, P, C) order
        assert torch.equal(p[:, k], expected)
    # first three features of patch 1 = the RGB of pixel (0, 16)
    assert torch.equal(p[0, 1, :3], x[0, :, 0, 16])


def test_unpatchify_rejects_wrong_grid(x):
    p = pt.patchify(x, 16)
    with pytest.raises(ValueError):
        pt.unpatchify(p, 16, (4, 4))


# ---- linear patch embedding == stride-P convolution ---------------------------------------------
@pytest.mark.parametrize("P,D", [(16, 32), (8, 64), (4, 7)])
def test_conv_equals_patchify_plus_linear(x, P, D):
    embed = seeded_patch_embed(P, D, seed=3)
    conv_tokens = embed(x)  # (B, N, D)
    w = pt.conv_weight_to_linear(embed.proj.weight)
    assert w.shape == (D, P * P * 3)
    lin_tokens = pt.linear_patch_embed(pt.patchify(x, P), w, embed.proj.bias)
    assert conv_tokens.shape == lin_tokens.shape == (2, (48 // P) * (64 // P), D)
    assert torch.allclose(conv_tokens, lin_tokens, atol=1e-5)


def test_linear_patch_embed_matches_nn_linear(x):
    lin = nn.Linear(16 * 16 * 3, 10)
    p = pt.patchify(x, 16)
    assert torch.allclose(pt.linear_patch_embed(p, lin.weight, lin.bias), lin(p), atol=1e-6)


def test_seeded_modules_are_deterministic_and_leave_global_rng_alone():
    torch.manual_seed(123)
    before = torch.rand(3)
    torch.manual_seed(123)
    a = seeded_patch_embed(16, 8, seed=1)
    after = torch.rand(3)
    b = seeded_patch_embed(16, 8, seed=1)
    assert torch.equal(before, after)
    assert torch.equal(a.proj.weight, b.proj.weight)
    assert not torch.equal(a.proj.weight, seeded_patch_embed(16, 8, seed=2).proj.weight)
    assert torch.equal(pt.seeded_cls_token(8, seed=1), pt.seeded_cls_token(8, seed=1))


def test_patch_embed_rejects_bad_size():
    with pytest.raises(ValueError, match="divisible"):
        PatchEmbed(16, 3, 8, remainder="raise")(torch.zeros(1, 3, 40, 48))


def test_prepend_cls():
    tokens = torch.randn(2, 5, 4)
    cls = torch.arange(4.0).view(1, 1, 4)
    z = pt.prepend_cls(tokens, cls)
    assert z.shape == (2, 6, 4)
    assert torch.equal(z[:, 0], cls[0].expand(2, 4))
    assert torch.equal(z[:, 1:], tokens)


# ---- convolution arithmetic ---------------------------------------------------------------------
@pytest.mark.parametrize("k,s,p", [(7, 4, 2), (3, 2, 1), (7, 2, 3), (16, 16, 0), (5, 3, 0), (1, 1, 0)])
def test_conv_out_size_matches_real_conv(k, s, p):
    conv = nn.Conv2d(1, 1, k, stride=s, padding=p)
    for n in [k, 16, 17, 31, 32, 63, 64, 100, 224, 225]:
        if n + 2 * p < k:
            continue
        out = conv(torch.zeros(1, 1, n, n + 3))
        assert out.shape[2] == pt.conv_out_size(n, k, s, p)
        assert out.shape[3] == pt.conv_out_size(n + 3, k, s, p)


def test_receptive_field():
    assert pt.receptive_field([(16, 16, 0)]) == (16, 16, 7.5)
    assert pt.receptive_field([(7, 4, 2)]) == (7, 4, 1.0)
    # ResNet-like stem: 7x7/2, pool 3x3/2, two 3x3/2 -> 35 px windows every 16 px
    assert pt.receptive_field(pt.HybridStem.LAYERS) == (35, 16, 0.0)


# ---- hybrid stem ---------------------------------------------------------------------------------
@pytest.mark.parametrize("H,W", [(224, 224), (64, 96), (512, 512)])
def test_hybrid_stem_grid_is_h_over_16(H, W):
    stem = pt.HybridStem()
    fmap, tokens = stem(torch.rand(1, 3, H, W))
    assert fmap.shape == (1, 24, H // 16, W // 16)
    assert tokens.shape == (1, (H // 16) * (W // 16), 24)
    assert torch.equal(tokens, fmap.flatten(2).transpose(1, 2))
    assert len(stem.channel_names) == 24


def test_hybrid_stem_is_deterministic_and_detects_edges():
    a, b = pt.HybridStem(), pt.HybridStem()
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)
        assert not pa.requires_grad
    flat = torch.full((1, 3, 128, 128), 0.5)
    fmap, _ = a(flat)  # (1, 24, 8, 8); tokens 2..5 see no zero padding (35 px windows)
    assert float(fmap[..., 2:-2, 2:-2].abs().max()) < 1e-5  # no edges inside a flat image
    # a vertical step edge in luminance: dark left, bright right (at column 64)
    step = torch.zeros(1, 3, 128, 128)
    step[..., 64:] = 1.0
    fmap, _ = a(step)
    names = a.channel_names
    vert = fmap[0, names.index("luminance edge 0° +")][2:-2]  # (4, 8) rows away from the border
    horiz = fmap[0, names.index("luminance edge 90° +")][2:-2, 2:-2]
    assert float(vert[:, 3:5].min()) > 0.02  # tokens centred at x = 48 and 64 see the edge
    assert (vert.argmax(dim=1) == 4).all()  # strongest where the edge is (x = 64)
    assert float(vert[:, :2].max()) < 1e-5 and float(horiz.abs().max()) < 1e-5
    assert float(fmap[0, names.index("red-green edge 0° +")].abs().max()) < 1e-5  # grey edge: no colour
    assert float(fmap[0, names.index("luminance edge 0° -")][2:-2, 3:6].max()) < 1e-5  # wrong polarity


# ---- CvT conv token embedding -------------------------------------------------------------------
@pytest.mark.parametrize("H,W", [(224, 224), (64, 96), (33, 50)])
def test_conv_token_embed_shapes(H, W):
    cvt = pt.seeded_conv_token_embed(64, seed=0)
    tokens, (Hp, Wp) = cvt(torch.rand(2, 3, H, W))
    assert (Hp, Wp) == (pt.conv_out_size(H, 7, 4, 2), pt.conv_out_size(W, 7, 4, 2))
    assert tokens.shape == (2, Hp * Wp, 64)
    # LayerNorm: every token has mean 0 and std 1 over D (weights start at 1, bias at 0)
    assert torch.allclose(tokens.mean(-1), torch.zeros(2, Hp * Wp), atol=1e-5)
