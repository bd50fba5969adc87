"""Unit tests for mmviz.pos_embed: formula values, layouts, RoPE, Swin's index, interpolation."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmviz import pos_embed as pe


# --------------------------------------------------------------------------- sinusoidal 1D


@pytest.mark.parametrize("pos,i,dim", [(0, 0, 8), (1, 0, 8), (7, 3, 16), (50, 10, 64), (511, 255, 512)])
def test_sinusoidal_formula_values(pos, i, dim):
    table = pe.sinusoidal_1d(max(pos + 1, 2), dim)
    angle = pos / 10000 ** (2 * i / dim)
    assert table[pos, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-6)
    assert table[pos, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-6)


def test_sinusoidal_interleaved_not_concatenated():
    table = pe.sinusoidal_1d(10, 8)
    assert table.shape == (10, 8) and table.dtype == torch.float32
    assert torch.allclose(table[0, 0::2], torch.zeros(4))  # sin(0) = 0 in every even column
    assert torch.allclose(table[0, 1::2], torch.ones(4))  # cos(0) = 1 in every odd column
    assert table[3, 0].item() == pytest.approx(math.sin(3.0), abs=1e-6)  # frequency 1 in column 0
    assert table[3, 1].item() == pytest.approx(math.cos(3.0), abs=1e-6)


def test_sinusoidal_base_argument():
    table = pe.sinusoidal_1d(5, 4, base=100.0)
    assert table[4, 2].item() == pytest.approx(math.sin(4 / 100 ** (2 / 4)), abs=1e-6)


@pytest.mark.parametrize("length,dim", [(10, 7), (10, 0), (0, 8), (10, -2)])
def test_sinusoidal_bad_arguments(length, dim):
    with pytest.raises(ValueError):
        pe.sinusoidal_1d(length, dim)


# --------------------------------------------------------------------------- sin-cos 2D


def test_sincos_2d_layout_row_then_column():
    gh, gw, D = 3, 5, 16
    table = pe.sincos_2d(gh, gw, D)
    rows, cols = pe.sinusoidal_1d(gh, D // 2), pe.sinusoidal_1d(gw, D // 2)
    assert table.shape == (gh * gw, D)
    for r in range(gh):
        for c in range(gw):
            assert torch.equal(table[r * gw + c, : D // 2], rows[r])  # first half: the row
            assert torch.equal(table[r * gw + c, D // 2 :], cols[c])  # second half: the column


def _mae_2d_sincos(gh: int, gw: int, D: int) -> np.ndarray:
    """MAE's get_2d_sincos_pos_embed (util/pos_embed.py), written out for a non-square grid."""

    def one_d(d, pos):
        omega = 1.0 / 10000 ** (np.arange(d // 2, dtype=np.float64) / (d / 2.0))
        out = np.einsum("m,d->md", pos.reshape(-1), omega)
        return np.concatenate([np.sin(out), np.cos(out)], axis=1)

    grid = np.meshgrid(np.arange(gw, dtype=np.float64), np.arange(gh, dtype=np.float64))  # w first
    return np.concatenate([one_d(D // 2, grid[0]), one_d(D // 2, grid[1])], axis=1)


def test_sincos_2d_is_mae_up_to_a_permutation_of_dims():
    gh, gw, D = 3, 5, 32
    ours = pe.sincos_2d(gh, gw, D).double().numpy()
    mae = _mae_2d_sincos(gh, gw, D)
    h, q = D // 2, D // 4
    for k in range(q):
        np.testing.assert_allclose(ours[:, 2 * k], mae[:, h + k], atol=1e-6)  # row sin
        np.testing.assert_allclose(ours[:, 2 * k + 1], mae[:, h + q + k], atol=1e-6)  # row cos
        np.testing.assert_allclose(ours[:, h + 2 * k], mae[:, k], atol=1e-6)  # column sin
        np.testing.assert_allclose(ours[:, h + 2 * k + 1], mae[:, q + k], atol=1e-6)  # column cos


@pytest.mark.parametrize("dim", [6, 10, 0])
def test_sincos_2d_dim_must_be_multiple_of_4(dim):
    with pytest.raises(ValueError):
        pe.sincos_2d(4, 4, dim)


# --------------------------------------------------------------------------- similarity


def test_cosine_and_dot_product_matrices():
    table = pe.sinusoidal_1d(20, 32)
    cos = pe.cosine_similarity_matrix(table)
    dot = pe.dot_product_matrix(table)
    assert cos.shape == dot.shape == (20, 20)
    assert torch.allclose(cos.diagonal(), torch.ones(20), atol=1e-6)
    assert torch.allclose(cos, cos.T, atol=1e-6)
    assert torch.allclose(dot.diagonal(), torch.full((20,), 16.0), atol=1e-4)  # sin² + cos² per pair
    # <PE_i, PE_j> = sum_k cos((i - j) w_k)
    w = 10000 ** (-torch.arange(0, 32, 2, dtype=torch.float64) / 32)
    assert dot[3, 11].item() == pytest.approx(torch.cos(8 * w).sum().item(), abs=1e-4)


def test_similarity_depends_on_distance_only():
    sim = pe.cosine_similarity_matrix(pe.sinusoidal_1d(64, 64))
    mean, spread = pe.similarity_by_distance(sim)
    assert mean.shape == spread.shape == (64,)
    assert spread.max().item() < 1e-5  # Toeplitz up to rounding
    assert mean[0].item() == pytest.approx(1.0, abs=1e-6)
    _, random_spread = pe.similarity_by_distance(torch.rand(16, 16, generator=torch.Generator().manual_seed(0)))
    assert random_spread[1:-1].min().item() > 1e-3  # a random matrix is not Toeplitz


# --------------------------------------------------------------------------- RoPE


def test_rope_angles_values():
    ang = pe.rope_angles(torch.tensor([0, 1, 5]), 8)
    assert ang.shape == (3, 4)
    theta = torch.tensor([10000 ** (-2 * i / 8) for i in range(4)], dtype=torch.float64)
    assert torch.allclose(ang[2], 5 * theta)
    assert torch.equal(ang[0], torch.zeros(4, dtype=torch.float64))
    with pytest.raises(ValueError):
        pe.rope_angles(torch.arange(3), 7)


def test_rope_rotates_consecutive_pairs():
    x = torch.randn(1, 6, generator=torch.Generator().manual_seed(1))
    out = pe.apply_rope(x, torch.tensor([3]))
    for i in range(3):
        a = 3 * 10000 ** (-2 * i / 6)
        x0, x1 = x[0, 2 * i].item(), x[0, 2 * i + 1].item()
        assert out[0, 2 * i].item() == pytest.approx(x0 * math.cos(a) - x1 * math.sin(a), abs=1e-5)
        assert out[0, 2 * i + 1].item() == pytest.approx(x0 * math.sin(a) + x1 * math.cos(a), abs=1e-5)
    assert torch.equal(pe.apply_rope(x, torch.tensor([0])), x)  # position 0: no rotation


def test_rope_relative_property_and_norms():
    gen = torch.Generator().manual_seed(0)
    B, h, N, d = 2, 3, 12, 16
    q, k = torch.randn(B, h, N, d, generator=gen), torch.randn(B, h, N, d, generator=gen)
    pos = torch.arange(N)
    qr, kr = pe.apply_rope(q, pos), pe.apply_rope(k, pos)
    assert qr.shape == q.shape
    # norms preserved, also per pair
    assert torch.allclose(qr.norm(dim=-1), q.norm(dim=-1), atol=1e-5)
    assert torch.allclose(qr.reshape(B, h, N, -1, 2).norm(dim=-1), q.reshape(B, h, N, -1, 2).norm(dim=-1), atol=1e-5)
    # <R(m) q, R(n) k> depends only on m - n: same content at (m, n) and (m + s, n + s)
    qv, kv = q[0, 0, 0], k[0, 0, 0]
    for m, n, s in [(0, 3, 5), (7, 2, 4), (1, 1, 9)]:
        a = pe.apply_rope(qv[None], torch.tensor([m])) @ pe.apply_rope(kv[None], torch.tensor([n])).T
        b = pe.apply_rope(qv[None], torch.tensor([m + s])) @ pe.apply_rope(kv[None], torch.tensor([n + s])).T
        assert a.item() == pytest.approx(b.item(), abs=1e-4)
    # and it does depend on m - n
    s0 = pe.apply_rope(qv[None], torch.tensor([0])) @ pe.apply_rope(kv[None], torch.tensor([0])).T
    s5 = pe.apply_rope(qv[None], torch.tensor([0])) @ pe.apply_rope(kv[None], torch.tensor([5])).T
    assert abs(s0.item() - s5.item()) > 1e-3


def test_rope_score_matrix_is_toeplitz_and_matches_apply_rope():
    gen = torch.Generator().manual_seed(3)
    q, k = torch.randn(2, 32, generator=gen)
    scores = pe.rope_score_matrix(q, k, 20)
    assert scores.shape == (20, 20)
    assert pe.similarity_by_distance(scores)[1].max().item() < 1e-4
    m, n = 4, 13
    ref = pe.apply_rope(q[None], torch.tensor([m]))[0] @ pe.apply_rope(k[None], torch.tensor([n]))[0]
    assert scores[m, n].item() == pytest.approx(ref.item(), abs=1e-5)
    assert scores[0, 0].item() == pytest.approx((q @ k).item(), abs=1e-5)


def test_rope_pair_trajectory():
    x = torch.randn(8, generator=torch.Generator().manual_seed(2))
    pts = pe.rope_pair_trajectory(x, torch.arange(5), num_pairs=3)
    assert pts.shape == (5, 3, 2)
    assert torch.allclose(pts[0], x.reshape(4, 2)[:3])
    assert torch.allclose(pts.norm(dim=-1), x.reshape(4, 2)[:3].norm(dim=-1).expand(5, 3), atol=1e-6)
    # pair 0 turns by exactly 1 rad per position (theta_0 = 1)
    a0 = torch.atan2(pts[1, 0, 1], pts[1, 0, 0]) - torch.atan2(pts[0, 0, 1], pts[0, 0, 0])
    assert math.remainder(a0.item() - 1.0, 2 * math.pi) == pytest.approx(0.0, abs=1e-5)


# --------------------------------------------------------------------------- relative position index


@pytest.mark.parametrize("M", [1, 2, 3, 7])
def test_relative_position_index_properties(M):
    idx = pe.relative_position_index(M)
    T = M * M
    center = (M - 1) * (2 * M - 1) + (M - 1)
    assert idx.shape == (T, T) and idx.dtype == torch.long
    assert idx.min().item() >= 0 and idx.max().item() < (2 * M - 1) ** 2
    assert len(idx.unique()) == (2 * M - 1) ** 2  # every offset is used
    assert torch.equal(idx.diagonal(), torch.full((T,), center))
    assert torch.equal(idx + idx.T, torch.full((T, T), 2 * center))


def test_relative_position_index_values_M2():
    idx = pe.relative_position_index(2)  # tokens (0,0) (0,1) (1,0) (1,1)
    assert idx[0, 3].item() == 0  # offset (-1, -1)
    assert idx[3, 0].item() == 8  # offset (+1, +1)
    assert idx[1, 2].item() == (0 - 1 + 1) * 3 + (1 - 0 + 1)  # offset (-1, +1) -> 2
    assert idx[2, 1].item() == 6  # offset (+1, -1)


# --------------------------------------------------------------------------- interpolation


def test_interpolate_shapes_and_prefix():
    D = 16
    table = torch.cat([torch.full((1, D), 7.0), pe.sincos_2d(14, 14, D)])  # (197, D)
    out = pe.interpolate_pos_embed(table, (14, 14), (24, 24), num_prefix_tokens=1)
    assert out.shape == (1 + 24 * 24, D)
    assert torch.equal(out[0], table[0])  # [CLS] row untouched
    out3 = pe.interpolate_pos_embed(table[None], (14, 14), (24, 24), num_prefix_tokens=1)
    assert out3.shape == (1, 577, D) and torch.allclose(out3[0], out)
    rect = pe.interpolate_pos_embed(pe.sincos_2d(4, 6, D), (4, 6), (8, 3), mode="bilinear")
    assert rect.shape == (24, D)
    with pytest.raises(ValueError):
        pe.interpolate_pos_embed(table, (14, 14), (24, 24))  # forgot the prefix token


@pytest.mark.parametrize("mode", ["bicubic", "bilinear", "nearest"])
def test_interpolate_identity_and_constant(mode):
    table = pe.sincos_2d(6, 5, 8)
    assert torch.allclose(pe.interpolate_pos_embed(table, (6, 5), (6, 5), mode=mode), table, atol=1e-6)
    const = torch.full((30, 4), 0.37)
    out = pe.interpolate_pos_embed(const, (6, 5), (11, 13), mode=mode)
    assert torch.allclose(out, torch.full((143, 4), 0.37), atol=1e-6)


def test_interpolate_endpoints_smooth_table():
    oh, nh = 14, 24
    r, c = torch.meshgrid(torch.arange(oh, dtype=torch.float32), torch.arange(oh, dtype=torch.float32), indexing="ij")
    smooth = torch.stack([torch.sin(0.2 * r) + torch.cos(0.15 * c), 0.01 * r * c], -1).reshape(-1, 2)  # (196, 2)
    grid_old = smooth.reshape(oh, oh, 2)
    bicubic = pe.interpolate_pos_embed(smooth, (oh, oh), (nh, nh)).reshape(nh, nh, 2)
    bilinear = pe.interpolate_pos_embed(smooth, (oh, oh), (nh, nh), mode="bilinear").reshape(nh, nh, 2)
    for (ro, co), (rn, cn) in [((0, 0), (0, 0)), ((0, -1), (0, -1)), ((-1, 0), (-1, 0)), ((-1, -1), (-1, -1))]:
        # align_corners=False: output corner centres map 0.21 px outside the old grid -> close, not equal
        assert torch.allclose(bicubic[rn, cn], grid_old[ro, co], atol=0.05)
        # bilinear clamps those coordinates to the border: corners are exact
        assert torch.allclose(bilinear[rn, cn], grid_old[ro, co], atol=1e-5)


def test_interpolate_bilinear_ramp_stays_ramp():
    oh, ow, nh, nw = 5, 7, 9, 16
    r, c = torch.meshgrid(torch.arange(oh, dtype=torch.float64), torch.arange(ow, dtype=torch.float64), indexing="ij")
    ramp = (2.0 * r - 0.5 * c + 1.0).reshape(-1, 1)  # (35, 1) linear in row and column
    out = pe.interpolate_pos_embed(ramp, (oh, ow), (nh, nw), mode="bilinear").reshape(nh, nw)
    # align_corners=False source coordinate of output index j: (j + 0.5) * old / new - 0.5, clamped
    sr = ((torch.arange(nh) + 0.5) * oh / nh - 0.5).clamp(0, oh - 1).double()
    sc = ((torch.arange(nw) + 0.5) * ow / nw - 0.5).clamp(0, ow - 1).double()
    expected = 2.0 * sr[:, None] - 0.5 * sc[None, :] + 1.0
    assert torch.allclose(out, expected, atol=1e-9)
    # identical to calling F.interpolate directly on the (1, D, H, W) image
    direct = F.interpolate(ramp.reshape(1, oh, ow, 1).permute(0, 3, 1, 2), size=(nh, nw), mode="bilinear",
                           align_corners=False)[0, 0]
    assert torch.equal(out, direct)


# --------------------------------------------------------------------------- interpolation vs the ViT


def test_interpolation_matches_vit_module():
    vit = pytest.importorskip("mmviz.models.vit")
    if not hasattr(vit, "interpolate_pos_embed"):
        pytest.skip("mmviz.models.vit has no interpolate_pos_embed")
    pos = torch.randn(1, 49, 16, generator=torch.Generator().manual_seed(0))
    ours = pe.interpolate_pos_embed(pos, (7, 7), (10, 12))
    assert torch.allclose(ours, vit.interpolate_pos_embed(pos, (10, 12)), atol=1e-6)
