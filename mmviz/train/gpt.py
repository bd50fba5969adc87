"""Recipe for the embedded tiny GPT (decoder-only, next-token prediction on the generated grammar).

    python -m mmviz.train gpt-tiny [--steps N] [--threads 1]

writes assets/models/gpt-tiny-shapes.safetensors (fp16) and its card gpt-tiny-shapes.json (the model
builds its tokenizer from the grammar's vocabulary: config tokenizer "shapes-en"). Data: fresh texts of mmviz.data.text every step, as
"<bos> text <eos>"; loss: cross-entropy of every next token (teacher forcing, padding ignored).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from mmviz.data.text import is_grammatical
from mmviz.models.gpt import GPT, PRESETS
from mmviz.tokenizers.text import TextTokenizer
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit, new_model, options
from mmviz.train.text_data import encode, ngram_baselines, pad, referent_peaks, text_batch

__all__ = ["MODEL_NAME", "DEFAULTS", "CONFIG", "lm_loss", "evaluate_gpt", "train_gpt_tiny"]

MODEL_NAME = "gpt-tiny-shapes"
DEFAULTS = Options(steps=3000, batch_size=64, lr=2e-3, warmup=200, weight_decay=0.05, eval_n=1000)
CONFIG = PRESETS[MODEL_NAME]


def lm_loss(model: GPT, ids: torch.Tensor, mask: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    """Next-token cross-entropy of (B, T) padded ids: position t predicts token t+1; pads are ignored."""
    hidden, _ = model(ids[:, :-1])
    targets = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
    return F.cross_entropy(model.logits(hidden).flatten(0, 1), targets.flatten(), ignore_index=-100,
                           reduction=reduction)


@torch.no_grad()
def evaluate_gpt(model: GPT, n: int = 1000, seed: int = HELDOUT_SEED, samples: int = 500) -> dict:
    """Held-out perplexity next to n-gram baselines, the share of sampled texts (temperature 1) that
    the grammar accepts, and where "it" looks.

    Returns:
        dict(n, perplexity, unigram_perplexity, bigram_perplexity (add-one, counted on 20 000 training
        texts), samples, grammatical (share of `samples` texts sampled at T = 1 that is_grammatical),
        examples (5 samples), coreference (mmviz.train.text_data.referent_peaks)).
    """
    model.eval()
    tok = TextTokenizer.english()
    ids, mask, texts = text_batch(n, seed, tok, "bos_eos")
    nll = lm_loss(model, ids, mask, reduction="sum").item()
    tokens = int(mask[:, 1:].sum())
    train_ids = [e["ids"] for e in encode(text_batch(20_000, 1, tok, "bos_eos")[2], tok, "bos_eos")]
    base = ngram_baselines(train_ids, [e["ids"] for e in encode(texts, tok, "bos_eos")], tok.vocab_size)
    gen = torch.Generator().manual_seed(seed)
    start = torch.full((samples, 1), tok.bos_id, dtype=torch.long)
    out = model.generate(start, model.cfg.context_length - 1, temperature=1.0, generator=gen, stop_id=tok.eos_id)
    decoded = [tok.decode(row[1:].tolist()) for row in out]
    ok = [is_grammatical(t) for t in decoded]
    enc = encode(texts[:300], tok, "bos_eos")
    p_ids, _ = pad([e["ids"] for e in enc], tok.pad_id)
    _, attns = model(p_ids, return_attn=True)
    return {"n": n, "perplexity": round(math.exp(nll / tokens), 3), **base, "samples": samples,
            "grammatical": round(sum(ok) / samples, 4), "examples": decoded[:5],
            "coreference": referent_peaks(attns, enc, texts[:300])}


def train_gpt_tiny(**overrides) -> dict:
    """Train the embedded tiny GPT and write weights and card.

    Args:
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.

    Returns:
        the card dict (also written as JSON).
    """
    opts = options(DEFAULTS, overrides)
    model, previous = new_model(GPT, CONFIG, opts.seed, opts.init)
    tok = TextTokenizer.english()

    def step(i: int) -> tuple[torch.Tensor, dict]:
        ids, mask, _ = text_batch(opts.batch_size, opts.seed * 1_000_003 + i, tok, "bos_eos")
        return lm_loss(model, ids, mask), {}

    run = Run(name=MODEL_NAME, family="gpt",
              task="predict the next token of texts of the generated shapes-world grammar (mmviz.data.text)",
              data={"generator": "mmviz.data.text.corpus", "format": "<bos> text <eos>",
                    "tokenizer": "mmviz.tokenizers.text.TextTokenizer.english (word pieces, whole words in vocab)",
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "heldout_seed": HELDOUT_SEED},
              loss="next-token cross-entropy (teacher forcing, padding ignored)")
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_gpt(m, n=opts.eval_n, seed=HELDOUT_SEED, samples=min(500, opts.eval_n)),
               probe=lambda m: {k: v for k, v in evaluate_gpt(m, n=200, seed=PROBE_SEED, samples=100).items()
                                if k in ("perplexity", "grammatical")},
               summary=lambda h: {k: h[k] for k in ("perplexity", "grammatical")})
