"""mmviz.ui: the helpers every page shares (names in "Show the code", widget state, the live-run limiter,
the model picker), outside and inside a Streamlit run (AppTest.from_function)."""

from __future__ import annotations

import time

import pytest
import torch
from streamlit.testing.v1 import AppTest

from mmviz import ui
from mmviz.audio import spectrogram
from mmviz.models import ast, layers


def test_public_name_is_the_shortest_import_path():
    assert ui.public_name(spectrogram.stft_power) == "mmviz.audio.stft_power"  # mmviz.audio exports it
    assert ui.public_name(layers.attend) == "mmviz.models.layers.attend"
    assert ui.public_name(ast.AST.patch_tokens) == "mmviz.models.ast.AST.patch_tokens"


def test_token_lines_flag_unknown_words_and_truncation():
    md = ui.token_lines([["<|startoftext|>", "a", "`x`", "<unk>"], ["b"]], unknown=[["cat"], []],
                        truncated=[False, True])
    first, second = md.split("  \n")
    assert first.startswith("**#0** `<|startoftext|>` `a` `ʼxʼ` :red-background[`<unk>`] (4 tokens)")
    assert first.endswith(" · :red[unknown to this model:] `cat`")
    assert second == "**#1** `b` (1 tokens) · :orange[cut at the context length]"


def test_live_runs_one_per_session_and_a_server_limit():
    runs = ui.LiveRuns(max_runs=2, seconds=180.0)
    assert runs.start("a") is None and runs.start("b") is None
    assert "still going" in runs.start("a")
    assert runs.start("c") == "2 students are training right now; please try again in a minute."
    runs.end("a")
    assert runs.start("c") is None
    runs.active["b"] = time.time() - 300  # a run that never reported its end is forgotten
    assert runs.start("d") is None


def test_live_run_limits_torch_threads_and_always_ends():
    before = torch.get_num_threads()
    with ui.live_run(max_runs=1, seconds=1.0, threads=1) as refusal:
        assert refusal is None and torch.get_num_threads() == 1
        with ui.live_run(max_runs=1, seconds=1.0) as again:  # the same session cannot start a second run
            assert "still going" in again
    assert torch.get_num_threads() == before
    with pytest.raises(RuntimeError), ui.live_run(max_runs=1, seconds=1.0):
        raise RuntimeError("interrupted")  # e.g. a click stops the loop
    with ui.live_run(max_runs=1, seconds=1.0) as refusal:
        assert refusal is None  # the interrupted run was unregistered


def _widgets_page():
    from mmviz import ui

    st = ui.st
    hi = st.session_state.get("hi", 9)
    ui.clamp("v", 0, hi, min(5, hi))
    st.slider("v", 0, hi, key="v")
    ui.keep_valid("c", ["a", "b"] if hi > 3 else ["b"], "b")
    st.selectbox("c", ["a", "b"] if hi > 3 else ["b"], key="c")
    ui.follow("f", st.session_state.get("model", "m1"), 1.0 if st.session_state.get("model", "m1") == "m1" else 2.0)
    st.slider("f", 0.0, 10.0, key="f")


def test_widget_state_helpers_keep_valid_values():
    at = AppTest.from_function(_widgets_page).run()
    assert at.slider(key="v").value == 5 and at.selectbox(key="c").value == "b" and at.slider(key="f").value == 1.0
    at.slider(key="v").set_value(8)
    at.selectbox(key="c").set_value("a")
    at.slider(key="f").set_value(7.0)
    at.run()
    assert at.slider(key="v").value == 8 and at.selectbox(key="c").value == "a" and at.slider(key="f").value == 7.0
    at.session_state["hi"] = 3  # the range shrinks: out-of-range values fall back to the defaults
    at.session_state["model"] = "m2"  # a new model: the followed widget starts at its value again
    at.run()
    assert not at.exception
    assert at.slider(key="v").value == 3 and at.selectbox(key="c").value == "b" and at.slider(key="f").value == 2.0


def _picker_page():
    from mmviz import ui

    info = ui.model_picker("vit", "m", untrained_note="Random weights.")
    ui.st.write(info.tier)


def test_model_picker_prefers_the_embedded_model_and_names_the_missing_ones():
    at = AppTest.from_function(_picker_page).run()
    assert not at.exception
    options = at.selectbox(key="m").options
    assert options[0].startswith("vit-tiny-shapes · ") and at.markdown[-1].value == "embedded"
    assert any("Not available here: **facebook/dino-vits16**:" in c.value for c in at.caption)
    at.selectbox(key="m").set_value("untrained").run()
    assert [i.value for i in at.info] == ["Random weights."]
