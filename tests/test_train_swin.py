"""Fast smoke test of the tiny Swin recipe (a few steps, tiny eval) -- not of the shipped model."""

import json

import torch

from mmviz.models.swin import Swin
from mmviz.train.shapes_task import CLASSES, TASK, augment, evaluate_classifier, training_batch
from mmviz.train.swin import MODEL_NAME, train_swin_tiny
from mmviz.weights import load_embedded


def test_augment_keeps_shape_and_range():
    x, m = torch.rand(4, 3, 8, 8), torch.zeros(4, 8, 8, dtype=torch.bool)
    y, m2 = augment(x, m, torch.Generator().manual_seed(0))
    assert y.shape == x.shape and m2.shape == m.shape and 0 <= y.min() and y.max() <= 1


def test_recipe_smoke_writes_weights_and_card(tmp_path):
    torch.set_num_threads(1)
    card = train_swin_tiny(steps=3, batch_size=8, warmup=1, out=tmp_path, eval_n=16, eval_every=0, log_every=1)
    w, j = tmp_path / f"{MODEL_NAME}.safetensors", tmp_path / f"{MODEL_NAME}.json"
    assert w.is_file() and w.stat().st_size < 2_000_000
    on_disk = json.loads(j.read_text())
    assert on_disk["family"] == "swin" and on_disk["classes"][0] == "red"
    assert on_disk["recipe"]["steps"] == 3 and on_disk["heldout"]["n"] == 16
    assert on_disk["recipe"]["loss"] == "cross-entropy on the colour only"
    assert 0 <= on_disk["heldout"]["accuracy"] <= 1 and set(on_disk["heldout"]["per_class"]) == set(on_disk["classes"])
    assert card["config"]["window_size"] == 4 and list(card["config"]["depths"]) == [2, 2, 2]
    model = load_embedded(w)  # the registry rebuilds it from the card
    assert isinstance(model, Swin) and model.class_names[0] == "red"
    assert model.classify(model.normalize(torch.rand(2, 3, 64, 64))).shape == (2, 9)
    assert evaluate_classifier(model, n=8, batch_size=4)["n"] == 8


def test_recipe_can_continue_and_cli(tmp_path):
    from mmviz.train.__main__ import main

    torch.set_num_threads(1)
    main(["swin-tiny", "--steps", "2", "--batch-size", "4", "--warmup", "1", "--eval-n", "8", "--out",
          str(tmp_path / "a")])
    card = train_swin_tiny(steps=2, batch_size=4, warmup=1, out=tmp_path / "b", eval_n=8, eval_every=0,
                           init=tmp_path / "a" / f"{MODEL_NAME}.safetensors")
    assert [p["curriculum"] for p in card["phases"]] == [True, False]
    assert card["phases"][1]["init"] == f"{MODEL_NAME}.safetensors"


def test_training_batch_is_the_colour_task():
    b = training_batch(10, step=999, steps=1000, seed=0, size=32)
    assert TASK == "colour" and b["images"].shape == (10, 3, 32, 32) and int(b["labels"].max()) < len(CLASSES) == 9
    easy = training_batch(8, step=0, steps=1000, seed=0, size=32)  # all easy at the start
    assert easy["labels"].shape == (8,)
