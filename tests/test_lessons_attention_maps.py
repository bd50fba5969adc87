"""Tests of mmviz.lessons.attention_maps: shapes, masses, DINO masks, the worked example, bad image sizes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from PIL import Image

from mmviz.lessons import attention_maps as am
from mmviz.models.vit import ViT, ViTConfig

CFG = ViTConfig(image_size=32, patch_size=8, dim=32, depth=3, num_heads=4, mlp_ratio=2.0, num_classes=3)


@pytest.fixture(scope="module")
def model() -> ViT:
    torch.manual_seed(0)
    m = ViT(CFG).eval()
    m.class_names = ["circle", "square", "star"]
    return m


def _photo(w: int, h: int, mode: str = "RGB", seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    return Image.fromarray(a).convert(mode)


@pytest.fixture(scope="module")
def lesson(model) -> dict:
    return am.attention_lesson(model, _photo(48, 32))  # short side 32 -> 32 x 48 -> grid 4 x 6


def test_lesson_shapes_and_numbers(lesson):
    L = lesson
    assert L["image"].shape == (32, 48, 3) and L["image"].dtype == np.uint8
    assert L["grid"] == (4, 6) and L["patch_size"] == 8
    assert L["attn"].shape == (3, 4, 25, 25)
    assert L["cls_maps"].shape == (3, 4, 4, 6)
    assert L["block_inputs"].shape == (3, 25, 32)
    assert L["distance"].shape == (3, 4) and L["entropy"].shape == (3, 4)
    assert L["numbers"] == dict(N=24, T=25, D=32, heads=4, depth=3, head_dim=8, patch_size=8)
    assert L["shapes"]["pixels"] == (1, 3, 32, 48)
    assert L["original_size"] == (48, 32)
    assert L["max_entropy"] == pytest.approx(math.log(25))


def test_attention_rows_sum_to_one_and_cls_maps_match(lesson):
    attn = lesson["attn"].astype(np.float64)
    np.testing.assert_allclose(attn.sum(-1), 1.0, atol=1e-5)
    # [CLS] maps are row 0 without the [CLS] column: they hold 1 - weight on [CLS]
    np.testing.assert_allclose(lesson["cls_maps"].sum((-1, -2)), 1.0 - attn[:, :, 0, 0], atol=1e-5)
    np.testing.assert_allclose(lesson["cls_maps"][1, 2].ravel(), attn[1, 2, 0, 1:], atol=0)


def test_lesson_matches_the_model_forward(model, lesson):
    from mmviz.patches.grid import fit_image, uint8_to_tensor

    x = model.normalize(uint8_to_tensor(fit_image(_photo(48, 32), CFG.image_size, CFG.patch_size)))
    with torch.no_grad():
        _, attns = model(x, return_attn=True)
        x0 = model.embed(x)
    np.testing.assert_allclose(lesson["attn"][2], attns[2][0].numpy(), atol=1e-6)
    np.testing.assert_allclose(lesson["block_inputs"][0], x0[0].numpy(), atol=1e-6)


def test_entropy_and_distance_are_in_range(lesson):
    assert (lesson["entropy"] > 0).all() and (lesson["entropy"] <= lesson["max_entropy"] + 1e-5).all()
    max_dist = math.hypot(3 * 8, 5 * 8)
    assert (lesson["distance"] > 0).all() and (lesson["distance"] <= max_dist).all()
    assert 0 < lesson["uniform_distance"] < max_dist


def test_predictions_from_the_head(lesson):
    preds = lesson["predictions"]
    assert [p for _, p in preds] == sorted((p for _, p in preds), reverse=True)
    assert {c for c, _ in preds} == {"circle", "square", "star"}
    assert sum(p for _, p in preds) == pytest.approx(1.0, abs=1e-5)


def test_no_predictions_without_class_names():
    torch.manual_seed(0)
    m = ViT(ViTConfig(image_size=16, patch_size=8, dim=16, depth=1, num_heads=2)).eval()
    assert am.attention_lesson(m, _photo(16, 16))["predictions"] == []


def test_query_attention(lesson):
    q = am.query_attention(lesson["attn"], 1, 7, lesson["grid"])
    assert q.shape == (4, 4, 6)
    np.testing.assert_allclose(q[3].ravel(), lesson["attn"][1, 3, 7, 1:])
    np.testing.assert_allclose(q.sum((-1, -2)), 1 - lesson["attn"][1, :, 7, 0], atol=1e-5)


def test_rollout_map(lesson):
    r = am.rollout_map(lesson["attn"], lesson["grid"])
    assert r.shape == (4, 6) and (r >= 0).all()
    assert 0 < r.sum() < 1  # the rest of [CLS]'s row is on [CLS] itself
    r2 = am.rollout_map(lesson["attn"], lesson["grid"], head_fusion="max", discard_ratio=0.5)
    assert r2.shape == (4, 6) and not np.allclose(r, r2)
    # one layer, mean fusion, no discard: 0.5 * (mean attention + I), renormalised rows (sum already 1)
    one = am.rollout_map(lesson["attn"], lesson["grid"], upto=0)
    expect = 0.5 * lesson["attn"][0].mean(0)[0, 1:]
    np.testing.assert_allclose(one.ravel(), expect, atol=1e-6)


def test_dino_mask_keeps_the_fewest_patches():
    w = np.array([[0.4, 0.1], [0.3, 0.2]])
    np.testing.assert_array_equal(am.dino_mask(w, 0.6), [[True, False], [True, False]])  # 0.7 >= 0.6
    np.testing.assert_array_equal(am.dino_mask(w, 0.7), [[True, False], [True, False]])  # exactly 0.7
    np.testing.assert_array_equal(am.dino_mask(w, 0.75), [[True, False], [True, True]])
    assert am.dino_mask(w, 1.0).all()
    # unnormalised weights are normalised first
    np.testing.assert_array_equal(am.dino_mask(w * 7, 0.6), am.dino_mask(w, 0.6))


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_dino_mask_mass_and_minimality(lesson, keep):
    for m in lesson["cls_maps"].reshape(-1, 4, 6):
        mask = am.dino_mask(m, keep)
        w = m / m.sum()
        assert w[mask].sum() >= keep - 1e-9
        # minimal: dropping the lightest kept patch falls below keep
        assert w[mask].sum() - w[mask].min() < keep
        # and every kept patch weighs at least as much as every dropped one
        if (~mask).any():
            assert w[mask].min() >= w[~mask].max()
    masks = am.dino_masks(lesson["cls_maps"][0], keep)
    assert masks.shape == (4, 4, 6) and masks.dtype == bool


@pytest.mark.parametrize("layer,head,query", [(0, 0, 0), (1, 3, 5), (2, 2, 24)])
def test_worked_example_equals_the_model(model, lesson, layer, head, query):
    ex = am.worked_example(model, lesson["block_inputs"][layer], layer, head, query, top_k=5)
    T = 25
    assert ex["scores"].shape == ex["scaled"].shape == ex["weights"].shape == (T,)
    np.testing.assert_allclose(ex["scaled"], ex["scores"] / math.sqrt(8), rtol=1e-6)
    assert ex["weights"].sum() == pytest.approx(1.0, abs=1e-6)
    assert ex["max_diff"] <= 1e-5
    np.testing.assert_allclose(ex["weights"], lesson["attn"][layer, head, query], atol=1e-5)
    np.testing.assert_allclose(ex["model_row"], lesson["attn"][layer, head, query], atol=1e-6)
    assert ex["out"].shape == (8,) and ex["out_diff"] <= 1e-5
    assert len(ex["top"]) == 5 and ex["top"][0] == int(np.argmax(ex["weights"]))
    assert list(ex["weights"][ex["top"]]) == sorted(ex["weights"][ex["top"]], reverse=True)


# ---- bad input: the rule of mmviz.models.vit.prepare_pixels -------------------------------------------
@pytest.mark.parametrize(
    "w,h,mode,grid,flags",
    [
        (5, 3, "RGB", (4, 6), dict(tiny=True, upscaled=True, cropped_aspect=False)),  # smaller than a patch
        (4000, 300, "RGB", (4, 8), dict(tiny=False, upscaled=False, cropped_aspect=True)),  # panorama
        (30, 900, "RGB", (8, 4), dict(tiny=False, upscaled=True, cropped_aspect=True)),  # very tall
        (64, 40, "L", (4, 6), dict(tiny=False, upscaled=False, cropped_aspect=False)),  # greyscale
        (1, 1, "RGB", (4, 4), dict(tiny=True, upscaled=True, cropped_aspect=False)),  # one pixel
    ],
)
def test_bad_image_sizes(model, w, h, mode, grid, flags):
    L = am.attention_lesson(model, _photo(w, h, mode))
    assert L["grid"] == grid
    assert L["image"].shape == (grid[0] * 8, grid[1] * 8, 3)
    assert {k: L["note"][k] for k in flags} == flags
    assert np.isfinite(L["attn"].astype(np.float32)).all()
    np.testing.assert_allclose(L["attn"].astype(np.float64).sum(-1), 1.0, atol=1e-5)
    assert "short side is 32 px" in L["note"]["rule"]


def test_greyscale_is_three_equal_channels(model):
    L = am.attention_lesson(model, _photo(40, 40, "L"))
    img = L["image"].astype(int)
    assert np.abs(img[..., 0] - img[..., 1]).max() <= 1 and np.abs(img[..., 0] - img[..., 2]).max() <= 1


def test_size_argument_and_large_attention_is_float16(model, monkeypatch):
    L = am.attention_lesson(model, _photo(64, 64), size=64)
    assert L["grid"] == (8, 8) and L["attn"].dtype == np.float32
    monkeypatch.setattr(am, "F16_ABOVE_BYTES", 1000)
    L16 = am.attention_lesson(model, _photo(64, 64), size=64)
    assert L16["attn"].dtype == np.float16
    np.testing.assert_allclose(L16["attn"].astype(np.float32), L["attn"], atol=1e-3)
