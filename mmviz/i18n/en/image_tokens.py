"""Images as tokens (pages/9_image_tokens.py, mmviz.figures.image_tokens, mmviz.ui.images)."""

STRINGS = {
    "image_tokens.title": "Images as tokens",
    "image_tokens.no_vq": "The image tokenizer is missing, so this page cannot run yet. {why}",
    "image_tokens.s_image": "Your image",
    "image_tokens.intro": "A GPT does one thing: given the tokens so far, it gives a probability to every possible "
                          "**next token**. To generate images with it, an image must first become a short sequence of "
                          "tokens from a finite vocabulary. A **VQ-VAE** does that: it cuts the image into a grid of "
                          "cells and names each cell by the nearest entry of a learned **codebook**. A transformer then "
                          "writes the codes one by one in raster order, and the VQ decoder paints them (DALL·E, Parti):",
    "image_tokens.tokenizing": "Tokenizing your image…",
    "image_tokens.reads": "what the tokenizer reads",
    "image_tokens.painted": "painted back from {N} codes",
    "image_tokens.painted_open": "painted back from its codes",
    "image_tokens.input_same": "**{name}** ({W}×{H} px) is already **{S}×{S} px**, the tokenizer's input: "
                               "`pixels.shape = (1, 3, {S}, {S})`.",
    "image_tokens.input_resized": "**{name}** ({W}×{H} px) is centre-cropped to a square and resized to **{S}×{S} px**, "
                                  "the tokenizer's input: `pixels.shape = (1, 3, {S}, {S})`.",
    # 1
    "image_tokens.s_dilemma": "1. The pixel dilemma",
    "image_tokens.dilemma_md": "Why not let the transformer write pixels? For your image, that is **{steps:,} steps** "
                               "of a 256-way choice (every R, G and B value), or {pixels:,} steps of a choice among 2²⁴ "
                               "= 16,777,216 colours: a softmax wider than any vocabulary. Attention compares every "
                               "token with every other, so its cost grows with the square of the length. Even at "
                               "{S}×{S} px, sub-pixels make a sequence **{ratio:.0f}× longer** than the {N} VQ codes, "
                               "each naming one of K = {K} learned patterns.",
    "image_tokens.dilemma_md_open": "Why not let the transformer write pixels? For your image, that is **{steps:,} "
                                    "steps** of a 256-way choice (every R, G and B value), or {pixels:,} steps of a "
                                    "choice among 2²⁴ = 16,777,216 colours: a softmax wider than any vocabulary. "
                                    "Attention compares every token with every other, so its cost grows with the "
                                    "square of the length. A VQ tokenizer writes the {S}×{S} px image with far fewer "
                                    "tokens, each naming one of K = {K} learned patterns: how many, the question "
                                    "below asks.",
    "image_tokens.dl_image": "your image, {W}×{H}",
    "image_tokens.dl_input": "tokenizer input, {W}×{H}",
    "image_tokens.dl_subpixel": "sub-pixels (R, G, B)",
    "image_tokens.dl_pixel": "pixels (RGB colour)",
    "image_tokens.dl_vq": "VQ codes ({d}×{d} px each)",
    "image_tokens.col_size": "size",
    "image_tokens.col_tokens": "tokens",
    "image_tokens.col_steps": "steps",
    "image_tokens.col_classes": "classes",
    "image_tokens.col_bits": "bits",
    "image_tokens.q_codes": "The tokenizer reads a {S}×{S} px image and names every {d}×{d} px cell with one code. How "
                            "many codes (tokens) does one image become?",
    "image_tokens.q_codes_why": "({S} / {d}) × ({S} / {d}) = {h} × {w} codes, counted here on the tensor `codes`; with "
                                "K = {K} codes that is {bits:,.0f} bits per image.",
    "image_tokens.q_codes_wait": "The rows of VQ codes (how many steps, how many bits) and the formula appear once "
                                 "you answer the question (or press “Just show me”).",
    # 2
    "image_tokens.s_tokenize": "2. Tokenize your image",
    "image_tokens.tokenize_md": "The encoder (three stride-2 convolutions) shrinks the image {f}× to an {h}×{w} grid of "
                                "vectors z of width C = {C}. Each vector is replaced by the **nearest codebook vector** "
                                "e_k, and its index k is the token. Hover a cell: its code and how far its vector was.",
    "image_tokens.m_grid": "Grid h×w",
    "image_tokens.m_codebook": "Codebook K",
    "image_tokens.m_distinct": "Distinct codes here",
    "image_tokens.m_distance": "Mean distance",
    "image_tokens.decoding_codebook": "Decoding every code alone and tokenizing the held-out scenes…",
    "image_tokens.codebook_md": "**The codebook.** What does a code *mean*? Fill the whole grid with one code and let "
                                "the decoder paint: the middle cell is that code's patch. Codes are colours, edges and "
                                "textures, not objects.",
    "image_tokens.vq_card": "On {n} held-out shapes-world scenes this tokenizer reconstructs at **{psnr_db:.1f} dB** "
                            "PSNR, uses **{codes_used} of its {codebook_size} codes** (perplexity {perplexity:.0f}: as "
                            "if {perplexity:.0f} codes were used equally) and stores an image in **{bits_per_image} "
                            "bits** ({g0}×{g1} codes × {bits_per_code:.0f} bits) instead of {raw_bits:,} raw bits.",
    "image_tokens.recount": "Recounted here on the same {n} held-out scenes (seed {seed}): {codes_used} codes used, "
                            "perplexity {perplexity:.1f}.",
    "image_tokens.recon_md": "**Reconstruction.** The decoder paints the image back from the codes alone; the error map "
                             "shows what {bits:.0f} bits could not keep.",
    "image_tokens.p_input": "input ({S}×{S})",
    "image_tokens.p_codes": "from the codes ({db:.1f} dB)",
    "image_tokens.p_error": "squared error per pixel",
    "image_tokens.budget_md": "**Fewer bits: a smaller codebook or a coarser grid.** Keep only the M most used codes and "
                              "quantise again (each cell takes the nearest *allowed* code), or give the same tokenizer "
                              "a smaller copy of the image so that it makes fewer cells. Honest note: both restrict the "
                              "**trained** tokenizer; a codebook or a grid trained at that size from scratch would do "
                              "better.",
    "image_tokens.keep": "Keep the M most used codes",
    "image_tokens.p_plain": "input",
    "image_tokens.p_m": "M = {M}: {db:.1f} dB",
    "image_tokens.p_grid": "{g}×{g} grid: {db:.1f} dB",
    # 3
    "image_tokens.s_raster": "3. Raster-scan generation (DALL·E)",
    "image_tokens.raster_md": "The tiny DALL·E is one decoder over **[{Lc} caption tokens ; {N} image codes]**. It reads "
                              "the caption, then writes code 1 (top left), code 2, … code {N} (bottom right), each "
                              "drawn from its softmax over the K = {K} codes; the VQ decoder paints them.",
    "image_tokens.caption": "Caption (words of the shapes world)",
    "image_tokens.cap_empty": "The caption is empty: the model sees only the start and end tokens, so it draws whatever "
                              "it finds likely for any caption.",
    "image_tokens.cap_cut": "The model reads at most {length} tokens (start and end included): the words after "
                            "“{kept}” are dropped.",
    "image_tokens.cap_unknown": "Unknown to this model: {words}. It only knows the shapes world's words (colours, "
                                "kinds, sizes, backgrounds); each unknown word becomes the same `<unk>` token.",
    "image_tokens.temperature": "Temperature",
    "image_tokens.temperature_help": "Divides the logits: < 1 sharper.",
    "image_tokens.top_k_help": "Only the k most likely codes may be drawn.",
    "image_tokens.all": "all",
    "image_tokens.seed": "Seed",
    "image_tokens.no_dalle": "The tiny DALL·E is not trained yet, so nothing can be generated here. {why} Sections 1, 2 "
                             "and 5 need only the tokenizer.",
    "image_tokens.code_of": "code {k} of {N}",
    "image_tokens.showing": "Showing the sample for “{caption}” (seed {seed}, T = {temp}, top-k {k}). Press "
                            "**Generate** to sample with the settings above.",
    "image_tokens.step": "Step: the code being chosen",
    "image_tokens.attention_of": "Attention of",
    "image_tokens.all_layers": "mean of all layers",
    "image_tokens.layer_n": "layer {k}",
    "image_tokens.q_next": "At step {t} (row {row}, col {col}), which code does DALL·E find the most likely?",
    "image_tokens.q_next_why": "Its softmax gives it p = {p:.3f}, the largest of the K codes. The code drawn here was "
                               "{drawn}: sampling does not always take the most likely one.",
    "image_tokens.q_next_wait": "The five most likely codes and the one drawn appear once you answer the question "
                                "(or press “Just show me”).",
    "image_tokens.code_n": "code {k}",
    "image_tokens.frame_title": "step {t}: code {code} at row {row}, col {col}",
    "image_tokens.frame_title_open": "step {t}: which code at row {row}, col {col}?",
    "image_tokens.drawn": "Drawn: code {code}, p = {p:.4f} (T = {temp}, top-k {k}), after reading {Lc} caption tokens and "
                          "{t} earlier codes. All {N} codes: {s:.2f} s with the KV cache; log p(image | caption) = "
                          "{lp:.2f}.",
    "image_tokens.factor_md": "**The factorisation, with this sample's numbers.** Multiply the probabilities of all "
                              "drawn codes (add their logs): that is the probability of the whole image given the "
                              "caption. Training maximises exactly this, for all codes in one pass (teacher forcing).",
    # 4
    "image_tokens.s_parti": "4. DALL·E vs Parti: one decoder, or an encoder and a decoder",
    "image_tokens.parti_md": "Parti reads the caption **once** with a bidirectional encoder; its decoder writes the codes "
                             "and, at every step, looks at the encoded caption through **cross-attention**. The same "
                             "caption and seed go through both. The maps: for each caption token, how much each of "
                             "Parti's image tokens looked at it.",
    "image_tokens.needs_both": "The comparison needs both generators.",
    "image_tokens.decoder_only": "decoder only",
    "image_tokens.encoder_decoder": "encoder + decoder",
    "image_tokens.cost_md": "**Cost per image, counted from the weight shapes.** A Linear layer costs D_in × D_out "
                            "multiply-adds per token (P for all of them), attention 2·D per (query, key) pair in each "
                            "of L layers. With the **KV cache** a step runs the network on the new token only; without "
                            "it, on the whole sequence again (DALL·E below; Parti runs its encoder once and adds "
                            "2·D·L·L_c per step for cross-attention).",
    "image_tokens.cmp_design": "design",
    "image_tokens.cmp_params": "parameters (without the VQ)",
    "image_tokens.cmp_cost_cache": "multiply-adds per image, KV cache",
    "image_tokens.cmp_cost_no_cache": "multiply-adds per image, no cache",
    "image_tokens.cmp_saved": "saved by the cache",
    "image_tokens.cmp_colour": "card: colour right (tiny ViT judges)",
    "image_tokens.cmp_kind": "card: kind right (cnn-kind-judge)",
    "image_tokens.cmp_both": "card: both right",
    "image_tokens.cmp_seconds": "card: seconds per image",
    "image_tokens.cmp_log_p": "this sample: log p(image | caption)",
    "image_tokens.cmp_sample_seconds": "this sample: seconds (recording attention)",
    # 5
    "image_tokens.s_sequence": "5. One sequence for everything",
    "image_tokens.sequence_md": "For the decoder, text and image are **one row of token ids**: image code k is token "
                                "{V} + k, after the {V} text ids. CM3Leon goes further and mixes text and images in any "
                                "order. The mask says who may look at whom: causal over the whole sequence, so the "
                                "caption never sees the image and each code sees the caption and the codes before it.",
    "image_tokens.mask_title": "The decoder's attention over [caption ; codes] {how}",
    "image_tokens.how_sample": "(this sample, mean of layers and heads)",
    "image_tokens.how_uniform": "(all scores equal: no trained decoder yet)",
    "image_tokens.parti_masks_md": "Parti's three masks: the **encoder** is bidirectional (every caption token sees "
                                   "every real caption token); the **decoder** is causal over its codes; "
                                   "**cross-attention** lets every code see the caption.",
    # figures (mmviz.figures.image_tokens)
    "image_tokens.fig_pixel_hover": "pixel x=%{{x:.0f}}, y=%{{y:.0f}}<extra></extra>",
    "image_tokens.fig_steps_hover": "%{{y}}: <b>%{{x:,}}</b> steps",
    "image_tokens.fig_choice_hover": "each a choice among %{{customdata[0]:,}} classes",
    "image_tokens.fig_bits_hover": "%{{customdata[1]:,.0f}} bits in all",
    "image_tokens.fig_pairs_hover": "attention scores per layer and head: %{{customdata[2]:,}}<extra></extra>",
    "image_tokens.fig_steps_axis": "steps to write one image (log scale)",
    "image_tokens.fig_dilemma_title": "If every pixel were a token…",
    "image_tokens.fig_cell_hover": "cell %{{customdata[0]}} (row %{{customdata[1]}}, col %{{customdata[2]}})",
    "image_tokens.fig_code_hover": "<b>code %{{customdata[3]:.0f}}</b>",
    "image_tokens.fig_dist_hover": "distance to it: %{{customdata[4]:.3f}}",
    "image_tokens.fig_second_hover": "to the second-nearest code: %{{customdata[5]:.3f}}",
    "image_tokens.fig_share_hover": "this code's share of held-out cells: %{{customdata[6]:.2f}}%",
    "image_tokens.fig_distance": "distance",
    "image_tokens.fig_code_ids": "{h}×{w} = {n} code ids (raster order)",
    "image_tokens.fig_distance_title": "distance ‖z − e_code‖ of each cell",
    "image_tokens.fig_codebook_title": "The codebook: {K} codes, each decoded alone (orange: used by your image)",
    "image_tokens.fig_code0_hover": "<b>code %{{customdata[0]}}</b>",
    "image_tokens.fig_in_image_hover": "in your image: %{{customdata[1]:.0f}}×",
    "image_tokens.fig_share2_hover": "share of held-out cells: %{{customdata[2]:.2f}}%",
    "image_tokens.fig_rank_hover": "<b>code %{{customdata[0]}}</b> (rank %{{customdata[1]}} on the held-out scenes)",
    "image_tokens.fig_heldout_hover": "held-out: %{{customdata[3]:.2f}}% of cells",
    "image_tokens.fig_yours_hover": "your image: %{{customdata[2]}}× (%{{customdata[4]:.1f}}%)<extra></extra>",
    "image_tokens.fig_heldout_scenes": "held-out scenes",
    "image_tokens.fig_your_image": "your image",
    "image_tokens.fig_code_axis": "code id (the {top} most used held-out codes, then your image's others)",
    "image_tokens.fig_cells_log": "% of cells (log scale)",
    "image_tokens.fig_code_use": "Code use",
    "image_tokens.fig_error2": "error²",
    "image_tokens.fig_sq_error": "squared error %{{z:.4f}}<extra></extra>",
    "image_tokens.fig_keep_m": "keep the M most used codes",
    "image_tokens.fig_m_hover": "M = %{{customdata[0]}} codes allowed",
    "image_tokens.fig_bits_per_image_hover": "%{{x:.0f}} bits per image",
    "image_tokens.fig_uses_hover": "your image uses %{{customdata[1]}} of them<extra></extra>",
    "image_tokens.fig_coarser": "coarser grid (smaller input)",
    "image_tokens.fig_grid_hover": "%{{customdata[0]}}×%{{customdata[0]}} grid: %{{customdata[1]}} codes",
    "image_tokens.fig_bits_axis": "bits per image (log scale)",
    "image_tokens.fig_psnr_axis": "PSNR (dB, higher = closer)",
    "image_tokens.fig_budget_title": "What each bit buys",
    "image_tokens.fig_after": "after {s} of {n} codes",
    "image_tokens.fig_caption_hover": "caption token %{{x}}",
    "image_tokens.fig_earlier_hover": "earlier code at row %{{y}}, col %{{x}}",
    "image_tokens.fig_on_caption": "on the caption",
    "image_tokens.fig_on_codes": "on the earlier codes (column)",
    "image_tokens.fig_looks_title": "Where the token at row {row}, col {col} looks",
    "image_tokens.fig_p_next": "p(next code)",
    "image_tokens.fig_top5_title": "Top-5 next codes (orange: drawn)",
    "image_tokens.fig_factor_hover": "step %{{x}}: <b>code %{{customdata[0]:.0f}}</b>",
    "image_tokens.fig_sum_hover": "sum so far %{{customdata[2]:.2f}}<extra></extra>",
    "image_tokens.fig_running_sum": "running sum",
    "image_tokens.fig_step_raster": "step i (raster order)",
    "image_tokens.fig_sum_axis": "Σ log p so far",
    "image_tokens.fig_factor_title": "Every factor of p(image | caption)",
    "image_tokens.fig_image_token_hover": "image token %{{customdata[0]}} (row %{{y}}, col %{{x}})",
    "image_tokens.fig_cost_cache": "{name}, KV cache",
    "image_tokens.fig_cost_no_cache": "{name}, no cache",
    "image_tokens.fig_step_macs": "step %{{x}}: %{{y:,}} multiply-adds<extra></extra>",
    "image_tokens.fig_step_written": "step (code being written)",
    "image_tokens.fig_cost_title": "Cost of each step",
    "image_tokens.fig_position_hover": "position %{{customdata[0]}}: <b>%{{customdata[1]}}</b>",
    "image_tokens.fig_token_id_hover": "token id %{{customdata[2]}}<extra></extra>",
    "image_tokens.fig_text_token": "text token",
    "image_tokens.fig_image_code": "image code",
    "image_tokens.fig_sequence_title": "One sequence of {T} tokens, read left to right, row by row",
    "image_tokens.fig_masked_hover": "masked: −∞ before the softmax<extra></extra>",
    "image_tokens.fig_parti_encoder": "Parti encoder",
    "image_tokens.fig_parti_decoder": "Parti decoder",
    "image_tokens.fig_parti_cross": "Parti cross",
}
