"""Home: the one idea behind every lesson. Text, image and audio all become a token matrix (N, D)."""

from mmviz import ui
from mmviz.figures import home as figs
from mmviz.lessons import home as lesson
from mmviz.ui import st

ui.start_page()


@ui.cached(max_entries=64)
def _text(text: str) -> dict:
    return lesson.text_tokens(text)


@ui.cached(max_entries=8)
def _image(key: str, _img) -> dict:
    return lesson.image_tokens(_img)


@ui.cached(max_entries=8)
def _audio(key: str, sr: int, _y) -> dict:
    return lesson.audio_tokens(_y, sr)


def _row(mod: str, t: dict) -> None:
    n, d = t["tokens"].shape
    st.metric(f"{mod}: tokens N × width D", f"{n} × {d}", help=t["how"])


st.title("Every modality becomes a sequence of tokens")
st.markdown(
    "A transformer never sees a sentence, a photo or a sound. It sees a **matrix of tokens** "
    "of shape $(N, D)$: $N$ vectors of $D$ numbers each. Text is cut into characters or "
    "word pieces, an image into patches, audio into patches of its spectrogram; each piece "
    "becomes one row. From then on the same machine, **attention**, mixes the rows: every "
    "token looks at every other token and takes a weighted average of what it finds."
)
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}\right)V,"
         r"\qquad Q = XW_Q,\; K = XW_K,\; V = XW_V,\; X\in\mathbb{R}^{N\times D}")
img, aud = ui.current_image(), ui.current_audio()


@st.fragment
def _text_row() -> None:
    """Typing re-runs this row only."""
    text = st.text_input("Text to tokenize (try Korean or an emoji: one character, several bytes)",
                         lesson.TEXT_EXAMPLE, max_chars=120, key="home_text")
    t = _text(text)
    _row("Text", t)
    ui.chart(figs.fig_text(t), "home_text_fig")


_text_row()
t_img = _image(img["key"], _img=img["image"])
_row("Image", t_img)
ui.chart(figs.fig_image(t_img), "home_image_fig")
t_aud = _audio(aud["key"], aud["sr"], _y=aud["y"])
_row("Audio", t_aud)
ui.chart(figs.fig_audio(t_aud), "home_audio_fig")
st.caption(
    "The (N, D) matrices above are made by the real tokenizers of the lessons from your "
    "inputs; the embedding weights here are untrained (seeded), because this page is about "
    "shapes. The lessons show trained weights at work."
)
st.markdown(
    "**Lessons**: *Patch tokenization* cuts your image into patches and counts the cost of "
    "attention; *Positional encoding* shows why the tokens need to know where they are; "
    "*Attention maps* shows where every head of every layer looks; *Swin windows* attends inside "
    "shifted windows to keep the cost linear; *Audio tokens* turns a sound into spectrogram patches; "
    "*CLIP similarity* puts images and sentences in one space and compares them. "
    "Pick an image or a sound in the sidebar: samples are one click away, or upload your own."
)
ui.show_code(lesson.text_bytes, lesson.text_tokens, lesson.image_tokens, lesson.audio_tokens, labels=True)
