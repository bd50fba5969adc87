"""AppTest of pages/5_audio_tokens.py: every section renders from the actual arrays, the controls
change the numbers and the figures, and odd clips (long, silent, very short, 8 kHz) get a message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mmviz.inputs import default_audio

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "5_audio_tokens.py")


def _run(audio: dict | None = None, reveal: bool = True) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["audio"] = audio or default_audio()
    at.session_state["au_model"] = "ast-untrained"  # the same with or without trained weights
    at.session_state["_open_all"] = True  # every section open (they open on a click otherwise)
    if reveal:
        at.session_state["_reveal_all"] = True  # every question answered: the patch counts and grid are drawn
    return at.run()


def _clip(y: np.ndarray, name: str, sr: int = 16000) -> dict:
    return {"name": name, "key": f"test-{name}", "y": y.astype(np.float32), "sr": sr, "note": None}


@pytest.fixture(scope="module")
def app() -> AppTest:
    return _run()


def test_page_renders_every_section(app, plotly_specs, metric, heat, number):
    at = app
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Audio tokens"
    # speech.wav: 80,754 samples -> 505 centred frames at hop 160; 128 mel, 16x16 stride 10 -> 12 x 49
    assert number(at, "Samples T") == 80_754 and number(at, "Duration") == pytest.approx(5.05, abs=0.005)
    assert number(at, "Window T_w") == pytest.approx(25.0) and number(at, "Bin spacing Δf") == pytest.approx(40.0)
    assert number(at, "ENBW") == pytest.approx(60.0, abs=0.05) and metric(at, "Bins × frames") == "201×505"
    assert metric(at, "Grid F × T") == "12 × 49" and number(at, "Patches N") == 588
    assert number(at, "Tokens N + 2") == 590 and number(at, "Patch values P²") == 256
    specs = plotly_specs(at)
    assert len(specs) == 9, [s["layout"].get("title", {}).get("text") for s in specs]
    wave, stft, mel, logmel, patches, curve, seq, pred, attn = specs
    assert [t["type"] for t in stft["data"]] == ["image", "heatmap"]  # a picture of every cell under a hover grid
    assert stft["layout"]["yaxis"]["range"][1] == pytest.approx(8000 + 20)  # every bin, up to 8 kHz
    assert len(mel["data"]) == 2 and "filter %{customdata}" in mel["data"][0]["hovertemplate"]
    assert logmel["layout"]["yaxis"]["range"] == [-0.5, 127.5] and logmel["layout"]["xaxis"]["range"][1] == pytest.approx(
        504.5 * 0.01)  # 128 bands, 505 frames of 10 ms
    assert "Hz)" in logmel["layout"]["yaxis"]["ticktext"][1]  # bands named by their centre frequency
    spec_z, hover = heat(patches)
    assert patches["layout"]["xaxis"]["range"] == [-0.5, 504.5] and np.shape(hover["z"]) == (12, 49)
    assert np.asarray(hover["z"]).ravel().tolist() == list(range(588))  # frequency-major patch order
    assert len(curve["data"]) == 3 and curve["data"][2]["y"] == [590]
    assert np.shape(heat(seq)[0]["z"]) == (16, 18 * (16 + 2))  # [CLS], [DIST], 16 tiles, 2-column gaps
    assert len(pred["data"][0]["y"]) == 5
    maps = heat(attn)
    assert len(maps) == 4 and all(np.shape(h["z"]) == (5, 25) for h in maps)  # tiny AST: 4 heads, 5 x 25
    assert len(attn["layout"]["images"]) == 4
    for s in specs:
        assert any("hovertemplate" in t for t in s["data"]), s["layout"].get("title")
    text = " ".join(m.value for m in at.markdown)
    assert "12 × 101 = 1,212 patches" in text  # the AST example, from token_count(128, 1024, 16, 10)
    assert "588 patches" in text and "590 × 590" in text
    assert any("random weights" in w.value for w in at.warning)  # no trained AST yet: said plainly
    codes = "\n".join(c.value for c in at.code)
    for fn in ("def stft_power", "def mel_filterbank", "def log_mel", "def spectrogram_patches",
               "def kaldi_fbank", "def ast_features", "def embed"):
        assert fn in codes, fn


def test_controls_change_numbers_and_figures(plotly_specs, metric, heat, number):
    at = _run()
    at.select_slider(key="au_stride").set_value(16).run()
    assert not at.exception
    assert metric(at, "Grid F × T") == "8 × 31" and metric(at, "Patch overlap") == "0%"
    at.select_slider(key="au_nfft").set_value(1024).run()
    assert metric(at, "Bins × frames") == "513×505" and number(at, "Bin spacing Δf") == pytest.approx(16000 / 1024, abs=0.05)
    at.select_slider(key="au_nmels").set_value(64).run()
    specs = plotly_specs(at)
    assert specs[3]["layout"]["yaxis"]["range"] == [-0.5, 63.5]
    assert metric(at, "Grid F × T") == "4 × 31"
    at.select_slider(key="au_nfft").set_value(128).run()  # 65 FFT bins cannot feed 64 mel bands
    assert any("catch no FFT bin" in w.value for w in at.warning)
    at.select_slider(key="au_nmels").set_value(16).run()
    at.select_slider(key="au_patch").set_value(32).run()
    assert [e.value for e in at.error] == [
        "16 mel bands are fewer than one 32-band patch: choose more mel bands or a smaller patch."]
    assert not at.exception


def test_layer_slider_changes_the_attention(plotly_specs, heat):
    at = _run()
    before = [h["z"] for h in heat(plotly_specs(at)[-1])]
    at.slider(key="au_layer").set_value(0).run()
    after = [h["z"] for h in heat(plotly_specs(at)[-1])]
    assert not at.exception and before != after


def test_long_clip_is_cut_with_a_message(metric, number):
    y = np.sin(2 * np.pi * 440 * np.arange(30 * 16000) / 16000) * 0.3
    at = _run(_clip(y, "long"))
    assert not at.exception and not at.error
    assert any("30.0 s long; this lesson uses its first 10 s" in i.value for i in at.info)
    assert number(at, "Duration") == pytest.approx(10.0) and number(at, "Samples T") == 160_000
    assert metric(at, "Grid F × T") == "12 × 99"  # 1001 frames


def test_silent_clip_says_so_and_stays_finite(plotly_specs, heat):
    at = _run(_clip(np.zeros(32000), "silent"))
    assert not at.exception and not at.error
    assert any("silent" in w.value for w in at.warning)
    for s in plotly_specs(at):
        for h in heat(s):
            z = np.asarray(h["z"], dtype=float)
            title = s["layout"].get("title", {}).get("text", "")
            if title.startswith("tokens 0.."):  # NaN columns between the tiles, by design
                z = z[np.asarray(h["customdata"]) >= 0]
            assert np.isfinite(z).all(), title


def test_very_short_clip_is_padded_to_one_patch(metric):
    at = _run(_clip(np.random.default_rng(0).normal(size=1600) * 0.1, "short"))  # 0.1 s: 11 frames
    assert not at.exception and not at.error
    assert any("only 11 frames" in i.value and "5 frames" in i.value for i in at.info)
    assert metric(at, "Grid F × T") == "12 × 1"


def test_8khz_clip_is_resampled(number):
    y = np.sin(2 * np.pi * 440 * np.arange(16000) / 8000) * 0.3  # 2 s at 8 kHz
    at = _run(_clip(y, "8k", sr=8000))
    assert not at.exception and not at.error
    assert number(at, "Sample rate") == 16_000 and number(at, "Samples T") == 32_000


def test_hop_keeps_the_students_choice_whenever_it_is_valid():
    """n_fft 128 left only hops 40 and 80: the hop fell to 40 and stayed there when n_fft went back to 400."""
    at = _run()
    at.select_slider(key="au_hop").set_value(160).run()
    at.select_slider(key="au_nfft").set_value(128).run()
    assert not at.exception, at.exception
    assert at.select_slider(key="au_hop").value == 80  # 160 is not possible: the nearest hop that is
    at.select_slider(key="au_nfft").set_value(400).run()
    assert at.select_slider(key="au_hop").value == 160  # the choice comes back
    at.select_slider(key="au_nfft").set_value(256).run()
    assert at.select_slider(key="au_hop").value == 160
    at.select_slider(key="au_nfft").set_value(128).run()
    at.select_slider(key="au_hop").set_value(40).run()  # a new choice while n_fft is 128 ...
    at.select_slider(key="au_nfft").set_value(1024).run()
    assert at.select_slider(key="au_hop").value == 40  # ... is the one kept


def test_closed_sections_send_nothing_and_keep_the_controls():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["audio"] = default_audio()
    at.session_state["au_model"] = "ast-untrained"
    at.run()
    assert not at.exception, at.exception
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == ["au_wave", "au_stft"]
    at.select_slider(key="au_nfft").set_value(1024).run()
    at.session_state["au_s4"] = True
    at.run()
    assert any("S.shape = (128, 505)" in c.value for c in at.caption) and at.select_slider(key="au_nfft").value == 1024


def test_korean_interface():
    import re

    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["audio"] = default_audio()
    at.session_state["au_model"] = "ast-untrained"
    at.session_state["_open_all"] = True
    at.session_state["_reveal_all"] = True
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    hangul = re.compile(r"[\uac00-\ud7a3]")
    assert hangul.search(at.title[0].value)
    texts = [m.value for m in at.markdown if len(m.value) > 40 and not m.value.startswith("<")]
    assert texts and sum(bool(hangul.search(t)) for t in texts) > 0.8 * len(texts), texts
    assert any("토큰" in m.value and "1024" in m.value for m in at.markdown)  # the lesson's sentences, in Korean


def test_predict_patch_count_from_the_tensor(metric):
    from mmviz.lessons import audio_tokens as al

    at = _run(reveal=False)
    assert at.button(key="au_q_patches_commit").disabled
    assert "Patches N" not in [m.label for m in at.metric]  # open: the count, its formula and the grid wait
    assert "au_patches" not in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    clip = al.prepare_clip(default_audio()["y"], default_audio()["sr"])
    S = al.log_mel_lesson(clip["y"], clip["sr"], n_fft=400, hop_length=160, window="hann", n_mels=128, fmin=0.0,
                          fmax=8000.0)
    n = al.patch_lesson(S, patch=16, stride=10)["patches"].shape[0]
    at.number_input(key="au_q_patches_guess").set_value(n).run()
    at.button(key="au_q_patches_commit").click().run()
    assert not at.exception, at.exception
    assert f"{n:,}" in at.success[0].value and any(f"**{n:,}** patches" in m.value for m in at.markdown)
    assert metric(at, "Patches N") == f"{n:,}"
