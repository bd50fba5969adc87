"""The shipped DALL·E-style and Parti-style generators (issue 14) on captions of their evaluation template,
sampled here with seeds no recipe used: the embedded tiny ViT names the caption's colour on >= 85% of the
generated images (the issue's target), the kind judge's share is as the card reports (it is low: the shape's
kind is barely learned at this budget, 23-25% against 17% for a guess), and the image tokenizer inside each
is the shipped vq-tiny-shapes."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from mmviz.weights import ASSETS, load_model

SEED = 7  # evaluate_generator's seeds: seed * 1000 + caption index (the recipe and its card use seed 0)


def _card(name: str) -> dict:
    return json.loads((ASSETS / f"{name}.json").read_text())


@pytest.mark.parametrize("name", ["dalle-tiny-shapes", "parti-tiny-shapes"])
def test_generated_images_have_the_caption_colour_and_mostly_its_kind(name):
    from mmviz.train.imagegen import evaluate_generator

    assert (ASSETS / f"{name}.safetensors").stat().st_size < 8_000_000
    card = _card(name)["heldout"]
    torch.set_num_threads(1)
    with torch.inference_mode():
        model = load_model(name)
        m = evaluate_generator(model, per_caption=2, seed=SEED)
    assert m["images"] == 108
    assert m["colour_accuracy"] >= 0.85, m  # the target
    assert abs(m["colour_accuracy"] - card["colour_accuracy"]) < 0.1
    # the kind: the issue sets no target, the card reports it (about a guess among the six kinds: see the cards)
    assert abs(m["kind_accuracy"] - card["kind_accuracy"]) < 0.12, (m["kind_accuracy"], card["kind_accuracy"])
    vq = load_model("vq-tiny-shapes")
    for (a, b) in zip(model.vq.state_dict().values(), vq.state_dict().values()):
        np.testing.assert_array_equal(a.float().numpy(), b.float().numpy())  # the frozen, shipped tokenizer


def test_same_seed_same_image_and_the_two_designs_are_one_experiment():
    dalle, parti = load_model("dalle-tiny-shapes"), load_model("parti-tiny-shapes")
    with torch.inference_mode():
        a = dalle.generate("a large red circle on a plain background", seed=3)
        b = dalle.generate("a large red circle on a plain background", seed=3)
    assert a.shape == (64, 64, 3) and a.dtype == np.uint8 and np.array_equal(a, b)
    cd, cp = _card("dalle-tiny-shapes"), _card("parti-tiny-shapes")
    assert cd["heldout"]["settings"] == cp["heldout"]["settings"]  # one table: the same captions, sampling and judges
    assert cd["recipe"]["batch_size"] == cp["recipe"]["batch_size"]
    # the steps each design got are on its card (DALL-E: two phases of 2500, Parti: one)
    assert sum(p["steps"] for p in cd.get("phases") or [cd["recipe"]]) == 5000 and cp["recipe"]["steps"] == 2500
