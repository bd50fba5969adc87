"""mmviz.lessons.image_tokens: the pixel dilemma's numbers, tokenizing an image with the VQ-VAE (codes, codebook,
use, reconstruction, a restricted codebook, coarser grids), generation with every step recorded, the cost per
step against torch's own FLOP counter, and the masks of the one-sequence view. Small random models (no training);
the shipped tokenizer where its card is checked."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from PIL import Image
from torch.utils.flop_counter import FlopCounterMode

from mmviz.data.shapes import COLOURS, SHAPE_KINDS
from mmviz.lessons import image_tokens as it
from mmviz.models.dalle import DalleConfig, DalleTiny, decode_image
from mmviz.models.parti import PartiConfig, PartiTiny
from mmviz.models.vq import VQVAE, VQConfig
from mmviz.weights import ASSETS, load_model, read_card

SMALL_VQ = VQConfig(image_size=32, hidden=16, latent_dim=8, codebook_size=16, downsample=8)  # 4 x 4 codes of 16
SHIPPED = (ASSETS / f"{it.VQ}.safetensors").is_file()


@pytest.fixture(scope="module")
def vq() -> VQVAE:
    torch.manual_seed(0)
    return VQVAE(SMALL_VQ).eval()


@pytest.fixture(scope="module")
def models() -> dict:
    torch.manual_seed(0)
    return {"dalle": DalleTiny(DalleConfig(vq=SMALL_VQ, dim=32, depth=2, num_heads=4)).eval(),
            "parti": PartiTiny(PartiConfig(vq=SMALL_VQ, dim=32, enc_depth=1, dec_depth=2, num_heads=4)).eval()}


def _scene(size: int = 32) -> np.ndarray:
    return it.compose("star", "red", "large", "plain", image_size=size)[0].image


# --------------------------------------------------------------------------- the pixel dilemma
def test_pixel_dilemma_counts_steps_classes_and_bits():
    D = it.pixel_dilemma(256, 256, grid=(8, 8), codebook_size=256, side=64)
    big, small = D["rows"][:3], D["rows"][3:]
    assert [r["steps"] for r in big] == [196_608, 65_536, 32 * 32]  # the 196 608 steps; 8 px per code
    assert [r["classes"] for r in big] == [256, 2**24, 256]
    assert [r["steps"] for r in small] == [12_288, 4096, 64]
    assert small[0]["bits"] == small[1]["bits"] == 98_304 and small[2]["bits"] == 512
    assert small[2]["pairs"] == 64**2 and D["ratio"] == 192
    odd = it.pixel_dilemma(33, 17, grid=(8, 8), codebook_size=256, side=64)["rows"][2]
    assert odd["steps"] == 5 * 3  # partial cells count: ceil(33/8) x ceil(17/8)
    assert [(r["where"], r["kind"]) for r in D["rows"][:3]] == [("image", "subpixel"), ("image", "pixel"), ("image", "vq")]
    assert D["rows"][3]["where"] == "input" and D["rows"][2]["down"] == 8 and (D["rows"][0]["H"], D["rows"][0]["W"]) == (256, 256)
    tex = it.dilemma_latex(D, side=64, grid=(8, 8), codebook_size=256)
    assert "98{,}304" in tex and "512" in tex


# --------------------------------------------------------------------------- tokenize
@pytest.mark.parametrize("image", [Image.new("RGB", (640, 480), "red"), Image.new("L", (1, 300), 128),
                                   Image.new("RGBA", (7, 5), (0, 0, 255, 0)), np.zeros((3, 900, 3), np.uint8)])
def test_model_input_is_always_the_tokenizers_square(image):
    x = it.model_input(image, 64)
    assert x.shape == (64, 64, 3) and x.dtype == np.uint8
    assert it.image_size(image) == ((image.height, image.width) if hasattr(image, "height") else image.shape[:2])


def test_tokenize_image_is_the_models_own_lookup(vq):
    px = _scene()
    T = it.tokenize_image(vq, px)
    x = vq.normalize(torch.from_numpy(px).permute(2, 0, 1)[None].float() / 255)
    with torch.no_grad():
        codes, info = vq.encode(x)
    assert np.array_equal(T["codes"], codes[0].numpy()) and T["codes"].shape == (4, 4)
    np.testing.assert_allclose(T["distance"], info["distance"][0].numpy(), atol=1e-5)
    assert (T["second"] >= T["distance"] - 1e-5).all()
    assert np.array_equal(T["recon"], decode_image(vq, codes[0]))
    assert T["usage"].sum() == 16 and T["distinct"] == len(np.unique(T["codes"]))
    mse = np.mean((T["recon"] / 255.0 - px / 255.0) ** 2)
    assert T["mse"] == pytest.approx(mse) and T["psnr"] == pytest.approx(10 * math.log10(1 / mse))
    assert T["error"].shape == (32, 32) and T["error"].mean() == pytest.approx(mse)


def test_codebook_patches_are_each_code_decoded_alone(vq):
    P = it.codebook_patches(vq, batch=5)
    assert P.shape == (16, 8, 8, 3) and P.dtype == np.uint8
    full = decode_image(vq, torch.full((4, 4), 7, dtype=torch.long))
    assert np.array_equal(P[7], full[16:24, 16:24])  # the middle cell of a grid filled with code 7


def test_heldout_usage_counts_every_cell(vq):
    U = it.heldout_usage(vq, {"data": {"generator": "make_batch(task='caption')", "heldout_seed": 5}}, n=12,
                         batch_size=5)
    assert U["counts"].sum() == 12 * 16 and U["task"] == "caption" and U["seed"] == 5
    assert U["counts"][U["order"][0]] == U["counts"].max() and 1 <= U["perplexity"] <= U["codes_used"]


@pytest.mark.skipif(not SHIPPED, reason="vq-tiny-shapes is not trained yet")
def test_heldout_usage_reproduces_the_shipped_card():
    card = read_card(it.VQ)
    U = it.heldout_usage(load_model(it.VQ), card)
    assert U["n"] == card["heldout"]["n"] and U["codes_used"] == card["heldout"]["codes_used"]
    assert U["perplexity"] == pytest.approx(card["heldout"]["perplexity"], abs=0.06)


def test_restricting_the_codebook_requantises_to_the_allowed_codes(vq):
    px = _scene()
    T = it.tokenize_image(vq, px)
    order = np.arange(16)[::-1]
    R = it.restrict_codebook(vq, px, order, sizes=(16, 4, 1))
    assert np.array_equal(R["recon"][0], T["recon"]) and R["psnr"][0] == pytest.approx(T["psnr"])  # all K: unchanged
    assert R["distinct"][0] == T["distinct"] and R["distinct"][1] <= 4 and R["distinct"][2] == 1
    assert np.array_equal(R["recon"][2], decode_image(vq, torch.full((4, 4), 15)))  # only code 15 left
    assert list(R["bits"]) == [64, 32, 0]


def test_coarser_grids_reuse_the_tokenizer_on_smaller_copies(vq):
    px = _scene()
    C = it.coarser_grids(vq, Image.fromarray(px), sides=(32, 16, 8))
    assert list(C["grids"]) == [4, 2, 1] and list(C["tokens"]) == [16, 4, 1] and list(C["bits"]) == [64, 16, 4]
    assert C["recon"].shape == (3, 32, 32, 3)
    assert C["psnr"][0] == pytest.approx(it.tokenize_image(vq, px)["psnr"], abs=1e-6)


@pytest.mark.parametrize("kind", SHAPE_KINDS)
def test_compose_draws_the_chosen_scene(kind):
    img, caption, exact = it.draw_scene(kind, "blue", "medium", "stripes", 3)
    assert img.shape == (64, 64, 3) and exact and caption == f"a medium blue {kind} on a striped background"


def test_compose_draws_every_colour_it_is_asked_for():
    for c in COLOURS:  # the shared composer (mmviz.data.shapes.compose_scene) always draws the chosen colour
        scene, exact = it.compose("ring", c, "large", "plain")
        assert exact and scene.objects[0]["colour"] == c and scene.objects[0]["kind"] == "ring"


# --------------------------------------------------------------------------- captions
def test_read_caption_reports_unknown_words_truncation_and_empty_captions():
    tok, Lc = it.caption_tokenizer()
    ok = it.read_caption(tok, "A large red circle on a plain background", Lc)
    assert ok["tokens"][:3] == ["<|startoftext|>", "a", "large"] and ok["tokens"][-1] == "<pad>"
    assert len(ok["ids"]) == Lc and ok["real"] == 10 and not ok["unknown"] and not ok["truncated"]
    cat = it.read_caption(tok, "a cat on a sofa", Lc)
    assert cat["unknown"] == ["cat", "sofa"] and cat["tokens"].count("<unk>") == 2
    empty = it.read_caption(tok, "", Lc)
    assert empty["real"] == 2 and empty["tokens"][:2] == ["<|startoftext|>", "<|endoftext|>"]
    long = it.read_caption(tok, "red " * 2500, Lc)  # 10 000 characters
    assert long["truncated"] and len(long["ids"]) == Lc and long["tokens"][-1] == "<|endoftext|>"
    assert it.caption_notes(empty, Lc) == [{"key": "empty"}]
    assert it.caption_notes(cat, Lc) == [{"key": "unknown", "words": ["cat", "sofa"]}]
    (cut,) = it.caption_notes(long, Lc)
    assert cut["key"] == "cut" and cut["length"] == Lc and cut["kept"].startswith("red red")
    assert it.caption_notes(ok, Lc) == []


# --------------------------------------------------------------------------- generation
@pytest.mark.parametrize("name", ["dalle", "parti"])
@pytest.mark.parametrize("temperature, top_k", [(1.0, 0), (0.7, 5)])
def test_generate_records_every_step_and_the_probabilities_multiply_to_the_sample(models, name, temperature, top_k):
    m = models[name]
    res = it.generate(m, "a small red cat", seed=4, temperature=temperature, top_k=top_k)
    N = 16
    assert res["codes"].shape == (4, 4) and res["image"].shape == (32, 32, 3)
    assert res["p"].shape == (N,) and (res["p"] > 0).all()
    assert np.log(res["p"]).sum() == pytest.approx(res["log_prob"], abs=1e-3)  # one teacher-forced pass = 16 steps
    if top_k:
        assert (res["top_p"][:, :top_k].sum(1) == pytest.approx(1, abs=1e-4))
    assert res["caption"]["unknown"] == ["cat"]
    assert res["frames"].shape == (N + 1, 32, 32, 3) and np.array_equal(res["frames"][-1], res["image"])
    assert (res["frames"][0] == 215).all()
    v = it.step_view(res, 5)
    assert v["code"] == res["codes"].flat[5] and (v["row"], v["col"]) == (1, 1) and v["p"] == res["p"][5]
    if name == "dalle":
        assert res["attn"].shape == (N, 2, 12 + N - 1)
        assert (v["caption"].sum() + np.nansum(v["grid"])) == pytest.approx(1, abs=1e-4)  # the row of step 5
        assert np.isnan(v["grid"].flat[5:]).all() and not np.isnan(v["grid"].flat[:5]).any()
        full = res["forced"]["attention"]["decoder"]  # the teacher-forced pass sees the same attention
        np.testing.assert_allclose(full[12 - 1 + 5, : 12 + 5], res["attn"][5, :, : 12 + 5].mean(0), atol=1e-5)
    else:
        assert res["cross"].shape == (N, 2, 12) and v["cross"].sum() == pytest.approx(1, abs=1e-4)
        np.testing.assert_allclose(res["forced"]["attention"]["cross"], res["cross"].mean(1), atol=1e-5)


@pytest.mark.parametrize("name", ["dalle", "parti"])
def test_cost_per_step_matches_torchs_flop_counter(models, name):
    m = models[name]
    c = it.cost_per_step(m)
    with FlopCounterMode(display=False) as paint:
        decode_image(m.vq, torch.zeros(4, 4, dtype=torch.long))
    for cache, total in ((True, c["total_cache"]), (False, c["total_no_cache"])):
        with FlopCounterMode(display=False) as f:
            m.generate_steps("a red circle", seed=0, record=True, use_cache=cache)  # record: attention as matmuls
        counted = (f.get_total_flops() - paint.get_total_flops()) // 2
        if name == "parti":  # the encoder runs fused attention (no record), which the counter does not see on CPU
            counted += 2 * m.cfg.dim * m.cfg.enc_depth * 12 * 12
        assert counted == total
    assert c["total_no_cache"] > 3 * c["total_cache"] and len(c["cache"]) == 16
    assert it.parameters(m) == sum(p.numel() for p in m.parameters()) - sum(p.numel() for p in m.vq.parameters())


def test_compare_rows_put_the_two_models_side_by_side(models):
    res = {n: it.generate(m, "a red circle", seed=1) for n, m in models.items()}
    rows = it.compare_rows({n: {"design": n, "card": {"heldout": {"colour_accuracy": 0.9}}, "params": it.parameters(m),
                                "cost": it.cost_per_step(m), "sample": res[n]} for n, m in models.items()})
    assert list(rows) == list(it.COMPARE)
    assert rows["colour"]["dalle"] == "90.0 %"
    assert rows["both"]["parti"] == "–"
    assert rows["params"]["dalle"] == f"{it.parameters(models['dalle']):,}"
    assert rows["log_p"]["parti"] == f"{res['parti']['log_prob']:.2f}"


def test_factorisation_latex_writes_the_sum():
    tex = it.factorisation_latex(np.array([0.5, 0.25, 1.0, 0.125]))
    assert "-0.693 -1.386 +0.000" in tex and "-2.079" in tex and r"\mathbf{-4.16}" in tex


# --------------------------------------------------------------------------- one sequence
def test_mixed_sequence_and_masks():
    tok, Lc = it.caption_tokenizer()
    cap = it.read_caption(tok, "a red circle", Lc)
    codes = np.arange(16).reshape(4, 4)
    seq = it.mixed_sequence(cap, codes, tok.vocab_size)
    assert len(seq["ids"]) == Lc + 16 and seq["ids"][Lc] == tok.vocab_size and seq["labels"][Lc + 3] == "code 3"
    assert seq["modality"].count("text") == Lc
    m = it.decoder_mask(Lc, 16)
    assert m.shape == (Lc + 16, Lc + 16) and m[Lc, :Lc].all() and not m[Lc - 1, Lc:].any()  # text never sees the image
    assert np.array_equal(m, np.tril(np.ones_like(m)))
    P = it.parti_masks(cap, 16)
    real = cap["real"]
    assert P["encoder"][:, :real].all() and not P["encoder"][:, real:].any()  # bidirectional, <pad> keys hidden
    assert np.array_equal(P["decoder"], np.tril(np.ones((16, 16), bool))) and P["cross"].shape == (16, Lc)
    np.testing.assert_allclose(it.uniform_attention(m).sum(1), 1)
