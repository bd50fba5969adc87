"""Lesson: positional encoding. Thin page: widgets -> cached mmviz call -> mmviz figures."""

from mmviz import ui
from mmviz.figures import positional_encoding as figs
from mmviz.lessons import positional_encoding as pe
from mmviz.ui import st

ui.start_page()
T = ui.texts("positional_encoding")


# --------------------------------------------------------------------------- cached computations
# One cached backend call per section, NumPy out: a control recomputes only its own section.


@ui.cached()
def sinusoid_data(length: int, d_model: int) -> dict:
    return pe.sinusoid_lesson(length, d_model)


@ui.cached()
def permutation_data(image_key: str, _image, patch_size: int, seed: int) -> dict:
    return pe.permutation_lesson(_image, patch_size=patch_size, seed=seed)


@ui.cached()
def grid_similarity(grid: int, dim: int) -> dict:
    return pe.sincos_2d_lesson(grid, dim)


@ui.cached()
def rope_data(head_dim: int, length: int, steps: int, seed: int) -> dict:
    return pe.rope_lesson(head_dim, length, steps, seed)


@ui.cached()
def interpolation_data(old: int, new: int, dim_index: int, mode: str) -> dict:
    return pe.interpolation_demo(old, new, dim=256, mode=mode, dim_index=dim_index)


@ui.cached()
def relative_index_data(M: int) -> dict:
    return pe.relative_index_lesson(M)


# --------------------------------------------------------------------------- page

st.title(T("title"))
st.markdown(T("intro"))

# ---- 1) sinusoidal: its controls drive section 2 as well (whole_page) ------------------------
@ui.part(T("s1"), "pe_s1", expanded=True, keep={"d_model": 128, "length": 64})
def _():
    c1, c2 = st.columns(2)
    d_model = c1.select_slider(T("d_model"), options=[16, 32, 64, 128, 256, 512], key="d_model",
                               on_change=ui.whole_page)
    length = c2.slider(T("length"), 8, 256, step=8, key="length", on_change=ui.whole_page)
    st.latex(
        r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{10000^{2i/d_{model}}}\right),\qquad "
        r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{10000^{2i/d_{model}}}\right)"
    )
    table = sinusoid_data(length, d_model)["table"]
    st.markdown(T("table_md", shape=table.shape))
    ui.chart(figs.sinusoid_heatmap(table, title=T("heatmap_title")), "pe_heatmap")
    ui.chart(figs.sinusoid_lines(table, [0, 1, 6, 7, d_model // 2, d_model - 2],
                                 title=T("lines_title")), "pe_lines")
    ui.show_code(pe.sinusoidal_1d)


# ---- 2) similarity depends on distance -----------------------------------------------------
@ui.part(T("s2"), "pe_s2")
def _():
    length = st.session_state["length"]  # section 1's controls
    sin = sinusoid_data(length, st.session_state["d_model"])
    sim, spread = sin["sim"], sin["spread"]
    st.markdown(T("sim_md", spread=spread, d=st.session_state["d_model"], n=length))
    st.latex(r"\cos(PE_i, PE_j) = \frac{1}{d_{model}/2}\sum_{k=0}^{d_{model}/2-1} \cos\big((i-j)\,\omega_k\big),"
             r"\quad \omega_k = 10000^{-2k/d_{model}}")
    k, d = length // 2, max(1, length // 8)
    a, b = float(sim[k, k - d]), float(sim[k, k + d])  # the real matrix, row k
    side = "same" if abs(a - b) < 1e-4 else "before" if a > b else "after"
    if ui.predict("pe_q_side", T("q_side", k=k, d=d, before=k - d, after=k + d), options=["before", "after", "same"],
                  format_func=lambda o: T(f"opt_{o}", j=k + d if o == "after" else k - d),
                  context=(length, st.session_state["d_model"]),
                  reveal=lambda: (side, T("q_side_why" if side == "same" else "q_side_why_not", k=k, before=k - d,
                                          after=k + d, a=a, b=b, diff=abs(a - b)))) is None:
        st.caption(T("sim_open"))  # the symmetric heatmap and the curves against the offset answer it
        ui.show_code(pe.cosine_similarity_matrix, pe.similarity_by_distance)
        return
    ui.chart(figs.similarity_heatmap(sim, title=T("sim_title")), "pe_sim")
    refs = [0, length // 4, length // 2, (3 * length) // 4]
    ui.chart(figs.similarity_vs_distance(sim, refs, spread=spread), "pe_sim_dist")
    ui.show_code(pe.cosine_similarity_matrix, pe.similarity_by_distance)


# ---- 3) permutation equivariance -----------------------------------------------------------
@ui.part(T("s3"), "pe_s3", keep={"perm_patch": 32, "perm_seed": 0})
def _():
    image = ui.current_image()  # the sidebar's choice, else the sample
    c1, c2 = st.columns(2)
    patch_size = c1.select_slider(T("patch_size"), options=[16, 32, 56], key="perm_patch")
    seed = c2.number_input(T("seed"), 0, 9999, key="perm_seed")
    try:
        demo = permutation_data(image["key"], image["image"], int(patch_size), int(seed))
    except Exception:  # noqa: BLE001
        st.error(T("perm_error"))
        return
    N, D = demo["no_pos"]["x"].shape
    st.markdown(T("perm_md", N=N, name=ui.plain(image["name"]), P=patch_size, D=D))
    st.latex(r"\mathrm{Attn}(P x) = P\,\mathrm{Attn}(x)\quad\text{but}\quad "
             r"\mathrm{Attn}(P x + pos) \neq P\,\mathrm{Attn}(x + pos)")
    a, b = demo["no_pos"]["max_diff"], demo["with_pos"]["max_diff"]
    ui.metrics((T("diff_nopos"), f"{a:.2e}"), (T("diff_pos"), f"{b:.2e}"))
    st.caption(T("perm_caption"))
    ui.chart(figs.permutation_figure(demo["no_pos"], demo["perm"], label=T("label_nopos"), diff_max=b), "perm_nopos")
    ui.chart(figs.permutation_figure(demo["with_pos"], demo["perm"], label=T("label_pos"), diff_max=b),
             "perm_pos")
    ui.show_code(pe.permutation_demo, pe.patch_tokens, pe.seeded_attention, pe.permutation_lesson)


# ---- 4) 2D sin-cos -------------------------------------------------------------------------
@ui.part(T("s4"), "pe_s4", keep={"grid": 7, "dim2d": 256})
def _():
    st.markdown(T("grid_md"))
    st.latex(r"PE_{(r,c)} = \big[\,PE^{1D}_{d/2}(r)\ \Vert\ PE^{1D}_{d/2}(c)\,\big]")
    c1, c2 = st.columns(2)
    grid = c1.slider(T("grid"), 2, 14, key="grid")
    dim2d = c2.select_slider("D", options=[32, 64, 128, 256, 768], key="dim2d")
    g2d = grid_similarity(grid, dim2d)
    st.caption(T("grid_caption", shape=tuple(g2d["shape"])))
    ui.chart(figs.patch_similarity_grid(g2d["sim"], grid, grid, title=T("grid_title")), "grid_sim")
    ui.show_code(pe.sincos_2d)


# ---- 5) RoPE -------------------------------------------------------------------------------
@ui.part(T("s5"), "pe_s5",
         keep={"rope_dim": 64, "rope_len": 48, "rope_steps": 8, "rope_seed": 0})
def _():
    st.markdown(T("rope_md"))
    st.latex(
        r"\begin{pmatrix} q'_{2i} \\ q'_{2i+1} \end{pmatrix} = "
        r"\begin{pmatrix} \cos m\theta_i & -\sin m\theta_i \\ \sin m\theta_i & \cos m\theta_i \end{pmatrix}"
        r"\begin{pmatrix} q_{2i} \\ q_{2i+1} \end{pmatrix},\qquad \theta_i = 10000^{-2i/d}"
    )
    st.latex(
        r"\langle R_m q,\ R_n k\rangle = q^\top R_{n-m}\, k = "
        r"\mathrm{Re}\Big[\sum_{i=0}^{d/2-1} (q_{2i} + \mathrm{i}\,q_{2i+1})\,"
        r"\overline{(k_{2i} + \mathrm{i}\,k_{2i+1})}\, e^{\mathrm{i}(m-n)\theta_i}\Big]"
    )
    c1, c2, c3, c4 = st.columns(4)
    head_dim = c1.select_slider(T("head_dim"), options=[8, 16, 32, 64, 128], key="rope_dim")
    rope_len = c2.slider(T("positions"), 8, 128, step=8, key="rope_len")
    steps = c3.slider(T("steps"), 2, 16, key="rope_steps")
    rope_seed = c4.number_input(T("rope_seed"), 0, 9999, key="rope_seed")
    rope = rope_data(int(head_dim), int(rope_len), int(steps), int(rope_seed))
    st.caption(T("rope_caption", spread=rope["spread"]))
    ui.chart(figs.rope_score_heatmap(rope["scores"], title=T("rope_title")), "rope_scores")
    ui.chart(figs.rope_rotation_figure(rope["points"], rope["theta"], title=T("circles_title", last=steps - 1)),
             "rope_circles")
    ui.show_code(pe.rope_angles, pe.apply_rope, pe.rope_score_matrix, pe.rope_lesson)


# ---- 6) interpolation ----------------------------------------------------------------------
@ui.part(T("s6"), "pe_s6",
         keep={"interp_old": 14, "interp_new": 24, "interp_mode": "bicubic", "interp_dim": 2})
def _():
    st.markdown(T("interp_md"))
    c1, c2, c3 = st.columns(3)
    old = c1.slider(T("old"), 2, 16, key="interp_old")
    new = c2.slider(T("new"), 2, 32, key="interp_new")
    mode = c3.selectbox(T("mode"), ["bicubic", "bilinear", "nearest"], key="interp_mode")
    dim_index = st.slider(T("dim_shown"), 0, 255, key="interp_dim")
    res = interpolation_data(old, new, dim_index, mode)
    (shape_old, shape_new), (ref_old, ref_new) = res["shapes"], res["refs"]
    st.markdown(T("interp_shapes", old_shape=shape_old, new_shape=shape_new, old=old, new=new, gap=res["gap"]))
    ui.chart(figs.interpolation_figure(
        [res["dim_old"], res["sim_old"]], [res["dim_new"], res["sim_new"]],
        [T("row_dim", d=dim_index), T("row_cos", a=ref_old, b=ref_new)],
        title=T("interp_title")), "interp")
    ui.show_code(pe.interpolate_pos_embed, pe.interpolation_demo)


# ---- 7) relative position index ------------------------------------------------------------
@ui.part(T("s7"), "pe_s7", keep={"swin_M": 3})
def _():
    st.markdown(T("rel_md"))
    st.latex(r"\mathrm{index}(i,j) = (dy + M - 1)(2M - 1) + (dx + M - 1)")
    M = st.slider(T("window"), 2, 7, key="swin_M")
    rel = relative_index_data(M)
    idx = rel["index"]
    st.caption(T("rel_caption", shape=idx.shape, lo=rel["min"], hi=rel["max"], top=(2 * M - 1) ** 2 - 1))
    ui.chart(figs.relative_index_heatmap(idx, M, title=T("rel_title")), "swin_idx")
    ui.show_code(pe.relative_position_index)
