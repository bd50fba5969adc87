"""mmviz.models.fusion and mmviz.data.vqa: six designs, one signature; masks that match the attention."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mmviz.data import vqa
from mmviz.models.fusion import STRATEGIES, FusionConfig, FusionVQA
from mmviz.train.fusion import vqa_tensors


@pytest.fixture(scope="module")
def qa():
    return vqa.batch(6, seed=3)


def test_vqa_questions_are_answerable_and_balanced():
    b = vqa.batch(600, seed=0)
    assert b["images"].shape == (600, 64, 64, 3) and b["images"].dtype == np.uint8
    types = np.array(b["types"])
    for t in vqa.QUESTION_TYPES:
        assert 0.1 < (types == t).mean() < 0.3, t
    for s, q, a, t in zip(b["scenes"], b["questions"], b["answers"], b["types"]):
        kinds, colours = [o[0] for o in s.objects], [o[1] for o in s.objects]
        assert len(set(kinds)) == len(kinds) and len(set(colours)) == len(colours) and 2 <= len(kinds) <= 3
        answer = vqa.ANSWERS[a]
        if t == "colour":
            assert answer == colours[kinds.index(q.split()[4])]
        elif t == "kind":
            assert answer == kinds[colours.index(q.split()[4])]
        elif t == "count":
            assert answer == str(len(kinds))
        assert not vqa.unknown_words(q)
    yes = np.array([vqa.ANSWERS[a] == "yes" for a, t in zip(b["answers"], b["types"]) if t == "exists"])
    assert 0.35 < yes.mean() < 0.65  # a blind guess gets half
    assert vqa.unknown_words("What COLOUR is the dragon?") == ["dragon"]


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_every_design_answers_and_its_attention_matches_its_masks(strategy, qa):
    torch.manual_seed(0)
    m = FusionVQA(FusionConfig(strategy=strategy, dim=32, num_heads=2)).eval()
    x, ids, mask = vqa_tensors(m, qa)
    logits, attns = m(x, ids, mask, return_attn=True)
    fast, none = m(x, ids, mask)
    assert logits.shape == (6, len(vqa.ANSWERS)) and none is None
    torch.testing.assert_close(fast, logits, atol=1e-5, rtol=0)
    L = ids.shape[1]
    masks = m.layer_masks(L)
    assert [(s, k) for s, k, _ in attns] == [(s, k) for s, k, _ in masks] == m.plan()
    for (_, kind, a), (_, _, allowed) in zip(attns, masks):
        rows, cols = allowed.any(1), allowed.any(0)
        assert a.shape[-2:] == (int(rows.sum()), int(cols.sum())), (kind, a.shape)  # the mask's block
    if strategy in "bcdf":  # question padding is never read by any token
        pad = mask[0] == 0
        if pad.any():
            joint = [a for _, k, a in attns if k == "joint"][0]
            assert joint[0][..., :L][..., pad].abs().max() == 0


def test_designs_differ_where_the_streams_meet():
    cfg = dict(dim=32, num_heads=2)
    plans = {s: FusionVQA(FusionConfig(strategy=s, **cfg)).plan() for s in STRATEGIES}
    assert {k for _, k in plans["b"]} == {"joint"} and {k for _, k in plans["e"]} == {"text<-image", "image<-text"}
    assert [k for _, k in plans["c"]][-1] == "joint" and [k for _, k in plans["d"]][0] == "joint"
    early = FusionVQA(FusionConfig(strategy="a", **cfg)).layer_masks(8)[0][2]
    assert early.shape == (64, 64)  # summation: one stream as long as the image
    with pytest.raises(ValueError):
        FusionVQA(FusionConfig(strategy="z"))


def test_frozen_cnn_stays_frozen_in_training():
    m = FusionVQA(FusionConfig(dim=32, num_heads=2)).train()
    assert not m.cnn.training and not any(p.requires_grad for p in m.cnn.parameters())
