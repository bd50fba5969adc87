"""Generate an image token by token with the tiny DALL·E (decoder-only) or Parti (encoder-decoder), and
everything the page shows about a sample: the caption as the model reads it, each step's top-5 next codes
and attention, the probability of every chosen code, the image as it grows, and the cost per image.

The sampling is the models' own (``generate_steps`` with ``record=True``: ``mmviz.models.dalle``); the
probabilities of the chosen codes come from one teacher-forced pass, the way training scores an image.

Shapes: Lc caption tokens, N = h * w image codes, K codebook entries, L layers, D width.
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn as nn

from mmviz.models.dalle import DalleTiny, caption_ids, decode_image
from mmviz.models.parti import PartiTiny
from mmviz.sampling import next_token_probs

__all__ = ["read_caption", "generate", "teacher_forcing", "prefix_frames", "blank_code", "step_view",
           "parameters", "cost_per_step"]


def read_caption(tokenizer, caption: str, length: int) -> dict:
    """The caption as the model reads it: word tokens, cut and padded to exactly ``length``.

    Returns:
        dict(ids (length,) ints, tokens (length,) strings, real (tokens before the padding), unknown (words that
        became <unk>), truncated (the caption had more tokens than fit), words (words in the caption)).
    """
    enc = tokenizer.backend.encode(caption)  # truncated to the tokenizer's context length
    ids = caption_ids(tokenizer, [caption], length)[0].tolist()
    return {"ids": ids, "tokens": [tokenizer.backend.id_to_token(i) for i in ids], "real": len(enc.ids),
            "unknown": tokenizer.unknown_words(caption), "truncated": bool(enc.overflowing),
            "words": len(caption.split())}


@torch.no_grad()
def blank_code(vq) -> int:
    """The code the tokenizer gives a plain mid-grey image: what the not-yet-sampled cells hold in the frames."""
    x = torch.full((1, 3, vq.cfg.image_size, vq.cfg.image_size), 0.5, device=vq.quantizer.codebook.device)
    codes, _ = vq.encode(vq.normalize(x))
    return int(codes.flatten().mode().values)


@torch.no_grad()
def prefix_frames(vq, codes: torch.Tensor, fill: int, grey: int = 215) -> np.ndarray:
    """The image after each step: frame i is what the decoder paints from the first i codes in raster order
    (cells still to come hold ``fill`` and are drawn light grey).

    Args:
        vq: the tokenizer whose decoder paints.
        codes: (h, w) the sampled codes.
        fill: the code of the cells not sampled yet.
        grey: their shade.

    Returns:
        (N + 1, S, S, 3) uint8: frame 0 is empty, frame N the final image.
    """
    h, w = codes.shape
    N, p = h * w, vq.cfg.downsample
    todo = torch.arange(N)[None] >= torch.arange(N + 1)[:, None]  # (N + 1, N): not sampled yet at frame i
    grids = torch.where(todo, torch.full_like(todo, fill, dtype=torch.long), codes.flatten().cpu()[None])
    frames = decode_image(vq, grids.view(N + 1, h, w).to(vq.quantizer.codebook.device))  # (N + 1, S, S, 3)
    cover = todo.view(N + 1, h, w).repeat_interleave(p, 1).repeat_interleave(p, 2).numpy()  # (N + 1, S, S)
    frames[cover] = grey
    return frames


def _mean(attns: list[torch.Tensor]) -> np.ndarray:
    """L tensors (1, h, Q, K) -> (Q, K): the mean over layers and heads."""
    return torch.stack(attns)[:, 0].mean((0, 1)).cpu().numpy()


@torch.no_grad()
def teacher_forcing(model: DalleTiny | PartiTiny, caption: torch.Tensor, codes: torch.Tensor, *,
                    temperature: float = 1.0, top_k: int | None = None) -> dict:
    """p(code_i | caption, code_<i) of every code of an image, all in ONE pass (teacher forcing, as in training:
    the model reads the whole sequence at once, and the causal mask keeps each position from seeing the codes
    after it), with the attention of that pass.

    Args:
        model: the generator.
        caption: (Lc,) caption ids.
        codes: (h, w) code ids.
        temperature, top_k: the sampling rule the probabilities are taken under.

    Returns:
        dict(p (N,) probabilities in raster order; attention, mean over layers and heads: for DALL·E "decoder"
        (Lc + N - 1, Lc + N - 1) over [caption ; codes without the last]; for Parti "encoder" (Lc, Lc), "decoder"
        (N, N) over [start ; codes without the last] and "cross" (N, Lc)).
    """
    model.eval()
    flat = codes.flatten()[None].to(caption.device)  # (1, N)
    if isinstance(model, DalleTiny):
        seq = model.sequence(caption[None], codes[None].to(caption.device))[:, :-1]  # (1, Lc + N - 1)
        hidden, attns = model.gpt(seq, return_attn=True)
        logits = model.gpt.logits(hidden[0, model.cfg.caption_length - 1:])[:, model.cfg.text_vocab:]  # (N, K)
        attn = {"decoder": _mean(attns)}
    else:
        m, K = model.encdec, model.cfg.vq.codebook_size
        mask = (caption != model.tokenizer.pad_id).long()[None]
        memory, enc = m.encode(caption[None], attention_mask=mask, return_attn=True)
        start = torch.full_like(flat[:, :1], K)
        hidden, dec, cross = m.decode(torch.cat([start, flat[:, :-1]], 1), memory, attention_mask=mask,
                                      return_attn=True)
        logits = m.logits(hidden[0])[:, :K]  # (N, K)
        attn = {"encoder": _mean(enc), "decoder": _mean(dec), "cross": _mean(cross)}
    probs = next_token_probs(logits, temperature=temperature, top_k=top_k)
    return {"p": probs.gather(1, flat.t()).flatten().cpu().numpy(), "attention": attn}


def generate(model: DalleTiny | PartiTiny, caption: str, *, seed: int, temperature: float = 1.0,
             top_k: int | None = None, fill: int | None = None) -> dict:
    """Sample one image and keep what the page shows about every step.

    Args:
        model: the generator.
        caption: any text (unknown words become <unk>; cut at the caption length).
        seed, temperature, top_k: the sampling (top_k None or 0: every code).
        fill: code of the not-yet-sampled cells in the frames (default: :func:`blank_code`).

    Returns:
        dict(codes (h, w), image (S, S, 3) uint8, frames (N + 1, S, S, 3), log_prob (sum over the steps), p (N,)
        the probability of each chosen code, forced (:func:`teacher_forcing`: p, attention), top_ids, top_p (N, 5),
        attn (N, L, Lc + N - 1) the new token's attention (mean over heads; NaN for keys that did not exist yet)
        for DALL·E, or cross (N, L, Lc) for Parti, caption (see :func:`read_caption`), seconds (wall time of the
        sampling)).
    """
    top_k = top_k or None
    t0 = time.perf_counter()
    out = model.generate_steps(caption, seed=seed, temperature=temperature, top_k=top_k, record=True)
    seconds = time.perf_counter() - t0
    steps, codes = out["steps"], out["codes"]
    N = len(steps)
    res = {"codes": codes.numpy(), "image": out["image"], "log_prob": float(out["log_prob"]), "seconds": seconds,
           "top_ids": np.array([s["top_ids"] for s in steps]), "top_p": np.array([s["top_p"] for s in steps]),
           "caption": read_caption(model.tokenizer, caption, model.cfg.caption_length),
           "forced": teacher_forcing(model, out["caption_ids"].to(model.vq.quantizer.codebook.device), codes,
                                     temperature=temperature, top_k=top_k),
           "frames": prefix_frames(model.vq, codes, blank_code(model.vq) if fill is None else fill)}
    res["p"] = res["forced"]["p"]
    if "attn" in steps[0]:
        keys = model.cfg.caption_length + N - 1
        attn = np.full((N, steps[0]["attn"].shape[0], keys), np.nan, np.float32)
        for i, s in enumerate(steps):
            attn[i, :, : s["attn"].shape[-1]] = s["attn"].mean(1)  # (L, keys so far), mean over heads
        res["attn"] = attn
    else:
        res["cross"] = np.stack([s["cross"].mean(1) for s in steps]).astype(np.float32)  # (N, L, Lc)
    return res


def step_view(res: dict, i: int, layer: int | None = None) -> dict:
    """What step i (0-based: choosing code i) saw: its attention over the caption and the earlier codes (one
    layer, or the mean over layers), its top-5 and the chosen code.

    Returns:
        dict(caption (Lc,) weights, grid (h, w) weights (NaN where no code existed yet), cross (Lc,) for Parti,
        code, p, top_ids, top_p, row, col).
    """
    h, w = res["codes"].shape
    out = {"code": int(res["codes"].flat[i]), "p": float(res["p"][i]), "top_ids": res["top_ids"][i],
           "top_p": res["top_p"][i], "row": i // w, "col": i % w}
    pick = (lambda a: a.mean(0)) if layer is None else (lambda a: a[layer])
    if "attn" in res:
        Lc = len(res["caption"]["ids"])
        a = pick(res["attn"][i])  # (Lc + N - 1,)
        grid = np.full(h * w, np.nan)
        grid[:i] = a[Lc:Lc + i]
        out.update(caption=a[:Lc], grid=grid.reshape(h, w))
    else:
        out["cross"] = pick(res["cross"][i])
    return out


def parameters(model: nn.Module) -> int:
    """Trainable numbers of a generator, without the frozen VQ-VAE it carries."""
    return sum(p.numel() for n, p in model.named_parameters() if not n.startswith("vq."))


def _linear(module: nn.Module, skip: str | None = None) -> int:
    """Multiply-adds of all Linear layers of ``module`` for ONE token (in x out each); ``skip``: names ending so."""
    return sum(m.in_features * m.out_features for n, m in module.named_modules()
               if isinstance(m, nn.Linear) and not (skip and n.endswith(skip)))


def cost_per_step(model: DalleTiny | PartiTiny) -> dict:
    """Multiply-adds of every generation step, counted from the weight shapes, with and without the KV cache.

    A step runs each Linear on every token it is given (D_in x D_out multiply-adds per token) and attention on
    every (query, key) pair (2 x D: scores q.k and the weighted sum of v). With the cache, a step gives the
    network only the new token; without it, the whole sequence again. (LayerNorm, softmax and biases are left
    out: they are a few percent.)

    Returns:
        dict(cache (N,), no_cache (N,) multiply-adds of each step, once (the caption encoder's pass, Parti),
        total_cache, total_no_cache, tokens (N,) tokens fed per step without the cache).
    """
    N, Lc = model.cfg.num_codes, model.cfg.caption_length
    s = np.arange(N)
    if isinstance(model, DalleTiny):
        D, L, V = model.cfg.dim, model.cfg.depth, model.gpt.cfg.vocab_size
        P, head = _linear(model.gpt.blocks), D * V  # logits of the last position only
        T = Lc + s  # tokens in the sequence at step s
        cache = np.where(s == 0, Lc * P + 2 * D * L * Lc * Lc, P + 2 * D * L * T) + head
        no_cache = T * P + 2 * D * L * T * T + head
        once = 0
    else:
        c = model.cfg
        D, L, K = c.dim, c.dec_depth, c.vq.codebook_size
        dec = model.encdec.decoder
        P, P_kv, head = _linear(dec, skip="cross.kv"), _linear(dec) - _linear(dec, skip="cross.kv"), D * (K + 1)
        once = Lc * _linear(model.encdec.encoder) + 2 * D * c.enc_depth * Lc * Lc  # the encoder, one pass
        T = s + 1  # decoder tokens at step s (start token + earlier codes)
        cross = 2 * D * L * Lc  # one query against the Lc caption tokens
        cache = P + 2 * D * L * T + cross + head + np.where(s == 0, Lc * P_kv, 0)  # the caption's k, v once
        no_cache = T * P + Lc * P_kv + 2 * D * L * T * T + T * cross + head
    return {"cache": cache.astype(np.int64), "no_cache": no_cache.astype(np.int64), "once": int(once),
            "total_cache": int(cache.sum() + once), "total_no_cache": int(no_cache.sum() + once), "tokens": T}
