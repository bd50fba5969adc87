"""BERT's half of the lesson: mask one word and read the fillers; BERT's 15% / 80-10-10 recipe on the
sentence, with what became of each token and what the model guesses there.

Shapes: T tokens, V vocabulary, N draws.
"""

from __future__ import annotations

import torch

from mmviz.device import torch_threads
from mmviz.models.bert import mask_tokens
from mmviz.tokenizers.bounded import piece

__all__ = ["HOW", "fill_mask", "masking_recipe"]

#: what mask_tokens did to a token (its ``how`` code)
HOW = ("not chosen", "[MASK]", "random token", "kept")


@torch.no_grad()
def fill_mask(model, ids: list[int], pos: int, k: int = 10) -> dict:
    """Replace token ``pos`` by [MASK] and read BERT's masked-LM scores there.

    Returns:
        dict(ids (k,), tokens (k,) and probs (k,) the best fillers, original: the id that was there, original_p: its
        probability, original_rank (1 = the model's first guess), entropy nats, attn_mask_row (L, h, T):
        where [MASK] looks in every layer and head).
    """
    x = torch.tensor([ids])
    orig = int(x[0, pos])
    x[0, pos] = model.cfg.mask_id
    with torch_threads(1):
        hidden, attns = model(x, return_attn=True)
        p = model.mlm_logits(hidden)[0, pos].float().softmax(-1)  # (V,)
    top = p.topk(min(k, p.numel()))
    return {"ids": top.indices.numpy(), "probs": top.values.numpy(), "original": orig,
            "tokens": [piece(model.tokenizer, i) for i in top.indices.tolist()],
            "original_p": float(p[orig]), "original_rank": int((p > p[orig]).sum()) + 1,
            "entropy": float(-(p[p > 0] * p[p > 0].log()).sum()),
            "attn_mask_row": torch.stack([a[0, :, pos] for a in attns]).numpy()}


@torch.no_grad()
def masking_recipe(model, ids: list[int], special: list[bool], seed: int, draws: int = 10_000) -> dict:
    """BERT's training recipe (`mmviz.models.bert.mask_tokens`) on one sentence: which tokens it chose,
    what became of each, what the model predicts there, and the shares over many draws.

    Args:
        model: a BERT with a masked-LM head.
        ids: (T,) the sentence with [CLS] and [SEP].
        special: (T,) True for tokens never chosen.
        seed: the draw shown.
        draws: how many draws the shares are counted over.

    Returns:
        dict(masked (T,) ids BERT reads, how (T,) codes of HOW, pred (T,) the model's best guess at every
        token, read (T,) and guess (T,) the same as tokens, p_true (T,) its probability of the original token,
        loss: the mean -log p_true over the chosen tokens (nan when none was chosen), shares: dict chosen (of the ordinary tokens) / mask / random /
        kept (of the chosen), counted over ``draws`` draws).
    """
    x = torch.tensor([ids])
    sp = torch.tensor([special])
    V = model.cfg.vocab_size
    g = torch.Generator().manual_seed(seed)
    masked, labels, how = mask_tokens(x, mask_id=model.cfg.mask_id, vocab_size=V, special=sp, generator=g)
    with torch_threads(1):
        p = model.mlm_logits(model(masked)[0])[0].float().softmax(-1)  # (T, V)
    p_true = p.gather(1, x[0][:, None])[:, 0]
    chosen = labels[0] != -100
    loss = float(-p_true[chosen].log().mean()) if bool(chosen.any()) else float("nan")
    # the shares over many draws of the same sentence
    many = x.expand(draws, -1)
    _, lab, hw = mask_tokens(many, mask_id=model.cfg.mask_id, vocab_size=V, special=sp.expand(draws, -1),
                             generator=torch.Generator().manual_seed(seed + 1))
    n_chosen = int((lab != -100).sum())
    ordinary = int((~sp).sum()) * draws
    shares = {"chosen": n_chosen / max(ordinary, 1), "draws": draws,
              **{HOW[c]: int((hw == c).sum()) / max(n_chosen, 1) for c in (1, 2, 3)}}
    pred = p.argmax(-1)
    return {"masked": masked[0].numpy(), "how": how[0].numpy(), "pred": pred.numpy(),
            "read": [piece(model.tokenizer, i) for i in masked[0].tolist()],
            "guess": [piece(model.tokenizer, i) for i in pred.tolist()],
            "p_true": p_true.numpy(), "loss": loss, "shares": shares}
