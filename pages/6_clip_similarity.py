"""Lesson: CLIP similarity. Images and prompts in one embedding space, the batch matrix, its loss, live training."""

from __future__ import annotations

import functools
import inspect
import threading
import time

import numpy as np
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:  # a deep link opened this page before app.py ever ran: run the shell
    PagesManager.uses_pages_directory = False
    st.rerun()

from mmviz.clip import lesson as cl
from mmviz.clip import live as clive
from mmviz.clip.model import CLIP, TextTransformer, clip_loss
from mmviz.clip.tokenizer import Tokenizer
from mmviz.data.shapes import BACKGROUNDS, COLOURS, SHAPE_KINDS, SIZES
from mmviz.device import pick_device
from mmviz.figures import clip as cfig
from mmviz.figures.common import CONFIG
from mmviz.inputs import InputError, list_samples, load_image, sha1_key
from mmviz.train.clip import train_step
from mmviz.weights import available_models, load_model

CACHE = dict(max_entries=32, ttl=3600)
TINY, UNTRAINED, PRETRAINED = "clip-tiny-shapes", "clip-untrained", "openai/clip-vit-base-patch32"
MAX_IMAGES, MAX_PROMPTS, MAX_CHARS = 16, 16, 200
MAX_STEPS, MAX_LIVE_RUNS, LIVE_SECONDS = 300, 2, 180.0
IMAGE_TYPES = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"]
SCALES = np.geomspace(1.0, 100.0, 60)


# --------------------------------------------------------------------------- cached backend calls
@st.cache_resource
def _device() -> str:
    return str(pick_device())


@st.cache_data(ttl=30, show_spinner=False)
def _models() -> dict:
    return {m.name: m for m in available_models("clip")}


@st.cache_resource(max_entries=3, show_spinner="Loading the model…")
def _model(name: str, device: str):
    return load_model(name, device=device)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _card(name: str) -> dict:
    import json

    from mmviz.weights import ASSETS

    path = ASSETS / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else {}


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _scene(spec: tuple) -> np.ndarray:
    size, colour, kind, background, seed = spec
    return cl.compose_scene(kind, colour, size, background, seed=seed).image


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _decode(key: str, _data: bytes):
    return load_image(_data)


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _sample(name: str) -> tuple[str, bytes]:
    path = next(p for p in list_samples()["image"] if p.name == name)
    data = path.read_bytes()
    return sha1_key(data), data


@st.cache_data(**CACHE, show_spinner="Encoding the images…")
def _encode_images(name: str, device: str, keys: tuple[str, ...], _images: list) -> dict:
    return cl.encode_images(_model(name, device), _images, device=device)


@st.cache_data(**CACHE, show_spinner=False)
def _encode_texts(name: str, device: str, prompts: tuple[str, ...]) -> dict:
    return cl.encode_texts(_model(name, device), list(prompts), device=device)


@st.cache_data(**CACHE, show_spinner=False)
def _similarity(img_id: tuple, txt_id: tuple, scale: float, _img: np.ndarray, _txt: np.ndarray) -> dict:
    return cl.similarity_lesson(_img, _txt, scale)


@st.cache_data(**CACHE, show_spinner=False)
def _pca(img_id: tuple, txt_id: tuple, _img: np.ndarray, _txt: np.ndarray) -> dict:
    return cl.pca_2d(_img, _txt)


class _LiveRuns:
    """The live training runs of the whole server: at most MAX_LIVE_RUNS at once, one per session.

    Kept outside st.session_state on purpose: a run interrupted by a click or a closed tab ends with
    an exception, and writes to session_state at that moment may be lost. A run that never reports
    its end is forgotten after LIVE_SECONDS + 60 s."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active: dict[str, float] = {}  # session id -> start time

    def start(self, session: str) -> str | None:
        """Register a run; returns None, or the sentence that says why it cannot start now."""
        with self.lock:
            now = time.time()
            self.active = {k: t for k, t in self.active.items() if now - t < LIVE_SECONDS + 60}
            if session in self.active:
                return "A run of this session is still going; press Stop first."
            if len(self.active) >= MAX_LIVE_RUNS:
                return f"{MAX_LIVE_RUNS} students are training right now; please try again in a minute."
            self.active[session] = now
            return None

    def end(self, session: str) -> None:
        with self.lock:
            self.active.pop(session, None)


@st.cache_resource
def _live_runs() -> _LiveRuns:
    return _LiveRuns()


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "local"


@functools.lru_cache(maxsize=64)
def _source(fn) -> str:
    return inspect.getsource(fn)


def _code(*fns) -> None:
    with st.expander("Show the code"):
        st.code("\n\n".join(_source(f) for f in fns), language="python")


def _tick(text: str) -> str:
    """Text that can sit between backticks in st.markdown (a backtick would end the code span)."""
    return text.replace("`", "ʼ")


def _chart(fig, key: str | None = None) -> None:
    st.plotly_chart(fig, key=key, config=CONFIG)


# --------------------------------------------------------------------------- the batch: images and prompts
def _default_state() -> None:
    st.session_state["clip_items"] = [{"kind": "scene", "spec": (*spec, i)} for i, spec in enumerate(cl.DEFAULT_SCENES)]
    st.session_state["clip_prompts"] = "\n".join(cl.scene_prompt(c, k) for _, c, k, _ in cl.DEFAULT_SCENES)
    st.session_state["clip_samples"] = []
    st.session_state["clip_seed"] = len(cl.DEFAULT_SCENES)


#: widget key -> first value; kept while the student visits other pages (Streamlit forgets the state of
#: widgets that a run does not draw, which would drop the prompts but keep the images)
KEEP = {"clip_model": None, "clip_prompts": None, "clip_samples": [], "clip_use_sidebar": None, "clip_tpl_on": False,
        "clip_tpl": cl.DEFAULT_TEMPLATE, "clip_c_kind": "circle", "clip_c_colour": "red", "clip_c_size": "large",
        "clip_c_bg": "plain", "clip_c_prompt": True, "clip_scale": None, "clip_pick": None, "clip_look": None,
        "clip_cand": "your prompts", "clip_live_steps": MAX_STEPS, "clip_live_data": "easy", "clip_live_batch": 32}


def _keep_widgets() -> None:
    """Restore each KEEP widget's value from its saved copy when Streamlit dropped it; save the current one."""
    s = st.session_state
    for key, first in KEEP.items():
        saved = f"_kept_{key}"
        if key not in s:
            value = s[saved] if saved in s else first
            if value is None:
                continue
            s[key] = value
        s[saved] = s[key]


def _lines() -> list[str]:
    return [ln for ln in st.session_state.get("clip_prompts", "").splitlines() if ln.strip()]


def _add_prompt(p: str) -> None:
    st.session_state["clip_prompts"] = "\n".join([*_lines(), p])


def _drop_prompt(p: str) -> None:
    lines = _lines()
    if p in lines:
        lines.remove(p)
    st.session_state["clip_prompts"] = "\n".join(lines)


def _on_add_scene() -> None:
    s = st.session_state
    seed = s["clip_seed"] = s.get("clip_seed", 0) + 1
    s["clip_items"].append({"kind": "scene", "spec": (s["clip_c_size"], s["clip_c_colour"], s["clip_c_kind"],
                                                      s["clip_c_bg"], seed)})
    if s.get("clip_c_prompt", True):
        _add_prompt(cl.scene_prompt(s["clip_c_colour"], s["clip_c_kind"]))


def _on_remove_last() -> None:
    items = st.session_state["clip_items"]
    if not items:
        return
    it = items.pop()
    if it["kind"] == "scene":
        lines = _lines()
        p = cl.scene_prompt(it["spec"][1], it["spec"][2])
        if lines and lines[-1] == p:
            st.session_state["clip_prompts"] = "\n".join(lines[:-1])
    else:
        st.session_state["clip_samples"] = [n for n in st.session_state["clip_samples"] if n != it["name"]]
        _drop_prompt(cl.SAMPLE_PROMPTS.get(it["name"], ""))


def _on_samples() -> None:
    chosen = st.session_state.get("clip_samples") or []
    items = st.session_state["clip_items"]
    have = [it["name"] for it in items if it["kind"] == "sample"]
    for n in have:
        if n not in chosen:
            items[:] = [it for it in items if it.get("name") != n]
            _drop_prompt(cl.SAMPLE_PROMPTS.get(n, ""))
    for n in chosen:
        if n not in have:
            items.append({"kind": "sample", "name": n})
            if n in cl.SAMPLE_PROMPTS:
                _add_prompt(cl.SAMPLE_PROMPTS[n])


def _scene_name(spec: tuple) -> str:
    return f"{spec[1]} {spec[2]}"


def _gather(sidebar_img: dict | None) -> tuple[list[dict], bool]:
    """Every image of the batch as {name, key, image, photo}; bad uploads get one st.error each."""
    out = []
    for it in st.session_state["clip_items"]:
        if it["kind"] == "scene":
            out.append({"name": _scene_name(it["spec"]), "key": f"scene:{it['spec']}", "image": _scene(it["spec"]),
                        "photo": False})
        else:
            key, data = _sample(it["name"])
            out.append({"name": it["name"], "key": key, "image": _decode(key, data), "photo": True})
    if sidebar_img is not None and st.session_state.get("clip_use_sidebar"):
        out.append({"name": f"{sidebar_img['name']} (sidebar)", "key": sidebar_img["key"],
                    "image": sidebar_img["image"], "photo": True})
    for up in st.session_state.get("clip_upload") or []:
        data = up.getvalue()
        key = sha1_key(data)
        try:
            out.append({"name": up.name, "key": key, "image": _decode(key, data), "photo": True})
        except InputError as err:
            st.error(f"{up.name}: {err}")
    over = len(out) > MAX_IMAGES
    return out[:MAX_IMAGES], over


# --------------------------------------------------------------------------- page
st.title("CLIP similarity")
st.markdown(
    "CLIP has **two encoders**: a ViT turns an image into one vector, a text transformer turns a sentence into "
    "one vector of the same width. Both are divided by their length, so every image and every prompt is a point "
    "on the same unit sphere, and **how well a prompt fits an image is the cosine of the angle between them**. "
    "CLIP was trained on batches of matching (image, caption) pairs: each image had to pick out its own caption "
    "among all captions of the batch, and each caption its image. Below: your images against your prompts."
)
st.latex(r"\cos(x_i, y_j) = \frac{f(\text{image}_i)}{\lVert f(\text{image}_i)\rVert}\cdot"
         r"\frac{g(\text{text}_j)}{\lVert g(\text{text}_j)\rVert},\qquad "
         r"\text{logits}_{ij} = s\,\cos(x_i, y_j),\quad s = e^{t} = 1/\tau")

# ---- model ---------------------------------------------------------------------------------------
_keep_widgets()
infos = _models()
names = [n for n, m in infos.items() if m.available]
if st.session_state.get("clip_model") not in names:
    st.session_state["clip_model"] = TINY if TINY in names else (PRETRAINED if PRETRAINED in names else UNTRAINED)
name = st.selectbox("Model", names, key="clip_model", format_func=lambda n: f"{n} · {infos[n].description}")
if not infos[TINY].available:
    st.warning("The embedded trained CLIP is missing, so this page can only show the untrained one (random "
               f"weights: the similarities mean nothing yet; train one live at the bottom). {infos[TINY].how_to_get}")
elif name == UNTRAINED:
    st.info("Random weights: the similarities below mean nothing yet. Compare with clip-tiny-shapes, or train "
            "one live at the bottom of the page.")
if not infos[PRETRAINED].available:
    st.caption(f"Not available here: **{PRETRAINED}** (knows everyday words and photos). {infos[PRETRAINED].how_to_get}")
info = infos[name]
tiny = info.preset == TINY
device = _device()
try:
    model = _model(name, device)
except Exception as e:  # noqa: BLE001 - a broken or partial checkpoint: one sentence, not a traceback
    st.error(f"{name} could not be loaded: {e}")
    st.stop()
learned = model.logit_scale.detach().exp().item()

# ---- the batch: images (left) and prompts (right) ---------------------------------------------------------------
if "clip_items" not in st.session_state:
    _default_state()
st.subheader("The batch: images and prompts")
st.markdown("Image *i* and prompt *i* form a **pair** (outlined in the matrices): the caption CLIP should pick "
            "for that image. Build the batch from shapes-world scenes (what the tiny model was trained on), the "
            "sample photos, the sidebar's image, or your own files.")
left, right = st.columns([1.25, 1], gap="large")
with left:
    with st.container(border=True):
        st.markdown("**Compose a shapes-world scene**")
        c = st.columns(4)
        c[0].selectbox("Kind", SHAPE_KINDS, key="clip_c_kind")
        c[1].selectbox("Colour", list(COLOURS), key="clip_c_colour")
        c[2].selectbox("Size", list(SIZES), key="clip_c_size")
        c[3].selectbox("Background", BACKGROUNDS, key="clip_c_bg")
        b = st.columns([1, 1.25, 1])
        b[0].button("Add scene", key="clip_add", on_click=_on_add_scene, icon=":material/add:")
        b[1].button("Remove last", key="clip_remove", on_click=_on_remove_last, icon=":material/undo:",
                    help="Removes the last scene or sample photo (and its prompt, if it is the last line).")
        b[2].button("Reset", key="clip_reset", on_click=_default_state, icon=":material/restart_alt:",
                    help="Back to the four scenes and prompts the page starts with.")
        st.checkbox("Add its prompt too (e.g. “a red circle”)", key="clip_c_prompt")
    samples = [p.name for p in list_samples()["image"]]
    st.pills("Sample photos (click to add or remove; each brings a prompt)", samples, selection_mode="multi",
             key="clip_samples", on_change=_on_samples)
    sidebar_img = st.session_state.get("image")
    if sidebar_img is not None:
        if "clip_use_sidebar" not in st.session_state:  # on by default when the sidebar holds the student's upload
            st.session_state["clip_use_sidebar"] = sidebar_img["name"] not in samples
        st.toggle(f"Add the sidebar's image ({sidebar_img['name']})", key="clip_use_sidebar")
    st.file_uploader("Upload images (several at once)", type=IMAGE_TYPES, accept_multiple_files=True,
                     key="clip_upload")
with right:
    st.text_area(f"Prompts, one per line (at most {MAX_PROMPTS})", key="clip_prompts", height=218)
    use_tpl = st.toggle("Apply a prompt template", key="clip_tpl_on",
                        help="CLIP's paper: “a photo of a {label}” works better than the bare label for web-trained "
                             "CLIP. A leading “a”/“an” of the prompt is dropped first.")
    template = st.text_input("Template ({} = the prompt)", key="clip_tpl", disabled=not use_tpl)
images, over = _gather(sidebar_img)
if over:
    st.warning(f"Only the first {MAX_IMAGES} images are used.")
raw = [ln.strip()[:MAX_CHARS] for ln in _lines()]
if len(raw) > MAX_PROMPTS:
    st.warning(f"Only the first {MAX_PROMPTS} prompts are used.")
    raw = raw[:MAX_PROMPTS]
prompts = raw
if use_tpl and raw:
    try:
        prompts = cl.apply_template(raw, template)
    except ValueError as e:
        st.error(f"The template is not used: {e}.")

photos = [im for im in images if im["photo"]]
if tiny and photos:
    st.info(f"**{name}** only knows the shapes world: one coloured shape on a plain or textured 64×64 background, "
            "and the few dozen words of its captions. On a photo it still returns numbers, but they say nothing "
            "about cats or astronauts. For photos, get the pretrained CLIP once (needs internet): "
            f"`python -m mmviz.download {PRETRAINED}`, then pick it under **Model**.")


def sections(images: list[dict], prompts: list[str]) -> None:
    """Sections 1-5: everything computed from the batch's embeddings."""
    keys = tuple(im["key"] for im in images)
    try:
        E = _encode_images(name, device, keys, _images=[im["image"] for im in images])
    except (ValueError, RuntimeError, OSError) as e:
        st.error(f"The images could not be encoded: {e}")
        return
    X = _encode_texts(name, device, tuple(prompts))
    I, T = len(images), len(prompts)
    labels = [f"#{i} {im['name']}" for i, im in enumerate(images)]
    img_id, txt_id = (name, device, keys), (name, device, tuple(prompts))

    # gallery: what the model sees
    S = E["images"].shape[1]
    st.image([cfig.crisp(x, 120)[0] for x in E["images"]], width=104,
             caption=[f"#{i} {cfig.short_label(im['name'], 16)}" for i, im in enumerate(images)])
    st.caption(f"Each image as the model sees it: centre-cropped to a square and resized to {S}×{S} px "
               f"(`pixels.shape = {E['pixels_shape']}`).")

    # tokens
    with st.expander(f"Tokens of the {T} prompts ({X['tokenizer']}: `input_ids.shape = {X['input_ids_shape']}`)",
                     expanded=tiny and any(X["unknown"])):
        lines = []
        for j, (p, toks, unk) in enumerate(zip(prompts, X["tokens"], X["unknown"])):
            chips = " ".join(f":red-background[`{t}`]" if t == "<unk>" else f"`{_tick(t)}`" for t in toks)
            note = " · :red[unknown to this model:] " + ", ".join(f"`{_tick(w)}`" for w in unk) if unk else ""
            trunc = " · :orange[cut at the context length]" if X["truncated"][j] else ""
            lines.append(f"**#{j}** {chips} ({len(toks)} tokens){note}{trunc}")
        st.markdown("  \n".join(lines))
        st.caption("The text tower reads these ids left to right with causal attention and takes its output at "
                   "`<|endoftext|>` as the prompt's embedding"
                   + (". Words outside its vocabulary all become the same `<unk>` id: the model cannot tell them "
                      "apart." if tiny else "; byte-level BPE never needs `<unk>`: rare words are split into pieces, and "
                      "`</w>` marks the piece that ends a word."))
        _code(Tokenizer.encode, TextTransformer.eos_positions, CLIP.encode_text)

    m = st.columns(5)
    m[0].metric("Images I", I, help="image_embeds.shape[0]")
    m[1].metric("Prompts T", T, help="text_embeds.shape[0]")
    m[2].metric("Embedding width E", E["embeds"].shape[1], help="image_embeds.shape[1] = text_embeds.shape[1]")
    m[3].metric("Patches per image", E["grid"][0] * E["grid"][1], help=f"{E['grid'][0]}×{E['grid'][1]} patches of "
                f"{E['patch_size']} px")
    m[4].metric("Learned scale s", f"{learned:.2f}", help="model.logit_scale.exp()")

    # ---- 1. cosine matrix ------------------------------------------------------------------------------
    st.subheader("1. The similarity matrix")
    sim0 = _similarity(img_id, txt_id, learned, _img=E["embeds"], _txt=X["embeds"])
    K = sim0["K"]
    cos = sim0["cos"]
    best = [f"#{i}→#{int(j)}" for i, j in enumerate(sim0["top1"])]
    st.markdown(f"Every image embedding against every prompt embedding: `image_embeds @ text_embeds.T`, shape "
                f"({I}, {T}). Values run from {cos.min():.3f} to {cos.max():.3f}. A good model makes the outlined "
                f"pairs the largest of their row. Best prompt per image: {', '.join(best)}.")
    _chart(cfig.fig_similarity(cos, labels, prompts, title="cos(image i, prompt j)", ztitle="cos", K=K),
           "clip_cos")
    if not tiny:
        st.caption("Web-trained CLIP's cosines sit in a narrow band (about 0.15 to 0.35): what matters is which one "
                   "is largest. The learned scale s stretches these small gaps before the softmax.")
    _code(cl.encode_images, CLIP.encode_image, CLIP.forward)

    # ---- 2. temperature ------------------------------------------------------------------------------
    st.subheader("2. From similarities to probabilities: the temperature")
    st.markdown("Softmax over each row turns an image's similarities into a probability for each prompt. The "
                "cosines lie in [−1, 1], too close together for a sharp softmax, so CLIP multiplies them by a "
                f"**learned scale s** (this model learned s = {learned:.2f}, a temperature τ = 1/s = {1 / learned:.3f}). "
                "Move s: small s spreads the probability over all prompts, large s puts it all on the best one.")
    st.latex(r"p(j \mid i) = \frac{e^{s\cos(x_i, y_j)}}{\sum_{k=1}^{T} e^{s\cos(x_i, y_k)}}")
    if st.session_state.get("clip_scale_model") != name or "clip_scale" not in st.session_state:
        # a new model starts at its learned scale
        st.session_state["clip_scale_model"] = name
        st.session_state["clip_scale"] = float(round(min(max(learned, 1.0), 100.0), 2))
    scale = st.slider("Logit scale s = 1/τ", 1.0, 100.0, step=0.01, key="clip_scale",
                      help="Default: the model's learned exp(logit_scale). CLIP clamps it at 100.")
    sim = _similarity(img_id, txt_id, scale, _img=E["embeds"], _txt=X["embeds"])
    _chart(cfig.fig_similarity(sim["probs"], labels, prompts, title=f"softmax over each row, s = {scale:g}",
                               ztitle="p", zmin=0.0, zmax=1.0, K=K, extra={"cos": sim["cos"], "logit": sim["logits"]}),
           "clip_probs")
    if st.session_state.get("clip_pick") is None or st.session_state["clip_pick"] >= I:
        st.session_state["clip_pick"] = 0
    pick = st.selectbox("Image for the zero-shot bars and the sharpening curve", list(range(I)), key="clip_pick",
                        format_func=lambda i: labels[i])
    a, b = st.columns([1, 1.2])
    with a:
        cand = st.segmented_control("Candidates", ["your prompts", "6 shape kinds", "9 colours"],
                                    key="clip_cand") or "your prompts"
        if cand == "your prompts":
            cprompts, zs, true = prompts, sim, (pick if pick < K else None)
        else:
            words = list(SHAPE_KINDS) if cand == "6 shape kinds" else [f"{c} shape" for c in COLOURS]
            base = [f"an {w}" if w[0] in "aeiou" else f"a {w}" for w in words]
            cprompts = cl.apply_template(base, template) if use_tpl and "{}" in template else base
            CX = _encode_texts(name, device, tuple(cprompts))
            zs = _similarity(img_id, (name, device, tuple(cprompts)), scale, _img=E["embeds"], _txt=CX["embeds"])
            true = None
        colors = [cfig.PALETTE[j % len(cfig.PALETTE)] for j in range(len(cprompts))] \
            if cand == "your prompts" else None
        _chart(cfig.fig_zero_shot(zs["probs"][pick], zs["cos"][pick], cprompts, true_index=true, colors=colors,
                                  title=f"Zero-shot: which caption fits #{pick}? (s = {scale:g})"), "clip_zeroshot")
    with b:
        curve = cl.sharpening(sim["cos"][pick], SCALES)
        _chart(cfig.fig_sharpen(SCALES, curve, prompts, scale, image_label=f"#{pick}", learned=learned,
                                pair=pick if pick < K else None), "clip_sharpen")
    st.caption("Zero-shot classification is just this row: write one prompt per class, take the most similar. "
               "No classifier was trained for these classes.")
    held = _card(name).get("heldout", {})
    if tiny and "kind_top1" in held:
        st.caption(f"Measured on {held['n']} fresh scenes (model card): this tiny CLIP picks the right colour among 9 "
                   f"“a … shape” prompts {held['colour_top1']:.0%} of the time, but the right kind among 6 only "
                   f"{held['kind_top1']:.0%}; its own caption among {held['candidates']} captions "
                   f"{held['caption_top1']:.0%}. Colour is the easiest word to learn from 64×64 scenes.")
    _code(cl.similarity_lesson, cl.sharpening)

    # ---- 3. loss --------------------------------------------------------------------------------------
    st.subheader("3. The batch's InfoNCE loss")
    st.markdown(f"Training pushes every pair's logit above the others of its row (image → text) **and** of its "
                f"column (text → image). With the {K} pairs on the diagonal as positives:")
    st.latex(r"\mathcal{L} = \frac{1}{2}\Bigg[\underbrace{-\frac{1}{K}\sum_{i=1}^{K}\log\frac{e^{s\cos(x_i,y_i)}}"
             r"{\sum_{j=1}^{K} e^{s\cos(x_i,y_j)}}}_{\text{image}\to\text{text}}"
             r"\;\underbrace{-\frac{1}{K}\sum_{j=1}^{K}\log\frac{e^{s\cos(x_j,y_j)}}{\sum_{i=1}^{K} e^{s\cos(x_i,y_j)}}}"
             r"_{\text{text}\to\text{image}}\Bigg]")
    if K >= 1:
        st.latex(rf"\mathcal{{L}} = \tfrac{{1}}{{2}}\big({sim['loss_i2t']:.4f} + {sim['loss_t2i']:.4f}\big) = "
                 rf"\mathbf{{{sim['loss']:.4f}}}\qquad(s = {scale:g},\ K = {K},\ \text{{chance}} = \log K = "
                 rf"{sim['chance']:.4f})")
        note = f"Only the first {K} images and prompts enter the loss (I = {I}, T = {T}). " if I != T else ""
        st.caption(note + "Computed with `clip_loss(logits[:K, :K])`, the function training uses: "
                   "`(cross_entropy(logits, arange(K)) + cross_entropy(logits.T, arange(K))) / 2`. A loss below "
                   f"log K means the pairs stand out; {sim['pair_acc']:.0%} of the images pick their own prompt.")
        st.dataframe([{"pair": f"#{i}", "image": images[i]["name"], "prompt": prompts[i],
                       "cos": float(sim["cos"][i, i]), "−log p(text | image)": float(sim["row_losses"][i]),
                       "−log p(image | text)": float(sim["col_losses"][i])} for i in range(K)],
                     hide_index=True, column_config={k: st.column_config.NumberColumn(format="%.4f") for k in
                                                     ("cos", "−log p(text | image)", "−log p(image | text)")})
    _code(clip_loss)

    # ---- 4. PCA -------------------------------------------------------------------------------------
    st.subheader("4. Two modalities in one space")
    pca = _pca(img_id, txt_id, _img=E["embeds"], _txt=X["embeds"])
    st.markdown("The image and text embeddings together, projected onto their two main directions (PCA). Each "
                "dotted line links a pair. Contrastive training pulls every pair together, yet it leaves images and "
                "texts in **two separate regions** of the sphere, shifted by a roughly constant offset (the "
                "*modality gap*, Liang et al. 2022): the links then run almost parallel. What decides a match is "
                "which prompt is *relatively* closest, not how close it is.")
    pair_mean = f", of an image and its own prompt **{float(np.mean(np.diagonal(cos)[:K])):.3f}**" if K else ""
    st.markdown(f"Here, from the {E['embeds'].shape[1]}-dimensional embeddings: mean cosine of two images "
                f"**{pca['cos_image_image']:.3f}**, of two prompts **{pca['cos_text_text']:.3f}**, of any image and "
                f"prompt **{pca['cos_image_text']:.3f}**{pair_mean}; distance between the two modalities' mean "
                f"embeddings {pca['gap']:.3f}.")
    pair_cos = np.array([cos[i, i] for i in range(K)])
    _chart(cfig.fig_pca(pca["image_xy"], pca["text_xy"], labels, prompts, K=K, explained=pca["explained"],
                        pair_cos=pair_cos, title=f"PCA of {I} image and {T} text embeddings (E = "
                                                 f"{E['embeds'].shape[1]} → 2)"), "clip_pca")
    st.caption(f"Two axes keep {pca['explained'].sum():.0%} of the variance: distances in the picture are only "
               "roughly those in E dimensions; hover a point for its exact cosine with its partner.")
    _code(cl.pca_2d)

    # ---- 5. where does the prompt look ---------------------------------------------------------------
    st.subheader("5. Where does the prompt look?")
    st.markdown("Every patch token also goes through the image tower's final LayerNorm and projection, so it gets "
                "a vector in the same space: the cosine of a prompt with each patch, drawn over the image. "
                "Ideally “cat” lights up the cat and “boots” the boots.")
    st.warning("Trust this picture only a little. CLIP was trained to align the **[CLS]** embedding with the "
               "text, never the patches: patch embeddings are a by-product, often noisy, sometimes brightest on "
               "the background. Read it as a hint of which patches resemble the prompt, not as a segmentation.",
               icon=":material/info:")
    if st.session_state.get("clip_look") is None or st.session_state["clip_look"] >= I:
        st.session_state["clip_look"] = 0
    look = st.selectbox("Image", list(range(I)), key="clip_look", format_func=lambda i: labels[i])
    maps = cl.patch_similarity(E["patches"][look:look + 1], X["embeds"][:9], E["grid"])[0]  # (T', gh, gw)
    _chart(cfig.fig_prompt_maps(E["images"][look], maps, E["patch_size"], prompts[:9], cls_cos=cos[look, :9]),
           "clip_look_maps")
    st.caption(("" if T <= 9 else f"The first 9 of {T} prompts are shown. ") + "One colour scale for all prompts "
               "(bright = the patch's embedding points the same way as the prompt's). Each title gives the whole "
               "image's cosine ([CLS]) and the range over the patches.")
    _code(CLIP.encode_patches, cl.patch_similarity)


if not images or not prompts:
    st.info("Add at least one image and one prompt to see the similarity matrix.")
else:
    sections(images, prompts)


# ---- 6. train CLIP live ------------------------------------------------------------------------------------
def _draw_live(ph_matrix, ph_curve, hist: dict, captions: list[str]) -> None:
    done = hist["eval_steps"][-1] if hist["eval_steps"] else 0
    ph_matrix.plotly_chart(cfig.fig_similarity(
        hist["cos"], [f"#{i}" for i in range(len(captions))], captions, K=len(captions), annotate=False,
        title=f"Held-out batch after {done} steps: cos(image i, caption j)", ztitle="cos", zmin=-1.0, zmax=1.0,
        colorscale="RdBu_r", height=430), config=CONFIG)
    ph_curve.plotly_chart(cfig.fig_training_curve(hist["steps"], hist["loss"], hist["eval_steps"], hist["heldout_loss"],
                                                  hist["heldout_acc"], total=hist["total"],
                                                  chance=float(np.log(hist["batch"]))), config=CONFIG)


def _on_start() -> None:
    st.session_state["clip_live_go"] = True


@st.fragment
def live_panel(steps: int, data: str, batch: int) -> None:
    """The live run's progress, held-out matrix and loss curve; trains when Start was pressed.

    Start and Stop sit outside this fragment on purpose: a click outside a fragment reruns the app,
    which interrupts the loop below at its next Streamlit call (a click inside would only be queued
    until the run ends)."""
    go = st.session_state.pop("clip_live_go", False)
    held = st.session_state.get("clip_live_heldout")
    if held is None:
        held = st.session_state["clip_live_heldout"] = clive.heldout_batch()
    status, bar = st.empty(), st.empty()
    st.caption("The held-out batch (never trained on), image i with caption i:")
    st.image([cfig.crisp(x, 80)[0] for x in held["rgb"]], caption=[f"#{i} {c}" for i, c in enumerate(held["captions"])],
             width=80)
    a, b = st.columns(2)
    ph_matrix, ph_curve = a.empty(), b.empty()
    last = st.session_state.get("clip_live_last")
    if not go:
        if last is not None:
            _draw_live(ph_matrix, ph_curve, last, held["captions"])
            status.caption(last["message"] + ("" if last["done"] else " · stopped"))
        return
    runs, session = _live_runs(), _session_id()
    refusal = runs.start(session)
    if refusal:
        status.warning(refusal)
        return
    hist = dict(steps=[], loss=[], eval_steps=[], heldout_loss=[], heldout_acc=[], cos=None, total=steps, batch=batch,
                message="", done=False)
    try:
        with clive.torch_threads(1):  # one core per run, so the other students' pages stay quick
            for info in clive.live_training(steps, batch_size=batch, data=data, heldout=held, max_seconds=LIVE_SECONDS):
                if info["step"]:
                    hist["steps"].append(info["step"])
                    hist["loss"].append(info["loss"])
                if "cos" in info:
                    hist["eval_steps"].append(info["step"])
                    hist["heldout_loss"].append(info["heldout_loss"])
                    hist["heldout_acc"].append(info["heldout_acc"])
                    hist["cos"] = info["cos"]
                    hist["message"] = (f"Step {info['step']}/{steps} · batch loss {info['loss']:.3f} · held-out loss "
                                       f"{info['heldout_loss']:.3f}, top-1 {info['heldout_acc']:.0%} · learned s = "
                                       f"{info['scale']:.1f} · {info['seconds']:.0f} s")
                    st.session_state["clip_live_last"] = hist
                    _draw_live(ph_matrix, ph_curve, hist, held["captions"])
                bar.progress(info["step"] / steps, text=f"step {info['step']} / {steps} · {info['seconds']:.0f} s")
        hist["done"] = True
        status.success(hist["message"] + (" · stopped at the time limit" if hist["steps"][-1] < steps else " · done"))
    finally:  # also when a click or a closed tab interrupts the loop
        runs.end(session)


st.subheader("6. Train CLIP live")
_tiny_card = _card("clip-tiny-shapes")
_phases = _tiny_card.get("phases", [])
_trained = (f"{sum(p['steps'] for p in _phases)} steps of {_tiny_card['recipe']['batch_size']} pairs "
            f"in {sum(p['wall_time_s'] for p in _phases) / 60:.0f} min" if _phases else "thousands of steps")
st.markdown("Start from **random weights** (the tiny CLIP's architecture, seeded) and train it here on the CPU: every "
            "step draws a fresh batch of scenes and captions and takes one AdamW step on the InfoNCE loss. Watch a fixed "
            "held-out batch: its matrix starts uniform and turns **diagonal** as the two encoders learn to agree; at "
            "first the loss sits at log B while both encoders map everything to the same point. (The embedded model "
            f"got {_trained} on the full shapes world.) At most {MAX_STEPS} steps and "
            f"{LIVE_SECONDS:.0f} s, on one CPU thread.")
c1, c2, c3 = st.columns(3)
live_steps = c1.slider("Steps", 20, MAX_STEPS, step=10, key="clip_live_steps")
live_data = c2.segmented_control("Training data", ["easy", "full"], key="clip_live_data",
                                 help="easy: calm backgrounds, captions like “a red circle” (learns in a few hundred "
                                      "steps). full: the embedded model's data (needs thousands).") or "easy"
live_batch = c3.select_slider("Pairs per batch B", [16, 32, 64], key="clip_live_batch")
b1, b2, _ = st.columns([1.6, 1, 3])
b1.button("Train from scratch", type="primary", key="clip_live_start", icon=":material/play_arrow:", on_click=_on_start)
b2.button("Stop", key="clip_live_stop", icon=":material/stop:",
          help="Any click on the page stops a run: Streamlit reruns the page, and the training loop ends.")
live_panel(live_steps, live_data, live_batch)
_code(clive.live_training, clive.easy_batch, train_step)
_keep_widgets()  # save what this run changed (a new model's scale, a clamped image index)
