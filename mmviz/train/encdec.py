"""Recipe for the embedded tiny encoder-decoder (the original Transformer, English -> Korean).

    python -m mmviz.train encdec-tiny [--steps N] [--threads 1]

writes assets/models/encdec-tiny-shapes.safetensors (fp16) and its card encdec-tiny-shapes.json.
Data: fresh texts of mmviz.data.text and their Korean translations every step; source "text <eos>",
decoder input "<bos> korean", labels "korean <eos>"; loss: cross-entropy of every target token
(teacher forcing). Attention is never supervised: the card measures where cross-attention looks.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from mmviz.data.text import corpus
from mmviz.models.encdec import PRESETS, EncoderDecoder
from mmviz.tokenizers.text import TextTokenizer
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit, new_model, options
from mmviz.train.text_data import encode, pad, referent_peaks, token_positions

__all__ = ["MODEL_NAME", "DEFAULTS", "pair_batch", "evaluate_encdec", "train_encdec_tiny"]

MODEL_NAME = "encdec-tiny-shapes"
DEFAULTS = Options(steps=3000, batch_size=64, lr=2e-3, warmup=200, weight_decay=0.05, eval_n=1000)


def pair_batch(samples: list, src: TextTokenizer, tgt: TextTokenizer) -> dict:
    """Sources "text <eos>", decoder inputs "<bos> korean" and labels "korean <eos>", padded.

    Returns:
        dict(src (B, S), src_mask (B, S), dec_in (B, T), labels (B, T) with -100 on padding,
        src_enc / tgt_enc (tokenizer outputs, for word positions), samples).
    """
    s_enc = encode(samples, src, "eos")
    t_enc = encode(samples, tgt, "bos_eos", korean=True)
    s_ids, s_mask = pad([e["ids"] for e in s_enc], src.pad_id)
    t_ids, t_mask = pad([e["ids"] for e in t_enc], tgt.pad_id)
    labels = t_ids[:, 1:].masked_fill(t_mask[:, 1:] == 0, -100)
    return {"src": s_ids, "src_mask": s_mask, "dec_in": t_ids[:, :-1], "labels": labels, "src_enc": s_enc,
            "tgt_enc": t_enc, "samples": samples}


def _alignment_share(cross_last: torch.Tensor, b: dict) -> tuple[float, int]:
    """Share of Korean words whose head-averaged last-layer cross-attention, at the step that writes
    them (the decoder position whose input is the previous token), peaks on their English source word."""
    hits = total = 0
    A = cross_last.mean(1)  # (B, T, S) averaged over heads
    for i, s in enumerate(b["samples"]):
        src_pos = token_positions(b["src_enc"][i]["word_ids"])
        tgt_pos = token_positions(b["tgt_enc"][i]["word_ids"])  # positions in "<bos> korean <eos>"
        for k, e in enumerate(s.alignment):
            if e is None or k not in tgt_pos or e not in src_pos:
                continue
            row = tgt_pos[k] - 1  # the decoder input before word k produces it
            hits += int(A[i, row].argmax() == src_pos[e])
            total += 1
    return hits / max(total, 1), total


@torch.no_grad()
def evaluate_encdec(model: EncoderDecoder, n: int = 1000, seed: int = HELDOUT_SEED) -> dict:
    """Held-out greedy exact match, token accuracy under teacher forcing, and what cross-attention does.

    Returns:
        dict(n, exact_match (greedy translation == reference), token_accuracy, alignment_share (Korean
        words whose head-averaged last-layer cross-attention peaks on their source word), alignment_words,
        alignment_by_layer, monotonic_share (what a diagonal would score: source word k/K*S for target
        word k), coreference (encoder self-attention from "it"), examples).
    """
    model.eval()
    src, tgt = TextTokenizer.english(), TextTokenizer.korean()
    b = pair_batch(corpus(n, seed), src, tgt)
    out = model.greedy(b["src"], 48, attention_mask=b["src_mask"])
    refs = [e["ids"][1:] for e in b["tgt_enc"]]  # korean + <eos>
    exact = sum(out[i, 1:1 + len(r)].tolist() == r for i, r in enumerate(refs)) / n
    hidden, att = model(b["src"], b["dec_in"], attention_mask=b["src_mask"], return_attn=True)
    pred = model.logits(hidden).argmax(-1)
    known = b["labels"] != -100
    by_layer = [round(_alignment_share(c, b)[0], 4) for c in att["cross"]]
    share, words = _alignment_share(att["cross"][-1], b)
    diag_hits = diag_total = 0
    for i, s in enumerate(b["samples"]):  # a monotonic (diagonal) alignment as the baseline
        K, W = len(s.korean_words), len(s.words)
        for k, e in enumerate(s.alignment):
            if e is not None:
                diag_hits += int(round(k * (W - 1) / max(K - 1, 1)) == e)
                diag_total += 1
    coref = referent_peaks([a[:300] for a in att["encoder"]], b["src_enc"][:300], b["samples"][:300])
    return {"n": n, "exact_match": round(exact, 4),
            "token_accuracy": round(float(((pred == b["labels"]) & known).sum() / known.sum()), 4),
            "alignment_share": round(share, 4), "alignment_words": words, "alignment_by_layer": by_layer,
            "monotonic_share": round(diag_hits / max(diag_total, 1), 4), "coreference": coref,
            "examples": [[s.text, tgt.decode(out[i, 1:].tolist())] for i, s in enumerate(b["samples"][:3])]}


def train_encdec_tiny(**overrides) -> dict:
    """Train the embedded tiny encoder-decoder and write weights and card.

    Args:
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.

    Returns:
        the card dict (also written as JSON).
    """
    opts = options(DEFAULTS, overrides)
    model, previous = new_model(EncoderDecoder, PRESETS[MODEL_NAME], opts.seed, opts.init)
    src, tgt = TextTokenizer.english(), TextTokenizer.korean()

    def step(i: int) -> tuple[torch.Tensor, dict]:
        b = pair_batch(corpus(opts.batch_size, opts.seed * 1_000_003 + i), src, tgt)
        hidden, _ = model(b["src"], b["dec_in"], attention_mask=b["src_mask"])
        logits = model.logits(hidden)
        loss = F.cross_entropy(logits.flatten(0, 1), b["labels"].flatten(), ignore_index=-100)
        known = b["labels"] != -100
        return loss, {"acc": float(((logits.argmax(-1) == b["labels"]) & known).sum() / known.sum())}

    run = Run(name=MODEL_NAME, family="encdec",
              task="translate texts of the generated shapes-world grammar into Korean (SOV order)",
              data={"generator": "mmviz.data.text.corpus (English and its Korean translation, word alignment known)",
                    "format": "source 'text <eos>', decoder input '<bos> korean', labels 'korean <eos>'",
                    "tokenizers": "mmviz.tokenizers.text.TextTokenizer.english / .korean",
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "heldout_seed": HELDOUT_SEED},
              loss="cross-entropy of every target token (teacher forcing); attention never supervised")
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_encdec(m, n=opts.eval_n, seed=HELDOUT_SEED),
               probe=lambda m: {k: v for k, v in evaluate_encdec(m, n=200, seed=PROBE_SEED).items()
                                if k in ("exact_match", "alignment_share")},
               summary=lambda h: {k: h[k] for k in ("exact_match", "alignment_share")})
