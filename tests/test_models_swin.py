"""Unit tests for mmviz.windows and mmviz.models.swin: every window operation by hand or brute force, and the model's invariants."""

from __future__ import annotations

import itertools

import pytest
import torch

from mmviz import pos_embed
from mmviz.models.layers import WindowAttention
from mmviz.models.swin import PRESETS, PatchMerging, Swin, SwinConfig
from mmviz.windows import (
    cyclic_shift,
    merge_neighbours,
    msa_cost,
    pad_to_multiple,
    patch_merging,
    region_labels,
    relative_position_bias,
    relative_position_index,
    reverse_cyclic_shift,
    shifted_window_mask,
    window_partition,
    window_reverse,
    wmsa_cost,
)

GEN = torch.Generator().manual_seed(0)


def _grid(B, H, W, C):
    return torch.randn(B, H, W, C, generator=GEN)


# --------------------------------------------------------------------------- partition / reverse
@pytest.mark.parametrize("B,H,W,C,M", [(1, 4, 4, 1, 2), (2, 8, 12, 3, 4), (1, 14, 21, 5, 7)])
def test_window_partition_round_trip_and_shapes(B, H, W, C, M):
    x = _grid(B, H, W, C)
    w = window_partition(x, M)
    nW = (H // M) * (W // M)
    assert w.shape == (B * nW, M, M, C)
    assert torch.equal(window_reverse(w, M, H, W), x)
    # window k of image b is the block at window-row k // (W/M), window-column k % (W/M)
    for b, k in [(0, 0), (B - 1, nW - 1), (0, nW // 2)]:
        r, c = divmod(k, W // M)
        assert torch.equal(w[b * nW + k], x[b, r * M:(r + 1) * M, c * M:(c + 1) * M])


def test_window_partition_by_hand_and_rejects_bad_sizes():
    x = torch.arange(16.0).view(1, 4, 4, 1)  # cells numbered row-major
    w = window_partition(x, 2)[..., 0]
    assert w[0].flatten().tolist() == [0, 1, 4, 5] and w[1].flatten().tolist() == [2, 3, 6, 7]
    assert w[2].flatten().tolist() == [8, 9, 12, 13] and w[3].flatten().tolist() == [10, 11, 14, 15]
    with pytest.raises(ValueError, match="multiple of the window size"):
        window_partition(torch.zeros(1, 5, 4, 1), 2)


def test_pad_to_multiple():
    x = _grid(2, 5, 9, 3)
    p, (pb, pr) = pad_to_multiple(x, 4)
    assert p.shape == (2, 8, 12, 3) and (pb, pr) == (3, 3)
    assert torch.equal(p[:, :5, :9], x) and p[:, 5:].abs().sum() == 0 and p[:, :, 9:].abs().sum() == 0
    same, pads = pad_to_multiple(x[:, :4, :8], 4)
    assert pads == (0, 0) and same.shape == (2, 4, 8, 3)


# --------------------------------------------------------------------------- cyclic shift
@pytest.mark.parametrize("s", [0, 1, 3])
def test_cyclic_shift_values_and_round_trip(s):
    x = _grid(2, 6, 8, 2)
    y = cyclic_shift(x, s)
    H, W = 6, 8
    for i, j in itertools.product(range(H), range(W)):
        assert torch.equal(y[:, i, j], x[:, (i + s) % H, (j + s) % W])
    assert torch.equal(reverse_cyclic_shift(y, s), x)


# --------------------------------------------------------------------------- labels and mask
def test_region_labels_bands():
    lab = region_labels(8, 8, 4, 2)
    assert lab.shape == (8, 8) and set(lab.unique().tolist()) == set(range(9))
    assert lab[:4, :4].unique().tolist() == [0]  # never wrapped
    assert lab[4:6, 4:6].unique().tolist() == [4] and lab[6:, 6:].unique().tolist() == [8]
    assert lab[6, 0].item() == 6 and lab[0, 7].item() == 2
    assert region_labels(8, 8, 4, 0).abs().sum() == 0
    with pytest.raises(ValueError):
        region_labels(8, 8, 4, 4)


def _brute_force_mask(H, W, M, s):
    """Allowed iff two tokens of a rolled window are also neighbours in the ORIGINAL grid: their
    displacement after the roll equals their displacement before it (no wrap-around between them)."""
    nW = (H // M) * (W // M)
    out = torch.zeros(nW, M * M, M * M)
    for w in range(nW):
        wr, wc = divmod(w, W // M)
        cells = [(wr * M + a, wc * M + b) for a in range(M) for b in range(M)]  # rolled coordinates
        orig = [((y + s) % H, (x + s) % W) for y, x in cells]  # where each came from
        for i, j in itertools.product(range(M * M), repeat=2):
            same = (orig[i][0] - orig[j][0] == cells[i][0] - cells[j][0]) and \
                   (orig[i][1] - orig[j][1] == cells[i][1] - cells[j][1])
            out[w, i, j] = 0.0 if same else -100.0
    return out


@pytest.mark.parametrize("H,W,M,s", [(8, 8, 4, 2), (8, 12, 4, 1), (14, 14, 7, 3), (6, 9, 3, 1), (4, 4, 4, 2)])
def test_shifted_window_mask_against_brute_force(H, W, M, s):
    mask = shifted_window_mask(H, W, M, s)
    assert mask.shape == ((H // M) * (W // M), M * M, M * M) and mask.dtype == torch.float32
    assert set(mask.unique().tolist()) <= {0.0, -100.0}
    assert torch.equal(mask, _brute_force_mask(H, W, M, s))
    assert torch.equal(mask, mask.transpose(1, 2))  # symmetric
    assert (mask.diagonal(dim1=1, dim2=2) == 0).all()  # a token always sees itself
    assert (mask[0] == 0).all() if H > M and W > M else True  # the top-left window never wraps


def test_shifted_window_mask_no_shift_is_zero_and_last_window_has_four_regions():
    assert shifted_window_mask(8, 8, 4, 0).abs().sum() == 0
    m = shifted_window_mask(8, 8, 4, 2)
    last = m[-1]  # bottom-right window: 4 pieces of 2x2 tokens, each sees only its 4 tokens
    assert int((last == 0).sum()) == 4 * 4 * 4


# --------------------------------------------------------------------------- relative positions
@pytest.mark.parametrize("M", [1, 2, 4, 7])
def test_relative_position_index_range_symmetry(M):
    idx = relative_position_index(M)
    T, center = M * M, (M - 1) * (2 * M - 1) + (M - 1)
    assert idx.shape == (T, T) and idx.min() >= 0 and idx.max() < (2 * M - 1) ** 2
    assert len(idx.unique()) == (2 * M - 1) ** 2
    assert torch.equal(idx + idx.T, torch.full((T, T), 2 * center))  # offset(j, i) = -offset(i, j)
    assert (idx.diagonal() == center).all()
    assert relative_position_index is pos_embed.relative_position_index  # one construction in mmviz
    ys, xs = torch.div(torch.arange(T), M, rounding_mode="floor"), torch.arange(T) % M
    for i, j in [(0, T - 1), (T - 1, 0), (T // 2, min(1, T - 1))]:
        assert idx[i, j] == (ys[i] - ys[j] + M - 1) * (2 * M - 1) + (xs[i] - xs[j] + M - 1)


def test_relative_position_bias_lookup():
    M, h = 3, 2
    table = torch.randn((2 * M - 1) ** 2, h, generator=GEN)
    idx = relative_position_index(M)
    b = relative_position_bias(table, idx)
    assert b.shape == (h, M * M, M * M)
    for head, i, j in [(0, 0, 8), (1, 4, 4), (1, 7, 2)]:
        assert b[head, i, j] == table[idx[i, j], head]
    # same offset -> same bias: (0 -> 1) and (3 -> 4) both step one column to the right
    assert torch.equal(b[:, 0, 1], b[:, 3, 4])


# --------------------------------------------------------------------------- patch merging
def test_merge_neighbours_order_and_padding():
    x = torch.arange(16.0).view(1, 4, 4, 1)
    m = merge_neighbours(x)
    assert m.shape == (1, 2, 2, 4)
    assert m[0, 0, 0].tolist() == [0, 4, 1, 5]  # (r0,c0), (r1,c0), (r0,c1), (r1,c1)
    assert m[0, 1, 1].tolist() == [10, 14, 11, 15]
    odd = merge_neighbours(torch.ones(2, 5, 3, 2))
    assert odd.shape == (2, 3, 2, 8) and odd[0, 2, 1].tolist() == [1, 1, 0, 0, 0, 0, 0, 0]


def test_patch_merging_function_and_module_agree():
    torch.manual_seed(0)
    pm = PatchMerging(6)
    with torch.no_grad():
        pm.norm.weight.uniform_(0.5, 1.5)
        pm.norm.bias.normal_()
    x = _grid(2, 6, 4, 6)
    y, grid = pm(x.reshape(2, 24, 6), (6, 4))
    assert grid == (3, 2) and y.shape == (2, 6, 12)
    ref = torch.nn.functional.layer_norm(merge_neighbours(x), (24,), pm.norm.weight, pm.norm.bias, 1e-5)
    ref = ref @ pm.reduction.weight.T
    torch.testing.assert_close(y.view(2, 3, 2, 12), ref)
    f = patch_merging(x, pm.reduction.weight, pm.norm.weight, pm.norm.bias)
    torch.testing.assert_close(f, ref)


def test_costs():
    assert msa_cost(2, 3, 4) == 4 * 6 * 16 + 2 * 36 * 4
    assert wmsa_cost(2, 3, 4, 2) == 4 * 6 * 16 + 2 * 4 * 6 * 4
    assert wmsa_cost(56, 56, 96, 7) < msa_cost(56, 56, 96)
    assert wmsa_cost(7, 7, 96, 7) == msa_cost(7, 7, 96)  # one window = global attention


# --------------------------------------------------------------------------- model
def test_window_attention_sdpa_and_explicit_paths_agree():
    torch.manual_seed(0)
    att = WindowAttention(16, 4, 4)
    x = torch.randn(2 * 4, 16, 16)
    mask = shifted_window_mask(8, 8, 4, 2)
    for m in (None, mask):
        y1, a = att(x, attn_mask=m, return_attn=True)
        y2, none = att(x, attn_mask=m)
        assert none is None and a.shape == (8, 4, 16, 16)
        torch.testing.assert_close(y1, y2, atol=1e-5, rtol=0)
        torch.testing.assert_close(a.sum(-1), torch.ones(8, 4, 16))
    # the mask zeroes attention across regions: window 3 of both images is the wrapped corner
    assert a[3][:, mask[3] < 0].max() < 1e-30 and a[7][:, mask[3] < 0].max() < 1e-30


def test_window_attention_by_hand():
    torch.manual_seed(1)
    att = WindowAttention(8, 2, 2)
    x = torch.randn(1, 4, 8)
    _, a = att(x, return_attn=True)
    q, k, _ = att.qkv(x).view(1, 4, 3, 2, 4).unbind(2)  # (1, N, h, d)
    s = torch.einsum("nhd,mhd->hnm", q[0], k[0]) / 2.0 + att.bias()
    torch.testing.assert_close(a[0], s.softmax(-1))


def test_swin_shapes_attentions_and_stage_maps():
    torch.manual_seed(0)
    cfg = PRESETS["swin-tiny-shapes"]
    model = Swin(cfg).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        out = model.forward_features(x, return_attn=True)
        tokens, attns = model(x, return_attn=True)
        t2, none = model(x)
    assert none is None and tokens.shape == (2, 16, 128)
    torch.testing.assert_close(tokens, t2, atol=1e-5, rtol=0)
    assert len(attns) == sum(cfg.depths) == len(out.blocks)
    assert [tuple(a.shape) for a in attns] == [(32, 2, 16, 16)] * 2 + [(8, 4, 16, 16)] * 2 + [(2, 8, 16, 16)] * 2
    assert [tuple(m.shape) for m in out.stage_maps] == [(2, 16, 16, 32), (2, 8, 8, 64), (2, 4, 4, 128)]
    assert [b["shift"] for b in out.blocks] == [0, 2, 0, 2, 0, 0]  # 4x4 grid = one window: no shift
    assert model.classify(x).shape == (2, 9)
    with torch.no_grad():  # stage 2 grid 4x6 -> one row of two windows: a non-contiguous partition
        assert model(torch.randn(1, 3, 64, 96), return_attn=True)[1][-1].shape == (2, 8, 16, 16)


def test_swin_pads_inputs_that_are_not_multiples():
    torch.manual_seed(0)
    model = Swin(SwinConfig(patch_size=4, embed_dim=8, depths=(2, 2), num_heads=(1, 2), window_size=3)).eval()
    with torch.no_grad():
        out = model.forward_features(torch.randn(1, 3, 30, 42), return_attn=True)  # grid 8 x 11
    assert out.blocks[0]["grid"] == (8, 11) and out.blocks[0]["padded"] == (9, 12)
    assert out.attentions[0].shape == (12, 1, 9, 9) and out.blocks[1]["shift"] == 1
    assert out.stage_maps[1].shape == (1, 4, 6, 16) and out.tokens.shape == (1, 24, 16)


def test_swin_meta_device_gives_shapes_without_compute():
    with torch.device("meta"):
        model = Swin(PRESETS["swin-tiny-patch4-window7-224"])
        out = model.forward_features(torch.empty(1, 3, 224, 224))
    assert [tuple(m.shape[1:]) for m in out.stage_maps] == [(56, 56, 96), (28, 28, 192), (14, 14, 384), (7, 7, 768)]
    # the cached SW-MSA masks stay real CPU tensors: a CPU model with the same grid still runs afterwards
    blk = Swin(SwinConfig(embed_dim=6, depths=(2,), num_heads=(1,), window_size=7)).eval()
    with torch.no_grad():
        assert blk(torch.randn(1, 3, 224, 224))[0].shape == (1, 56 * 56, 6)


def test_normalize():
    model = Swin(PRESETS["swin-tiny-shapes"])
    assert torch.allclose(model.normalize(torch.full((1, 3, 2, 2), 0.5)), torch.zeros(1, 3, 2, 2))
