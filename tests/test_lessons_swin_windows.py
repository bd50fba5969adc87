"""Tests of mmviz.lessons.swin_windows: the page's numbers, computed with the ops the model runs."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from mmviz import windows as ops
from mmviz.models.swin import PRESETS, Swin
from mmviz.lessons import swin_windows as sl


@pytest.fixture(scope="module")
def image():
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (30, 50, 3), dtype=np.uint8))  # -> 64 x 104 px at size 64


@pytest.mark.parametrize("M,s", [(4, 2), (7, 3), (3, 0)])
def test_windows_lesson(image, M, s):
    W = sl.windows_lesson(image, size=64, M=M, s=s)
    gh, gw = W["grid"]
    Hp, Wp = W["padded"]
    assert (gh, gw) == (16, 26) and Hp % M == 0 and Wp % M == 0 and Hp - gh < M and Wp - gw < M
    assert W["image"].shape == (64, 104, 3) and W["rolled_image"].shape == (Hp * 4, Wp * 4, 3)
    assert W["nW"] == (Hp // M) * (Wp // M) and W["masks"].shape == (W["nW"], M * M, M * M)
    np.testing.assert_array_equal(W["masks"], ops.shifted_window_mask(Hp, Wp, M, s).numpy())
    assert W["reverse_diff"] == 0
    # window_of: cell (y, x) is in window (y // M) * (Wp // M) + x // M
    y, x = np.mgrid[:Hp, :Wp]
    np.testing.assert_array_equal(W["window_of"], (y // M) * (Wp // M) + x // M)
    # the shifted window of an ORIGINAL cell is the regular window of its rolled position
    ry, rx = (y - s) % Hp, (x - s) % Wp
    np.testing.assert_array_equal(W["shifted_window_of"], (ry // M) * (Wp // M) + rx // M)
    # rolled_ids: the patch found at each rolled position, -1 for padding
    oy, ox = (y + s) % Hp, (x + s) % Wp
    np.testing.assert_array_equal(W["rolled_ids"], np.where((oy < gh) & (ox < gw), oy * gw + ox, -1))
    np.testing.assert_allclose(W["toy_attn"].sum(-1), 1, atol=1e-5)
    assert W["toy_attn"][W["masks"] < 0].max(initial=0) < 1e-30
    np.testing.assert_array_equal(W["labels_back"][y, x], W["labels_rolled"][ry, rx])


def _brute_reach(gh, gw, M, s, start, blocks):
    """Independent BFS: two real patches exchange information in a block iff they share a window of that
    block and their displacement is the same before and after the roll (no wrap-around between them)."""
    Hp, Wp = -(-gh // M) * M, -(-gw // M) * M
    first = {start: 0}
    for b in range(1, blocks + 1):
        sh = s if b % 2 == 0 and min(gh, gw) > M else 0
        reached = list(first)
        for p in range(gh * gw):
            if p in first:
                continue
            py, px = divmod(p, gw)
            for q in reached:
                qy, qx = divmod(q, gw)
                ry1, rx1, ry2, rx2 = (py - sh) % Hp, (px - sh) % Wp, (qy - sh) % Hp, (qx - sh) % Wp
                same = (ry1 // M, rx1 // M) == (ry2 // M, rx2 // M)
                if same and ry1 - ry2 == py - qy and rx1 - rx2 == px - qx:
                    first[p] = b
                    break
    out = np.full(gh * gw, -1)
    for p, b in first.items():
        out[p] = b
    return out.reshape(gh, gw)


@pytest.mark.parametrize("grid,M,s,start", [((8, 12), 4, 2, 0), ((9, 10), 3, 1, 47), ((6, 6), 4, 2, 7)])
def test_receptive_field_against_brute_force(grid, M, s, start):
    R = sl.receptive_field(grid, M, s, start, 5)
    np.testing.assert_array_equal(R["first"], _brute_reach(*grid, M, s, start, 5))
    assert R["counts"][0] == 1 and (np.diff(R["counts"]) >= 0).all()
    assert R["counts"][-1] == int((R["first"] >= 0).sum())


def test_receptive_field_never_leaves_the_window_without_shift():
    R = sl.receptive_field((8, 8), 4, 0, 0, 6)
    assert list(R["counts"]) == [1] + [16] * 6


def test_relative_position_lesson():
    M = 3
    table = torch.randn(25, 2)
    rel = sl.relative_position_lesson(M, table)
    assert not rel["random"] and rel["table"].shape == (2, 5, 5) and rel["bias"].shape == (2, 9, 9)
    for dy, dx in [(-2, -2), (0, 1), (2, -1)]:
        assert rel["table"][1, dy + 2, dx + 2] == table[(dy + 2) * 5 + dx + 2, 1]
    i, j = 8, 0  # (2, 2) -> (0, 0): offset (2, 2)
    assert (rel["dy"][i, j], rel["dx"][i, j]) == (2, 2) and rel["bias"][0, i, j] == rel["table"][0, 4, 4]
    assert sl.relative_position_lesson(4)["random"]
    with pytest.raises(ValueError, match="49 rows"):
        sl.relative_position_lesson(4, table)


def test_model_lesson_and_window_maps(image):
    torch.manual_seed(0)
    model = Swin(PRESETS["swin-tiny-shapes"]).eval()
    model.class_names = list("abcdefghi")
    R = sl.model_lesson(model, image)
    assert [s["grid"] for s in R["stages"]] == [(16, 26), (8, 13), (4, 7)]
    assert [s["channels"] for s in R["stages"]] == [32, 64, 128] and R["tokens_shape"] == (1, 28, 128)
    assert len(R["attn"]) == 6 and R["attn"][1].shape == (28, 2, 16, 16) and len(R["predictions"]) == 5
    assert [b["shift"] for b in R["blocks"]] == [0, 2, 0, 2, 0, 0] and R["tables"][0].shape == (49, 2)
    blk, A = R["blocks"][1], R["attn"][1]
    maps = sl.window_maps(A, blk["cells"], blk["grid"], 27, 5)
    keys = blk["cells"][27]
    assert maps.shape == (2, 16, 26) and np.isfinite(maps).sum() == 2 * (keys >= 0).sum()
    np.testing.assert_allclose(maps.reshape(2, -1)[:, keys[keys >= 0]], A[27, :, 5][:, keys >= 0])


def test_architecture_shapes_and_cost():
    rows = sl.architecture_shapes(PRESETS["swin-tiny-patch4-window7-224"], 224, 224)
    assert [(r["grid"], r["channels"], r["windows"], r["shift"]) for r in rows] == [
        ((56, 56), 96, 64, 3), ((28, 28), 192, 16, 3), ((14, 14), 384, 4, 3), ((7, 7), 768, 1, 0)]
    c = sl.cost_curve(96, 7, np.array([64, 224, 448]))
    assert c["tokens"].tolist() == [256, 3136, 12544] and (c["msa"] > c["wmsa"]).all()
    assert c["msa"][1] == ops.msa_cost(56, 56, 96)


def test_page_helpers_agree_with_the_lesson(image):
    W = sl.windows_lesson(image, size=64, M=4, s=2)
    Hp, Wp = W["padded"]
    assert W["real_ids"].shape == (Hp, Wp) and W["real_ids"].max() == W["grid"][0] * W["grid"][1] - 1
    assert W["labels_windows"].shape == (W["nW"], 16)
    V = sl.window_mask_view(W, W["nW"] - 1)
    assert V["labels"].shape == (4, 4) and V["pairs"].shape == (16, 16, 2)
    assert V["allowed"] == int((W["masks"][-1] == 0).sum()) and V["allowed"] < 16 * 16  # the mixed last window
    rel = sl.relative_position_lesson(3)
    np.testing.assert_array_equal(rel["offsets"][..., 0], rel["dy"])
    T = sl.swin_t_shapes((1, 3, 64, 104))
    assert T["size"] == (224, 364) and T["summary"].startswith("stage 0 56×91×96")
    cost = sl.cost_lesson((16, 26), 32, 4)
    assert cost["msa"] == ops.msa_cost(16, 26, 32) and cost["ratio"] == pytest.approx(cost["msa"] / cost["wmsa"])
    assert sl.input_sizes("swin-tiny-shapes") == [64, 96, 128]
    R = sl.model_lesson(Swin(PRESETS["swin-tiny-shapes"]).eval(), image)
    assert sl.block_labels(R["blocks"])[1].endswith("SW-MSA (shift 2)")
    assert len(sl.merge_steps(R["stages"])) == len(R["stages"]) - 1
