"""The Audio Spectrogram Transformer's front end: Kaldi-compatible log-mel filterbank features.

AST checkpoints (MIT/ast-finetuned-audioset-*) were trained on ``torchaudio.compliance.kaldi.fbank``
features: 25 ms frames every 10 ms (no centring), per-frame DC removal, pre-emphasis 0.97, a
symmetric Hann window, a 512-point FFT, triangles that are straight in Kaldi's mel scale
(``1127 ln(1 + f / 700)``) from 20 Hz to sr / 2, natural log. The features are padded with zeros
(or cut) to ``max_length`` frames and normalised as ``(x - mean) / (2 * std)`` with the AudioSet
statistics. This matches ``transformers``' ASTFeatureExtractor (its numpy path).

Only what librosa cannot do with Kaldi's conventions is written by hand: the per-frame DC removal
and pre-emphasis, and the mel-space triangles. Framing is ``librosa.util.frame``.
"""

from __future__ import annotations

import librosa
import numpy as np

__all__ = ["KALDI", "kaldi_mel_filterbank", "kaldi_num_frames", "kaldi_fbank", "ast_features"]

#: The AST front end's constants (16 kHz audio).
KALDI = dict(
    sr=16000, frame_length=400, hop_length=160, n_fft=512, preemphasis=0.97, fmin=20.0,
    mel_floor=1.192092955078125e-07,  # float32 epsilon: log never sees 0
    audioset_mean=-4.2677393, audioset_std=4.5689974,
)


def _kaldi_mel(f: np.ndarray) -> np.ndarray:
    """Kaldi's mel scale: 1127 ln(1 + f / 700)."""
    return 1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def kaldi_mel_filterbank(
    *, sr: int = 16000, n_fft: int = 512, n_mels: int = 128, fmin: float = 20.0, fmax: float | None = None
) -> np.ndarray:
    """Kaldi's mel filterbank: triangles straight in mel space, peak 1, not area-normalised.

    Parameters
    ----------
    sr, n_fft : int
        sample rate and FFT length; the filters act on ``1 + n_fft // 2`` bins ``sr / n_fft`` Hz apart.
    n_mels : int
        number of triangles.
    fmin, fmax : float
        edges in Hz (``fmax=None`` means sr / 2).

    Returns
    -------
    M : np.ndarray, shape=(n_mels, 1 + n_fft // 2), float64
    """
    fmax = sr / 2 if fmax is None else fmax
    edges = np.linspace(_kaldi_mel(fmin), _kaldi_mel(fmax), n_mels + 2)  # (n_mels + 2,) in mel
    bins = _kaldi_mel(np.arange(1 + n_fft // 2) * sr / n_fft)  # (n_bins,) bin frequencies, in mel
    left, centre, right = edges[:-2, None], edges[1:-1, None], edges[2:, None]  # (n_mels, 1)
    up = (bins - left) / (centre - left)  # (n_mels, n_bins) rising side
    down = (right - bins) / (right - centre)  # falling side
    return np.maximum(0.0, np.minimum(up, down))


def kaldi_num_frames(n_samples: int, *, frame_length: int = 400, hop_length: int = 160) -> int:
    """Frames Kaldi makes from ``n_samples``: ``1 + (n_samples - 400) // 160`` (no centring), >= 0."""
    return 0 if n_samples < frame_length else 1 + (n_samples - frame_length) // hop_length


def kaldi_fbank(y: np.ndarray, *, sr: int = 16000, n_mels: int = 128) -> np.ndarray:
    """Kaldi-compatible log-mel filterbank energies (the AST front end, before padding).

    Parameters
    ----------
    y : np.ndarray, shape=(T,)
        mono waveform at ``sr`` (values as decoded, about [-1, 1]).
    sr : int
        sample rate in Hz (AST checkpoints: 16000).
    n_mels : int
        mel bins (AST: 128).

    Returns
    -------
    fbank : np.ndarray, shape=(n_frames, n_mels), float32
        natural-log mel energies, ``n_frames = kaldi_num_frames(T)`` (0 rows for a clip under 25 ms).
    """
    k = KALDI
    L, hop, n_fft, pre = k["frame_length"], k["hop_length"], k["n_fft"], k["preemphasis"]
    if len(y) < L:
        return np.zeros((0, n_mels), np.float32)
    frames = librosa.util.frame(np.asarray(y, dtype=np.float64), frame_length=L, hop_length=hop, axis=0)
    frames = frames - frames.mean(axis=1, keepdims=True)  # (n_frames, L) DC offset removed per frame
    frames = np.concatenate(  # pre-emphasis inside each frame: x[n] - 0.97 x[n-1], x[0] (1 - 0.97)
        [frames[:, :1] * (1 - pre), frames[:, 1:] - pre * frames[:, :-1]], axis=1
    )
    frames = frames * np.hanning(L)  # symmetric Hann, Kaldi's "hanning"
    power = np.abs(np.fft.rfft(frames, n=n_fft, axis=1)) ** 2  # (n_frames, 1 + n_fft//2)
    M = kaldi_mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=k["fmin"])  # (n_mels, n_bins)
    return np.log(np.maximum(power @ M.T, k["mel_floor"])).astype(np.float32)  # (n_frames, n_mels)


def ast_features(
    y: np.ndarray,
    *,
    sr: int = 16000,
    n_mels: int = 128,
    max_length: int = 1024,
    mean: float = KALDI["audioset_mean"],
    std: float = KALDI["audioset_std"],
) -> np.ndarray:
    """The AST model input: Kaldi fbank, zero-padded or cut to ``max_length`` frames, normalised.

    Parameters
    ----------
    y : np.ndarray, shape=(T,)
        mono waveform at ``sr``.
    sr, n_mels : int
        sample rate and mel bins.
    max_length : int
        frames the model reads (AST AudioSet: 1024 = 10.24 s); longer clips are cut, shorter
        ones padded with zeros before normalisation (as ASTFeatureExtractor does).
    mean, std : float
        normalisation statistics of the training data (AudioSet by default).

    Returns
    -------
    x : np.ndarray, shape=(max_length, n_mels), float32
        ``(fbank - mean) / (2 * std)``, time first (the layout of ``input_values``).
    """
    fb = kaldi_fbank(y, sr=sr, n_mels=n_mels)[:max_length]  # (n <= max_length, n_mels)
    x = np.zeros((max_length, n_mels), np.float32)
    x[: len(fb)] = fb
    return ((x - mean) / (2 * std)).astype(np.float32)
