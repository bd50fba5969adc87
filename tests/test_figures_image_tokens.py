"""mmviz.figures.image_tokens: every figure builds from NumPy, carries hover values, and draws the numbers it is
given (code ids over the image, the drawn code among the top 5, masked cells, modality colours)."""

from __future__ import annotations

import numpy as np
import pytest

from mmviz.figures import image_tokens as fig

RNG = np.random.default_rng(0)
IMG = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)
CODES = RNG.integers(0, 256, (8, 8))


def _hover(f) -> bool:
    return any(getattr(t, "hovertemplate", None) for t in f.data)


def _figures() -> dict:
    rows = [{"size": s, "tokens": k, "steps": n, "classes": c, "bits": n * np.log2(c), "pairs": n * n}
            for s in ("a", "b") for k, n, c in (("sub", 12288, 256), ("pix", 4096, 2**24), ("vq", 64, 256))]
    restricted = {"sizes": np.array([256, 16, 2]), "psnr": np.array([20.0, 15.0, 10.0]),
                  "bits": np.array([512, 256, 64]), "distinct": np.array([20, 12, 2])}
    coarse = {"grids": np.array([8, 4, 2]), "tokens": np.array([64, 16, 4]), "psnr": np.array([20.0, 18.0, 12.0]),
              "bits": np.array([512, 128, 32])}
    attn = np.tril(np.ones((10, 10))) / np.arange(1, 11)[:, None]
    return {
        "dilemma": fig.fig_dilemma(rows),
        "codes": fig.fig_codes(IMG, CODES, RNG.random((8, 8)), RNG.random((8, 8)) + 1, np.full(256, 1 / 256)),
        "codebook": fig.fig_codebook(RNG.integers(0, 256, (256, 8, 8, 3), dtype=np.uint8), np.bincount(CODES.flat,
                                     minlength=256), np.full(256, 1 / 256)),
        "usage": fig.fig_usage(np.bincount(CODES.flat, minlength=256), RNG.integers(1, 50, 256)),
        "images": fig.fig_images([IMG, IMG], ["a", "b", "error"], error=RNG.random((64, 64))),
        "budget": fig.fig_budget(restricted, coarse, 16),
        "frame": fig.fig_frame(IMG, CODES, 10, current=9),
        "step": fig.fig_step_attention(["<|startoftext|>", "a", "red", "<pad>"], np.array([0.1, 0.2, 0.3, 0.0]),
                                       np.where(np.arange(64).reshape(8, 8) < 3, 0.1, np.nan), 0, 3),
        "top5": fig.fig_top5([3, 1, 4, 15, 9], [0.4, 0.2, 0.1, 0.05, 0.01], 77, 0.002),
        "factors": fig.fig_factorisation(RNG.random(64) * 0.9 + 0.05, CODES, 5),
        "cross": fig.fig_cross_maps([IMG, IMG], ["DALL·E", "Parti"], RNG.random((64, 5)), ["<|startoftext|>", "a",
                                    "red", "circle", "<|endoftext|>"], (8, 8)),
        "cost": fig.fig_cost({"d": {"cache": np.arange(1, 65), "no_cache": np.arange(1, 65) ** 2}}),
        "sequence": fig.fig_sequence(["<|startoftext|>", "red", "<pad>", "code 5"], [2, 19, 0, 61],
                                     ["text", "text", "text", "image"]),
        "attention": fig.fig_attention(attn, [f"t{i}" for i in range(10)], mask=attn > 0, title="mask", split=4),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_every_figure_has_hover_values(name):
    f = _figures()[name]
    assert _hover(f), name
    f.to_json()  # serialisable as sent to the browser


def test_code_grid_hover_carries_code_distance_and_share():
    f = fig.fig_codes(IMG, CODES, np.full((8, 8), 0.5), np.full((8, 8), 0.9), np.full(256, 0.01))
    hover = next(t for t in f.data if t.type == "heatmap" and t.opacity == 0)
    assert np.array_equal(hover.z, CODES)
    assert np.array_equal(np.asarray(hover.customdata)[..., 3], CODES)  # the code id
    assert np.allclose(np.asarray(hover.customdata)[..., 4:7], [0.5, 0.9, 1.0])  # distance, second, share in %
    text = next(t for t in f.data if t.type == "scatter" and t.mode == "text")
    assert list(text.text) == [str(c) for c in CODES.flat]


def test_top5_adds_the_drawn_code_when_it_is_not_among_the_five():
    bars = fig.fig_top5([3, 1, 4, 15, 9], [0.4, 0.2, 0.1, 0.05, 0.01], 77, 0.002).data[0]
    assert list(bars.x) == ["code 3", "code 1", "code 4", "code 15", "code 9", "code 77"] and bars.y[-1] == 0.002
    assert bars.marker.color[-1] == fig.ORANGE and bars.marker.color[0] == fig.BLUE
    bars = fig.fig_top5([3, 1, 4, 15, 9], [0.4, 0.2, 0.1, 0.05, 0.01], 4, 0.1).data[0]
    assert len(bars.x) == 5 and bars.marker.color[2] == fig.ORANGE


def test_frame_shows_only_the_codes_sampled_so_far():
    f = fig.fig_frame(IMG, CODES, 10, current=10)
    z = np.asarray(next(t for t in f.data if t.type == "heatmap").z, dtype=float)
    assert np.array_equal(z.flat[:10], CODES.flat[:10]) and np.isnan(z.flat[10:]).all()
    box = f.data[-1]
    assert min(box.x) == 2 * 8 - 0.5 and min(box.y) == 1 * 8 - 0.5  # cell 10 = row 1, col 2


def test_attention_greys_the_masked_cells_and_numbers_the_tokens():
    mask = np.tril(np.ones((4, 4), bool))
    f = fig.fig_attention(mask / mask.sum(1, keepdims=True), ["<|startoftext|>", "a", "a", "code 7"], mask=mask,
                          title="t", split=3)
    weights, masked = f.data
    assert np.isnan(np.asarray(weights.z, dtype=float)[0, 1]) and np.asarray(masked.z, dtype=float)[0, 1] == 1
    assert list(weights.x) == ["0 [start]", "1 a", "2 a", "3 #7"]  # equal tokens stay two columns
    assert len(f.layout.shapes) == 2


def test_sequence_colours_tokens_by_modality_and_escapes_special_tokens():
    f = fig.fig_sequence(["<|startoftext|>", "red", "<pad>", "code 5"], [2, 19, 0, 61],
                         ["text", "text", "text", "image"], per_row=4)
    hm = f.data[0]
    assert np.asarray(hm.z, dtype=float)[0].tolist() == [0, 0, 2, 1]
    assert np.asarray(hm.text)[0].tolist() == ["[start]", "red", "[pad]", "#5"]  # no "<s>": Plotly reads it as HTML


def test_cross_maps_draw_one_map_per_caption_token():
    cross = np.zeros((64, 3))
    cross[:, 1] = 1.0
    f = fig.fig_cross_maps([IMG], ["Parti"], cross, ["<|startoftext|>", "red", "<|endoftext|>"], (8, 8))
    maps = [t for t in f.data if t.type == "heatmap"]
    assert len(maps) == 3 and np.asarray(maps[1].z).shape == (8, 8) and np.asarray(maps[1].z).min() == 1
    assert [a.text for a in f.layout.annotations] == ["Parti", "[start]", "red", "[end]"]
