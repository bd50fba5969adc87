"""The BERT and GPT lesson (mmviz.lessons.bert_gpt): every number against the tensors or a formula.

The tiny models run with their seeded untrained weights (the same on every machine) and, where the
trained GPT ships, with it; checkpoint tokenizers are tested on small random GPT-2 / BERT checkpoints
built by transformers (test_hf_gpt2, test_hf_bert: no download).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from text_cases import BAD_TEXTS

from mmviz import weights
from mmviz.lessons import bert_gpt as L
from mmviz.models.layers import KVCache
from mmviz.sampling import next_token_probs
from mmviz.tokenizers.bounded import MAX_CHARS_PER_TOKEN, bounded

SAMPLE = L.SAMPLES_TINY[0]  # "a red circle is below two white triangles . it is red ."



@pytest.fixture(scope="module")
def gpt():
    return weights.load_model("gpt-untrained")


@pytest.fixture(scope="module")
def bert():
    return weights.load_model("bert-untrained")


# --------------------------------------------------------------------------- text in, tokens out
@pytest.mark.parametrize("name", list(BAD_TEXTS))
def test_any_text_gets_tokens_and_a_sentence(gpt, bert, name):
    text = BAD_TEXTS[name]
    for model, family in ((bert, "bert"), (gpt, "gpt")):
        S = L.sentence(model, family, text)
        enc = S["enc"]
        T = len(enc["ids"])
        assert 2 <= T <= model.cfg.context_length and len(enc["tokens"]) == len(enc["word_ids"]) == T
        first, last = L.special_ids(model, family)
        assert enc["ids"][0] == first[0] and enc["ids"][-1] == last[0]
        assert S["attn"].shape == (4, 4, T, T)
        np.testing.assert_allclose(S["attn"].sum(-1), 1.0, atol=1e-5)
        assert enc["empty"] == (name in ("empty", "spaces")) and enc["context"] == model.cfg.context_length
        if name in ("empty", "spaces"):
            assert T == 2
        if name == "huge":
            assert T == model.cfg.context_length and enc["cut"] and enc["max_tokens"] == 48
            assert enc["n_chars"] == len(text) and enc["pieces_kept"] == 46
            assert enc["chars_read"] == 48 * MAX_CHARS_PER_TOKEN  # 100 000 characters never reach the tokenizer
        if name in ("emoji", "korean", "rtl", "null"):
            assert any(enc["unknown"])
        assert bool(enc["control"]) == (name in ("null", "controls"))


def test_grammar_reads_the_text_as_the_tokenizer_does(gpt):
    g = L.grammar(gpt.tokenizer, "A red circle is below two white triangles. It is red.")
    assert g["normalized"] == SAMPLE and g["reason"] is None
    assert g["referents"] == [(9, 2)]  # "it" -> "circle"
    g = L.grammar(gpt.tokenizer, "the cat sat on the mat")
    assert g["unknown"] == ["cat", "sat", "on", "mat"] and g["reason"] is not None
    assert L.grammar(gpt.tokenizer, "a red circle is above .")["reason"].startswith("expected a colour")


def test_checkpoint_tokenizers_byte_pieces_and_wordpiece_unk(tmp_path_factory):
    transformers = pytest.importorskip("transformers")
    from test_hf_gpt2 import _write_bpe

    from mmviz.tokenizers.hf import JsonTokenizer, load_tokenizer

    d = tmp_path_factory.mktemp("bpe")
    _write_bpe(d)
    tok = load_tokenizer(d)
    assert isinstance(tok, JsonTokenizer) and tok.byte_level
    eot = tok.token_to_id("<|endoftext|>")
    enc = bounded(tok, "the cat 😀", max_tokens=16, before=[eot])
    assert enc["tokens"][0] == "<|endoftext|>" and " cat" in enc["tokens"]  # GPT-2's bytes read as text
    assert "".join(enc["tokens"][1:]).startswith("the cat ")
    assert any("\\x" in t for t in enc["tokens"]) and not any(enc["unknown"])  # emoji bytes, nothing unknown
    hf = transformers.GPT2TokenizerFast(tokenizer_file=str(d / "tokenizer.json"))
    assert enc["ids"][1:] == hf("the cat 😀")["input_ids"]
    # BERT's WordPiece: a character it lacks is [UNK]; [CLS] / [SEP] come from the lesson
    from test_hf_bert import SPECIALS, WORDS

    w = tmp_path_factory.mktemp("wordpiece")
    (w / "vocab.txt").write_text("\n".join(SPECIALS + WORDS) + "\n")
    transformers.BertTokenizerFast.from_pretrained(w).save_pretrained(w)
    wp = load_tokenizer(w)
    enc = bounded(wp, "the cat 😀", max_tokens=8, before=[2], after=[3])
    assert enc["tokens"][:3] == ["[CLS]", "the", "cat"] and enc["tokens"][-1] == "[SEP]"
    assert enc["unknown"] == [False, False, False, True, False]


# --------------------------------------------------------------------------- embeddings, forward, masks
def test_embedding_lookup_is_rows_of_the_table_plus_positions(gpt, bert):
    ids = gpt.tokenizer.encode(SAMPLE, add_special="bos_eos")["ids"]
    e = L.embedding_lookup(gpt, "gpt", ids)
    W = gpt.token_embed.weight.detach().numpy()
    np.testing.assert_array_equal(e["token"], W[ids])
    np.testing.assert_allclose(e["x0"], W[ids] + gpt.pos_embed.detach().numpy()[: len(ids)], atol=1e-6)
    assert e["table_shape"] == (98, 128) and e["max_diff"] == 0
    b = L.embedding_lookup(bert, "bert", ids)
    assert b["max_diff"] < 1e-6  # LayerNorm(E + P + S) by hand == BERT.embed
    np.testing.assert_allclose(b["sum"], b["token"] + b["position"] + b["segment"], atol=1e-6)


def test_forward_attention_and_teacher_forcing_log_probs(gpt, bert):
    S = L.sentence(gpt, "gpt", SAMPLE)
    A, ids = S["attn"], S["enc"]["ids"]
    T = len(ids)
    assert S["numbers"] == {"T": T, "D": 128, "V": 98, "L": 4, "h": 4, "d": 32, "context": 48}
    assert np.abs(np.triu(A, 1)).max() == 0  # causal: nothing above the diagonal
    with torch.no_grad():
        logits = gpt.logits(gpt(torch.tensor([ids]))[0])[0].log_softmax(-1)
    want = logits[torch.arange(T - 1), torch.tensor(ids[1:])].numpy()
    np.testing.assert_allclose(S["gpt"]["log_probs"], want, atol=1e-5)
    np.testing.assert_allclose(S["gpt"]["logits_last"], gpt.logits(gpt(torch.tensor([ids]))[0])[0, -2].detach(),
                               atol=1e-5)  # the scores after the last text token (before <eos>)
    B = L.sentence(bert, "bert", SAMPLE)
    assert B["gpt"] is None and np.abs(np.triu(B["attn"], 1)).max() > 0  # BERT looks ahead
    m = L.masks(5)
    assert m["bidirectional"].all() and (m["causal"] == np.tril(np.ones((5, 5), bool))).all()


def test_teacher_forcing_equals_one_token_at_a_time(gpt):
    ids = gpt.tokenizer.encode(SAMPLE, add_special="bos_eos")["ids"]
    chk = L.step_by_step_check(gpt, ids)
    assert chk["max_diff"] < 1e-4 and chk["steps"] == len(ids)
    assert chk["cache_numel"] == 2 * 4 * len(ids) * 128  # keys + values, L layers, T tokens, D
    tf = L.teacher_forcing(np.log([0.5, 0.25, 1.0]))
    np.testing.assert_allclose(tf["loss"], [math.log(2), math.log(4), 0], atol=1e-6)
    assert tf["mean"] == pytest.approx(math.log(8) / 3) and tf["perplexity"] == pytest.approx(2.0)


def test_trained_gpt_predicts_the_grammar_better_than_its_untrained_twin(gpt):
    if not next(m for m in weights.available_models("gpt") if m.name == "gpt-tiny-shapes").available:
        pytest.skip("gpt-tiny-shapes is not trained here")
    trained = L.teacher_forcing(L.sentence(weights.load_model("gpt-tiny-shapes"), "gpt", SAMPLE)["gpt"]["log_probs"])
    untrained = L.teacher_forcing(L.sentence(gpt, "gpt", SAMPLE)["gpt"]["log_probs"])
    assert trained["perplexity"] < 6 < 50 < untrained["perplexity"]  # uniform over 98 ids: 98


# --------------------------------------------------------------------------- heads
def test_head_patterns_name_synthetic_heads():
    T = 8
    prev = np.eye(T, k=-1)
    prev[0, 0] = 1
    first = np.zeros((T, T))
    first[:, 0] = 1
    uniform = np.tril(np.ones((T, T))) / np.arange(1, T + 1)[:, None]
    A = np.stack([prev, first, np.eye(T), uniform])[None].astype(np.float32)  # (1, 4, T, T)
    P = L.head_patterns(A, causal=True)
    assert P["labels"] == [["previous token", "first token", "itself", "broad"]]
    assert P["titles"][0][:3] == ["prev 1.00", "first 1.00", "self 1.00"] and P["titles"][0][3].startswith("broad 1.0")
    assert P["counts"] == {"previous token": 1, "first token": 1, "itself": 1, "broad": 1}
    last = np.zeros((T, T))
    last[:, -1] = 1
    assert L.head_patterns(np.stack([last, np.eye(T, k=1) + np.eye(T, k=0) * 0])[None], causal=False)["labels"] == \
        [["last token", "next token"]]


def test_pronoun_attention_finds_the_referent():
    enc = {"tokens": ["[CLS]", "the", "red", "circle", ".", "it", "is", "red", ".", "[SEP]"],
           "word_ids": [None, 0, 1, 2, 3, 4, 5, 6, 7, None]}
    A = np.full((2, 2, 10, 10), 0.01, np.float32)
    A[0, 1, 5, 3] = A[1, 0, 5, 3] = 0.9  # two heads peak on "circle"
    A[1, 1, 5, 2] = 0.9
    (p,) = L.pronoun_attention(A, enc, referents=[(4, 2)])
    assert (p["pos"], p["referent"], p["hits"]) == (5, 3, 2)
    assert p["peak"][1, 1] == 2 and p["on_referent"][0, 1] == pytest.approx(0.9)
    (q,) = L.pronoun_attention(A, enc, referent_word="circle")
    assert q["referent"] == 3
    (r,) = L.pronoun_attention(A, enc)
    assert r["referent"] is None and r["on_referent"] is None and r["hits"] == 0


def test_coreference_is_measured_against_the_baselines():
    card = {"heldout": {"coreference": {"n_pronouns": 100, "by_head": [[0.2, 0.5], [0.7, 0.1]],
                                        "best": {"layer": 1, "head": 0, "share": 0.7}, "first_noun_share": 0.6,
                                        "nearest_noun_share": 0.55, "mean_over_heads_last_layer": 0.3}}}
    co = L.coreference(card)
    assert co["beaten"] == [(1, 0, pytest.approx(0.7))] and co["base"] == 0.6
    card["heldout"]["coreference"]["first_noun_share"] = 0.8
    assert not L.coreference(card)["beaten"] and L.coreference(card)["base"] == 0.8
    assert L.coreference({}) is None


# --------------------------------------------------------------------------- BERT
def test_fill_mask_reads_the_mlm_head_at_the_masked_position(bert):
    ids = bert.tokenizer.encode(SAMPLE, add_special="cls_sep")["ids"]
    F = L.fill_mask(bert, ids, 3)
    x = torch.tensor([ids])
    x[0, 3] = bert.cfg.mask_id
    with torch.no_grad():
        p = bert.mlm_logits(bert(x)[0])[0, 3].softmax(-1)
    np.testing.assert_allclose(F["probs"], p.topk(10).values.numpy(), atol=1e-6)
    assert F["original"] == ids[3] and F["original_p"] == pytest.approx(float(p[ids[3]]), abs=1e-6)
    assert F["original_rank"] == int((p > p[ids[3]]).sum()) + 1
    assert F["tokens"][0] == bert.tokenizer.id_to_token(int(F["ids"][0])) and F["attn_mask_row"].shape == (4, 4, 15)


def test_masking_recipe_15_80_10_10(bert):
    enc = bert.tokenizer.encode(SAMPLE, add_special="cls_sep")
    special = [i in (bert.cfg.cls_id, bert.cfg.sep_id) for i in enc["ids"]]
    R = L.masking_recipe(bert, enc["ids"], special, seed=3, draws=20_000)
    sh = R["shares"]
    assert abs(sh["chosen"] - 0.15) < 0.01 and abs(sh["[MASK]"] - 0.8) < 0.02
    assert abs(sh["random token"] - 0.1) < 0.015 and abs(sh["kept"] - 0.1) < 0.015
    how, masked = R["how"], R["masked"]
    assert how[0] == how[-1] == 0  # [CLS] and [SEP] are never chosen
    assert all((masked[i] == bert.cfg.mask_id) == (how[i] == 1) or how[i] == 2 for i in range(len(how)))
    assert all(masked[i] == enc["ids"][i] for i in range(len(how)) if how[i] in (0, 3))
    chosen = how > 0
    if chosen.any():
        assert R["loss"] == pytest.approx(float(-np.log(R["p_true"][chosen]).mean()), rel=1e-5)
    assert R["read"][0] == "[CLS]" and len(R["guess"]) == len(how)


# --------------------------------------------------------------------------- GPT
def test_next_token_controls_are_sampling_next_token_probs(gpt):
    z = torch.randn(98, generator=torch.Generator().manual_seed(0)).numpy() * 3
    for t, k, p in ((1.0, 0, 1.0), (0.5, 5, 1.0), (1.5, 0, 0.9), (1.0, 1, 1.0)):
        NT = L.next_token(z, temperature=t, top_k=k, top_p=p, k=12, tok=gpt.tokenizer)
        want = next_token_probs(torch.from_numpy(z)[None], temperature=t, top_k=k or None, top_p=p)[0]
        np.testing.assert_allclose(NT["probs"], want[NT["ids"]].numpy(), atol=1e-6)
        assert NT["kept"] == int((want > 0).sum()) and NT["tokens"][0] == gpt.tokenizer.id_to_token(int(NT["ids"][0]))
    assert L.next_token(z, temperature=1.0, top_k=1, top_p=1.0)["kept"] == 1
    sharp = L.next_token(z, temperature=0.3, top_k=0, top_p=1.0)
    flat = L.next_token(z, temperature=2.0, top_k=0, top_p=1.0)
    assert sharp["entropy"] < sharp["entropy_plain"] < flat["entropy"]


def test_generation_step_is_seeded_and_shows_the_last_row(gpt):
    ids = gpt.tokenizer.encode(SAMPLE, add_special="bos")["ids"]
    a = L.generation_step(gpt, ids, temperature=1.0, top_k=0, top_p=1.0, seed=4)
    b = L.generation_step(gpt, ids, temperature=1.0, top_k=0, top_p=1.0, seed=4)
    assert a["id"] == b["id"] and a["row"].shape == (4, 4, len(ids))
    np.testing.assert_allclose(a["row"].sum(-1), 1.0, atol=1e-5)
    g = L.generation_step(gpt, ids, temperature=1.0, top_k=0, top_p=1.0, seed=0, greedy=True)
    with torch.no_grad():
        assert g["id"] == int(gpt.logits(gpt(torch.tensor([ids]))[0])[0, -1].argmax())
    one = L.generation_step(gpt, ids, temperature=1.0, top_k=1, top_p=1.0, seed=9)
    assert one["prob"] == pytest.approx(1.0) and one["id"] == g["id"]  # top-k 1 is greedy


def test_kv_cache_costs_counted_from_the_shapes(gpt):
    K = L.cache_costs(gpt, prompt=3, new=2)
    L_, D, M = 4, 128, 512
    per = 4 * D * D + 2 * D * M
    assert K["dims"] == {"L": 4, "h": 4, "D": D, "M": M}
    assert list(K["macs_full"]) == [L_ * (3 * per + 2 * 9 * D), L_ * (4 * per + 2 * 16 * D)]
    assert list(K["macs_cached"]) == [L_ * (3 * per + 2 * 9 * D), L_ * (per + 2 * 4 * D)]
    assert list(K["scores_full"]) == [4 * 4 * 9, 4 * 4 * 16] and list(K["scores_cached"]) == [4 * 4 * 9, 4 * 4 * 4]
    assert K["ratio"] == pytest.approx(K["total_cached"] / K["total_full"])
    Z = L.cache_size(gpt, list(range(5, 15)))
    assert Z["numel"] == Z["formula"] == 2 * 4 * 10 * 128 and Z["per_layer_shape"] == (1, 4, 10, 32)
    cache = KVCache(4)
    assert cache.numel() == 0
