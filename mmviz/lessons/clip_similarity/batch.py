"""The page's batch of images and prompts: image i and prompt i form a pair; and the page's widget state.

The batch lives in a mapping (the page passes ``st.session_state``):

* ``clip_items``: the images in the order they were added, each {"kind": "scene", "spec": (size, colour, kind,
  background, seed)}, {"kind": "sample", "name": file name} or {"kind": "photo", "key", "name", "source":
  "upload" | "sidebar"} (a photo's pixels are kept in ``clip_photos``: key -> {"name", "image"});
* ``clip_prompts``: the prompts, one per line (a text area's value). Line i is the prompt of image i; lines
  after the last image are extra prompts (distractors);
* ``clip_samples`` the chosen sample photos, ``clip_upload_seen`` the files the uploader held at its last
  change, ``clip_seed`` the last scene seed; the ``clip_c_*`` keys hold the scene composer's choices.

Every image enters with its prompt, inserted at the image's own position (after the prompts of the images
before it, before any extra prompt), and leaves with the prompt at its position: adding or removing an image
never moves another pair, whatever the order of uploads, samples, scenes and prompt edits. Photos are kept
in the state (not only in the uploader widget, which Streamlit empties when the student visits another page).
``KEEP`` lists the page's widgets whose values outlive a visit to another page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping, Sequence

import numpy as np

from mmviz import i18n
from mmviz.lessons.clip_similarity import (
    DEFAULT_SCENES,
    DEFAULT_TEMPLATE,
    SAMPLE_PROMPTS,
    apply_template,
    compose_scene,
    scene_prompt,
)
from mmviz.lessons.clip_similarity.live import MAX_STEPS

__all__ = ["MAX_IMAGES", "MAX_PROMPTS", "MAX_CHARS", "MAX_TEMPLATE", "KEEP", "reset", "prompt_lines", "prompts",
           "images", "add_scene", "add_photo", "remove_at", "remove_last", "sync_samples", "sync_uploads",
           "photo_prompt", "scene_name", "scene_image"]

#: the most images and prompts a batch holds, the longest prompt (after its template) and the longest template
MAX_IMAGES, MAX_PROMPTS, MAX_CHARS, MAX_TEMPLATE = 16, 16, 200, 100
#: widget key -> first value (None: the widget's own default); kept while the student visits other pages
#: (Streamlit forgets the state of widgets that a run does not draw, which would drop the prompts but keep the images)
KEEP = {"clip_model": None, "clip_prompts": None, "clip_samples": [], "clip_tpl_on": False,
        "clip_tpl": DEFAULT_TEMPLATE, "clip_c_kind": "circle", "clip_c_colour": "red", "clip_c_size": "large",
        "clip_c_bg": "plain", "clip_c_prompt": True, "clip_scale": None, "clip_pick": None, "clip_look": None,
        "clip_cand": "your prompts", "clip_live_steps": MAX_STEPS, "clip_live_data": "easy", "clip_live_batch": 32}
_WORD = re.compile(r"[^0-9A-Za-z\u00C0-\uFFFF]+")


def reset(state: MutableMapping) -> None:
    """The batch the page starts with: the DEFAULT_SCENES and their prompts."""
    state["clip_items"] = [{"kind": "scene", "spec": (*spec, i)} for i, spec in enumerate(DEFAULT_SCENES)]
    state["clip_prompts"] = "\n".join(scene_prompt(c, k) for _, c, k, _ in DEFAULT_SCENES)
    state["clip_samples"] = []
    state["clip_photos"] = {}
    state["clip_seed"] = len(DEFAULT_SCENES)


def prompt_lines(state: MutableMapping) -> list[str]:
    """The non-empty lines of the prompt text (at most 4 x MAX_PROMPTS are read)."""
    lines = [ln for ln in (state.get("clip_prompts") or "").splitlines() if ln.strip()]
    return lines[: 4 * MAX_PROMPTS]


def prompts(state: MutableMapping, template: str | None = None, *, max_prompts: int = MAX_PROMPTS,
            max_chars: int = MAX_CHARS, lang: str = i18n.DEFAULT) -> tuple[list[str], bool, str | None]:
    """The prompts of the batch, each stripped, filled into ``template`` when one is given (see
    ``apply_template``; the template is cut at MAX_TEMPLATE characters) and then cut at ``max_chars``;
    at most ``max_prompts``.

    Returns:
        (prompts, whether some were left out, why the template was not used (in ``lang``) or None).
    """
    raw = [ln.strip()[:max_chars] for ln in prompt_lines(state)]
    out, error = raw[:max_prompts], None
    if template is not None and out:
        try:
            out = apply_template(out, template[:MAX_TEMPLATE])
        except ValueError:  # the template has no "{}" (apply_template's only refusal)
            error = i18n.text("clip_similarity.tpl_no_slot", lang)
    return [p[:max_chars] for p in out], len(raw) > max_prompts, error


def images(state: MutableMapping, scene: Callable[[tuple], object], sample: Callable[[str], dict],
           limit: int = MAX_IMAGES) -> tuple[list[dict], bool]:
    """Every image of the batch, in order.

    Args:
        state: the page's state.
        scene: spec -> (S, S, 3) uint8 image of a composed scene (the page caches it).
        sample: file name -> {"name", "key", "image"} of a sample photo (the page decodes it).
        limit: the most images a batch holds.

    Returns:
        (images as {"name", "key", "image", "photo": True for photos}, whether some were left out).
    """
    photos = state.get("clip_photos", {})
    out = []
    for it in state["clip_items"]:
        if it["kind"] == "scene":
            out.append({"name": scene_name(it["spec"]), "key": f"scene:{it['spec']}", "image": scene(it["spec"]),
                        "photo": False})
        elif it["kind"] == "sample":
            out.append({**sample(it["name"]), "photo": True})
        elif it["key"] in photos:
            out.append({"name": it["name"], "key": it["key"], "image": photos[it["key"]]["image"], "photo": True})
    return out[:limit], len(out) > limit


def _default_prompt(it: dict) -> str:
    if it["kind"] == "scene":
        return scene_prompt(it["spec"][1], it["spec"][2])
    if it["kind"] == "sample":
        return SAMPLE_PROMPTS.get(it["name"], photo_prompt(it["name"]))
    return photo_prompt(it["name"])


def photo_prompt(name: str) -> str:
    """A first prompt for a photo, from its file name: "my_dog-2.jpg" -> "a photo of my dog 2" (edit it)."""
    words = " ".join(_WORD.sub(" ", name.rsplit(".", 1)[0]).split())[:60]
    return f"a photo of {words}" if words else "a photo"


def _append(state: MutableMapping, item: dict, prompt: str | None) -> None:
    """Add an image at the end of the images, and its prompt at the same position in the prompts (after the
    prompts of the images before it; images without a prompt line get their default one first)."""
    items = state["clip_items"]
    i = len(items)
    lines = prompt_lines(state)
    if prompt is not None:
        lines += [_default_prompt(it) for it in items[len(lines):i]]  # only when earlier images have no prompt
        lines.insert(i, prompt)
    items.append(item)
    state["clip_prompts"] = "\n".join(lines)


def remove_at(state: MutableMapping, i: int) -> None:
    """Remove image i and prompt i (the pairs after it move up together)."""
    items = state["clip_items"]
    if not 0 <= i < len(items):
        return
    it = items.pop(i)
    lines = prompt_lines(state)
    if i < len(lines):
        del lines[i]
    state["clip_prompts"] = "\n".join(lines)
    if it["kind"] == "sample":
        state["clip_samples"] = [n for n in state.get("clip_samples", []) if n != it["name"]]
    if it["kind"] == "photo" and not any(x.get("key") == it["key"] for x in items):
        state.get("clip_photos", {}).pop(it["key"], None)


def remove_last(state: MutableMapping) -> None:
    """Remove the last image (a scene, a sample photo or a photo) and its prompt."""
    remove_at(state, len(state["clip_items"]) - 1)


def add_scene(state: MutableMapping) -> None:
    """Add the composer's scene (a new seed) and, when ``clip_c_prompt`` is on, its prompt ("a red circle")."""
    if len(state["clip_items"]) >= MAX_IMAGES:
        return
    seed = state["clip_seed"] = state.get("clip_seed", 0) + 1
    spec = (state["clip_c_size"], state["clip_c_colour"], state["clip_c_kind"], state["clip_c_bg"], seed)
    prompt = scene_prompt(state["clip_c_colour"], state["clip_c_kind"]) if state.get("clip_c_prompt", True) else None
    _append(state, {"kind": "scene", "spec": spec}, prompt)


def add_photo(state: MutableMapping, photo: dict, source: str = "upload") -> bool:
    """Add a photo {"name", "key", "image"} with its first prompt (:func:`photo_prompt`); its pixels are kept in
    ``clip_photos``. Returns False when the batch is full."""
    if len(state["clip_items"]) >= MAX_IMAGES:
        return False
    state.setdefault("clip_photos", {})[photo["key"]] = {"name": photo["name"], "image": photo["image"]}
    _append(state, {"kind": "photo", "key": photo["key"], "name": photo["name"], "source": source},
            photo_prompt(photo["name"]))
    return True


def sync_samples(state: MutableMapping) -> None:
    """Make the sample photos of the batch the ones chosen in ``clip_samples`` (adding / dropping their prompts)."""
    chosen = state.get("clip_samples") or []
    items = state["clip_items"]
    for i in reversed(range(len(items))):
        if items[i]["kind"] == "sample" and items[i]["name"] not in chosen:
            remove_at(state, i)
    have = {it["name"] for it in items if it["kind"] == "sample"}
    for n in chosen:
        if n not in have and len(items) < MAX_IMAGES:
            _append(state, {"kind": "sample", "name": n}, SAMPLE_PROMPTS.get(n, photo_prompt(n)))
    state["clip_samples"] = [it["name"] for it in items if it["kind"] == "sample"]


def sync_uploads(state: MutableMapping, files: Sequence[dict], *, changed: bool) -> None:
    """Follow the page's uploader: ``files`` are its decoded files ({"name", "key", "image"}, in its order).

    A file the uploader gained is added (with its prompt); a file it lost is removed (with its prompt) only
    when the student changed the uploader (``changed``): Streamlit empties the widget when the student visits
    another page, and the photos must stay.
    """
    now = [f["key"] for f in files]
    seen = state.get("clip_upload_seen", [])
    if changed:
        items = state["clip_items"]
        for i in reversed(range(len(items))):
            it = items[i]
            if it["kind"] == "photo" and it.get("source") == "upload" and it["key"] in seen and it["key"] not in now:
                remove_at(state, i)
        present = {it.get("key") for it in state["clip_items"]}
        for f in files:
            if f["key"] not in seen and f["key"] not in present:
                add_photo(state, f)
    state["clip_upload_seen"] = now


def scene_name(spec: tuple) -> str:
    """A composed scene's short name: "red circle"."""
    return f"{spec[1]} {spec[2]}"


def scene_image(spec: tuple) -> np.ndarray:
    """The (S, S, 3) uint8 image of a composed scene of the batch; spec = (size, colour, kind, background, seed)."""
    size, colour, kind, background, seed = spec
    return compose_scene(kind, colour, size, background, seed=seed).image
