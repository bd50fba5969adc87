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


# --------------------------------------------------------------------------- the shared helpers in Korean (issue 15)
def _sidebar_page():
    from mmviz import ui

    ui.sidebar()
    ui.st.write(f"source={ui.st.session_state.get('image_source')}")


def test_the_sidebar_speaks_korean_and_keeps_the_source_when_the_language_switches():
    at = AppTest.from_function(_sidebar_page, default_timeout=60)
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception
    assert [h.value for h in at.sidebar.subheader] == ["이미지", "오디오"]
    assert at.sidebar.caption[0].value.startswith("장치: **")
    src = at.button_group(key="image_source")
    assert src.label == "이미지 입력 방식" and src.options == ["샘플", "업로드"] and src.value == "Sample"
    assert at.button_group(key="audio_source").options == ["샘플", "업로드", "녹음"]
    assert at.button_group(key="image_sample").label == "샘플 이미지"
    src.set_value("Upload").run()  # the value is the English id; only what the switch shows is Korean
    assert at.button_group(key="image_source").value == "Upload" and at.markdown[-1].value == "source=Upload"
    assert [u.proto.label for u in at.get("file_uploader")] == ["이미지 업로드"]
    at.session_state["lang"] = "en"  # the sidebar's language switch
    at.run()
    assert not at.exception
    assert at.button_group(key="image_source").value == "Upload" and at.markdown[-1].value == "source=Upload"
    assert [h.value for h in at.sidebar.subheader] == ["Image", "Audio"]
    assert at.button_group(key="image_source").options == ["Sample", "Upload"]
    assert [u.proto.label for u in at.get("file_uploader")] == ["Upload an image"]
    at.session_state["lang"] = "ko"
    at.run()
    assert at.button_group(key="image_source").value == "Upload" and at.button_group(key="image_source").options[1] == "업로드"


def _helpers_page():
    from mmviz import ui

    st = ui.st
    ui.sidebar()
    ui.scene_composer("t", on_add=lambda: None, on_remove=lambda: None, on_reset=lambda: None)
    ui.image_sources("t", on_sidebar=lambda: None)
    ui.live_buttons("t_live", "Go")
    ui.show_code(ui.plain)
    st.markdown(ui.token_lines([["a", "<unk>"]], unknown=[["cat"]], truncated=[True]))
    st.write(f"colour={st.session_state.get('t_c_colour')}")


def test_the_shared_helpers_speak_the_session_language_and_keep_their_values():
    at = AppTest.from_function(_helpers_page, default_timeout=60).run()
    assert not at.exception  # English reads exactly as before (browser tests click on these labels)
    labels = [b.label for b in at.button]
    assert labels[:3] == ["Add scene", "Remove last", "Reset"] and labels[-2:] == ["Go", "Stop"]
    assert labels[3].startswith("Add the sidebar's image (")
    assert at.button(key="t_live_stop").label == "Stop" and at.button(key="t_live_stop").help.startswith("Any click")
    assert [s.label for s in at.selectbox] == ["Kind", "Colour", "Size", "Background"]
    assert at.selectbox(key="t_c_colour").options[:2] == ["red", "green"]
    assert at.button_group(key="t_samples").label == "Sample photos" and at.expander[0].label == "Show the code"
    assert any(m.value == "**Compose a shapes-world scene**" for m in at.markdown)
    assert any("(2 tokens) · :red[unknown to this model:] `cat` · :orange[cut at the context length]" in m.value
               for m in at.markdown)
    assert "Upload images (several at once)" in [u.proto.label for u in at.get("file_uploader")]
    at.selectbox(key="t_c_colour").set_value("blue").run()
    at.session_state["lang"] = "ko"
    at.run()
    assert not at.exception
    assert [s.label for s in at.selectbox] == ["종류", "색", "크기", "배경"]
    assert at.selectbox(key="t_c_colour").options[:2] == ["빨강 (red)", "초록 (green)"]
    assert at.selectbox(key="t_c_colour").value == "blue" and at.markdown[-1].value == "colour=blue"
    labels = [b.label for b in at.button]
    assert labels[:3] == ["장면 추가", "마지막 이미지 지우기", "처음으로"] and labels[-2:] == ["Go", "정지"]
    assert labels[3].startswith("사이드바 이미지 추가 (")
    assert at.button(key="t_live_stop").help.startswith("페이지의 아무 곳이나")
    assert at.button_group(key="t_samples").label == "샘플 사진" and at.expander[0].label == "코드 보기"
    assert any("(토큰 2개) · :red[이 모델이 모르는 단어:] `cat` · :orange[문맥 길이에서 잘림]" in m.value for m in at.markdown)
    assert "이미지 업로드 (여러 개를 한 번에)" in [u.proto.label for u in at.get("file_uploader")]
    at.session_state["lang"] = "en"
    at.run()
    assert at.selectbox(key="t_c_colour").value == "blue" and at.markdown[-1].value == "colour=blue"


def test_live_runs_refuse_in_the_asked_language():
    runs = ui.LiveRuns(max_runs=1, seconds=180.0)
    assert runs.start("a", "ko") is None
    assert runs.start("a", "ko") == "이 세션의 실행이 아직 진행 중입니다. 먼저 정지를 누르세요."
    assert runs.start("b", "ko") == "지금 학생 1명이 학습시키고 있습니다. 1분 뒤에 다시 해 보세요."
    assert runs.start("b") == "1 students are training right now; please try again in a minute."


def test_model_picker_in_korean():
    at = AppTest.from_function(_picker_page)
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception and at.selectbox(key="m").label == "모델"
    assert any("여기서는 쓸 수 없는 모델: **facebook/dino-vits16**:" in c.value for c in at.caption)


def _code_page():
    from mmviz import ui

    ui.show_code(ui.plain)
    ui.show_code(ui.plain, ui.scrub, labels=True)  # the same function again, from another line: its own box
    ui.st.button("re-run")


def test_the_code_is_drawn_only_while_its_box_is_open_and_it_stays_open():
    at = AppTest.from_function(_code_page, default_timeout=60).run()
    assert not at.exception
    assert [e.label for e in at.expander] == ["Show the code"] * 2 and not at.code  # closed: no code sent
    boxes = sorted(k for k in at.session_state.keys() if str(k).startswith("_code_"))
    assert len(boxes) == 2 and not any(at.session_state[k] for k in boxes)
    # the student opens one box, then the other: each draws its own source, under the functions' import names
    drawn = []
    for k in boxes:
        for j in boxes:
            at.session_state[j] = j == k
        drawn.append([c.value for c in at.run().code])
    drawn.sort(key=len)
    assert len(drawn[0]) == 1 and "def plain" in drawn[0][0]
    assert len(drawn[1]) == 2 and "def plain" in drawn[1][0] and "def scrub" in drawn[1][1]
    assert any(m.value == "`mmviz.ui.plain`" for m in at.markdown) == (len(at.code) == 2)
    n = len(at.code)
    at.button[0].click().run()  # another control: the open box stays open
    assert len(at.code) == n
    fresh = AppTest.from_function(_code_page, default_timeout=60)
    fresh.session_state[ui.OPEN_ALL] = True  # tests and screenshots: every box open on its first draw
    assert len(fresh.run().code) == 3
