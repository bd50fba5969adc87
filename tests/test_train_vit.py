"""Fast smoke test of the training recipe (a few steps, tiny eval) -- not of the shipped model."""

import json

import torch

from mmviz.train.shapes_task import easy_fraction, training_batch
from mmviz.train.vit import cls_attention_on_objects, train_vit_tiny
from mmviz.weights import load_embedded


def test_cls_attention_on_objects_by_hand():
    # 16x16 image, patch 8 -> 2x2 grid; object only in the top-left patch.
    masks = torch.zeros(1, 16, 16, dtype=torch.bool)
    masks[0, 2:5, 3:6] = True
    attn = torch.zeros(1, 2, 5, 5)
    attn[0, 0, 0] = torch.tensor([0.2, 0.4, 0.2, 0.1, 0.1])  # patches: .4 of .8 on the object
    attn[0, 1, 0] = torch.tensor([0.0, 1.0, 0.0, 0.0, 0.0])  # all on the object
    frac = cls_attention_on_objects(attn, masks, patch_size=8)
    # mean over heads first: patch weights (.2,.1,.05,.05)+(.5,0,0,0) -> (.7,.1,.05,.05)/.9
    torch.testing.assert_close(frac, torch.tensor([0.7 / 0.9]))


def test_curriculum_schedule_and_batch():
    assert easy_fraction(0, 1000) == 1.0
    assert abs(easy_fraction(175, 1000) - 0.55) < 1e-9
    assert easy_fraction(350, 1000) == easy_fraction(999, 1000) == 0.1
    b = training_batch(10, step=999, steps=1000, seed=0, size=32)
    assert b["images"].shape == (10, 3, 32, 32) and b["labels"].shape == (10,)


def test_recipe_smoke_writes_weights_and_card(tmp_path):
    torch.set_num_threads(1)
    card = train_vit_tiny(steps=3, batch_size=8, warmup=1, out=tmp_path, eval_n=16, eval_every=0, log_every=1)
    w, j = tmp_path / "vit-tiny-shapes.safetensors", tmp_path / "vit-tiny-shapes.json"
    assert w.is_file() and w.stat().st_size < 2_000_000
    on_disk = json.loads(j.read_text())
    assert on_disk["recipe"]["steps"] == 3 and on_disk["heldout"]["n"] == 16
    assert 0 <= on_disk["heldout"]["accuracy"] <= 1 and on_disk["classes"][0] == "red"
    assert card["config"]["patch_size"] == 8
    model = load_embedded(w)
    assert model.class_names == on_disk["classes"]
    assert model.classify(model.normalize(torch.rand(2, 3, 64, 64))).shape == (2, 9)


def test_recipe_can_continue_from_weights(tmp_path):
    torch.set_num_threads(1)
    first = train_vit_tiny(steps=2, batch_size=4, warmup=1, out=tmp_path / "a", eval_n=8, eval_every=0)
    card = train_vit_tiny(steps=2, batch_size=4, warmup=1, out=tmp_path / "b", eval_n=8, eval_every=0,
                          init=tmp_path / "a" / "vit-tiny-shapes.safetensors")
    assert [p["curriculum"] for p in card["phases"]] == [True, False]
    assert card["phases"][1]["init"] == "vit-tiny-shapes.safetensors"
    assert card["recipe"]["loss"] == "cross-entropy on the colour only"
    assert card["train_wall_time_s"] >= first["train_wall_time_s"]


def test_cli_runs_a_recipe(tmp_path, capsys):
    from mmviz.train.__main__ import main

    torch.set_num_threads(1)
    main(["vit-tiny", "--steps", "2", "--batch-size", "4", "--warmup", "1", "--eval-n", "8", "--out", str(tmp_path)])
    assert (tmp_path / "vit-tiny-shapes.safetensors").is_file()
    assert '"accuracy"' in capsys.readouterr().out
