"""English: the swin_windows lesson (pages/*_swin_windows.py, mmviz.figures.swin_windows)."""

STRINGS: dict[str, str] = {
    "swin_windows.title": "Swin windows",
    "swin_windows.intro": "A ViT lets every patch attend to every other patch: the cost grows with the **square** of "
                          "the number of patches. Swin cuts the patch grid into small **M×M windows** and attends only "
                          "inside each window, so the cost grows **linearly**. To let neighbouring windows talk, every "
                          "second block **shifts** the windows by M/2, and a mask keeps apart the patches that became "
                          "neighbours only through the shift's wrap-around. Between stages, **patch merging** halves "
                          "the grid and doubles the channels, like a CNN's pyramid. Every picture below is computed on "
                          "your image by the functions the model itself runs.",
    "swin_windows.running": "Running the Swin once, keeping every window's attention…",
    "swin_windows.missing": "No trained Swin is available yet, so this page uses a Swin with **random weights**: "
                            "windows, shifts, masks and shapes are exact, but the attention shows no learned pattern.",
    "swin_windows.untrained": "Random weights: the attention inside the windows shows no learned pattern.",
    "swin_windows.size": "Image short side (pixels)",
    "swin_windows.M": "Window size M (patches)",
    "swin_windows.M_help": "The model uses M = {M}.",
    "swin_windows.s": "Shift s (patches)",
    "swin_windows.s_help": "Swin uses s = M // 2; 0 = no shift.",
    "swin_windows.error": "This image could not be cut into windows: {why}",
    "swin_windows.m_grid": "Patch grid",
    "swin_windows.m_grid_help": "the image resized to {h}×{w} px, cut into {P}×{P} px patches",
    "swin_windows.m_padded": "Padded grid",
    "swin_windows.m_padded_help": "zero-padded at the bottom/right to multiples of M, as the model does",
    "swin_windows.m_nW": "Windows nW",
    "swin_windows.m_N": "Tokens per window",
    "swin_windows.m_keys": "Keys per query",
    "swin_windows.m_keys_help": "a query attends to the M² tokens of its window, not to all patches (ViT)",
    # 1
    "swin_windows.s1": "1. Patches, then windows (W-MSA)",
    "swin_windows.s1_md": "The image is cut into **{P}×{P} px patches** (a {gh}×{gw} grid), then into **{M}×{M} "
                          "windows**. Attention runs inside each coloured window only. Patches outside the image "
                          "(grey/black) are padding.",
    # 2
    "swin_windows.s2": "2. Shifted windows (SW-MSA), step by step",
    "swin_windows.s0": "With s = 0 the next block would use the same windows again: information could never leave a "
                       "window. Pick s > 0 (Swin uses M // 2).",
    "swin_windows.step": "Step",
    "swin_windows.step_1": "1 · Shift",
    "swin_windows.step_2": "2 · Regions",
    "swin_windows.step_3": "3 · Mask",
    "swin_windows.step_4": "4 · Attention",
    "swin_windows.step_5": "5 · Shift back",
    "swin_windows.shift_md": "Shifted windows start {s} patches down and right: at the edges they would be smaller "
                             "pieces and more numerous. Instead, Swin **rolls the grid** up and left by s = {s} "
                             "(`torch.roll`): the same regular partition of the rolled grid *is* the shifted partition, "
                             "with the same number of windows.",
    "swin_windows.q_shift": "Patch 0, the image's top-left patch, sits in window 0. After `cyclic_shift(x, {s})` rolls "
                            "the grid up and left by {s}, which window of the rolled grid holds it (0 to {n}, numbered "
                            "row by row)?",
    "swin_windows.q_shift_why": "Rolling up and left by s = {s} wraps the top {s} rows and left {s} columns round to the "
                                "bottom and right edges, so patch 0 lands in window **{w}** of {nW} (the rolled grid's "
                                "`window_of` at patch 0's new place). It now shares a window with patches from the "
                                "opposite edges of the image: the mask of step 3 keeps them apart.",
    "swin_windows.shift_open": "The grid before and after the roll appears once you answer the question above (or "
                               "click “Just show me”): it shows where patch 0 lands.",
    "swin_windows.regions_md": "In the rolled grid, the last row and column of windows mix patches from opposite "
                               "edges of the image. Each patch gets a **region label** (row band × 3 + column band); "
                               "only equal labels are real neighbours.",
    "swin_windows.window": "Window",
    "swin_windows.window_help": "The last window (bottom-right) mixes four regions.",
    "swin_windows.mask_md": "Compare the labels of every (query, key) pair of the window: **0** where equal, **−100** "
                            "where different. Added to the scores, −100 makes the softmax weight e⁻¹⁰⁰ ≈ 0.",
    "swin_windows.toy_md": "A toy attention inside window {win}: q = k = each patch's own pixels (no learned weights), "
                           "score = {t} × cosine similarity. Without the mask, patches from opposite image edges attend "
                           "to each other; with it, each piece attends only within itself.",
    "swin_windows.back_md": "After attention the windows are put back (`window_reverse`) and the grid is rolled "
                            "**back** by s = {s}: every patch returns to its place (max |difference| = {diff}). Colours: "
                            "the region each patch belonged to, on your image; white lines: the shifted windows.",
    # 3
    "swin_windows.s3": "3. Who can talk to whom",
    "swin_windows.s3_md": "Pick a patch. Block 1 (W-MSA) mixes it with its window; block 2 (SW-MSA) with the shifted "
                          "windows that overlap it; and so on: the receptive field grows across window borders, block "
                          "after block.",
    "swin_windows.row": "Patch row",
    "swin_windows.col": "Patch column",
    "swin_windows.k": "After k blocks",
    "swin_windows.after_1": "After {j} block",
    "swin_windows.after_n": "After {j} blocks",
    "swin_windows.sw_msa_shift": "SW-MSA, shift {s}",
    "swin_windows.reach_caption": "A ViT reaches all patches after 1 block. Odd blocks use W-MSA, even blocks SW-MSA "
                                  "(shift {s}). Per block: {counts}.",
    # 4
    "swin_windows.s4": "4. Relative position bias B",
    "swin_windows.s4_md": "Swin adds a learned bias to every score, chosen by the **offset** (dy, dx) between query and "
                          "key. In an {M}×{M} window there are (2M−1)² = {n} offsets. The index turns each offset into "
                          "a row of the table: index = (dy + M − 1)·(2M − 1) + (dx + M − 1).",
    "swin_windows.head": "Head",
    "swin_windows.query": "Query token",
    "swin_windows.table_own": "block 0 of {name}",
    "swin_windows.table_random": "a random table (the model's windows are {m}×{m}; set M = {m} to see its own)",
    "swin_windows.table_caption": "Table: {src}. The outlined block of the table holds exactly the biases of the "
                                  "query's row, flipped (offset = query − key). Symmetric offsets use mirrored "
                                  "entries: index(i, j) + index(j, i) is constant.",
    # 5
    "swin_windows.s5": "5. Patch merging: a pyramid of stages",
    "swin_windows.s5_md": "After each stage, every 2×2 block of neighbouring tokens is concatenated (4C channels), "
                          "normalised and projected to 2C: the grid halves, the channels double, and a window covers "
                          "4× more pixels.",
    "swin_windows.merge_step": "stage {a} → {b}: 2×2 tokens of {c} → concat {c4} → Linear → **{c2}** channels, grid "
                               "{g} → {g2}",
    "swin_windows.col_stage": "stage",
    "swin_windows.col_grid": "grid (from the tensor)",
    "swin_windows.col_channels": "channels C",
    "swin_windows.col_tokens": "tokens",
    "swin_windows.col_covers": "token covers",
    "swin_windows.col_shape": "tensor shape",
    "swin_windows.swin_t_stage": "stage {i} {g} ({n} windows)",
    "swin_windows.swin_t": "Swin-T (microsoft/swin-tiny-patch4-window7-224) on this image at {h}×{w} px, shapes from a "
                           "forward pass on PyTorch's meta device: {summary}",
    # 6
    "swin_windows.s6": "6. Why windows: the cost",
    "swin_windows.q_cost": "Here h×w = {gh}×{gw} = {n} patches, C = {C}, M = {M}. How many times cheaper is one "
                           "window-attention layer (W-MSA) than global attention (MSA)? (within 10%)",
    "swin_windows.q_cost_why": "Ω(MSA) / Ω(W-MSA) = **{ratio:.1f}**. Both share the projections 4hwC²; the scores "
                               "differ: each query meets all {n} patches globally, only the M² = {N} of its window "
                               "inside one. The bigger the image, the larger the ratio.",
    "swin_windows.cost_caption": "h×w = {gh}×{gw} patches, C = {C} (stage 0 of the model), M = {M}: windows are "
                                 "{ratio:.1f}× cheaper. Global attention grows with the square of the patch count, "
                                 "window attention linearly.",
    # 7
    "swin_windows.s7": "7. Attention inside one window, per head",
    "swin_windows.block_w": "stage {stage} · block {block} · W-MSA",
    "swin_windows.block_sw": "stage {stage} · block {block} · SW-MSA (shift {s})",
    "swin_windows.block": "Block",
    "swin_windows.mq": "Query token in the window",
    "swin_windows.s7_md": "`attentions[{bi}]` has shape {shape} = (windows, heads, M², M²). Each head of query token "
                          "{q} of window {w}: the weights on the patches of its window (clear outside it). In an SW-MSA "
                          "block the last windows are made of pieces from opposite edges: the mask gives the other "
                          "pieces weight 0.",
    "swin_windows.heads_shown": "Heads 0–{last} of {n} shown; the matrix on the right shows any head.",
    "swin_windows.mhead": "Head for the full matrix",
    "swin_windows.predicts": "**The model predicts:**",
    "swin_windows.tiny_note": "The tiny Swin was trained to name the colour of the one shape in a generated 64 px "
                              "scene (9 colours); on a photo it can only guess. The pretrained Swin-T names 1000 "
                              "ImageNet classes.",
    # figures (the English the builders write)
    "swin_windows.fig_wmsa_title": "W-MSA: {n} windows of {M}×{M} patches",
    "swin_windows.fig_before": "Before: shifted windows",
    "swin_windows.fig_same_colour": "(same colour = same window)",
    "swin_windows.fig_after": "After cyclic_shift(x, {s}):",
    "swin_windows.fig_regular": "regular windows",
    "swin_windows.fig_regions_title": "Region labels on the rolled grid (white lines: windows)",
    "swin_windows.fig_mask_title": "Mask of window {w}: {a} of {n} pairs allowed",
    "swin_windows.fig_mask": "mask",
    "swin_windows.fig_labels": "labels",
    "swin_windows.fig_no_mask": "softmax(scores): no mask",
    "swin_windows.fig_with_mask": "softmax(scores + mask)",
    "swin_windows.fig_back_title": "Regions rolled back onto the image",
    "swin_windows.fig_reach_title": "Patch ({r}, {c}) reaches {n} of {m} patches after {k} blocks",
    "swin_windows.fig_index": "index",
    "swin_windows.fig_offset": "offset dy",
    "swin_windows.fig_matrix_title": "Block {b}, window {w}, head {h}: softmax(QKᵀ/√d + B + mask)",
    "swin_windows.fig_window_token": "window {w}, token {q}",
    "swin_windows.fig_to_patch": "{what} → patch %{{customdata}}",
    "swin_windows.fig_px": "row %{{y:.0f}}, col %{{x:.0f}} (px)",
    "swin_windows.fig_patch_pad": "patch %{{customdata[1]}} (-1 = padding)",
    "swin_windows.fig_window": "window",
    "swin_windows.fig_region": "region",
    "swin_windows.fig_query_rc": "query %{{y}} (r%{{customdata[0]}}, c%{{customdata[1]}})",
    "swin_windows.fig_key_rc": "key %{{x}} (r%{{customdata[2]}}, c%{{customdata[3]}})",
    "swin_windows.fig_key_in_window": "key token in the window",
    "swin_windows.fig_col_in_window": "column in the window",
    "swin_windows.fig_row_in_window": "row in the window",
    "swin_windows.fig_region_label": "region label",
    "swin_windows.fig_labels_title": "Region labels inside window {w}",
    "swin_windows.fig_reached": "reached",
    "swin_windows.fig_block": "block",
    "swin_windows.fig_patch_n": "patch %{{customdata}}",
    "swin_windows.fig_reached_after": "reached after block %{{z:.0f}}<extra></extra>",
    "swin_windows.fig_bias": "bias",
    "swin_windows.fig_table_row": "table row %{{customdata[2]}}",
    "swin_windows.fig_table_row3": "table row %{{customdata[3]}}",
    "swin_windows.fig_table": "table",
    "swin_windows.fig_bias_of_query": "bias of the query",
    "swin_windows.fig_key_offset": "key %{{customdata[0]}}: offset dy=%{{customdata[1]}}, dx=%{{customdata[2]}}",
    "swin_windows.fig_key_col": "key column in the window",
    "swin_windows.fig_key_row": "key row",
    "swin_windows.fig_bias_title": "Head {h}: table ((2M−1)² = {n} entries) → bias of query {q} (r{r}, c{c})",
    "swin_windows.fig_stage_title": "stage {i}: {g} tokens × {c} channels",
    "swin_windows.fig_stage_token": "stage {i}: token %{{z}}",
    "swin_windows.fig_stage_px": "{p} px, {c} channels<extra></extra>",
    "swin_windows.fig_side": "side %{{x}} px (%{{customdata:,.0f}} tokens)",
    "swin_windows.fig_macs": "%{{y:.3s}} multiply-adds<extra>%{{fullData.name}}</extra>",
    "swin_windows.fig_side_axis": "image side (pixels, square, patch 4)",
    "swin_windows.fig_macs_axis": "multiply-adds per attention layer",
    "swin_windows.fig_cost_title": "One attention layer, C = {C}, M = {M}",
}
