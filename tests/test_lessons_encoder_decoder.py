"""The encoder-decoder lesson (mmviz.lessons.encoder_decoder): the translation, what each step saw, the
grammar's reference and alignment, and any text in.

The tiny translator runs with its seeded untrained weights (the same on every machine); the Marian path
runs on a small random MarianMTModel with real SentencePiece files (test_hf_marian: no download).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from text_cases import BAD_TEXTS

from mmviz import weights
from mmviz.lessons import encoder_decoder as E
from mmviz.tokenizers.bounded import MAX_CHARS_PER_TOKEN

try:  # a small random MarianMTModel with real SentencePiece files (a fixture of test_hf_marian)
    from test_hf_marian import marian
except pytest.skip.Exception:
    marian = None

SAMPLE = E.SAMPLES_TINY[0]  # "a red circle is to the left of two blue squares ."


@pytest.fixture(scope="module")
def model():
    return weights.load_model("encdec-untrained")


@pytest.mark.parametrize("text", [*BAD_TEXTS.values(), SAMPLE], ids=[*BAD_TEXTS, "sample"])
def test_any_text_gets_a_source_a_sentence_and_a_translation(model, text):
    S = E.source(model, text)
    assert S["ids"][-1] == model.cfg.eos_id and 1 <= len(S["ids"]) <= 48
    g = S["grammar"]
    if text.strip() and text != SAMPLE:  # something to say about it: unknown words, not the grammar, cut, controls
        assert g["unknown"] or g["reason"] or S["cut"] or S["control"] or any(S["unknown"])
    assert S["empty"] == (not text.strip()) and S["context"] == model.cfg.context_length
    if text == BAD_TEXTS["huge"]:
        assert S["cut"] and S["chars_read"] == 48 * MAX_CHARS_PER_TOKEN and S["max_tokens"] == 48
    R = E.translate(model, S["ids"], max_new=6)
    assert R["out"][0] == model.cfg.bos_id and 1 <= len(R["out"]) - 1 <= 6
    assert R["max_diff"] < 1e-5 and len(R["src_tokens"]) == len(S["ids"])


def test_unknown_words_are_named(model):
    g = E.source(model, "The cat sat on the mat.")["grammar"]
    assert g["unknown"] == ["cat", "sat", "on", "mat"] and g["korean"] is None
    g = E.source(model, "a\x00b")["grammar"]
    assert any("U+0000" in w for w in g["unknown"])  # a control character is named, not printed
    g = E.source(model, "a red circle is above .")["grammar"]
    assert not g["unknown"] and g["reason"] and g["korean"] is None
    assert E.source(model, "")["grammar"]["words"] == []  # the page says it is empty


def test_reference_translation_and_alignment_rows(model):
    S = E.source(model, "A red circle is to the left of two blue squares.")
    g = S["grammar"]
    assert g["korean"] == "빨간 원이 두 개의 파란 사각형의 왼쪽에 있다 ." and g["reason"] is None
    assert g["korean_ids"][0] == model.cfg.bos_id and g["korean_ids"][-1] == model.cfg.eos_id
    # row k writes Korean word k (one token per word); "빨간" (red) <- word 1, "원이" (circle) <- word 2
    assert g["alignment"][:2] == [(0, 1), (1, 2)]
    korean = g["korean"].split()
    assert all(0 <= r < len(korean) for r, _ in g["alignment"])


def test_translate_is_greedy_and_its_step_rows_are_the_full_pass(model):
    S = E.source(model, SAMPLE)
    R = E.translate(model, S["ids"], max_new=10)
    want = model.greedy(torch.tensor([S["ids"]]), 10)[0].tolist()
    assert R["out"] == want[: len(R["out"])]
    n = len(R["out"]) - 1
    Lc, h, Sn = 3, 4, len(S["ids"])
    assert R["attn"]["encoder"].shape == (Lc, h, Sn, Sn) and R["attn"]["decoder"].shape == (Lc, h, n, n)
    assert R["attn"]["cross"].shape == (Lc, h, n, Sn) and R["step_cross"].shape == (n, Lc, h, Sn)
    np.testing.assert_allclose(R["attn"]["cross"].sum(-1), 1.0, atol=1e-5)
    assert np.abs(np.triu(R["attn"]["decoder"], 1)).max() == 0
    assert R["max_diff"] < 1e-5
    np.testing.assert_allclose(R["step_top_p"][:, 0], R["step_top_p"].max(1))
    assert [t[0] for t in R["step_top_tokens"]] == R["tokens"][1:]  # greedy: the best candidate is written
    assert R["stopped"] == ("eos" if R["out"][-1] == model.cfg.eos_id else "length")
    assert R["special"][0] and len(R["special"]) == n + 1


def test_forced_pass_and_alignment_share(model):
    S = E.source(model, SAMPLE)
    g = S["grammar"]
    F = E.forced(model, S["ids"], g["korean_ids"])
    C = F["attn"]["cross"]
    assert C.shape[2] == len(g["korean_ids"]) - 1 and F["tokens"][-1] == "<eos>"
    share = E.alignment_share(C, g["alignment"], E.word_starts(S["word_ids"]))
    assert share["n"] == len(g["alignment"]) and share["by_head"].shape == (3, 4)
    # by hand: a map that peaks exactly on the alignment scores 1 everywhere
    perfect = np.full_like(C, 0.01)
    for r, c in share["pairs"]:
        perfect[:, :, r, c] = 1.0
    s = E.alignment_share(perfect, g["alignment"], E.word_starts(S["word_ids"]))
    assert s["mean_last"] == 1.0 and (s["by_head"] == 1).all()
    assert np.isnan(E.alignment_share(C, [], {})["mean_last"])


def test_card_numbers():
    assert E.card_numbers({}) is None
    card = {"heldout": {"n": 1000, "exact_match": 0.95, "alignment_share": 0.8, "monotonic_share": 0.3}}
    assert E.card_numbers(card)["exact_match"] == 0.95


def test_marian_sentencepiece_path(request):
    if marian is None:
        pytest.skip("transformers / sentencepiece are not installed")
    m = weights.load_hf(request.getfixturevalue("marian")[0])
    assert not E.is_tiny(m)
    S = E.source(m, "The cat sat on the mat. 😀")
    assert S["grammar"] is None and S["ids"][-1] == m.cfg.eos_id
    R = E.translate(m, S["ids"], max_new=5)
    assert R["out"][0] == m.cfg.bos_id and R["max_diff"] < 1e-5 and isinstance(R["text"], str)


def test_the_trained_translator_writes_the_reference_and_looks_at_the_source():
    if not next(m for m in weights.available_models("encdec") if m.name == "encdec-tiny-shapes").available:
        pytest.skip("encdec-tiny-shapes is not trained here")
    m = weights.load_model("encdec-tiny-shapes")
    hits = total = 0
    for text in E.SAMPLES_TINY:
        S = E.source(m, text)
        g = S["grammar"]
        R = E.translate(m, S["ids"])
        assert R["out"] == g["korean_ids"] and R["stopped"] == "eos"  # greedy writes the reference
        share = E.alignment_share(E.forced(m, S["ids"], g["korean_ids"])["attn"]["cross"], g["alignment"],
                                  E.word_starts(S["word_ids"]))
        hits += share["mean_last"] * share["n"]
        total += share["n"]
    assert hits / total > 0.5  # the card: 73.5% of 13 686 held-out words; a diagonal scores 23.5%
