"""The shipped embedded model against issue 3's targets, on a freshly generated held-out set.

Issue 3's targets: >= 95% accuracy on its task (the colour of the one shape in a cluttered
scene) and >= 60% of last-layer [CLS] attention (mean over heads) on patches overlapping the
object when objects cover < 25% of the image. Training uses cross-entropy only, so the attention
numbers measure where [CLS] learned to look. The accuracy target is met. The 60% attention target
was settled as out of reach for honest supervised training (it was only met by supervising the
attention with the object masks, which would show a picture drawn into the model): supervised ViT
attention is much less object-shaped than self-supervised DINO's (Caron et al. 2021), and the page
says so. The tests below pin what the model does reach, layer by layer, against uniform attention.
"""

import json

import pytest
import torch

from mmviz.train.vit import evaluate_vit
from mmviz.weights import ASSETS, load_model

HELDOUT_SEED = 20261121  # not used by training (seed*1_000_003 + 2*step (+1)) nor by the card's eval


@pytest.fixture(scope="module")
def heldout():
    torch.set_num_threads(1)
    model = load_model("vit-tiny-shapes")
    with torch.inference_mode():
        m = evaluate_vit(model, n=1000, seed=HELDOUT_SEED)
    print(m)
    return m


def test_shipped_files_and_card():
    w, j = ASSETS / "vit-tiny-shapes.safetensors", ASSETS / "vit-tiny-shapes.json"
    assert w.is_file(), "assets/models/vit-tiny-shapes.safetensors missing: run python -m mmviz.train vit-tiny"
    assert w.stat().st_size < 2_000_000
    card = json.loads(j.read_text())
    for key in ("family", "config", "classes", "data", "recipe", "train_wall_time_s", "heldout", "date", "phases"):
        assert key in card
    assert card["heldout"]["accuracy"] >= 0.95


def test_cls_attention_prefers_the_object(heldout):
    assert heldout["n_small_objects"] >= 900  # almost every scene has its object under 25% of the image
    # well above what uniform attention would put on the object's patches
    assert heldout["attn_on_object"] >= 1.6 * heldout["object_patch_share"]
    assert max(heldout["attn_on_object_by_layer"]) >= 2.0 * heldout["object_patch_share"]


def test_cls_attention_by_layer_is_pinned(heldout):
    """Every layer's [CLS] puts more than the uniform share on the object; the first and the last well
    above it (card: 0.44, 0.25, 0.22, 0.34 against 0.17 uniform), and the card's numbers hold on fresh scenes."""
    uniform = heldout["object_patch_share"]
    by_layer = heldout["attn_on_object_by_layer"]
    assert len(by_layer) == 4 and min(by_layer) >= 1.15 * uniform
    assert by_layer[0] >= 2.0 * uniform and by_layer[-1] >= 1.6 * uniform
    card = json.loads((ASSETS / "vit-tiny-shapes.json").read_text())["heldout"]
    for fresh, pinned in zip(by_layer, card["attn_on_object_by_layer"]):
        assert abs(fresh - pinned) < 0.05


def test_heldout_accuracy_target(heldout):
    assert heldout["accuracy"] >= 0.95  # chance: 1/9


def test_card_matches_a_fresh_measurement(heldout):
    card = json.loads((ASSETS / "vit-tiny-shapes.json").read_text())
    assert card["recipe"]["loss"] == "cross-entropy on the colour only"  # attention was not supervised
    assert abs(card["heldout"]["accuracy"] - heldout["accuracy"]) < 0.03
    assert abs(card["heldout"]["attn_on_object"] - heldout["attn_on_object"]) < 0.05


def test_untrained_model_does_not_meet_them():
    # the targets say something about training: random weights are at chance and look everywhere
    model = load_model("untrained")
    with torch.inference_mode():
        m = evaluate_vit(model, n=250, seed=HELDOUT_SEED)
    assert m["accuracy"] < 0.4 and m["attn_on_object"] < 0.5
