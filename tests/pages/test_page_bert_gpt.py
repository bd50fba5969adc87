"""AppTest of pages/7_bert_gpt.py: every section renders from the tensors, the controls change what they
should, the "next token" button writes and stops, and any text (empty, huge, emoji, Korean, right-to-left,
null bytes, unknown words) gets tokens and a sentence, never an exception."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from text_cases import BAD_TEXTS, TYPED, first_run, typed

from mmviz import weights
from mmviz.lessons import bert_gpt as lesson
from mmviz.ui.page import OPEN_ALL
from mmviz.ui.predict import REVEAL_ALL

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "7_bert_gpt.py")
CHARTS = ["bg_embed", "bg_mask_bidirectional", "bg_att_bidirectional", "bg_mask_causal", "bg_att_causal",
          "bg_headview", "bg_matrix", "bg_heads", "bg_fill", "bg_recipe", "bg_next", "bg_tf", "bg_cache", "bg_pronoun"]
#: what the page must say about each bad text (tests/text_cases.py)
SAID = {"empty": ["empty"], "spaces": ["empty"], "huge": ["was cut to its first 46 tokens", "context is 48 tokens"],
        "emoji": ["unknown ([UNK])"], "korean": ["unknown ([UNK])"], "rtl": ["unknown ([UNK])"],
        "null": ["unknown ([UNK])", "U+0000"], "controls": ["U+200F"], "unknown": ["'cat', 'sat', 'on', 'mat'", "not in it"]}


def _new() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
    at.session_state[OPEN_ALL] = True  # every section and "Show the code" open (closed: no chart)
    at.session_state["bg_bert"] = "bert-untrained"  # the same for every run, trained weights or not
    at.session_state["bg_gpt"] = "gpt-untrained"
    return at


@pytest.fixture
def app() -> AppTest:
    return _new().run()


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_every_section_renders_with_hover_and_code(app, chart):
    at = app
    _ok(at)
    assert at.title[0].value == "BERT and GPT"
    heads = [e.label for e in at.expander if e.label != "Show the code"]  # sections are expanders
    assert heads[0] == "Your sentence and the two models"  # the inputs: the first section in presenter mode
    assert [h.split(".")[0] for h in heads[1:]] == [str(i) for i in range(1, 12)], heads
    for key in CHARTS:
        spec = chart(at, key)
        assert any("hovertemplate" in t or "hovertext" in t for t in spec["data"]), key
    codes = "\n".join(c.value for c in at.code)
    for fn in ("def bounded", "def embedding_lookup", "def causal_mask", "def attend", "def head_patterns",
               "def fill_mask", "def mask_tokens", "def next_token_probs", "def sample_next", "def generate",
               "def teacher_forcing", "class KVCache", "def cache_costs", "def pronoun_attention"):
        assert fn in codes, fn
    assert len(at.latex) >= 10  # the intro and a formula in every section that computes one
    assert any("trained tiny BERT is not here" in w.value for w in at.warning) == \
        (not next(m for m in weights.available_models("bert") if m.name == "bert-tiny-shapes").available)


def test_numbers_come_from_the_tensors(app, chart, number, metric, heat):
    at = app
    S = lesson.sentence(weights.load_model("gpt-untrained"), "gpt", lesson.SAMPLES_TINY[0])
    T = len(S["enc"]["ids"])
    assert f"T = {T} tokens" in "\n".join(m.value for m in at.markdown)
    tf = lesson.teacher_forcing(S["gpt"]["log_probs"])
    assert number(at, "mean loss") == pytest.approx(tf["mean"], abs=5e-4)
    assert number(at, "perplexity e^loss") == pytest.approx(tf["perplexity"], rel=1e-2)
    assert number(at, "one pass vs step by step") < 1e-4
    assert number(at, "KVCache.numel()") == 2 * 4 * (T - 1) * 128  # the prompt: <bos> text, no <eos>
    assert number(at, "chosen") == pytest.approx(15, abs=1)  # percent of ordinary tokens over 10 000 draws
    assert number(at, "[MASK]") == pytest.approx(80, abs=1.5)
    # the GPT matrix of section 3 is the tensor's (layer 3, head 0), masked above the diagonal
    z = np.array(heat(chart(at, "bg_att_causal"))[0]["z"], dtype=object)
    assert z[0, 1] is None and float(z[5, 2]) == pytest.approx(float(S["attn"][3, 0, 5, 2]), abs=1e-4)
    assert "0.0e+00" in "\n".join(c.value for c in at.caption)  # embedding recomputed by hand: max |Δ| = 0
    assert metric(at, "tokens kept") == "98"  # temperature 1, no top-k, top-p 1: the whole vocabulary


def test_layer_head_query_and_look_change_the_figures(app, chart, heat):
    at = app
    z0 = np.array(heat(chart(at, "bg_matrix"))[0]["z"], dtype=float)
    at.slider(key="bg_layer").set_value(0).run()
    _ok(at)
    z1 = np.array(heat(chart(at, "bg_matrix"))[0]["z"], dtype=float)
    assert z0.shape == z1.shape and not np.allclose(z0, z1)
    at.selectbox(key="bg_head").set_value(2).run()
    assert "layer 0, head 2" in chart(at, "bg_headview")["layout"]["title"]["text"]
    at.selectbox(key="bg_query").set_value(3).run()
    assert chart(at, "bg_headview")["data"][0]["text"][3] == "<b>circle</b>"
    at.segmented_control(key="bg_look").set_value("GPT").run()
    _ok(at)
    assert "GPT layer 0, head 2" in chart(at, "bg_headview")["layout"]["title"]["text"]
    zg = np.array(heat(chart(at, "bg_matrix"))[0]["z"], dtype=object)
    assert zg[0, 5] is None  # GPT's matrix is masked


def test_mask_a_word_and_draw_the_recipe_again(app, chart):
    at = app
    at.pills(key="bg_maskpos").set_value(3).run()
    _ok(at)
    assert "[MASK] at 3" in chart(at, "bg_fill")["layout"]["title"]["text"]
    r0 = [t["name"] for t in chart(at, "bg_recipe")["data"]]
    reads = lambda a: [c for t in chart(a, "bg_recipe")["data"] for c in t["text"]]  # noqa: E731
    before = reads(at)
    for seed in range(1, 6):
        at.number_input(key="bg_seed").set_value(seed).run()
        if reads(at) != before:
            break
    assert reads(at) != before and r0[0] == "not chosen"


def test_sampling_controls_and_the_next_token_button(app, chart, metric):
    at = app
    at.select_slider(key="bg_topk").set_value(1).run()
    assert metric(at, "tokens kept") == "1"
    probs = chart(at, "bg_next")["data"][1]["x"]
    assert probs[0] == pytest.approx(1.0) and sum(probs[1:]) == 0
    at.select_slider(key="bg_topk").set_value(0)
    at.slider(key="bg_temp").set_value(0.3).run()
    assert int(metric(at, "tokens kept")) == 98
    prompt = len(at.session_state["bg_gen"]["ids"])  # nothing written yet: <bos> and the sentence
    assert prompt == len(lesson.SAMPLES_TINY[0].split()) + 1
    at.button(key="bg_next_btn").click().run()
    _ok(at)
    assert len(at.session_state["bg_gen"]["ids"]) == prompt + 1
    assert "Step 1:" in chart(at, "bg_step")["layout"]["title"]["text"]
    row = chart(at, "bg_step")["data"][0]["y"]
    assert len(row) == prompt and sum(row) == pytest.approx(1.0, abs=1e-3)
    at.button(key="bg_all_btn").click().run()
    _ok(at)
    gen = at.session_state["bg_gen"]["ids"]
    assert gen[-1] == 6 or len(gen) == min(48, prompt + lesson.MAX_NEW_TOKENS)  # <eos> or the length limit
    assert any(c.value.startswith("Stopped") for c in at.caption)
    at.button(key="bg_reset").click().run()
    assert len(at.session_state["bg_gen"]["ids"]) == prompt


@pytest.mark.parametrize("name", TYPED)
def test_bad_input_gets_tokens_and_a_sentence(app, name, chart):
    said = typed(app, "bg_text", BAD_TEXTS[name])
    assert all(phrase in said for phrase in SAID.get(name, ())), said
    assert len(chart(app, "bg_headview")["data"][0]["text"]) >= 2  # tokens, at least [CLS] and [SEP]


def test_sample_pills_set_the_text(app):
    at = app
    at.pills(key="bg_text_samples").set_value(lesson.SAMPLES_TINY[2]).run()
    _ok(at)
    assert at.text_area(key="bg_text").value == lesson.SAMPLES_TINY[2]
    assert at.session_state["bg_text_samples"] is None  # the pick is forgotten: typing is not a sample


def test_the_trained_gpt_is_picked_when_present():
    at, _, trained = first_run(PAGE, "gpt", "bg_gpt")
    if trained:
        card = weights.read_card("gpt-tiny-shapes")["heldout"]
        caption = next(m for m in at.metric if m.label == "held-out perplexity (card)")
        assert float(caption.value) == pytest.approx(card["perplexity"], abs=0.005)
        verdict = " ".join(m.value for m in at.markdown if "measured on held-out texts" in m.value)
        assert re.search(r"(No head beats|beats? the better baseline)", verdict)
        assert f"{card['coreference']['first_noun_share']:.0%}" in verdict or "beat" in verdict
        assert not math.isnan(float(caption.value))


def test_pretrained_checkpoints_in_the_cache(monkeypatch, tmp_path, chart):
    """The pretrained path end to end: small random GPT-2 (byte-level BPE) and BERT (WordPiece) folders in
    MMVIZ_CACHE are listed, loaded through load_hf and drawn; the animal sentence is the first sample."""
    import streamlit as st
    import torch
    import transformers
    from test_hf_bert import SPECIALS, WORDS
    from test_hf_gpt2 import _write_bpe

    g = tmp_path / "openai-community" / "gpt2"
    g.mkdir(parents=True)
    tok = _write_bpe(g)
    torch.manual_seed(0)
    transformers.GPT2LMHeadModel(transformers.GPT2Config(
        vocab_size=len(tok), n_positions=32, n_embd=64, n_layer=2, n_head=4, bos_token_id=len(tok) - 1,
        eos_token_id=len(tok) - 1)).save_pretrained(g)
    b = tmp_path / "google-bert" / "bert-base-uncased"
    b.mkdir(parents=True)
    (b / "vocab.txt").write_text("\n".join(SPECIALS + WORDS) + "\n")
    wp = transformers.BertTokenizerFast.from_pretrained(b)
    wp.save_pretrained(b)
    transformers.BertForMaskedLM(transformers.BertConfig(
        vocab_size=len(wp), hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
        max_position_embeddings=40)).save_pretrained(b)
    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    st.cache_data.clear()
    try:
        at = AppTest.from_file(PAGE, default_timeout=180)
        at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
        at.session_state[OPEN_ALL] = True  # every section open (closed: no chart)
        at.session_state["bg_bert"] = "google-bert/bert-base-uncased"
        at.session_state["bg_gpt"] = "openai-community/gpt2"
        at.run()
        _ok(at)
        assert at.text_area(key="bg_text").value == lesson.SAMPLES_PRETRAINED[0]
        md = "\n".join(m.value for m in at.markdown)
        assert "byte-level BPE · T = 32 tokens" in md and "WordPiece" in md  # cut to GPT-2's 32 positions here
        assert any("cut to its first 30 tokens" in w.value for w in at.warning)
        keys = chart(at, "bg_headview")["data"][1]["text"]
        assert keys[0] == "[CLS]" and "[UNK]" in keys  # this small WordPiece lacks "animal"
        at.segmented_control(key="bg_look").set_value("GPT").run()
        _ok(at)
        assert chart(at, "bg_headview")["data"][1]["text"][0] == "<|endoftext|>"
        assert "bg_coref_GPT" not in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]  # no card
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
