"""What the three text recipes share: batches of the generated grammar (mmviz.data.text) as padded
id tensors, n-gram baselines, and the measurement of where "it" looks.

Shapes: B texts, T tokens (padded), V vocabulary.
"""

from __future__ import annotations

import math
from collections import Counter

import torch

from mmviz.data.shapes import SHAPE_KINDS
from mmviz.data.text import TextSample, corpus
from mmviz.data.text.grammar import PLURALS
from mmviz.tokenizers.bounded import word_starts as token_positions  # word index -> its first token
from mmviz.tokenizers.text import TextTokenizer

__all__ = ["NOUNS", "pad", "encode", "text_batch", "ngram_baselines", "token_positions", "referent_peaks"]

NOUNS = frozenset(SHAPE_KINDS) | frozenset(PLURALS.values())


def pad(seqs: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad id lists: (B, T) int64 ids and (B, T) attention mask (1 = real token)."""
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), T), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1
    return ids, mask


def encode(samples: list[TextSample], tok: TextTokenizer, mode: str, *, korean: bool = False) -> list[dict]:
    """Tokenise each sample's English (or Korean) text with the special tokens of ``mode``."""
    return [tok.encode(s.korean if korean else s.text, add_special=mode) for s in samples]


def text_batch(n: int, seed: int, tok: TextTokenizer, mode: str) -> tuple[torch.Tensor, torch.Tensor, list]:
    """n fresh texts (numpy seed) as (ids (B, T), mask (B, T), samples)."""
    samples = corpus(n, seed)
    ids, mask = pad([e["ids"] for e in encode(samples, tok, mode)], tok.pad_id)
    return ids, mask, samples


def ngram_baselines(train: list[list[int]], heldout: list[list[int]], vocab: int) -> dict:
    """Per-token perplexity of add-one unigram and bigram models (counted on ``train``) on ``heldout``.

    Every sequence includes its <bos> (as context only) and <eos> (predicted), like the GPT's loss.
    """
    uni = Counter(t for s in train for t in s[1:])
    bi = Counter((a, b) for s in train for a, b in zip(s, s[1:]))
    ctx = Counter(a for s in train for a in s[:-1])
    n_uni = sum(uni.values())
    nll_u = nll_b = 0.0
    count = 0
    for s in heldout:
        for a, b in zip(s, s[1:]):
            nll_u -= math.log((uni[b] + 1) / (n_uni + vocab))
            nll_b -= math.log((bi[(a, b)] + 1) / (ctx[a] + vocab))
            count += 1
    return {"unigram_perplexity": round(math.exp(nll_u / count), 3),
            "bigram_perplexity": round(math.exp(nll_b / count), 3)}


def referent_peaks(attentions: list[torch.Tensor], encoded: list[dict], samples: list[TextSample]) -> dict:
    """Does any head link "it"/"they" to its referent? For every layer and head, the share of pronouns
    whose attention row peaks on the first token of the referent noun.

    Args:
        attentions: L tensors (B, h, T, T) of one forward pass over ``encoded`` (padded).
        encoded: tokenizer outputs (word_ids) of the B texts.
        samples: the B samples (their ``referents`` give (pronoun word, noun word) pairs).

    Returns:
        dict(n_pronouns, by_head (L, h) list of shares, best (layer, head, share), mean_over_heads
        (share of pronouns whose head-averaged last-layer row peaks on the referent), and two baselines a
        head could score without resolving anything: nearest_noun_share ("attend to the nearest noun
        before the pronoun") and first_noun_share ("attend to the text's first noun")).
    """
    A = torch.stack(attentions, 1).float()  # (B, L, h, T, T)
    L, h = A.shape[1], A.shape[2]
    hits = torch.zeros(L, h)
    mean_hits, nearest_hits, first_hits, n = 0, 0, 0, 0
    for b, (enc, s) in enumerate(zip(encoded, samples)):
        pos = token_positions(enc["word_ids"])
        nouns = [i for i, w in enumerate(s.words) if w in NOUNS]
        for pron, ref in s.referents:
            if pron not in pos or ref not in pos:
                continue
            row = A[b, :, :, pos[pron]]  # (L, h, T)
            hits += (row.argmax(-1) == pos[ref]).float()
            mean_hits += int(row[-1].mean(0).argmax() == pos[ref])
            before = [i for i in nouns if i < pron]
            nearest_hits += int(bool(before) and before[-1] == ref)
            first_hits += int(bool(nouns) and nouns[0] == ref)
            n += 1
    share = (hits / max(n, 1)).tolist()
    best = max(((li, hi, share[li][hi]) for li in range(L) for hi in range(h)), key=lambda x: x[2])
    return {"n_pronouns": n, "by_head": [[round(v, 3) for v in row] for row in share],
            "best": {"layer": best[0], "head": best[1], "share": round(best[2], 3)},
            "mean_over_heads_last_layer": round(mean_hits / max(n, 1), 3),
            "nearest_noun_share": round(nearest_hits / max(n, 1), 3),
            "first_noun_share": round(first_hits / max(n, 1), 3)}
