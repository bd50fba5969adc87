"""Lesson: BERT and GPT, the two halves of the Transformer, on a sentence the student types.

Both read the same sentence with the same machinery (embeddings, attention heads, MLPs); what differs
is the mask (BERT: every token sees every token; GPT: token t sees tokens 0..t), the training task
(BERT fills in masked words; GPT predicts the next word) and so what each is good for (classify and
fill in vs generate). Everything the page shows comes from real forward passes (NumPy out):

- ``text``: tokens and notes (`encode`), the grammar check of the tiny models (`grammar`), the embedding
  lookup, one forward pass with every attention map, the two masks, the measured pattern of every head,
  where a pronoun looks, and the model card's coreference numbers (`coreference`);
- ``bert``: fill a masked word, BERT's 15% / 80-10-10 recipe on the sentence;
- ``gpt``: the next-token distribution under temperature / top-k / top-p, one generation step, teacher
  forcing, what the KV cache saves.
"""

from __future__ import annotations

import numpy as np

from mmviz.lessons.bert_gpt.bert import HOW, fill_mask, masking_recipe
from mmviz.lessons.bert_gpt.gpt import (
    MAX_NEW_TOKENS,
    cache_costs,
    cache_size,
    generation_step,
    next_token,
    step_by_step_check,
    teacher_forcing,
)
from mmviz.lessons.bert_gpt.prose import INTRO, SECTIONS
from mmviz.lessons.bert_gpt.text import (
    KNOWN_REFERENTS,
    LESSON_MAX_TOKENS,
    PATTERNS,
    PRONOUNS,
    SAMPLES_PRETRAINED,
    SAMPLES_TINY,
    embedding_lookup,
    encode,
    forward,
    grammar,
    head_patterns,
    is_tiny,
    masks,
    pronoun_attention,
    special_ids,
)

# the teaching functions the page shows ("Show the code")
from mmviz.models.bert import BERT, mask_tokens
from mmviz.models.gpt import GPT
from mmviz.models.layers import Attention, KVCache, attend, causal_mask, padding_mask
from mmviz.sampling import next_token_probs, sample_next
from mmviz.tokenizers.bounded import bounded, piece

__all__ = [
    "LESSON_MAX_TOKENS", "SAMPLES_TINY", "SAMPLES_PRETRAINED", "KNOWN_REFERENTS", "PRONOUNS", "PATTERNS", "HOW",
    "MAX_NEW_TOKENS", "is_tiny", "special_ids", "encode", "grammar", "embedding_lookup", "forward", "masks",
    "head_patterns", "pronoun_attention", "sentence", "coreference", "fill_mask", "masking_recipe", "next_token",
    "generation_step", "teacher_forcing", "step_by_step_check", "cache_costs", "cache_size", "piece",
    "parameters", "USES", "INTRO", "SECTIONS",
    "BERT", "GPT", "Attention", "KVCache", "attend", "causal_mask", "padding_mask", "mask_tokens",
    "next_token_probs", "sample_next", "bounded",
]

#: when to use which: (question, encoder BERT, decoder GPT)
USES = (
    ("mask", "none: every token sees every token", "causal: token t sees tokens 0..t"),
    ("trained to", "fill in 15% masked tokens", "predict every next token"),
    ("one pass gives", "a vector per token that knows both sides", "a next-token distribution at every position"),
    ("good for", "classify a text, tag words, fill a blank, search", "write: continue, answer, translate, chat"),
    ("to write n tokens", "not made for it (no left-to-right order)", "n steps, each reusing the KV cache"),
)


def sentence(model, family: str, text: str) -> dict:
    """Everything about one sentence and one model, from one forward pass.

    Args:
        model: a BERT (family "bert") or a GPT ("gpt") with its ``tokenizer``.
        family: "bert" or "gpt".
        text: anything the student typed.

    Returns:
        dict(enc: tokens, ids, notes (see `encode`), embed: `embedding_lookup`, attn (L, h, T, T),
        patterns: `head_patterns`, gpt: the rest of `forward` (log_probs, logits_last, top1, top1_p) or
        None, numbers: T, D, V, L, h, d read from the tensors, params: parameter count).
    """
    enc = encode(model, family, text)
    out = forward(model, family, enc["ids"])
    attn = out.pop("attn")
    emb = embedding_lookup(model, family, enc["ids"])
    L, h, T, _ = attn.shape
    V, D = emb["table_shape"]
    return {"enc": enc, "embed": emb, "attn": attn, "patterns": head_patterns(attn, causal=family == "gpt"),
            "gpt": out if family == "gpt" else None, "params": parameters(model),
            "numbers": {"T": T, "D": D, "V": V, "L": L, "h": h, "d": D // h, "context": model.cfg.context_length}}


def parameters(model) -> int:
    """Number of parameters (tied embeddings counted once)."""
    return sum(p.numel() for p in model.parameters())


def coreference(card: dict) -> dict | None:
    """The card's measurement of "where does 'it' look?" with its baselines, and an honest verdict.

    Args:
        card: an embedded model's card (``heldout.coreference``).

    Returns:
        None without the measurement, else dict(by_head (L, h) shares of pronouns whose row peaks on the
        referent, n, best (layer, head, share), first_noun, nearest_noun (what "always the first / nearest
        noun" scores), beaten: heads above the better baseline, verdict: one sentence).
    """
    c = card.get("heldout", {}).get("coreference")
    if not c:
        return None
    by = np.asarray(c["by_head"], dtype=np.float32)
    base = max(c["first_noun_share"], c["nearest_noun_share"])
    beaten = [(li, hi, float(by[li, hi])) for li in range(by.shape[0]) for hi in range(by.shape[1]) if by[li, hi] > base]
    b = c["best"]
    if beaten:
        verdict = (f"{len(beaten)} head{'s' if len(beaten) > 1 else ''} beat{'' if len(beaten) > 1 else 's'} the "
                   f"better baseline ({base:.0%}): the best, layer {b['layer']} head {b['head']}, peaks on the "
                   f"referent for {b['share']:.0%} of {c['n_pronouns']} pronouns.")
    else:
        verdict = (f"No head beats the baselines: the best, layer {b['layer']} head {b['head']}, peaks on the "
                   f"referent for {b['share']:.0%} of {c['n_pronouns']} pronouns, while always looking at the "
                   f"first noun would score {c['first_noun_share']:.0%} and the nearest noun "
                   f"{c['nearest_noun_share']:.0%}: no single head's attention singles out the referent more often "
                   "than position alone does.")
    return {"by_head": by, "n": c["n_pronouns"], "best": b, "first_noun": c["first_noun_share"],
            "nearest_noun": c["nearest_noun_share"], "mean_last_layer": c.get("mean_over_heads_last_layer"),
            "beaten": beaten, "verdict": verdict}
