"""The encoder–decoder (pages/8_encoder_decoder.py, mmviz.figures.encoder_decoder)."""

STRINGS = {
    "encoder_decoder.title": "Encoder–decoder and cross-attention",
    "encoder_decoder.s_intro": "Your sentence and the translator",
    "encoder_decoder.intro": "The original Transformer (Vaswani et al., 2017) translates with two stacks. The "
                             "**encoder** reads the whole source sentence; every word sees every word. The **decoder** "
                             "writes the translation one token at a time: it sees only what it has written so far "
                             "(masked, like GPT), and in every block it **reads the source through cross-attention**: "
                             "its queries come from the target, the keys and values from the encoder's output H (S × "
                             "D). Which source word does each new word (Y: T × D so far) look at?",
    "encoder_decoder.model": "Model",
    "encoder_decoder.missing": "The trained tiny translator is not here yet, so its untrained twin (random weights) "
                               "stands in: its translations and attention are noise.",
    "encoder_decoder.marian_note": "English → German, a real Marian model",
    "encoder_decoder.load_error": "{name} could not be loaded: {why}",
    "encoder_decoder.text_label": "English sentence to translate",
    "encoder_decoder.unknown_1": "The tiny translator learned only the shapes-world grammar and does not know {n} word "
                                 "of this text: {words}. It will still write something, but it cannot translate what "
                                 "it never saw.",
    "encoder_decoder.unknown_n": "The tiny translator learned only the shapes-world grammar and does not know {n} words "
                                 "of this text: {words}. It will still write something, but it cannot translate what "
                                 "it never saw.",
    "encoder_decoder.not_grammar": "Every word is known, but the text is not a sentence of the grammar ({reason}), so "
                                   "there is no reference translation to compare with.",
    "encoder_decoder.translating": "Translating, one token at a time…",
    # 1
    "encoder_decoder.s_translation": "1. The translation",
    "encoder_decoder.source": "**Source** ({tokenizer}, S = {S} tokens, ending with the end token):",
    "encoder_decoder.written": "**Written by the decoder**, greedily (the most likely token each step), {n} tokens, "
                               "stopped by",
    "encoder_decoder.stopped_eos": "its end token:",
    "encoder_decoder.stopped_length": "the length limit ({max}):",
    "encoder_decoder.reference": "The grammar's reference: **{korean}** ·",
    "encoder_decoder.same": "the model wrote exactly this.",
    "encoder_decoder.different": "the model wrote something else.",
    "encoder_decoder.exact": "held-out exact match",
    "encoder_decoder.exact_help": "greedy, {n} fresh texts (card)",
    "encoder_decoder.aligned": "cross-attention on the right word",
    "encoder_decoder.aligned_help": "head-averaged last layer, at the step that writes the word (card)",
    "encoder_decoder.diagonal": "a diagonal would score",
    "encoder_decoder.diagonal_help": "source word k/K·S for target word k",
    # 2
    "encoder_decoder.s_kinds": "2. Three kinds of attention",
    "encoder_decoder.kind": "Attention kind",
    "encoder_decoder.kind_encoder": "encoder self-attention",
    "encoder_decoder.kind_decoder": "decoder masked self-attention",
    "encoder_decoder.kind_cross": "cross-attention",
    "encoder_decoder.hover_encoder": "Encoder self-attention: Q, K, V from the source ({S} tokens); no mask; {L} layers × "
                                     "{h} heads of {S}×{S}",
    "encoder_decoder.hover_decoder": "Decoder masked self-attention: Q, K, V from the target so far ({n} tokens); "
                                     "causal mask",
    "encoder_decoder.hover_cross": "Cross-attention: Q from the target ({n}), K and V from the encoder's output ({S}); "
                                   "{n}×{S} per head",
    "encoder_decoder.hover_cross_open": "Cross-attention: Q from the target ({n}), K and V from the encoder's output "
                                        "({S})",
    "encoder_decoder.about_encoder": "**Encoder self-attention.** Every source token looks at every source token (only "
                                     "padding is hidden). The encoder runs once per sentence; its output H is the "
                                     "memory.",
    "encoder_decoder.about_decoder": "**Decoder masked self-attention.** Each target token looks at the target tokens "
                                     "before it and itself, never ahead, exactly as in GPT, because at generation time "
                                     "the future does not exist yet.",
    "encoder_decoder.about_cross": "**Cross-attention.** The decoder's queries look at the encoder's output: this is "
                                   "where the translation reads the source. Row t is the step that writes target token "
                                   "t.",
    "encoder_decoder.shape_caption": "This sentence: {Tq} queries × {Tk} keys per head, {L} layers × {h} heads. Hover "
                                     "the diagram's boxes for the shapes.",
    "encoder_decoder.q_scores": "The decoder wrote {n} tokens from a source of {S}. How many cross-attention weights "
                                "does one head compute for this translation?",
    "encoder_decoder.q_scores_why": "One weight per (target query, source key) pair: {n} × {S}. Over the {L} layers × "
                                    "{h} heads the tensor holds {total:,} of them.",
    "encoder_decoder.q_scores_wait": "The shape of one head's cross-attention appears once you answer the question "
                                     "below (or press “Just show me”).",
    "encoder_decoder.layer": "Layer",
    "encoder_decoder.head": "Head",
    "encoder_decoder.query": "Query token (or click one on the left of the lines)",
    "encoder_decoder.view_title": "{kind}, layer {layer}, head {head}",
    "encoder_decoder.matrix": "The {Tq}×{Tk} matrix",
    "encoder_decoder.matrix_open": "The attention matrix",
    "encoder_decoder.grid_caption": "Every head of every layer for this kind of attention (the chosen one outlined); "
                                    "each has its own colour range, 0 to its maximum.",
    # 3
    "encoder_decoder.s_align": "3. Does cross-attention find the word it translates?",
    "encoder_decoder.avg": "Average the heads of the layer (the model card's measure)",
    "encoder_decoder.align_md": "Korean puts the verb last and the relation after the landmark, so the true alignment "
                                "(green) is **no diagonal**. Here the decoder is fed the grammar's reference translation "
                                "(teacher forcing, as in training), so every row is the step that writes one reference "
                                "word.",
    "encoder_decoder.what_mean": "layer {layer}, mean of the heads",
    "encoder_decoder.what_head": "layer {layer}, head {head}",
    "encoder_decoder.align_title": "Cross-attention, {what}",
    "encoder_decoder.align_caption": "{n} aligned words in this sentence. The best single head finds {best:.0%} of them; "
                                     "the head average of the last layer {last:.0%}{extra}.",
    "encoder_decoder.align_card": " (on {n} held-out texts: {share:.0%})",
    "encoder_decoder.no_alignment": "The grammar's true alignment exists only for the tiny English → Korean model and "
                                    "sentences of its grammar (pick a sample). Section 2 shows the cross-attention of "
                                    "the model's own translation.",
    # 4
    "encoder_decoder.s_steps": "4. Decoding, step by step",
    "encoder_decoder.steps_md": "At step t the decoder runs only the newest token (its keys and values join the cache; "
                                "the encoder's keys and values are computed once), and its cross-attention row shows "
                                "where it reads the source while it chooses word t (green: the source word the grammar "
                                "aligns it with, when the model wrote the reference).",
    "encoder_decoder.step": "Step",
    "encoder_decoder.q_read": "While it writes “{tok}”, which source token does the decoder read the most (this layer "
                              "and head)?",
    "encoder_decoder.q_read_why": "Its cross-attention row puts {w:.3f} of its weight on “{tok}”, more than on any other "
                                  "source token (the bars below).",
    "encoder_decoder.q_read_wait": "The bars of this step's cross-attention row (and the candidates it writes) "
                                   "appear once you answer the question (or press “Just show me”).",
    "encoder_decoder.step_title": "Step {step} writes {tok}: its cross-attention (layer {layer}, {what}) and the "
                                  "candidates",
    "encoder_decoder.mean_heads": "mean of the heads",
    "encoder_decoder.head_n": "head {head}",
    "encoder_decoder.step_caption": "The rows saved during decoding equal the full pass's rows of section 2: max |Δ| = "
                                    "{diff:.1e}.",
    # figures (the English the builders write)
    "encoder_decoder.fig_self": "Self-attention",
    "encoder_decoder.fig_no_mask": "(no mask)",
    "encoder_decoder.fig_masked_self": "Masked self-attention",
    "encoder_decoder.fig_causal": "(causal)",
    "encoder_decoder.fig_cross": "Cross-attention",
    "encoder_decoder.fig_q_target": "Q target · K, V source",
    "encoder_decoder.fig_ffn": "Feed-forward",
    "encoder_decoder.fig_src_tokens": "source tokens (English)",
    "encoder_decoder.fig_embed_pos": "embedding + positions",
    "encoder_decoder.fig_target_so_far": "target so far, shifted right",
    "encoder_decoder.fig_output": "Linear + softmax → next token",
    "encoder_decoder.fig_encoder_n": "<b>Encoder</b> ×{n}",
    "encoder_decoder.fig_decoder_n": "<b>Decoder</b> ×{n}",
    "encoder_decoder.fig_enc_output": "encoder output H → K, V",
    "encoder_decoder.fig_every_cross": "of every cross-attention",
    "encoder_decoder.fig_source_hover": "source %{{x}}: %{{customdata}}",
    "encoder_decoder.fig_cross_weight": "cross-attention weight",
    "encoder_decoder.fig_probability": "probability",
    "encoder_decoder.fig_right_word": "peaks on the right source word for %{{z:.0%}} of {n} words<extra></extra>",
    "encoder_decoder.fig_right_title": "Right source word, per head (head average of the last layer: {m})",
    "encoder_decoder.fig_query_target": "query (target)",
    "encoder_decoder.fig_query_source": "query (source)",
    "encoder_decoder.fig_key_source": "key (source)",
    "encoder_decoder.fig_key_target": "key (target)",
    "encoder_decoder.fig_korean_word": "Korean word",
    "encoder_decoder.fig_english_source": "English source",
    "encoder_decoder.fig_korean_written": "Korean word written",
    "encoder_decoder.fig_english_token": "English source token",
    "encoder_decoder.fig_head_max": "head {h} · max {m}",
}
