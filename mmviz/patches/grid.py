"""Plain ViT patches: image <-> tensor, the patch grid, ``patchify`` and its inverse.

Shapes: ``x: (B, C, H, W)`` images; ``P`` patch side; ``(gh, gw) = (H // P, W // P)`` the patch
grid; ``N = gh * gw`` patches in raster order, each flattened in ``(P, P, C)`` order.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

__all__ = ["image_to_tensor", "fit_image", "uint8_to_tensor", "tensor_to_uint8", "patch_grid", "valid_patch_sizes",
           "patchify", "unpatchify"]


# ---------------------------------------------------------------------------------------------
# Image <-> tensor
# ---------------------------------------------------------------------------------------------
def image_to_tensor(img: Image.Image, size: int) -> torch.Tensor:
    """Resize the shorter side to ``size``, center-crop to ``size x size``, scale to [0, 1].

    This is the standard ViT evaluation rule. An image smaller than ``size`` is upscaled by the
    same rule (bicubic), a non-square image loses the borders of its longer side.

    Args:
        img: a PIL image (any mode; converted to RGB), ``W_in x H_in`` pixels.
        size: side of the square output in pixels.

    Returns:
        ``(1, 3, size, size)`` float32 tensor with values in [0, 1].
    """
    img = img.convert("RGB")
    w, h = img.size
    side = min(w, h)  # the centered square that survives the crop, in input pixels
    left, top = (w - side) / 2, (h - side) / 2
    # One resampling of that square straight to size x size: the same result as resizing the
    # whole image first and cropping after, without building a huge intermediate for thin images.
    img = img.resize((size, size), Image.Resampling.BICUBIC, box=(left, top, left + side, top + side))
    arr = np.asarray(img, dtype=np.float32) / 255.0  # (size, size, 3)
    return torch.from_numpy(arr).permute(2, 0, 1).unsqueeze(0).contiguous()  # (1, 3, size, size)


def fit_image(image, short_side: int, multiple: int, *, max_aspect: float = 2.0) -> np.ndarray:
    """The pixels a model reads, before any normalisation: geometry only.

    Rule (stated so a page can show it): convert to RGB; centre-crop so that the long side is at
    most ``max_aspect`` x the short side; resize (bicubic) so the short side is ``short_side``
    pixels, which also enlarges images smaller than a patch; then centre-crop the long side down
    to a multiple of ``multiple`` (the patch size).

    Args:
        image: PIL.Image or uint8 array (H, W) / (H, W, 3) / (H, W, 4).
        short_side: target short side in pixels.
        multiple: both sides of the result are multiples of this (the patch size P).
        max_aspect: longest allowed long/short side ratio (panoramas are centre-cropped).

    Returns:
        (H', W', 3) uint8, H' and W' multiples of ``multiple``; ``uint8_to_tensor`` turns it into
        a batch and the model's ``normalize`` into its input.
    """
    if not isinstance(image, Image.Image):
        image = Image.fromarray(np.asarray(image))
    image = image.convert("RGB")
    w, h = image.size
    long_max = int(min(w, h) * max_aspect)
    if max(w, h) > long_max:  # centre-crop panoramas / very tall images
        cw, ch = min(w, long_max), min(h, long_max)
        left, top = (w - cw) // 2, (h - ch) // 2
        image = image.crop((left, top, left + cw, top + ch))
        w, h = image.size
    scale = short_side / min(w, h)
    nw, nh = max(short_side, round(w * scale)), max(short_side, round(h * scale))
    image = image.resize((nw, nh), Image.BICUBIC)
    cw, ch = nw - nw % multiple, nh - nh % multiple
    left, top = (nw - cw) // 2, (nh - ch) // 2
    return np.asarray(image.crop((left, top, left + cw, top + ch)), dtype=np.uint8)  # (H', W', 3)


def uint8_to_tensor(pixels: np.ndarray) -> torch.Tensor:
    """(H, W, 3) or (B, H, W, 3) uint8 -> (B, 3, H, W) float32 in [0, 1] (B = 1 for one image)."""
    x = torch.from_numpy(np.array(pixels, dtype=np.uint8, copy=True)).float() / 255.0  # a writable copy
    x = x[None] if x.dim() == 3 else x
    return x.permute(0, 3, 1, 2).contiguous()


def tensor_to_uint8(x: torch.Tensor) -> np.ndarray:
    """Turn an image tensor with values in [0, 1] back into displayable pixels.

    Args:
        x: ``(3, H, W)`` or ``(1, 3, H, W)`` tensor, values in [0, 1].

    Returns:
        ``(H, W, 3)`` uint8 array.
    """
    if x.dim() == 4:
        x = x[0]
    arr = x.detach().float().clamp(0, 1).permute(1, 2, 0).cpu().numpy()  # (H, W, 3)
    return np.round(arr * 255).astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# Plain patches (ViT)
# ---------------------------------------------------------------------------------------------
def patch_grid(H: int, W: int, P: int) -> tuple[int, int]:
    """Number of patch rows and columns of an ``H x W`` image cut into ``P x P`` patches.

    Args:
        H, W: image height and width in pixels.
        P: patch side in pixels.

    Returns:
        ``(gh, gw) = (H // P, W // P)``; the image has ``N = gh * gw`` patches.

    Raises:
        ValueError: if ``P`` is not positive, larger than the image, or does not divide it.
    """
    if P <= 0:
        raise ValueError(f"The patch size must be a positive number of pixels, got {P}.")
    if H < P or W < P:
        raise ValueError(f"A {P}x{P} patch does not fit in a {H}x{W} image.")
    if H % P or W % P:
        raise ValueError(
            f"The image ({H}x{W}) cannot be cut into whole {P}x{P} patches: "
            f"{H} and {W} must both be divisible by {P}."
        )
    return H // P, W // P


def valid_patch_sizes(size: int, candidates=(4, 7, 8, 14, 16, 28, 32, 56, 64)) -> list[int]:
    """Patch sizes from ``candidates`` that cut a ``size x size`` image into at least 2x2 patches.

    Args:
        size: image side in pixels.
        candidates: patch sizes to consider.

    Returns:
        Sorted list of ``P`` with ``size % P == 0`` and ``P <= size // 2``.
    """
    return sorted(p for p in candidates if size % p == 0 and p <= size // 2)


def patchify(x: torch.Tensor, patch_size: int) -> torch.Tensor:
    """Cut images into non-overlapping patches and flatten each patch into one vector.

    Patches are listed in raster order (row by row over the patch grid: patch ``k`` sits at
    grid row ``k // gw``, column ``k % gw``). Each patch is flattened in ``(P, P, C)`` order, as
    in MAE: all channels of its top-left pixel first, then the pixel to its right, ...

    Args:
        x: ``(B, C, H, W)`` images.
        patch_size: patch side ``P`` in pixels; must divide ``H`` and ``W``.

    Returns:
        ``(B, N, P*P*C)`` patches, with ``N = (H // P) * (W // P)``.
    """
    B, C, H, W = x.shape
    P = patch_size
    gh, gw = patch_grid(H, W, P)
    x = x.reshape(B, C, gh, P, gw, P)  # (B, C, gh, P, gw, P)
    x = torch.einsum("nchpwq->nhwpqc", x)  # (B, gh, gw, P, P, C)
    return x.reshape(B, gh * gw, P * P * C)  # (B, N, P*P*C)


def unpatchify(patches: torch.Tensor, patch_size: int, grid: tuple[int, int], channels: int = 3) -> torch.Tensor:
    """Exact inverse of :func:`patchify`: put the flattened patches back into images.

    Args:
        patches: ``(B, N, P*P*C)`` with ``N = gh * gw``, raster order, ``(P, P, C)`` flattening.
        patch_size: patch side ``P``.
        grid: ``(gh, gw)`` patch rows and columns.
        channels: ``C``.

    Returns:
        ``(B, C, gh*P, gw*P)`` images.
    """
    B, N, _ = patches.shape
    P, C = patch_size, channels
    gh, gw = grid
    if N != gh * gw or patches.shape[2] != P * P * C:
        raise ValueError(f"patches of shape {tuple(patches.shape)} do not match grid {grid}, P={P}, C={C}")
    x = patches.reshape(B, gh, gw, P, P, C)  # (B, gh, gw, P, P, C)
    x = torch.einsum("nhwpqc->nchpwq", x)  # (B, C, gh, P, gw, P)
    return x.reshape(B, C, gh * P, gw * P)  # (B, C, H, W)
