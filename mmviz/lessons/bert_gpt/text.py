"""The sentence as both models read it: tokens, the embedding lookup, one forward pass with every
attention map, the two masks, what each head does, and where a pronoun looks.

Shapes: T tokens (special tokens included), D width, L layers, h heads, V vocabulary.
"""

from __future__ import annotations

import numpy as np
import torch

from mmviz.data.text import check, parse, unknown_words
from mmviz.device import torch_threads
from mmviz.models.layers import causal_mask
from mmviz.tokenizers.bounded import bounded, control_chars, piece, word_starts, words

__all__ = ["LESSON_MAX_TOKENS", "SAMPLES_TINY", "SAMPLES_PRETRAINED", "PRONOUNS", "is_tiny", "special_ids",
           "encode", "grammar", "embedding_lookup", "forward", "masks", "head_patterns", "PATTERNS",
           "pronoun_attention"]

#: the page draws every token: longer texts are cut here even when the model takes more (GPT-2: 1024)
LESSON_MAX_TOKENS = 64

#: one click away for the tiny models (all in the grammar; the first two have a pronoun)
SAMPLES_TINY = (
    "a red circle is below two white triangles . it is red .",
    "the purple star is to the right of two green circles . they are large .",
    "the red circle above the two blue squares is small .",
    "there is a large blue cross . it is above two small orange rings .",
)
#: one click away for the pretrained models; (pronoun, referent) where a person knows it
SAMPLES_PRETRAINED = (
    "The animal didn't cross the street because it was too tired.",
    "The animal didn't cross the street because it was too wide.",
    "The trophy didn't fit in the suitcase because it was too big.",
    "Paris is the capital of France.",
)
PRONOUNS = ("it", "they", "its", "them")
#: referents of the pretrained samples' "it" (Winograd schemas: one word changes the answer)
KNOWN_REFERENTS = {SAMPLES_PRETRAINED[0]: "animal", SAMPLES_PRETRAINED[1]: "street", SAMPLES_PRETRAINED[2]: "trophy"}


def is_tiny(model) -> bool:
    """True for the models trained on the shapes-world grammar (tokenizer built from its words)."""
    return getattr(model.cfg, "tokenizer", "") == "shapes-en"


def special_ids(model, family: str) -> tuple[list[int], list[int]]:
    """The ids a model expects around a text: BERT [CLS] ... [SEP]; GPT <bos> ... <eos> (GPT-2 uses
    <|endoftext|> for both)."""
    c = model.cfg
    return ([c.cls_id], [c.sep_id]) if family == "bert" else ([c.bos_id], [c.eos_id])


def encode(model, family: str, text: str) -> dict:
    """Tokenise ``text`` for one model, cut to min(context, LESSON_MAX_TOKENS), with what the page says about it.

    Returns:
        `mmviz.tokenizers.bounded.bounded`'s dict plus ``empty`` (only spaces), ``control`` (invisible
        characters, U+XXXX), ``max_tokens``, ``context`` (the model's) and ``tokenizer`` (its name).
    """
    before, after = special_ids(model, family)
    ctx = model.cfg.context_length
    max_tokens = min(ctx, LESSON_MAX_TOKENS)
    enc = bounded(model.tokenizer, text, max_tokens=max_tokens, before=before, after=after)
    enc.update(empty=not text.strip(), control=control_chars(text[: enc["chars_read"]]), max_tokens=max_tokens,
               context=ctx)
    enc["tokenizer"] = getattr(model.tokenizer, "name", type(model.tokenizer).__name__)
    return enc


def grammar(tok, text: str) -> dict:
    """What the generated grammar (mmviz.data.text) says of a text, read as the tiny tokenizer reads it.

    Returns:
        dict(normalized: the words joined by spaces, unknown: words outside the grammar's vocabulary,
        reason: None when it is a text of the grammar, else why not, referents: (pronoun word,
        referent word) index pairs (empty unless grammatical)).
    """
    norm = " ".join(words(tok, text))
    reason = check(norm)
    unknown = list(dict.fromkeys(unknown_words(norm)))
    return {"normalized": norm, "unknown": unknown, "reason": reason,
            "referents": list(parse(norm).referents) if reason is None else []}


@torch.no_grad()
def embedding_lookup(model, family: str, ids: list[int]) -> dict:
    """The first step of both models: one row of the embedding table per token, plus its position.

    GPT: x_t = E[id_t] + P[t]. BERT: x_t = LayerNorm(E[id_t] + P[t] + S[segment_t]).

    Returns:
        dict(token (T, D) rows of the token embedding, position (T, D), segment (T, D) or None, sum (T, D),
        x0 (T, D) what the first block receives, max_diff: |x0 - the model's own embedding| (0 for GPT,
        whose forward adds them inline), table_shape (V, D)).
    """
    t = torch.tensor([ids])
    E = model.token_embed.weight  # (V, D)
    tok = E[t[0]]  # (T, D): row id_t of the table
    T = len(ids)
    if family == "bert":
        pos = model.pos_embed.weight[:T]
        seg = model.type_embed.weight[torch.zeros(T, dtype=torch.long)]
        total = tok + pos + seg
        x0 = model.embed_norm(total)
        ref = model.embed(t)[0]
    else:
        pos, seg = model.pos_embed[:T], None
        total = x0 = ref = tok + pos
    f = lambda a: None if a is None else a.float().numpy()  # noqa: E731
    return {"token": f(tok), "position": f(pos), "segment": f(seg), "sum": f(total), "x0": f(x0),
            "max_diff": float((x0 - ref).abs().max()), "table_shape": tuple(E.shape)}


@torch.no_grad()
def forward(model, family: str, ids: list[int]) -> dict:
    """ONE forward pass with every attention map (and, for GPT, every position's next-token scores).

    Returns:
        dict(attn (L, h, T, T) float32 post-softmax, hidden_shape (1, T, D), logits_last (V,) float32 the
        GPT's scores after the last text token (None for BERT), log_probs (T - 1,) float32 GPT's
        log p(x_{t+1} | x_<=t) of each actual next token and p_next its probability (None for BERT), top1 (T - 1,) ids and top1_p
        (T - 1,) GPT's most likely next token at each position and top1_tokens its pieces (None for BERT)).
    """
    x = torch.tensor([ids])
    with torch_threads(1):
        hidden, attns = model(x, return_attn=True)  # (1, T, D), L x (1, h, T, T)
        out = {"attn": torch.cat(attns).float().numpy(), "hidden_shape": tuple(hidden.shape),
               "logits_last": None, "log_probs": None, "top1": None, "top1_p": None, "top1_tokens": None}
        if family == "gpt":
            logp = model.logits(hidden)[0].float().log_softmax(-1)  # (T, V)
            out["log_probs"] = logp[:-1].gather(1, x[0, 1:, None])[:, 0].numpy()  # (T - 1,)
            out["p_next"] = np.exp(out["log_probs"])
            best = logp[:-1].max(-1)
            out["top1"], out["top1_p"] = best.indices.numpy(), best.values.exp().numpy()
            out["top1_tokens"] = [piece(model.tokenizer, i) for i in best.indices.tolist()]
            out["logits_last"] = model.logits(hidden[:, -2])[0].float().numpy() if len(ids) > 1 else None
    return out


def masks(T: int) -> dict:
    """The two masks of a T-token sentence, (T, T) bool, True = may attend: BERT sees every token,
    GPT's token t sees tokens 0..t (mmviz.models.layers.causal_mask)."""
    return {"bidirectional": np.ones((T, T), dtype=bool), "causal": causal_mask(T).numpy()}


#: what a head can be labelled with, and how the score is read from its (T, T) map
PATTERNS = ("previous token", "first token", "itself", "next token", "last token")
#: the thumbnails' short names
SHORT = {"previous token": "prev", "first token": "first", "itself": "self", "next token": "next", "last token": "last"}


def head_patterns(attn: np.ndarray, *, causal: bool, threshold: float = 0.4) -> dict:
    """Label every head by what its attention does on this sentence, measured on the maps.

    For each head, over the query rows i >= 2 (row 0 and 1 can only look back at one or two tokens under
    the causal mask): the mean weight on the previous token A[i, i-1], the first token A[i, 0], itself
    A[i, i], the next token A[i, i+1] and the last token A[i, T-1] (BERT's [SEP]; not for GPT, which only
    sees it from itself), and how spread the rows are (entropy / log(number of keys it may see)).
    The label is the position with the largest mean weight when that is >= ``threshold``; else "broad"
    when the spread is >= 0.6, else "mixed".

    Args:
        attn: (L, h, T, T) post-softmax maps of one sentence.
        causal: GPT's maps (True) or BERT's (False).

    Returns:
        dict(scores (L, h, 5) mean weights in the order of PATTERNS (next/last are 0 for GPT), spread (L, h),
        labels (L, h) list of str ("previous token", "broad", ...), titles (L, h) short label and score
        ("prev 0.83", "broad 0.71": its spread, "mixed"), counts: label -> number of heads).
    """
    A = np.asarray(attn, dtype=np.float32)
    L, h, T, _ = A.shape
    rows = np.arange(2 if T > 2 else 0, T)
    scores = np.zeros((L, h, len(PATTERNS)), dtype=np.float32)
    if len(rows):
        prev = rows[rows >= 1]
        scores[..., 0] = A[:, :, prev, prev - 1].mean(-1) if len(prev) else 0
        scores[..., 1] = A[:, :, rows, 0].mean(-1)
        scores[..., 2] = A[:, :, rows, rows].mean(-1)
        if not causal:
            nxt = rows[rows < T - 1]
            scores[..., 3] = A[:, :, nxt, nxt + 1].mean(-1) if len(nxt) else 0
            scores[..., 4] = A[:, :, rows, T - 1].mean(-1)
    visible = (np.arange(T) + 1) if causal else np.full(T, T)
    ent = -(A * np.log(np.clip(A, 1e-12, None))).sum(-1)  # (L, h, T)
    spread = (ent[:, :, rows] / np.log(np.maximum(visible[rows], 2))).mean(-1) if len(rows) else np.zeros((L, h))
    labels = [[PATTERNS[int(s.argmax())] if s.max() >= threshold else ("broad" if sp >= 0.6 else "mixed")
               for s, sp in zip(scores[li], spread[li])] for li in range(L)]
    titles = [[f"{SHORT[lab]} {scores[li, hi].max():.2f}" if lab in PATTERNS else
               f"broad {spread[li, hi]:.2f}" if lab == "broad" else "mixed" for hi, lab in enumerate(row)]
              for li, row in enumerate(labels)]
    counts = {lab: n for lab in (*PATTERNS, "broad", "mixed") if (n := sum(r.count(lab) for r in labels))}
    return {"scores": scores, "spread": spread.astype(np.float32), "labels": labels, "titles": titles,
            "counts": counts}


def pronoun_attention(attn: np.ndarray, enc: dict, referents: list[tuple[int, int]] | None = None,
                      referent_word: str | None = None) -> list[dict]:
    """Where each pronoun ("it", "they", ...) of the sentence looks, in every layer and head.

    Args:
        attn: (L, h, T, T) one model's maps.
        enc: the sentence's tokens (``tokens``, ``word_ids``).
        referents: (pronoun word, referent word) index pairs the grammar knows (mmviz.data.text.parse).
        referent_word: else, the referent's word for a sentence a person annotated ("animal").

    Returns:
        one dict per pronoun token: pos (its token index), token, referent (token index or None),
        on_referent (L, h) weight on the referent (None without one), peak (L, h) token index of each
        row's largest weight, hits: number of heads whose row peaks on the referent.
    """
    A = np.asarray(attn, dtype=np.float32)
    toks, wids = enc["tokens"], enc["word_ids"]
    first = word_starts(wids)
    found = []
    by_word = dict(referents or [])
    for pos, (t, w) in enumerate(zip(toks, wids)):
        word = t.strip().lower().lstrip("ġ▁")
        if w is None or first.get(w) != pos or word not in PRONOUNS:
            continue
        ref = first.get(by_word[w]) if w in by_word else None
        if ref is None and referent_word is not None:
            cands = [p for p in range(pos) if toks[p].strip().lower().lstrip("ġ▁") == referent_word]
            ref = cands[-1] if cands else None
        peak = A[:, :, pos].argmax(-1)
        on = None if ref is None else A[:, :, pos, ref]
        found.append({"pos": pos, "token": t, "referent": ref, "on_referent": on, "peak": peak,
                      "hits": 0 if ref is None else int((peak == ref).sum())})
    return found
