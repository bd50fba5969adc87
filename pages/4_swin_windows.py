"""Lesson: Swin windows. Window partition, cyclic shift, mask, relative position bias, patch merging."""

from __future__ import annotations

import functools
import inspect

import numpy as np
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:  # a deep link opened this page before app.py ever ran: run the shell
    PagesManager.uses_pages_directory = False
    st.rerun()

from mmviz.device import pick_device
from mmviz.figures import swin as sfig
from mmviz.figures.common import CONFIG, heatmap
from mmviz.inputs import default_image
from mmviz.swin import lesson as sl
from mmviz.swin import ops
from mmviz.swin.model import PRESETS, PatchMerging, Swin, SwinBlock, WindowAttention
from mmviz.weights import available_models, load_model

CACHE = dict(max_entries=16, ttl=3600)
LOCAL_UNTRAINED = "untrained Swin (built on this page)"
TINY = "swin-tiny-shapes"
MAX_HEADS = 12  # per-head panels drawn at most
STEPS = ["1 · Shift", "2 · Regions", "3 · Mask", "4 · Attention", "5 · Shift back"]


# --------------------------------------------------------------------------- cached backend calls
@st.cache_resource
def _device() -> str:
    return str(pick_device())


@st.cache_data(ttl=30, show_spinner=False)
def _models() -> dict:
    return {m.name: m for m in available_models(family="swin")}


@st.cache_resource(max_entries=3, show_spinner="Loading the model…")
def _model(name: str, device: str):
    if name != LOCAL_UNTRAINED:
        return load_model(name, device=device)
    import torch

    from mmviz.data.shapes import COLOURS

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = Swin(PRESETS[TINY])
    model.class_names = list(COLOURS)
    return model.to(device).eval()


@st.cache_data(**CACHE, show_spinner=False)
def _windows(key: str, size: int, M: int, s: int, _image) -> dict:
    return sl.windows_lesson(_image, size=size, M=M, s=s)


@st.cache_data(**CACHE, show_spinner=False)
def _reach(grid: tuple, M: int, s: int, start: int, blocks: int) -> dict:
    return sl.receptive_field(grid, M, s, start, blocks)


@st.cache_data(**CACHE, show_spinner="Running the Swin once, keeping every window's attention…")
def _run(key: str, name: str, size: int, device: str, _image) -> dict:
    return sl.model_lesson(_model(name, device), _image, size=size, device=device)


@st.cache_data(**CACHE, show_spinner=False)
def _rel(M: int, key: str, _table) -> dict:
    return sl.relative_position_lesson(M, _table)


@st.cache_data(**CACHE, show_spinner=False)
def _swin_t(H: int, W: int) -> list:
    return sl.architecture_shapes(PRESETS["swin-tiny-patch4-window7-224"], H, W)


@functools.lru_cache(maxsize=64)
def _source(fn) -> str:
    return inspect.getsource(fn)


def _code(*fns) -> None:
    with st.expander("Show the code"):
        st.code("\n\n".join(_source(f) for f in fns), language="python")


def _chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, config=CONFIG)


def _clamp(key: str, lo: int, hi: int, default: int) -> None:
    """Keep a widget's value when its range changes (re-assigned, else Streamlit resets it), or reset it
    to ``default`` when it no longer fits."""
    v = st.session_state.get(key)
    st.session_state[key] = v if v is not None and lo <= v <= hi else default


# --------------------------------------------------------------------------- page
st.title("Swin windows")
st.markdown(
    "A ViT lets every patch attend to every other patch: the cost grows with the **square** of the number of "
    "patches. Swin cuts the patch grid into small **M×M windows** and attends only inside each window, so the "
    "cost grows **linearly**. To let neighbouring windows talk, every second block **shifts** the windows by "
    "M/2, and a mask keeps apart the patches that became neighbours only through the shift's wrap-around. "
    "Between stages, **patch merging** halves the grid and doubles the channels, like a CNN's pyramid. "
    "Every picture below is computed on your image by the functions the model itself runs."
)
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}+B\right)V"
         r"\qquad B_{ij}=\hat B\big[\mathrm{index}(i,j)\big]")

# ---- model and image -----------------------------------------------------------------------------
infos = _models()
names = [n for n, m in infos.items() if m.available] or [LOCAL_UNTRAINED]
trained = sorted((n for n in names if n in infos and infos[n].tier != "untrained"),
                 key=lambda n: infos[n].tier != "embedded")  # the embedded model first
if st.session_state.get("sw_model") not in names:
    st.session_state["sw_model"] = trained[0] if trained else names[0]
name = st.selectbox("Model", names, key="sw_model",
                    format_func=lambda n: f"{n} · {infos[n].description}" if n in infos else n)
if not trained:
    hint = next((m.how_to_get for m in infos.values() if m.tier == "embedded"), "") or \
        "Train it with `python -m mmviz.train swin-tiny`."
    st.warning("No trained Swin is available yet, so this page uses a Swin with **random weights**: windows, "
               f"shifts, masks and shapes are exact, but the attention shows no learned pattern. {hint}")
elif name in infos and infos[name].tier == "untrained":
    st.info("Random weights: the attention inside the windows shows no learned pattern.")
preset = infos[name].preset if name in infos else TINY
cfg = PRESETS[preset]
img = st.session_state.get("image") or default_image()
sizes = [cfg.image_size] + ([96, 128] if cfg.image_size == 64 else [])
if st.session_state.get("sw_size") not in sizes:
    st.session_state["sw_size"] = sizes[0]
c1, c2, c3 = st.columns(3)
size = c1.selectbox("Image short side (pixels)", sizes, key="sw_size")
_clamp("sw_M", 2, 8, cfg.window_size)
M = c2.slider("Window size M (patches)", 2, 8, key="sw_M", help=f"The model uses M = {cfg.window_size}.")
if st.session_state.get("sw_M_seen") != M:  # a new window size starts from Swin's own shift, M // 2
    st.session_state["sw_M_seen"], st.session_state["sw_s"] = M, M // 2
_clamp("sw_s", 0, M - 1, M // 2)
s = c3.slider("Shift s (patches)", 0, M - 1, key="sw_s", help="Swin uses s = M // 2; 0 = no shift.")
device = _device()
try:
    W = _windows(img["key"], size, M, s, _image=img["image"])
    R = _run(img["key"], name, size, device, _image=img["image"])
except (ValueError, RuntimeError, OSError) as e:
    st.error(f"This image could not be cut into windows: {e}")
    st.stop()
(gh, gw), (Hp, Wp), P, nW = W["grid"], W["padded"], W["P"], W["nW"]
N = M * M
m = st.columns(5)
m[0].metric("Patch grid", f"{gh}×{gw}", help=f"{img['name']} resized to {gh * P}×{gw * P} px, cut into {P}×{P} px patches")
m[1].metric("Padded grid", f"{Hp}×{Wp}", help="zero-padded at the bottom/right to multiples of M, as the model does")
m[2].metric("Windows nW", nW, help="masks.shape[0]")
m[3].metric("Tokens per window", N, help="M²")
m[4].metric("Keys per query", f"{N} / {gh * gw}", help="a query attends to the M² tokens of its window, not to all patches (ViT)")

# ---- 1. windows -------------------------------------------------------------------------------------
st.subheader("1. Patches, then windows (W-MSA)")
st.markdown(f"The image is cut into **{P}×{P} px patches** (a {gh}×{gw} grid), then into **{M}×{M} windows**. "
            "Attention runs inside each coloured window only. Patches outside the image (grey/black) are padding.")
_chart(sfig.fig_partition(W["padded_image"], W["window_of"], P, real=np.pad(
    np.arange(gh * gw).reshape(gh, gw), ((0, Hp - gh), (0, Wp - gw)), constant_values=-1),
    title=f"W-MSA: {nW} windows of {M}×{M} patches"), "sw_windows")
_code(ops.pad_to_multiple, ops.window_partition, ops.window_reverse)

# ---- 2. SW-MSA step by step --------------------------------------------------------------------------
st.subheader("2. Shifted windows (SW-MSA), step by step")
if s == 0:
    st.info("With s = 0 the next block would use the same windows again: information could never leave a "
            "window. Pick s > 0 (Swin uses M // 2).")
step = st.segmented_control("Step", STEPS, default=STEPS[0], key="sw_step") or STEPS[0]
_clamp("sw_win", 0, nW - 1, nW - 1)
ids_rolled = W["rolled_ids"]
if step == STEPS[0]:
    st.markdown(f"Shifted windows start {s} patches down and right: at the edges they would be smaller pieces "
                f"and more numerous. Instead, Swin **rolls the grid** up and left by s = {s} (`torch.roll`): the "
                "same regular partition of the rolled grid *is* the shifted partition, with the same number of windows.")
    a, b = st.columns(2)
    with a:
        _chart(sfig.fig_partition(W["padded_image"], W["shifted_window_of"], P, title="Before: shifted windows on "
                                  "your image (same colour = same window)"), "sw_shift_a")
    with b:
        _chart(sfig.fig_partition(W["rolled_image"], W["window_of"], P, real=ids_rolled,
                                  title=f"After cyclic_shift(x, {s}): regular windows"), "sw_shift_b")
    _code(ops.cyclic_shift)
elif step == STEPS[1]:
    st.markdown("In the rolled grid, the last row and column of windows mix patches from opposite edges of the "
                "image. Each patch gets a **region label** (row band × 3 + column band); only equal labels are "
                "real neighbours.")
    _chart(sfig.fig_partition(W["rolled_image"], W["labels_rolled"], P, outline=W["window_of"], real=ids_rolled,
                              what="region", opacity=0.55, title="Region labels on the rolled grid "
                              "(white lines: windows)"), "sw_regions")
    _code(ops.region_labels)
elif step in (STEPS[2], STEPS[3]):
    win = st.slider("Window", 0, nW - 1, key="sw_win", help="The last window (bottom-right) mixes four regions.")
    lab = W["labels_rolled"].reshape(Hp // M, M, Wp // M, M).transpose(0, 2, 1, 3).reshape(nW, N)[win]
    if step == STEPS[2]:
        st.markdown("Compare the labels of every (query, key) pair of the window: **0** where equal, **−100** where "
                    "different. Added to the scores, −100 makes the softmax weight e⁻¹⁰⁰ ≈ 0.")
        custom = np.stack(np.broadcast_arrays(lab[:, None], lab[None, :]), -1)
        a, b = st.columns([1.5, 1])
        with a:
            _chart(sfig.fig_matrix(W["masks"][win], M, title=f"Mask of window {win}: {int((W['masks'][win] == 0).sum())}"
                                   f" of {N * N} pairs allowed", ztitle="mask", colorscale=[[0, "#b2182b"], [1, "#f7f7f7"]],
                                   zmin=-100, zmax=0, fmt=".0f", custom=custom,
                                   custom_hover="<br>labels %{customdata[4]} → %{customdata[5]}"), "sw_mask")
        with b:
            _chart(heatmap(lab.reshape(M, M), xtitle="column in the window", ytitle="row in the window",
                           ztitle="region label", colorscale="Viridis", hover_fmt=".0f", height=360,
                           title=f"Region labels inside window {win}"), "sw_mask_labels")
        _code(ops.shifted_window_mask)
    else:
        st.markdown(f"A toy attention inside window {win}: q = k = each patch's own pixels (no learned weights), "
                    f"score = {sl.TOY_TEMPERATURE:g} × cosine similarity. Without the mask, patches from opposite "
                    "image edges attend to each other; with it, each piece attends only within itself.")
        a, b = st.columns(2)
        with a:
            _chart(sfig.fig_matrix(W["toy_attn_nomask"][win], M, title="softmax(scores): no mask", ztitle="weight",
                                   zmin=0), "sw_toy_a")
        with b:
            _chart(sfig.fig_matrix(W["toy_attn"][win], M, title="softmax(scores + mask)", ztitle="weight",
                                   zmin=0), "sw_toy_b")
        _code(WindowAttention.forward)
else:
    st.markdown(f"After attention the windows are put back (`window_reverse`) and the grid is rolled **back** by s = "
                f"{s}: every patch returns to its place (max |difference| = {W['reverse_diff']}). Colours: the region "
                "each patch belonged to, on your image; white lines: the shifted windows.")
    _chart(sfig.fig_partition(W["padded_image"], W["labels_back"], P, outline=W["shifted_window_of"], what="region",
                              opacity=0.55, title="Regions rolled back onto the image"), "sw_back")
    _code(ops.reverse_cyclic_shift, SwinBlock.forward)

# ---- 3. who can talk to whom ---------------------------------------------------------------------------
st.subheader("3. Who can talk to whom")
st.markdown("Pick a patch. Block 1 (W-MSA) mixes it with its window; block 2 (SW-MSA) with the shifted windows that "
            "overlap it; and so on: the receptive field grows across window borders, block after block.")
c1, c2, c3 = st.columns(3)
_clamp("sw_row", 0, gh - 1, gh // 2)
_clamp("sw_col", 0, gw - 1, gw // 2)
row = c1.slider("Patch row", 0, gh - 1, key="sw_row")
col = c2.slider("Patch column", 0, gw - 1, key="sw_col")
_clamp("sw_k", 1, 8, 2)
k = c3.slider("After k blocks", 1, 8, key="sw_k")
RF = _reach((gh, gw), M, s, row * gw + col, 8)
a, b = st.columns([3, 1])
with a:
    _chart(sfig.fig_reach(W["image"], RF["first"], P, row * gw + col, k,
                          title=f"Patch ({row}, {col}) reaches {RF['counts'][k]} of {gh * gw} patches after {k} blocks"),
           "sw_reach")
with b:
    for j in sorted({1, 2, k}):
        st.metric(f"After {j} block{'s' * (j > 1)}", f"{RF['counts'][j]} / {gh * gw}",
                  help="W-MSA" if j % 2 else f"SW-MSA, shift {s}")
    st.caption("A ViT reaches all patches after 1 block. Odd blocks use W-MSA, even blocks SW-MSA (shift "
               f"{s}). Per block: " + ", ".join(str(int(c)) for c in RF["counts"][1:]) + ".")
_code(sl.window_cells, sl.receptive_field)

# ---- 4. relative position bias --------------------------------------------------------------------------
st.subheader("4. Relative position bias B")
st.markdown(f"Swin adds a learned bias to every score, chosen by the **offset** (dy, dx) between query and key. In an "
            f"{M}×{M} window there are (2M−1)² = {(2 * M - 1) ** 2} offsets. The index turns each offset into a row of "
            "the table: index = (dy + M − 1)·(2M − 1) + (dx + M − 1).")
blk0 = R["blocks"][0]
table = R["tables"][0] if blk0["window"] == M else None
rel = _rel(M, f"{name}-{M}" if table is not None else f"random-{M}", _table=table)
a, b = st.columns([1, 1.3])
with a:
    _chart(sfig.fig_matrix(rel["index"], M, title=f"relative_position_index({M})", ztitle="index", fmt=".0f",
                           custom=np.stack([rel["dy"], rel["dx"]], -1),
                           custom_hover="<br>offset dy=%{customdata[4]}, dx=%{customdata[5]}"), "sw_index")
with b:
    nh = rel["table"].shape[0]
    _clamp("sw_rel_head", 0, nh - 1, 0)
    _clamp("sw_rel_q", 0, N - 1, N // 2)
    r1, r2 = st.columns(2)
    head = r1.selectbox("Head", list(range(nh)), key="sw_rel_head")
    q = r2.slider("Query token", 0, N - 1, key="sw_rel_q")
    _chart(sfig.fig_bias_lookup(rel["table"][head], rel["bias"][head, q].reshape(M, M), M, q, head), "sw_bias")
src = f"block 0 of {name}" if table is not None else \
    f"a random table (the model's windows are {blk0['window']}×{blk0['window']}; set M = {blk0['window']} to see its own)"
st.caption(f"Table: {src}. The outlined block of the table holds exactly the biases of the query's row, flipped "
           "(offset = query − key). Symmetric offsets use mirrored entries: index(i, j) + index(j, i) is constant.")
_code(ops.relative_position_index, ops.relative_position_bias)

# ---- 5. patch merging ------------------------------------------------------------------------------------------
st.subheader("5. Patch merging: a pyramid of stages")
st.markdown("After each stage, every 2×2 block of neighbouring tokens is concatenated (4C channels), normalised and "
            "projected to 2C: the grid halves, the channels double, and a window covers 4× more pixels.")
stages = R["stages"]
_chart(sfig.fig_stages(R["image"], stages, blk0["window"]), "sw_stages")
st.markdown(" · ".join(f"stage {a['stage']} → {b['stage']}: 2×2 tokens of {a['channels']} → concat "
                       f"{4 * a['channels']} → Linear → **{b['channels']}** channels, grid {a['grid'][0]}×{a['grid'][1]} → "
                       f"{b['grid'][0]}×{b['grid'][1]}" for a, b in zip(stages, stages[1:])))
st.table([{"stage": x["stage"], "grid (from the tensor)": f"{x['grid'][0]}×{x['grid'][1]}",
               "channels C": x["channels"], "tokens": x["tokens"], "token covers": f"{x['px']}×{x['px']} px",
               "tensor shape": str(x["shape"])} for x in stages])
Hs, Ws = R["pixels_shape"][-2:]
sc = 224 / min(Hs, Ws)
T = _swin_t(round(Hs * sc), round(Ws * sc))
st.caption(f"Swin-T (microsoft/swin-tiny-patch4-window7-224) on this image at {round(Hs * sc)}×{round(Ws * sc)} px, "
           "shapes from a forward pass on PyTorch's meta device: " + "; ".join(
               f"stage {x['stage']} {x['grid'][0]}×{x['grid'][1]}×{x['channels']} ({x['windows']} windows)" for x in T))
_code(ops.merge_neighbours, ops.patch_merging, PatchMerging.forward)

# ---- 6. cost ---------------------------------------------------------------------------------------------
st.subheader("6. Why windows: the cost")
C = stages[0]["channels"]
msa, wmsa = ops.msa_cost(gh, gw, C), ops.wmsa_cost(gh, gw, C, M)
st.latex(rf"\Omega(\mathrm{{MSA}}) = 4hwC^2 + 2(hw)^2C = {msa:,}\qquad "
         rf"\Omega(\mathrm{{W\text{{-}}MSA}}) = 4hwC^2 + 2M^2hwC = {wmsa:,}")
st.caption(f"h×w = {gh}×{gw} patches, C = {C} (stage 0 of the model), M = {M}: windows are {msa / wmsa:.1f}× cheaper. "
           "Global attention grows with the square of the patch count, window attention linearly.")
side = int(round((gh * gw) ** 0.5 * P))
_chart(sfig.fig_cost(sl.cost_curve(C, M, np.unique(np.geomspace(32, 2048, 40).astype(int) // P * P)), side,
                     msa, wmsa, C=C, M=M), "sw_cost")
_code(ops.msa_cost, ops.wmsa_cost)

# ---- 7. model attention -------------------------------------------------------------------------------
st.subheader("7. Attention inside one window, per head")
labels = [f"stage {b['stage']} · block {b['block']} · " + (f"SW-MSA (shift {b['shift']})" if b["shift"] else "W-MSA")
          for b in R["blocks"]]
_clamp("sw_block", 0, len(labels) - 1, 1 if len(labels) > 1 else 0)
c1, c2, c3 = st.columns(3)
bi = c1.selectbox("Block", list(range(len(labels))), key="sw_block", format_func=lambda i: labels[i])
blk, A = R["blocks"][bi], R["attn"][bi]
Mb, nWb = blk["window"], A.shape[0]
_clamp("sw_mwin", 0, nWb - 1, nWb - 1)
_clamp("sw_mq", 0, Mb * Mb - 1, 0)
wsel = c2.slider("Window", 0, nWb - 1, key="sw_mwin")
qsel = c3.slider("Query token in the window", 0, Mb * Mb - 1, key="sw_mq")
st.markdown(f"`attentions[{bi}]` has shape {A.shape} = (windows, heads, M², M²). Each head of query token {qsel} "
            f"of window {wsel}: the weights on the patches of its window (clear outside it). In an SW-MSA block the "
            "last windows are made of pieces from opposite edges: the mask gives the other pieces weight 0.")
maps = sl.window_maps(A, blk["cells"], blk["grid"], wsel, qsel)
qcell = int(blk["cells"][wsel, qsel])
px = R["stages"][blk["stage"]]["px"]
a, b = st.columns([1.2, 1])
with a:
    _chart(sfig.fig_window_heads(R["image"], maps[:MAX_HEADS], px, qcell if qcell >= 0 else None, cols=2,
                                 what=f"window {wsel}, token {qsel}"), "sw_heads")
    if maps.shape[0] > MAX_HEADS:
        st.caption(f"Heads 0–{MAX_HEADS - 1} of {maps.shape[0]} shown; the matrix on the right shows any head.")
with b:
    _clamp("sw_mhead", 0, A.shape[1] - 1, 0)
    hsel = st.selectbox("Head for the full matrix", list(range(A.shape[1])), key="sw_mhead")
    _chart(sfig.fig_matrix(A[wsel, hsel], Mb, title=f"Block {bi}, window {wsel}, head {hsel}: "
                           "softmax(QKᵀ/√d + B + mask)", ztitle="weight", zmin=0, height=400), "sw_matrix")
if R["predictions"]:
    st.markdown("**The model predicts:** " + ", ".join(f"{c} {p:.0%}" for c, p in R["predictions"]))
    if name in infos and infos[name].tier != "pretrained":
        st.caption("The tiny Swin was trained to name the colour of the one shape in a generated 64 px scene "
                   "(9 colours); on a photo it can only guess. The pretrained Swin-T names 1000 ImageNet classes.")
_code(WindowAttention.forward, SwinBlock.forward)
