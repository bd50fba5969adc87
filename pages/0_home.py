"""Home: the one idea behind every lesson. Text, image and audio all become a token matrix (N, D)."""

from mmviz import ui
from mmviz.figures import home as figs
from mmviz.lessons import home as lesson
from mmviz.ui import st

ui.start_page()
T = ui.texts("home")


@ui.cached(max_entries=64)
def _text(text: str) -> dict:
    return lesson.text_tokens(text)


@ui.cached(max_entries=8)
def _image(key: str, _img) -> dict:
    return lesson.image_tokens(_img)


@ui.cached(max_entries=8)
def _audio(key: str, sr: int, _y) -> dict:
    return lesson.audio_tokens(_y, sr)


def _row(mod: str, t: dict, how: str) -> None:
    n, d = t["tokens"].shape
    st.metric(T("row", mod=T(f"mod_{mod}")), f"{n} × {d}", help=how)


def _how(t: dict, kind: str) -> str:
    """How the rows came about, from the lesson's numbers."""
    n = t["tokens"].shape[0]
    gh, gw, p = t["grid"]
    if kind == "image":
        return T("how_image", S=t["view"].shape[0], P=p, gh=gh, gw=gw, n=n)
    return T("how_audio", M=t["view"].shape[0], F=t["view"].shape[1], P=p, gh=gh, gw=gw, n=n)


st.title(T("title"))
st.markdown(T("intro"))
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}\right)V,"
         r"\qquad Q = XW_Q,\; K = XW_K,\; V = XW_V,\; X\in\mathbb{R}^{N\times D}")
img, aud = ui.current_image(), ui.current_audio()


@st.fragment
def _text_row() -> None:
    """Typing re-runs this row only."""
    text = st.text_input(T("text_label"), lesson.TEXT_EXAMPLE, max_chars=120, key="home_text")
    t = _text(text)
    n, c, w = len(t["tokens"]), len(t["bytes"]["chars"]), len(text.split())
    multi = int((t["bytes"]["width"][t["bytes"]["nth"] == 0] > 1).sum())  # characters of several bytes
    if ui.predict("home_q_bytes", T("q_bytes", text=ui.plain(text, 60), c=c, w=w), lo=0, hi=10_000, context=text,
                  reveal=lambda: (n, T("q_bytes_why", n=n, c=c, w=w, multi=multi))) is None:
        st.metric(T("row", mod=T("mod_text")), f"N × {t['tokens'].shape[1]}")  # the row count answers it
        st.caption(T("text_open"))
        return
    _row("text", t, T("how_text_multi" if n > c else "how_text", c=c, n=n))
    ui.chart(figs.fig_text(t), "home_text_fig")


_text_row()
t_img = _image(img["key"], _img=img["image"])
_row("image", t_img, _how(t_img, "image"))
ui.chart(figs.fig_image(t_img), "home_image_fig")
t_aud = _audio(aud["key"], aud["sr"], _y=aud["y"])
_row("audio", t_aud, _how(t_aud, "audio"))
ui.chart(figs.fig_audio(t_aud), "home_audio_fig")
st.caption(T("caption"))
st.markdown(T("lessons"))
ui.show_code(lesson.text_bytes, lesson.text_tokens, lesson.image_tokens, lesson.audio_tokens, labels=True)
