"""Patch tokenization: how an image becomes a sequence of tokens.

A transformer reads sequences of vectors ``(N, D)``. This package shows three ways to turn an
image ``(B, C, H, W)`` into such a sequence:

1. **Plain patches** (ViT): cut the image into non-overlapping ``P x P`` patches, flatten each
   one (``patchify``) and project it linearly to ``D`` (``linear_patch_embed``). The same thing
   is a convolution with kernel ``P`` and stride ``P`` (``mmviz.models.layers.PatchEmbed``).
2. **CNN feature map** (hybrid ViT): run a convolutional stem that shrinks the image 16 times
   (``HybridStem``) and read every position of its feature map as one token.
3. **Overlapping convolutional embedding** (CvT stage 1): a convolution with kernel 7,
   stride 4, padding 2 followed by LayerNorm (``ConvTokenEmbed``); neighbouring tokens see
   overlapping pixels.

Every weight here is either set by hand (``HybridStem``) or a seeded random initialisation
(the lesson's ``PatchEmbed``, ``ConvTokenEmbed``): nothing is trained. The lesson is about shapes and token
counts; trained projections appear in the attention lesson.

One concept per file:

- ``grid``: image <-> tensor, ``patch_grid``, ``patchify`` / ``unpatchify``.
- ``embed``: linear / convolutional patch embedding and the ``[CLS]`` token.
- ``conv_tokens``: convolution arithmetic, ``HybridStem``, ``ConvTokenEmbed``.
"""

from __future__ import annotations

from mmviz.patches import conv_tokens, embed, grid  # the submodules, for __all__
from mmviz.patches.conv_tokens import (
    ConvTokenEmbed,
    HybridStem,
    conv_out_size,
    receptive_field,
    seeded_conv_token_embed,
)
from mmviz.patches.embed import (
    conv_weight_to_linear,
    linear_patch_embed,
    prepend_cls,
    seeded_cls_token,
)
from mmviz.patches.grid import (
    fit_image,
    image_to_tensor,
    patch_grid,
    patchify,
    tensor_to_uint8,
    uint8_to_tensor,
    unpatchify,
    valid_patch_sizes,
)

__all__: list[str] = []  # every public name of the submodules, in reading order
__all__ += grid.__all__
__all__ += embed.__all__
__all__ += conv_tokens.__all__
