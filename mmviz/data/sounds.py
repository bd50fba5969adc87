"""Procedural sounds for the embedded tiny AST: eight kinds you can see in a spectrogram.

Every clip is 16 kHz mono, 2-3 s long, with one sound event (random onset and length, soft
fades, random loudness) over a faint noise floor, and optionally a background noise of another
colour at 12-30 dB below the event. What tells the kinds apart is drawn from the picture the
model sees: one horizontal line (tone), several (chord), a slanted one (chirp), a flat / falling
/ steeply falling noise floor (white / pink / brown noise), vertical lines (clicks), a line that
pulses (tremolo).

Everything is numpy, seeded by ``np.random.Generator``; a clip costs a millisecond or two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SR", "SOUND_KINDS", "SoundWorld", "coloured_noise", "make_sound", "make_clip", "make_batch"]

SR = 16000

SOUND_KINDS: tuple[str, ...] = (
    "tone", "chord", "chirp", "white noise", "pink noise", "brown noise", "clicks", "tremolo",
)

_CHORDS = {"major": (0, 4, 7), "minor": (0, 3, 7), "major 7th": (0, 4, 7, 11), "sus4": (0, 5, 7)}
_NOISE = {"white noise": 0.0, "pink noise": 1.0, "brown noise": 2.0}  # power ~ 1 / f^alpha


@dataclass(frozen=True)
class SoundWorld:
    """How clips are drawn.

    Attributes:
        sr: sample rate in Hz.
        seconds: (min, max) clip length in seconds.
        event: (min, max) share of the clip the sound event fills.
        peak: (min, max) peak amplitude of the event.
        background_p: probability of a background noise under the event.
        snr_db: (min, max) event-to-background ratio in dB.
        floor: RMS of the always-present white noise floor (a quiet microphone).
    """

    sr: int = SR
    seconds: tuple[float, float] = (2.0, 3.0)
    event: tuple[float, float] = (0.5, 1.0)
    peak: tuple[float, float] = (0.05, 0.9)
    background_p: float = 0.5
    snr_db: tuple[float, float] = (12.0, 30.0)
    floor: float = 1e-4


def _loguniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def coloured_noise(n: int, alpha: float, rng: np.random.Generator, sr: int = SR) -> np.ndarray:
    """Gaussian noise whose power falls as ``1 / f^alpha`` (0 white, 1 pink, 2 brown), unit RMS.

    Args:
        n: samples.
        alpha: spectral slope; each octave up loses ``3 * alpha`` dB.
        rng: random generator.
        sr: sample rate (sets the 20 Hz corner below which the slope stops).

    Returns:
        (n,) float64.
    """
    spec = np.fft.rfft(rng.standard_normal(n))  # (n//2 + 1,) complex, flat
    f = np.maximum(np.fft.rfftfreq(n, 1 / sr), 20.0)  # no infinite bass
    y = np.fft.irfft(spec / f ** (alpha / 2), n)  # amplitude ~ f^(-alpha/2)
    return y / (np.sqrt(np.mean(y**2)) + 1e-12)


def _envelope(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Fade in / out (5-80 ms raised-cosine ramps) so events do not start with a click. (n,)"""
    env = np.ones(n)
    for side in (0, 1):
        k = min(n // 2, int(sr * rng.uniform(0.005, 0.08)))
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, k))
        if side == 0:
            env[:k] *= ramp
        else:
            env[n - k:] *= ramp[::-1]
    return env


def make_sound(kind: str, n: int, rng: np.random.Generator, sr: int = SR) -> tuple[np.ndarray, dict]:
    """One sound event of a kind, peak amplitude 1.

    Args:
        kind: one of SOUND_KINDS.
        n: samples.
        rng: random generator.
        sr: sample rate in Hz.

    Returns:
        (y (n,) float64, params dict describing what was drawn).
    """
    t = np.arange(n) / sr
    phase = rng.uniform(0, 2 * np.pi)
    if kind == "tone":
        f = _loguniform(rng, 150, 3000)
        y, p = np.sin(2 * np.pi * f * t + phase), {"freq": f}
    elif kind == "chord":
        name = str(rng.choice(list(_CHORDS)))
        root = _loguniform(rng, 200, 1000)  # notes far enough apart for 64 mel bands
        freqs = [root * 2 ** (s / 12) for s in _CHORDS[name]]
        y = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) for f in freqs)
        p = {"chord": name, "freqs": freqs}
    elif kind == "chirp":
        f0 = _loguniform(rng, 150, 4000)
        octaves = rng.uniform(1.0, 3.5) * rng.choice([-1, 1])
        f1 = float(np.clip(f0 * 2**octaves, 100, 7000))
        T = n / sr
        inst = f0 * (f1 / f0) ** (t / T)  # exponential sweep: a straight line on a mel axis
        y, p = np.sin(2 * np.pi * np.cumsum(inst) / sr + phase), {"f0": f0, "f1": f1}
    elif kind in _NOISE:
        y, p = coloured_noise(n, _NOISE[kind], rng, sr), {"alpha": _NOISE[kind]}
    elif kind == "clicks":
        rate = rng.uniform(2.0, 12.0)
        times = np.arange(rng.uniform(0, 1 / rate), n / sr, 1 / rate)
        times = times + rng.normal(0, 0.1 / rate, len(times))  # a little jitter
        y = np.zeros(n)
        L = int(sr * 0.004)
        burst = rng.standard_normal(L) * np.exp(-np.arange(L) / (L / 5))  # 4 ms decaying noise burst
        for s in (times * sr).astype(int):
            if 0 <= s < n - L:
                y[s:s + L] += burst
        p = {"rate": rate}
    elif kind == "tremolo":
        f, fm, depth = _loguniform(rng, 150, 3000), rng.uniform(4.0, 10.0), rng.uniform(0.9, 1.0)
        y = np.sin(2 * np.pi * f * t + phase) * (1 - depth * (0.5 + 0.5 * np.cos(2 * np.pi * fm * t)))
        p = {"freq": f, "mod_hz": fm, "depth": depth}
    else:
        raise ValueError(f"unknown sound kind {kind!r}; choose from {SOUND_KINDS}")
    return y / (np.abs(y).max() + 1e-12), {"kind": kind, **p}


def make_clip(rng: np.random.Generator, world: SoundWorld = SoundWorld(), kind: str | None = None
              ) -> tuple[np.ndarray, int, dict]:
    """One training clip: a random (or the given) kind of event in a 2-3 s clip.

    Returns:
        (y (T,) float32 in [-1, 1], label index into SOUND_KINDS, params with kind, onset_s,
        event_s, peak, background (None or its colour) and snr_db).
    """
    label = int(rng.integers(len(SOUND_KINDS))) if kind is None else SOUND_KINDS.index(kind)
    sr = world.sr
    n = int(sr * rng.uniform(*world.seconds))
    m = max(int(sr * 0.3), int(n * rng.uniform(*world.event)))
    start = int(rng.integers(0, n - m + 1))
    event, params = make_sound(SOUND_KINDS[label], m, rng, sr)
    peak = _loguniform(rng, *world.peak)
    y = np.zeros(n)
    y[start:start + m] = peak * event * _envelope(m, sr, rng)
    params.update(onset_s=start / sr, event_s=m / sr, peak=peak, background=None, snr_db=None)
    if rng.random() < world.background_p:
        colour = str(rng.choice([k for k in _NOISE if k != SOUND_KINDS[label]]))
        snr = rng.uniform(*world.snr_db)
        rms = np.sqrt(np.mean(y[start:start + m] ** 2))
        y += coloured_noise(n, _NOISE[colour], rng, sr) * rms * 10 ** (-snr / 20)
        params.update(background=colour, snr_db=snr)
    y += world.floor * rng.standard_normal(n)
    return np.clip(y, -1, 1).astype(np.float32), label, params


def make_batch(n: int, seed: int, world: SoundWorld = SoundWorld()) -> dict:
    """``n`` clips from one seed (same seed, same clips).

    Returns:
        dict(waves: list of n (T_i,) float32 arrays, labels: (n,) int64 array, params: list of dicts).
    """
    rng = np.random.default_rng(seed)
    waves, labels, params = [], [], []
    for _ in range(n):
        y, label, p = make_clip(rng, world)
        waves.append(y)
        labels.append(label)
        params.append(p)
    return {"waves": waves, "labels": np.array(labels, dtype=np.int64), "params": params}
