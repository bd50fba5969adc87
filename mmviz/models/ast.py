"""Audio Spectrogram Transformer (AST, Gong et al. 2021) built from the mmviz ViT pieces.

Reads top to bottom: log-mel features (time x mel) -> overlapping 16 x 16 patches (a Conv2d whose
stride is smaller than its kernel) -> tokens (+[CLS], +distillation token, + learned positions)
-> the ViT's pre-norm blocks -> final LayerNorm. The classifier averages [CLS] and the
distillation token (as DeiT and Hugging Face's ASTForAudioClassification do), then LayerNorm and
a Linear.

Shapes: B batch, T frames (max_length), M mel bins, P patch side, F x Tp patch grid
(``(M - P) // fstride + 1`` by ``(T - P) // tstride + 1``), N = F * Tp patches, D width, h heads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn

from mmviz.audio.kaldi import KALDI, ast_features
from mmviz.models.layers import Block, PatchEmbed, init_weights

__all__ = ["ASTConfig", "PRESETS", "AST", "prepare_features"]

NUM_PREFIX = 2  # [CLS] and the distillation token


@dataclass(frozen=True)
class ASTConfig:
    """AST hyper-parameters and its front end (hashable, so it can key caches).

    Attributes:
        num_mel_bins: M, mel bins of the Kaldi fbank features.
        max_length: T, frames the model reads (10 ms each); clips are padded or cut to it.
        patch_size: P, square patch side in bins/frames.
        frequency_stride, time_stride: patch step; smaller than P means overlapping patches.
        dim: token width D.
        depth: transformer blocks.
        num_heads: attention heads h per block.
        mlp_ratio: MLP hidden width = mlp_ratio * D.
        qkv_bias: bias in the fused qkv projection.
        layer_norm_eps: LayerNorm epsilon (1e-12 in the MIT checkpoints).
        num_classes: classifier outputs; 0 = no head.
        multi_label: labels are independent (sigmoid, AudioSet) rather than exclusive (softmax).
        sampling_rate: audio rate the front end expects, Hz.
        feature_mean, feature_std: normalisation of the fbank features, (x - mean) / (2 std).
    """

    num_mel_bins: int = 128
    max_length: int = 1024
    patch_size: int = 16
    frequency_stride: int = 10
    time_stride: int = 10
    dim: int = 768
    depth: int = 12
    num_heads: int = 12
    mlp_ratio: float = 4.0
    qkv_bias: bool = True
    layer_norm_eps: float = 1e-12
    num_classes: int = 527
    multi_label: bool = True
    sampling_rate: int = 16000
    feature_mean: float = KALDI["audioset_mean"]
    feature_std: float = KALDI["audioset_std"]

    @property
    def grid(self) -> tuple[int, int]:
        """(F, Tp): patches along frequency and time."""
        P = self.patch_size
        return ((self.num_mel_bins - P) // self.frequency_stride + 1,
                (self.max_length - P) // self.time_stride + 1)

    @property
    def num_patches(self) -> int:
        """N = F * Tp."""
        f, t = self.grid
        return f * t

    @property
    def seconds(self) -> float:
        """Audio the model reads: 25 ms + (max_length - 1) x 10 ms."""
        return (KALDI["frame_length"] + (self.max_length - 1) * KALDI["hop_length"]) / self.sampling_rate


PRESETS: dict[str, ASTConfig] = {
    # trained by `python -m mmviz.train ast-tiny` on mmviz.data.sounds (embedded, offline): 2.6 s,
    # 64 mel bins x 256 frames -> 5 x 25 = 125 patches of 16 x 16 at stride 10
    "ast-tiny-sounds": ASTConfig(
        num_mel_bins=64, max_length=256, patch_size=16, frequency_stride=10, time_stride=10, dim=128,
        depth=4, num_heads=4, mlp_ratio=2.0, layer_norm_eps=1e-6, num_classes=8, multi_label=False,
        feature_mean=-6.8, feature_std=5.2,  # fbank statistics of make_batch(200, seed=0)
    ),
    # MIT/ast-finetuned-audioset-10-10-0.4593: 128 mel x 1024 frames -> 12 x 101 = 1212 patches
    "ast-audioset": ASTConfig(),
}


class AST(nn.Module):
    """AST encoder with an optional classifier on the mean of [CLS] and the distillation token.

    Args:
        cfg: an ASTConfig (see PRESETS).
    """

    def __init__(self, cfg: ASTConfig) -> None:
        super().__init__()
        self.cfg = cfg
        # overlapping frequency x time patches: kernel P, stride (fs, ts) < P
        self.patch_embed = PatchEmbed(cfg.patch_size, 1, cfg.dim, stride=(cfg.frequency_stride, cfg.time_stride))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.dim))
        self.dist_token = nn.Parameter(torch.zeros(1, 1, cfg.dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, NUM_PREFIX + cfg.num_patches, cfg.dim))
        self.blocks = nn.ModuleList([Block.from_config(cfg) for _ in range(cfg.depth)])
        self.norm = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        if cfg.num_classes > 0:
            self.head_norm = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
            self.head = nn.Linear(cfg.dim, cfg.num_classes)
        else:
            self.head_norm, self.head = None, None
        self.class_names: list[str] | None = None  # set by the loaders
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Truncated-normal(0.02) init (call after torch.manual_seed)."""
        for p in (self.pos_embed, self.cls_token, self.dist_token):
            nn.init.trunc_normal_(p, std=0.02)
        init_weights(self)

    def patch_tokens(self, features: torch.Tensor) -> torch.Tensor:
        """Overlapping P x P patches of the spectrogram, each projected to D (one strided convolution).

        Args:
            features: (B, T, M) frames x mel bins.

        Returns:
            (B, N, D), N = F * Tp patches frequency-major (k = f * Tp + t).
        """
        x = features.transpose(1, 2)[:, None]  # (B, 1, M, T): mel bins as rows, frames as columns
        return self.patch_embed(x)  # (B, F*Tp, D)

    def embed(self, features: torch.Tensor) -> torch.Tensor:
        """Features to the token sequence that enters block 0.

        Args:
            features: (B, T, M) normalised fbank features, T = cfg.max_length, M = cfg.num_mel_bins.

        Returns:
            (B, 2 + N, D): [CLS], distillation, then N = F * Tp patch tokens, positions added.
        """
        B, T, M = features.shape
        if (T, M) != (self.cfg.max_length, self.cfg.num_mel_bins):
            raise ValueError(f"features are {T} frames x {M} mel bins; this AST reads "
                             f"{self.cfg.max_length} x {self.cfg.num_mel_bins} (pad or cut with prepare_features)")
        x = self.patch_tokens(features)  # (B, N, D)
        prefix = torch.cat([self.cls_token, self.dist_token], dim=1).expand(B, -1, -1)  # (B, 2, D)
        return torch.cat([prefix, x], dim=1) + self.pos_embed  # (B, 2+N, D)

    def forward(
        self, features: torch.Tensor, *, return_attn: bool = False
    ) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """Encode a batch of spectrograms.

        Args:
            features: (B, T, M) from :func:`prepare_features` / :func:`mmviz.audio.ast_features`.
            return_attn: also return every block's post-softmax attention.

        Returns:
            tokens: (B, 2 + N, D) final LayerNorm'ed tokens: [CLS], distillation, patches.
            attentions: list of depth tensors (B, h, 2 + N, 2 + N), or None.
        """
        x = self.embed(features)  # (B, 2+N, D)
        attentions: list[torch.Tensor] = []
        for block in self.blocks:
            x, attn = block(x, return_attn=return_attn)
            if return_attn:
                attentions.append(attn)  # (B, h, 2+N, 2+N)
        return self.norm(x), (attentions if return_attn else None)

    def logits(self, tokens: torch.Tensor) -> torch.Tensor:
        """Classifier on encoded tokens: Linear(LN((cls + dist) / 2)). tokens: (B, 2+N, D) -> (B, C)."""
        if self.head is None:
            raise ValueError("this AST has no classifier (num_classes=0)")
        pooled = (tokens[:, 0] + tokens[:, 1]) / 2  # (B, D)
        return self.head(self.head_norm(pooled))  # (B, C)

    def classify(self, features: torch.Tensor) -> torch.Tensor:
        """Class logits. features: (B, T, M) -> (B, num_classes)."""
        tokens, _ = self(features)
        return self.logits(tokens)


def prepare_features(y: np.ndarray, cfg: ASTConfig) -> torch.Tensor:
    """A waveform at cfg.sampling_rate -> the (1, T, M) normalised fbank batch this AST reads.

    Clips longer than cfg.seconds are cut, shorter ones padded (see mmviz.audio.ast_features).
    """
    x = ast_features(y, sr=cfg.sampling_rate, n_mels=cfg.num_mel_bins, max_length=cfg.max_length,
                     mean=cfg.feature_mean, std=cfg.feature_std)  # (T, M)
    return torch.from_numpy(x)[None]  # (1, T, M)
