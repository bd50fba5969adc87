"""Unit tests of mmviz.lessons.positional_encoding: attention without positions (permutation equivariance),
the seeded patch tokens and attention it uses, and the NumPy results each section of the page draws."""

import numpy as np
import pytest
import torch

from mmviz import pos_embed as ops
from mmviz.lessons import positional_encoding as pe
from mmviz.models.layers import Attention


# --------------------------------------------------------------------------- permutation equivariance


def _attention(dim=32, heads=4, seed=0):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return Attention(dim, heads).eval()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_permutation_demo_measures_equivariance(seed):
    gen = torch.Generator().manual_seed(seed)
    N, D = 12, 32
    tokens = torch.randn(N, D, generator=gen)
    perm = torch.randperm(N, generator=gen)
    res = pe.permutation_demo(tokens, _attention(D, 4, seed), perm, positions=ops.sinusoidal_1d(N, D))
    assert res["no_pos"]["max_diff"] < 1e-5  # equivariant for any weights
    assert res["with_pos"]["max_diff"] > 1e-2  # positions break it
    np.testing.assert_array_equal(res["perm"], perm.numpy())
    case = res["no_pos"]
    for key in ("x", "x_perm", "out", "out_perm", "out_then_perm"):
        assert case[key].shape == (N, D) and isinstance(case[key], np.ndarray)
    np.testing.assert_array_equal(case["x_perm"], tokens[perm].numpy())
    np.testing.assert_array_equal(case["out_then_perm"], case["out"][perm.numpy()])
    # the reported number is what it says it is
    assert case["max_diff"] == pytest.approx(float(np.abs(case["out_then_perm"] - case["out_perm"]).max()))
    # with positions, the position stays with the slot
    np.testing.assert_allclose(res["with_pos"]["x_perm"], (tokens[perm] + ops.sinusoidal_1d(N, D)).numpy())


def test_permutation_demo_without_positions_and_plain_module():
    tokens = torch.randn(6, 8, generator=torch.Generator().manual_seed(0))
    lin = torch.nn.Linear(8, 8)  # a module returning a tensor (not a tuple) also works
    res = pe.permutation_demo(tokens, lin, torch.tensor([5, 4, 3, 2, 1, 0]))
    assert "with_pos" not in res
    assert res["no_pos"]["max_diff"] < 1e-6


def test_patch_tokens_shape_and_seed():
    from PIL import Image

    img = Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 400, 3), dtype=np.uint8))
    a = pe.patch_tokens(img, size=224, patch_size=32, dim=64, seed=0)
    b = pe.patch_tokens(img, size=224, patch_size=32, dim=64, seed=0)
    c = pe.patch_tokens(img, size=224, patch_size=32, dim=64, seed=1)
    assert a.shape == (49, 64) and torch.equal(a, b) and not torch.equal(a, c)
    assert pe.patch_tokens(img, size=224, patch_size=16, dim=32).shape == (196, 32)


def test_patch_tokens_are_layer_normed():
    from PIL import Image

    img = Image.fromarray(np.random.default_rng(1).integers(0, 255, (224, 224, 3), dtype=np.uint8))
    tok = pe.patch_tokens(img, size=224, patch_size=56, dim=32)
    assert tok.shape == (16, 32)
    assert torch.allclose(tok.mean(-1), torch.zeros(16), atol=1e-5)
    assert torch.allclose(tok.var(-1, unbiased=False), torch.ones(16), atol=1e-3)


def test_seeded_attention_is_deterministic_and_peaked():
    a, b = pe.seeded_attention(32, 4, seed=3), pe.seeded_attention(32, 4, seed=3)
    assert torch.equal(a.qkv.weight, b.qkv.weight) and not a.training
    assert a.qkv.weight.std().item() == pytest.approx(32**-0.5, rel=0.1)
    x = torch.nn.functional.layer_norm(torch.randn(1, 20, 32, generator=torch.Generator().manual_seed(0)), (32,))
    out, attn = a(x, return_attn=True)
    assert out.shape == (1, 20, 32) and attn.shape == (1, 4, 20, 20)
    assert attn.max().item() > 3 / 20  # clearly not uniform attention
    tokens = x[0]
    res = pe.permutation_demo(tokens, a, torch.randperm(20, generator=torch.Generator().manual_seed(1)),
                              positions=ops.sinusoidal_1d(20, 32))
    assert res["no_pos"]["max_diff"] < 1e-5 and res["with_pos"]["max_diff"] > 0.1


def test_interpolation_demo():
    res = pe.interpolation_demo(14, 24, dim=64, dim_index=5)
    assert res["shapes"] == ((197, 64), (577, 64))
    assert res["dim_old"].shape == (14, 14) and res["dim_new"].shape == (24, 24)
    np.testing.assert_allclose(res["dim_old"], ops.sincos_2d(14, 14, 64)[:, 5].reshape(14, 14).numpy())
    (ro, co), (rn, cn) = res["refs"]
    assert (ro, co) == (4, 4) and (rn, cn) == (7, 7)  # (4 + 0.5) * 24 / 14 - 0.5 = 7.2
    assert res["sim_old"][ro, co] == pytest.approx(1.0, abs=1e-6)
    assert res["sim_new"][rn, cn] == pytest.approx(1.0, abs=1e-6)
    assert res["gap"] > 0.1  # resizing is not recomputing
    same = pe.interpolation_demo(6, 6, dim=32)
    assert same["gap"] < 1e-5  # same grid: the table comes back unchanged


# --------------------------------------------------------------------------- what the page draws


def test_sinusoid_lesson_is_numpy_of_the_teaching_functions():
    res = pe.sinusoid_lesson(40, 16)
    table = ops.sinusoidal_1d(40, 16)
    np.testing.assert_array_equal(res["table"], table.numpy())
    np.testing.assert_allclose(res["sim"], ops.cosine_similarity_matrix(table).numpy(), atol=1e-7)
    assert res["sim"].shape == (40, 40) and res["spread"] < 1e-5  # Toeplitz up to rounding


def test_sincos_2d_lesson_shape_is_measured():
    res = pe.sincos_2d_lesson(5, 32)
    assert res["shape"] == (25, 32)
    assert isinstance(res["sim"], np.ndarray) and res["sim"].shape == (25, 25)
    np.testing.assert_allclose(np.diag(res["sim"]), np.ones(25), atol=1e-6)


def test_permutation_lesson_matches_its_steps():
    from PIL import Image

    img = Image.fromarray(np.random.default_rng(2).integers(0, 255, (240, 320, 3), dtype=np.uint8))
    res = pe.permutation_lesson(img, patch_size=32, seed=7)
    tokens = pe.patch_tokens(img, size=224, patch_size=32, dim=64, seed=0)  # (49, 64)
    perm = torch.randperm(49, generator=torch.Generator().manual_seed(7))
    ref = pe.permutation_demo(tokens, pe.seeded_attention(64, num_heads=4, seed=0), perm,
                              positions=ops.sinusoidal_1d(49, 64))
    np.testing.assert_array_equal(res["perm"], ref["perm"])
    for case in ("no_pos", "with_pos"):
        assert res[case]["x"].shape == (49, 64)
        np.testing.assert_array_equal(res[case]["out_perm"], ref[case]["out_perm"])
    assert res["no_pos"]["max_diff"] < 1e-5 and res["with_pos"]["max_diff"] > 1e-2
    other = pe.permutation_lesson(img, patch_size=56, seed=8)
    assert other["no_pos"]["x"].shape == (16, 64) and not np.array_equal(other["perm"], np.arange(16))


def test_rope_lesson_matches_its_steps():
    res = pe.rope_lesson(16, 24, 6, seed=3)
    q, k = torch.randn(2, 16, generator=torch.Generator().manual_seed(3))
    np.testing.assert_allclose(res["scores"], ops.rope_score_matrix(q, k, 24).numpy(), atol=1e-6)
    np.testing.assert_allclose(res["points"], ops.rope_pair_trajectory(q, torch.arange(6), 4).numpy(), atol=1e-6)
    assert res["points"].shape == (6, 4, 2) and res["scores"].shape == (24, 24)
    np.testing.assert_allclose(res["theta"], [10000 ** (-2 * i / 16) for i in range(4)], rtol=1e-6)
    assert res["spread"] < 1e-4  # the score depends on m - n only
    assert not np.allclose(pe.rope_lesson(16, 24, 6, seed=4)["scores"], res["scores"])
