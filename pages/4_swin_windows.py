"""Lesson: Swin windows. Window partition, cyclic shift, mask, relative position bias, patch merging."""

from mmviz import ui
from mmviz.figures import swin_windows as sfig
from mmviz.lessons import swin_windows as sl
from mmviz.ui import st

ui.start_page()

MAX_HEADS = 12  # per-head panels drawn at most
STEPS = ["1 · Shift", "2 · Regions", "3 · Mask", "4 · Attention", "5 · Shift back"]


# --------------------------------------------------------------------------- cached backend calls
@ui.cached()
def _windows(key: str, size: int, M: int, s: int, _image) -> dict:
    return sl.windows_lesson(_image, size=size, M=M, s=s)


@ui.cached()
def _reach(grid: tuple, M: int, s: int, start: int, blocks: int) -> dict:
    return sl.receptive_field(grid, M, s, start, blocks)


@ui.cached(spinner="Running the Swin once, keeping every window's attention…")
def _run(key: str, name: str, size: int, device: str, _image) -> dict:
    return sl.model_lesson(ui.model(name), _image, size=size, device=device)


@ui.cached()
def _rel(M: int, key: str, _table) -> dict:
    return sl.relative_position_lesson(M, _table)


@ui.cached()
def _swin_t(pixels_shape: tuple) -> dict:
    return sl.swin_t_shapes(pixels_shape)


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
info = ui.model_picker("swin", "sw_model", missing_embedded="No trained Swin is available yet, so this page uses a "
                       "Swin with **random weights**: windows, shifts, masks and shapes are exact, but the attention "
                       "shows no learned pattern.",
                       untrained_note="Random weights: the attention inside the windows shows no learned pattern.")
name, cfg, sizes, img = info.name, sl.PRESETS[info.preset], sl.input_sizes(info.preset), ui.current_image()
c1, c2, c3 = st.columns(3)
size = ui.selectbox("Image short side (pixels)", sizes, key="sw_size", default=sizes[0], into=c1)
M = ui.slider("Window size M (patches)", 2, 8, key="sw_M", default=cfg.window_size, into=c2,
              help=f"The model uses M = {cfg.window_size}.")
ui.follow("sw_s", M, M // 2)  # a new window size starts from Swin's own shift, M // 2
s = ui.slider("Shift s (patches)", 0, M - 1, key="sw_s", default=M // 2, into=c3,
              help="Swin uses s = M // 2; 0 = no shift.")
try:
    W = _windows(img["key"], size, M, s, _image=img["image"])
    R = _run(img["key"], name, size, ui.device(), _image=img["image"])
except (ValueError, RuntimeError, OSError) as e:
    st.error(f"This image could not be cut into windows: {ui.scrub(e)}")
    st.stop()
(gh, gw), (Hp, Wp), P, nW, N = W["grid"], W["padded"], W["P"], W["nW"], M * M
ui.metrics(("Patch grid", f"{gh}×{gw}", f"the image resized to {gh * P}×{gw * P} px, cut into {P}×{P} px patches"),
           ("Padded grid", f"{Hp}×{Wp}", "zero-padded at the bottom/right to multiples of M, as the model does"),
           ("Windows nW", nW, "masks.shape[0]"), ("Tokens per window", N, "M²"),
           ("Keys per query", f"{N} / {gh * gw}", "a query attends to the M² tokens of its window, not to all "
                                                  "patches (ViT)"))
blk0 = R["blocks"][0]


@ui.part("1. Patches, then windows (W-MSA)", "sw_s1", expanded=True)
def _():
    st.markdown(f"The image is cut into **{P}×{P} px patches** (a {gh}×{gw} grid), then into **{M}×{M} windows**. "
                "Attention runs inside each coloured window only. Patches outside the image (grey/black) are padding.")
    ui.chart(sfig.fig_partition(W["padded_image"], W["window_of"], P, real=W["real_ids"],
                                title=f"W-MSA: {nW} windows of {M}×{M} patches"), "sw_windows")
    ui.show_code(sl.pad_to_multiple, sl.window_partition, sl.window_reverse, joined=True)


@ui.part("2. Shifted windows (SW-MSA), step by step", "sw_s2", keep={"sw_step": STEPS[0]})
def _():
    if s == 0:
        st.info("With s = 0 the next block would use the same windows again: information could never leave a "
                "window. Pick s > 0 (Swin uses M // 2).")
    step = st.segmented_control("Step", STEPS, key="sw_step") or STEPS[0]
    ids_rolled = W["rolled_ids"]
    if step == STEPS[0]:
        st.markdown(f"Shifted windows start {s} patches down and right: at the edges they would be smaller pieces "
                    f"and more numerous. Instead, Swin **rolls the grid** up and left by s = {s} (`torch.roll`): the "
                    "same regular partition of the rolled grid *is* the shifted partition, with the same number of "
                    "windows.")
        a, b = st.columns(2)
        ui.chart(sfig.fig_partition(W["padded_image"], W["shifted_window_of"], P, title="Before: shifted windows"
                                    "<br>(same colour = same window)"), "sw_shift_a", into=a)
        ui.chart(sfig.fig_partition(W["rolled_image"], W["window_of"], P, real=ids_rolled,
                                    title=f"After cyclic_shift(x, {s}):<br>regular windows"), "sw_shift_b", into=b)
        ui.show_code(sl.cyclic_shift, joined=True)
    elif step == STEPS[1]:
        st.markdown("In the rolled grid, the last row and column of windows mix patches from opposite edges of the "
                    "image. Each patch gets a **region label** (row band × 3 + column band); only equal labels are "
                    "real neighbours.")
        ui.chart(sfig.fig_partition(W["rolled_image"], W["labels_rolled"], P, outline=W["window_of"], real=ids_rolled,
                                    what="region", opacity=0.55, title="Region labels on the rolled grid "
                                    "(white lines: windows)"), "sw_regions")
        ui.show_code(sl.region_labels, joined=True)
    elif step in (STEPS[2], STEPS[3]):
        win = ui.slider("Window", 0, nW - 1, key="sw_win", default=nW - 1,
                        help="The last window (bottom-right) mixes four regions.")
        V = sl.window_mask_view(W, win)
        if step == STEPS[2]:
            st.markdown("Compare the labels of every (query, key) pair of the window: **0** where equal, **−100** "
                        "where different. Added to the scores, −100 makes the softmax weight e⁻¹⁰⁰ ≈ 0.")
            a, b = st.columns([1.5, 1])
            ui.chart(sfig.fig_matrix(W["masks"][win], M, title=f"Mask of window {win}: {V['allowed']} of {N * N} "
                                     "pairs allowed", ztitle="mask", colorscale=[[0, "#b2182b"], [1, "#f7f7f7"]],
                                     zmin=-100, zmax=0, fmt=".0f", custom=V["pairs"],
                                     custom_hover="<br>labels %{customdata[4]} → %{customdata[5]}"), "sw_mask", into=a)
            ui.chart(sfig.fig_window_labels(V["labels"], win), "sw_mask_labels", into=b)
            ui.show_code(sl.shifted_window_mask, joined=True)
        else:
            st.markdown(f"A toy attention inside window {win}: q = k = each patch's own pixels (no learned weights), "
                        f"score = {sl.TOY_TEMPERATURE:g} × cosine similarity. Without the mask, patches from opposite "
                        "image edges attend to each other; with it, each piece attends only within itself.")
            a, b = st.columns(2)
            ui.chart(sfig.fig_matrix(W["toy_attn_nomask"][win], M, title="softmax(scores): no mask", ztitle="weight",
                                     zmin=0), "sw_toy_a", into=a)
            ui.chart(sfig.fig_matrix(W["toy_attn"][win], M, title="softmax(scores + mask)", ztitle="weight", zmin=0),
                     "sw_toy_b", into=b)
            ui.show_code(sl.WindowAttention.forward, sl.attend, joined=True)
    else:
        st.markdown(f"After attention the windows are put back (`window_reverse`) and the grid is rolled **back** by "
                    f"s = {s}: every patch returns to its place (max |difference| = {W['reverse_diff']}). Colours: the "
                    "region each patch belonged to, on your image; white lines: the shifted windows.")
        ui.chart(sfig.fig_partition(W["padded_image"], W["labels_back"], P, outline=W["shifted_window_of"],
                                    what="region", opacity=0.55, title="Regions rolled back onto the image"), "sw_back")
        ui.show_code(sl.reverse_cyclic_shift, sl.SwinBlock.forward, joined=True)


@ui.part("3. Who can talk to whom", "sw_s3")
def _():
    st.markdown("Pick a patch. Block 1 (W-MSA) mixes it with its window; block 2 (SW-MSA) with the shifted windows "
                "that overlap it; and so on: the receptive field grows across window borders, block after block.")
    c1, c2, c3 = st.columns(3)
    row = ui.slider("Patch row", 0, gh - 1, key="sw_row", default=gh // 2, into=c1)
    col = ui.slider("Patch column", 0, gw - 1, key="sw_col", default=gw // 2, into=c2)
    k = ui.slider("After k blocks", 1, 8, key="sw_k", default=2, into=c3)
    RF = _reach((gh, gw), M, s, row * gw + col, 8)
    a, b = st.columns([3, 1])
    ui.chart(sfig.fig_reach(W["image"], RF["first"], P, row * gw + col, k, title=f"Patch ({row}, {col}) reaches "
                            f"{RF['counts'][k]} of {gh * gw} patches after {k} blocks"), "sw_reach", into=a)
    for j in sorted({1, 2, k}):
        b.metric(f"After {j} block{'s' * (j > 1)}", f"{RF['counts'][j]} / {gh * gw}",
                 help="W-MSA" if j % 2 else f"SW-MSA, shift {s}")
    b.caption("A ViT reaches all patches after 1 block. Odd blocks use W-MSA, even blocks SW-MSA (shift "
              f"{s}). Per block: " + ", ".join(str(int(c)) for c in RF["counts"][1:]) + ".")
    ui.show_code(sl.window_cells, sl.receptive_field, joined=True)


@ui.part("4. Relative position bias B", "sw_s4")
def _():
    st.markdown(f"Swin adds a learned bias to every score, chosen by the **offset** (dy, dx) between query and key. "
                f"In an {M}×{M} window there are (2M−1)² = {(2 * M - 1) ** 2} offsets. The index turns each offset "
                "into a row of the table: index = (dy + M − 1)·(2M − 1) + (dx + M − 1).")
    table = R["tables"][0] if blk0["window"] == M else None
    rel = _rel(M, f"{name}-{M}" if table is not None else f"random-{M}", _table=table)
    a, b = st.columns([1, 1.3])
    ui.chart(sfig.fig_matrix(rel["index"], M, title=f"relative_position_index({M})", ztitle="index", fmt=".0f",
                             custom=rel["offsets"], custom_hover="<br>offset dy=%{customdata[4]}, dx=%{customdata[5]}"),
             "sw_index", into=a)
    r1, r2 = b.columns(2)
    head = ui.selectbox("Head", list(range(rel["table"].shape[0])), key="sw_rel_head", default=0, into=r1)
    q = ui.slider("Query token", 0, N - 1, key="sw_rel_q", default=N // 2, into=r2)
    ui.chart(sfig.fig_bias_lookup(rel["table"][head], rel["bias"][head, q], M, q, head), "sw_bias", into=b)
    src = f"block 0 of {name}" if table is not None else (f"a random table (the model's windows are {blk0['window']}×"
                                                          f"{blk0['window']}; set M = {blk0['window']} to see its own)")
    st.caption(f"Table: {src}. The outlined block of the table holds exactly the biases of the query's row, flipped "
               "(offset = query − key). Symmetric offsets use mirrored entries: index(i, j) + index(j, i) is constant.")
    ui.show_code(sl.relative_position_index, sl.relative_position_bias, joined=True)


@ui.part("5. Patch merging: a pyramid of stages", "sw_s5")
def _():
    st.markdown("After each stage, every 2×2 block of neighbouring tokens is concatenated (4C channels), normalised "
                "and projected to 2C: the grid halves, the channels double, and a window covers 4× more pixels.")
    stages = R["stages"]
    ui.chart(sfig.fig_stages(R["image"], stages, blk0["window"]), "sw_stages")
    st.markdown(" · ".join(sl.merge_steps(stages)))
    st.table([{"stage": x["stage"], "grid (from the tensor)": f"{x['grid'][0]}×{x['grid'][1]}",
               "channels C": x["channels"], "tokens": x["tokens"], "token covers": f"{x['px']}×{x['px']} px",
               "tensor shape": str(x["shape"])} for x in stages])
    T = _swin_t(R["pixels_shape"])
    st.caption(f"Swin-T (microsoft/swin-tiny-patch4-window7-224) on this image at {T['size'][0]}×{T['size'][1]} px, "
               f"shapes from a forward pass on PyTorch's meta device: {T['summary']}")
    ui.show_code(sl.merge_neighbours, sl.patch_merging, sl.PatchMerging.forward, joined=True)


@ui.part("6. Why windows: the cost", "sw_s6")
def _():
    C = R["stages"][0]["channels"]
    cost = sl.cost_lesson((gh, gw), C, M, P)
    msa, wmsa = cost["msa"], cost["wmsa"]
    st.latex(rf"\Omega(\mathrm{{MSA}}) = 4hwC^2 + 2(hw)^2C = {msa:,}\qquad "
             rf"\Omega(\mathrm{{W\text{{-}}MSA}}) = 4hwC^2 + 2M^2hwC = {wmsa:,}")
    st.caption(f"h×w = {gh}×{gw} patches, C = {C} (stage 0 of the model), M = {M}: windows are {cost['ratio']:.1f}× "
               "cheaper. Global attention grows with the square of the patch count, window attention linearly.")
    ui.chart(sfig.fig_cost(cost["curve"], cost["side"], msa, wmsa, C=C, M=M), "sw_cost")
    ui.show_code(sl.msa_cost, sl.wmsa_cost, joined=True)


@ui.part("7. Attention inside one window, per head", "sw_s7")
def _():
    labels = sl.block_labels(R["blocks"])
    c1, c2, c3 = st.columns(3)
    bi = ui.selectbox("Block", list(range(len(labels))), key="sw_block", default=1 if len(labels) > 1 else 0,
                      into=c1, format_func=lambda i: labels[i])
    blk, A = R["blocks"][bi], R["attn"][bi]  # A: (windows, heads, M², M²)
    Mb, nWb = blk["window"], A.shape[0]
    wsel = ui.slider("Window", 0, nWb - 1, key="sw_mwin", default=nWb - 1, into=c2)
    qsel = ui.slider("Query token in the window", 0, Mb * Mb - 1, key="sw_mq", default=0, into=c3)
    st.markdown(f"`attentions[{bi}]` has shape {A.shape} = (windows, heads, M², M²). Each head of query token {qsel} "
                f"of window {wsel}: the weights on the patches of its window (clear outside it). In an SW-MSA block "
                "the last windows are made of pieces from opposite edges: the mask gives the other pieces weight 0.")
    maps = sl.window_maps(A, blk["cells"], blk["grid"], wsel, qsel)
    qcell = int(blk["cells"][wsel, qsel])
    a, b = st.columns([1.2, 1])
    ui.chart(sfig.fig_window_heads(R["image"], maps[:MAX_HEADS], R["stages"][blk["stage"]]["px"],
                                   qcell if qcell >= 0 else None, cols=2, what=f"window {wsel}, token {qsel}"),
             "sw_heads", into=a)
    if maps.shape[0] > MAX_HEADS:
        a.caption(f"Heads 0–{MAX_HEADS - 1} of {maps.shape[0]} shown; the matrix on the right shows any head.")
    hsel = ui.selectbox("Head for the full matrix", list(range(A.shape[1])), key="sw_mhead", default=0, into=b)
    ui.chart(sfig.fig_matrix(A[wsel, hsel], Mb, title=f"Block {bi}, window {wsel}, head {hsel}: "
                             "softmax(QKᵀ/√d + B + mask)", ztitle="weight", zmin=0, height=400), "sw_matrix", into=b)
    if R["predictions"]:
        st.markdown("**The model predicts:** " + ", ".join(f"{c} {p:.0%}" for c, p in R["predictions"]))
        if info.tier != "pretrained":
            st.caption("The tiny Swin was trained to name the colour of the one shape in a generated 64 px scene "
                       "(9 colours); on a photo it can only guess. The pretrained Swin-T names 1000 ImageNet classes.")
    ui.show_code(sl.WindowAttention.forward, sl.attend, sl.SwinBlock.forward, joined=True)
