"""English: the positional_encoding lesson (pages/*_positional_encoding.py, mmviz.figures.positional_encoding)."""

STRINGS: dict[str, str] = {
    "positional_encoding.title": "Positional encoding",
    "positional_encoding.intro": "Self-attention compares every token with every other token by **content only**. It "
                                 "has no idea which token came first: shuffle the sequence and the outputs are "
                                 "shuffled the same way, nothing else changes. Word order (or where a patch sits in an "
                                 "image) would be lost, so we **add a position signal** to every token before attention "
                                 "— or, with RoPE, rotate queries and keys by an angle that grows with position.",
    # 1
    "positional_encoding.s1": "1. Sinusoidal positions",
    "positional_encoding.d_model": "d_model (width D)",
    "positional_encoding.length": "length (positions N)",
    "positional_encoding.table_md": "Table shape (measured): **{shape}** = (length, d_model). Each pair of columns (2i, "
                                    "2i+1) is one frequency; the left columns turn fast, the right ones very slowly, so "
                                    "every position gets a unique pattern (base 10000 as in the paper).",
    "positional_encoding.heatmap_title": "PE: position × dimension",
    "positional_encoding.lines_title": "A few dimensions against position",
    # 2
    "positional_encoding.s2": "2. Similarity depends on distance only",
    "positional_encoding.sim_md": "Compare every position with every other position. Because "
                                  "$\\langle PE_i, PE_j\\rangle = \\sum_k \\cos\\big((i-j)\\,\\omega_k\\big)$, the "
                                  "similarity depends only on the offset j − i: the matrix is constant along its "
                                  "diagonals (Toeplitz). Measured spread along the diagonals: **{spread:.2e}** "
                                  "(rounding). (d_model = {d}, {n} positions: set them in section 1.)",
    "positional_encoding.q_side": "Position {k} against two positions at the same distance {d}: {before} (before it) "
                                  "and {after} (after it). Which one is more similar to position {k}?",
    "positional_encoding.opt_before": "position {j} (before)",
    "positional_encoding.opt_after": "position {j} (after)",
    "positional_encoding.opt_same": "equally similar",
    "positional_encoding.q_side_why": "cos(PE {k}, PE {before}) = {a:.6f} and cos(PE {k}, PE {after}) = {b:.6f}: they "
                                      "differ by {diff:.1e}. Every term is cos((i − j)ω), and the cosine is even, so "
                                      "only the distance |i − j| counts, not the side (the heatmap is symmetric).",
    "positional_encoding.q_side_why_not": "cos(PE {k}, PE {before}) = {a:.6f} and cos(PE {k}, PE {after}) = {b:.6f} "
                                          "differ by {diff:.1e}.",
    "positional_encoding.sim_open": "The similarity matrix and its rows against the offset appear once you answer the "
                                    "question above (or click “Just show me”).",
    "positional_encoding.sim_title": "Cosine similarity of position i and position j",
    # 3
    "positional_encoding.s3": "3. Without positions, attention cannot see order",
    "positional_encoding.patch_size": "patch size P",
    "positional_encoding.seed": "shuffle seed",
    "positional_encoding.perm_error": "Could not turn this image into patch tokens; try another image.",
    "positional_encoding.perm_md": "The {N} patch tokens of **{name}** (resized to 224×224, patches of {P}×{P}, "
                                   "projected to D = {D} by a random linear layer and LayerNorm-ed) go through one "
                                   "multi-head attention layer with fixed random weights. We shuffle the tokens with a "
                                   "random permutation and compare. Without positions, the shuffled outputs equal the "
                                   "outputs shuffled afterwards — this holds for **any** weights, because attention "
                                   "only looks at content. With positions added to the slots (the position stays with "
                                   "the slot, the content moves: x[perm] + pos), the outputs really change.",
    "positional_encoding.diff_nopos": "max difference, no positions",
    "positional_encoding.diff_pos": "max difference, with positions",
    "positional_encoding.perm_caption": "Last panel: |difference| on the same grey scale for both rows (white = 0).",
    "positional_encoding.label_nopos": "No positions",
    "positional_encoding.label_pos": "With positions",
    # 4
    "positional_encoding.s4": "4. 2D sin-cos positions for a patch grid",
    "positional_encoding.grid_md": "Image patches have a row and a column. The 2D sin-cos table (MAE, ViT) spends half "
                                   "the dimensions on the row and half on the column, each a 1D sinusoid. Below, as in "
                                   "the ViT paper's Figure 7: tile (R, C) shows how similar patch (R, C)'s position "
                                   "vector is to every other patch's. Each tile lights up around its own patch, and "
                                   "along its row and column.",
    "positional_encoding.grid": "grid size (patches per side)",
    "positional_encoding.grid_caption": "Table shape (measured): {shape} = (grid² patches, D).",
    "positional_encoding.grid_title": "Cosine similarity of each patch's position with all patches",
    # 5
    "positional_encoding.s5": "5. Rotary position embedding (RoPE)",
    "positional_encoding.rope_md": "RoPE adds nothing to the tokens. It **rotates** each pair $(q_{{2i}}, q_{{2i+1}})$ "
                                   "of a query at position $m$ by the angle $m\\theta_i$, and each key pair at position "
                                   "$n$ by $n\\theta_i$. A dot product of two rotated vectors only sees the difference "
                                   "of the angles, so the attention score depends on the relative offset $m - n$, and "
                                   "vector lengths never change.",
    "positional_encoding.head_dim": "head dim d",
    "positional_encoding.positions": "positions",
    "positional_encoding.steps": "positions on the circles",
    "positional_encoding.rope_seed": "q, k seed",
    "positional_encoding.rope_caption": "Spread of the score along each diagonal (m − n fixed), measured: "
                                        "{spread:.2e}.",
    "positional_encoding.rope_title": "Score of a fixed q at position m and a fixed k at position n",
    "positional_encoding.circles_title": "The first 4 pairs of q rotated to positions 0..{last} (a number marks a "
                                         "position where it is clear)",
    # 6
    "positional_encoding.s6": "6. Resizing a position table to a new resolution",
    "positional_encoding.interp_md": "A ViT trained at 224×224 with 16×16 patches has a 14×14 table of learned "
                                     "positions. At 384×384 there are 24×24 patches, so the table is resized like an "
                                     "image (bicubic) to the new grid; the [CLS] row has no place on the grid and is "
                                     "kept as is. Here a 2D sin-cos table stands in for a learned one (the ViT lesson "
                                     "shows a real learned table).",
    "positional_encoding.old": "old grid",
    "positional_encoding.new": "new grid",
    "positional_encoding.mode": "mode",
    "positional_encoding.dim_shown": "dimension shown",
    "positional_encoding.interp_shapes": "Measured shapes: **{old_shape}** → **{new_shape}** (1 [CLS] + {old}² → 1 + "
                                         "{new}² rows). Interpolation is not the same as making a sin-cos table for the "
                                         "new grid directly: max difference {gap:.3f}.",
    "positional_encoding.row_dim": "dimension {d}",
    "positional_encoding.row_cos": "cos with patch {a} / {b}",
    "positional_encoding.interp_title": "Before and after interpolation",
    # 7
    "positional_encoding.s7": "7. Relative position index (Swin)",
    "positional_encoding.rel_md": "Swin does not add positions to tokens: inside each M×M window it adds a learned bias "
                                  "to the attention score of every (query, key) pair, chosen by their relative offset "
                                  "(dy, dx). There are (2M−1)² possible offsets; this table says which one each pair "
                                  "uses. Pairs with the same offset share a colour.",
    "positional_encoding.window": "window size M",
    "positional_encoding.rel_caption": "Index shape (measured): {shape}; values from {lo} to {hi} = (2M−1)² − 1 = "
                                       "{top}.",
    "positional_encoding.rel_title": "Relative position index of an M×M window",
    # figures (the English the builders write)
    "positional_encoding.fig_dimension": "dimension",
    "positional_encoding.fig_position": "position",
    "positional_encoding.fig_dim_sin": "dim {d} (sin)",
    "positional_encoding.fig_dim_cos": "dim {d} (cos)",
    "positional_encoding.fig_dim_n": "dim {d}",
    "positional_encoding.fig_pos": "pos",
    "positional_encoding.fig_pe_value": "PE value",
    "positional_encoding.fig_position_i": "position i",
    "positional_encoding.fig_position_j": "position j",
    "positional_encoding.fig_sim_offset": "Similarity vs offset j − i (max spread along a diagonal: {s})",
    "positional_encoding.fig_offset": "offset j − i",
    "positional_encoding.fig_cosine": "cosine similarity",
    "positional_encoding.fig_slot_hover": "slot=%{{y}} (token %{{customdata}})",
    "positional_encoding.fig_slot": "slot",
    "positional_encoding.fig_difference": "|difference|",
    "positional_encoding.fig_ref_patch": "reference patch (row %{{customdata[0]}}, col %{{customdata[1]}})",
    "positional_encoding.fig_cmp_patch": "compared patch (row %{{customdata[2]}}, col %{{customdata[3]}})",
    "positional_encoding.fig_tile_x": "patch column (tile) → column inside tile",
    "positional_encoding.fig_tile_y": "patch row (tile) → row inside tile",
    "positional_encoding.fig_query_m": "query position m",
    "positional_encoding.fig_key_n": "key position n",
    "positional_encoding.fig_position_m": "position m",
    "positional_encoding.fig_pair": "pair %{{customdata[0]}}",
    "positional_encoding.fig_angle": "angle m·θ",
    "positional_encoding.fig_pair_theta": "pair {k}: θ{j} = {t} rad",
    "positional_encoding.fig_original": "{lab} — {g} (original)",
    "positional_encoding.fig_interpolated": "{lab} — {g} (interpolated)",
    "positional_encoding.fig_on_grid": "{lab} on {h}×{w}",
    "positional_encoding.fig_col": "col",
    "positional_encoding.fig_index": "index",
    "positional_encoding.fig_query_tok": "query token %{{y}} (row %{{customdata[0]}}, col %{{customdata[1]}})",
    "positional_encoding.fig_key_tok": "key token %{{x}} (row %{{customdata[2]}}, col %{{customdata[3]}})",
    "positional_encoding.fig_offset_dydx": "offset (dy, dx)=(%{{customdata[4]}}, %{{customdata[5]}})",
    "positional_encoding.fig_bias_index": "bias index=%{{z}}<extra></extra>",
    "positional_encoding.fig_key_j": "key token j",
    "positional_encoding.fig_query_i": "query token i",
}
