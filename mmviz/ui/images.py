"""Images on a page: one image picked from a shapes-world scene, the sidebar or a file, an image generated on a
button press (one per session, a few on the server) and played as an animation of it growing token by token.

The composed scenes live in ``st.session_state[f"{key}_scenes"]`` (a stack of (kind, colour, size, background);
"Add scene" pushes, "Remove last" pops, "Reset" goes back to the first); the page gives the function that draws
a scene, so this module needs no lesson.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from mmviz.device import torch_threads
from mmviz.figures.common import growth_gif
from mmviz.ui.inputs import IMAGE_TYPES, current_image, sample_names, scene_composer, uploaded_images
from mmviz.ui.lang import t
from mmviz.ui.live import live_run
from mmviz.ui.state import segmented

__all__ = ["SOURCES", "image_picker", "replay", "generate_button", "generation"]

SOURCES = ("Shapes-world scene", "Sidebar image", "Upload here")
#: their names on the page (catalogue keys)
_SOURCE_TEXT = dict(zip(SOURCES, ("common.picker_src_scene", "common.picker_src_sidebar", "common.picker_src_upload")))


def _spec(key: str) -> tuple[str, str, str, str]:
    s = st.session_state
    return s[f"{key}_c_kind"], s[f"{key}_c_colour"], s[f"{key}_c_size"], s[f"{key}_c_bg"]


def _push(key: str) -> None:
    st.session_state[f"{key}_scenes"] = [*st.session_state[f"{key}_scenes"], _spec(key)]


def _pop(key: str) -> None:
    st.session_state[f"{key}_scenes"] = st.session_state[f"{key}_scenes"][:-1] or st.session_state[f"{key}_scenes"]


def _reset(key: str, first: tuple[str, str, str, str]) -> None:
    st.session_state[f"{key}_scenes"] = [first]


def image_picker(key: str, *, draw_scene: Callable[..., tuple[np.ndarray, str, bool]],
                 first: tuple[str, str, str, str] = ("circle", "red", "large", "plain")) -> dict | None:
    """Choose one image: a composed shapes-world scene, the sidebar's image (a sample or the student's upload) or a
    file uploaded here. The source is a segmented control ``{key}_source``; the composer's widgets are
    ``{key}_c_*`` (see ``scene_composer``), the uploader ``{key}_upload``.

    Args:
        key: prefix of the widget keys.
        draw_scene: ``draw_scene(kind, colour, size, background, seed)`` -> ((S, S, 3) uint8, caption, whether the
            colour is the chosen one); cache it on the page.
        first: the scene shown first (and after Reset).

    Returns:
        {"name", "key", "image" (PIL image or (H, W, 3) uint8)}, or None (nothing uploaded yet, or a bad file: its
        sentence is shown).
    """
    s = st.session_state
    if f"{key}_scenes" not in s:
        s[f"{key}_scenes"] = [first]
        for part, value in zip(("kind", "colour", "size", "bg"), first):
            s.setdefault(f"{key}_c_{part}", value)
    if f"{key}_source" not in s:  # the student's own upload in the sidebar comes first
        side = s.get("image")
        s[f"{key}_source"] = SOURCES[1] if side is not None and side["name"] not in sample_names() else SOURCES[0]
    source = segmented("Image", SOURCES, key=f"{key}_source", default=SOURCES[0], label_visibility="collapsed",
                       format_func=lambda o: t(_SOURCE_TEXT[o]))
    if source == SOURCES[0]:
        scene_composer(key, on_add=_push, on_remove=_pop, on_reset=_reset, args=(key,),
                       remove_help=t("common.picker_remove_help"), reset_help=t("common.picker_reset_help"))
        scenes = s[f"{key}_scenes"]
        spec = scenes[-1]
        img, caption, exact = draw_scene(*spec, len(scenes) - 1)
        if not exact:
            st.info(t("common.picker_other_colour", colour=spec[1], kind=spec[0]))
        return {"name": caption, "key": f"scene:{'/'.join(spec)}:{len(scenes) - 1}", "image": img}
    if source == SOURCES[1]:
        return current_image()
    up = st.file_uploader(t("common.picker_upload"), type=IMAGE_TYPES, key=f"{key}_upload")
    got = uploaded_images([up] if up is not None else [])
    if not got and up is None:
        st.info(t("common.picker_upload_hint"))
    return got[0] if got else None


def replay(frames: Sequence[np.ndarray], place, *, label: Callable[[int], str], seconds: float = 1.5,
           width: int = 360) -> None:
    """Show an image sequence as an animation that the browser plays once (e.g. a generated image growing code by
    code), about ``seconds`` long, with a progress strip under each frame; it stays on the last frame, captioned
    ``label(last)``. The server sends it once and does not wait for it to play.

    Args:
        frames: (S, S, 3) uint8 images.
        place: an ``st.empty()`` (or a container).
        label: frame index -> a caption.
        seconds: duration of the whole animation.
        width: displayed width in pixels (the frames are enlarged by whole pixels to at least this).
    """
    gif = growth_gif(frames, width, seconds)
    place.image(gif, caption=label(len(frames) - 1))


def _generate_in_slot(generate: Callable[..., dict], params: tuple, box: dict, started: threading.Event, *,
                      max_runs: int, seconds: float) -> None:
    """The worker of :func:`generation`: holds this session's generation slot (one CPU thread) while it runs."""
    with live_run(max_runs=max_runs, seconds=seconds) as refusal:
        box["refusal"] = refusal
        started.set()
        if refusal is None:
            try:
                box["result"] = generate(*params)
            except Exception as err:  # noqa: BLE001 - handed to the script thread, which raises it
                box["error"] = err


def generate_button(key: str, *, into=None, disabled: bool = False, also: dict | None = None) -> None:
    """The Generate button (``{key}_go``) of :func:`generation`: a press asks for one generation with the values the
    controls have in the run it starts (a callback only sets a flag: its arguments would be the previous run's).

    Args:
        key: the generation's name.
        into: a container (default: the page).
        disabled: no model to generate with.
        also: other session-state values a press sets (e.g. a step slider back to the last step).
    """
    def press() -> None:
        st.session_state.update({f"{key}_run": True, **(also or {})})

    (into or st).button(t("common.gen_generate"), type="primary", key=f"{key}_go", icon=":material/brush:", disabled=disabled,
                        on_click=press)


def generation(key: str, generate: Callable[..., dict], params: tuple, *, first: tuple, place,
               label: Callable[[int], str], frames: str = "frames", max_runs: int = 4,
               seconds: float = 60.0) -> tuple[dict, tuple]:
    """The generated result a page shows.

    After a press of :func:`generate_button`, ``generate(*params)`` runs in a worker thread that holds this
    session's generation slot (``ui.live_run``: one generation per session, ``max_runs`` on the server, one CPU
    thread each); the page waits for it with a progress bar, then plays the result's ``frames`` into ``place`` (:func:`replay`).
    A click meanwhile reruns the page while the worker goes on, so a second Generate is refused with a sentence
    until the first is finished. Without a press, the last generated parameters are shown again (``first`` before
    any press).

    Args:
        key: the generation's name (as for the button).
        generate: the (cached) generator; returns a dict with ``frames``.
        params: the controls' values now.
        first: the parameters shown before the first press.
        place: an ``st.empty()`` for the replay.
        label: frame index -> progress text.
        frames: the result's key of the frames to replay.
        max_runs, seconds: the server-wide limits of ``ui.live_run``.

    Returns:
        (result, the parameters it was generated with).
    """
    s = st.session_state
    run, shown = s.pop(f"{key}_run", False), s.setdefault(f"{key}_shown", first)
    if run:
        box, started = {}, threading.Event()
        worker = threading.Thread(target=_generate_in_slot, args=(generate, params, box, started), daemon=True,
                                  kwargs={"max_runs": max_runs, "seconds": seconds})
        add_script_run_ctx(worker, get_script_run_ctx())
        worker.start()
        started.wait()
        if box["refusal"]:
            # a generation's refusals, in the words of this page (ui.live speaks of training runs)
            st.warning(t("common.gen_busy_session") if "this session" in box["refusal"] else
                       t("common.gen_busy_server", n=max_runs))
        else:
            bar, t0 = st.progress(0.0, text=t("common.gen_sampling")), time.perf_counter()
            while worker.is_alive():  # a Streamlit call at each turn: a click here reruns the page at once
                bar.progress(0.0, text=t("common.gen_sampling_s", s=time.perf_counter() - t0))
                worker.join(0.1)
            bar.empty()
            if "error" in box:
                raise box["error"]
            replay(box["result"][frames], place, label=label)
            s[f"{key}_shown"] = shown = params
    with torch_threads(1):  # a cache miss (the first visit) samples on one thread too, as the worker does
        return generate(*shown), shown
