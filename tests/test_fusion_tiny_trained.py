"""The six shipped fusion models (issue 16) on visual questions generated here, with a seed no recipe used:
each answers above what the question alone can reach, as well as its card says, and the six cards describe
one experiment (same budget, same steps, same data)."""

from __future__ import annotations

import json

import pytest
import torch

from mmviz.data import vqa
from mmviz.models.fusion import STRATEGIES
from mmviz.weights import ASSETS, load_model

SEED = 20261130
N = 600


def _card(name: str) -> dict:
    return json.loads((ASSETS / f"{name}.json").read_text())


@pytest.mark.parametrize("k", list(STRATEGIES))
def test_each_fusion_model_answers_fresh_questions_as_its_card_says(k):
    from mmviz.train.fusion import evaluate_fusion

    name = f"fusion-{k}"
    assert (ASSETS / f"{name}.safetensors").stat().st_size < 5_000_000
    card = _card(name)
    torch.set_num_threads(1)
    with torch.inference_mode():
        m = evaluate_fusion(load_model(name), n=N, seed=SEED)
    # the blind baseline: the most frequent answer of each question type, weighted by the types' shares
    types = list(vqa.batch(N, SEED)["types"])
    blind = sum(m["chance_by_type"][t] * types.count(t) for t in m["chance_by_type"]) / N
    assert m["accuracy"] > blind + 0.05, (m, blind)
    assert m["by_type"]["count"] > m["chance_by_type"]["count"] + 0.2  # it reads the image, not only the question
    assert abs(m["accuracy"] - card["heldout"]["accuracy"]) < 0.06  # 600 questions: about ±4% at 2 sigma
    assert m["parameters"] == card["heldout"]["parameters"]


def test_the_six_cards_are_one_experiment():
    cards = {k: _card(f"fusion-{k}") for k in STRATEGIES}
    recipes = {json.dumps({x: v for x, v in c["recipe"].items() if x not in ("threads", "device", "init")},
                          sort_keys=True) for c in cards.values()}
    assert len(recipes) == 1  # same steps, batch, learning rate, data, seed
    budgets = {json.dumps({x: v for x, v in c["config"].items() if x != "strategy"}, sort_keys=True)
               for c in cards.values()}
    assert len(budgets) == 1  # one width/depth budget (the parameters differ by design: cross-attention adds some)
    assert all(c["heldout"]["parameters"] < 1_000_000 for c in cards.values())
    assert all(c["heldout"]["n"] == 2000 and c["train_wall_time_s"] > 0 for c in cards.values())
