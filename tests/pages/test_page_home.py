"""AppTest of the shell (app.py): sidebar input picker and the home page (pages/0_home.py)."""

import re

from streamlit.testing.v1 import AppTest

from mmviz.ui.page import OPEN_ALL
from mmviz.ui.predict import REVEAL_ALL


def _app(reveal: bool = True) -> AppTest:
    at = AppTest.from_file("../../app.py", default_timeout=120)
    if reveal:
        at.session_state[REVEAL_ALL] = True  # the question answered: the text's token matrix is drawn
        at.session_state[OPEN_ALL] = True  # every "Show the code" open (drawn when opened otherwise)
    at.run()
    assert not at.exception, at.exception
    return at


def test_home_shows_three_token_matrices_from_the_inputs(chart, metric):
    at = _app()
    assert at.title[0].value == "Every modality becomes a sequence of tokens"
    assert at.session_state["image"]["name"] == "chelsea.png"
    assert at.session_state["audio"]["name"] == "speech.wav"
    text = at.text_input[0].value
    assert metric(at, "Text: tokens N × width D") == f"{len(text.encode())} × 64"
    assert metric(at, "Image: tokens N × width D") == "196 × 64"
    n_audio = int(metric(at, "Audio: tokens N × width D").split(" × ")[0])
    for key, n in (("home_text_fig", len(text.encode())), ("home_image_fig", 196), ("home_audio_fig", n_audio)):
        spec = chart(at, key)
        # the token matrix X (N, D) fills the right panel: a picture under a hover grid
        assert spec["layout"]["yaxis2"]["range"] == [n - 0.5, -0.5] and spec["layout"]["xaxis2"]["range"] == [-0.5, 63.5]
        tokens = [t for t in spec["data"] if t.get("xaxis") == "x2"]
        assert [t["type"] for t in tokens] == ["image", "heatmap"] and "token" in tokens[1]["hovertemplate"]
        # every trace but the grid lines and the pictures under a hover grid has hover text
        assert all("hovertemplate" in t for t in spec["data"] if t["type"] not in ("scatter", "image"))
    codes = "\n".join(c.value for c in at.code)
    assert "def text_bytes" in codes and "def image_tokens" in codes and "def audio_tokens" in codes


def test_korean_text_shows_its_bytes_grouped_by_character(chart, metric):
    at = _app()
    at.text_input(key="home_text").set_value("한국 a").run()
    assert not at.exception
    assert metric(at, "Text: tokens N × width D") == "8 × 64"  # 3 + 3 bytes, a space, an "a"
    heat = chart(at, "home_text_fig")["data"][0]
    cells = [c for row in heat["text"] for c in row if c]
    assert cells == ["<b>한</b><br>ED", "<b>…</b><br>95", "<b>…</b><br>9C", "<b>국</b><br>EA", "<b>…</b><br>B5",
                     "<b>…</b><br>AD", "<b>␣</b><br>20", "<b>a</b><br>61"]
    assert not any("�" in c for c in cells)  # no byte is decoded on its own
    assert heat["customdata"][0][1] == ["1", "95", "byte 2 of 3", "한", "U+D55C"]
    layout = chart(at, "home_text_fig")["layout"]
    assert layout["xaxis"]["ticktext"][:3] == ["+0", "+1", "+2"] and layout["yaxis"]["ticktext"] == ["0"]


def test_changing_the_text_changes_the_token_count(metric):
    at = _app()
    at.text_input(key="home_text").set_value("héllo").run()
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


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_korean_by_the_url(chart, metric):
    at = AppTest.from_file("../../app.py", default_timeout=120)
    at.session_state[REVEAL_ALL] = True
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "모든 모달리티는 토큰(token)의 시퀀스가 됩니다"
    prose = [m.value for m in at.markdown if not m.value.startswith("`")]  # not the code labels
    assert prose and sum(bool(HANGUL.search(m)) for m in prose) >= 0.8 * len(prose), prose
    assert metric(at, "텍스트: 토큰 수 N × 너비 D").endswith("× 64")
    assert chart(at, "home_image_fig")["layout"]["title"]["text"].startswith("이미지: ")


def test_predict_the_byte_tokens_then_reveal(metric):
    at = _app(reveal=False)
    at.text_input(key="home_text").set_value("한국 ab").run()
    assert at.button(key="home_q_bytes_commit").disabled and not at.success
    assert metric(at, "Text: tokens N × width D") == "N × 64"  # the row count is the answer: not drawn yet
    assert "home_text_fig" not in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    at.number_input(key="home_q_bytes_guess").set_value(4).run()  # one per character (or word): wrong
    at.button(key="home_q_bytes_commit").click().run()
    assert not at.exception, at.exception
    n = len("한국 ab".encode())  # 3 + 3 + 1 + 1 + 1 = 9 bytes, the token matrix's rows
    assert f"the tensors say {n}" in at.warning[0].value
    assert any(f"The token matrix has {n} rows" in m.value and "2 of the 5 characters" in m.value for m in at.markdown)
    assert metric(at, "Text: tokens N × width D") == f"{n} × 64"
    at.text_input(key="home_text").set_value("abc").run()  # another text: the question is asked again
    assert not at.warning and not at.button(key="home_q_bytes_commit").disabled
