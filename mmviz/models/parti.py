"""Parti in miniature: the same image codes, written by an encoder-decoder.

The caption goes through a text encoder once; a decoder writes the image codes in raster order and
reads the caption through cross-attention at every step (``mmviz.models.encdec``):

    p(image | caption) = prod_i p(code_i | encoder(caption), code_<i)

The VQ-VAE that turns codes into pixels is a frozen copy of ``vq-tiny-shapes``, as in DalleTiny.

Shapes: Lc caption tokens, N = h * w image codes, K codebook entries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn

from mmviz.models.dalle import CodesConfig, caption_ids, decode_image, sample_codes
from mmviz.models.encdec import EncDecConfig, EncoderDecoder
from mmviz.models.vq import VQVAE
from mmviz.tokenizers import shapes_tokenizer

__all__ = ["PartiConfig", "PRESETS", "PartiTiny"]


@dataclass(frozen=True)
class PartiConfig(CodesConfig):
    """An encoder-decoder from caption tokens to image codes (target ids 0..K-1 the codes, K the start).

    Attributes:
        enc_depth, dec_depth: encoder and decoder blocks; the rest as CodesConfig.
    """

    enc_depth: int = 2
    dec_depth: int = 4

    def encdec(self) -> EncDecConfig:
        """Target ids 0..K-1 are the codes, K is the start token."""
        K = self.vq.codebook_size
        return EncDecConfig(src_vocab_size=self.text_vocab, tgt_vocab_size=K + 1, shared_vocab=False,
                            context_length=max(self.caption_length, self.num_codes + 1), dim=self.dim,
                            enc_depth=self.enc_depth, dec_depth=self.dec_depth, num_heads=self.num_heads,
                            mlp_ratio=self.mlp_ratio, hidden_act="gelu", norm_first=True, pad_id=0, bos_id=K,
                            eos_id=-1, src_tokenizer="none", tgt_tokenizer="none")


PRESETS: dict[str, PartiConfig] = {
    # trained by `python -m mmviz.train parti-tiny` on shapes-world captions and vq-tiny-shapes codes
    "parti-tiny-shapes": PartiConfig(),
}


class PartiTiny(nn.Module):
    """An encoder-decoder from caption tokens to image codes, plus the frozen VQ-VAE.

    Args:
        cfg: a PartiConfig.
    """

    def __init__(self, cfg: PartiConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.encdec = EncoderDecoder(cfg.encdec())
        self.vq = VQVAE(cfg.vq).requires_grad_(False)
        self.tokenizer = shapes_tokenizer(cfg.caption_length)
        self.class_names: list[str] | None = None

    def _mask(self, captions: torch.Tensor) -> torch.Tensor:
        return (captions != self.tokenizer.pad_id).long()

    def loss(self, captions: torch.Tensor, codes: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: cross-entropy of every code given the caption and the codes before it."""
        flat = codes.flatten(1)  # (B, N)
        start = torch.full_like(flat[:, :1], self.cfg.vq.codebook_size)
        hidden, _ = self.encdec(captions, torch.cat([start, flat[:, :-1]], 1), attention_mask=self._mask(captions))
        logits = self.encdec.logits(hidden)[..., : self.cfg.vq.codebook_size]  # (B, N, K)
        return nn.functional.cross_entropy(logits.flatten(0, 1), flat.flatten())

    @torch.no_grad()
    def generate_steps(self, caption: str, *, seed: int, temperature: float = 1.0, top_k: int | None = None,
                       record: bool = False, use_cache: bool = True) -> dict:
        """Sample the codes of one caption in raster order (see DalleTiny.generate_steps).

        Returns:
            dict(codes (h, w), image (S, S, 3) uint8, log_prob, caption_ids (Lc,), steps (when record:
            top_ids, top_p, cross (L, h, Lc) the new code's cross-attention over the caption tokens)).
        """
        self.eval()
        m = self.encdec
        dev = m.src_embed.weight.device
        cap = caption_ids(self.tokenizer, [caption], self.cfg.caption_length).to(dev)
        mask = self._mask(cap)
        memory, _ = m.encode(cap, attention_mask=mask)
        cache = m.new_cache() if use_cache else None
        seq = torch.full((1, 1), self.cfg.vq.codebook_size, dtype=torch.long, device=dev)  # the start token

        def step(prev: int | None) -> tuple[torch.Tensor, dict]:
            nonlocal seq
            if prev is not None:
                seq = torch.cat([seq, seq.new_tensor([[prev]])], dim=1)
            hidden, _, cross = m.decode(seq[:, -1:] if use_cache else seq, memory, attention_mask=mask, cache=cache,
                                        return_attn=record)
            extra = {"cross": torch.stack([c[0, :, -1] for c in cross]).float().cpu().numpy()} if record else {}
            return m.logits(hidden[:, -1])[:, : self.cfg.vq.codebook_size], extra

        codes, log_prob, steps = sample_codes(step, self.cfg.num_codes, seed=seed, temperature=temperature,
                                              top_k=top_k, record=record)
        grid = torch.tensor(codes, device=dev).view(self.cfg.vq.grid, self.cfg.vq.grid)
        return {"codes": grid.cpu(), "image": decode_image(self.vq, grid), "log_prob": log_prob,
                "caption_ids": cap[0].cpu(), "steps": steps}

    def generate(self, caption: str, *, seed: int, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
        """The decoded image of one sampled code grid: (S, S, 3) uint8."""
        return self.generate_steps(caption, seed=seed, temperature=temperature, top_k=top_k)["image"]
