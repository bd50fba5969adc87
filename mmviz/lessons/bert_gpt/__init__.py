"""Lesson: BERT and GPT, the two halves of the Transformer, on a sentence the student types.

Both read the same sentence with the same machinery (embeddings, attention heads, MLPs); what differs
is the mask (BERT: every token sees every token; GPT: token t sees tokens 0..t), the training task
(BERT fills in masked words; GPT predicts the next word) and so what each is good for (classify and
fill in vs generate). Everything the page shows comes from real forward passes (NumPy out):

- ``text``: tokens and what happened to the text (`encode`), the grammar check of the tiny models
  (`grammar`), the embedding lookup, one forward pass with every attention map, the two masks, the measured pattern of every head,
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
from mmviz.lessons.bert_gpt.formulas import FORMULAS
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
    "parameters", "USES", "FORMULAS",
    "BERT", "GPT", "Attention", "KVCache", "attend", "causal_mask", "padding_mask", "mask_tokens",
    "next_token_probs", "sample_next", "bounded",
]

#: the rows of "when to use which" (the page reads each row's words for BERT and GPT from the catalogue)
USES = ("mask", "trained", "pass", "good", "write")


def sentence(model, family: str, text: str) -> dict:
    """Everything about one sentence and one model, from one forward pass.

    Args:
        model: a BERT (family "bert") or a GPT ("gpt") with its ``tokenizer``.
        family: "bert" or "gpt".
        text: anything the student typed.

    Returns:
        dict(enc: tokens, ids, empty, control, cut (see `encode`), embed: `embedding_lookup`, attn (L, h, T, T),
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
    """The card's measurement of "where does 'it' look?" with its baselines.

    Args:
        card: an embedded model's card (``heldout.coreference``).

    Returns:
        None without the measurement, else dict(by_head (L, h) shares of pronouns whose row peaks on the
        referent, n, best (layer, head, share), first_noun, nearest_noun (what "always the first / nearest
        noun" scores), base: the better of the two, beaten: heads above it as (layer, head, share)).
    """
    c = card.get("heldout", {}).get("coreference")
    if not c:
        return None
    by = np.asarray(c["by_head"], dtype=np.float32)
    base = max(c["first_noun_share"], c["nearest_noun_share"])
    beaten = [(li, hi, float(by[li, hi])) for li in range(by.shape[0]) for hi in range(by.shape[1]) if by[li, hi] > base]
    return {"by_head": by, "n": c["n_pronouns"], "best": c["best"], "first_noun": c["first_noun_share"],
            "nearest_noun": c["nearest_noun_share"], "mean_last_layer": c.get("mean_over_heads_last_layer"),
            "base": base, "beaten": beaten}
