"""Multimodal fusion (pages/10_fusion.py, mmviz.ui.fusion, mmviz.figures.fusion)."""

STRINGS = {
    "fusion.title": "Multimodal fusion",
    "fusion.s_inputs": "Your image and your question",
    "fusion.intro": "Once an image is a row of patch tokens and a question a row of word tokens, a transformer can mix "
                    "them. **Where the two streams meet** is the design choice. The survey the course follows (Xu, Zhu "
                    "& Clifton, *Multimodal Learning with Transformers: A Survey*, Fig. (a)–(f)) names six ways. Here six "
                    "tiny models, one per way, same width (96), same depth (4 blocks along the way), same data, answer "
                    "questions about shapes. They all run the same attention; what differs is **which token may read "
                    "which**, the mask M:",
    "fusion.missing": "Not trained yet: **{names}**. Until a model's weights are in assets/models/, its row shows the "
                      "**untrained architecture** (random fusion blocks, the frozen CNN as in training): the diagrams, "
                      "masks and counts are real, its answers are noise. Train one with `python -m mmviz.train {first}` "
                      "(about an hour on one CPU thread).",
    "fusion.bad_image": "This image could not be read: {why}",
    "fusion.resized": "**{name}** ({w}×{h}) → centre-cropped to a square and resized to {S}×{S} px ({n} patches of {p} "
                      "px).",
    "fusion.as_is": "**{name}**, 64×64 px.",
    "fusion.question": "Your question about the image below (ends with “?”; at most 12 words are read)",
    "fusion.photo": "The six models were trained only on **64×64 shapes-world scenes**: two or three shapes of different "
                    "kinds and colours on a plain or gradient background. On a photo they still answer (they must pick "
                    "one of their 19 answers), but about shapes that are not there. Try **Shapes scene** for data they "
                    "know.",
    "fusion.q_empty": "The question is empty: type one, or click a sample question.",
    "fusion.q_cut": "The question has {n:,}{more} tokens; the models read at most {max}, so it was cut to its first "
                    "{max}.",
    "fusion.q_unknown": "Outside the models' tiny vocabulary (each became [UNK], a token the models learned nothing "
                        "about): {words}. They know {n} words: {vocab}.",
    "fusion.until": "Until you type one, the models answer the sample question “{q}”.",
    "fusion.tokens_caption": "{L} question tokens L (one per word, “?” included); the image gives N = 64 tokens. Each "
                             "becomes a vector of 96 numbers: a word's embedding, or a patch's pixels and CNN features, "
                             "plus its position and its modality.",
    "fusion.reading": "Six models read your question…",
    "fusion.src_scene": "Shapes scene",
    "fusion.src_sidebar": "Sidebar",
    "fusion.src_upload": "Upload",
    "fusion.new_scene": "New random scene",
    "fusion.new_scene_help": "Two or three shapes from mmviz.data.vqa.scene (seeded).",
    "fusion.scene_name": "shapes-world scene #{seed}: {what}",
    # names of the six designs
    "fusion.survey_a": "Early summation",
    "fusion.survey_b": "Early concatenation",
    "fusion.survey_c": "Hierarchical attention (multi-stream → one-stream)",
    "fusion.survey_d": "Hierarchical attention (one-stream → multi-stream)",
    "fusion.survey_e": "Cross-attention",
    "fusion.survey_f": "Cross-attention to concatenation",
    "fusion.short_a": "early summation",
    "fusion.short_b": "early concatenation",
    "fusion.short_c": "multi-stream → one-stream",
    "fusion.short_d": "one-stream → multi-stream",
    "fusion.short_e": "cross-attention",
    "fusion.short_f": "cross-attention → concatenation",
    "fusion.kind_joint": "one stream: every token reads every token",
    "fusion.kind_text": "question only: words read words",
    "fusion.kind_image": "image only: patches read patches",
    "fusion.kind_text<-image": "cross: words read patches",
    "fusion.kind_image<-text": "cross: patches read words",
    # 1
    "fusion.s_answers": "1. Six designs answer your question",
    "fusion.q_best": "Before you look at the bars: which design answers this question with the most confidence (a "
                     "trained one before an untrained one)?",
    "fusion.q_best_why": "({k}) answers **{answer}** with p = {p:.0%}, the largest top probability of the six.{truth}",
    "fusion.q_best_wait": "The six designs’ answers and their probabilities appear once you answer the question (or "
                          "press “Just show me”).",
    "fusion.trained": "trained",
    "fusion.untrained": "untrained: noise",
    "fusion.true_answer": "**True answer: {truth}** (green).",
    "fusion.one_softmax": "Each model ends in one softmax over the same 19 answers (9 colours, 6 kinds, yes, no, 2, 3).",
    # 2
    "fusion.s_designs": "2. Where the streams meet: the six designs, drawn from the models",
    "fusion.design": "Design to look into (sections 2–5)",
    "fusion.rule_head": "**({k}) {name}**, what `FusionVQA.forward` computes (w: question tokens, v: image tokens, "
                        "Block: self-attention + MLP, CA: cross-attention, queries from the left side):",
    "fusion.designs_caption": "Each box is one block of `model.plan()`, in the order it runs; hover for its attention "
                              "shape and parameters. A cross block's arrow comes from the stream it reads (its keys and "
                              "values).",
    # 3
    "fusion.s_masks": "3. Which token can read which: every block of ({k}), on your question",
    "fusion.masks_md": "A design **is** its masks: the same attention code, told which pairs it may compute. One square "
                       "per stage, rows read columns; where a word's row reaches the patches, the question looks at the "
                       "image.",
    "fusion.weights_of": "Weights of",
    "fusion.mean_heads": "mean of heads",
    "fusion.head_n": "head {i}",
    "fusion.weight_of": "weight ({what})",
    "fusion.masks_caption": "Rows: the token that reads (query); columns: the token read (key); {T} tokens = {tokens}"
                            "Blocks that run side by side share one matrix (they read different pairs). Grey: blocked "
                            "by the mask (−∞ before the softmax). Colour: the weight over its block's largest weight; "
                            "hover for the weight. Allowed pairs per stage: {allowed} of {T}² = {T2:,}.",
    "fusion.tokens_summed": "{N} patches, the first {L} with a word added. ",
    "fusion.tokens_joined": "{L} words, then {N} patches. ",
    "fusion.no_words": "Early summation has no word tokens at all: each word was added into a patch token.",
    # 4
    "fusion.s_word": "4. A word and the image patches, head by head, in ({k})",
    "fusion.word_md": "Pick a word: in a block where it may read the patches, each head shares the word's attention (it "
                      "sums to 1) among the keys; drawn here is what lands on each of the 8×8 patches. A trained "
                      "“circle” should find the circle.",
    "fusion.reads": "The word reads the patches",
    "fusion.reads_help": "Off: the patches read the word.",
    "fusion.never": "In ({k}) the patches never read the words directly.",
    "fusion.word": "Word",
    "fusion.in_patch": " (in patch {i})",
    "fusion.block": "Block",
    "fusion.map_title": "head {i} · max {m:.3f}",
    "fusion.on_image": " · {s:.0%} on the image",
    "fusion.reads_patch": "“{tok}” reads patch",
    "fusion.read_by": "“{tok}” is read by patch",
    "fusion.row_caption": "The word's row of the block's attention, its image part, drawn over the 8×8 patches",
    "fusion.row_joint": "; in a joint block the rest of the row reads other words (the share on the image is in the "
                        "title)",
    "fusion.column_caption": "The word's column: how much each patch reads it",
    "fusion.range_caption": ". Each head has its own colour range (0 to its max); hover for the weight.",
    "fusion.untrained_even": " Untrained weights spread it almost evenly.",
    # 5
    "fusion.s_costs": "5. What it costs on your input: tokens, attention scores, parameters",
    "fusion.costs_md": "A block computes one score q·k per head for every pair it may read: h·Tq·Tk. Joint blocks pay "
                       "for all (L+N)² pairs, cross blocks only for the L·N word–patch pairs, so where the streams meet "
                       "sets the bill.",
    "fusion.disagree": "The formula and the attention tensors disagree: please report this bug.",
    "fusion.clip_name": "CLIP (no fusion)",
    "fusion.col_design": "design",
    "fusion.col_tokens": "tokens: {s}",
    "fusion.stream_question": "question",
    "fusion.stream_image": "image",
    "fusion.stream_one_stream": "one stream",
    "fusion.col_blocks": "blocks",
    "fusion.col_scores": "attention scores",
    "fusion.col_parameters": "parameters",
    "fusion.col_trainable": "trainable",
    "fusion.costs_caption": "Scores are read from the shapes of the attention tensors (h × Tq × Tk per block) for L = "
                            "{L}, N = {N}; a joint block pays for every pair of the {T} tokens, a cross block only for "
                            "word–patch pairs. Parameters are counted on the modules (the frozen CNN included, not "
                            "trained).",
    "fusion.col_part": "({k}) part",
    "fusion.part_image": "image tokens (patch embed, CNN projection, positions)",
    "fusion.part_cnn": "frozen CNN (not trained)",
    "fusion.part_question": "question tokens (word embedding, positions)",
    "fusion.part_modality": "modality embedding",
    "fusion.part_blocks": "{kind} blocks ×{n}",
    "fusion.part_head": "answer head (norm + linear)",
    # 6
    "fusion.s_trained": "6. The six trained models side by side",
    "fusion.accuracy_caption": "Held-out accuracy on {n:,} fresh questions (model cards), per question type. Black dash: "
                               "what reading the question alone reaches (the most frequent answer of that type).",
    "fusion.none_trained": "No fusion model is trained yet: this table fills in as `python -m mmviz.train fusion-a` … "
                           "`fusion-f` finish.",
    "fusion.col_model": "model",
    "fusion.col_status": "status",
    "fusion.col_accuracy": "accuracy",
    "fusion.col_train_min": "train min",
    "fusion.status_trained": "trained",
    "fusion.status_untrained": "not trained yet",
    "fusion.status_clip": "no VQA (captions {top1:.1%})",
    # 7
    "fusion.s_clip": "7. No fusion at all: CLIP's dual encoder",
    "fusion.clip_md": "CLIP runs two towers that never see each other: the image becomes one vector, a caption one "
                      "vector, and the **only** place they meet is one dot product. It can score captions; no word ever "
                      "reads a patch.",
    "fusion.no_clip": "The embedded CLIP is not here: `python -m mmviz.train clip-tiny` trains it.",
    "fusion.clip_colour": "“what colour is the {kind}?” becomes {n} captions “a … {kind}”: CLIP's answer is the colour of "
                          "the caption closest to the image.",
    "fusion.clip_shape": "“what shape is the {colour} one?” becomes {n} captions “a {colour} …”: CLIP's answer is the "
                         "kind of the caption closest to the image.",
    "fusion.clip_there": "“is there a {colour} {kind}?” needs a yes or a no: CLIP can only say how close “a {colour} "
                         "{kind}” is to the image compared with other captions (its rank below), and no threshold says "
                         "where yes ends.",
    "fusion.clip_many": "A count is no caption CLIP was trained on, and one image vector against one caption vector has "
                        "no place to count in.",
    "fusion.clip_relation": "A relation needs one shape's position compared with another's: the image is pooled into one "
                            "vector before any word is seen, so no word can look for either shape.",
    "fusion.clip_none": "This question cannot be put as captions of one shape.",
    "fusion.clip_says": "CLIP says: **{a}**.",
    "fusion.clip_rank": "“{cap}” ranks {r} of {n}.",
    "fusion.truth_is": "The true answer: **{truth}**.",
    "fusion.clip_bars_question": "CLIP: the question as captions (softmax at its learned scale)",
    "fusion.clip_bars_closest": "CLIP: the closest of its {n} captions",
    "fusion.clip_caption": "CLIP was trained on one-shape scenes with captions; its towers cost {scores:,} attention "
                           "scores here, and the two meet in a {E}-number dot product.",
    # figures (mmviz.figures.fusion)
    "fusion.fig_words": "words",
    "fusion.fig_patches": "patches",
    "fusion.fig_self": "self",
    "fusion.fig_cross": "cross",
    "fusion.fig_joint": "joint",
    "fusion.fig_answer": "answer",
    "fusion.fig_scores_axis": "attention scores q·k computed (h × Tq × Tk, summed over blocks)",
    "fusion.fig_accuracy_axis": "held-out accuracy (%)",
    "fusion.fig_blind": "blind guess",
    "fusion.fig_blind_hover": "%{{x}}: a blind guess (the most frequent answer) reaches %{{y:.1f}}%",
    "fusion.fig_probability_pct": "probability (%)",
    "fusion.fig_cosine": "cosine similarity",
    "fusion.fig_reads_hover": "%{{y}} reads %{{x}}",
    "fusion.fig_blocked_hover": "%{{y}} → %{{x}}: blocked (−∞ before the softmax)<extra></extra>",
    "fusion.fig_image_layer": "image layer {i}",
    "fusion.fig_caption_layer": "caption layer {i}",
}
