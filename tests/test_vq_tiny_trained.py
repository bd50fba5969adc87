"""The shipped image tokenizer and kind judge, measured on scenes generated here (seeds no recipe used)."""

from __future__ import annotations

import json

import pytest
import torch

from mmviz.train.judge import evaluate_judge
from mmviz.train.vq import evaluate_vq
from mmviz.weights import ASSETS, load_model

SEED = 20261130


@pytest.fixture(scope="module")
def vq():
    return load_model("vq-tiny-shapes")


def test_vq_reconstructs_fresh_scenes_and_uses_its_codebook(vq):
    torch.set_num_threads(1)
    with torch.inference_mode():
        m = evaluate_vq(vq, n=200, seed=SEED)
    card = json.loads((ASSETS / "vq-tiny-shapes.json").read_text())["heldout"]
    assert m["psnr_db"] >= 17.0 and abs(m["psnr_db"] - card["psnr_db"]) < 1.5
    assert m["codes_used"] >= 200 and m["perplexity"] >= 150  # codes stay used (EMA + dead-code reset)
    assert m["bits_per_image"] == 512 and m["raw_bits"] == 98304  # 192x fewer bits than raw pixels
    assert (ASSETS / "vq-tiny-shapes.safetensors").stat().st_size < 4_000_000


def test_vq_codes_are_a_grid_of_ids(vq):
    from mmviz.data.shapes import make_batch

    b = make_batch(2, seed=SEED, task="caption")
    with torch.inference_mode():
        codes, info = vq.encode(vq.normalize(b["images"]))
        again = vq.decode_codes(codes)
    assert codes.shape == (2, 8, 8) and int(codes.max()) < 256 and info["distance"].shape == (2, 8, 8)
    assert again.shape == (2, 3, 64, 64)


def test_kind_judge_is_right_on_real_scenes():
    with torch.inference_mode():
        m = evaluate_judge(load_model("cnn-kind-judge"), n=600, seed=SEED)
    assert m["accuracy"] >= 0.97 and min(m["per_class"].values()) >= 0.9
