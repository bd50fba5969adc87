"""Home: the one idea behind every lesson. Text, image and audio all become a token matrix (N, D)."""

from mmviz import ui
from mmviz.figures import home as figs
from mmviz.lessons import home as lesson
from mmviz.ui import st

ui.start_page()


@ui.cached()
def _tokens(text: str, img_key: str, _img, aud_key: str, _y, sr: int) -> dict:
    return lesson.modality_tokens(text, _img, _y, sr)


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
text = st.text_input("Text to tokenize", lesson.TEXT_EXAMPLE, max_chars=120)
toks = _tokens(text, img["key"], img["image"], aud["key"], aud["y"], aud["sr"])
for col, (mod, t) in zip(st.columns(3), toks.items()):
    col.metric(f"{mod}: tokens N × width D", f"{t['tokens'].shape[0]} × {t['tokens'].shape[1]}", help=t["how"])
ui.chart(figs.pipeline_figure(toks), "pipeline")
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
ui.show_code(lesson.modality_tokens)
