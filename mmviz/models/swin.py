"""Swin Transformer (Liu et al., 2021) that returns the attention of every window of every block.

Reads top to bottom: pixels -> 4x4 patches (conv + LayerNorm) -> stages; a stage is pairs of
blocks (W-MSA, then SW-MSA) followed by patch merging (grid / 2, channels x 2) -> final
LayerNorm -> mean over tokens -> optional linear head. Every window operation is a plain
function of mmviz.windows. Behaviour matches Hugging Face's SwinModel (pixels and feature grids
are zero-padded at the bottom/right to multiples of the patch and window; a stage whose grid is
no larger than the window uses no shift).

Shapes: B batch, H x W pixels, P patch side, (gh, gw) patch grid of a stage, C its channels,
M window side, nW windows per image, h heads, N = M*M tokens per window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import torch
import torch.nn as nn

from mmviz import windows
from mmviz.models.layers import HALF, IMAGENET_MEAN, IMAGENET_STD, MLP, PatchEmbed, WindowAttention, init_weights, \
    normalize_pixels

__all__ = ["SwinConfig", "PRESETS", "SwinBlock", "PatchMerging", "SwinStage", "SwinOutput", "Swin"]


@dataclass(frozen=True)
class SwinConfig:
    """Swin hyper-parameters (hashable, so it can key caches).

    Attributes:
        image_size: training resolution (square).
        patch_size: patch side P in pixels.
        in_chans: input channels.
        embed_dim: channels C of stage 0; stage i has embed_dim * 2**i.
        depths: blocks per stage (even: W-MSA / SW-MSA pairs).
        num_heads: heads per stage.
        window_size: window side M in patches; the shift of odd blocks is M // 2.
        mlp_ratio: MLP hidden width = mlp_ratio * C.
        qkv_bias: bias in the fused qkv projection.
        layer_norm_eps: epsilon of the block and final LayerNorms.
        num_classes: size of the classification head; 0 = no head.
        image_mean, image_std: per-channel normalisation of pixels in [0, 1].
    """

    image_size: int = 224
    patch_size: int = 4
    in_chans: int = 3
    embed_dim: int = 96
    depths: tuple[int, ...] = (2, 2, 6, 2)
    num_heads: tuple[int, ...] = (3, 6, 12, 24)
    window_size: int = 7
    mlp_ratio: float = 4.0
    qkv_bias: bool = True
    layer_norm_eps: float = 1e-5
    num_classes: int = 0
    image_mean: tuple[float, float, float] = IMAGENET_MEAN
    image_std: tuple[float, float, float] = IMAGENET_STD

    @property
    def dims(self) -> tuple[int, ...]:
        """Channels of every stage."""
        return tuple(self.embed_dim * 2**i for i in range(len(self.depths)))

    @property
    def num_features(self) -> int:
        """Channels of the final tokens (last stage)."""
        return self.dims[-1]


PRESETS: dict[str, SwinConfig] = {
    # trained by `python -m mmviz.train swin-tiny` on mmviz.data.shapes (embedded, offline);
    # 64 px -> 16x16 patches of 4 px -> stages 16x16x32, 8x8x64, 4x4x128, windows of 4x4
    "swin-tiny-shapes": SwinConfig(
        image_size=64, patch_size=4, embed_dim=32, depths=(2, 2, 2), num_heads=(2, 4, 8), window_size=4,
        mlp_ratio=4.0, num_classes=9, image_mean=HALF, image_std=HALF,
    ),
    # microsoft/swin-tiny-patch4-window7-224 (Swin-T, ImageNet-1k classifier)
    "swin-tiny-patch4-window7-224": SwinConfig(
        image_size=224, patch_size=4, embed_dim=96, depths=(2, 2, 6, 2), num_heads=(3, 6, 12, 24), window_size=7,
        num_classes=1000, image_mean=IMAGENET_MEAN, image_std=IMAGENET_STD,
    ),
}


@lru_cache(maxsize=64)
def _mask(H: int, W: int, M: int, s: int) -> torch.Tensor:
    """Cached :func:`windows.shifted_window_mask`, always built on the CPU (also inside a ``torch.device``
    context such as "meta"); (nW, N, N)."""
    with torch.device("cpu"):
        return windows.shifted_window_mask(H, W, M, s)


class SwinBlock(nn.Module):
    """x + WindowAttention(LN(x)) on (shifted) windows, then x + MLP(LN(x)).

    Args:
        dim: channels C.
        num_heads: h.
        window_size: M.
        shift_size: s (0 for W-MSA, M // 2 for SW-MSA).
        mlp_ratio: MLP width factor.
        qkv_bias: bias in qkv.
        eps: LayerNorm epsilon.
    """

    def __init__(self, dim: int, num_heads: int, window_size: int, shift_size: int, mlp_ratio: float = 4.0,
                 qkv_bias: bool = True, eps: float = 1e-5) -> None:
        super().__init__()
        self.window_size, self.shift_size = window_size, shift_size
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = WindowAttention(dim, num_heads, window_size, qkv_bias=qkv_bias)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = MLP(dim, int(dim * mlp_ratio))

    def shift_for(self, grid: tuple[int, int]) -> int:
        """The shift actually used on this grid: 0 when the grid is no larger than one window."""
        return 0 if min(grid) <= self.window_size else self.shift_size

    def forward(
        self, x: torch.Tensor, grid: tuple[int, int], *, return_attn: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """x: (B, gh*gw, C) row-major on the grid (gh, gw) -> ((B, gh*gw, C), (B*nW, h, N, N) or None)."""
        B, L, C = x.shape
        gh, gw = grid
        M, s = self.window_size, self.shift_for(grid)
        y = self.norm1(x).view(B, gh, gw, C)
        y, _ = windows.pad_to_multiple(y, M)  # (B, Hp, Wp, C)
        Hp, Wp = y.shape[1], y.shape[2]
        y = windows.cyclic_shift(y, s)  # (B, Hp, Wp, C), identity when s = 0
        wins = windows.window_partition(y, M).reshape(-1, M * M, C)  # (B*nW, N, C)
        mask = _mask(Hp, Wp, M, s).to(x.device) if s else None  # (nW, N, N)
        y, attn = self.attn(wins, return_attn=return_attn, attn_mask=mask)  # (B*nW, N, C)
        y = windows.window_reverse(y.view(-1, M, M, C), M, Hp, Wp)  # (B, Hp, Wp, C)
        y = windows.reverse_cyclic_shift(y, s)[:, :gh, :gw].reshape(B, L, C)  # drop the padding
        x = x + y
        x = x + self.mlp(self.norm2(x))
        return x, attn


class PatchMerging(nn.Module):
    """2 x 2 neighbours -> 4C -> LayerNorm -> Linear(4C, 2C, no bias); see windows.patch_merging."""

    def __init__(self, dim: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(4 * dim, eps=eps)
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)

    def forward(self, x: torch.Tensor, grid: tuple[int, int]) -> tuple[torch.Tensor, tuple[int, int]]:
        """x: (B, gh*gw, C) -> ((B, ceil(gh/2)*ceil(gw/2), 2C), new grid)."""
        B, _, C = x.shape
        y = windows.patch_merging(x.view(B, grid[0], grid[1], C), self.reduction.weight, self.norm.weight,
                              self.norm.bias, self.norm.eps)  # (B, gh/2, gw/2, 2C)
        return y.reshape(B, -1, 2 * C), (y.shape[1], y.shape[2])


class SwinStage(nn.Module):
    """depth blocks alternating W-MSA (even) and SW-MSA (odd), then optional patch merging."""

    def __init__(self, cfg: SwinConfig, i: int) -> None:
        super().__init__()
        dim, M = cfg.dims[i], cfg.window_size
        self.blocks = nn.ModuleList([
            SwinBlock(dim, cfg.num_heads[i], M, 0 if j % 2 == 0 else M // 2, cfg.mlp_ratio, cfg.qkv_bias,
                      cfg.layer_norm_eps) for j in range(cfg.depths[i])])
        self.downsample = PatchMerging(dim) if i < len(cfg.depths) - 1 else None


@dataclass
class SwinOutput:
    """Everything one forward pass produced.

    Attributes:
        tokens: (B, N_last, C_last) final LayerNorm'ed tokens.
        attentions: one (B * nW, h, M*M, M*M) post-softmax tensor per block (stage 0 block 0 first),
            windows image-major then row-major on the padded (and, for SW-MSA, rolled) grid; empty
            unless return_attn.
        stage_maps: per stage, its output BEFORE patch merging, (B, gh, gw, C).
        blocks: per block a dict(stage, block, grid (gh, gw), padded (Hp, Wp), window M, shift s,
            windows nW, heads h).
    """

    tokens: torch.Tensor
    attentions: list[torch.Tensor] = field(default_factory=list)
    stage_maps: list[torch.Tensor] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)


class Swin(nn.Module):
    """Swin encoder with an optional classification head on the mean token.

    Args:
        cfg: a SwinConfig (see PRESETS).
    """

    def __init__(self, cfg: SwinConfig) -> None:
        super().__init__()
        if len(cfg.depths) != len(cfg.num_heads):
            raise ValueError("depths and num_heads need one entry per stage")
        self.cfg = cfg
        self.patch_embed = PatchEmbed(cfg.patch_size, cfg.in_chans, cfg.embed_dim, norm=True, remainder="pad")
        self.stages = nn.ModuleList([SwinStage(cfg, i) for i in range(len(cfg.depths))])
        self.norm = nn.LayerNorm(cfg.num_features, eps=cfg.layer_norm_eps)
        self.head = nn.Linear(cfg.num_features, cfg.num_classes) if cfg.num_classes > 0 else None
        self.class_names: list[str] | None = None  # set by the loaders
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Truncated-normal(0.02) init of Linear/Conv weights and bias tables (call after manual_seed)."""
        for name, p in self.named_parameters():
            if name.endswith("relative_position_bias_table"):
                nn.init.trunc_normal_(p, std=0.02)
        init_weights(self)

    def forward_features(self, pixels: torch.Tensor, *, return_attn: bool = False) -> SwinOutput:
        """Run the encoder and keep what a lesson needs (see SwinOutput).

        Args:
            pixels: (B, 3, H, W) normalised; any H, W >= 1 (padded to multiples of P, then of M).
            return_attn: also return every block's window attention.
        """
        grid = self.patch_embed.grid(*pixels.shape[-2:])  # (gh, gw), the image zero-padded to whole patches
        x = self.patch_embed(pixels)  # (B, gh*gw, C)
        out = SwinOutput(tokens=x)
        for i, stage in enumerate(self.stages):
            for j, block in enumerate(stage.blocks):
                x, attn = block(x, grid, return_attn=return_attn)
                M = block.window_size
                Hp, Wp = -(-grid[0] // M) * M, -(-grid[1] // M) * M
                out.blocks.append(dict(stage=i, block=j, grid=grid, padded=(Hp, Wp), window=M,
                                       shift=block.shift_for(grid), windows=(Hp // M) * (Wp // M),
                                       heads=block.attn.num_heads))
                if return_attn:
                    out.attentions.append(attn)  # (B*nW, h, N, N)
            out.stage_maps.append(x.view(x.shape[0], grid[0], grid[1], -1))  # (B, gh, gw, C)
            if stage.downsample is not None:
                x, grid = stage.downsample(x, grid)  # (B, gh/2 * gw/2, 2C)
        out.tokens = self.norm(x)
        return out

    def forward(
        self, pixels: torch.Tensor, *, return_attn: bool = False
    ) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """Encode an image batch.

        Args:
            pixels: (B, 3, H, W) normalised with cfg.image_mean / image_std.
            return_attn: also return every block's post-softmax window attention.

        Returns:
            tokens: (B, N_last, C_last) final LayerNorm'ed tokens of the last stage.
            attentions: one (B * nW, h, M*M, M*M) tensor per block (sum(depths) in all), or None.
        """
        out = self.forward_features(pixels, return_attn=return_attn)
        return out.tokens, (out.attentions if return_attn else None)

    def pool(self, tokens: torch.Tensor) -> torch.Tensor:
        """(B, N, C) -> (B, C): the mean token (Swin has no [CLS])."""
        return tokens.mean(dim=1)

    def classify(self, pixels: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) normalised -> (B, num_classes) logits from the mean token."""
        if self.head is None:
            raise ValueError("this Swin has no classification head (num_classes=0)")
        tokens, _ = self(pixels)
        return self.head(self.pool(tokens))

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) in [0, 1] -> (images - mean) / std."""
        return normalize_pixels(images, self.cfg.image_mean, self.cfg.image_std)

    def grid(self, height: int, width: int) -> tuple[int, int]:
        """Patch grid (gh, gw) of stage 0 for an input of height x width pixels (padded up)."""
        return self.patch_embed.grid(height, width)
