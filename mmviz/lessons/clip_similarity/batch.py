"""The page's batch of images and prompts: image i and prompt i form a pair; and the page's widget state.

The batch lives in a mapping (the page passes ``st.session_state``): ``clip_items`` the images in
order, each {"kind": "scene", "spec": (size, colour, kind, background, seed)} or {"kind": "sample",
"name": file name}; ``clip_prompts`` the prompts, one per line (a text area's value);
``clip_samples`` the chosen sample photos; ``clip_seed`` the last scene seed. The ``clip_c_*``
keys hold the scene composer's choices. Adding a scene or a sample photo adds its prompt too, and
removing it removes that prompt, so the pairs stay aligned. ``KEEP`` lists the page's widgets whose
values outlive a visit to another page.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping

import numpy as np

from mmviz.lessons.clip_similarity.live import MAX_STEPS
from mmviz.lessons.clip_similarity import (
    DEFAULT_SCENES,
    DEFAULT_TEMPLATE,
    SAMPLE_PROMPTS,
    apply_template,
    compose_scene,
    scene_prompt,
)

__all__ = ["MAX_IMAGES", "MAX_PROMPTS", "MAX_CHARS", "KEEP", "reset", "prompt_lines", "prompts", "images", "add_scene", "remove_last", "sync_samples",
           "scene_name", "scene_image"]

#: the most images and prompts a batch holds, and the longest prompt
MAX_IMAGES, MAX_PROMPTS, MAX_CHARS = 16, 16, 200
#: widget key -> first value (None: the widget's own default); kept while the student visits other pages
#: (Streamlit forgets the state of widgets that a run does not draw, which would drop the prompts but keep the images)
KEEP = {"clip_model": None, "clip_prompts": None, "clip_samples": [], "clip_use_sidebar": None, "clip_tpl_on": False,
        "clip_tpl": DEFAULT_TEMPLATE, "clip_c_kind": "circle", "clip_c_colour": "red", "clip_c_size": "large",
        "clip_c_bg": "plain", "clip_c_prompt": True, "clip_scale": None, "clip_pick": None, "clip_look": None,
        "clip_cand": "your prompts", "clip_live_steps": MAX_STEPS, "clip_live_data": "easy", "clip_live_batch": 32}


def reset(state: MutableMapping) -> None:
    """The batch the page starts with: the DEFAULT_SCENES and their prompts."""
    state["clip_items"] = [{"kind": "scene", "spec": (*spec, i)} for i, spec in enumerate(DEFAULT_SCENES)]
    state["clip_prompts"] = "\n".join(scene_prompt(c, k) for _, c, k, _ in DEFAULT_SCENES)
    state["clip_samples"] = []
    state["clip_seed"] = len(DEFAULT_SCENES)


def prompt_lines(state: MutableMapping) -> list[str]:
    """The non-empty lines of the prompt text."""
    return [ln for ln in state.get("clip_prompts", "").splitlines() if ln.strip()]


def prompts(state: MutableMapping, template: str | None = None, *, max_prompts: int = MAX_PROMPTS,
            max_chars: int = MAX_CHARS) -> tuple[list[str], bool, str | None]:
    """The prompts of the batch, each stripped and cut at ``max_chars``; at most ``max_prompts``; filled into
    ``template`` when one is given (see ``apply_template``).

    Returns:
        (prompts, whether some were left out, why the template was not used or None).
    """
    raw = [ln.strip()[:max_chars] for ln in prompt_lines(state)]
    out, error = raw[:max_prompts], None
    if template is not None and out:
        try:
            out = apply_template(out, template)
        except ValueError as e:
            error = str(e)
    return out, len(raw) > max_prompts, error


def images(state: MutableMapping, scene: Callable[[tuple], object], sample: Callable[[str], dict],
           extra: list[dict], limit: int = MAX_IMAGES) -> tuple[list[dict], bool]:
    """Every image of the batch, in order: the scenes and sample photos of ``clip_items``, then ``extra``.

    Args:
        state: the page's state.
        scene: spec -> (S, S, 3) uint8 image of a composed scene (the page caches it).
        sample: file name -> {"name", "key", "image"} of a sample photo (the page decodes it).
        extra: more images {"name", "key", "image", "photo"} (the sidebar's, uploads).
        limit: the most images a batch holds.

    Returns:
        (images as {"name", "key", "image", "photo": True for photos}, whether some were left out).
    """
    out = [{"name": scene_name(it["spec"]), "key": f"scene:{it['spec']}", "image": scene(it["spec"]), "photo": False}
           if it["kind"] == "scene" else {**sample(it["name"]), "photo": True} for it in state["clip_items"]]
    out += extra
    return out[:limit], len(out) > limit


def _add_prompt(state: MutableMapping, p: str) -> None:
    state["clip_prompts"] = "\n".join([*prompt_lines(state), p])


def _drop_prompt(state: MutableMapping, p: str) -> None:
    lines = prompt_lines(state)
    if p in lines:
        lines.remove(p)
    state["clip_prompts"] = "\n".join(lines)


def add_scene(state: MutableMapping) -> None:
    """Add the composer's scene (a new seed) and, when ``clip_c_prompt`` is on, its prompt ("a red circle")."""
    seed = state["clip_seed"] = state.get("clip_seed", 0) + 1
    state["clip_items"].append({"kind": "scene", "spec": (state["clip_c_size"], state["clip_c_colour"],
                                                          state["clip_c_kind"], state["clip_c_bg"], seed)})
    if state.get("clip_c_prompt", True):
        _add_prompt(state, scene_prompt(state["clip_c_colour"], state["clip_c_kind"]))


def remove_last(state: MutableMapping) -> None:
    """Remove the last scene or sample photo, and its prompt when it is the last line (a scene) or present
    (a sample photo)."""
    items = state["clip_items"]
    if not items:
        return
    it = items.pop()
    if it["kind"] == "scene":
        lines = prompt_lines(state)
        if lines and lines[-1] == scene_prompt(it["spec"][1], it["spec"][2]):
            state["clip_prompts"] = "\n".join(lines[:-1])
    else:
        state["clip_samples"] = [n for n in state["clip_samples"] if n != it["name"]]
        _drop_prompt(state, SAMPLE_PROMPTS.get(it["name"], ""))


def sync_samples(state: MutableMapping) -> None:
    """Make the sample photos of the batch the ones chosen in ``clip_samples`` (adding / dropping their prompts)."""
    chosen = state.get("clip_samples") or []
    items = state["clip_items"]
    have = [it["name"] for it in items if it["kind"] == "sample"]
    for n in have:
        if n not in chosen:
            items[:] = [it for it in items if it.get("name") != n]
            _drop_prompt(state, SAMPLE_PROMPTS.get(n, ""))
    for n in chosen:
        if n not in have:
            items.append({"kind": "sample", "name": n})
            if n in SAMPLE_PROMPTS:
                _add_prompt(state, SAMPLE_PROMPTS[n])


def scene_name(spec: tuple) -> str:
    """A composed scene's short name: "red circle"."""
    return f"{spec[1]} {spec[2]}"


def scene_image(spec: tuple) -> np.ndarray:
    """The (S, S, 3) uint8 image of a composed scene of the batch; spec = (size, colour, kind, background, seed)."""
    size, colour, kind, background, seed = spec
    return compose_scene(kind, colour, size, background, seed=seed).image
