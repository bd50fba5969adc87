"""Vision Transformer (ViT, Dosovitskiy et al. 2021) that returns its attention maps.

Reads top to bottom: image -> patches -> tokens (+[CLS], + positions) -> pre-norm blocks
-> final LayerNorm -> optional linear head on [CLS]. Parameter names follow timm
(`patch_embed.proj`, `cls_token`, `pos_embed`, `blocks.i.attn.qkv`, `norm`, `head`).

Shapes: B batch, C channels, H x W pixels, P patch side, gh x gw = (H/P) x (W/P) patch grid,
N = gh * gw patches, D width, h heads.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from mmviz import pos_embed
from mmviz.models.layers import HALF, IMAGENET_MEAN, IMAGENET_STD, Block, PatchEmbed, init_weights, normalize_pixels

__all__ = ["ViTConfig", "PRESETS", "ViT", "interpolate_pos_embed", "cls_apart_mask", "HALF", "IMAGENET_MEAN",
           "IMAGENET_STD"]


@dataclass(frozen=True)
class ViTConfig:
    """ViT hyper-parameters (hashable, so it can key caches).

    Attributes:
        image_size: training resolution (square); positions are learned for this grid.
        patch_size: patch side P in pixels.
        in_chans: input channels C.
        dim: token width D.
        depth: number of transformer blocks.
        num_heads: attention heads h per block.
        mlp_ratio: MLP hidden width = mlp_ratio * D.
        qkv_bias: bias in the fused qkv projection.
        layer_norm_eps: LayerNorm epsilon (1e-6 timm/DINO, 1e-12 google ViT in HF).
        num_classes: size of the classification head; 0 = no head (feature extractor).
        pool: which token feeds the head; only "cls".
        image_mean: per-channel mean used to normalise pixels in [0, 1].
        image_std: per-channel std used to normalise pixels in [0, 1].
        cls_from_layer: first block (0-based) in which [CLS] and the patches see each other.
            0 is the standard ViT. With k > 0, blocks before k keep [CLS] apart (it attends only
            to itself, no patch attends to it), so everything [CLS] learns about the image it
            reads in blocks k.. -- the "class attention" idea of CaiT (Touvron et al. 2021).
        hidden_act: MLP non-linearity, "gelu" (exact erf) or "quick_gelu" (x * sigmoid(1.702 x),
            OpenAI CLIP).
        pre_norm: a LayerNorm on the embedded tokens before block 0 (CLIP's `pre_layrnorm`).
        patch_bias: whether the patch-embedding conv has a bias (CLIP's has none).
    """

    image_size: int = 224
    patch_size: int = 16
    in_chans: int = 3
    dim: int = 768
    depth: int = 12
    num_heads: int = 12
    mlp_ratio: float = 4.0
    qkv_bias: bool = True
    layer_norm_eps: float = 1e-6
    num_classes: int = 0
    pool: str = "cls"
    image_mean: tuple[float, float, float] = HALF
    image_std: tuple[float, float, float] = HALF
    cls_from_layer: int = 0
    hidden_act: str = "gelu"
    pre_norm: bool = False
    patch_bias: bool = True

    @property
    def grid_size(self) -> int:
        """Patches per side at image_size."""
        return self.image_size // self.patch_size

    @property
    def num_patches(self) -> int:
        """N = (image_size / patch_size) ** 2."""
        return self.grid_size**2


PRESETS: dict[str, ViTConfig] = {
    # trained by mmviz.train on mmviz.data.shapes: names the colour of the shape (embedded, offline)
    "vit-tiny-shapes": ViTConfig(
        image_size=64, patch_size=8, dim=128, depth=4, num_heads=4, mlp_ratio=3.0,
        num_classes=9, image_mean=HALF, image_std=HALF,
    ),
    # facebook/dino-vits16 (ViT-S/16, self-supervised, no head)
    "dino-vits16": ViTConfig(
        image_size=224, patch_size=16, dim=384, depth=12, num_heads=6, layer_norm_eps=1e-6,
        num_classes=0, image_mean=IMAGENET_MEAN, image_std=IMAGENET_STD,
    ),
    # google/vit-base-patch16-224 (ViT-B/16, ImageNet-21k -> 1k classifier)
    "vit-base-patch16-224": ViTConfig(
        image_size=224, patch_size=16, dim=768, depth=12, num_heads=12, layer_norm_eps=1e-12,
        num_classes=1000, image_mean=HALF, image_std=HALF,
    ),
}


def interpolate_pos_embed(pos_patch: torch.Tensor, new_grid: tuple[int, int]) -> torch.Tensor:
    """Resize a square grid of learned patch positions to another grid (bicubic, as DINO / HF).

    Args:
        pos_patch: (1, g*g, D) positions of the patches (no [CLS]).
        new_grid: (gh, gw) target grid.

    Returns:
        (1, gh*gw, D) positions, unchanged if the grid is already (g, g).
    """
    g = int(round(pos_patch.shape[1] ** 0.5))
    if (g, g) == tuple(new_grid):
        return pos_patch
    return pos_embed.interpolate_pos_embed(pos_patch, (g, g), tuple(new_grid))  # (1, gh*gw, D)


def cls_apart_mask(T: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """(T, T) bool, True = may attend: [CLS] (token 0) attends only to itself, patches only to patches."""
    m = torch.ones(T, T, dtype=torch.bool, device=device)
    m[0, 1:] = False  # [CLS] does not read the patches
    m[1:, 0] = False  # the patches do not read [CLS]
    return m


class ViT(nn.Module):
    """ViT encoder with an optional classification head on [CLS].

    Args:
        cfg: a ViTConfig (see PRESETS).
    """

    def __init__(self, cfg: ViTConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.patch_embed = PatchEmbed(cfg.patch_size, cfg.in_chans, cfg.dim, bias=cfg.patch_bias)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + cfg.num_patches, cfg.dim))
        self.norm_pre = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps) if cfg.pre_norm else None
        self.blocks = nn.ModuleList([Block.from_config(cfg) for _ in range(cfg.depth)])
        self.norm = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        self.head = nn.Linear(cfg.dim, cfg.num_classes) if cfg.num_classes > 0 else None
        self.class_names: list[str] | None = None  # set by the loaders (mmviz.weights, mmviz.hf)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Truncated-normal(0.02) init as in timm / HF (call after torch.manual_seed)."""
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        init_weights(self)

    def grid(self, height: int, width: int) -> tuple[int, int]:
        """Patch grid (gh, gw) for an input of height x width pixels (the remainder is cropped)."""
        return self.patch_embed.grid(height, width)

    def embed(self, pixels: torch.Tensor) -> torch.Tensor:
        """Pixels to the token sequence that enters block 0.

        Args:
            pixels: (B, C, H, W) normalised; H and W at least one patch (the remainder is cropped).

        Returns:
            (B, 1 + N, D): [CLS] then N = gh*gw patch tokens, positions added.
        """
        B, C, H, W = pixels.shape
        gh, gw = self.grid(H, W)  # raises for an image smaller than one patch
        x = self.patch_embed(pixels)  # (B, N, D)
        cls = self.cls_token.expand(B, -1, -1)  # (B, 1, D)
        x = torch.cat([cls, x], dim=1)  # (B, 1+N, D)
        pos = torch.cat(
            [self.pos_embed[:, :1], interpolate_pos_embed(self.pos_embed[:, 1:], (gh, gw))], dim=1
        )  # (1, 1+N, D)
        return x + pos

    def forward(
        self, pixels: torch.Tensor, *, return_attn: bool = False
    ) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """Encode an image batch.

        Args:
            pixels: (B, C, H, W) normalised with cfg.image_mean / image_std; any size with
                H, W >= P (positions are interpolated for grids other than the training one).
            return_attn: also return every block's post-softmax attention.

        Returns:
            tokens: (B, 1 + N, D) final LayerNorm'ed tokens, [CLS] first.
            attentions: list of depth tensors (B, h, 1 + N, 1 + N), or None.
        """
        x = self.embed(pixels)  # (B, T, D), T = 1 + N
        if self.norm_pre is not None:
            x = self.norm_pre(x)
        apart = cls_apart_mask(x.shape[1], x.device) if self.cfg.cls_from_layer else None  # (T, T)
        attentions: list[torch.Tensor] = []
        for i, block in enumerate(self.blocks):
            x, attn = block(x, return_attn=return_attn, attn_mask=apart if i < self.cfg.cls_from_layer else None)
            if return_attn:
                attentions.append(attn)  # (B, h, T, T)
        x = self.norm(x)
        return x, (attentions if return_attn else None)

    def classify(self, pixels: torch.Tensor) -> torch.Tensor:
        """Class logits from the [CLS] token.

        Args:
            pixels: (B, C, H, W) normalised.

        Returns:
            (B, num_classes) logits.
        """
        if self.head is None:
            raise ValueError("this ViT has no classification head (num_classes=0)")
        tokens, _ = self(pixels)
        return self.head(tokens[:, 0])  # (B, num_classes)

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """Map pixels in [0, 1] to the model's input range.

        Args:
            images: (B, C, H, W) float in [0, 1].

        Returns:
            (B, C, H, W) (images - mean) / std.
        """
        return normalize_pixels(images, self.cfg.image_mean, self.cfg.image_std)
