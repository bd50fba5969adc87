"""Unit tests of mmviz.lessons.patch_tokenization: the numbers and arrays the patch tokenization page draws."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from mmviz.lessons import patch_tokenization as pt


def test_tokenization_summary_numbers():
    x = torch.rand(1, 3, 224, 224)
    plain, hybrid, cvt = pt.tokenization_summary(x, 16, embed_dim=192)
    assert plain["grid"] == (14, 14) and plain["n_tokens"] == 196 and plain["token_dim"] == 192
    assert plain["seq_len"] == 197 and plain["attn_pairs"] == 196**2 and plain["overlap"] is False
    assert hybrid["grid"] == (14, 14) and hybrid["n_tokens"] == 196 and hybrid["token_dim"] == 24
    assert hybrid["overlap"] is True and hybrid["receptive_field"] == 35 and hybrid["stride"] == 16
    assert cvt["grid"] == (56, 56) and cvt["n_tokens"] == 3136 and cvt["token_dim"] == 64
    assert cvt["attn_pairs"] == 3136**2 and cvt["overlap"] is True and cvt["receptive_field"] == 7
    plain8 = pt.tokenization_summary(x, 8, embed_dim=64)[0]
    assert plain8["n_tokens"] == 784 and plain8["token_dim"] == 64


def test_token_counts_follow_the_formula():
    x = torch.rand(1, 3, 96, 96)
    rows = pt.token_counts(x, [4, 8, 16, 32])
    for r in rows:
        P = r["patch_size"]
        assert r["n_tokens"] == 96 * 96 // P**2
        assert r["grid"] == (96 // P, 96 // P)
        assert r["patch_dim"] == P * P * 3 and r["seq_len"] == r["n_tokens"] + 1
        assert r["attn_pairs"] == r["n_tokens"] ** 2


def test_patch_lesson_arrays():
    img = Image.fromarray(np.random.default_rng(1).integers(0, 256, (50, 80, 3), dtype=np.uint8))
    L = pt.patch_lesson(img, 64, 16, 32)
    assert L["image"].shape == (64, 64, 3) and L["image"].dtype == np.uint8
    assert L["upscaled"] is True and L["original_size"] == (80, 50)
    assert L["grid"] == (4, 4)
    assert L["patches"].shape == (16, 768) and L["tokens"].shape == (17, 32)
    assert L["shapes"]["x_p"] == (1, 16, 768) and L["shapes"]["seq"] == (1, 17, 32)
    assert L["conv_vs_linear"] < 1e-5
    # the patches are the image's pixels / 255, patch 5 = grid row 1, col 1
    assert np.allclose(L["patches"][5].reshape(16, 16, 3) * 255, L["image"][16:32, 16:32], atol=1e-3)
    assert [r["patch_size"] for r in L["counts"]] == [4, 8, 16, 32]
    assert L["summary"][0]["n_tokens"] == 16
    with pytest.raises(ValueError):
        pt.patch_lesson(img, 64, 7, 32)
