"""Recipe for the embedded tiny BERT (bidirectional encoder, masked-LM on the generated grammar).

    python -m mmviz.train bert-tiny [--steps N] [--threads 1]

writes assets/models/bert-tiny-shapes.safetensors (fp16) and its card bert-tiny-shapes.json. Data:
fresh texts of mmviz.data.text every step as "[CLS] text [SEP]"; BERT's masking recipe
(mmviz.models.bert.mask_tokens: 15% of the tokens chosen, of those 80% [MASK], 10% a random token,
10% unchanged); loss: cross-entropy on the chosen tokens only.
"""

from __future__ import annotations

from collections import Counter

import torch
import torch.nn.functional as F

from mmviz.models.bert import BERT, PRESETS, mask_tokens
from mmviz.tokenizers.text import TextTokenizer
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit, new_model, options
from mmviz.train.text_data import encode, pad, referent_peaks, text_batch

__all__ = ["MODEL_NAME", "DEFAULTS", "masked_batch", "evaluate_bert", "train_bert_tiny"]

MODEL_NAME = "bert-tiny-shapes"
DEFAULTS = Options(steps=3000, batch_size=64, lr=2e-3, warmup=200, weight_decay=0.05, eval_n=2000)


def masked_batch(n: int, seed: int, tok: TextTokenizer) -> dict:
    """n fresh texts, tokenised with [CLS] / [SEP], masked by BERT's recipe (torch seed ``seed``).

    Returns:
        dict(ids (B, T) masked, labels (B, T) original id where chosen else -100, mask (B, T), how (B, T)
        0 not chosen / 1 [MASK] / 2 random / 3 kept, samples).
    """
    ids, mask, samples = text_batch(n, seed, tok, "cls_sep")
    special = (ids == tok.cls_id) | (ids == tok.sep_id) | (mask == 0)
    masked, labels, how = mask_tokens(ids, mask_id=tok.mask_id, vocab_size=tok.vocab_size, special=special,
                                      generator=torch.Generator().manual_seed(seed))
    return {"ids": masked, "labels": labels, "mask": mask, "how": how, "samples": samples}


@torch.no_grad()
def evaluate_bert(model: BERT, n: int = 2000, seed: int = HELDOUT_SEED) -> dict:
    """Held-out masked-token accuracy against the unigram baseline, and where "it" looks.

    Returns:
        dict(n, masked_tokens, accuracy (top-1 on the chosen tokens, all three kinds), accuracy_on_mask
        (on the [MASK]ed ones), unigram_accuracy (always answering the most frequent token of the
        training texts), ratio_to_unigram, coreference (on unmasked texts)).
    """
    model.eval()
    tok = TextTokenizer.english()
    b = masked_batch(n, seed, tok)
    hidden, _ = model(b["ids"], attention_mask=b["mask"])
    pred = model.mlm_logits(hidden).argmax(-1)
    chosen = b["labels"] != -100
    right = (pred == b["labels"]) & chosen
    train_ids, _, _ = text_batch(20_000, 1, tok, "none")
    counts = Counter(t for t in train_ids.flatten().tolist() if t != tok.pad_id)
    top = counts.most_common(1)[0][0]
    uni = float(((b["labels"] == top) & chosen).sum() / chosen.sum())
    acc = float(right.sum() / chosen.sum())
    on_mask = b["how"] == 1
    enc = encode(b["samples"][:300], tok, "cls_sep")
    ids, mask = pad([e["ids"] for e in enc], tok.pad_id)
    _, attns = model(ids, attention_mask=mask, return_attn=True)
    return {"n": n, "masked_tokens": int(chosen.sum()), "accuracy": round(acc, 4),
            "accuracy_on_mask": round(float((right & on_mask).sum() / on_mask.sum()), 4),
            "unigram_accuracy": round(uni, 4), "unigram_token": tok.id_to_token(top),
            "ratio_to_unigram": round(acc / max(uni, 1e-9), 2),
            "coreference": referent_peaks(attns, enc, b["samples"][:300])}


def train_bert_tiny(**overrides) -> dict:
    """Train the embedded tiny BERT and write weights and card.

    Args:
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.

    Returns:
        the card dict (also written as JSON).
    """
    opts = options(DEFAULTS, overrides)
    model, previous = new_model(BERT, PRESETS[MODEL_NAME], opts.seed, opts.init)
    tok = TextTokenizer.english()

    def step(i: int) -> tuple[torch.Tensor, dict]:
        b = masked_batch(opts.batch_size, opts.seed * 1_000_003 + i, tok)
        hidden, _ = model(b["ids"], attention_mask=b["mask"])
        logits = model.mlm_logits(hidden)
        loss = F.cross_entropy(logits.flatten(0, 1), b["labels"].flatten(), ignore_index=-100)
        chosen = b["labels"] != -100
        return loss, {"acc": float(((logits.argmax(-1) == b["labels"]) & chosen).sum() / chosen.sum())}

    run = Run(name=MODEL_NAME, family="bert",
              task="fill in masked tokens of texts of the generated shapes-world grammar (mmviz.data.text)",
              data={"generator": "mmviz.data.text.corpus", "format": "[CLS] text [SEP]",
                    "masking": "15% of the tokens chosen (never [CLS]/[SEP]/padding); of those 80% [MASK], 10% a "
                               "random token, 10% unchanged (mmviz.models.bert.mask_tokens)",
                    "tokenizer": "mmviz.tokenizers.text.TextTokenizer.english (word pieces, whole words in vocab)",
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "heldout_seed": HELDOUT_SEED},
              loss="cross-entropy on the chosen tokens only (masked-LM)")
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_bert(m, n=opts.eval_n, seed=HELDOUT_SEED),
               probe=lambda m: {k: v for k, v in evaluate_bert(m, n=300, seed=PROBE_SEED).items()
                                if k in ("accuracy", "ratio_to_unigram")},
               summary=lambda h: {k: h[k] for k in ("accuracy", "ratio_to_unigram")})
