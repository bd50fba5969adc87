"""AppTest of pages/8_encoder_decoder.py: the translation and its three kinds of attention from the tensors,
the kind / layer / head / step controls, the grammar's alignment, and any text in (never an exception)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from text_cases import BAD_TEXTS, TYPED, first_run, typed

from mmviz import weights
from mmviz.lessons import encoder_decoder as lesson
from mmviz.ui.page import OPEN_ALL
from mmviz.ui.predict import REVEAL_ALL

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "8_encoder_decoder.py")
CHARTS = ["ed_diagram", "ed_headview", "ed_matrix", "ed_heads", "ed_align_lines", "ed_align", "ed_align_heads",
          "ed_step_fig"]
#: what the page must say about each bad text (tests/text_cases.py)
SAID = {"empty": ["empty"], "spaces": ["empty"], "huge": ["cut to its first 47 tokens"],
        "unknown": ["does not know 4 words of this text: 'cat', 'sat', 'on', 'mat'"], "null": ["U+0000"],
        "emoji": ["unknown ([UNK])", "does not know"], "korean": ["unknown ([UNK])", "does not know"],
        "rtl": ["unknown ([UNK])", "does not know"], "controls": ["U+200F"]}


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
    at.session_state[OPEN_ALL] = True  # every section and "Show the code" open (closed: no chart)
    at.session_state["ed_model"] = "encdec-untrained"  # the same for every run, trained weights or not
    return at.run()


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def expected():
    m = weights.load_model("encdec-untrained")
    S = lesson.source(m, lesson.SAMPLES_TINY[0])
    return S, lesson.translate(m, S["ids"])


def test_every_section_renders_from_the_tensors(app, chart, heat, expected):
    at = app
    _ok(at)
    S, R = expected
    assert at.title[0].value == "Encoder–decoder and cross-attention"
    heads = [e.label for e in at.expander if e.label != "Show the code"]  # sections are expanders
    assert [h.split(".")[0] for h in heads] == ["Your sentence and the translator", "1", "2", "3", "4"]
    for key in CHARTS:
        spec = chart(at, key)
        assert any("hovertemplate" in t or "hovertext" in t for t in spec["data"]), key
    n = len(R["out"]) - 1
    # cross-attention by default: n written tokens x S source tokens, layer 2 (the last), head 0
    z = np.array(heat(chart(at, "ed_matrix"))[0]["z"], dtype=float)
    assert z.shape == (n, len(S["ids"]))
    np.testing.assert_allclose(z, np.round(R["attn"]["cross"][2, 0], 4), atol=1e-4)
    assert len(chart(at, "ed_heads")["data"]) == 12  # 3 layers x 4 heads
    md = "\n".join(m.value for m in at.markdown)
    assert f"S = {len(S['ids'])} tokens" in md and f"{n} tokens, stopped by" in md
    assert any("빨간 원이 두 개의 파란 사각형의 왼쪽에 있다" in a.value for a in [*at.warning, *at.success])
    codes = "\n".join(c.value for c in at.code)
    assert "def translate" in codes and "def greedy" in codes and "class CrossAttention" not in codes
    assert "def forward" in codes and "def alignment_share" in codes and "def decode" in codes
    assert f"max |Δ| = {R['max_diff']:.1e}" in "\n".join(c.value for c in at.caption)


def test_kind_layer_head_and_step_controls(app, chart, heat, expected):
    at = app
    S, R = expected
    at.segmented_control(key="ed_kind").set_value("encoder").run()
    _ok(at)
    z = np.array(heat(chart(at, "ed_matrix"))[0]["z"], dtype=float)
    assert z.shape == (len(S["ids"]),) * 2
    shapes = chart(at, "ed_diagram")["layout"]["shapes"]
    lit = [s for s in shapes if s.get("fillcolor") == "rgb(255,127,14)"]
    assert len(lit) == 1 and lit[0]["x0"] == 0.6  # the encoder's self-attention box
    at.segmented_control(key="ed_kind").set_value("decoder").run()
    zd = np.array(heat(chart(at, "ed_matrix"))[0]["z"], dtype=object)
    assert zd[0, 1] is None  # masked
    at.segmented_control(key="ed_kind").set_value("cross")
    at.slider(key="ed_layer").set_value(0)
    at.selectbox(key="ed_head").set_value(3).run()
    _ok(at)
    z = np.array(heat(chart(at, "ed_matrix"))[0]["z"], dtype=float)
    np.testing.assert_allclose(z, np.round(R["attn"]["cross"][0, 3], 4), atol=1e-4)
    at.slider(key="ed_step").set_value(2).run()
    step = chart(at, "ed_step_fig")
    np.testing.assert_allclose(step["data"][0]["y"], R["step_cross"][1, 0, 3], atol=1e-5)
    assert step["layout"]["title"]["text"].startswith("Step 2 writes")
    at.toggle(key="ed_avg").set_value(True).run()
    _ok(at)
    np.testing.assert_allclose(chart(at, "ed_step_fig")["data"][0]["y"], R["step_cross"][1, 0].mean(0), atol=1e-5)


def test_alignment_section_marks_the_grammars_alignment(app, chart, expected):
    at = app
    S, _ = expected
    g = S["grammar"]
    rings = next(t for t in chart(at, "ed_align")["data"] if t.get("name") == "true alignment")
    share = lesson.alignment_share(np.zeros((1, 1, 20, 20)), g["alignment"], lesson.word_starts(S["word_ids"]))
    assert sorted(zip(rings["y"], rings["x"])) == sorted(share["pairs"])
    assert any("aligned words in this sentence" in c.value for c in at.caption)
    at.text_area(key="ed_text").set_value("hello there").run()
    _ok(at)
    assert any("true alignment exists only" in i.value for i in at.info)


@pytest.mark.parametrize("name", TYPED)
def test_bad_input_gets_tokens_and_a_sentence(app, name, chart):
    said = typed(app, "ed_text", BAD_TEXTS[name])
    assert all(phrase in said for phrase in SAID.get(name, ())), said
    assert chart(app, "ed_headview")["data"][1]["text"]  # the source tokens are drawn


def test_the_trained_translator_is_picked_when_present():
    at, _, trained = first_run(PAGE, "encdec", "ed_model")
    if trained:
        card = lesson.card_numbers(weights.read_card("encdec-tiny-shapes"))
        shown = next(m.value for m in at.metric if m.label == "held-out exact match")
        assert float(shown.rstrip("%")) == pytest.approx(100 * card["exact_match"], abs=0.05)


def test_a_marian_checkpoint_in_the_cache(monkeypatch, tmp_path, chart):
    """The pretrained path end to end: a small random MarianMTModel with real SentencePiece files in MMVIZ_CACHE is
    listed, translates (into nonsense) and draws its three kinds of attention; no grammar, no alignment."""
    import streamlit as st
    import torch
    import transformers
    from test_hf_marian import _config, _write_spm

    d = tmp_path / "Helsinki-NLP" / "opus-mt-en-de"
    d.mkdir(parents=True)
    vocab = _write_spm(d)
    torch.manual_seed(0)
    transformers.MarianMTModel(_config(len(vocab))).save_pretrained(d)
    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    st.cache_data.clear()
    try:
        at = AppTest.from_file(PAGE, default_timeout=180)
        at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
        at.session_state["ed_model"] = "Helsinki-NLP/opus-mt-en-de"
        at.run()
        _ok(at)
        assert at.text_area(key="ed_text").value == lesson.SAMPLES_PRETRAINED[0]
        assert any("true alignment exists only" in i.value for i in at.info)
        src = chart(at, "ed_headview")["data"][1]["text"]
        assert src[-1] == "</s>" and any(t.startswith("▁") for t in src)  # SentencePiece pieces
        for kind in ("encoder", "decoder"):
            at.segmented_control(key="ed_kind").set_value(kind).run()
            _ok(at)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
