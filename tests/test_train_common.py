"""mmviz.train.common: the one training loop writes one card format, and every shipped card has it."""

from __future__ import annotations

import json

import pytest
import torch

from mmviz.train.common import CARD_KEYS, PHASE_KEYS, RECIPE_KEYS, Options, options
from mmviz.weights import ASSETS, MODELS


def _check_card(card: dict) -> None:
    assert tuple(card)[: len(CARD_KEYS)] == CARD_KEYS, list(card)
    assert tuple(card["recipe"]) == RECIPE_KEYS, list(card["recipe"])
    for phase in card["phases"]:
        assert tuple(phase)[: len(PHASE_KEYS)] == PHASE_KEYS, phase
    assert card["recipe"]["steps"] == card["phases"][-1]["steps"]
    assert card["train_wall_time_s"] >= sum(p["wall_time_s"] for p in card["phases"]) - 1


@pytest.mark.parametrize("name", [n for n, s in MODELS.items() if s.tier == "embedded"
                                  and (ASSETS / f"{n}.json").is_file()])
def test_every_shipped_card_has_the_one_format(name):
    card = json.loads((ASSETS / f"{name}.json").read_text())
    _check_card(card)
    assert card["name"] == name and card["family"] == MODELS[name].family
    assert card["architecture"].startswith("mmviz.models.")


def test_fit_writes_that_format_and_continues(tmp_path):
    from mmviz.train.vit import train_vit_tiny

    torch.set_num_threads(1)
    first = train_vit_tiny(steps=2, batch_size=4, warmup=1, out=tmp_path / "a", eval_n=8, eval_every=0)
    _check_card(first)
    second = train_vit_tiny(steps=2, batch_size=4, warmup=1, out=tmp_path / "b", eval_n=8, eval_every=0,
                            init=tmp_path / "a" / "vit-tiny-shapes.safetensors", seed=1)
    _check_card(second)
    assert [p["seed"] for p in second["phases"]] == [0, 1] and second["recipe"]["init"] == "vit-tiny-shapes.safetensors"
    on_disk = json.loads((tmp_path / "b" / "vit-tiny-shapes.json").read_text())
    assert on_disk == json.loads(json.dumps(second))


def test_options_refuse_unknown_names():
    o = options(Options(steps=7), {"lr": 0.1, "init": "x.safetensors"})
    assert (o.steps, o.lr, o.init.name) == (7, 0.1, "x.safetensors")
    with pytest.raises(TypeError, match="stepz"):
        options(Options(), {"stepz": 3})


def test_cli_refuses_an_option_the_recipe_does_not_take(capsys):
    from mmviz.train.__main__ import main

    with pytest.raises(SystemExit):
        main(["vit-tiny", "--hard", "0.5"])
    assert "does not take --hard" in capsys.readouterr().err
