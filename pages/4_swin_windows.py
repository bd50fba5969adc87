"""Lesson: Swin windows. Window partition, cyclic shift, mask, relative position bias, patch merging."""

import itertools

from mmviz import ui
from mmviz.figures import swin_windows as sfig
from mmviz.lessons import swin_windows as sl
from mmviz.ui import st

ui.start_page()
T = ui.texts("swin_windows")

MAX_HEADS = 12  # per-head panels drawn at most
STEPS = ["1 · Shift", "2 · Regions", "3 · Mask", "4 · Attention", "5 · Shift back"]  # ids; shown as T("step_k")


# --------------------------------------------------------------------------- cached backend calls
@ui.cached()
def _windows(key: str, size: int, M: int, s: int, _image) -> dict:
    return sl.windows_lesson(_image, size=size, M=M, s=s)


@ui.cached()
def _reach(grid: tuple, M: int, s: int, start: int, blocks: int) -> dict:
    return sl.receptive_field(grid, M, s, start, blocks)


@ui.cached(spinner=T("running"))
def _run(key: str, name: str, size: int, device: str, _image) -> dict:
    return sl.model_lesson(ui.model(name), _image, size=size, device=device)


@ui.cached()
def _rel(M: int, key: str, _table) -> dict:
    return sl.relative_position_lesson(M, _table)


@ui.cached()
def _swin_t(pixels_shape: tuple) -> dict:
    return sl.swin_t_shapes(pixels_shape)


# --------------------------------------------------------------------------- page
st.title(T("title"))
st.markdown(T("intro"))
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}+B\right)V"
         r"\qquad B_{ij}=\hat B\big[\mathrm{index}(i,j)\big]")

# ---- model and image -----------------------------------------------------------------------------
info = ui.model_picker("swin", "sw_model", missing_embedded=T("missing"), untrained_note=T("untrained"))
name, cfg, sizes, img = info.name, sl.PRESETS[info.preset], sl.input_sizes(info.preset), ui.current_image()
c1, c2, c3 = st.columns(3)
size = ui.selectbox(T("size"), sizes, key="sw_size", default=sizes[0], into=c1)
M = ui.slider(T("M"), 2, 8, key="sw_M", default=cfg.window_size, into=c2, help=T("M_help", M=cfg.window_size))
ui.follow("sw_s", M, M // 2)  # a new window size starts from Swin's own shift, M // 2
s = ui.slider(T("s"), 0, M - 1, key="sw_s", default=M // 2, into=c3, help=T("s_help"))
try:
    W = _windows(img["key"], size, M, s, _image=img["image"])
    R = _run(img["key"], name, size, ui.device(), _image=img["image"])
except (ValueError, RuntimeError, OSError) as e:
    st.error(T("error", why=ui.scrub(e)))
    st.stop()
(gh, gw), (Hp, Wp), P, nW, N = W["grid"], W["padded"], W["P"], W["nW"], M * M
ui.metrics((T("m_grid"), f"{gh}×{gw}", T("m_grid_help", h=gh * P, w=gw * P, P=P)),
           (T("m_padded"), f"{Hp}×{Wp}", T("m_padded_help")),
           (T("m_nW"), nW, "masks.shape[0]"), (T("m_N"), N, "M²"),
           (T("m_keys"), f"{N} / {gh * gw}", T("m_keys_help")))
blk0 = R["blocks"][0]


@ui.part(T("s1"), "sw_s1", expanded=True)
def _():
    st.markdown(T("s1_md", P=P, gh=gh, gw=gw, M=M))
    ui.chart(sfig.fig_partition(W["padded_image"], W["window_of"], P, real=W["real_ids"],
                                title=f"W-MSA: {nW} windows of {M}×{M} patches"), "sw_windows")
    ui.show_code(sl.pad_to_multiple, sl.window_partition, sl.window_reverse, joined=True)


@ui.part(T("s2"), "sw_s2", keep={"sw_step": STEPS[0]})
def _():
    if s == 0:
        st.info(T("s0"))
    step = st.segmented_control(T("step"), STEPS, key="sw_step",
                                format_func=lambda v: T(f"step_{STEPS.index(v) + 1}")) or STEPS[0]
    ids_rolled = W["rolled_ids"]
    if step == STEPS[0]:
        st.markdown(T("shift_md", s=s))
        where = W["window_of"][ids_rolled == 0]  # the rolled position of patch 0 (top-left), and its window
        if ui.predict("sw_q_shift", T("q_shift", s=s, n=nW - 1), lo=0, hi=nW - 1, context=(img["key"], size, M, s),
                      reveal=lambda: (int(where[0]), T("q_shift_why", s=s, w=int(where[0]), nW=nW))) is None:
            st.caption(T("shift_open"))  # both grids name patch 0's window on hover; the rolled one shows it
            ui.show_code(sl.cyclic_shift, joined=True)
            return
        a, b = st.columns(2)
        ui.chart(sfig.fig_partition(W["padded_image"], W["shifted_window_of"], P, title="Before: shifted windows"
                                    "<br>(same colour = same window)"), "sw_shift_a", into=a)
        ui.chart(sfig.fig_partition(W["rolled_image"], W["window_of"], P, real=ids_rolled,
                                    title=f"After cyclic_shift(x, {s}):<br>regular windows"), "sw_shift_b", into=b)
        ui.show_code(sl.cyclic_shift, joined=True)
    elif step == STEPS[1]:
        st.markdown(T("regions_md"))
        ui.chart(sfig.fig_partition(W["rolled_image"], W["labels_rolled"], P, outline=W["window_of"], real=ids_rolled,
                                    what="region", opacity=0.55, title="Region labels on the rolled grid "
                                    "(white lines: windows)"), "sw_regions")
        ui.show_code(sl.region_labels, joined=True)
    elif step in (STEPS[2], STEPS[3]):
        win = ui.slider(T("window"), 0, nW - 1, key="sw_win", default=nW - 1, help=T("window_help"))
        V = sl.window_mask_view(W, win)
        if step == STEPS[2]:
            st.markdown(T("mask_md"))
            a, b = st.columns([1.5, 1])
            ui.chart(sfig.fig_matrix(W["masks"][win], M, title=f"Mask of window {win}: {V['allowed']} of {N * N} "
                                     "pairs allowed", ztitle="mask", colorscale=[[0, "#b2182b"], [1, "#f7f7f7"]],
                                     zmin=-100, zmax=0, fmt=".0f", custom=V["pairs"],
                                     custom_hover="<br>labels %{customdata[4]} → %{customdata[5]}"), "sw_mask", into=a)
            ui.chart(sfig.fig_window_labels(V["labels"], win), "sw_mask_labels", into=b)
            ui.show_code(sl.shifted_window_mask, joined=True)
        else:
            st.markdown(T("toy_md", win=win, t=f"{sl.TOY_TEMPERATURE:g}"))
            a, b = st.columns(2)
            ui.chart(sfig.fig_matrix(W["toy_attn_nomask"][win], M, title="softmax(scores): no mask", ztitle="weight",
                                     zmin=0), "sw_toy_a", into=a)
            ui.chart(sfig.fig_matrix(W["toy_attn"][win], M, title="softmax(scores + mask)", ztitle="weight", zmin=0),
                     "sw_toy_b", into=b)
            ui.show_code(sl.WindowAttention.forward, sl.attend, joined=True)
    else:
        st.markdown(T("back_md", s=s, diff=W["reverse_diff"]))
        ui.chart(sfig.fig_partition(W["padded_image"], W["labels_back"], P, outline=W["shifted_window_of"],
                                    what="region", opacity=0.55, title="Regions rolled back onto the image"), "sw_back")
        ui.show_code(sl.reverse_cyclic_shift, sl.SwinBlock.forward, joined=True)


@ui.part(T("s3"), "sw_s3")
def _():
    st.markdown(T("s3_md"))
    c1, c2, c3 = st.columns(3)
    row = ui.slider(T("row"), 0, gh - 1, key="sw_row", default=gh // 2, into=c1)
    col = ui.slider(T("col"), 0, gw - 1, key="sw_col", default=gw // 2, into=c2)
    k = ui.slider(T("k"), 1, 8, key="sw_k", default=2, into=c3)
    RF = _reach((gh, gw), M, s, row * gw + col, 8)
    a, b = st.columns([3, 1])
    ui.chart(sfig.fig_reach(W["image"], RF["first"], P, row * gw + col, k, title=f"Patch ({row}, {col}) reaches "
                            f"{RF['counts'][k]} of {gh * gw} patches after {k} blocks"), "sw_reach", into=a)
    for j in sorted({1, 2, k}):
        b.metric(T("after_1" if j == 1 else "after_n", j=j), f"{RF['counts'][j]} / {gh * gw}",
                 help="W-MSA" if j % 2 else T("sw_msa_shift", s=s))
    b.caption(T("reach_caption", s=s, counts=", ".join(str(int(c)) for c in RF["counts"][1:])))
    ui.show_code(sl.window_cells, sl.receptive_field, joined=True)


@ui.part(T("s4"), "sw_s4")
def _():
    st.markdown(T("s4_md", M=M, n=(2 * M - 1) ** 2))
    table = R["tables"][0] if blk0["window"] == M else None
    rel = _rel(M, f"{name}-{M}" if table is not None else f"random-{M}", _table=table)
    a, b = st.columns([1, 1.3])
    ui.chart(sfig.fig_matrix(rel["index"], M, title=f"relative_position_index({M})", ztitle="index", fmt=".0f",
                             custom=rel["offsets"], custom_hover="<br>offset dy=%{customdata[4]}, dx=%{customdata[5]}"),
             "sw_index", into=a)
    r1, r2 = b.columns(2)
    head = ui.selectbox(T("head"), list(range(rel["table"].shape[0])), key="sw_rel_head", default=0, into=r1)
    q = ui.slider(T("query"), 0, N - 1, key="sw_rel_q", default=N // 2, into=r2)
    ui.chart(sfig.fig_bias_lookup(rel["table"][head], rel["bias"][head, q], M, q, head), "sw_bias", into=b)
    src = T("table_own", name=name) if table is not None else T("table_random", m=blk0["window"])
    st.caption(T("table_caption", src=src))
    ui.show_code(sl.relative_position_index, sl.relative_position_bias, joined=True)


@ui.part(T("s5"), "sw_s5")
def _():
    st.markdown(T("s5_md"))
    stages = R["stages"]
    ui.chart(sfig.fig_stages(R["image"], stages, blk0["window"]), "sw_stages")
    st.markdown(" · ".join(T("merge_step", a=a["stage"], b=b["stage"], c=a["channels"], c4=4 * a["channels"],
                             c2=b["channels"], g=f"{a['grid'][0]}×{a['grid'][1]}", g2=f"{b['grid'][0]}×{b['grid'][1]}")
                           for a, b in itertools.pairwise(stages)))
    st.table([{T("col_stage"): x["stage"], T("col_grid"): f"{x['grid'][0]}×{x['grid'][1]}",
               T("col_channels"): x["channels"], T("col_tokens"): x["tokens"], T("col_covers"): f"{x['px']}×{x['px']} px",
               T("col_shape"): str(x["shape"])} for x in stages])
    ST = _swin_t(R["pixels_shape"])
    summary = "; ".join(T("swin_t_stage", i=x["stage"], g=f"{x['grid'][0]}×{x['grid'][1]}×{x['channels']}",
                          n=x["windows"]) for x in ST["stages"])
    st.caption(T("swin_t", h=ST["size"][0], w=ST["size"][1], summary=summary))
    ui.show_code(sl.merge_neighbours, sl.patch_merging, sl.PatchMerging.forward, joined=True)


@ui.part(T("s6"), "sw_s6")
def _():
    C = R["stages"][0]["channels"]
    cost = sl.cost_lesson((gh, gw), C, M, P)
    msa, wmsa = cost["msa"], cost["wmsa"]
    if ui.predict("sw_q_cost", T("q_cost", n=gh * gw, gh=gh, gw=gw, C=C, M=M), lo=0.0, hi=1e6, step=0.1,
                  tolerance=0.1, context=(gh, gw, C, M), reveal=lambda: (round(cost["ratio"], 1), T(
                      "q_cost_why", ratio=cost["ratio"], n=gh * gw, N=M * M))) is None:  # the numbers give the ratio
        st.latex(r"\Omega(\mathrm{MSA}) = 4hwC^2 + 2(hw)^2C\qquad \Omega(\mathrm{W\text{-}MSA}) = 4hwC^2 + 2M^2hwC")
    else:
        st.latex(rf"\Omega(\mathrm{{MSA}}) = 4hwC^2 + 2(hw)^2C = {msa:,}\qquad "
                 rf"\Omega(\mathrm{{W\text{{-}}MSA}}) = 4hwC^2 + 2M^2hwC = {wmsa:,}")
        st.caption(T("cost_caption", gh=gh, gw=gw, C=C, M=M, ratio=cost["ratio"]))
    ui.chart(sfig.fig_cost(cost["curve"], cost["side"], msa, wmsa, C=C, M=M), "sw_cost")
    ui.show_code(sl.msa_cost, sl.wmsa_cost, joined=True)


@ui.part(T("s7"), "sw_s7")
def _():
    labels = [T("block_sw" if b["shift"] else "block_w", stage=b["stage"], block=b["block"], s=b["shift"])
              for b in R["blocks"]]
    c1, c2, c3 = st.columns(3)
    bi = ui.selectbox(T("block"), list(range(len(labels))), key="sw_block", default=1 if len(labels) > 1 else 0,
                      into=c1, format_func=lambda i: labels[i])
    blk, A = R["blocks"][bi], R["attn"][bi]  # A: (windows, heads, M², M²)
    Mb, nWb = blk["window"], A.shape[0]
    wsel = ui.slider(T("window"), 0, nWb - 1, key="sw_mwin", default=nWb - 1, into=c2)
    qsel = ui.slider(T("mq"), 0, Mb * Mb - 1, key="sw_mq", default=0, into=c3)
    st.markdown(T("s7_md", bi=bi, shape=A.shape, q=qsel, w=wsel))
    maps = sl.window_maps(A, blk["cells"], blk["grid"], wsel, qsel)
    qcell = int(blk["cells"][wsel, qsel])
    a, b = st.columns([1.2, 1])
    ui.chart(sfig.fig_window_heads(R["image"], maps[:MAX_HEADS], R["stages"][blk["stage"]]["px"],
                                   qcell if qcell >= 0 else None, cols=2, what=f"window {wsel}, token {qsel}"),
             "sw_heads", into=a)
    if maps.shape[0] > MAX_HEADS:
        a.caption(T("heads_shown", last=MAX_HEADS - 1, n=maps.shape[0]))
    hsel = ui.selectbox(T("mhead"), list(range(A.shape[1])), key="sw_mhead", default=0, into=b)
    ui.chart(sfig.fig_matrix(A[wsel, hsel], Mb, title=f"Block {bi}, window {wsel}, head {hsel}: "
                             "softmax(QKᵀ/√d + B + mask)", ztitle="weight", zmin=0, height=400), "sw_matrix", into=b)
    if R["predictions"]:
        st.markdown(T("predicts") + " " + ", ".join(f"{c} {p:.0%}" for c, p in R["predictions"]))
        if info.tier != "pretrained":
            st.caption(T("tiny_note"))
    ui.show_code(sl.WindowAttention.forward, sl.attend, sl.SwinBlock.forward, joined=True)
