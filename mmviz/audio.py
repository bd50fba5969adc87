"""Audio as tokens: waveform -> mel power -> log-mel (dB) -> spectrogram patches (AST style).

librosa-style, keyword-only parameters. STFT and mel filters come from librosa; only the
patching (a plain ``unfold``) is written here.
"""

from __future__ import annotations

import librosa
import numpy as np
import torch
import torch.nn.functional as F


def log_mel(
    y: np.ndarray,
    *,
    sr: int,
    n_fft: int = 400,
    hop_length: int = 160,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    top_db: float | None = 80.0,
) -> np.ndarray:
    """Log-mel spectrogram in decibels.

    Equals ``librosa.power_to_db(librosa.feature.melspectrogram(...), ref=np.max)``.

    Parameters
    ----------
    y : np.ndarray, shape=(T,)
        mono waveform.
    sr : int
        sample rate in Hz.
    n_fft, hop_length : int
        STFT window length and hop, in samples (400 and 160 are 25 ms and 10 ms at 16 kHz).
    n_mels, fmin, fmax :
        number of mel bands and their frequency range in Hz (``fmax=None`` means sr / 2).

    Returns
    -------
    S_db : np.ndarray, shape=(n_mels, n_frames), float32
        with ``n_frames = 1 + T // hop_length`` (centred frames).
    """
    S = librosa.feature.melspectrogram(
        y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, n_mels=n_mels, fmin=fmin, fmax=fmax,
        power=2.0,
    )  # (n_mels, n_frames)
    return librosa.power_to_db(S, ref=np.max, top_db=top_db).astype(np.float32)


def spectrogram_patch_grid(n_mels: int, n_frames: int, *, patch: int = 16, stride: int = 10) -> tuple[int, int]:
    """Number of patches along frequency and time: ``(n_mels - patch) // stride + 1`` each.

    Example: 128 mel bins x 998 frames with 16x16 patches at stride 10 -> (12, 99).
    """
    if n_mels < patch or n_frames < patch:
        raise ValueError(
            f"the spectrogram ({n_mels} x {n_frames}) is smaller than one {patch}x{patch} patch"
        )
    return (n_mels - patch) // stride + 1, (n_frames - patch) // stride + 1


def spectrogram_patches(S: np.ndarray, *, patch: int = 16, stride: int = 10) -> tuple[np.ndarray, tuple[int, int]]:
    """Cut a spectrogram into (possibly overlapping) square patches, frequency-major order.

    Parameters
    ----------
    S : np.ndarray, shape=(n_mels, n_frames)
    patch, stride : int
        patch side and step in bins/frames; ``stride < patch`` means overlapping patches.

    Returns
    -------
    patches : np.ndarray, shape=(F * T, patch * patch)
        one flattened patch per row, patch ``k`` at grid cell ``(k // T, k % T)``.
    grid : (F, T)
        the patch grid, as given by :func:`spectrogram_patch_grid`.
    """
    grid = spectrogram_patch_grid(*S.shape, patch=patch, stride=stride)
    x = torch.from_numpy(np.ascontiguousarray(S, dtype=np.float32))[None, None]  # (1, 1, F, T)
    cols = F.unfold(x, kernel_size=patch, stride=stride)  # (1, patch*patch, F'*T')
    return cols[0].T.numpy(), grid
