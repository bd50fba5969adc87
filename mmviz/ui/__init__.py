"""The Streamlit floor shared by every page: the ONLY mmviz module that imports streamlit.

A page is ``widgets -> one cached backend call per section -> figures``; everything else it needs
comes from here, so a new page gets it by calling the helper::

    from mmviz import ui
    from mmviz.figures import my_lesson as figs
    from mmviz.lessons import my_lesson as lesson
    from mmviz.ui import st

    ui.start_page()                                    # the deep-link guard (first line of every page)
    img = ui.current_image()                           # the sidebar's choice, else the sample
    info = ui.model_picker("vit", key="ml_model")      # registry models of one family

    @ui.cached(spinner="Running the model…")           # bounded st.cache_data, NumPy out
    def _lesson(key: str, name: str, device: str, _image) -> dict:
        return lesson.run(ui.model(name), _image, device=device)

    L = _lesson(img["key"], info.name, ui.device(), _image=img["image"])
    ui.chart(figs.fig_something(L["x"]), "ml_x")
    ui.show_code(lesson.run)

One module per concern: ``page`` (the deep-link guard, bounded caches, metrics,
"Show the code", widget state that survives range changes and page visits), ``inputs`` (the shared
sidebar, the current image / audio, samples, uploads, a shapes-world scene composer), ``models``
(device, model picker, cached loader, model card), ``live`` (live training: buttons, a panel that
draws the run as it goes, the server-wide limiter).

The classroom: ``lang`` (the interface's language, the page's texts ``ui.texts(page)`` from
``mmviz.i18n``), ``state`` (every widget helper keeps its value in the URL; the link to the view),
``present`` (presenter mode: ``with ui.section(T, "s_name"):`` shows one section at a time),
``predict`` (predict, then reveal), ``export`` (charts in the session's language and size, with their
HTML / numbers downloads; tables with CSV), ``fetch`` (download a pretrained checkpoint from the page),
``classroom`` (the shell's controls: language switch, presenter toggle, link box).
"""

from __future__ import annotations

import streamlit as st

from mmviz.ui.classroom import classroom_controls, classroom_finish, sidebar_state
from mmviz.ui.export import chart, table
from mmviz.ui.fetch import download_offer, downloads_enabled, model_picker
from mmviz.ui.images import SOURCES, generate_button, generation, image_picker, replay
from mmviz.ui.fusion import VQA_SOURCES, family_status, vqa_image
from mmviz.ui.inputs import (
    AUDIO_TYPES,
    IMAGE_TYPES,
    current_audio,
    current_image,
    image_sources,
    sample_image,
    sample_names,
    scene_composer,
    sidebar,
    small_photo,
    uploaded_images,
    uploaded_photos,
)
from mmviz.ui.live import LiveRuns, live_buttons, live_panel, live_run, session_id
from mmviz.ui.models import device, device_name, model, model_card, release_when_idle
from mmviz.ui.lang import lang, t, texts
from mmviz.ui.page import (
    CONFIG,
    cached,
    clamp,
    code_span,
    follow,
    keep_valid,
    keep_widgets,
    metrics,
    OPEN_ALL,
    part,
    plain,
    public_name,
    scrub,
    show_code,
    start_page,
    take_click,
    thumbnails,
    token_lines,
    whole_page,
)
from mmviz.ui.predict import REVEAL_ALL, predict
from mmviz.ui.present import presenting, section
from mmviz.ui.state import link, number, pills, segmented, select_slider, selectbox, slider, toggle
from mmviz.ui.text import MAX_INPUT_CHARS, cached_figures, text_box, text_notes, token_chips, token_notes

__all__ = [
    "st",
    # every page: page.py
    "start_page", "cached", "chart", "CONFIG", "show_code", "public_name", "metrics", "table", "thumbnails",
    "token_lines", "code_span", "take_click", "clamp", "keep_valid", "follow", "slider", "select_slider",
    "selectbox", "keep_widgets", "part", "OPEN_ALL", "whole_page", "plain", "scrub",
    # inputs: inputs.py
    "sidebar", "current_image", "current_audio", "sample_names", "sample_image", "uploaded_images",
    "image_sources", "uploaded_photos", "small_photo", "scene_composer", "IMAGE_TYPES", "AUDIO_TYPES",
    # models: models.py
    "device", "device_name", "model_picker", "model", "model_card", "release_when_idle",
    # live runs: live.py
    "LiveRuns", "live_run", "live_buttons", "live_panel", "session_id",
    # text: text.py
    "text_box", "text_notes", "token_notes", "token_chips", "cached_figures", "MAX_INPUT_CHARS",
    # images: images.py
    "SOURCES", "image_picker", "replay", "generate_button", "generation",
    # the fusion page's inputs: fusion.py
    "VQA_SOURCES", "vqa_image", "family_status",
    # the classroom: lang.py, state.py, present.py, predict.py, export.py, fetch.py, classroom.py
    "lang", "t", "texts", "segmented", "pills", "toggle", "number", "link", "presenting", "section", "predict", "REVEAL_ALL",
    "download_offer", "downloads_enabled", "sidebar_state", "classroom_controls", "classroom_finish",
]
