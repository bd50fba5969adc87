"""BERT and GPT (pages/7_bert_gpt.py, mmviz.figures.bert_gpt)."""

STRINGS = {
    "bert_gpt.title": "BERT and GPT",
    "bert_gpt.s_intro": "Your sentence and the two models",
    "bert_gpt.intro": "Both are stacks of the same transformer block. **BERT** (an encoder) lets every token look at "
                      "every other token and is trained to fill in hidden words: it *understands*. **GPT** (a decoder) "
                      "lets a token look only at the tokens before it and is trained to predict the next one: it "
                      "*writes*. Inside, the one difference is a matrix added to the attention scores: the **mask** M.",
    "bert_gpt.pick_bert": "BERT (encoder)",
    "bert_gpt.pick_gpt": "GPT (decoder)",
    "bert_gpt.missing_bert": "The trained tiny BERT is not here yet, so its untrained twin (random weights) stands in.",
    "bert_gpt.missing_gpt": "The trained tiny GPT is not here yet, so its untrained twin (random weights) stands in.",
    "bert_gpt.load_error": "A model could not be loaded: {why}",
    "bert_gpt.text_label": "Your sentence",
    "bert_gpt.text_help": "Anything: every text gets tokens.",
    "bert_gpt.running": "Running the model once, keeping every attention map…",
    "bert_gpt.grammar_note": "The tiny models learned only the shapes-world grammar, and this text is not in it "
                             "({reason}).",
    "bert_gpt.grammar_unknown": "Words they never saw: {words}; those fall apart into letters or [UNK].",
    "bert_gpt.grammar_try": "They still read it, but their guesses mean less: try a sample.",
    "bert_gpt.look": "Look inside",
    # 1
    "bert_gpt.s_tokens": "1. Tokens: the sentence as ids",
    "bert_gpt.tokens_md": "A tokenizer cuts the text into pieces of a fixed vocabulary and numbers them. BERT adds "
                          "[CLS] and [SEP]; GPT starts from <bos> (GPT-2: <|endoftext|>). A piece it lacks is [UNK] "
                          "(red) or, in GPT-2's byte-level BPE, bytes of a character (yellow): no text is ever refused. "
                          "Hover a chip for its position.",
    "bert_gpt.tokens_head": "**{model}** · {tokenizer} · T = {T} tokens",
    # 2
    "bert_gpt.s_embed": "2. Embedding lookup ({look}): one row per token, plus its position",
    "bert_gpt.embed_md": "The ids are row numbers: each token fetches its row of a learned V × D table, and a position "
                         "vector is added so that the model knows where the token stands (attention itself ignores "
                         "order).",
    "bert_gpt.embed_caption": "The table E is {V:,} × {D} (V × D); looking up {T} ids gives {T} × {D}. Recomputed here "
                              "vs the model's own embedding: max |Δ| = {diff:.1e}.",
    # 3
    "bert_gpt.s_masks": "3. Two masks, the same sentence",
    "bert_gpt.masks_md": "A grey cell is −∞ before the softmax, so its weight is exactly 0: GPT's token t never sees "
                         "the future. That is why GPT can learn every position in one pass (section 8), and why it "
                         "can write.",
    "bert_gpt.layer": "Layer",
    "bert_gpt.head": "Head",
    "bert_gpt.q_mask": "GPT reads this sentence as T = {T} tokens. Of the T × T cells of its causal mask, how many "
                       "are visible (blue)?",
    "bert_gpt.q_mask_why": "Row t sees tokens 0…t, that is t + 1 cells: 1 + 2 + … + {T} = {T}·({T} + 1)/2, counted "
                           "here on the mask itself (BERT sees all {T}² cells).",
    "bert_gpt.mask_title_bidirectional": "{model}: bidirectional ({n} of {size} cells visible)",
    "bert_gpt.mask_title_causal": "{model}: causal ({n} of {size} cells visible)",
    "bert_gpt.q_mask_wait": "GPT’s causal mask and its attention (whose grey cells are the masked ones) appear once "
                            "you answer the question above (or press “Just show me”).",
    "bert_gpt.att_title": "{model}'s attention, layer {layer}, head {head}",
    # 4
    "bert_gpt.s_heads": "4. Who looks at whom ({look}, layer {layer}, head {head})",
    "bert_gpt.heads_md": "Each line runs from a token (left) to a token it attends to (right), thicker = more weight. "
                         "Click a token on the left (or pick it below) to follow its lines; hover for the weights.",
    "bert_gpt.query": "Query token",
    "bert_gpt.headview_title": "{model} layer {layer}, head {head}",
    "bert_gpt.matrix_title": "The {T}×{T} matrix (each row sums to 1)",
    "bert_gpt.row_caption": "Row {q} ({tok}): {top} · row sum {sum:.4f} · {h} heads of d = {D}/{h} = {d} dimensions "
                            "each.",
    # 5
    "bert_gpt.s_summary": "5. Every head of {look} at a glance",
    "bert_gpt.summary_md": "Every head of every layer at once (BertViz's model view). Heads specialise: some look at "
                           "the previous token, some at the first token (a place to park attention), some spread "
                           "evenly.",
    "bert_gpt.summary_caption": "Each head is labelled by what it does on this sentence: the position with the largest "
                                "mean weight over rows 2…T−1 (previous token A[i,i−1], first A[i,0], itself A[i,i], "
                                "next A[i,i+1], last A[i,T−1]) if it holds ≥ 40%; else 'broad' (entropy ≥ 60% of its "
                                "maximum) or 'mixed'. Counts: {counts}.",
    "bert_gpt.q_heads": "Of {model}'s {n} heads on this sentence, which kind is the most common?",
    "bert_gpt.q_heads_why": "Measured on the maps of this sentence: {counts}.",
    "bert_gpt.q_heads_wait": "The heads are unlabelled until you answer: each map’s label (what the head does) and "
                             "the counts appear once you answer the question (or press “Just show me”).",
    "bert_gpt.pattern_previous_token": "previous token",
    "bert_gpt.pattern_first_token": "first token",
    "bert_gpt.pattern_itself": "itself",
    "bert_gpt.pattern_next_token": "next token",
    "bert_gpt.pattern_last_token": "last token",
    "bert_gpt.pattern_broad": "broad",
    "bert_gpt.pattern_mixed": "mixed",
    # 6
    "bert_gpt.s_fill": "6. BERT fills in a masked word",
    "bert_gpt.fill_md": "Hide a token behind [MASK]: BERT's masked-LM head turns the vector at that position into a "
                        "score for every word of its vocabulary, reading **both sides** of the gap.",
    "bert_gpt.mask_pos": "Token to mask",
    "bert_gpt.fill_title": "[MASK] at {pos}: BERT's guesses",
    "bert_gpt.its_rank": "its rank",
    "bert_gpt.entropy": "entropy (nats)",
    "bert_gpt.gpt_left": "**GPT reads the left side only.** Its guess at position {pos}: `{guess}` ({p:.3f}); "
                         "p({tok}) = {p_tok:.3f}.",
    "bert_gpt.fill_card": "Held out (model card, {n:,} masked tokens): BERT fills in {acc:.1%}; always guessing the "
                          "commonest token ('{unigram}') scores {uacc:.1%}.",
    "bert_gpt.no_mlm": "This BERT checkpoint has no masked-LM head, so it cannot fill in words.",
    "bert_gpt.recipe_md": "**BERT's training recipe**: choose 15% of the tokens; of those, 80% become [MASK], 10% a "
                          "random token, 10% stay as they are; the loss counts the chosen ones only (so BERT must keep "
                          "every token's vector useful).",
    "bert_gpt.seed": "Draw (seed)",
    "bert_gpt.chosen": "chosen",
    "bert_gpt.chosen_help": "of the ordinary tokens, {draws:,} draws (target 15%)",
    "bert_gpt.how_help": "of the chosen (target 80 / 10 / 10%)",
    "bert_gpt.draw_loss": "loss of this draw",
    "bert_gpt.nothing_chosen": "nothing chosen",
    # 7
    "bert_gpt.s_generate": "7. GPT writes, one token at a time",
    "bert_gpt.generate_md": "The scores z after the last token become a distribution; **temperature** τ sharpens (<1) "
                            "or flattens (>1) it, **top-k** keeps the k best, **top-p** the fewest whose probabilities "
                            "add up to p. One token is drawn, appended, and the model runs again, until <eos> or the "
                            "length limit.",
    "bert_gpt.temperature": "Temperature τ",
    "bert_gpt.top_k": "top-k (0 = all)",
    "bert_gpt.sampling_seed": "Sampling seed",
    "bert_gpt.q_next": "After “{after}”, which token does GPT find the most likely (the one greedy decoding writes)?",
    "bert_gpt.q_next_why": "It has the largest score z, so the largest plain softmax: p = {p:.3f}. Sampling may still "
                           "draw another one; temperature, top-k and top-p change how often.",
    "bert_gpt.next_title": "After “{after}”: the next token",
    "bert_gpt.q_next_wait": "The bars of the next token’s probabilities appear once you answer the question (or "
                            "press “Just show me”).",
    "bert_gpt.kept": "tokens kept",
    "bert_gpt.kept_mass": "their plain probability",
    "bert_gpt.entropy_change": "entropy (nats), before → after",
    "bert_gpt.next_btn": "Next token",
    "bert_gpt.all_btn": "Write to <eos>",
    "bert_gpt.reset": "Reset",
    "bert_gpt.step_title": "Step {k}: {prev} → {tok} (p {p:.3f}); its attention, layer {layer}, head {head}",
    "bert_gpt.stop_eos": "Stopped: <eos>.",
    "bert_gpt.stop_length": "Stopped: length limit.",
    "bert_gpt.written": "{k} tokens written after a prompt of {n}.",
    # 8
    "bert_gpt.s_teacher": "8. Teacher forcing: every position's loss in one pass",
    "bert_gpt.teacher_md": "Training feeds the true sentence and asks every position for the next token at once: the "
                           "mask keeps position t from seeing token t+1, so one pass equals T separate predictions "
                           "(checked below against one token at a time).",
    "bert_gpt.mean_loss": "mean loss",
    "bert_gpt.perplexity": "perplexity e^loss",
    "bert_gpt.one_pass": "one pass vs step by step",
    "bert_gpt.one_pass_help": "max |Δ logits| over {steps} steps",
    "bert_gpt.card_perplexity": "held-out perplexity (card)",
    "bert_gpt.card_perplexity_help": "unigram {unigram_perplexity:.1f}, bigram {bigram_perplexity:.1f}; grammatical "
                                     "samples {grammatical:.0%}",
    # 9
    "bert_gpt.s_cache": "9. What the KV cache saves",
    "bert_gpt.cache_md": "Under the causal mask the keys and values of earlier tokens never change, so a step can keep "
                         "them and run the new token only. The counts below come from the weights' shapes (qkv: 3D × "
                         "D, MLP: M × D).",
    "bert_gpt.cache_caption": "For this prompt ({n} tokens) and {k} new tokens; L = {L}, D = {D}, M = {M} from the "
                              "weights.",
    "bert_gpt.macs_full": "multiply-adds, no cache",
    "bert_gpt.macs_cached": "with the cache",
    "bert_gpt.ratio": "ratio",
    "bert_gpt.numel_help": "2·L·T·D = {formula:,}; {kib:.0f} KiB; a layer's k: {shape}",
    # 10
    "bert_gpt.s_pronoun": "10. Where does “it” look? ({look})",
    "bert_gpt.pronoun_md": "In “The animal didn't cross the street because it was too tired”, “it” is the animal; with "
                           "“too wide” it is the street. Does a head's attention from “it” peak on the noun it refers "
                           "to? Measured per head on this sentence, and (tiny models) on held-out texts against two "
                           "baselines that resolve nothing: always the first noun, always the nearest noun before the "
                           "pronoun.",
    "bert_gpt.pronoun_hits": "{hits} of {n} heads peak on the referent.",
    "bert_gpt.pronoun_none": "No referent is known for this sentence: the text shows where each head's row peaks.",
    "bert_gpt.no_pronoun": "This sentence has no 'it' or 'they': pick a sample with one.",
    "bert_gpt.coref_card": "**{model}, measured on held-out texts (model card):** {verdict}",
    "bert_gpt.coref_beaten_1": "{k} head beats the better baseline ({base:.0%}): the best, layer {layer} head {head}, "
                               "peaks on the referent for {share:.0%} of {n} pronouns.",
    "bert_gpt.coref_beaten_n": "{k} heads beat the better baseline ({base:.0%}): the best, layer {layer} head {head}, "
                               "peaks on the referent for {share:.0%} of {n} pronouns.",
    "bert_gpt.coref_none": "No head beats the baselines: the best, layer {layer} head {head}, peaks on the referent "
                           "for {share:.0%} of {n} pronouns, while always looking at the first noun would score "
                           "{first:.0%} and the nearest noun {nearest:.0%}: no single head's attention singles out the "
                           "referent more often than position alone does.",
    # 11
    "bert_gpt.s_uses": "11. When to use which",
    "bert_gpt.uses_md": "Same blocks, different mask and task. An encoder gives every token a vector informed by the "
                        "whole text: good for understanding. A decoder gives a distribution over the next token: good "
                        "for writing. The encoder–decoder (next lesson) combines both for translation.",
    "bert_gpt.col_bert": "BERT (encoder)",
    "bert_gpt.col_gpt": "GPT (decoder)",
    "bert_gpt.uses_mask": "mask",
    "bert_gpt.uses_mask_bert": "none: every token sees every token",
    "bert_gpt.uses_mask_gpt": "causal: token t sees tokens 0..t",
    "bert_gpt.uses_trained": "trained to",
    "bert_gpt.uses_trained_bert": "fill in 15% masked tokens",
    "bert_gpt.uses_trained_gpt": "predict every next token",
    "bert_gpt.uses_pass": "one pass gives",
    "bert_gpt.uses_pass_bert": "a vector per token that knows both sides",
    "bert_gpt.uses_pass_gpt": "a next-token distribution at every position",
    "bert_gpt.uses_good": "good for",
    "bert_gpt.uses_good_bert": "classify a text, tag words, fill a blank, search",
    "bert_gpt.uses_good_gpt": "write: continue, answer, translate, chat",
    "bert_gpt.uses_write": "to write n tokens",
    "bert_gpt.uses_write_bert": "not made for it (no left-to-right order)",
    "bert_gpt.uses_write_gpt": "n steps, each reusing the KV cache",
    "bert_gpt.uses_params": "parameters here",
    # figures (mmviz.figures.bert_gpt): the English the builders write, matched when a figure is drawn
    "bert_gpt.fig_token": "token E[id]",
    "bert_gpt.fig_position": "position P[t]",
    "bert_gpt.fig_segment": "segment S[0]",
    "bert_gpt.fig_x0_ln": "x₀ = LayerNorm(sum)",
    "bert_gpt.fig_x0_sum": "x₀ = sum",
    "bert_gpt.fig_dims": "dim (first {d} of {D})",
    "bert_gpt.fig_colours": "colours ±{lim}",
    "bert_gpt.fig_hover_token": "token",
    "bert_gpt.fig_hover_dim": "dim",
    "bert_gpt.fig_key_seen": "key (may be looked at)",
    "bert_gpt.fig_probability": "probability",
    "bert_gpt.fig_both_sides": "p(token | both sides)",
    "bert_gpt.fig_not_chosen": "not chosen",
    "bert_gpt.fig_random": "random token",
    "bert_gpt.fig_kept": "kept",
    "bert_gpt.fig_original": "original",
    "bert_gpt.fig_reads": "BERT reads",
    "bert_gpt.fig_guess": "its guess",
    "bert_gpt.fig_original_token": "original token",
    "bert_gpt.fig_recipe_title": "What BERT reads after the recipe (colour: what became of the token)",
    "bert_gpt.fig_after_controls": "after temperature, top-k, top-p",
    "bert_gpt.fig_attention_weight": "attention weight",
    "bert_gpt.fig_truth": "position %{{x}}: the truth is %{{customdata[0]}}",
    "bert_gpt.fig_truth_p": "p(truth) %{{customdata[1]:.3f}}, loss −log p = %{{y:.3f}}",
    "bert_gpt.fig_best_guess": "its best guess %{{customdata[2]}} (%{{customdata[3]:.3f}})<extra></extra>",
    "bert_gpt.fig_mean": "mean",
    "bert_gpt.fig_mean_loss": "mean loss {m}<extra></extra>",
    "bert_gpt.fig_nll": "−log p(next token)",
    "bert_gpt.fig_tf_title": "Teacher forcing: {n} losses from one pass (mean {m})",
    "bert_gpt.fig_no_cache": "no cache: the whole sequence again",
    "bert_gpt.fig_kv_cache": "KV cache: the new token only",
    "bert_gpt.fig_macs_step": "step %{{x}}: %{{y:,.0f}} multiply-adds<extra></extra>",
    "bert_gpt.fig_gen_step": "generation step",
    "bert_gpt.fig_macs_log": "multiply-adds (log scale)",
    "bert_gpt.fig_macs_title": "Multiply-adds per generated token",
    "bert_gpt.fig_layer_head": "layer %{{y}}, head %{{x}}",
    "bert_gpt.fig_coref_title": "{n} held-out pronouns: share whose row peaks on the referent",
    "bert_gpt.fig_coref_sub": "<span style='font-size:13px'>blue: above the better baseline (first noun {a}, nearest "
                              "noun {b}); red: below</span>",
    "bert_gpt.fig_coref_hover": "peaks on the referent for %{{z:.1%}} of the pronouns",
    "bert_gpt.fig_coref_base": "(better baseline {b})<extra></extra>",
    "bert_gpt.fig_where_looks": "Where {p} looks",
    "bert_gpt.fig_where_sub": "<span style='font-size:13px'>colour: {what}; text: the token its row peaks on</span>",
    "bert_gpt.fig_weight_on": "weight on {r}",
    "bert_gpt.fig_no_referent": "no known referent",
    "bert_gpt.fig_peak": "peak: %{{text}}",
    "bert_gpt.fig_weight_on_hover": "weight on {r}: %{{z:.3f}}<extra></extra>",
    "bert_gpt.fig_no_referent_hover": "no known referent: %{{z:.3f}}<extra></extra>",
    "bert_gpt.fig_prev": "prev {v}",
    "bert_gpt.fig_first": "first {v}",
    "bert_gpt.fig_self": "self {v}",
    "bert_gpt.fig_next": "next {v}",
    "bert_gpt.fig_last": "last {v}",
    "bert_gpt.fig_broad": "broad {v}",
    "bert_gpt.fig_mixed": "mixed",
}
