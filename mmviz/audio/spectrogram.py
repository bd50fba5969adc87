"""Waveform -> STFT power -> mel filterbank -> log-mel (dB) -> spectrogram patches.

librosa-style, keyword-only parameters, shapes in numpydoc. The STFT and the mel filters come
from librosa; only the patching (a plain ``unfold``) and the counting are written here.
"""

from __future__ import annotations

from typing import Callable

import librosa
import numpy as np
import torch
import torch.nn.functional as F

__all__ = [
    "WINDOWS", "stft_power", "resolution", "mel_filterbank", "log_mel", "frames_for",
    "spectrogram_patch_grid", "spectrogram_patches", "token_count",
]

#: STFT windows the lesson offers (names understood by ``scipy.signal.get_window``).
WINDOWS = ("hann", "hamming", "blackman", "boxcar")


def stft_power(
    y: np.ndarray,
    *,
    n_fft: int = 400,
    hop_length: int = 160,
    window: str = "hann",
    center: bool = True,
) -> np.ndarray:
    """Power spectrogram ``|STFT|^2`` (librosa.stft, zero-padded centred frames).

    Parameters
    ----------
    y : np.ndarray, shape=(T,)
        mono waveform.
    n_fft : int
        window length = FFT length, in samples.
    hop_length : int
        step between frames, in samples.
    window : str
        window name, e.g. "hann", "hamming", "blackman", "boxcar" (rectangular).
    center : bool
        pad ``n_fft // 2`` samples each side so frame ``t`` is centred on sample ``t * hop_length``.

    Returns
    -------
    P : np.ndarray, shape=(1 + n_fft // 2, n_frames), float32
        ``n_frames = 1 + T // hop_length`` when centred.
    """
    D = librosa.stft(y, n_fft=n_fft, hop_length=hop_length, window=window, center=center)  # complex
    return (np.abs(D) ** 2).astype(np.float32)


def resolution(*, sr: int, n_fft: int, hop_length: int, window: str = "hann") -> dict:
    """The time / frequency resolution of an STFT, in numbers.

    A window of ``n_fft`` samples lasts ``n_fft / sr`` seconds and its FFT has bins
    ``sr / n_fft`` Hz apart: their product is always 1, so finer frequency means coarser time.
    The window's equivalent noise bandwidth (ENBW, in bins) says how wide one bin really
    listens: ``n_fft * sum(w^2) / sum(w)^2`` (1 for rectangular, 1.5 for Hann).

    Returns
    -------
    dict with window_ms, hop_ms, bin_hz, n_bins, enbw_bins, enbw_hz, overlap (fraction of a
    window shared by neighbouring frames), frames_per_s, and time_x_freq (window s x bin Hz = 1).
    """
    w = librosa.filters.get_window(window, n_fft, fftbins=True).astype(np.float64)  # (n_fft,)
    enbw = n_fft * float(np.sum(w**2)) / float(np.sum(w)) ** 2
    window_s, bin_hz = n_fft / sr, sr / n_fft
    return {
        "window_ms": 1000 * window_s,
        "hop_ms": 1000 * hop_length / sr,
        "bin_hz": bin_hz,
        "n_bins": 1 + n_fft // 2,
        "enbw_bins": enbw,
        "enbw_hz": enbw * bin_hz,
        "overlap": max(0.0, 1 - hop_length / n_fft),
        "frames_per_s": sr / hop_length,
        "time_x_freq": window_s * bin_hz,
    }


def mel_filterbank(
    *, sr: int, n_fft: int = 400, n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None
) -> np.ndarray:
    """Triangular mel filters (librosa.filters.mel: Slaney mel scale, area-normalised).

    Parameters
    ----------
    sr, n_fft : int
        sample rate and FFT length; the filters act on the ``1 + n_fft // 2`` STFT bins.
    n_mels : int
        number of triangles (mel bands).
    fmin, fmax : float
        lowest and highest edge in Hz (``fmax=None`` means sr / 2).

    Returns
    -------
    M : np.ndarray, shape=(n_mels, 1 + n_fft // 2), float32
        ``mel = M @ P`` turns a power spectrogram ``P`` into mel bands.
    """
    return librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)


def log_mel(
    y: np.ndarray,
    *,
    sr: int,
    n_fft: int = 400,
    hop_length: int = 160,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    window: str = "hann",
    ref: float | Callable = np.max,
    top_db: float | None = 80.0,
) -> np.ndarray:
    """Log-mel spectrogram in decibels: ``power_to_db(M @ |STFT(y)|^2)``.

    Equals ``librosa.power_to_db(librosa.feature.melspectrogram(...), ref=ref, top_db=top_db)``.

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
    window : str
        STFT window.
    ref, top_db :
        0 dB reference (``np.max``: the loudest cell) and the floor below it (None: no floor).

    Returns
    -------
    S_db : np.ndarray, shape=(n_mels, n_frames), float32
        with ``n_frames = 1 + T // hop_length`` (centred frames).
    """
    P = stft_power(y, n_fft=n_fft, hop_length=hop_length, window=window)  # (1 + n_fft//2, n_frames)
    M = mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)  # (n_mels, 1 + n_fft//2)
    return librosa.power_to_db(M @ P, ref=ref, top_db=top_db).astype(np.float32)  # (n_mels, n_frames)


def frames_for(n_samples: int, *, hop_length: int, n_fft: int, center: bool = True) -> int:
    """Number of STFT frames for a clip of ``n_samples`` samples.

    Centred (librosa): ``1 + n_samples // hop_length``. Not centred (Kaldi, the AST front end):
    ``1 + (n_samples - n_fft) // hop_length``, 0 when the clip is shorter than one window.
    """
    if center:
        return 1 + n_samples // hop_length
    return 0 if n_samples < n_fft else 1 + (n_samples - n_fft) // hop_length


def spectrogram_patch_grid(n_mels: int, n_frames: int, *, patch: int = 16, stride: int = 10) -> tuple[int, int]:
    """Number of patches along frequency and time: ``(n - patch) // stride + 1`` each.

    Example: 128 mel bins x 1024 frames with 16x16 patches at stride 10 -> (12, 101).
    """
    if n_mels < patch or n_frames < patch:
        raise ValueError(
            f"the spectrogram ({n_mels} x {n_frames}) is smaller than one {patch}x{patch} patch"
        )
    if stride < 1:
        raise ValueError(f"stride must be at least 1, got {stride}")
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
        one flattened patch per row, patch ``k`` at grid cell ``(k // T, k % T)``, covering mel
        bins ``f*stride : f*stride + patch`` and frames ``t*stride : t*stride + patch``.
    grid : (F, T)
        the patch grid, as given by :func:`spectrogram_patch_grid`.
    """
    grid = spectrogram_patch_grid(*S.shape, patch=patch, stride=stride)
    x = torch.from_numpy(np.ascontiguousarray(S, dtype=np.float32))[None, None]  # (1, 1, n_mels, n_frames)
    cols = F.unfold(x, kernel_size=patch, stride=stride)  # (1, patch*patch, F*T)
    return cols[0].T.numpy(), grid


def token_count(n_mels: int, n_frames: int, *, patch: int = 16, stride: int = 10, prefix_tokens: int = 2) -> dict:
    """Tokens and attention cost of one spectrogram.

    ``N = F * T`` patches with ``F = (n_mels - patch) // stride + 1`` and
    ``T = (n_frames - patch) // stride + 1``; the transformer reads ``N + prefix_tokens`` tokens
    (AST: [CLS] and a distillation token), and each head of each layer fills an attention
    matrix of ``(N + prefix)^2`` weights.

    Returns
    -------
    dict(grid=(F, T), patches=N, tokens=N + prefix_tokens, attention=(N + prefix_tokens) ** 2)
    """
    nf, nt = spectrogram_patch_grid(n_mels, n_frames, patch=patch, stride=stride)
    n = nf * nt
    return {"grid": (nf, nt), "patches": n, "tokens": n + prefix_tokens, "attention": (n + prefix_tokens) ** 2}
