"""A small convolutional classifier: the judge that names what a generated image shows.

Not a transformer, on purpose: it checks the image-token generators with a different kind of
model from the ones being judged. Four 3x3 convolution stages (conv-BN-ReLU, max-pool between
them), global average pooling, a linear head.

Shapes: B batch, 3 x S x S pixels, C channels.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from mmviz.models.layers import HALF, normalize_pixels

__all__ = ["ConvNetConfig", "PRESETS", "ConvNet"]


@dataclass(frozen=True)
class ConvNetConfig:
    """Attributes: image_size S, channels of the stages, num_classes, pixel normalisation."""

    image_size: int = 64
    channels: tuple[int, ...] = (16, 32, 64, 64)
    num_classes: int = 6
    image_mean: tuple[float, float, float] = HALF
    image_std: tuple[float, float, float] = HALF


PRESETS: dict[str, ConvNetConfig] = {
    # trained by `python -m mmviz.train kind-judge`: the kind of one shape on a calm background (6 classes)
    "cnn-kind-judge": ConvNetConfig(),
}


class ConvNet(nn.Module):
    """conv-BN-ReLU per stage, max-pool between stages, global average pool, linear head.

    Args:
        cfg: a ConvNetConfig.
    """

    def __init__(self, cfg: ConvNetConfig) -> None:
        super().__init__()
        self.cfg = cfg
        layers: list[nn.Module] = []
        cin = 3
        for i, c in enumerate(cfg.channels):
            layers += [nn.Conv2d(cin, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU()]
            if i < len(cfg.channels) - 1:
                layers.append(nn.MaxPool2d(2))
            cin = c
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(cin, cfg.num_classes)
        self.class_names: list[str] | None = None

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """(B, 3, S, S) pixels in [0, 1] -> the network's input range."""
        return normalize_pixels(images, self.cfg.image_mean, self.cfg.image_std)

    def classify(self, pixels: torch.Tensor) -> torch.Tensor:
        """(B, 3, S, S) normalised -> (B, num_classes) logits."""
        return self.head(self.features(pixels).mean((2, 3)))
