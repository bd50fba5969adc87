"""Lesson: the encoder-decoder and cross-attention, on a sentence the student types (NumPy out).

The encoder reads the whole source sentence (self-attention, no mask); the decoder writes the
translation one token at a time (masked self-attention over what it wrote) and reads the source
through **cross-attention**: its queries come from the target, the keys and values from the encoder's
output. `translate` runs greedy decoding step by step with a KV cache, keeping each step's cross-
attention row, then one teacher-forced pass over what it wrote for the full matrices (the two agree).
For the tiny English -> Korean model, a text of the grammar (mmviz.data.text) also has a reference
translation and its true word alignment, so the student can compare where cross-attention looks with
where it should.

Shapes: S source tokens, T target tokens, L layers, h heads, D width, V target vocabulary.
"""

from __future__ import annotations

import numpy as np
import torch

from mmviz.data.text import check, parse, unknown_words
from mmviz.device import torch_threads
from mmviz.models.encdec import EncoderDecoder
from mmviz.models.layers import CrossAttention, DecoderBlock, causal_mask
from mmviz.tokenizers.bounded import bounded, control_chars, piece, word_starts, words

__all__ = ["SAMPLES_TINY", "SAMPLES_PRETRAINED", "LESSON_MAX_TOKENS", "MAX_NEW_TOKENS", "KINDS", "is_tiny",
           "source", "translate", "forced", "reference", "alignment_share", "card_numbers", "word_starts",
           "EncoderDecoder", "CrossAttention", "DecoderBlock", "causal_mask", "bounded"]

SAMPLES_TINY = (
    "a red circle is to the left of two blue squares .",
    "the red circle above the two blue squares is small .",
    "there is a large green star . it is below two small purple rings .",
    "two yellow triangles are to the right of a white cross . they are large .",
)
SAMPLES_PRETRAINED = (
    "The animal didn't cross the street because it was too tired.",
    "The red circle is to the left of the blue square.",
    "Attention is all you need.",
)
#: the page draws every token: sources are cut here even when the model takes more (Marian: 512)
LESSON_MAX_TOKENS = 64
#: the most tokens the decoder writes
MAX_NEW_TOKENS = 48
#: the three kinds of attention, by the key of their maps in `translate` (the page names them in its language)
KINDS = ("encoder", "decoder", "cross")


def is_tiny(model) -> bool:
    """True for the model trained on the shapes-world grammar (English -> Korean)."""
    return model.cfg.src_tokenizer == "shapes-en"


def source(model, text: str) -> dict:
    """The source as the encoder reads it: ``text <eos>``, cut to min(context, LESSON_MAX_TOKENS).

    Returns:
        `mmviz.tokenizers.bounded.bounded`'s dict plus ``empty``, ``control`` (invisible characters, U+XXXX),
        ``max_tokens``, ``context`` (what the page says about the text), ``grammar`` (tiny model: what the
        grammar says, see :func:`reference`; None otherwise) and ``tokenizer`` (its name).
    """
    ctx = model.cfg.context_length
    max_tokens = min(ctx, LESSON_MAX_TOKENS)
    enc = bounded(model.src_tokenizer, text, max_tokens=max_tokens, after=[model.cfg.eos_id])
    enc.update(empty=not text.strip(), control=control_chars(text[: enc["chars_read"]]), max_tokens=max_tokens,
               context=ctx)
    enc["grammar"] = reference(model, text[: enc["chars_read"]]) if is_tiny(model) else None
    enc["tokenizer"] = getattr(model.src_tokenizer, "name", "")
    return enc


def reference(model, text: str) -> dict:
    """What the grammar says of a text, read as the tiny tokenizer reads it (lower case, "." split off).

    Returns:
        dict(words, unknown: words the grammar does not know (unprintable characters as U+XXXX), reason: None for a
        text of the grammar else why not, korean: the reference translation (or None),
        korean_ids: its ids "<bos> korean <eos>" for the decoder, alignment: (decoder row, English word w) pairs:
        the row of the step that writes each aligned Korean word, and the index of the English word it translates).
    """
    ws = words(model.src_tokenizer, text)
    norm = " ".join(ws)
    unknown = list(dict.fromkeys(unknown_words(norm)))
    reason = check(norm) if ws else "empty sentence"
    unknown = ["".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in w) for w in unknown]
    out = {"words": ws, "unknown": unknown, "reason": reason, "korean": None, "korean_ids": None, "alignment": []}
    if ws and not unknown and reason is None:
        s = parse(norm)
        tgt = model.tgt_tokenizer.encode(s.korean, add_special="bos_eos")
        starts = word_starts(tgt["word_ids"])  # Korean word k -> its token in "<bos> korean <eos>"
        out.update(korean=s.korean, korean_ids=tgt["ids"],  # the row that writes word k is the token before it
                   alignment=[(starts[k] - 1, w) for k, w in enumerate(s.alignment) if w is not None and k in starts])
    return out


@torch.no_grad()
def _forward(model, src: torch.Tensor, dec_in: torch.Tensor) -> dict:
    """One teacher-forced pass: every attention map as float32 arrays (L, h, ., .)."""
    _, att = model(src, dec_in, return_attn=True)
    return {k: torch.cat(v).float().numpy() for k, v in att.items()}


@torch.no_grad()
def translate(model, src_ids: list[int], max_new: int = MAX_NEW_TOKENS, k: int = 5) -> dict:
    """Greedy decoding, one step at a time with a KV cache, keeping what each step saw; then one
    teacher-forced pass over what was written, for the full matrices.

    Args:
        model: an EncoderDecoder with ``src_tokenizer`` and ``tgt_tokenizer``.
        src_ids: (S,) source ids ending with <eos>.
        max_new: the most tokens to write.
        k: candidates kept per step.

    Returns:
        dict(out (n + 1,) ids: the start token then the n written, tokens (n + 1,) pieces, special (n + 1,) bool
        (start, end or padding token), text: the translation,
        stopped: "eos" or "length", step_cross (n, L, h, S) the cross-attention row of the query that wrote each
        token, step_top (n, k) ids and step_top_p (n, k) probabilities, step_top_tokens, attn: dict encoder
        (L, h, S, S), decoder (L, h, n, n), cross (L, h, n, S) from the pass over out[:-1], max_diff: max |step
        row - full-pass row| of cross-attention, src_tokens (S,)).
    """
    cfg = model.cfg
    src = torch.tensor([src_ids])
    steps = min(max_new, cfg.context_length - 1)
    out, rows, tops, top_p = [cfg.bos_id], [], [], []
    with torch_threads(1):
        memory, _ = model.encode(src)  # (1, S, D), computed once
        cache = model.new_cache()
        for _ in range(steps):
            hidden, _, cross = model.decode(torch.tensor([[out[-1]]]), memory, return_attn=True, cache=cache)
            logits = model.ban_unwritable(model.logits(hidden[:, -1])[0])  # (V,): never padding or a new start
            p = logits.softmax(-1)
            best = p.topk(min(k, p.numel()))
            rows.append(torch.stack([c[0, :, 0] for c in cross]))  # (L, h, S)
            tops.append(best.indices)
            top_p.append(best.values)
            out.append(int(best.indices[0]))
            if out[-1] == cfg.eos_id:
                break
        attn = _forward(model, src, torch.tensor([out[:-1]]))
    step_cross = torch.stack(rows).numpy()  # (n, L, h, S)
    tgt = model.tgt_tokenizer
    tokens = [piece(tgt, i) for i in out]
    special = {cfg.bos_id, cfg.eos_id, cfg.pad_id}
    return {"out": out, "tokens": tokens, "special": [i in special for i in out], "text": tgt.decode(out[1:]),
            "stopped": "eos" if out[-1] == cfg.eos_id else "length",
            "step_cross": step_cross, "step_top": torch.stack(tops).numpy(), "step_top_p": torch.stack(top_p).numpy(),
            "step_top_tokens": [[piece(tgt, i) for i in t.tolist()] for t in tops], "attn": attn,
            "max_diff": float(np.abs(step_cross - attn["cross"].transpose(2, 0, 1, 3)).max()),
            "src_tokens": [piece(model.src_tokenizer, i) for i in src_ids]}


@torch.no_grad()
def forced(model, src_ids: list[int], tgt_ids: list[int]) -> dict:
    """Cross-attention with the reference translation as the decoder input (teacher forcing, as in training
    and in the model card's measurement): row t is the step that writes reference token t + 1.

    Returns:
        dict(attn: encoder / decoder / cross maps, tokens: the written tokens (T - 1,), i.e. tgt_ids[1:]).
    """
    with torch_threads(1):
        attn = _forward(model, torch.tensor([src_ids]), torch.tensor([tgt_ids[:-1]]))
    return {"attn": attn, "tokens": [piece(model.tgt_tokenizer, i) for i in tgt_ids[1:]]}


def alignment_share(cross: np.ndarray, pairs: list[tuple[int, int]], word_pos: dict[int, int]) -> dict:
    """How often cross-attention peaks on the right source word.

    Args:
        cross: (L, h, T, S) cross-attention of a teacher-forced pass over the reference.
        pairs: (decoder row, English word w) of the true alignment (`reference`).
        word_pos: English word index -> its first token position in the source.

    Returns:
        dict(by_head (L, h) share of aligned words whose row peaks on their source word, mean_last: the same for
        the head-averaged last layer (the card's number), pairs: (row, source token) cells of the alignment, n).
    """
    cells = [(k, word_pos[w]) for k, w in pairs if w in word_pos and k < cross.shape[2]]
    if not cells:
        return {"by_head": np.zeros(cross.shape[:2], np.float32), "mean_last": float("nan"), "pairs": [], "n": 0}
    rows, cols = np.asarray(cells).T
    peaks = cross[:, :, rows].argmax(-1)  # (L, h, n)
    by_head = (peaks == cols).mean(-1).astype(np.float32)
    mean_last = float((cross[-1].mean(0)[rows].argmax(-1) == cols).mean())
    return {"by_head": by_head, "mean_last": mean_last, "pairs": cells, "n": len(cells)}


def card_numbers(card: dict) -> dict | None:
    """The held-out numbers of the tiny translator's card: exact match, alignment share (the head-averaged last
    layer and per layer) and the diagonal baseline; None without them."""
    h = card.get("heldout", {})
    if "exact_match" not in h:
        return None
    return {k: h.get(k) for k in ("n", "exact_match", "token_accuracy", "alignment_share", "alignment_by_layer",
                                  "monotonic_share", "alignment_words")}
