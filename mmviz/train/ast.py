"""Recipe for the embedded tiny AST (CPU-friendly; features precomputed once, augmented per step).

    python -m mmviz.train ast-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/ast-tiny-sounds.safetensors (fp16) and ast-tiny-sounds.json (the card).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from mmviz.ast import AST, PRESETS, ASTConfig
from mmviz.audio.kaldi import ast_features
from mmviz.data.sounds import SOUND_KINDS, SoundWorld, make_batch
from mmviz.train.common import ASSETS, adamw, cosine_lr, new_model, optimizer_step, save_model

__all__ = ["clip_features", "make_dataset", "augment", "evaluate_ast", "train_ast_tiny"]

MODEL_NAME = "ast-tiny-sounds"
HELDOUT_SEED = 987_654


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
    return {"accuracy": (preds == y).float().mean().item(), "per_class": per, "confusion": conf.tolist(), "n": len(y)}


def train_ast_tiny(
    steps: int = 4000,
    batch_size: int = 32,
    lr: float = 1e-3,
    weight_decay: float = 0.05,
    warmup: int = 200,
    seed: int = 0,
    out: Path = ASSETS,
    log_every: int = 50,
    eval_n: int = 1000,
    eval_every: int = 500,
    train_clips: int = 6000,
    init: Path | None = None,
) -> dict:
    """Train the embedded tiny AST on mmviz.data.sounds and write weights + card.

    Recipe: a pool of ``train_clips`` generated clips is turned into features once (float16),
    then every step samples a batch from it with time shifts and SpecAugment masks; AdamW,
    linear warmup then cosine decay to 0, label smoothing 0.1, gradient clipping at 1.
    The only loss is cross-entropy on the sound kind.

    Args:
        steps: optimisation steps.
        batch_size: clips per step.
        lr: peak learning rate.
        weight_decay: AdamW decay (not on norms, biases, cls/dist/pos embeddings).
        warmup: warmup steps.
        seed: torch + data seed.
        out: output folder.
        log_every: print every this many steps.
        eval_n: held-out clips for the card (seed HELDOUT_SEED, never used in training).
        eval_every: print a quick 400-clip probe every this many steps (0 = never).
        train_clips: size of the precomputed training pool.
        init: continue from these weights (a .safetensors written by this recipe).

    Returns:
        the card dict (also written as JSON).
    """
    cfg = PRESETS[MODEL_NAME]
    init = Path(init) if init is not None else None
    model, previous = new_model(AST, cfg, seed, init)
    t0 = time.time()
    x_train, y_train = make_dataset(train_clips, seed + 1, cfg)
    probe = make_dataset(400, 555, cfg) if eval_every else None
    prep = time.time() - t0
    print(f"features of {train_clips} clips {tuple(x_train.shape)} in {prep:.0f}s", flush=True)
    opt = adamw(model, lr, weight_decay)
    gen = torch.Generator().manual_seed(seed)
    t0 = time.time()
    run_loss, run_acc = 0.0, 0.0
    for step in range(steps):
        model.train()
        idx = torch.randint(0, len(x_train), (batch_size,), generator=gen)
        x = augment(x_train[idx].float(), gen)
        logits = model.classify(x)
        loss = F.cross_entropy(logits, y_train[idx], label_smoothing=0.1)
        optimizer_step(model, opt, loss, cosine_lr(step, steps, lr, warmup))
        acc = (logits.argmax(-1) == y_train[idx]).float().mean().item()
        run_loss = 0.98 * run_loss + 0.02 * loss.item() if step else loss.item()
        run_acc = 0.98 * run_acc + 0.02 * acc if step else acc
        if step % log_every == 0 or step == steps - 1:
            el = time.time() - t0
            print(f"step {step:5d}/{steps} loss {run_loss:.3f} acc {run_acc:.3f} "
                  f"lr {cosine_lr(step, steps, lr, warmup):.2e} {el:6.0f}s ({el / (step + 1):.3f}s/step)", flush=True)
        if eval_every and step and step % eval_every == 0:
            print(f"  probe @ {step}: accuracy {evaluate_ast(model, data=probe)['accuracy']:.3f}", flush=True)
    wall = time.time() - t0

    metrics = evaluate_ast(model, n=eval_n, seed=HELDOUT_SEED)
    print("held-out:", {k: metrics[k] for k in ("accuracy", "per_class", "n")}, flush=True)
    phases = (previous or {}).get("phases", []) + [
        {"steps": steps, "lr": lr, "warmup": warmup, "init": init.name if init else None,
         "wall_time_s": round(wall, 1), "heldout_accuracy": round(metrics["accuracy"], 4)}]
    card = {
        "family": "ast",
        "architecture": "mmviz.ast.AST",
        "classes": list(SOUND_KINDS),
        "task": "classify the kind of the one sound event in a 2-3 s, 16 kHz clip",
        "data": {
            "generator": "mmviz.data.sounds.make_batch",
            "recipe": "one event (8 kinds, random pitch/rate/colour, random onset, 50-100% of the clip, "
                      "peak 0.05-0.9) over a -80 dB noise floor, half the clips with a background noise of "
                      "another colour 12-30 dB below the event",
            "features": f"Kaldi fbank {cfg.num_mel_bins} mel x {cfg.max_length} frames (mmviz.audio.ast_features), "
                        f"mean {cfg.feature_mean}, std {cfg.feature_std}",
            "train_clips": train_clips, "train_seeds": f"(seed+1)*1000 + chunk, seed={seed}",
            "heldout_seed": HELDOUT_SEED,
        },
        "recipe": {"optimizer": "AdamW", "lr": lr, "betas": [0.9, 0.99], "weight_decay": weight_decay,
                   "schedule": f"linear warmup {warmup} steps, cosine to 0", "steps": steps,
                   "batch_size": batch_size, "loss": "cross-entropy on the sound kind only",
                   "label_smoothing": 0.1, "grad_clip": 1.0,
                   "augment": "time shift +-32 frames (wrap), one mel band <= 8 bins and one stretch <= 24 "
                              "frames masked", "seed": seed,
                   "threads": torch.get_num_threads(), "device": "cpu"},
        "feature_time_s": round(prep, 1),
        "train_wall_time_s": round(wall + (previous or {}).get("train_wall_time_s", 0.0), 1),
        "phases": phases,
        "heldout": {"n": metrics["n"], "accuracy": round(metrics["accuracy"], 4),
                    "per_class": metrics["per_class"], "confusion": metrics["confusion"]},
    }
    return save_model(model, cfg, card, out, MODEL_NAME)
