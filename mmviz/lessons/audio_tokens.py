"""Everything the "Audio tokens" lesson computes, as plain numpy-out functions (no streamlit).

The page caches these calls (keyed by the clip's hash and the control values) and draws the
results with mmviz.figures.audio_tokens. Models come from the registry (``mmviz.weights``, through
the page's model picker). The teaching functions the page shows (``mmviz.audio``) and the AST are
re-exported here, so the page reaches everything behind it through its lesson.
"""

from __future__ import annotations

import math
import warnings

import librosa
import numpy as np
import torch

from mmviz import i18n
from mmviz.audio.kaldi import ast_features, kaldi_fbank, kaldi_num_frames
from mmviz.audio.spectrogram import (
    WINDOWS,
    frames_for,
    log_mel,
    mel_filterbank,
    resolution,
    spectrogram_patches,
    stft_power,
    token_count,
)
from mmviz.models.ast import AST, prepare_features

__all__ = [
    "MAX_SECONDS", "INTRO", "SETTINGS", "prepare_clip", "waveform_envelope", "wav_bytes", "pool_max", "stft_lesson", "stft_view",
    "mel_lesson", "log_mel_lesson", "patch_lesson", "token_curve", "ast_lesson",
    # the teaching functions the page shows and calls, and the model
    "WINDOWS", "stft_power", "resolution", "mel_filterbank", "log_mel", "spectrogram_patches", "token_count",
    "kaldi_fbank", "ast_features", "AST", "prepare_features",
]

MAX_SECONDS = 10.0  # the lesson reads at most this much of a clip (AST AudioSet reads 10.24 s)
#: the page's opening paragraph (English; the page reads ``audio_tokens.intro`` in its language)
INTRO = i18n.text("audio_tokens.intro")
#: the page's front-end controls (n_fft, hop, window, mel bands, f_min, f_max, patch, stride) and their first values
SETTINGS = {"au_nfft": 400, "au_hop": 160, "au_window": "hann", "au_nmels": 128, "au_fmin": 0, "au_fmax": 8000,
            "au_patch": 16, "au_stride": 10}


def prepare_clip(y: np.ndarray, sr: int, *, max_seconds: float = MAX_SECONDS, target_sr: int = 16000) -> dict:
    """The clip the lesson works on: mono float32 at ``target_sr``, cut to ``max_seconds``.

    Returns:
        dict(y (T,) float32, sr, seconds, original_seconds, cut: bool, note: a sentence or None).
    """
    y = np.asarray(y, dtype=np.float32).reshape(-1)
    if sr != target_sr:
        y = librosa.resample(y, orig_sr=sr, target_sr=target_sr, res_type="soxr_hq").astype(np.float32)
    original = len(y) / target_sr
    n = int(round(max_seconds * target_sr))
    cut = len(y) > n
    y = y[:n]
    note = i18n.text("audio_tokens.clip_cut", "en", original=original, max=max_seconds) if cut else None
    return {"y": np.ascontiguousarray(y), "sr": target_sr, "seconds": len(y) / target_sr,
            "original_seconds": original, "cut": cut, "note": note}


def wav_bytes(y: np.ndarray, sr: int) -> bytes:
    """The clip as 16-bit WAV bytes, for an audio player."""
    import io

    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, np.clip(y, -1, 1), sr, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def waveform_envelope(y: np.ndarray, sr: int, *, max_points: int = 1500) -> dict:
    """Min / max of the waveform in ``max_points`` time buckets (enough to draw it faithfully).

    Returns:
        dict(t (K,) bucket start in s, lo (K,), hi (K,), peak, rms).
    """
    n = len(y)
    k = max(1, math.ceil(n / max_points))
    m = math.ceil(n / k) * k
    pad = np.pad(y, (0, m - n), mode="edge") if m > n else y
    blocks = pad.reshape(-1, k)  # (K, k)
    return {"t": np.arange(len(blocks)) * k / sr, "lo": blocks.min(1), "hi": blocks.max(1),
            "peak": float(np.abs(y).max()) if n else 0.0, "rms": float(np.sqrt(np.mean(y**2))) if n else 0.0}


def pool_max(S: np.ndarray, max_rows: int, max_cols: int) -> tuple[np.ndarray, int, int]:
    """Max-pool a (rows, cols) array in blocks so it has at most max_rows x max_cols cells.

    Returns:
        (pooled (ceil(rows/fr), ceil(cols/fc)), fr, fc): the block sizes (1 = untouched).
    """
    R, C = S.shape
    fr, fc = max(1, math.ceil(R / max_rows)), max(1, math.ceil(C / max_cols))
    if fr == fc == 1:
        return S, 1, 1
    Rp, Cp = math.ceil(R / fr) * fr, math.ceil(C / fc) * fc
    P = np.pad(S, ((0, Rp - R), (0, Cp - C)), mode="edge")
    return P.reshape(Rp // fr, fr, Cp // fc, fc).max(axis=(1, 3)), fr, fc


def stft_lesson(y: np.ndarray, sr: int, *, n_fft: int, hop_length: int, window: str) -> dict:
    """The STFT of the clip in dB (0 dB = its loudest cell, floor -80 dB), and its resolution.

    Returns:
        dict(db (1 + n_fft//2, n_frames) float32, bin_hz, hop_s, resolution (see
        mmviz.audio.resolution), shape).
    """
    P = stft_power(y, n_fft=n_fft, hop_length=hop_length, window=window)  # (bins, frames)
    db = librosa.power_to_db(P, ref=np.max, top_db=80.0).astype(np.float32)
    return {"db": db, "bin_hz": sr / n_fft, "hop_s": hop_length / sr, "shape": db.shape,
            "resolution": resolution(sr=sr, n_fft=n_fft, hop_length=hop_length, window=window)}


def stft_view(L: dict, t0: float, t1: float, *, max_rows: int = 300, max_cols: int = 480) -> dict:
    """The part of an stft_lesson between t0 and t1 seconds, max-pooled for drawing.

    Returns:
        dict(z (rows, cols) dB, freqs (rows,) Hz of each row's first bin, times (cols,) s,
        pool (fr, fc) bins x frames per cell, frames (first, last) shown).
    """
    db = L["db"]
    a = int(np.clip(round(t0 / L["hop_s"]), 0, db.shape[1] - 1))
    b = int(np.clip(round(t1 / L["hop_s"]) + 1, a + 1, db.shape[1]))
    z, fr, fc = pool_max(db[:, a:b], max_rows, max_cols)
    return {"z": z, "freqs": np.arange(z.shape[0]) * fr * L["bin_hz"],
            "times": (a + np.arange(z.shape[1]) * fc) * L["hop_s"], "pool": (fr, fc), "frames": (a, b - 1)}


def mel_lesson(*, sr: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> dict:
    """The mel filterbank as the lesson draws it.

    Returns:
        dict(M (n_mels, 1 + n_fft//2) float32, bin_hz, centres (n_mels,) Hz, empty: indices of
        filters that catch no FFT bin (n_fft too small for n_mels), widths (n_mels,) Hz).
    """
    with warnings.catch_warnings():  # librosa warns about empty filters; we report them instead
        warnings.simplefilter("ignore")
        M = mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)
    edges = librosa.mel_frequencies(n_mels=n_mels + 2, fmin=fmin, fmax=fmax)  # (n_mels + 2,) Hz
    return {"M": M, "bin_hz": sr / n_fft, "centres": edges[1:-1], "widths": edges[2:] - edges[:-2],
            "empty": np.flatnonzero(M.max(axis=1) == 0)}


def log_mel_lesson(y: np.ndarray, sr: int, *, n_fft: int, hop_length: int, window: str, n_mels: int,
                   fmin: float, fmax: float) -> np.ndarray:
    """The lesson's log-mel spectrogram: mmviz.audio.log_mel (0 dB = loudest cell, floor -80 dB).

    Returns:
        S: (n_mels, n_frames) float32 dB.
    """
    with warnings.catch_warnings():  # empty mel filters are reported by mel_lesson
        warnings.simplefilter("ignore")
        return log_mel(y, sr=sr, n_fft=n_fft, hop_length=hop_length, n_mels=n_mels, fmin=fmin, fmax=fmax,
                       window=window)


def patch_lesson(S: np.ndarray, *, patch: int, stride: int) -> dict:
    """Cut a log-mel spectrogram into patches, with the counts the page states.

    Clips shorter than one patch are padded on the right with the -80 dB floor (and say so).

    Args:
        S: (n_mels, n_frames) dB.

    Returns:
        dict(S (n_mels, max(n_frames, patch)) dB, n_frames (before padding), padded: frames added,
        patches (N, patch*patch), grid (F, Tp), counts (see mmviz.audio.token_count)).
    """
    n_mels, n_frames = S.shape
    padded = max(0, patch - n_frames)
    if padded:
        S = np.pad(S, ((0, 0), (0, padded)), constant_values=-80.0)
    if n_mels < patch:
        raise ValueError(f"{n_mels} mel bands are fewer than the {patch}-bin patch height; "
                         "use more mel bands or a smaller patch")
    patches, grid = spectrogram_patches(S, patch=patch, stride=stride)
    return {"S": S, "n_frames": n_frames, "padded": padded, "patches": patches, "grid": grid,
            "counts": token_count(n_mels, S.shape[1], patch=patch, stride=stride)}


def token_curve(*, sr: int, hop_length: int, n_fft: int, n_mels: int, patch: int, stride: int,
                heads: int = 12, layers: int = 12, seconds: np.ndarray | None = None) -> dict:
    """Tokens and attention cost against clip duration, from the same grid formula as the clip.

    Returns:
        dict(seconds (K,), frames (K,), patches (K,), tokens (K,) with 2 prefix tokens,
        attention (K,) weights per head and layer = tokens^2, memory_mb (K,) float32 attention
        of all ``heads`` x ``layers``).
    """
    seconds = np.arange(0.5, 30.01, 0.5) if seconds is None else np.asarray(seconds, float)
    frames, patches = [], []
    for s in seconds:
        f = max(patch, frames_for(int(round(s * sr)), hop_length=hop_length, n_fft=n_fft))
        frames.append(f)
        patches.append(token_count(n_mels, f, patch=patch, stride=stride)["patches"])
    tokens = np.array(patches) + 2
    return {"seconds": seconds, "frames": np.array(frames), "patches": np.array(patches), "tokens": tokens,
            "attention": tokens.astype(np.int64) ** 2, "memory_mb": tokens.astype(float) ** 2 * heads * layers * 4 / 2**20}


# --------------------------------------------------------------------------- the model


@torch.no_grad()
def ast_lesson(model: AST, y: np.ndarray, *, device: str | torch.device = "cpu", top_k: int = 5) -> dict:
    """Run an AST once on a clip and keep what the page draws.

    Only the [CLS] and distillation rows of each attention matrix are kept, layer by layer, so
    the pretrained model's 12 x 12 x 1214 x 1214 weights never sit in memory at once.

    Args:
        model: an AST in eval mode.
        y: (T,) waveform at model.cfg.sampling_rate.
        device: where the model lives.
        top_k: predictions to return.

    Returns:
        dict(features (M, T) float32 model input with mel bins as rows, n_valid frames holding
        audio (the rest is padding), cls (L, h, F, Tp) [CLS] -> patch attention, cls_prefix (L, h, 2)
        [CLS] -> [CLS] / distillation, patch_share (L, h) share of [CLS]'s attention on the patches,
        cls_max (L, h) the largest [CLS] -> patch weight, grid (F, Tp), numbers, top [(label, prob)],
        multi_label).
    """
    cfg = model.cfg
    x = prepare_features(y, cfg).to(device)  # (1, T, M)
    h = model.embed(x)  # (1, 2+N, D)
    rows = []
    for block in model.blocks:
        h, attn = block(h, return_attn=True)  # attn (1, heads, 2+N, 2+N)
        rows.append(attn[0, :, 0].float().cpu())  # (heads, 2+N): the [CLS] query row
        del attn
    tokens = model.norm(h)
    A = torch.stack(rows).numpy()  # (L, heads, 2+N)
    F_, Tp = cfg.grid
    top = []
    if model.head is not None:
        logits = model.logits(tokens)[0].float().cpu()
        probs = torch.sigmoid(logits) if cfg.multi_label else logits.softmax(-1)
        names = model.class_names or [f"class {i}" for i in range(cfg.num_classes)]
        p, idx = probs.topk(min(top_k, cfg.num_classes))
        top = [(names[i], float(v)) for v, i in zip(p.tolist(), idx.tolist())]
    return {
        "features": x[0].T.cpu().numpy(), "n_valid": min(kaldi_num_frames(len(y)), cfg.max_length),
        "cls": A[:, :, 2:].reshape(cfg.depth, cfg.num_heads, F_, Tp), "cls_prefix": A[:, :, :2],
        "patch_share": 1 - A[:, :, :2].sum(-1), "cls_max": A[:, :, 2:].max(-1),
        "grid": (F_, Tp), "top": top, "multi_label": cfg.multi_label,
        "numbers": {"N": F_ * Tp, "T": 2 + F_ * Tp, "D": cfg.dim, "heads": cfg.num_heads, "depth": cfg.depth,
                    "mel": cfg.num_mel_bins, "frames": cfg.max_length, "patch": cfg.patch_size,
                    "fstride": cfg.frequency_stride, "tstride": cfg.time_stride, "seconds": cfg.seconds},
    }


# --------------------------------------------------------------------------- the page's sentences, from the numbers
def tradeoff_sentence(R: dict, window: str, lang: str = "en") -> str:
    """The time-frequency trade-off of an STFT, in numbers (R: :func:`resolution`), in ``lang``."""
    return i18n.text("audio_tokens.tradeoff", lang, window_ms=R["window_ms"], bin_hz=R["bin_hz"],
                     txf=R["time_x_freq"], half=R["bin_hz"] / 2, double=2 * R["window_ms"], window=window,
                     enbw_bins=R["enbw_bins"], enbw_hz=R["enbw_hz"])


def count_sentence(N: int, grid: tuple[int, int], seconds: float, lang: str = "en") -> str:
    """This clip's patch count and attention size next to the AST checkpoint's (128 bands, 1024 frames)."""
    ex = token_count(128, 1024, patch=16, stride=10)
    return i18n.text("audio_tokens.count", lang, seconds=seconds, N=N, F=grid[0], T=grid[1], tokens=N + 2,
                     weights=(N + 2) ** 2, eF=ex["grid"][0], eT=ex["grid"][1], e_patches=ex["patches"],
                     e_tokens=ex["tokens"], e_weights=ex["attention"])


def ast_sentence(A: dict, seconds: float, lang: str = "en") -> str:
    """What the AST reads of this clip (A: :func:`ast_lesson`), in ``lang``."""
    n = A["numbers"]
    heard = i18n.text("audio_tokens.ast_hears" if seconds > n["seconds"] else "audio_tokens.ast_padded", lang,
                      model=n["seconds"], seconds=seconds)
    return i18n.text("audio_tokens.ast", lang, mel=n["mel"], frames=n["frames"], heard=heard, patch=n["patch"],
                     stride=n["fstride"], F=A["grid"][0], T=A["grid"][1], N=n["N"], tokens=n["T"], D=n["D"],
                     heads=n["heads"], depth=n["depth"])
