"""mmviz: the entry point. Page config, the shared sidebar, and navigation over the lessons.

Run with ``streamlit run app.py``. Every lesson is a thin script in ``pages/``; all the
computation lives in the ``mmviz`` package (which never imports streamlit).
"""

from __future__ import annotations

import inspect
import io

import soundfile as sf
import streamlit as st

from mmviz.device import device_label, pick_device
from mmviz.figures.common import CONFIG
from mmviz.inputs import (
    DEFAULT_AUDIO,
    DEFAULT_IMAGE,
    InputError,
    decode_audio,
    list_samples,
    load_image,
    sha1_key,
)

st.set_page_config(page_title="mmviz: transformers, token by token", page_icon=":material/token:", layout="wide")

IMAGE_TYPES = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"]
AUDIO_TYPES = ["wav", "flac", "ogg", "mp3"]


# ---------------------------------------------------------------------------------------------
# Decoding: cached by the sha1 of the bytes, so every page and every rerun shares one decode.
# ---------------------------------------------------------------------------------------------
@st.cache_resource
def _device():
    return pick_device()


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _decode_image(key: str, _data: bytes):
    """Decode once per distinct file; also a small JPEG thumbnail so reruns send only that."""
    img = load_image(_data)
    thumb = img.copy()
    thumb.thumbnail((320, 320))
    buf = io.BytesIO()
    thumb.save(buf, format="JPEG", quality=85)
    return img, buf.getvalue()


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def _decode_audio(key: str, _data: bytes):
    """Decode once per distinct file; also the decoded clip as WAV bytes for the player."""
    clip = decode_audio(_data)
    buf = io.BytesIO()
    sf.write(buf, clip.y, clip.sr, format="WAV", subtype="PCM_16")
    return clip, buf.getvalue()


def _choose(kind: str, samples, default: str, types: list[str], *, record: bool = False) -> tuple[str, bytes] | None:
    """Sidebar widgets for one input kind; returns (name, bytes) of the chosen input."""
    sources = ["Sample", "Upload"] + (["Record"] if record else [])
    source = st.segmented_control(
        f"{kind.title()} source", sources, default="Sample", key=f"{kind}_source",
        label_visibility="collapsed",
    ) or "Sample"
    if source == "Sample":
        names = [p.name for p in samples]
        if not names:
            st.warning(f"No sample {kind}s were found in assets/samples/.")
            return None
        first = default if default in names else names[0]
        name = st.pills(f"Sample {kind}", names, default=first, key=f"{kind}_sample") or first
        path = samples[names.index(name)]
        return name, path.read_bytes()
    if source == "Upload":
        up = st.file_uploader(f"Upload an {kind}" if kind[0] in "aeiou" else f"Upload a {kind}",
                              type=types, key=f"{kind}_upload")
        return (up.name, up.getvalue()) if up is not None else None
    rec = st.audio_input("Record from the microphone", key=f"{kind}_record")
    return ("recording.wav", rec.getvalue()) if rec is not None else None


def _decoded(kind: str, chosen: tuple[str, bytes] | None, decode):
    """Decode the chosen input (cached); a bad file shows one sentence. Returns (name, key, result)."""
    st.session_state[kind] = None
    if chosen is None:
        return None
    name, data = chosen
    key = sha1_key(data)
    try:
        return name, key, decode(key, data)
    except InputError as err:
        st.error(f"{name}: {err}")
        return None


def sidebar() -> None:
    """The shared sidebar: the device in use and the input picker for images and audio.

    Sets ``st.session_state["image"]`` = {"name", "key", "image"} and
    ``st.session_state["audio"]`` = {"name", "key", "y", "sr", "note"} for the pages.
    """
    samples = list_samples()
    with st.sidebar:
        st.caption(f"Device: **{device_label(_device())}**")
        st.subheader("Image")
        got = _decoded("image", _choose("image", samples["image"], DEFAULT_IMAGE, IMAGE_TYPES), _decode_image)
        if got is not None:
            name, key, (img, thumb) = got
            st.session_state["image"] = {"name": name, "key": key, "image": img}
            st.image(thumb, caption=f"{name} · {img.width}×{img.height}", width="stretch")
        st.subheader("Audio")
        chosen = _choose("audio", samples["audio"], DEFAULT_AUDIO, AUDIO_TYPES, record=True)
        got = _decoded("audio", chosen, _decode_audio)
        if got is not None:
            name, key, (clip, wav) = got
            st.session_state["audio"] = {"name": name, "key": key, "y": clip.y, "sr": clip.sr,
                                         "note": clip.note}
            st.audio(wav, format="audio/wav")
            st.caption(f"{name} · {clip.y.size / clip.sr:.2f} s at {clip.sr} Hz"
                       f" (from {clip.original_sr} Hz, {clip.original_channels} channel(s))")
            if clip.note:
                st.info(clip.note)


def home() -> None:
    """The home page: the one idea behind every lesson."""
    from mmviz.figures.pipeline import pipeline_figure
    from mmviz.inputs import default_audio, default_image
    from mmviz.pipeline import TEXT_EXAMPLE, modality_tokens

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
    img = st.session_state.get("image") or default_image()
    aud = st.session_state.get("audio") or default_audio()
    text = st.text_input("Text to tokenize", TEXT_EXAMPLE, max_chars=120)
    toks = _home_tokens(text, img["key"], img["image"], aud["key"], aud["y"], aud["sr"])
    cols = st.columns(3)
    for col, (mod, t) in zip(cols, toks.items()):
        col.metric(f"{mod}: tokens N × width D", f"{t['tokens'].shape[0]} × {t['tokens'].shape[1]}",
                   help=t["how"])
    st.plotly_chart(pipeline_figure(toks), key="pipeline", config=CONFIG)
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
    with st.expander("Show the code"):
        st.code(inspect.getsource(modality_tokens), language="python")


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _home_tokens(text: str, img_key: str, _img, aud_key: str, _y, sr: int):
    from mmviz.pipeline import modality_tokens

    return modality_tokens(text, _img, _y, sr)


sidebar()
nav = st.navigation(
    [
        st.Page(home, title="Tokens everywhere", icon=":material/token:", default=True),
        st.Page("pages/1_patch_tokenization.py", title="Patch tokenization", icon=":material/grid_on:"),
        st.Page("pages/2_positional_encoding.py", title="Positional encoding", icon=":material/pin_drop:"),
        st.Page("pages/3_attention_maps.py", title="Attention maps", icon=":material/visibility:"),
        st.Page("pages/4_swin_windows.py", title="Swin windows", icon=":material/grid_view:"),
        st.Page("pages/5_audio_tokens.py", title="Audio tokens", icon=":material/graphic_eq:"),
        st.Page("pages/6_clip_similarity.py", title="CLIP similarity", icon=":material/join_inner:"),
    ]
)
nav.run()
