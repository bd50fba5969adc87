"""Smoke tests of the text, image-token and fusion recipes (a few steps, tiny evaluations) -- not of the
shipped models (tests/test_*_trained.py check those)."""

from __future__ import annotations

import json

import pytest
import torch

from mmviz.train.common import CARD_KEYS
from mmviz.train.text_data import ngram_baselines, pad, referent_peaks
from mmviz.weights import load_embedded


@pytest.mark.parametrize("recipe, fn, heldout_key", [
    ("gpt", "train_gpt_tiny", "grammatical"),
    ("bert", "train_bert_tiny", "ratio_to_unigram"),
    ("encdec", "train_encdec_tiny", "alignment_share"),
])
def test_text_recipe_writes_a_loadable_model_and_its_card(tmp_path, recipe, fn, heldout_key):
    import importlib

    torch.set_num_threads(1)
    train = getattr(importlib.import_module(f"mmviz.train.{recipe}"), fn)
    card = train(steps=2, batch_size=8, warmup=1, out=tmp_path, eval_n=40, eval_every=0)
    assert tuple(card)[: len(CARD_KEYS)] == CARD_KEYS and heldout_key in card["heldout"]
    co = card["heldout"]["coreference"]
    assert co["n_pronouns"] > 0 and 0 <= co["best"]["share"] <= 1 and 0 < co["first_noun_share"] < 1
    name = card["name"]
    model = load_embedded(tmp_path / f"{name}.safetensors")
    assert json.loads((tmp_path / f"{name}.json").read_text())["family"] == card["family"]
    assert (model.tokenizer if recipe != "encdec" else model.src_tokenizer) is not None


def test_ngram_baselines_by_hand():
    train = [[0, 1, 2], [0, 1, 2]]
    out = ngram_baselines(train, [[0, 1, 2]], vocab=3)
    # unigram: p(1) = p(2) = (2 + 1) / (4 + 3); bigram: p(1|0) = p(2|1) = (2 + 1) / (2 + 3)
    assert out["unigram_perplexity"] == pytest.approx(7 / 3, abs=1e-3)
    assert out["bigram_perplexity"] == pytest.approx(5 / 3, abs=1e-3)


def test_referent_peaks_finds_a_head_that_looks_at_the_referent():
    from mmviz.data.text import corpus
    from mmviz.tokenizers.text import TextTokenizer

    tok = TextTokenizer.english()
    samples = [s for s in corpus(50, 3) if s.referents][:5]
    enc = [tok.encode(s.text) for s in samples]
    ids, _ = pad([e["ids"] for e in enc], tok.pad_id)
    T = ids.shape[1]
    attn = torch.full((len(samples), 2, T, T), 1.0 / T)  # head 0 uniform, head 1 on the referent
    for b, s in enumerate(samples):
        for pron, ref in s.referents:
            attn[b, 1, pron] = 0.0
            attn[b, 1, pron, ref] = 1.0
    out = referent_peaks([attn], enc, samples)
    assert out["by_head"][0][1] == 1.0 and out["best"] == {"layer": 0, "head": 1, "share": 1.0}


def test_fusion_and_vq_recipes_run(tmp_path):
    from mmviz.train.fusion import train_fusion
    from mmviz.train.vq import train_vq_tiny

    torch.set_num_threads(1)
    vq = train_vq_tiny(steps=2, batch_size=4, warmup=1, out=tmp_path, eval_n=8, eval_every=0)
    assert vq["heldout"]["bits_per_image"] == 8 * 8 * 8 and vq["heldout"]["raw_bits"] == 64 * 64 * 3 * 8
    card = train_fusion(strategy="c", steps=2, batch_size=8, warmup=1, out=tmp_path, eval_n=50, eval_every=0)
    h = card["heldout"]
    assert set(h["by_type"]) == set(h["chance_by_type"]) and card["extra"]["strategy"] == "c"
    assert load_embedded(tmp_path / "fusion-c.safetensors").cfg.strategy == "c"
