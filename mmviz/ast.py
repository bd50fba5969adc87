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
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from mmviz.audio.kaldi import KALDI, ast_features
from mmviz.vit import Block, init_weights

__all__ = ["ASTConfig", "PRESETS", "ASTPatchEmbed", "AST", "prepare_features", "load_hf_ast",
           "convert_hf_ast_state_dict"]

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


class ASTPatchEmbed(nn.Module):
    """Overlapping frequency/time patches projected to D: one Conv2d, kernel P, stride (fs, ts)."""

    def __init__(self, cfg: ASTConfig) -> None:
        super().__init__()
        P = cfg.patch_size
        self.proj = nn.Conv2d(1, cfg.dim, kernel_size=P, stride=(cfg.frequency_stride, cfg.time_stride))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """features: (B, T, M) -> (B, N, D), patches frequency-major (k = f * Tp + t)."""
        x = features.transpose(1, 2)[:, None]  # (B, 1, M, T): mel bins as rows, frames as columns
        x = self.proj(x)  # (B, D, F, Tp)
        return x.flatten(2).transpose(1, 2)  # (B, F*Tp, D)


class AST(nn.Module):
    """AST encoder with an optional classifier on the mean of [CLS] and the distillation token.

    Args:
        cfg: an ASTConfig (see PRESETS).
    """

    def __init__(self, cfg: ASTConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.patch_embed = ASTPatchEmbed(cfg)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.dim))
        self.dist_token = nn.Parameter(torch.zeros(1, 1, cfg.dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, NUM_PREFIX + cfg.num_patches, cfg.dim))
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.depth)])  # Block reads dim, heads, eps, mlp
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
        x = self.patch_embed(features)  # (B, N, D)
        prefix = torch.cat([self.cls_token, self.dist_token], dim=1).expand(B, -1, -1)  # (B, 2, D)
        return torch.cat([prefix, x], dim=1) + self.pos_embed  # (B, 2+N, D)

    def forward(
        self, features: torch.Tensor, return_attn: bool = False
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


# --- Hugging Face ASTForAudioClassification / ASTModel -> mmviz AST ---------------------------------

_AST_KEYS = {
    "embeddings.cls_token": "cls_token",
    "embeddings.distillation_token": "dist_token",
    "embeddings.position_embeddings": "pos_embed",
    "embeddings.patch_embeddings.projection.weight": "patch_embed.proj.weight",
    "embeddings.patch_embeddings.projection.bias": "patch_embed.proj.bias",
    "classifier.layernorm.weight": "head_norm.weight",
    "classifier.layernorm.bias": "head_norm.bias",
    "classifier.dense.weight": "head.weight",
    "classifier.dense.bias": "head.bias",
}


def convert_hf_ast_state_dict(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face AST state dict to mmviz.

    The embeddings and classifier are renamed here; the encoder (identical to HF's ViT encoder,
    old or transformers-5 names) goes through mmviz.weights.convert_hf_state_dict, which fuses
    query/key/value into one qkv.

    Args:
        sd: HF tensors, with or without the "audio_spectrogram_transformer." prefix.

    Returns:
        state dict for mmviz.ast.AST.
    """
    from mmviz.weights import convert_hf_state_dict

    prefix = "audio_spectrogram_transformer."
    out, encoder = {}, {}
    for key, t in sd.items():
        k = key[len(prefix):] if key.startswith(prefix) else key
        if k in _AST_KEYS:
            out[_AST_KEYS[k]] = t
        else:
            encoder[k] = t
    out.update(convert_hf_state_dict(encoder))
    return out


def load_hf_ast(path: Path, hf_config: dict, device: str | torch.device = "cpu") -> AST:
    """Convert a local Hugging Face AST checkpoint folder into an mmviz AST.

    Args:
        path: folder with config.json and model.safetensors (or pytorch_model.bin);
            preprocessor_config.json, when present, supplies the feature mean / std.
        hf_config: its parsed config.json (model_type "audio-spectrogram-transformer").
        device: where to put the model.

    Returns:
        AST in eval mode, with class_names from id2label (AudioSet's 527 names for the MIT checkpoint).
    """
    from mmviz.weights import UnsupportedModelError, read_hf_preprocessor, read_hf_state_dict

    hf, path = hf_config, Path(path)
    if hf.get("hidden_act", "gelu") != "gelu":
        raise UnsupportedModelError(f"hidden_act {hf['hidden_act']!r} is not supported (only exact 'gelu')")
    state = convert_hf_ast_state_dict(read_hf_state_dict(path))
    pre = read_hf_preprocessor(path) or {}
    num_classes = state["head.weight"].shape[0] if "head.weight" in state else 0
    patch = hf.get("patch_size", 16)
    dim = hf.get("hidden_size", 768)
    cfg = ASTConfig(
        num_mel_bins=hf.get("num_mel_bins", 128), max_length=hf.get("max_length", 1024),
        patch_size=int(patch[0] if isinstance(patch, (list, tuple)) else patch),
        frequency_stride=hf.get("frequency_stride", 10), time_stride=hf.get("time_stride", 10),
        dim=dim, depth=hf.get("num_hidden_layers", 12), num_heads=hf.get("num_attention_heads", 12),
        mlp_ratio=hf.get("intermediate_size", 4 * dim) / dim, qkv_bias=hf.get("qkv_bias", True),
        layer_norm_eps=hf.get("layer_norm_eps", 1e-12), num_classes=num_classes,
        multi_label=hf.get("problem_type") == "multi_label_classification" or num_classes == 527,
        sampling_rate=pre.get("sampling_rate", 16000),
        feature_mean=float(pre.get("mean", KALDI["audioset_mean"])),
        feature_std=float(pre.get("std", KALDI["audioset_std"])),
    )
    model = AST(cfg)
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    if missing or unexpected:
        raise UnsupportedModelError(f"checkpoint does not fit mmviz AST: missing {missing}, unexpected {unexpected}")
    if num_classes and "id2label" in hf:
        labels = hf["id2label"]
        model.class_names = [labels.get(str(i), str(i)) for i in range(num_classes)]
    return model.to(device).eval()
