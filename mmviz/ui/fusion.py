"""The fusion page's inputs: one image (a random shapes-world scene of two or three shapes, the sidebar's image or
a file uploaded here) and the models of a family, trained or not.

The scene is drawn by a function the page gives (a cached lesson call), so this module needs no lesson.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from mmviz import weights
from mmviz.ui.inputs import IMAGE_TYPES, current_image, sample_names, uploaded_images
from mmviz.ui.lang import t
from mmviz.ui.state import in_range, publish, restore, segmented

__all__ = ["VQA_SOURCES", "vqa_image", "family_status"]

VQA_SOURCES = ("Shapes scene", "Sidebar", "Upload")
_SOURCE_TEXT = dict(zip(VQA_SOURCES, ("fusion.src_scene", "fusion.src_sidebar", "fusion.src_upload")))


def _new_scene(key: str, draw_scene: Callable[[int], dict], question_key: str | None) -> None:
    """The button's callback: the next seed, and the new scene's first question in the question box."""
    s = st.session_state
    s[f"{key}_seed"] = s.get(f"{key}_seed", 0) + 1
    if question_key:
        qs = draw_scene(s[f"{key}_seed"]).get("questions") or []
        if qs:
            s[question_key] = qs[0][0]


def vqa_image(key: str, *, draw_scene: Callable[[int], dict], question_key: str | None = None) -> dict | None:
    """Choose one image: a seeded random scene (button "New random scene"), the sidebar's image, or an upload.

    Widgets: a segmented control ``{key}_source``, the button ``{key}_new`` (its seed lives in
    ``{key}_seed``, in the link too), the uploader ``{key}_upload``.

    Args:
        key: prefix of the widget keys.
        draw_scene: seed -> {"seed", "what", "key", "image", "questions", ...} (cache it on the page).
        question_key: a text box whose text becomes the new scene's first question on "New random scene".

    Returns:
        {"name", "key", "image", "scene": the scene's dict or None, "photo": bool}, or None (nothing uploaded
        yet, or a bad file: its sentence is shown).
    """
    s = st.session_state
    if f"{key}_source" not in s:  # the student's own upload in the sidebar comes first
        side = s.get("image")
        s[f"{key}_source"] = VQA_SOURCES[1] if side is not None and side["name"] not in sample_names() else VQA_SOURCES[0]
    source = segmented("Image", VQA_SOURCES, key=f"{key}_source", default=VQA_SOURCES[0], label_visibility="collapsed",
                       format_func=lambda o: t(_SOURCE_TEXT[o]))
    if source == VQA_SOURCES[0]:
        st.button(t("fusion.new_scene"), key=f"{key}_new", icon=":material/casino:", on_click=_new_scene,
                  args=(key, draw_scene, question_key), help=t("fusion.new_scene_help"))
        restore(f"{key}_seed", in_range(0, None), label=t("fusion.new_scene"))
        scene = draw_scene(s.get(f"{key}_seed", 0))
        publish(f"{key}_seed", s.get(f"{key}_seed", 0), 0)  # the scene travels in the link too
        name = t("fusion.scene_name", seed=scene["seed"], what=scene["what"])
        return {"name": name, "key": scene["key"], "image": scene["image"], "scene": scene, "photo": False}
    if source == VQA_SOURCES[1]:
        return {**current_image(), "scene": None, "photo": True}
    up = st.file_uploader(t("common.picker_upload"), type=IMAGE_TYPES, key=f"{key}_upload")
    got = uploaded_images([up] if up is not None else [])
    if up is None:
        st.info(t("common.picker_upload_hint"))
    return {**got[0], "scene": None, "photo": True} if got else None


@st.cache_data(ttl=10, show_spinner=False)
def family_status(family: str) -> dict[str, bool]:
    """Registry name -> whether its weights are here now, for every model of a family (re-read every 10 s, so
    a model that finishes training appears without a restart)."""
    return {m.name: m.available for m in weights.available_models(family)}
