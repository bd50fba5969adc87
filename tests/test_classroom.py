"""The classroom helpers of mmviz.ui (AppTest.from_function): every widget helper keeps its value in the URL and
takes it back from a link (an invalid value falls back with a note), the language, presenter mode's sections,
predict-then-reveal, the exports of a chart and a table, and the Download button of a pretrained checkpoint."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from mmviz.ui import export


def _controls_page():
    from mmviz import ui

    T = ui.texts("bert_gpt")
    ui.slider("Layer", 0, 3, key="c_layer", default=3)
    ui.selectbox("Head", [0, 1, 2, 3], key="c_head", default=0)
    ui.select_slider("Top-k", [0, 1, 5, 20], key="c_topk", default=0)
    ui.segmented("Look", ["BERT", "GPT"], key="c_look", default="BERT")
    ui.toggle("Average", key="c_avg", default=False)
    ui.number("Seed", 0, 100, key="c_seed", default=0)
    ui.slider("Temperature", 0.1, 2.0, key="c_temp", default=1.0, step=0.1)
    ui.pills("Samples", ["a.png", "b.png", "c.png"], key="c_pick", default=["a.png"], multi=True)
    ui.text_box(T("text_label"), "c_text", samples=["one two", "three"])
    ui.st.markdown(T("title"))


def _new(params: dict | None = None) -> AppTest:
    at = AppTest.from_function(_controls_page)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def test_every_control_writes_its_value_to_the_url_and_defaults_stay_out():
    at = _new()
    assert not at.exception and not dict(at.query_params)  # defaults: a short link
    at.slider(key="c_layer").set_value(1)
    at.selectbox(key="c_head").set_value(2)
    at.select_slider(key="c_topk").set_value(5)
    at.button_group(key="c_look").set_value("GPT")
    at.toggle(key="c_avg").set_value(True)
    at.number_input(key="c_seed").set_value(7)
    at.slider(key="c_temp").set_value(0.3)
    at.text_area(key="c_text").set_value("a red circle")
    at.run()
    assert not at.exception
    qp = {k: at.query_params[k] for k in at.query_params}
    assert qp == {"c_layer": ["1"], "c_head": ["2"], "c_topk": ["5"], "c_look": ["GPT"], "c_avg": ["1"],
                  "c_seed": ["7"], "c_temp": ["0.3"], "c_text": ["a red circle"]} or \
        {k: v if isinstance(v, str) else v[-1] for k, v in qp.items()} == {
            "c_layer": "1", "c_head": "2", "c_topk": "5", "c_look": "GPT", "c_avg": "1", "c_seed": "7", "c_temp": "0.3",
            "c_text": "a red circle"}
    at.slider(key="c_layer").set_value(3).run()  # back to the default: out of the link
    assert "c_layer" not in at.query_params


def test_a_link_opens_the_same_view():
    at = _new({"c_layer": "1", "c_head": "2", "c_topk": "5", "c_look": "GPT", "c_avg": "1", "c_seed": "7",
               "c_temp": "0.3", "c_text": "the purple star", "c_pick": ["b.png", "c.png"]})
    assert not at.exception and not at.toast
    assert at.slider(key="c_layer").value == 1 and at.selectbox(key="c_head").value == 2
    assert at.select_slider(key="c_topk").value == 5 and at.button_group(key="c_look").value == ["GPT"] or \
        at.button_group(key="c_look").value == "GPT"
    assert at.toggle(key="c_avg").value is True and at.number_input(key="c_seed").value == 7
    assert at.slider(key="c_temp").value == pytest.approx(0.3) and at.text_area(key="c_text").value == "the purple star"
    assert list(at.button_group(key="c_pick").value) == ["b.png", "c.png"]
    at.slider(key="c_layer").set_value(2).run()  # after the link, the student's moves win
    assert at.slider(key="c_layer").value == 2 and at.query_params["c_layer"] in ("2", ["2"])


@pytest.mark.parametrize("key, bad", [("c_layer", "9"), ("c_head", "x"), ("c_look", "T5"), ("c_avg", "maybe"),
                                      ("c_seed", "-3"), ("c_temp", "hot"), ("c_pick", "z.png")])
def test_an_invalid_or_stale_value_falls_back_with_a_note(key, bad):
    at = _new({key: bad, "c_seed": "4"} if key != "c_seed" else {key: bad})
    assert not at.exception
    notes = [t.value for t in at.toast]
    assert len(notes) == 1 and bad in notes[0] and "default" in notes[0]
    assert key not in at.query_params  # the URL is corrected
    if key != "c_seed":
        assert at.number_input(key="c_seed").value == 4  # the valid part of the link still applies


def test_korean_by_the_url_and_english_by_default():
    assert _new().markdown[-1].value == "BERT and GPT"
    at = _new({"lang": "ko"})
    assert at.markdown[-1].value == "BERT와 GPT" and at.text_area(key="c_text").label == "내 문장"
    at = _new({"lang": "xx"})
    assert at.markdown[-1].value == "BERT and GPT"


def _sections_page():
    import plotly.graph_objects as go

    from mmviz import ui

    T = ui.texts("bert_gpt")
    layer = ui.st.slider("layer", 0, 3, 1, key="layer")
    for name in ("s_tokens", "s_masks", "s_heads"):
        with ui.section(T, name, md=T(name.replace("s_", "") + "_md"), look="BERT", layer=layer, head=0) as seen:
            ui.st.write(f"body of {name}" + (" (seen)" if seen else ""))
            ui.chart(go.Figure(go.Bar(y=[1, 2])), f"fig_{name}")


def test_sections_are_expanders_whose_charts_are_drawn_only_while_open():
    at = AppTest.from_function(_sections_page).run()
    assert [e.label for e in at.expander] == ["1. Tokens: the sentence as ids", "3. Two masks, the same sentence",
                                              "4. Who looks at whom (BERT, layer 1, head 0)"]
    assert not at.subheader and not at.get("plotly_chart")  # closed: no chart is sent (the browser draws none)
    assert [m.value for m in at.markdown if m.value.startswith("body of")] == ["body of s_tokens", "body of s_masks",
                                                                                "body of s_heads"]  # every body runs
    at.session_state["sec_bert_gpt_s_heads"] = True  # the student opens section 4
    at.run()
    assert [c.proto.id.rsplit("-", 1)[1] for c in at.get("plotly_chart")] == ["fig_s_heads"]
    assert [m.value for m in at.markdown if m.value.startswith("body of")] == [  # `as seen`: whether it is open
        "body of s_tokens", "body of s_masks", "body of s_heads (seen)"]
    at.slider(key="layer").set_value(2).run()  # its title changes with the layer: it stays open
    assert at.expander[2].label == "4. Who looks at whom (BERT, layer 2, head 0)"
    assert [c.proto.id.rsplit("-", 1)[1] for c in at.get("plotly_chart")] == ["fig_s_heads"]
    fresh = AppTest.from_function(_sections_page)
    fresh.session_state["_open_all"] = True  # tests and screenshots: every section open on its first draw
    assert len(fresh.run().get("plotly_chart")) == 3


def test_sections_show_one_at_a_time_in_presenter_mode_and_draw_only_its_charts():
    at = AppTest.from_function(_sections_page)
    at.query_params["present"] = "1"
    at.query_params["s"] = "2"
    at.run()
    assert not at.exception and len(at.subheader) == 3  # every section runs (CSS hides all but the shown one)
    assert [m.value for m in at.markdown if m.value.startswith("body of")] == [
        "body of s_tokens", "body of s_masks (seen)", "body of s_heads"]
    assert [c.proto.id.rsplit("-", 1)[1] for c in at.get("plotly_chart")] == ["fig_s_masks"]  # the shown one's chart
    html = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-mmsec-bert_gpt-1)" in html  # the second section is the one left visible
    assert at.button(key="present_next").proto.shortcut.lower() == "right" and at.button(key="present_prev").proto.shortcut.lower() \
        == "left"
    at.button(key="present_next").click().run()
    assert at.query_params["s"] in ("3", ["3"])
    at.button(key="present_next").click().run()  # the last section stays the last
    assert at.query_params["s"] in ("3", ["3"]) and at.button(key="present_next") is not None
    at.button(key="present_prev").click().run()
    at.button(key="present_prev").click().run()
    assert "s" not in at.query_params  # the first section: no parameter


def _gated_page():
    from mmviz import ui

    if ui.predict("q3", "How many?", lo=0, hi=100, reveal=lambda: (64, "8 × 8 = 64"), context="img") is not None:
        ui.st.metric("tokens", 64)


def test_what_gives_the_answer_away_waits_for_the_answer_or_a_skip():
    at = AppTest.from_function(_gated_page).run()
    assert not at.metric  # the question is open: the metric that answers it is not drawn
    at.button(key="q3_skip").click().run()
    assert at.metric[0].value == "64" and "64" in at.info[0].value and not at.success and not at.warning
    at.button(key="q3_again").click().run()
    assert not at.metric
    at = AppTest.from_function(_gated_page)
    at.session_state[ui_reveal_all()] = True  # tests and screenshots: every question shown as skipped
    at.run()
    assert at.metric[0].value == "64"


def ui_reveal_all() -> str:
    from mmviz.ui.predict import REVEAL_ALL

    return REVEAL_ALL


def _parts_page():
    from mmviz import ui

    for k in (1, 2, 3):
        @ui.part(f"{k}. Part {k}", f"pp_s{k}", expanded=k == 1)
        def _():
            ui.st.session_state.setdefault("_ran", []).append(k)
            ui.st.write(f"body of part {k}")


def test_parts_show_one_at_a_time_open_in_presenter_mode_and_compute_only_that_one():
    at = AppTest.from_function(_parts_page).run()
    assert len(at.expander) == 3 and not at.subheader and not at.button  # expanders, first open; no pager
    at = AppTest.from_function(_parts_page)
    at.query_params["present"] = "1"
    at.query_params["s"] = "2"
    at.run()
    assert not at.exception and not at.expander
    assert [h.value for h in at.subheader] == ["2. Part 2"]  # the shown part, open, under the pager
    assert [m.value for m in at.markdown if m.value.startswith("body")] == ["body of part 2"]
    assert set(at.session_state["_ran"]) == {2}  # the parts not shown computed nothing
    at.button(key="present_next").click().run()
    assert [h.value for h in at.subheader] == ["3. Part 3"] and at.query_params["s"] in ("3", ["3"])
    at.button(key="present_prev").click().run()
    at.button(key="present_prev").click().run()
    assert [h.value for h in at.subheader] == ["1. Part 1"] and "s" not in at.query_params


def _predict_page():
    from mmviz import ui

    ui.predict("q1", "How many?", lo=0, hi=100, reveal=lambda: (64, "8 × 8 = 64"), context="img")
    ui.predict("q2", "Which?", options=["a", "b"], reveal=lambda: ("b", "because b"), context="img")


def test_predict_then_reveal():
    at = AppTest.from_function(_predict_page).run()
    assert at.button(key="q1_commit").disabled and not at.success and not at.warning
    at.number_input(key="q1_guess").set_value(64).run()
    at.button(key="q1_commit").click().run()
    assert "64" in at.success[0].value and any("8 × 8 = 64" in m.value for m in at.markdown)
    at.radio(key="q2_guess").set_value("a").run()
    at.button(key="q2_commit").click().run()
    assert "b" in at.warning[0].value and any("because b" in m.value for m in at.markdown)
    at.button(key="q2_again").click().run()
    assert not at.warning and not at.button(key="q2_commit").disabled


def _chart_page():
    import numpy as np

    from mmviz import ui
    from mmviz.figures.common import heatmap

    ui.chart(heatmap(np.eye(3), xtitle="key token", ytitle="query token", title="query token"), "c_map",
             numbers={"attention": np.eye(3)})
    ui.table([{"a": 1, "b": 2.5}, {"a": 3, "b": 4.0}], key="c_table")


def test_a_chart_is_translated_sized_for_the_projector_and_exported():
    at = AppTest.from_function(_chart_page).run()
    assert {b.proto.id.split("-")[-1] for b in at.get("download_button")} >= {"c_map__html", "c_map__npz",
                                                                              "c_table__csv"}
    import json

    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    from mmviz.figures.common import LAYOUT

    assert spec["layout"]["title"]["text"] == "query token" and spec["layout"]["font"] == LAYOUT["font"]
    at = AppTest.from_function(_chart_page)
    at.query_params["lang"] = "ko"
    at.query_params["present"] = "1"
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    lay = spec["layout"]
    assert lay["title"]["text"] == "쿼리 토큰" and lay["xaxis"]["title"]["text"] == "키 토큰"
    assert lay["font"]["size"] >= 16 and lay["xaxis"]["tickfont"]["size"] >= 14 and lay["title"]["font"]["size"] >= 18


def test_export_files_are_what_they_say():
    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    html = export.figure_html(fig.to_dict())
    assert "<html>" in html[:50] and "plotly" in html.lower() and len(html) > 1_000_000  # plotly.js inside
    npz = np.load(io.BytesIO(export.numbers_npz({"a": np.eye(2), "b": [1, 2]})))
    assert np.array_equal(npz["a"], np.eye(2)) and list(npz["b"]) == [1, 2]
    assert export.rows_csv([{"x": 1, "y": "a,b"}]).splitlines() == ["x,y", '1,"a,b"']
    assert zipfile.is_zipfile(io.BytesIO(export.numbers_npz({"a": np.ones(3)})))


def _download_page():
    from mmviz import ui

    ui.download_offer("facebook/dino-vits16")


def test_the_download_button_fetches_with_the_cli_code(tmp_path, monkeypatch):
    import huggingface_hub

    calls = []

    def fake(repo_id, local_dir, **kw):
        calls.append(repo_id)
        (local_dir / "config.json").write_text("{}")
        (local_dir / "model.safetensors").write_bytes(b"0" * 100)
        return str(local_dir)

    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake)
    at = AppTest.from_function(_download_page).run()
    button = at.button(key="download_facebook/dino-vits16")
    assert "87 MB" in button.label
    button.click().run(timeout=60)
    assert not at.exception and calls == ["facebook/dino-vits16"]
    assert (tmp_path / "facebook" / "dino-vits16" / "config.json").is_file()


def test_the_download_refuses_in_one_sentence_offline(tmp_path, monkeypatch):
    import huggingface_hub

    def offline(**kw):
        raise OSError("no network")

    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    at = AppTest.from_function(_download_page).run()
    at.button(key="download_facebook/dino-vits16").click().run(timeout=60)
    assert not at.exception
    (w,) = at.warning
    assert "could not be downloaded" in w.value and "Are you online?" in w.value


def test_downloads_can_be_switched_off_for_a_shared_server(monkeypatch):
    monkeypatch.setenv("MMVIZ_DOWNLOADS", "off")
    at = AppTest.from_function(_download_page).run()
    assert not at.button and "python -m mmviz.download facebook/dino-vits16" in at.caption[0].value


def _picker_page():
    from mmviz import ui

    ui.model_picker("vit", "c_model")


def test_the_model_picker_offers_each_missing_checkpoint_one_click_away(tmp_path, monkeypatch):
    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))  # an empty cache: no pretrained ViT is here
    at = AppTest.from_function(_picker_page).run()
    assert not at.exception and at.selectbox(key="c_model").value == "vit-tiny-shapes"
    keys = {b.key for b in at.button}
    assert {"download_facebook/dino-vits16", "download_google/vit-base-patch16-224"} <= keys
    monkeypatch.setenv("MMVIZ_DOWNLOADS", "off")  # a shared server: the caption names the command instead
    at = AppTest.from_function(_picker_page).run()
    assert not [b for b in at.button if b.key.startswith("download_")]
    assert "python -m mmviz.download facebook/dino-vits16" in " ".join(c.value for c in at.caption)
