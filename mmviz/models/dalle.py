"""DALL·E in miniature: one decoder-only transformer over [caption tokens ; image codes].

An image is first turned into an h x w grid of codebook ids by a VQ-VAE (``mmviz.models.vq``); read
in raster order, the ids are just more tokens. The GPT (``mmviz.models.gpt``) sees the caption
(padded to a fixed length), then predicts the image codes one by one:

    p(image | caption) = prod_i p(code_i | caption, code_<i)

Generating = sampling those 64 codes in raster order (with a KV cache), then the VQ decoder paints
the image. The VQ-VAE is a frozen copy of ``vq-tiny-shapes`` stored with the weights.

Shapes: Lc caption tokens, N = h * w image codes, K codebook entries, V = text vocab + K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn

from mmviz.models.gpt import GPT, GPTConfig
from mmviz.models.vq import VQVAE, VQConfig
from mmviz.sampling import next_token_probs
from mmviz.tokenizers import shapes_tokenizer

__all__ = ["CodesConfig", "DalleConfig", "PRESETS", "DalleTiny", "caption_ids", "decode_image", "sample_codes"]


@dataclass(frozen=True)
class CodesConfig:
    """What every caption -> image-codes model shares: the caption, the image tokenizer, the width.

    Attributes:
        caption_length: Lc, caption tokens (shapes-world words, start/end tokens, padding).
        text_vocab: ids of the caption tokenizer.
        vq: the image tokenizer's config.
        dim, num_heads, mlp_ratio: the transformer's width, heads and MLP width / D.
    """

    caption_length: int = 12
    text_vocab: int = 56
    vq: VQConfig = field(default_factory=VQConfig)
    dim: int = 160
    num_heads: int = 5
    mlp_ratio: float = 4.0

    @property
    def num_codes(self) -> int:
        """N = h * w image tokens."""
        return self.vq.grid ** 2

    @classmethod
    def from_dict(cls, d: dict):
        """Inverse of dataclasses.asdict (a model card's config)."""
        vq = {k: tuple(v) if isinstance(v, list) else v for k, v in d["vq"].items()}
        return cls(**{**{k: v for k, v in d.items() if k != "vq"}, "vq": VQConfig(**vq)})


@dataclass(frozen=True)
class DalleConfig(CodesConfig):
    """A decoder over [caption ; image codes]: image code k has token id text_vocab + k.

    Attributes:
        depth: decoder blocks (a GPT over Lc + N tokens); the rest as CodesConfig.
    """

    depth: int = 6

    def gpt(self) -> GPTConfig:
        """The decoder's GPTConfig: vocabulary text + codes, context Lc + N."""
        return GPTConfig(vocab_size=self.text_vocab + self.vq.codebook_size,
                         context_length=self.caption_length + self.num_codes, dim=self.dim, depth=self.depth,
                         num_heads=self.num_heads, mlp_ratio=self.mlp_ratio, hidden_act="gelu", bos_id=-1,
                         eos_id=-1, pad_id=0, tokenizer="none")


PRESETS: dict[str, DalleConfig] = {
    # trained by `python -m mmviz.train dalle-tiny` on shapes-world captions and vq-tiny-shapes codes
    "dalle-tiny-shapes": DalleConfig(),
}


def caption_ids(tokenizer, captions: list[str], length: int) -> torch.Tensor:
    """(B, Lc) ids of the captions, cut and padded to exactly ``length`` tokens."""
    ids = tokenizer.encode(captions)["input_ids"][:, :length]  # (B, <= Lc)
    return nn.functional.pad(ids, (0, length - ids.shape[1]), value=tokenizer.pad_id)


def decode_image(vq: VQVAE, codes: torch.Tensor) -> np.ndarray:
    """(h, w) or (B, h, w) code ids -> (H, W, 3) or (B, H, W, 3) uint8 painted by the VQ decoder."""
    single = codes.dim() == 2
    x = vq.to_pixels(vq.decode_codes(codes[None] if single else codes))  # (B, 3, S, S) in [0, 1]
    img = (x.permute(0, 2, 3, 1) * 255).round().to(torch.uint8).cpu().numpy()
    return img[0] if single else img


def sample_codes(step, num_codes: int, *, seed: int, temperature: float = 1.0, top_k: int | None = None,
                 record: bool = False) -> tuple[list[int], float, list[dict]]:
    """Raster-order sampling shared by the image-token generators: ``step(previous code or None)``
    returns the next code's logits (1, K) and, when recording, what to keep of this step.

    Returns:
        (codes (num_codes ints), log_prob (sum of log p of the chosen codes), steps (when record: dict
        with top_ids, top_p (the 5 most likely codes) and what ``step`` returned)).
    """
    gen = torch.Generator().manual_seed(seed)
    codes: list[int] = []
    steps: list[dict] = []
    log_prob = 0.0
    for _ in range(num_codes):
        logits, extra = step(codes[-1] if codes else None)
        probs = next_token_probs(logits, temperature=temperature, top_k=top_k)  # (1, K)
        code = int(torch.multinomial(probs.cpu(), 1, generator=gen))
        log_prob += math.log(float(probs[0, code]))
        if record:
            p, i = probs[0].topk(5)
            steps.append({"top_ids": i.tolist(), "top_p": p.tolist(), **extra})
        codes.append(code)
    return codes, log_prob, steps


class DalleTiny(nn.Module):
    """A GPT over [caption ; image codes] plus the frozen VQ-VAE that turns codes into pixels.

    Args:
        cfg: a DalleConfig.
    """

    def __init__(self, cfg: DalleConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.gpt = GPT(cfg.gpt())
        self.vq = VQVAE(cfg.vq).requires_grad_(False)
        self.tokenizer = shapes_tokenizer(cfg.caption_length)
        self.class_names: list[str] | None = None

    def sequence(self, captions: torch.Tensor, codes: torch.Tensor) -> torch.Tensor:
        """(B, Lc) caption ids + (B, h, w) codes -> (B, Lc + N) tokens (codes shifted after the text ids)."""
        return torch.cat([captions, codes.flatten(1) + self.cfg.text_vocab], dim=1)

    def loss(self, captions: torch.Tensor, codes: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: cross-entropy of every image code given the caption and the codes before it."""
        seq = self.sequence(captions, codes)  # (B, Lc + N)
        hidden, _ = self.gpt(seq[:, :-1])
        logits = self.gpt.logits(hidden[:, self.cfg.caption_length - 1:])  # (B, N, V): rows that predict codes
        logits = logits[..., self.cfg.text_vocab:]  # only codes may follow the caption
        return nn.functional.cross_entropy(logits.flatten(0, 1), codes.flatten())

    @torch.no_grad()
    def generate_steps(self, caption: str, *, seed: int, temperature: float = 1.0, top_k: int | None = None,
                       record: bool = False, use_cache: bool = True) -> dict:
        """Sample the image codes of one caption in raster order, one per step.

        Args:
            caption: a shapes-world caption (unknown words become <unk>).
            seed: the sampling seed.
            temperature, top_k: see mmviz.sampling.
            record: also keep, for every step, the top-5 next codes with their probabilities and the
                new token's attention over the caption and the earlier codes (L, h, keys).
            use_cache: run only the new token at each step (KV cache).

        Returns:
            dict(codes (h, w) int64, image (S, S, 3) uint8, log_prob (sum of log p of the chosen codes),
            caption_ids (Lc,), steps (when record: list of dict(top_ids, top_p, attn))).
        """
        self.eval()
        dev = self.gpt.token_embed.weight.device
        cap = caption_ids(self.tokenizer, [caption], self.cfg.caption_length).to(dev)  # (1, Lc)
        cache = self.gpt.new_cache() if use_cache else None
        seq = cap

        def step(prev: int | None) -> tuple[torch.Tensor, dict]:
            nonlocal seq
            if prev is not None:
                seq = torch.cat([seq, seq.new_tensor([[prev + self.cfg.text_vocab]])], dim=1)
            hidden, attns = self.gpt(seq[:, -1:] if use_cache and prev is not None else seq, cache=cache,
                                     return_attn=record)
            extra = {"attn": torch.stack([a[0, :, -1] for a in attns]).float().cpu().numpy()} if record else {}
            return self.gpt.logits(hidden[:, -1])[:, self.cfg.text_vocab:], extra  # only codes follow

        codes, log_prob, steps = sample_codes(step, self.cfg.num_codes, seed=seed, temperature=temperature,
                                              top_k=top_k, record=record)
        grid = torch.tensor(codes, device=dev).view(self.cfg.vq.grid, self.cfg.vq.grid)
        return {"codes": grid.cpu(), "image": decode_image(self.vq, grid), "log_prob": log_prob,
                "caption_ids": cap[0].cpu(), "steps": steps}

    def generate(self, caption: str, *, seed: int, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
        """The decoded image of one sampled code grid: (S, S, 3) uint8."""
        return self.generate_steps(caption, seed=seed, temperature=temperature, top_k=top_k)["image"]

