"""Lesson: positional encoding. Thin page: widgets -> cached mmviz call -> mmviz figures."""

from mmviz import ui
from mmviz.figures import positional_encoding as figs
from mmviz.lessons import positional_encoding as pe
from mmviz.ui import st

ui.start_page()


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

st.title("Positional encoding")
st.markdown(
    "Self-attention compares every token with every other token by **content only**. "
    "It has no idea which token came first: shuffle the sequence and the outputs are shuffled "
    "the same way, nothing else changes. Word order (or where a patch sits in an image) would "
    "be lost, so we **add a position signal** to every token before attention — or, with RoPE, "
    "rotate queries and keys by an angle that grows with position."
)

# ---- 1) sinusoidal: its controls drive section 2 as well (whole_page) ------------------------
@ui.part("1. Sinusoidal positions", "pe_s1", expanded=True, keep={"d_model": 128, "length": 64})
def _():
    c1, c2 = st.columns(2)
    d_model = c1.select_slider("d_model (width D)", options=[16, 32, 64, 128, 256, 512], key="d_model",
                               on_change=ui.whole_page)
    length = c2.slider("length (positions N)", 8, 256, step=8, key="length", on_change=ui.whole_page)
    st.latex(
        r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{10000^{2i/d_{model}}}\right),\qquad "
        r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{10000^{2i/d_{model}}}\right)"
    )
    table = sinusoid_data(length, d_model)["table"]
    st.markdown(
        f"Table shape (measured): **{table.shape}** = (length, d_model). Each pair of columns "
        "(2i, 2i+1) is one frequency; the left columns turn fast, the right ones very slowly, "
        "so every position gets a unique pattern (base 10000 as in the paper)."
    )
    ui.chart(figs.sinusoid_heatmap(table, title="PE: position × dimension"), "pe_heatmap")
    ui.chart(figs.sinusoid_lines(table, [0, 1, 6, 7, d_model // 2, d_model - 2],
                                 title="A few dimensions against position"), "pe_lines")
    ui.show_code(pe.sinusoidal_1d)


# ---- 2) similarity depends on distance -----------------------------------------------------
@ui.part("2. Similarity depends on distance only", "pe_s2")
def _():
    length = st.session_state["length"]  # section 1's controls
    sin = sinusoid_data(length, st.session_state["d_model"])
    sim, spread = sin["sim"], sin["spread"]
    st.markdown(
        "Compare every position with every other position. Because "
        r"$\langle PE_i, PE_j\rangle = \sum_k \cos\big((i-j)\,\omega_k\big)$, "
        "the similarity depends only on the offset j − i: the matrix is constant along its "
        f"diagonals (Toeplitz). Measured spread along the diagonals: **{spread:.2e}** (rounding). "
        f"(d_model = {st.session_state['d_model']}, {length} positions: set them in section 1.)"
    )
    st.latex(r"\cos(PE_i, PE_j) = \frac{1}{d_{model}/2}\sum_{k=0}^{d_{model}/2-1} \cos\big((i-j)\,\omega_k\big),"
             r"\quad \omega_k = 10000^{-2k/d_{model}}")
    ui.chart(figs.similarity_heatmap(sim, title="Cosine similarity of position i and position j"), "pe_sim")
    refs = [0, length // 4, length // 2, (3 * length) // 4]
    ui.chart(figs.similarity_vs_distance(sim, refs, spread=spread), "pe_sim_dist")
    ui.show_code(pe.cosine_similarity_matrix, pe.similarity_by_distance)


# ---- 3) permutation equivariance -----------------------------------------------------------
@ui.part("3. Without positions, attention cannot see order", "pe_s3", keep={"perm_patch": 32, "perm_seed": 0})
def _():
    image = ui.current_image()  # the sidebar's choice, else the sample
    c1, c2 = st.columns(2)
    patch_size = c1.select_slider("patch size P", options=[16, 32, 56], key="perm_patch")
    seed = c2.number_input("shuffle seed", 0, 9999, key="perm_seed")
    try:
        demo = permutation_data(image["key"], image["image"], int(patch_size), int(seed))
    except Exception:  # noqa: BLE001
        st.error("Could not turn this image into patch tokens; try another image.")
        return
    N, D = demo["no_pos"]["x"].shape
    st.markdown(
        f"The {N} patch tokens of **{ui.plain(image['name'])}** (resized to 224×224, patches of "
        f"{patch_size}×{patch_size}, projected to D = {D} by a random linear layer and "
        "LayerNorm-ed) go through one multi-head attention layer with fixed random weights. We shuffle the tokens "
        "with a random permutation and compare. Without positions, the shuffled outputs equal the "
        "outputs shuffled afterwards — this holds for **any** weights, because attention only "
        "looks at content. With positions added to the slots (the position stays with the "
        "slot, the content moves: x[perm] + pos), the outputs really change."
    )
    st.latex(r"\mathrm{Attn}(P x) = P\,\mathrm{Attn}(x)\quad\text{but}\quad "
             r"\mathrm{Attn}(P x + pos) \neq P\,\mathrm{Attn}(x + pos)")
    a, b = demo["no_pos"]["max_diff"], demo["with_pos"]["max_diff"]
    ui.metrics(("max difference, no positions", f"{a:.2e}"), ("max difference, with positions", f"{b:.2e}"))
    st.caption("Last panel: |difference| on the same grey scale for both rows (white = 0).")
    ui.chart(figs.permutation_figure(demo["no_pos"], demo["perm"], label="No positions", diff_max=b), "perm_nopos")
    ui.chart(figs.permutation_figure(demo["with_pos"], demo["perm"], label="With positions", diff_max=b),
             "perm_pos")
    ui.show_code(pe.permutation_demo, pe.patch_tokens, pe.seeded_attention, pe.permutation_lesson)


# ---- 4) 2D sin-cos -------------------------------------------------------------------------
@ui.part("4. 2D sin-cos positions for a patch grid", "pe_s4", keep={"grid": 7, "dim2d": 256})
def _():
    st.markdown(
        "Image patches have a row and a column. The 2D sin-cos table (MAE, ViT) spends half the "
        "dimensions on the row and half on the column, each a 1D sinusoid. Below, as in the ViT "
        "paper's Figure 7: tile (R, C) shows how similar patch (R, C)'s position vector is to every "
        "other patch's. Each tile lights up around its own patch, and along its row and column."
    )
    st.latex(r"PE_{(r,c)} = \big[\,PE^{1D}_{d/2}(r)\ \Vert\ PE^{1D}_{d/2}(c)\,\big]")
    c1, c2 = st.columns(2)
    grid = c1.slider("grid size (patches per side)", 2, 14, key="grid")
    dim2d = c2.select_slider("D", options=[32, 64, 128, 256, 768], key="dim2d")
    g2d = grid_similarity(grid, dim2d)
    st.caption(f"Table shape (measured): {tuple(g2d['shape'])} = (grid² patches, D).")
    ui.chart(figs.patch_similarity_grid(g2d["sim"], grid, grid, title="Cosine similarity of each patch's position "
                                        "with all patches"), "grid_sim")
    ui.show_code(pe.sincos_2d)


# ---- 5) RoPE -------------------------------------------------------------------------------
@ui.part("5. Rotary position embedding (RoPE)", "pe_s5",
         keep={"rope_dim": 64, "rope_len": 48, "rope_steps": 8, "rope_seed": 0})
def _():
    st.markdown(
        "RoPE adds nothing to the tokens. It **rotates** each pair $(q_{2i}, q_{2i+1})$ of a query "
        r"at position $m$ by the angle $m\theta_i$, and each key pair at position $n$ by $n\theta_i$. "
        "A dot product of two rotated vectors only sees the difference of the angles, so the "
        "attention score depends on the relative offset $m - n$, and vector lengths never change."
    )
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
    head_dim = c1.select_slider("head dim d", options=[8, 16, 32, 64, 128], key="rope_dim")
    rope_len = c2.slider("positions", 8, 128, step=8, key="rope_len")
    steps = c3.slider("positions on the circles", 2, 16, key="rope_steps")
    rope_seed = c4.number_input("q, k seed", 0, 9999, key="rope_seed")
    rope = rope_data(int(head_dim), int(rope_len), int(steps), int(rope_seed))
    st.caption(f"Spread of the score along each diagonal (m − n fixed), measured: {rope['spread']:.2e}.")
    ui.chart(figs.rope_score_heatmap(rope["scores"], title="Score of a fixed q at position m and a fixed k at "
                                     "position n"), "rope_scores")
    ui.chart(figs.rope_rotation_figure(rope["points"], rope["theta"], title="The first 4 pairs of q rotated to "
                                       f"positions 0..{steps - 1} (a number marks a position where it is clear)"),
             "rope_circles")
    ui.show_code(pe.rope_angles, pe.apply_rope, pe.rope_score_matrix, pe.rope_lesson)


# ---- 6) interpolation ----------------------------------------------------------------------
@ui.part("6. Resizing a position table to a new resolution", "pe_s6",
         keep={"interp_old": 14, "interp_new": 24, "interp_mode": "bicubic", "interp_dim": 2})
def _():
    st.markdown(
        "A ViT trained at 224×224 with 16×16 patches has a 14×14 table of learned positions. At "
        "384×384 there are 24×24 patches, so the table is resized like an image (bicubic) to the new "
        "grid; the [CLS] row has no place on the grid and is kept as is. Here a 2D sin-cos table "
        "stands in for a learned one (the ViT lesson shows a real learned table)."
    )
    c1, c2, c3 = st.columns(3)
    old = c1.slider("old grid", 2, 16, key="interp_old")
    new = c2.slider("new grid", 2, 32, key="interp_new")
    mode = c3.selectbox("mode", ["bicubic", "bilinear", "nearest"], key="interp_mode")
    dim_index = st.slider("dimension shown", 0, 255, key="interp_dim")
    res = interpolation_data(old, new, dim_index, mode)
    (shape_old, shape_new), (ref_old, ref_new) = res["shapes"], res["refs"]
    st.markdown(
        f"Measured shapes: **{shape_old}** → **{shape_new}** (1 [CLS] + {old}² → 1 + {new}² rows). "
        f"Interpolation is not the same as making a sin-cos table for the new grid directly: max "
        f"difference {res['gap']:.3f}."
    )
    ui.chart(figs.interpolation_figure(
        [res["dim_old"], res["sim_old"]], [res["dim_new"], res["sim_new"]],
        [f"dimension {dim_index}", f"cos with patch {ref_old} / {ref_new}"],
        title="Before and after interpolation"), "interp")
    ui.show_code(pe.interpolate_pos_embed, pe.interpolation_demo)


# ---- 7) relative position index ------------------------------------------------------------
@ui.part("7. Relative position index (Swin)", "pe_s7", keep={"swin_M": 3})
def _():
    st.markdown(
        "Swin does not add positions to tokens: inside each M×M window it adds a learned bias to "
        "the attention score of every (query, key) pair, chosen by their relative offset (dy, dx). "
        "There are (2M−1)² possible offsets; this table says which one each pair uses. Pairs with "
        "the same offset share a colour."
    )
    st.latex(r"\mathrm{index}(i,j) = (dy + M - 1)(2M - 1) + (dx + M - 1)")
    M = st.slider("window size M", 2, 7, key="swin_M")
    rel = relative_index_data(M)
    idx = rel["index"]
    st.caption(f"Index shape (measured): {idx.shape}; values from {rel['min']} to {rel['max']} "
               f"= (2M−1)² − 1 = {(2 * M - 1) ** 2 - 1}.")
    ui.chart(figs.relative_index_heatmap(idx, M, title="Relative position index of an M×M window"), "swin_idx")
    ui.show_code(pe.relative_position_index)
