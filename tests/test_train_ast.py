"""Fast smoke test of the tiny AST recipe (a few steps, tiny pool and eval) -- not of the shipped model."""

import json

import numpy as np
import torch
from safetensors.torch import load_file

from mmviz.models.ast import AST, PRESETS, ASTConfig
from mmviz.train.ast import augment, clip_features, evaluate_ast, make_dataset, train_ast_tiny


def test_features_and_dataset_shapes():
    cfg = PRESETS["ast-tiny-sounds"]
    x, y = make_dataset(12, seed=0, cfg=cfg, chunk=5)
    assert x.shape == (12, 256, 64) and x.dtype == torch.float16 and y.shape == (12,)
    again, _ = make_dataset(12, seed=0, cfg=cfg, chunk=5)
    assert torch.equal(x, again)
    one = clip_features([np.zeros(16000, np.float32)], cfg, dtype=np.float32)
    assert one.shape == (1, 256, 64) and np.isfinite(one).all()


def test_augment_shifts_and_masks():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(6, 256, 64)
    a = augment(x, g, shift=0, fmask=8, tmask=24)
    changed = (a != x)
    assert changed.any() and (a[changed] == 0).all()  # only masking, with zeros
    b = augment(x, torch.Generator().manual_seed(1), shift=32, fmask=0, tmask=0)
    for i in range(6):  # a pure roll in time
        assert any(torch.equal(b[i], torch.roll(x[i], s, 0)) for s in range(-32, 33))


def test_evaluate_counts():
    torch.manual_seed(0)
    model = AST(PRESETS["ast-tiny-sounds"])
    x, y = make_dataset(10, seed=9, cfg=model.cfg)
    m = evaluate_ast(model, data=(x, y), batch_size=4)
    assert m["n"] == 10 and 0 <= m["accuracy"] <= 1 and np.array(m["confusion"]).sum() == 10
    assert set(m["per_class"]) == {"tone", "chord", "chirp", "white noise", "pink noise", "brown noise",
                                   "clicks", "tremolo"}


def test_recipe_smoke_writes_weights_and_card(tmp_path):
    torch.set_num_threads(1)
    card = train_ast_tiny(steps=3, batch_size=4, warmup=1, out=tmp_path, eval_n=8, eval_every=0, log_every=1,
                          train_clips=16)
    w, j = tmp_path / "ast-tiny-sounds.safetensors", tmp_path / "ast-tiny-sounds.json"
    assert w.is_file() and w.stat().st_size < 2_000_000
    on_disk = json.loads(j.read_text())
    assert on_disk["family"] == "ast" and on_disk["classes"][0] == "tone" and len(on_disk["classes"]) == 8
    assert on_disk["recipe"]["steps"] == 3 and on_disk["heldout"]["n"] == 8
    assert on_disk["recipe"]["loss"] == "cross-entropy on the sound kind only"
    assert card["config"]["max_length"] == 256
    cfg = ASTConfig(**on_disk["config"])
    assert cfg == PRESETS["ast-tiny-sounds"]
    model = AST(cfg)
    model.load_state_dict({k: v.float() for k, v in load_file(str(w)).items()})
    assert model.classify(torch.zeros(2, 256, 64)).shape == (2, 8)


def test_registry_loads_the_card(tmp_path):
    from mmviz import weights

    train_ast_tiny(steps=1, batch_size=2, warmup=1, out=tmp_path, eval_n=4, eval_every=0, train_clips=4)
    model = weights.load_embedded(tmp_path / "ast-tiny-sounds.safetensors")
    assert isinstance(model, AST) and model.class_names[-1] == "tremolo"


def test_cli_knows_the_recipe():
    from mmviz.train.__main__ import RECIPES

    assert RECIPES["ast-tiny"][:2] == ("mmviz.train.ast", "train_ast_tiny")
