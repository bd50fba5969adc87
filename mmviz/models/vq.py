"""A VQ-VAE image tokenizer: an image becomes a small grid of integer codes, and back.

Reads top to bottom: pixels -> a convolutional encoder that shrinks the image 8x -> one vector
per cell of an h x w grid -> each vector replaced by its nearest codebook entry (the code id is
the token) -> a convolutional decoder that paints the image back from the code vectors.

Training (van den Oord et al. 2017; the codebook as taming-transformers' VectorQuantizer2 and
EnCodec's EMA codebook): reconstruction loss + beta * commitment loss ||z - sg(e)||^2; the
gradient skips the non-differentiable lookup (straight-through: z_q = z + sg(e - z)); codebook
vectors follow the mean of the encoder outputs assigned to them (exponential moving average),
and a code nobody uses is moved onto a random encoder output (dead-code reset), so codes stay used.

Shapes: B batch, 3 x S x S pixels, C latent width, h x w = S/8 x S/8 grid, K codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmviz.models.layers import HALF, normalize_pixels

__all__ = ["VQConfig", "PRESETS", "VectorQuantizer", "VQVAE"]


@dataclass(frozen=True)
class VQConfig:
    """VQ-VAE hyper-parameters (hashable).

    Attributes:
        image_size: S (square).
        in_chans: 3.
        hidden: channels of the convolution stacks.
        latent_dim: C, width of a code vector.
        codebook_size: K.
        downsample: image side / grid side (a power of 2: one stride-2 convolution per halving).
        beta: weight of the commitment loss.
        ema_decay: of the codebook's moving averages.
        image_mean, image_std: pixel normalisation.
    """

    image_size: int = 64
    in_chans: int = 3
    hidden: int = 96
    latent_dim: int = 32
    codebook_size: int = 256
    downsample: int = 8
    beta: float = 0.25
    ema_decay: float = 0.99
    image_mean: tuple[float, float, float] = HALF
    image_std: tuple[float, float, float] = HALF

    @property
    def grid(self) -> int:
        """Codes per side, S / downsample."""
        return self.image_size // self.downsample


PRESETS: dict[str, VQConfig] = {
    # trained by `python -m mmviz.train vq-tiny` on the shapes world: 64 px -> 8 x 8 codes of 256
    "vq-tiny-shapes": VQConfig(),
}


class VectorQuantizer(nn.Module):
    """Nearest-neighbour codebook with EMA updates and dead-code reset.

    Args:
        num_codes: K.
        dim: C.
        decay: EMA decay of the code statistics.
        beta: commitment weight.
    """

    def __init__(self, num_codes: int, dim: int, *, decay: float = 0.99, beta: float = 0.25) -> None:
        super().__init__()
        self.num_codes, self.dim, self.decay, self.beta = num_codes, dim, decay, beta
        self.register_buffer("codebook", torch.randn(num_codes, dim) * 0.1)  # (K, C)
        self.register_buffer("cluster_size", torch.ones(num_codes))  # EMA of how many vectors chose each code
        self.register_buffer("code_sum", self.codebook.clone())  # EMA of the sum of those vectors
        self.register_buffer("initialised", torch.zeros((), dtype=torch.bool))  # codebook set from data yet?
        self.dead_below = 0.5  # a code chosen by fewer vectors per batch than this (EMA) is restarted

    def distances(self, z: torch.Tensor) -> torch.Tensor:
        """(N, C) vectors -> (N, K) squared distances to every code: |z|^2 - 2 z.e + |e|^2."""
        return (z.pow(2).sum(1, keepdim=True) - 2 * z @ self.codebook.t()
                + self.codebook.pow(2).sum(1)[None])

    def lookup(self, codes: torch.Tensor) -> torch.Tensor:
        """(...,) code ids -> (..., C) code vectors."""
        return F.embedding(codes, self.codebook)

    def forward(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, dict]:
        """Quantise a grid of vectors.

        Args:
            z: (B, C, h, w) encoder output.

        Returns:
            z_q: (B, C, h, w) quantised (straight-through: gradients flow to z unchanged).
            codes: (B, h, w) int64 ids.
            info: dict(commit (scalar loss beta * ||z - sg(e)||^2), distance (B, h, w) to the chosen
            code, perplexity (of code use in this batch)).
        """
        B, C, h, w = z.shape
        flat = z.permute(0, 2, 3, 1).reshape(-1, C)  # (N, C), N = B*h*w
        d = self.distances(flat)  # (N, K)
        codes = d.argmin(1)  # (N,) nearest code
        if self.training:
            self._ema_update(flat.detach(), codes)
        e = self.lookup(codes)  # (N, C)
        commit = self.beta * F.mse_loss(flat, e.detach())
        e_st = flat + (e - flat).detach()  # straight-through estimator
        z_q = e_st.view(B, h, w, C).permute(0, 3, 1, 2)
        use = torch.bincount(codes, minlength=self.num_codes).float() / codes.numel()
        perplexity = torch.exp(-(use * (use + 1e-10).log()).sum())
        dist = d.gather(1, codes[:, None]).clamp_min(0).sqrt().view(B, h, w)
        return z_q, codes.view(B, h, w), {"commit": commit, "distance": dist, "perplexity": perplexity}

    @torch.no_grad()
    def _ema_update(self, flat: torch.Tensor, codes: torch.Tensor) -> None:
        if not bool(self.initialised):  # start from K random encoder outputs of the first batch
            picks = flat[torch.randint(0, len(flat), (self.num_codes,), device=flat.device)]
            self.codebook.copy_(picks)
            self.code_sum.copy_(picks)
            self.cluster_size.fill_(1.0)
            self.initialised.fill_(True)
            return
        onehot = F.one_hot(codes, self.num_codes).type(flat.dtype)  # (N, K)
        self.cluster_size.mul_(self.decay).add_(onehot.sum(0), alpha=1 - self.decay)
        self.code_sum.mul_(self.decay).add_(onehot.t() @ flat, alpha=1 - self.decay)
        n = self.cluster_size.sum()
        size = (self.cluster_size + 1e-5) / (n + self.num_codes * 1e-5) * n  # Laplace smoothing
        self.codebook.copy_(self.code_sum / size[:, None])
        dead = self.cluster_size < self.dead_below  # (almost) unused: restart on a random encoder output
        if dead.any():
            picks = flat[torch.randint(0, len(flat), (int(dead.sum()),), device=flat.device)]
            self.codebook[dead] = picks
            self.code_sum[dead] = picks
            self.cluster_size[dead] = 1.0


class ResBlock(nn.Module):
    """x + conv(relu(conv(relu(x)))), channels unchanged."""

    def __init__(self, ch: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.conv2 = nn.Conv2d(ch, ch, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv2(F.relu(self.conv1(F.relu(x))))


class VQVAE(nn.Module):
    """Convolutional encoder, vector quantizer, convolutional decoder.

    Args:
        cfg: a VQConfig.
    """

    def __init__(self, cfg: VQConfig) -> None:
        super().__init__()
        self.cfg = cfg
        steps = cfg.downsample.bit_length() - 1  # stride-2 convolutions
        if 2**steps != cfg.downsample:
            raise ValueError(f"downsample must be a power of 2, got {cfg.downsample}")
        H = cfg.hidden
        enc: list[nn.Module] = [nn.Conv2d(cfg.in_chans, H, 4, stride=2, padding=1)]
        for _ in range(steps - 1):
            enc += [nn.ReLU(), nn.Conv2d(H, H, 4, stride=2, padding=1)]
        enc += [ResBlock(H), ResBlock(H), nn.ReLU(), nn.Conv2d(H, cfg.latent_dim, 1)]
        self.encoder = nn.Sequential(*enc)
        self.quantizer = VectorQuantizer(cfg.codebook_size, cfg.latent_dim, decay=cfg.ema_decay, beta=cfg.beta)
        dec: list[nn.Module] = [nn.Conv2d(cfg.latent_dim, H, 3, padding=1), ResBlock(H), ResBlock(H)]
        for _ in range(steps - 1):
            dec += [nn.ReLU(), nn.ConvTranspose2d(H, H, 4, stride=2, padding=1)]
        dec += [nn.ReLU(), nn.ConvTranspose2d(H, cfg.in_chans, 4, stride=2, padding=1)]
        self.decoder = nn.Sequential(*dec)
        self.class_names: list[str] | None = None

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """(B, 3, S, S) pixels in [0, 1] -> the encoder's input range."""
        return normalize_pixels(images, self.cfg.image_mean, self.cfg.image_std)

    def to_pixels(self, x: torch.Tensor) -> torch.Tensor:
        """The decoder's output (normalised range) -> pixels in [0, 1]."""
        mean = torch.tensor(self.cfg.image_mean, device=x.device)[:, None, None]
        std = torch.tensor(self.cfg.image_std, device=x.device)[:, None, None]
        return (x * std + mean).clamp(0, 1)

    def encode(self, pixels: torch.Tensor) -> tuple[torch.Tensor, dict]:
        """(B, 3, S, S) normalised -> ((B, h, w) code ids, info of the quantizer)."""
        _, codes, info = self.quantizer(self.encoder(pixels))
        return codes, info

    def decode_codes(self, codes: torch.Tensor) -> torch.Tensor:
        """(B, h, w) code ids -> (B, 3, S, S) in the normalised range."""
        z_q = self.quantizer.lookup(codes).permute(0, 3, 1, 2)  # (B, C, h, w)
        return self.decoder(z_q)

    def forward(self, pixels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, dict]:
        """(B, 3, S, S) normalised -> (reconstruction (B, 3, S, S) normalised, codes (B, h, w), info)."""
        z_q, codes, info = self.quantizer(self.encoder(pixels))
        return self.decoder(z_q), codes, info
