"""AppTest of the shell (app.py): sidebar input picker and the home page (pages/0_home.py)."""

from streamlit.testing.v1 import AppTest


def _app() -> AppTest:
    at = AppTest.from_file("../../app.py", default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_home_shows_three_token_matrices_from_the_inputs(plotly_specs, metric):
    at = _app()
    assert at.title[0].value == "Every modality becomes a sequence of tokens"
    assert at.session_state["image"]["name"] == "chelsea.png"
    assert at.session_state["audio"]["name"] == "speech.wav"
    text = at.text_input[0].value
    assert metric(at, "Text: tokens N × width D") == f"{len(text.encode())} × 64"
    assert metric(at, "Image: tokens N × width D") == "196 × 64"
    spec = plotly_specs(at)[0]
    token_mats = [t for t in spec["data"] if t["type"] == "heatmap" and "token %{y}" in t["hovertemplate"]]
    n_audio = int(metric(at, "Audio: tokens N × width D").split(" × ")[0])
    assert [len(h["z"]) for h in token_mats] == [len(text.encode()), 196, n_audio]
    assert all(len(h["z"][0]) == 64 for h in token_mats)
    # every trace but the grid lines has hover text
    assert all("hovertemplate" in t for t in spec["data"] if t["type"] != "scatter")
    assert "def modality_tokens" in at.code[0].value


def test_changing_the_text_changes_the_token_count(metric):
    at = _app()
    at.text_input[0].set_value("héllo").run()
    assert not at.exception
    assert metric(at, "Text: tokens N × width D") == "6 × 64"


def test_picking_another_sample_changes_the_shared_input():
    at = _app()
    # AppTest starts every run in Streamlit's pages/-folder mode (as a cold server does): the first run shows
    # app.py as that mode's main page, a rerun runs pages/0_home.py on its own until ui.start_page() hands over
    # to app.py. The sidebar's widgets get other ids on that rerun (the ids a browser keeps), so the change
    # below is made on them.
    at.run()
    pills = [w for w in at.get("button_group") if "astronaut.png" in str(w.proto)]
    assert pills, "the sample image pills are missing"
    pills[0].set_value("astronaut.png").run()
    assert not at.exception
    assert at.session_state["image"]["name"] == "astronaut.png"
    assert at.session_state["image"]["image"].size == (512, 512)
