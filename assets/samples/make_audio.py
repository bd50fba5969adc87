"""Regenerate the sample audio clips in assets/samples/audio/.

Run from the repository root:

    python assets/samples/make_audio.py

Needs numpy, soundfile and librosa (all in requirements.txt). The speech clip also
needs the espeak-ng program (Debian/Ubuntu: ``sudo apt-get install espeak-ng``);
without it the speech clip is skipped and the others are still written.

Every clip is 16 kHz mono 16-bit PCM WAV, under 300 KB, and released as CC0.
The noise is seeded, so the files are reproducible.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16_000
OUT = Path(__file__).resolve().parent / "audio"
SPEECH = "Attention is all you need. Every sound becomes a sequence of tokens."


def fade(y: np.ndarray, seconds: float = 0.02) -> np.ndarray:
    """Short linear fade in/out so clips do not start or end with a click."""
    n = int(seconds * SR)
    ramp = np.linspace(0.0, 1.0, n)
    y = y.copy()
    y[:n] *= ramp
    y[-n:] *= ramp[::-1]
    return y


def chirp(seconds: float = 3.0, f0: float = 100.0, f1: float = 6000.0) -> np.ndarray:
    """Logarithmic sine sweep f0 -> f1 Hz."""
    t = np.arange(int(seconds * SR)) / SR
    k = np.log(f1 / f0) / seconds
    phase = 2 * np.pi * f0 * (np.exp(k * t) - 1) / k  # integral of f0 * exp(k t)
    return fade(0.5 * np.sin(phase))


def chord(seconds: float = 3.0) -> np.ndarray:
    """A major triad (A3, C#4, E4) with 4 harmonics and an attack/decay envelope."""
    t = np.arange(int(seconds * SR)) / SR
    y = np.zeros_like(t)
    for f in (220.0, 277.18, 329.63):
        for h in range(1, 5):
            y += np.sin(2 * np.pi * f * h * t) / h**1.5
    envelope = np.minimum(t / 0.05, 1.0) * np.exp(-1.2 * t)
    y *= envelope
    return fade(0.6 * y / np.abs(y).max())


def pink_noise(seconds: float = 2.0, seed: int = 0) -> np.ndarray:
    """Pink (1/f power) noise: white noise shaped by 1/sqrt(f) in the frequency domain."""
    n = int(seconds * SR)
    spec = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SR)
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0.0
    y = np.fft.irfft(spec, n)
    return fade(0.1 * y / y.std())  # RMS 0.1 (about -20 dBFS)


def speech() -> np.ndarray | None:
    """espeak-ng reading SPEECH, resampled to 16 kHz; None if espeak-ng is missing."""
    import librosa

    exe = shutil.which("espeak-ng")
    if exe is None:
        print("espeak-ng not found: speech.wav not regenerated")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run([exe, "-v", "en-us", "-s", "150", "-w", str(wav), SPEECH], check=True)
        y, sr = sf.read(wav, dtype="float32", always_2d=True)
    y = librosa.resample(y.mean(axis=1), orig_sr=sr, target_sr=SR)
    return fade(0.9 * y / np.abs(y).max())


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    clips = {
        "chirp.wav": chirp(),
        "chord.wav": chord(),
        "noise.wav": pink_noise(),
        "speech.wav": speech(),
    }
    for name, y in clips.items():
        if y is None:
            continue
        path = OUT / name
        sf.write(path, np.clip(y, -1, 1).astype(np.float32), SR, subtype="PCM_16")
        print(f"{path.name}: {len(y) / SR:.2f} s, {path.stat().st_size / 1000:.0f} KB")


if __name__ == "__main__":
    main()
