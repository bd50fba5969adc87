"""English: the attention_maps lesson (pages/*_attention_maps.py, mmviz.figures.attention_maps)."""

STRINGS: dict[str, str] = {
    "attention_maps.title": "Attention maps",
    "attention_maps.running": "Running the ViT once, keeping every attention map…",
    "attention_maps.intro": "Inside a transformer every token **asks a question** (its query q), every token **offers "
                            "a label** (its key k) and **a message** (its value v). A token's new content is the "
                            "average of all messages, weighted by how well its question matches each label. Each head "
                            "does this with its own q, k, v, so different heads can look for different things. Below, "
                            "the real weights of a trained ViT on your image: where does every head of every layer "
                            "look?",
    "attention_maps.missing": "The embedded trained model is missing, so only the untrained one can be shown.",
    "attention_maps.shapes_btn": "Shapes world sample",
    "attention_maps.shapes_help": "A new scene from mmviz.data.shapes (seeded).",
    "attention_maps.back_btn": "Back to my image",
    "attention_maps.tiny_note": "This tiny model was trained only on the **shapes world**: one coloured shape on a "
                                "plain, textured or photo background (64×64 px), and its task is to **name the shape's "
                                "colour**, so it learned to find the one object in the clutter. On a photo it still "
                                "attends, but its [CLS] has never seen a cat. Press **Shapes world sample** to see it "
                                "on data it knows.",
    "attention_maps.card_caption": "Measured on {n} fresh scenes (model card): accuracy {acc:.1%}. Share of [CLS]'s "
                                   "attention on the object's patches, layer by layer: {layers} (uniform attention: "
                                   "{uniform:.0%}). Nothing told it where to look: the only training signal was the "
                                   "colour's name.",
    "attention_maps.dino_note": "Why not more on the object? A ViT trained with labels only has to get the label "
                                "right, and its attention is known to be much less object-shaped than that of a "
                                "**self-supervised** ViT: DINO (Caron et al. 2021, *Emerging Properties in "
                                "Self-Supervised Vision Transformers*) learned without labels, and its last layer's "
                                "[CLS] heads outline the objects. Its checkpoint is one command away: "
                                "`python -m mmviz.download facebook/dino-vits16`, then pick it under **Model**.",
    "attention_maps.size": "Input size (short side, pixels)",
    "attention_maps.size_help": "Positions are interpolated (bicubic) for sizes other than the training size.",
    "attention_maps.read_error": "The model could not read this image: {why}",
    "attention_maps.tiny": "It is smaller than one {P} px patch, so it was **enlarged**: it holds no detail to attend "
                           "to.",
    "attention_maps.upscaled": "It was **upscaled**, which adds no detail.",
    "attention_maps.panorama": "It is a **panorama** (or very tall), so its middle part was kept.",
    "attention_maps.rule": "Converted to RGB (greyscale is copied to 3 channels); centre-cropped so the long side is at "
                           "most {aspect}× the short side; resized (bicubic) so the short side is {size} px; the long "
                           "side cropped to a multiple of the {P} px patch.",
    "attention_maps.m_patches": "Patches N",
    "attention_maps.m_tokens": "Tokens T",
    "attention_maps.m_tokens_help": "tokens.shape[1], with [CLS]",
    "attention_maps.m_width": "Width D",
    "attention_maps.m_heads": "Heads h",
    "attention_maps.m_layers": "Layers",
    "attention_maps.m_head_dim": "Head size d",
    "attention_maps.attention_shape": "attention {h}×{T}×{T}",
    "attention_maps.disagree": "The formula and the tensors disagree: please report this bug.",
    "attention_maps.predicts": "**The model predicts:** {classes}",
    "attention_maps.layer": "Layer",
    "attention_maps.layer_help": "0 = first block",
    "attention_maps.head": "Head",
    "attention_maps.query": "Query patch index (or click a patch in section 2)",
    # 1
    "attention_maps.s1": "1. What [CLS] looks at: every head of the layer",
    "attention_maps.layer_heads": "**Layer {layer}**, all {h} heads.",
    "attention_maps.late": "In this tiny model **[CLS] joins the patches only in layer {late}** (CaiT-style class "
                           "attention): in layers 0–{before} it attends to itself and no patch attends to it, so the "
                           "patches first work out among themselves what is where, and everything [CLS] knows about "
                           "the image it reads in layer {late}.",
    "attention_maps.late_empty": " Its maps below are empty in this layer.",
    "attention_maps.s1_caption": "Row 0 of each head's {T}×{T} attention matrix, without the [CLS] column, drawn over "
                                 "the patches. Each head has its own colour range (0 to its maximum); hover for the "
                                 "weight.",
    # 2
    "attention_maps.s2": "2. Pick any patch: where does it look?",
    "attention_maps.patch_arrow": "patch {q} →",
    "attention_maps.s2_caption": "Early layers tend to look near the query patch, later ones further away and at the "
                                 "object. The weight on [CLS] itself is not drawn.",
    # 3
    "attention_maps.s3": "3. The whole T×T matrix of one head",
    "attention_maps.matrix_title": "A = softmax(QKᵀ/√d), layer {layer}, head {head}: row = query, column = key",
    "attention_maps.s3_caption": "Every row sums to 1. Row 0 is [CLS] (section 1); the cyan line marks the query "
                                 "patch's row (section 2). Colours stop at the 99th percentile; hover gives the exact "
                                 "weight.",
    # 4
    "attention_maps.s4": "4. Attention rollout: follow attention through all layers",
    "attention_maps.rollout_md": "One layer's map ignores the residual connection and the layers below. **Rollout** "
                                 "(Abnar & Zuidema, 2020) fuses the heads, adds the identity for the residual path, "
                                 "renormalises, and multiplies the layers together.",
    "attention_maps.fusion": "Head fusion",
    "attention_maps.discard": "Discard ratio (weakest fused weights dropped per layer)",
    "attention_maps.rollout_title": "rollout over {L} layers ({fusion}, discard {discard:.0%})",
    "attention_maps.last_only": "last layer only, mean of {h} heads",
    # 5
    "attention_maps.s5": "5. Thresholded masks: the patches holding most of [CLS]'s attention",
    "attention_maps.layer_masks": "**Layer {layer}**, each head's mask.",
    "attention_maps.keep": "Keep this share of the attention mass",
    "attention_maps.keep_help": "DINO keeps 60%: sort the patches by weight and keep the top ones until they hold it.",
    # 6
    "attention_maps.s6": "6. How far does each head look?",
    "attention_maps.distance_md": "For every query patch, the pixel distance to each key patch weighted by attention, "
                                  "averaged over queries: small = local, like a convolution; large = global. In the ViT "
                                  "paper some heads look far already in layer 0, and the spread closes as depth grows.",
    "attention_maps.q_far": "In layer {layer}, which of the {h} heads looks **furthest** from its query (the largest "
                            "mean attention distance)?",
    "attention_maps.head_n": "head {h}",
    "attention_maps.q_far_why": "Head {h}: {d:.1f} px on average. The heads of layer {layer} range from {lo:.1f} to "
                                "{hi:.1f} px; uniform attention over the whole image would give {u:.1f} px (the dashed "
                                "line below).",
    "attention_maps.distance_open": "The mean attention distance of every head appears once you answer the question "
                                    "above (or click “Just show me”).",
    "attention_maps.compare": "Compare with the untrained model (same architecture, random weights)",
    "attention_maps.s6_caption": "Dashed: uniform attention ({u:.1f} px). Mean entropy of this model's rows: {ent:.2f} "
                                 "nats; fully uniform would be log T = {max:.2f}.",
    "attention_maps.before_after": "**Before vs after training.** Untrained rows have entropy {ue:.2f} nats (uniform: "
                                   "{um:.2f}): random weights spread attention almost evenly, so their maps are noise. "
                                   "This model: {ent:.2f} nats.",
    "attention_maps.untrained_caption": "Untrained model, [CLS] → patches, layer {layer}.",
    # 7
    "attention_maps.s7": "7. One row of attention by hand",
    "attention_maps.patch_label": "patch {k} (r{r}, c{c})",
    "attention_maps.use_cls": "Use [CLS] as the query (off: the query patch of section 2)",
    "attention_maps.worked_md": "Query **{label}**, layer {layer}, head {head}. The block's input goes through "
                                "LayerNorm (`norm1`) and one `qkv` Linear; this head's slices give q (d = {d}), and a k "
                                "and v for each of the {T} tokens.",
    "attention_maps.by_hand": "max |softmax by hand − model's row|",
    "attention_maps.by_hand_help": "The model's Attention, called with return_attn=True on the same input.",
    "attention_maps.out_diff": "max |Σ w·v by hand − model|",
    "attention_maps.weights_sum": "weights sum",
    "attention_maps.col_key": "key",
    "attention_maps.col_weight": "weight",
    # figures (the English the builders write)
    "attention_maps.fig_head_max": "head {h} · max {m}",
    "attention_maps.fig_head": "head {h}",
    "attention_maps.fig_patch_hover": "{what} patch %{{customdata[0]}} (row %{{customdata[1]}}, col %{{customdata[2]}})",
    "attention_maps.fig_patch_only": "patch %{{customdata[0]}} (row %{{customdata[1]}}, col %{{customdata[2]}})",
    "attention_maps.fig_weight_z": "weight %{{z:.4f}}<extra></extra>",
    "attention_maps.fig_weight_c": "weight %{{customdata[3]:.4f}}",
    "attention_maps.fig_in_mask": "in the {k} mask: %{{z}}<extra></extra>",
    "attention_maps.fig_mask_title": "head {h} · {n}/{N} patches hold {p}",
    "attention_maps.fig_click": "click to make it the query<extra></extra>",
    "attention_maps.fig_query_title": "query: patch {q} (row {r}, col {c})",
    "attention_maps.fig_query_token": "query token",
    "attention_maps.fig_key_token": "key token",
    "attention_maps.fig_weight": "weight",
    "attention_maps.fig_key_axis": "key token (T = {T}; 0 = [CLS], k+1 = patch k)",
    "attention_maps.fig_this_model": "this model",
    "attention_maps.fig_untrained": "untrained",
    "attention_maps.fig_layer_head": "layer %{{customdata[0]:.0f}}, head %{{customdata[1]:.0f}}",
    "attention_maps.fig_mean_distance": "mean distance %{{y:.1f}} px",
    "attention_maps.fig_entropy": "entropy %{{customdata[2]:.2f}} nats<extra></extra>",
    "attention_maps.fig_uniform": "uniform attention",
    "attention_maps.fig_uniform_hover": "uniform attention: {d} px<extra></extra>",
    "attention_maps.fig_depth": "network depth (layer, 0 = first block)",
    "attention_maps.fig_distance_axis": "mean attention distance (pixels)",
    "attention_maps.fig_distance_title": "Mean attention distance of every head",
    "attention_maps.fig_key_y": "key %{{y}}",
    "attention_maps.fig_softmax_x": "softmax weight %{{x:.4f}}",
    "attention_maps.fig_softmax_axis": "softmax weight (multiplies v_j)",
    "attention_maps.fig_top_keys": "Top {n} keys: {p} of the weight",
}
