"""The one idea of the app: text, images and audio all become a token matrix ``(N, D)``."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from mmviz.audio import log_mel, spectrogram_patches
from mmviz.patches import image_to_tensor, patchify

TEXT_EXAMPLE = "Attention mixes tokens."


@torch.no_grad()
def modality_tokens(
    text: str,
    image: Image.Image,
    y: np.ndarray,
    sr: int,
    *,
    dim: int = 64,
    image_size: int = 224,
    patch: int = 16,
    seed: int = 0,
) -> dict[str, dict]:
    """Tokenize one text, one image and one clip into ``(N, dim)`` matrices.

    Text: UTF-8 bytes are the tokens (byte-level, a vocabulary of 256), looked up in an
    embedding table ``(256, dim)``. Image: ``patch x patch`` patches of the image resized to
    ``image_size`` ``(N, patch*patch*3)``, times a projection ``(patch*patch*3, dim)``.
    Audio: 16x16 patches (stride 16) of the 128-bin log-mel spectrogram ``(N, 256)``, times a
    projection ``(256, dim)``. The tables are seeded and untrained: this is about shapes.

    Returns:
        ``{"Text" | "Image" | "Audio": {"view": np.ndarray, "grid": tuple | None,
        "labels": list[str] | None, "tokens": np.ndarray (N, dim), "how": str}}``.
    """
    g = torch.Generator().manual_seed(seed)

    ids = torch.tensor(list(text.encode("utf-8")) or [32])  # (N_text,)
    table = torch.randn(256, dim, generator=g) / dim**0.5  # (256, D)
    text_tokens = table[ids]  # (N_text, D)

    x = image_to_tensor(image, image_size)  # (1, 3, S, S)
    img_patches = patchify(x, patch)[0]  # (N_img, P*P*3)
    w_img = torch.randn(img_patches.shape[1], dim, generator=g) / img_patches.shape[1] ** 0.5
    img_tokens = img_patches @ w_img  # (N_img, D)

    S = log_mel(y, sr=sr, n_mels=128)  # (128, n_frames)
    if S.shape[1] < 16:  # a clip shorter than one patch: pad with silence (the floor, -80 dB)
        S = np.pad(S, ((0, 0), (0, 16 - S.shape[1])), constant_values=S.min())
    aud_patches, aud_grid = spectrogram_patches(S, patch=16, stride=16)  # (N_aud, 256)
    aud_patches = torch.from_numpy((aud_patches + 40.0) / 40.0)  # dB around [-80, 0] -> ~[-1, 1]
    w_aud = torch.randn(aud_patches.shape[1], dim, generator=g) / aud_patches.shape[1] ** 0.5
    aud_tokens = aud_patches @ w_aud  # (N_aud, D)

    gh = image_size // patch
    return {
        "Text": {
            "view": ids.numpy(), "grid": None,
            "labels": [bytes([b]).decode("utf-8", "replace") for b in ids.tolist()],
            "tokens": text_tokens.numpy(),
            "how": f"{ids.numel()} UTF-8 bytes -> {ids.numel()} tokens",
        },
        "Image": {
            "view": (x[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8),
            "grid": (gh, gh, patch), "labels": None,
            "tokens": img_tokens.numpy(),
            "how": f"{image_size}x{image_size} image / {patch}x{patch} patches = "
                   f"{gh}x{gh} = {img_tokens.shape[0]} tokens",
        },
        "Audio": {
            "view": S, "grid": (*aud_grid, 16), "labels": None,
            "tokens": aud_tokens.numpy(),
            "how": f"log-mel {S.shape[0]} bins x {S.shape[1]} frames / 16x16 patches = "
                   f"{aud_grid[0]}x{aud_grid[1]} = {aud_tokens.shape[0]} tokens",
        },
    }
