"""The shared sidebar (sample / upload / record an image and a clip) and what pages read from it.

Decoding is cached by the sha1 of the bytes, so every page and every rerun shares one decode; a
bad file gets one sentence (``st.error``), never a traceback. The chosen inputs live in
``st.session_state["image"]`` = {"name", "key", "image"} and ``st.session_state["audio"]`` =
{"name", "key", "y", "sr", "note"}; pages read them with :func:`current_image` / :func:`current_audio`.
"""

from __future__ import annotations

import io

import soundfile as sf
import streamlit as st

from mmviz.data.shapes import BACKGROUNDS, COLOURS, SHAPE_KINDS, SIZES
from mmviz.inputs import (
    DEFAULT_AUDIO,
    DEFAULT_IMAGE,
    InputError,
    decode_audio,
    default_audio,
    default_image,
    list_samples,
    load_image,
    sha1_key,
)
from mmviz.ui.models import device_name

__all__ = ["IMAGE_TYPES", "AUDIO_TYPES", "sidebar", "current_image", "current_audio", "sample_names",
           "sample_image", "uploaded_images", "image_sources", "chosen_images", "scene_composer"]

IMAGE_TYPES = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"]
AUDIO_TYPES = ["wav", "flac", "ogg", "mp3"]


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
    """The shared sidebar: the device in use and the input picker for images and audio (app.py calls it).

    Sets ``st.session_state["image"]`` and ``st.session_state["audio"]`` (None when nothing valid is chosen).
    """
    samples = list_samples()
    with st.sidebar:
        st.caption(f"Device: **{device_name()}**")
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


def current_image() -> dict:
    """The sidebar's image, else the default sample: {"name", "key" (sha1 of the file), "image" (PIL RGB)}."""
    return st.session_state.get("image") or default_image()


def current_audio() -> dict:
    """The sidebar's clip, else the default sample: {"name", "key", "y" (T,) float32, "sr", "note"}."""
    return st.session_state.get("audio") or default_audio()


def sample_names(kind: str = "image") -> list[str]:
    """File names of the bundled samples of one kind ("image" or "audio")."""
    return [p.name for p in list_samples()[kind]]


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _sample_bytes(name: str) -> tuple[str, bytes]:
    path = next(p for p in list_samples()["image"] if p.name == name)
    data = path.read_bytes()
    return sha1_key(data), data


def sample_image(name: str) -> dict:
    """A bundled sample image by file name: {"name", "key", "image"} (decoded once, cached)."""
    key, data = _sample_bytes(name)
    return {"name": name, "key": key, "image": _decode_image(key, data)[0]}


def uploaded_images(files) -> list[dict]:
    """Decode the files of a multi-file ``st.file_uploader``: {"name", "key", "image"} for each good one;
    every bad one gets one ``st.error`` sentence."""
    out = []
    for up in files or []:
        data = up.getvalue()
        key = sha1_key(data)
        try:
            out.append({"name": up.name, "key": key, "image": _decode_image(key, data)[0]})
        except InputError as err:
            st.error(f"{up.name}: {err}")
    return out


def image_sources(key: str, *, samples_label: str = "Sample photos", on_samples=None, args: tuple = ()) -> None:
    """Widgets that add images to a page's batch: the sample photos (pills ``{key}_samples``), the sidebar's
    image (toggle ``{key}_use_sidebar``, on by default when it holds the student's own upload) and a
    multi-file uploader (``{key}_upload``). Read the sidebar's image and the uploads with :func:`chosen_images`.

    Args:
        key: prefix of the widget keys.
        samples_label: the pills' label.
        on_samples, args: the pills' ``on_change`` callback and its arguments.
    """
    samples = sample_names("image")
    st.pills(samples_label, samples, selection_mode="multi", key=f"{key}_samples", on_change=on_samples, args=args)
    side = st.session_state.get("image")
    if side is not None:
        if f"{key}_use_sidebar" not in st.session_state:
            st.session_state[f"{key}_use_sidebar"] = side["name"] not in samples
        st.toggle(f"Add the sidebar's image ({side['name']})", key=f"{key}_use_sidebar")
    st.file_uploader("Upload images (several at once)", type=IMAGE_TYPES, accept_multiple_files=True,
                     key=f"{key}_upload")


def chosen_images(key: str) -> list[dict]:
    """The images chosen with :func:`image_sources` besides the samples: the sidebar's (when its toggle is on),
    then the uploads, each {"name", "key", "image", "photo": True}; every bad upload gets one ``st.error``."""
    side = st.session_state.get("image")
    out = [{**side, "name": f"{side['name']} (sidebar)"}] if side is not None and st.session_state.get(
        f"{key}_use_sidebar") else []
    return [{**im, "photo": True} for im in out + uploaded_images(st.session_state.get(f"{key}_upload"))]


def scene_composer(key: str, *, on_add, on_remove, on_reset, args: tuple = (), remove_help: str = "",
                   reset_help: str = "", prompt_toggle: str | None = None) -> None:
    """A framed composer of one shapes-world scene (mmviz.data.shapes): kind, colour, size and background
    (selectboxes ``{key}_c_kind``, ``{key}_c_colour``, ``{key}_c_size``, ``{key}_c_bg``) and the buttons Add
    scene, Remove last and Reset (``{key}_add``, ``{key}_remove``, ``{key}_reset``) whose callbacks the page gives.

    Args:
        key: prefix of the widget keys.
        on_add, on_remove, on_reset: the buttons' callbacks, called with ``args``.
        remove_help, reset_help: the buttons' tooltips.
        prompt_toggle: label of a checkbox ``{key}_c_prompt`` under the buttons (None: no checkbox).
    """
    with st.container(border=True):
        st.markdown("**Compose a shapes-world scene**")
        c = st.columns(4)
        c[0].selectbox("Kind", SHAPE_KINDS, key=f"{key}_c_kind")
        c[1].selectbox("Colour", list(COLOURS), key=f"{key}_c_colour")
        c[2].selectbox("Size", list(SIZES), key=f"{key}_c_size")
        c[3].selectbox("Background", BACKGROUNDS, key=f"{key}_c_bg")
        b = st.columns([1, 1.25, 1])
        b[0].button("Add scene", key=f"{key}_add", on_click=on_add, args=args, icon=":material/add:")
        b[1].button("Remove last", key=f"{key}_remove", on_click=on_remove, args=args, icon=":material/undo:",
                    help=remove_help or None)
        b[2].button("Reset", key=f"{key}_reset", on_click=on_reset, args=args, icon=":material/restart_alt:",
                    help=reset_help or None)
        if prompt_toggle:
            st.checkbox(prompt_toggle, key=f"{key}_c_prompt")
