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

from mmviz import i18n
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
from mmviz.ui.lang import lang, t
from mmviz.ui.models import device_name
from mmviz.ui.page import plain

__all__ = ["IMAGE_TYPES", "AUDIO_TYPES", "WORK_SIDE", "sidebar", "current_image", "current_audio", "sample_names",
           "sample_image", "uploaded_images", "image_sources", "uploaded_photos", "small_photo", "scene_composer"]

IMAGE_TYPES = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"]
AUDIO_TYPES = ["wav", "flac", "ogg", "mp3"]


#: the longest side of an image as the pages keep it (every lesson reads at most 512 px of its shorter side)
WORK_SIDE = 1024


@st.cache_data(max_entries=24, ttl=1800, show_spinner=False)
def _decode_image(key: str, _data: bytes):
    """Decode once per distinct file (at most WORK_SIDE px); also a small JPEG thumbnail so reruns send only that."""
    img = load_image(_data, max_side=WORK_SIDE)
    thumb = img.copy()
    thumb.thumbnail((320, 320))
    buf = io.BytesIO()
    thumb.save(buf, format="JPEG", quality=85)
    return img, buf.getvalue()


@st.cache_data(max_entries=16, ttl=1800, show_spinner=False)
def _decode_audio(key: str, _data: bytes):
    """Decode once per distinct file; also the decoded clip as WAV bytes for the player."""
    clip = decode_audio(_data)
    buf = io.BytesIO()
    sf.write(buf, clip.y, clip.sr, format="WAV", subtype="PCM_16")
    return clip, buf.getvalue()


def _forget_upload(kind: str) -> None:
    """The uploader's own change: a new file replaces the kept one at the next decode; an emptied uploader
    (its "x") forgets it."""
    if st.session_state.get(f"{kind}_upload") is None:
        st.session_state.pop(f"_{kind}_kept", None)


def _choose(kind: str, samples, default: str, types: list[str], *, record: bool = False):
    """Sidebar widgets for one input kind; returns (name, bytes) of the chosen input, the kept upload
    {"name", "key", "result"} (the uploader was empty because the student switched to Sample and back), or None.

    The source switch's values are the English ids "Sample", "Upload", "Record" in every language (only what it
    shows is translated), so a change of language keeps the student's choice."""
    sources = ["Sample", "Upload"] + (["Record"] if record else [])
    source = st.segmented_control(
        t(f"common.source_{kind}"), sources, default="Sample", key=f"{kind}_source", format_func=_shown("src"),
        label_visibility="collapsed",
    ) or "Sample"
    if source == "Sample":
        names = [p.name for p in samples]
        if not names:
            st.warning(t(f"common.no_samples_{kind}"))
            return None
        first = default if default in names else names[0]
        name = st.pills(t(f"common.sample_{kind}"), names, default=first, key=f"{kind}_sample") or first
        path = samples[names.index(name)]
        return name, path.read_bytes()
    if source == "Upload":
        up = st.file_uploader(t(f"common.upload_{kind}"),
                              type=types, key=f"{kind}_upload", on_change=_forget_upload, args=(kind,))
        if up is not None:
            return up.name, up.getvalue()
        kept = st.session_state.get(f"_{kind}_kept")
        if kept is not None:
            st.caption(t("common.upload_kept", name=plain(kept["name"])))
        return kept
    rec = st.audio_input(t("common.record"), key=f"{kind}_record")
    return ("recording.wav", rec.getvalue()) if rec is not None else None


def _decoded(kind: str, chosen, decode):
    """Decode the chosen input (cached); a bad file shows one sentence here and a warning on the page
    (:func:`current_image`). Returns (name, key, result) or None."""
    s = st.session_state
    s[kind] = None
    s.pop(f"_{kind}_rejected", None)
    if chosen is None:
        return None
    if isinstance(chosen, dict):  # the kept upload: decoded already
        return chosen["name"], chosen["key"], chosen["result"]
    name, data = chosen
    key = sha1_key(data)
    try:
        result = decode(key, data)
    except InputError as err:
        st.error(f"{plain(name)}: {plain(err.say(lang()), limit=None)}")
        s[f"_{kind}_rejected"] = {"name": name, "error": err}  # said again in the language of each later run
        return None
    if s.get(f"{kind}_source") == "Upload" and s.get(f"{kind}_upload") is not None:
        s[f"_{kind}_kept"] = {"name": name, "key": key, "result": result}  # survives Sample -> Upload and back
    return name, key, result


def sidebar() -> None:
    """The shared sidebar: the device in use and the input picker for images and audio (app.py calls it).

    Sets ``st.session_state["image"]`` and ``st.session_state["audio"]`` (None when nothing valid is chosen).
    """
    samples = list_samples()
    with st.sidebar:
        st.caption(t("common.device", device=device_name()))
        st.subheader(t("common.image"))
        got = _decoded("image", _choose("image", samples["image"], DEFAULT_IMAGE, IMAGE_TYPES), _decode_image)
        if got is not None:
            name, key, (img, thumb) = got
            st.session_state["image"] = {"name": name, "key": key, "image": img}
            w, h = img.info.get("original_size", img.size)
            st.image(thumb, caption=f"{plain(name)} · {w}×{h}", width="stretch")
        st.subheader(t("common.audio"))
        chosen = _choose("audio", samples["audio"], DEFAULT_AUDIO, AUDIO_TYPES, record=True)
        got = _decoded("audio", chosen, _decode_audio)
        if got is not None:
            name, key, (clip, wav) = got
            note = clip.say_notes(lang())
            st.session_state["audio"] = {"name": name, "key": key, "y": clip.y, "sr": clip.sr, "note": note}
            st.audio(wav, format="audio/wav")
            st.caption(t("common.audio_caption", name=plain(name), seconds=clip.y.size / clip.sr, sr=clip.sr,
                         original_sr=clip.original_sr, channels=clip.original_channels))
            if note:
                st.info(note)


def _instead(kind: str, sample: str) -> None:
    """On the page: say why the student's upload is not what the page shows (it was refused)."""
    bad = st.session_state.get(f"_{kind}_rejected")
    if bad is not None:
        why = plain(bad["error"].say(lang()), limit=None)
        st.warning(t(f"common.rejected_{kind}", name=plain(bad["name"]), why=why, sample=plain(sample)),
                   icon=":material/warning:")


def current_image() -> dict:
    """The sidebar's image, else the default sample: {"name", "key" (sha1 of the file), "image" (PIL RGB)}.

    When the student's upload was refused, a warning on the page says so (and that the sample is shown).
    """
    img = st.session_state.get("image")
    if img is None:
        img = default_image()
        _instead("image", img["name"])
    return img


def current_audio() -> dict:
    """The sidebar's clip, else the default sample: {"name", "key", "y" (T,) float32, "sr", "note"}; a refused
    upload gets a warning on the page."""
    aud = st.session_state.get("audio")
    if aud is None:
        aud = default_audio()
        _instead("audio", aud["name"])
    return aud


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
            st.error(f"{plain(up.name)}: {plain(err.say(lang()), limit=None)}")
    return out


def image_sources(key: str, *, samples_label: str | None = None, on_samples=None, on_sidebar=None,
                  args: tuple = ()) -> None:
    """Widgets that add images to a page's batch: the sample photos (pills ``{key}_samples``), a button that adds
    the sidebar's image (``{key}_add_sidebar``, calls ``on_sidebar``) and a multi-file uploader (``{key}_upload``).
    Read the uploads with :func:`uploaded_photos`.

    Args:
        key: prefix of the widget keys.
        samples_label: the pills' label (None: "Sample photos" in the session's language).
        on_samples, on_sidebar, args: the pills' ``on_change`` and the button's ``on_click``, with their arguments.
    """
    samples = sample_names("image")
    st.pills(samples_label or t("common.sample_photos"), samples, selection_mode="multi", key=f"{key}_samples",
             on_change=on_samples, args=args)
    side = st.session_state.get("image")
    if side is not None and on_sidebar is not None:
        st.button(t("common.add_sidebar_image", name=plain(side["name"], 60)), key=f"{key}_add_sidebar",
                  on_click=on_sidebar, args=args, icon=":material/add_photo_alternate:")
    st.file_uploader(t("common.upload_images"), type=IMAGE_TYPES, accept_multiple_files=True,
                     key=f"{key}_upload", on_change=_uploader_changed, args=(key,))


def _uploader_changed(key: str) -> None:
    st.session_state[f"_{key}_upload_changed"] = True


def small_photo(img: dict, side: int = 512) -> dict:
    """A copy of {"name", "key", "image"} whose image is at most ``side`` px (a batch keeps many in the session)."""
    im = img["image"].copy()
    im.thumbnail((side, side))
    return {"name": img["name"], "key": img["key"], "image": im}


def uploaded_photos(key: str) -> tuple[list[dict], bool]:
    """The files of :func:`image_sources`' uploader, decoded and small ({"name", "key", "image"} each; every bad
    one gets one ``st.error``), and whether the student changed the uploader since the last run (Streamlit also
    empties it when the student visits another page: that is no change)."""
    changed = bool(st.session_state.pop(f"_{key}_upload_changed", False))
    return [small_photo(im) for im in uploaded_images(st.session_state.get(f"{key}_upload"))], changed


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
        st.markdown(t("common.compose_scene"))
        c = [*st.columns(2), *st.columns(2)]  # two by two: a menu's value stays readable ("그라데이션 (gradient)")
        # the values stay the English words of the prompts ("a red circle"); the menus show them in the language.
        # A selectbox's browser sends back the text it showed, so the value is set again from the session (where it
        # is the word) before the menus are drawn: a label of the language before a switch never becomes the value.
        s = st.session_state
        for name in ("kind", "colour", "size", "bg"):
            if f"{key}_c_{name}" in s:
                s[f"{key}_c_{name}"] = s[f"{key}_c_{name}"]
        c[0].selectbox(t("common.c_kind"), SHAPE_KINDS, key=f"{key}_c_kind", format_func=_shown("shape"))
        c[1].selectbox(t("common.c_colour"), list(COLOURS), key=f"{key}_c_colour", format_func=_shown("colour"))
        c[2].selectbox(t("common.c_size"), list(SIZES), key=f"{key}_c_size", format_func=_shown("size"))
        c[3].selectbox(t("common.c_bg"), BACKGROUNDS, key=f"{key}_c_bg", format_func=_shown("bg"))
        b = st.container(horizontal=True, gap="small")  # each button as wide as its label (none cut at 1280 px)
        b.button(t("common.add_scene"), key=f"{key}_add", on_click=on_add, args=args, icon=":material/add:")
        b.button(t("common.remove_last"), key=f"{key}_remove", on_click=on_remove, args=args,
                 icon=":material/undo:", help=remove_help or None)
        b.button(t("common.reset"), key=f"{key}_reset", on_click=on_reset, args=args, icon=":material/restart_alt:",
                 help=reset_help or None)
        if prompt_toggle:
            st.checkbox(prompt_toggle, key=f"{key}_c_prompt")


def _shown(group: str):
    """A ``format_func`` that shows an option (an English id: "Upload", "circle", "red", ...) as catalogue key
    ``common.<group>_<option in lower case>`` in this run's language (the option itself when the catalogue lacks it).

    The language is fixed when the widget is drawn: Streamlit (and AppTest) may call the function outside the run.
    """
    code = lang()

    def show(option) -> str:
        key = f"common.{group}_{str(option).lower()}"
        return i18n.text(key, code) if i18n.has(key) else str(option)
    return show
