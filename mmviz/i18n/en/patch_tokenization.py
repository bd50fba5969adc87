"""English: the patch_tokenization lesson (pages/*_patch_tokenization.py, mmviz.figures.patch_tokenization)."""

STRINGS: dict[str, str] = {
    "patch_tokenization.title": "Patch tokenization",
    "patch_tokenization.cutting": "Cutting the image into patches…",
    "patch_tokenization.intro": "A transformer only reads **sequences of vectors**. Text is already a sequence of "
                                "words; an image becomes one by cutting it into **P×P patches**, reading them row by "
                                "row like a page of text, flattening each patch into a vector of its pixel values and "
                                "multiplying it by one shared matrix **E** that turns it into a token of **D** numbers. "
                                "A learned **[CLS]** token goes in front; its final state will summarise the image. "
                                "Smaller patches mean more detail, but more tokens, and attention compares every token "
                                "with every other one.",
    "patch_tokenization.size": "Image size H = W (pixels)",
    "patch_tokenization.patch": "Patch size P (pixels)",
    "patch_tokenization.patch_help": "Only sizes that divide {size} into whole patches are offered.",
    "patch_tokenization.dim": "Embedding dimension D",
    "patch_tokenization.dim_help": "ViT-Tiny uses 192, ViT-Small 384, ViT-Base 768.",
    "patch_tokenization.cut_error": "This image could not be cut into patches: {why}",
    "patch_tokenization.upscaled": "It is smaller than {size} px, so it is **upscaled** (bicubic) by the same rule; "
                                   "upscaling adds no detail.",
    "patch_tokenization.resized": "**{name}** ({w}×{h}) is resized so that its shorter side is {size} px, then "
                                  "center-cropped to {size}×{size}: the standard ViT evaluation rule. {note}",
    "patch_tokenization.q_tokens": "The image is {H}×{W} pixels and the patches are {P}×{P}. How many patch tokens "
                                   "N does it become (without [CLS])?",
    "patch_tokenization.q_tokens_why": "The tensor x_p has shape {shape}: ({H}/{P}) × ({W}/{P}) = {gh} × {gw} = {N} "
                                       "patches, one token each. With [CLS] in front the sequence holds {T} tokens.",
    "patch_tokenization.m_tokens": "Tokens N",
    "patch_tokenization.m_tokens_help": "x_p.shape[1], read from the tensor",
    "patch_tokenization.m_seq": "Sequence length N+1",
    "patch_tokenization.m_seq_help": "with the [CLS] token: z_0.shape[1]",
    "patch_tokenization.m_patch": "Patch vector P²·C",
    "patch_tokenization.m_dim": "Embedding D",
    "patch_tokenization.m_pairs": "Attention pairs N²",
    "patch_tokenization.m_pairs_help": "with [CLS]: (N+1)² = {n}",
    "patch_tokenization.chosen_d": "chosen D = {dim}",
    "patch_tokenization.disagree": "The formula {formula} and the tensors {measured} disagree: please report this bug.",
    "patch_tokenization.agree": "Top: measured from the tensors' shapes. Below: the formula. They agree.",
    "patch_tokenization.open_numbers": "N, N + 1 and N², with the formula's numbers, appear once you answer the "
                                       "question above (or click “Just show me”).",
    "patch_tokenization.grid_title_open": "The image cut into {P}×{P} px patches",
    "patch_tokenization.sequence_open": "The sequence of patches (it counts the tokens) appears once you answer the "
                                        "question above.",
    # 1
    "patch_tokenization.s1": "1. Cut the image into patches, read them in raster order",
    "patch_tokenization.s1_caption": "Hover a patch to see its index k, its grid position (row k // gw, column k % gw) "
                                     "and its pixels. Position 0 of the sequence is the [CLS] token (orange): it is not "
                                     "cut from the image.",
    # 2
    "patch_tokenization.s2": "2. Flatten every patch, project it to D numbers, prepend [CLS]",
    "patch_tokenization.exact": "Every value on hover (heavier: the whole matrix is sent)",
    "patch_tokenization.exact_help": "Off: the pictures show every value; the hover gives block means.",
    "patch_tokenization.s2_caption": "Each row of x_p is one patch, flattened in (P, P, C) order (pixel by pixel, R G "
                                     "B). **E here is untrained** (a seeded random initialisation): this lesson is about "
                                     "shapes; trained projections appear in the attention lesson. Position embeddings "
                                     "E_pos are the next lesson. The same projection is a convolution with kernel P and "
                                     "stride P (`PatchEmbed`): both paths computed here differ by at most {diff:.1e}.",
    # 3
    "patch_tokenization.s3": "3. Smaller patches, many more tokens",
    # 4
    "patch_tokenization.s4": "4. Three ways to tokenize an image",
    "patch_tokenization.s4_md": "**Plain patches** (ViT) cut without overlap. A **CNN feature map** (hybrid ViT) lets a "
                                "small convolutional stem shrink the image 16× and reads each position of its map as a "
                                "token. **Overlapping convolutions** (CvT) use a 7×7 kernel with stride 4, so "
                                "neighbouring tokens share pixels. Hover a token to see the window of pixels it sees; "
                                "the two boxes are a token and its right neighbour.",
    "patch_tokenization.q_most": "Of these three tokenizers of the {size}×{size} image, which one makes the **most** "
                                 "tokens?",
    "patch_tokenization.q_most_why": "{name}: {n} tokens (a {gh}×{gw} grid, stride {stride} px), against {others}. The "
                                     "stride sets the count, not the window: N = ⌊(H + 2p − k)/s⌋ + 1 per side.",
    "patch_tokenization.compare_open": "The three token grids, their counts and the table appear once you answer the "
                                       "question above.",
    "patch_tokenization.col_name": "tokenization",
    "patch_tokenization.col_grid": "grid",
    "patch_tokenization.col_tokens": "tokens N",
    "patch_tokenization.col_dim": "token dim",
    "patch_tokenization.col_cls": "with [CLS]",
    "patch_tokenization.col_pairs": "attention pairs N²",
    "patch_tokenization.col_window": "window (px)",
    "patch_tokenization.col_stride": "stride (px)",
    "patch_tokenization.col_overlap": "overlap",
    "patch_tokenization.s4_caption": "Numbers read from the output tensors of each module. The CNN stem here is a "
                                     "**hand-set, untrained stand-in**: its first layer holds oriented edge detectors "
                                     "per colour-opponent channel and its later layers average, so it shows shapes and "
                                     "token counts honestly; a trained ResNet stem gives far richer features. The CvT "
                                     "projection is untrained too (seeded).",
    # figures (the English the builders write)
    "patch_tokenization.fig_tok0": "Plain patches (ViT)",
    "patch_tokenization.fig_tok1": "CNN feature map (hybrid)",
    "patch_tokenization.fig_tok2": "Overlapping conv (CvT)",
    "patch_tokenization.fig_patch_z": "patch %{{z}}",
    "patch_tokenization.fig_grid_rc": "grid row %{{customdata[0]}}, col %{{customdata[1]}}",
    "patch_tokenization.fig_pixels": "pixels y %{{customdata[2]}}–%{{customdata[3]}}, x %{{customdata[4]}}–"
                                     "%{{customdata[5]}}<extra></extra>",
    "patch_tokenization.fig_grid_title": "{gh}×{gw} = {n} patches of {P}×{Q} px",
    "patch_tokenization.fig_position_patch": "position %{{z}}: patch %{{customdata[1]}}",
    "patch_tokenization.fig_from_grid": "from grid row %{{customdata[2]}}, col %{{customdata[3]}}",
    "patch_tokenization.fig_seq_pixels": "pixels y %{{customdata[4]}}–%{{customdata[5]}}, x %{{customdata[6]}}–…+{p}"
                                         "<extra></extra>",
    "patch_tokenization.fig_cls_pos": "position 0: the [CLS] token",
    "patch_tokenization.fig_cls_learned": "a learned vector, not cut from the image<extra></extra>",
    "patch_tokenization.fig_seq_title": "[CLS] + {N} patches = {T} positions",
    "patch_tokenization.fig_seq_title_more": "[CLS] + {N} patches = {T} positions (first {shown} shown)",
    "patch_tokenization.fig_value255": "value×255",
    "patch_tokenization.fig_token": "token",
    "patch_tokenization.fig_feature": "feature",
    "patch_tokenization.fig_position": "position",
    "patch_tokenization.fig_value": "value",
    "patch_tokenization.fig_feature_axis": "feature f = (y·{P} + x)·{C} + channel  (P·P·C = {dim})",
    "patch_tokenization.fig_token_n": "token (N = {N})",
    "patch_tokenization.fig_xp_title": "x_p: {N} × {dim} flattened patches",
    "patch_tokenization.fig_seq_pos": "sequence position ({T} = N + 1; 0 = [CLS])",
    "patch_tokenization.fig_embed_feature": "embedding feature (D = {D})",
    "patch_tokenization.fig_z0_title": "[x_cls; x_p E]: {T} × {D} tokens (untrained E)",
    "patch_tokenization.fig_tokens_n": "tokens N",
    "patch_tokenization.fig_grid_hover": "%{{x}}: grid %{{customdata[0]}}×%{{customdata[1]}}",
    "patch_tokenization.fig_n_tokens": "N = %{{y:,}} tokens",
    "patch_tokenization.fig_with_cls": "with [CLS]: %{{customdata[2]:,}}",
    "patch_tokenization.fig_pairs_hover": "N² = %{{y:,}} pairs<extra></extra>",
    "patch_tokenization.fig_pairs_right": "attention pairs N² (right axis)",
    "patch_tokenization.fig_pairs_log": "attention pairs N² (log)",
    "patch_tokenization.fig_counts_x": "patch size P, and the tokens N it gives",
    "patch_tokenization.fig_counts_title": "Halving P multiplies N by 4 and N² by 16 (current: P={P})",
    "patch_tokenization.fig_token_of": "token %{{z}} of {n}",
    "patch_tokenization.fig_sees": "sees pixels y %{{customdata[2]}}–%{{customdata[3]}}, x %{{customdata[4]}}–"
                                   "%{{customdata[5]}}",
    "patch_tokenization.fig_window_hover": "({k}×{j} window, stride {s}; outside the image = zero padding)"
                                           "<extra></extra>",
    "patch_tokenization.fig_tokens_line": "{gh}×{gw} = {n} tokens, D={D}",
    "patch_tokenization.fig_windows_overlapping": "{k}×{j} windows, stride {s} (overlapping)",
    "patch_tokenization.fig_windows_separate": "{k}×{j} windows, stride {s} (non-overlapping)",
}
