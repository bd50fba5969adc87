"""Recipe for the embedded tiny AST (CPU-friendly; features precomputed once, augmented per step).

    python -m mmviz.train ast-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/ast-tiny-sounds.safetensors (fp16) and ast-tiny-sounds.json (the card).
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F

from mmviz.models.ast import AST, PRESETS, ASTConfig
from mmviz.audio.kaldi import ast_features
from mmviz.data.sounds import SOUND_KINDS, SoundWorld, make_batch
from mmviz.train.common import HELDOUT_SEED, Options, Run, fit, new_model, options

__all__ = ["MODEL_NAME", "DEFAULTS", "clip_features", "make_dataset", "augment", "evaluate_ast", "train_ast_tiny"]

MODEL_NAME = "ast-tiny-sounds"


def clip_features(waves: list[np.ndarray], cfg: ASTConfig, dtype=np.float16) -> np.ndarray:
    """Model inputs for many clips at once.

    Args:
        waves: n waveforms (T_i,) at cfg.sampling_rate.
        cfg: the AST config (mel bins, frames, normalisation).
        dtype: storage type (float16 halves the memory of a training pool).

    Returns:
        (n, cfg.max_length, cfg.num_mel_bins) normalised Kaldi fbank features.
    """
    out = np.empty((len(waves), cfg.max_length, cfg.num_mel_bins), dtype)
    for i, y in enumerate(waves):
        out[i] = ast_features(y, sr=cfg.sampling_rate, n_mels=cfg.num_mel_bins, max_length=cfg.max_length,
                              mean=cfg.feature_mean, std=cfg.feature_std)
    return out


def make_dataset(n: int, seed: int, cfg: ASTConfig, world: SoundWorld = SoundWorld(),
                 chunk: int = 500) -> tuple[torch.Tensor, torch.Tensor]:
    """Generate ``n`` clips and their features, ``chunk`` clips at a time (seed + chunk index).

    Returns:
        features (n, T, M) float16, labels (n,) int64.
    """
    feats, labels = [], []
    for i, start in enumerate(range(0, n, chunk)):
        b = make_batch(min(chunk, n - start), seed=seed * 1000 + i, world=world)
        feats.append(torch.from_numpy(clip_features(b["waves"], cfg)))
        labels.append(torch.from_numpy(b["labels"]))
    return torch.cat(feats), torch.cat(labels)


def augment(x: torch.Tensor, gen: torch.Generator, *, shift: int = 32, fmask: int = 8, tmask: int = 24) -> torch.Tensor:
    """Cheap feature-space augmentation (SpecAugment-style).

    Every clip is shifted in time by up to ``shift`` frames (wrapping round), and gets one band
    of up to ``fmask`` mel bins and one stretch of up to ``tmask`` frames set to 0 (the mean).

    Args:
        x: (B, T, M) float features.
        gen: random generator.

    Returns:
        (B, T, M) augmented copy.
    """
    B, T, M = x.shape
    x = x.clone()
    shifts = torch.randint(-shift, shift + 1, (B,), generator=gen).tolist()
    for b, s in enumerate(shifts):
        x[b] = torch.roll(x[b], s, dims=0)
    t = torch.arange(T)[None, :]  # (1, T)
    m = torch.arange(M)[None, :]  # (1, M)
    f0 = torch.randint(0, M, (B, 1), generator=gen)
    fw = torch.randint(0, fmask + 1, (B, 1), generator=gen)
    t0 = torch.randint(0, T, (B, 1), generator=gen)
    tw = torch.randint(0, tmask + 1, (B, 1), generator=gen)
    fm = (m >= f0) & (m < f0 + fw)  # (B, M)
    tm = (t >= t0) & (t < t0 + tw)  # (B, T)
    return x.masked_fill(fm[:, None, :] | tm[:, :, None], 0.0)


@torch.no_grad()
def evaluate_ast(model: AST, n: int = 1000, seed: int = HELDOUT_SEED, batch_size: int = 200,
                 data: tuple[torch.Tensor, torch.Tensor] | None = None) -> dict:
    """Held-out accuracy on freshly generated clips (or on ``data`` = (features, labels)).

    Returns:
        dict(accuracy, per_class {kind: accuracy}, confusion (K, K) list [true][predicted], n).
    """
    model.eval()
    x, y = data if data is not None else make_dataset(n, seed, model.cfg)
    preds = torch.cat([model.classify(x[i:i + batch_size].float()).argmax(-1) for i in range(0, len(x), batch_size)])
    K = len(SOUND_KINDS)
    conf = torch.zeros(K, K, dtype=torch.long)
    conf.index_put_((y, preds), torch.ones_like(y), accumulate=True)
    per = {k: round(conf[i, i].item() / max(1, conf[i].sum().item()), 4) for i, k in enumerate(SOUND_KINDS)}
    return {"n": len(y), "accuracy": round((preds == y).float().mean().item(), 4), "per_class": per,
            "confusion": conf.tolist()}


DEFAULTS = Options(steps=4000, batch_size=32, lr=1e-3, warmup=200, eval_n=1000)
TRAIN_CLIPS = 6000


def train_ast_tiny(*, train_clips: int = TRAIN_CLIPS, **overrides) -> dict:
    """Train the embedded tiny AST on mmviz.data.sounds and write weights + card.

    Recipe: a pool of ``train_clips`` generated clips is turned into features once (float16),
    then every step samples a batch from it with time shifts and SpecAugment masks; label
    smoothing 0.1; the only loss is cross-entropy on the sound kind. Loop, schedule and card:
    mmviz.train.common.fit.

    Args:
        train_clips: size of the precomputed training pool.
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.

    Returns:
        the card dict (also written as JSON).
    """
    opts = options(DEFAULTS, overrides)
    cfg = PRESETS[MODEL_NAME]
    model, previous = new_model(AST, cfg, opts.seed, opts.init)
    t0 = time.time()
    x_train, y_train = make_dataset(train_clips, opts.seed + 1, cfg)
    probe = make_dataset(400, 555, cfg) if opts.eval_every else None
    prep = time.time() - t0
    print(f"features of {train_clips} clips {tuple(x_train.shape)} in {prep:.0f}s", flush=True)
    gen = torch.Generator().manual_seed(opts.seed)

    def step(i: int) -> tuple[torch.Tensor, dict]:
        idx = torch.randint(0, len(x_train), (opts.batch_size,), generator=gen)
        logits = model.classify(augment(x_train[idx].float(), gen))
        loss = F.cross_entropy(logits, y_train[idx], label_smoothing=0.1)
        return loss, {"acc": (logits.argmax(-1) == y_train[idx]).float().mean().item()}

    run = Run(name=MODEL_NAME, family="ast", classes=list(SOUND_KINDS),
              task="classify the kind of the one sound event in a 2-3 s, 16 kHz clip",
              data={"generator": "mmviz.data.sounds.make_batch",
                    "recipe": "one event (8 kinds, random pitch/rate/colour, random onset, 50-100% of the clip, "
                              "peak 0.05-0.9) over a -80 dB noise floor, half the clips with a background noise of "
                              "another colour 12-30 dB below the event",
                    "features": f"Kaldi fbank {cfg.num_mel_bins} mel x {cfg.max_length} frames "
                                f"(mmviz.audio.ast_features), mean {cfg.feature_mean}, std {cfg.feature_std}",
                    "train_clips": train_clips, "train_seeds": f"(seed+1)*1000 + chunk, seed={opts.seed}",
                    "heldout_seed": HELDOUT_SEED},
              loss="cross-entropy on the sound kind only", label_smoothing=0.1,
              augment="time shift +-32 frames (wrap), one mel band <= 8 bins and one stretch <= 24 frames masked",
              extra={"feature_time_s": round(prep, 1)})
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_ast(m, n=opts.eval_n, seed=HELDOUT_SEED),
               probe=lambda m: evaluate_ast(m, data=probe)["accuracy"],
               summary=lambda h: {"accuracy": h["accuracy"]})
