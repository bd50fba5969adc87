"""Fast smoke test of the tiny Swin recipe (a few steps, tiny eval) -- not of the shipped model."""

import json

import torch

from mmviz.swin import Swin
from mmviz.train.swin import MODEL_NAME, augment, evaluate_swin, train_swin_tiny


def _load(path):
    """Rebuild the model from the card + weights (what the registry's load_embedded does)."""
    from safetensors.torch import load_file

    from mmviz.swin import SwinConfig

    card = json.loads(path.with_suffix(".json").read_text())
    cfg = SwinConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in card["config"].items()})
    model = Swin(cfg)
    model.load_state_dict({k: v.float() for k, v in load_file(str(path)).items()})
    return model.eval(), card


def test_augment_keeps_shape_and_range():
    x = torch.rand(4, 3, 8, 8)
    y = augment(x, torch.Generator().manual_seed(0))
    assert y.shape == x.shape and 0 <= y.min() and y.max() <= 1


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
    model, _ = _load(w)
    assert model.classify(model.normalize(torch.rand(2, 3, 64, 64))).shape == (2, 9)
    assert evaluate_swin(model, n=8, batch_size=4)["n"] == 8


def test_recipe_can_continue_and_cli(tmp_path):
    from mmviz.train.__main__ import main

    torch.set_num_threads(1)
    main(["swin-tiny", "--steps", "2", "--batch-size", "4", "--warmup", "1", "--eval-n", "8", "--out",
          str(tmp_path / "a")])
    card = train_swin_tiny(steps=2, batch_size=4, warmup=1, out=tmp_path / "b", eval_n=8, eval_every=0,
                           init=tmp_path / "a" / f"{MODEL_NAME}.safetensors")
    assert [p["curriculum"] for p in card["phases"]] == [True, False]
    assert card["phases"][1]["init"] == f"{MODEL_NAME}.safetensors"


def test_registry_contract_loads_the_card(tmp_path, monkeypatch):
    """What the lead's registry will do once FAMILIES has the swin entry: load_embedded from the card."""
    from mmviz import weights

    torch.set_num_threads(1)
    train_swin_tiny(steps=1, batch_size=4, warmup=1, out=tmp_path, eval_n=4, eval_every=0)
    monkeypatch.setitem(weights.FAMILIES, "swin", ("mmviz.swin", "Swin", "SwinConfig", "PRESETS"))
    model = weights.load_embedded(tmp_path / f"{MODEL_NAME}.safetensors")
    ours, _ = _load(tmp_path / f"{MODEL_NAME}.safetensors")
    assert isinstance(model, Swin) and model.cfg == ours.cfg and model.class_names[0] == "red"
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(model.classify(x), ours.classify(x))


def test_training_batch_is_the_colour_task():
    from mmviz.train.swin import CLASSES, TASK, training_batch

    b = training_batch(10, step=999, steps=1000, seed=0, size=32)
    assert TASK == "colour" and b["images"].shape == (10, 3, 32, 32) and int(b["labels"].max()) < len(CLASSES) == 9
    easy = training_batch(8, step=0, steps=1000, seed=0, size=32)  # all easy at the start
    assert easy["labels"].shape == (8,)
