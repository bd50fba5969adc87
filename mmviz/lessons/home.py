"""The one idea of the app: text, images and audio all become a token matrix ``(N, D)``."""

from __future__ import annotations

import unicodedata

import numpy as np
import torch
from PIL import Image

from mmviz.audio import log_mel, spectrogram_patches
from mmviz.patches import image_to_tensor, patchify

TEXT_EXAMPLE = "Attention mixes tokens."


def _table(rows: int, dim: int, seed: int, *, fan_in: bool = True) -> torch.Tensor:
    """A seeded, untrained (rows, dim) table: a projection (scaled by 1/sqrt(rows)) or, with ``fan_in=False``,
    an embedding table (scaled by 1/sqrt(dim))."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(rows, dim, generator=g) / (rows if fan_in else dim) ** 0.5


def _char_name(ch: str) -> str:
    """A character as it can be shown in one cell: a space as ␣, a control character as its code."""
    if ch == " ":
        return "␣"
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or not ch.isprintable():
        return f"U+{ord(ch):04X}"
    return ch


def text_bytes(text: str) -> dict:
    """The UTF-8 bytes of a text, each with the character it belongs to.

    A character takes 1 (ASCII) to 4 bytes ("한" is ED 95 9C); a byte-level tokenizer reads the bytes,
    so a multi-byte character becomes several tokens, none of which is a character on its own.

    Returns:
        {"ids": (N,) int64 byte values (a lone space for an empty text), "hex": N "ED"-style strings,
        "char": (N,) index of each byte's character, "nth": (N,) position of the byte in it (0-based),
        "width": (N,) bytes of that character, "chars": the characters as shown ("␣" for a space),
        "codepoints": "U+D55C" per character}.
    """
    text = text or " "
    ids, char, nth, width = [], [], [], []
    for i, ch in enumerate(text):
        b = ch.encode("utf-8", "surrogatepass")
        for k, v in enumerate(b):
            ids.append(v)
            char.append(i)
            nth.append(k)
            width.append(len(b))
    return {"ids": np.array(ids, dtype=np.int64), "hex": [f"{v:02X}" for v in ids], "char": np.array(char),
            "nth": np.array(nth), "width": np.array(width), "chars": [_char_name(c) for c in text],
            "codepoints": [f"U+{ord(c):04X}" for c in text]}


@torch.no_grad()
def text_tokens(text: str, *, dim: int = 64, seed: int = 0) -> dict:
    """Text -> (N, dim): UTF-8 bytes are the tokens (a vocabulary of 256), looked up in a seeded embedding
    table (256, dim). Returns {"tokens", "bytes" (:func:`text_bytes`)}."""
    tb = text_bytes(text)
    table = _table(256, dim, seed, fan_in=False)  # (256, D)
    tokens = table[torch.from_numpy(tb["ids"])]  # (N_text, D)
    return {"tokens": tokens.numpy(), "bytes": tb}


@torch.no_grad()
def image_tokens(image: Image.Image, *, dim: int = 64, image_size: int = 224, patch: int = 16, seed: int = 0) -> dict:
    """Image -> (N, dim): ``patch x patch`` patches of the image resized to ``image_size`` (N, P*P*3), times a
    seeded projection (P*P*3, dim). Returns {"view" (S, S, 3) uint8, "grid" (gh, gw, P), "tokens"}."""
    x = image_to_tensor(image, image_size)  # (1, 3, S, S)
    img_patches = patchify(x, patch)[0]  # (N_img, P*P*3)
    w_img = _table(img_patches.shape[1], dim, seed + 1)
    tokens = img_patches @ w_img  # (N_img, D)
    gh = image_size // patch
    return {"view": (x[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8), "grid": (gh, gh, patch),
            "tokens": tokens.numpy()}


@torch.no_grad()
def audio_tokens(y: np.ndarray, sr: int, *, dim: int = 64, seed: int = 0) -> dict:
    """Audio -> (N, dim): 16x16 patches (stride 16) of the 128-bin log-mel spectrogram (N, 256), times a
    seeded projection (256, dim). Returns {"view" (128, n_frames) dB, "grid" (F, T, 16), "tokens"}."""
    S = log_mel(y, sr=sr, n_mels=128)  # (128, n_frames)
    if S.shape[1] < 16:  # a clip shorter than one patch: pad with silence (the floor, -80 dB)
        S = np.pad(S, ((0, 0), (0, 16 - S.shape[1])), constant_values=S.min())
    aud_patches, aud_grid = spectrogram_patches(S, patch=16, stride=16)  # (N_aud, 256)
    aud_patches = torch.from_numpy((aud_patches + 40.0) / 40.0)  # dB around [-80, 0] -> ~[-1, 1]
    tokens = aud_patches @ _table(aud_patches.shape[1], dim, seed + 2)  # (N_aud, D)
    return {"view": S, "grid": (*aud_grid, 16), "tokens": tokens.numpy()}


def modality_tokens(text: str, image: Image.Image, y: np.ndarray, sr: int, *, dim: int = 64, image_size: int = 224,
                    patch: int = 16, seed: int = 0) -> dict[str, dict]:
    """Tokenize one text, one image and one clip into ``(N, dim)`` matrices (:func:`text_tokens`,
    :func:`image_tokens`, :func:`audio_tokens`). The tables are seeded and untrained: this is about shapes.

    Returns:
        ``{"Text" | "Image" | "Audio": {"tokens": np.ndarray (N, dim), ...}}``.
    """
    return {"Text": text_tokens(text, dim=dim, seed=seed),
            "Image": image_tokens(image, dim=dim, image_size=image_size, patch=patch, seed=seed),
            "Audio": audio_tokens(y, sr, dim=dim, seed=seed)}
