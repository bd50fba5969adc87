"""Lesson: attention maps. What every head of every layer looks at, from one cached forward pass."""

from __future__ import annotations

import inspect

import numpy as np
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:  # a deep link opened this page before app.py ever ran: run the shell
    PagesManager.uses_pages_directory = False
    st.rerun()

from mmviz import attention_maps as am
from mmviz.attention import MultiHeadAttention, attention_rollout, mean_attention_distance
from mmviz.device import pick_device
from mmviz.figures import attention as afig
from mmviz.figures.common import CONFIG
from mmviz.vit import PRESETS
from mmviz.weights import EMBEDDED_NAME, available_models, load_model
from mmviz.inputs import default_image

CACHE = dict(max_entries=16, ttl=3600)
MAX_TOKENS = 257  # input sizes offered keep T = 1 + N under this (square input)


# --------------------------------------------------------------------------- cached backend calls
@st.cache_resource(max_entries=4, show_spinner="Loading the model…")
def _model(name: str, device: str):
    return load_model(name, device=device)


@st.cache_resource
def _device() -> str:
    return str(pick_device())


@st.cache_data(ttl=30, show_spinner=False)
def _models():
    return available_models("vit")


@st.cache_data(**CACHE, show_spinner="Running the ViT once, keeping every attention map…")
def _lesson(image_key: str, name: str, size: int, device: str, _image) -> dict:
    return am.attention_lesson(_model(name, device), _image, size=size, device=device)


@st.cache_data(**CACHE, show_spinner=False)
def _rollout(image_key: str, name: str, size: int, fusion: str, discard: float, _attn, grid) -> np.ndarray:
    return am.rollout_map(_attn, grid, head_fusion=fusion, discard_ratio=discard)


@st.cache_data(**CACHE, show_spinner=False)
def _worked(image_key: str, name: str, size: int, device: str, layer: int, head: int, query: int, _x) -> dict:
    return am.worked_example(_model(name, device), _x, layer, head, query)


@st.cache_data(max_entries=8, show_spinner=False)
def _scene(seed: int) -> tuple[np.ndarray, str]:
    from mmviz.data.shapes import TASKS

    s = TASKS["shape"].scene(np.random.default_rng(seed))
    return s.image, s.caption


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _card(name: str) -> dict:
    import json

    from mmviz.weights import ASSETS

    path = ASSETS / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else {}


@st.cache_resource
def _sources() -> dict[str, str]:
    fns = {"mmviz.attention.MultiHeadAttention.forward": MultiHeadAttention.forward,
           "mmviz.attention.attention_rollout": attention_rollout,
           "mmviz.attention.mean_attention_distance": mean_attention_distance,
           "mmviz.attention_maps.dino_mask": am.dino_mask,
           "mmviz.attention_maps.worked_example": am.worked_example,
           "mmviz.attention_maps.attention_lesson": am.attention_lesson}
    return {k: inspect.getsource(f) for k, f in fns.items()}


def _chart(fig, key: str, **kw):
    return st.plotly_chart(fig, key=key, config=CONFIG, **kw)


def _clamp(key: str, hi: int, default: int) -> None:
    """Keep a widget's stored value valid when the model (and so the range) changes."""
    v = st.session_state.get(key)
    if v is None or not 0 <= v <= hi:
        st.session_state[key] = default


def _sizes(preset: str) -> list[int]:
    cfg = PRESETS[preset]
    S, P = cfg.image_size, cfg.patch_size
    out = [S] + [s - s % P for s in (S * 3 // 2, S * 2)]
    return [s for s in dict.fromkeys(out) if (s // P) ** 2 + 1 <= MAX_TOKENS]


# --------------------------------------------------------------------------- page
st.title("Attention maps")
st.markdown(
    "Inside a transformer every token **asks a question** (its query q), every token **offers a label** "
    "(its key k) and **a message** (its value v). A token's new content is the average of all messages, "
    "weighted by how well its question matches each label. Each head does this with its own q, k, v, so "
    "different heads can look for different things. Below, the real weights of a trained ViT on your image: "
    "where does every head of every layer look?"
)
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}\right)V")

# ---- model ---------------------------------------------------------------------------------------
infos = {m.name: m for m in _models()}
names = [n for n, m in infos.items() if m.available]
embedded_ok = infos[EMBEDDED_NAME].available
if not embedded_ok:
    st.warning(f"The embedded trained model is missing, so only the untrained one can be shown. "
               f"{infos[EMBEDDED_NAME].how_to_get}")
if st.session_state.get("am_model") not in names:
    st.session_state["am_model"] = EMBEDDED_NAME if embedded_ok else "untrained"
name = st.selectbox("Model", names, key="am_model", format_func=lambda n: f"{n} · {infos[n].description}")
missing = [m for m in infos.values() if not m.available and m.tier == "pretrained"]
if missing:
    st.caption("Not available here: " + " ".join(f"**{m.name}**: {m.how_to_get}" for m in missing))
info = infos[name]
tiny = info.preset == EMBEDDED_NAME

# ---- image ---------------------------------------------------------------------------------------
img = st.session_state.get("image") or default_image()  # the sidebar's choice, else the sample
if tiny:
    b1, b2, _ = st.columns([1, 1, 1])
    if b1.button("Shapes world sample", key="am_shapes_btn", help="A new scene from mmviz.data.shapes (seeded)."):
        st.session_state["am_scene"] = st.session_state.get("am_scene", -1) + 1
    if st.session_state.get("am_scene") is not None and b2.button("Back to my image", key="am_back_btn"):
        st.session_state["am_scene"] = None
    seed = st.session_state.get("am_scene")
    if seed is not None:
        from PIL import Image

        arr, caption = _scene(seed)
        img = {"name": f"shapes world #{seed}: {caption}", "key": f"shapes-{seed}", "image": Image.fromarray(arr)}
    elif name == EMBEDDED_NAME:
        st.info("This tiny model was trained only on the **shapes world**: one coloured shape on a plain, "
                "textured or photo background (64×64 px), and its task is to **name the shape's colour**, "
                "so it learned to find the one object in the clutter. On a photo it still attends, but its "
                "[CLS] has never seen a cat. Press **Shapes world sample** to see it on data it knows.")
        card = _card(name)
        if card.get("heldout", {}).get("attn_on_object_by_layer"):
            h = card["heldout"]
            st.caption(f"Measured on {h['n']} fresh scenes (model card): accuracy {h['accuracy']:.1%}. Share of "
                       "[CLS]'s attention on the object's patches, layer by layer: "
                       + ", ".join(f"L{i} {v:.0%}" for i, v in enumerate(h["attn_on_object_by_layer"]))
                       + f" (uniform attention: {h['object_patch_share']:.0%}). Nothing told it where to look: "
                       "the only training signal was the colour's name.")

sizes = _sizes(info.preset)
if st.session_state.get("am_size") not in sizes:
    st.session_state["am_size"] = sizes[0]
size = st.selectbox("Input size (short side, pixels)", sizes, key="am_size",
                    help="Positions are interpolated (bicubic) for sizes other than the training size.") \
    if len(sizes) > 1 else sizes[0]

device = _device()
try:
    L = _lesson(img["key"], name, size, device, _image=img["image"])
except (ValueError, RuntimeError, OSError) as e:
    st.error(f"The model could not read this image: {e}")
    st.stop()

n = L["numbers"]
gh, gw = L["grid"]
P = L["patch_size"]
_, _, Hp, Wp = L["shapes"]["pixels"]
note = L["note"]
extra = []
if note["tiny"]:
    extra.append(f"It is smaller than one {P} px patch, so it was **enlarged**: it holds no detail to attend to.")
elif note["upscaled"]:
    extra.append("It was **upscaled**, which adds no detail.")
if note["cropped_aspect"]:
    extra.append("It is a **panorama** (or very tall), so its middle part was kept.")
st.caption(f"**{img['name']}** ({L['original_size'][0]}×{L['original_size'][1]}) → {Wp}×{Hp} px. "
           f"{note['rule']} " + " ".join(extra))

m = st.columns(6)
m[0].metric("Patches N", n["N"], help="cls_maps.shape: gh × gw")
m[1].metric("Tokens T", n["T"], help="tokens.shape[1], with [CLS]")
m[2].metric("Width D", n["D"], help="tokens.shape[2]")
m[3].metric("Heads h", n["heads"], help="attn.shape[1]")
m[4].metric("Layers", n["depth"], help="len(attentions)")
m[5].metric("Head size d", n["head_dim"], help="D / h")
m[0].caption(f"{Hp}·{Wp}/{P}² = {Hp * Wp // P**2}")
m[1].caption(f"N + 1 = {Hp * Wp // P**2 + 1}")
m[3].caption(f"attention {n['heads']}×{n['T']}×{n['T']}")
m[5].caption(f"{n['D']}/{n['heads']} = {n['D'] // n['heads']}")
if (n["N"], n["T"]) != (Hp * Wp // P**2, Hp * Wp // P**2 + 1):
    st.error("The formula and the tensors disagree: please report this bug.")
if L["predictions"]:
    st.markdown("**The model predicts:** " + ", ".join(f"{c} {p:.0%}" for c, p in L["predictions"]))

# ---- layer / head ----------------------------------------------------------------------------------
_clamp("am_layer", n["depth"] - 1, n["depth"] - 1)
_clamp("am_head", n["heads"] - 1, 0)
c1, c2 = st.columns([3, 1])
layer = c1.slider("Layer", 0, n["depth"] - 1, key="am_layer", help="0 = first block")
head = c2.selectbox("Head", list(range(n["heads"])), key="am_head")

# ---- 1. [CLS] maps -------------------------------------------------------------------------------
st.subheader(f"1. What [CLS] looks at: every head of layer {layer}")
late = getattr(_model(name, device).cfg, "cls_from_layer", 0)
if late:
    st.info(f"In this tiny model **[CLS] joins the patches only in layer {late}** (CaiT-style class attention): "
            f"in layers 0–{late - 1} it attends to itself and no patch attends to it, so the patches first work "
            f"out among themselves what is where, and everything [CLS] knows about the image it reads in layer "
            f"{late}." + (" Its maps below are empty in this layer." if layer < late else ""))
_chart(afig.fig_head_maps(L["image"], L["cls_maps"][layer], P), "am_cls")
st.caption(f"Row 0 of each head's {n['T']}×{n['T']} attention matrix, without the [CLS] column, drawn over "
           "the patches. Each head has its own colour range (0 to its maximum); hover for the weight.")

# ---- 2. query patch ------------------------------------------------------------------------------
st.subheader("2. Pick any patch: where does it look?")
try:  # a click on the patch picker (below) arrives here on the next run
    pts = [p for p in st.session_state["am_picker"]["selection"]["points"] if p.get("curve_number") == 1]
except (KeyError, TypeError):
    pts = []
if pts:
    clicked = pts[0].get("point_index", pts[0].get("point_number"))
    if clicked is not None and clicked != st.session_state.get("am_last_click"):
        st.session_state["am_last_click"] = clicked
        st.session_state["am_query"] = int(clicked)
_clamp("am_query", n["N"] - 1, (gh // 2) * gw + gw // 2)
query = st.slider("Query patch index (or click a patch)", 0, n["N"] - 1, key="am_query")
a, b = st.columns([1, 2.2])
with a:
    st.plotly_chart(afig.fig_query_picker(L["image"], L["grid"], P, query), key="am_picker", on_select="rerun",
                    selection_mode="points", config={**CONFIG, "displayModeBar": False})
with b:
    qmaps = am.query_attention(L["attn"], layer, 1 + query, L["grid"])
    _chart(afig.fig_head_maps(L["image"], qmaps, P, what=f"patch {query} →", query=query, cols=2 if n["heads"] <= 4 else 4),
           "am_query_maps")
st.caption("Early layers tend to look near the query patch, later ones further away and at the object. "
           "The weight on [CLS] itself is not drawn.")

# ---- 3. the matrix -------------------------------------------------------------------------------
st.subheader(f"3. The whole {n['T']}×{n['T']} matrix of layer {layer}, head {head}")
_chart(afig.fig_attention_matrix(L["attn"][layer, head], L["grid"], query=1 + query,
                                 title=f"A = softmax(QKᵀ/√d), layer {layer}, head {head}: row = query, column = key"),
       "am_matrix")
st.caption("Every row sums to 1. Row 0 is [CLS] (section 1); the cyan line marks the query patch's row "
           "(section 2). Colours stop at the 99th percentile; hover gives the exact weight.")

# ---- 4. rollout ----------------------------------------------------------------------------------
st.subheader("4. Attention rollout: follow attention through all layers")
st.markdown("One layer's map ignores the residual connection and the layers below. **Rollout** "
            "(Abnar & Zuidema, 2020) fuses the heads, adds the identity for the residual path, renormalises, "
            "and multiplies the layers together.")
st.latex(r"\tilde A_\ell = \mathrm{norm}\big(\tfrac{1}{2}(\mathrm{fuse}_h A_\ell + I)\big),\qquad "
         r"R = \tilde A_{L-1}\cdots\tilde A_1\tilde A_0")
r1, r2 = st.columns(2)
fusion = r1.segmented_control("Head fusion", ["mean", "max", "min"], default="mean", key="am_fusion") or "mean"
discard = r2.slider("Discard ratio (weakest fused weights dropped per layer)", 0.0, 0.95, 0.0, 0.05, key="am_discard")
roll = _rollout(img["key"], name, size, fusion, discard, _attn=L["attn"], grid=L["grid"])
last_mean = L["cls_maps"][-1].mean(0)
_chart(afig.fig_head_maps(L["image"], np.stack([roll, last_mean]), P, what="[CLS] ←", cols=2,
                          titles=[f"rollout over {n['depth']} layers ({fusion}, discard {discard:.0%})",
                                  f"last layer only, mean of {n['heads']} heads"]), "am_rollout")

# ---- 5. DINO masks ---------------------------------------------------------------------------------
st.subheader(f"5. Thresholded masks: the patches holding most of [CLS]'s attention (layer {layer})")
keep = st.slider("Keep this share of the attention mass", 0.1, 0.95, 0.6, 0.05, key="am_keep",
                 help="DINO keeps 60%: sort the patches by weight and keep the top ones until they hold it.")
masks = am.dino_masks(L["cls_maps"][layer], keep)
_chart(afig.fig_masks(L["image"], masks, L["cls_maps"][layer], P, keep), "am_masks")

# ---- 6. distance vs depth --------------------------------------------------------------------------
st.subheader("6. How far does each head look?")
st.markdown("For every query patch, the pixel distance to each key patch weighted by attention, averaged over "
            "queries: small = local, like a convolution; large = global. In the ViT paper some heads look far "
            "already in layer 0, and the spread closes as depth grows.")
st.latex(r"\bar d_{\ell,h} = \frac{1}{N}\sum_{i}\sum_{j} A^{\ell,h}_{ij}\,\lVert p_i - p_j\rVert")
compare = name != "untrained" and st.toggle("Compare with the untrained model (same architecture, random weights)",
                                            key="am_compare")
other = None
if compare:
    U = _lesson(img["key"], "untrained", PRESETS[EMBEDDED_NAME].image_size, device,
                _image=img["image"])
    other = {"name": "untrained", "distance": U["distance"], "entropy": U["entropy"]}
_chart(afig.fig_attention_distance(L["distance"], L["entropy"], uniform_distance=L["uniform_distance"],
                                   layer=layer, head=head, other=other), "am_distance")
ent = float(L["entropy"].mean())
st.caption(f"Dashed: uniform attention ({L['uniform_distance']:.1f} px). Mean entropy of this model's rows: "
           f"{ent:.2f} nats; fully uniform would be log T = {L['max_entropy']:.2f}.")
if compare:
    ul = min(layer, U["numbers"]["depth"] - 1)
    st.markdown(f"**Before vs after training.** Untrained rows have entropy {float(U['entropy'].mean()):.2f} nats "
                f"(uniform: {U['max_entropy']:.2f}): random weights spread attention almost evenly, so their maps are "
                f"noise. This model: {ent:.2f} nats.")
    _chart(afig.fig_head_maps(U["image"], U["cls_maps"][ul], U["patch_size"]), "am_untrained")
    st.caption(f"Untrained model, [CLS] → patches, layer {ul}.")

# ---- 7. worked example -----------------------------------------------------------------------------
st.subheader("7. One row of attention by hand")
use_cls = st.toggle("Use [CLS] as the query (off: the query patch of section 2)", value=True, key="am_we_cls")
qtok = 0 if use_cls else 1 + query
ex = _worked(img["key"], name, size, device, layer, head, qtok, _x=L["block_inputs"][layer])
labels = afig.token_labels(L["grid"])
d = ex["head_dim"]
top0 = int(ex["top"][0])
st.markdown(f"Query **{labels[qtok]}**, layer {layer}, head {head}. The block's input goes through LayerNorm "
            f"(`norm1`) and one `qkv` Linear; this head's slices give q (d = {d}), and a k and v for each of the "
            f"{n['T']} tokens.")
st.latex(rf"s_j = q\cdot k_j,\quad \tilde s_j = \frac{{s_j}}{{\sqrt{{{d}}}}},\quad "
         rf"w_j = \frac{{e^{{\tilde s_j}}}}{{\sum_{{m=1}}^{{{n['T']}}} e^{{\tilde s_m}}}},\quad "
         rf"\text{{out}} = \sum_j w_j v_j")
st.latex(rf"\text{{heaviest key: }} s = {ex['scores'][top0]:.3f},\ \ \tilde s = {ex['scores'][top0]:.3f}/"
         rf"{d ** 0.5:.3f} = {ex['scaled'][top0]:.3f},\ \ w = {ex['weights'][top0]:.4f}")
w1, w2 = st.columns([2, 1])
with w1:
    _chart(afig.fig_worked_example(ex, labels), "am_worked")
with w2:
    st.metric("max |softmax by hand − model's row|", f"{ex['max_diff']:.1e}",
              help="The model's MultiHeadAttention, called with return_attn=True on the same input.")
    st.metric("max |Σ w·v by hand − model|", f"{ex['out_diff']:.1e}")
    st.metric("weights sum", f"{float(ex['weights'].sum()):.6f}")
st.dataframe(
    [{"key": labels[j], "q·k": float(ex["scores"][j]), "q·k/√d": float(ex["scaled"][j]),
      "weight": float(ex["weights"][j]), "‖v‖": float(ex["v_norms"][j])} for j in ex["top"]],
    hide_index=True, column_config={c: st.column_config.NumberColumn(format="%.4f")
                                    for c in ("q·k", "q·k/√d", "weight", "‖v‖")},
)

with st.expander("Show the code"):
    for label, src in _sources().items():
        st.markdown(f"`{label}`")
        st.code(src, language="python")
