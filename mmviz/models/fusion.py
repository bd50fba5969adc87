"""Where two token streams meet: the six fusion designs of Xu, Zhu & Clifton (2023, Fig. 3) in one module.

An image becomes N tokens: its P x P patches projected to D, plus the feature map of a small frozen
CNN at the same grid (a copy of ``cnn-kind-judge``, which knows shapes; hybrid-ViT style), so what
the six designs are compared on is how the streams meet, not how fast a patch embedding learns shape.
A question becomes L word tokens. Each stream gets its own positions and a modality embedding. Then, with the same width and the same number of blocks (``depth``):

    a  early summation         x = image tokens + question tokens (position-wise), one stream
    b  early concatenation     one stream over [question ; image]
    c  multi -> one stream     depth/2 blocks per stream apart, then depth/2 over the concatenation
    d  one -> multi stream     depth/2 blocks over the concatenation, then depth/2 per stream apart
    e  cross-attention         each stream's queries attend to the other stream's keys and values
    f  cross -> concatenation  depth/2 cross-attention blocks, then depth/2 over the concatenation

The answer is read from the mean of all final tokens (padding left out) by one linear layer.
``layer_masks`` draws, for every block, which token may attend to which: the lesson's diagrams.

Shapes: B batch, L question tokens, N image patches, D width, A answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from mmviz.models.convnet import ConvNet, ConvNetConfig
from mmviz.models.layers import HALF, MLP, Block, CrossAttention, PatchEmbed, init_weights, normalize_pixels
from mmviz.tokenizers.text import TextTokenizer

__all__ = ["STRATEGIES", "FusionConfig", "PRESETS", "CrossBlock", "FusionVQA"]

#: strategy letter -> name (the survey's panels a-f)
STRATEGIES: dict[str, str] = {
    "a": "early summation", "b": "early concatenation", "c": "multi-stream then one-stream",
    "d": "one-stream then multi-stream", "e": "cross-attention", "f": "cross-attention then concatenation",
}


@dataclass(frozen=True)
class FusionConfig:
    """One fusion model.

    Attributes:
        strategy: a key of STRATEGIES.
        image_size, patch_size: S and P (N = (S / P)^2 image tokens).
        vocab_size: question word ids (mmviz.tokenizers.text.TextTokenizer.questions()).
        question_length: L, the most question tokens.
        num_answers: A.
        dim, depth, num_heads, mlp_ratio, layer_norm_eps: the blocks (depth counts blocks along the
            model's depth: streams that run side by side each get their own blocks).
        cnn_channels: the frozen CNN's stages (its feature map must have the patch grid's size).
    """

    strategy: str = "b"
    image_size: int = 64
    patch_size: int = 8
    vocab_size: int = 41
    question_length: int = 12
    num_answers: int = 19
    dim: int = 96
    depth: int = 4
    num_heads: int = 4
    mlp_ratio: float = 2.0
    layer_norm_eps: float = 1e-6
    image_mean: tuple[float, float, float] = HALF
    image_std: tuple[float, float, float] = HALF
    cnn_channels: tuple[int, ...] = (16, 32, 64, 64)

    @property
    def num_patches(self) -> int:
        return (self.image_size // self.patch_size) ** 2


PRESETS: dict[str, FusionConfig] = {f"fusion-{k}": FusionConfig(strategy=k) for k in STRATEGIES}


class CrossBlock(nn.Module):
    """Pre-norm: x + CrossAttention(LN(x), LN(other)), then x + MLP(LN(x)): queries from x only."""

    def __init__(self, cfg: FusionConfig) -> None:
        super().__init__()
        self.norm_q = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        self.norm_kv = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        self.cross = CrossAttention(cfg.dim, cfg.num_heads)
        self.norm2 = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        self.mlp = MLP(cfg.dim, int(round(cfg.dim * cfg.mlp_ratio)))

    def forward(self, x: torch.Tensor, other: torch.Tensor, *, return_attn: bool = False,
                attn_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """x: (B, Tq, D) queries' stream, other: (B, Tk, D) -> ((B, Tq, D), (B, h, Tq, Tk) or None)."""
        y, attn = self.cross(self.norm_q(x), self.norm_kv(other), return_attn=return_attn, attn_mask=attn_mask)
        x = x + y
        return x + self.mlp(self.norm2(x)), attn


def _blocks(cfg: FusionConfig, n: int) -> nn.ModuleList:
    return nn.ModuleList([Block.from_config(cfg) for _ in range(n)])


class FusionVQA(nn.Module):
    """A question-answering model over (image, question) with one of the six fusion strategies.

    Args:
        cfg: a FusionConfig.
    """

    def __init__(self, cfg: FusionConfig) -> None:
        super().__init__()
        if cfg.strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy {cfg.strategy!r}; choose from {list(STRATEGIES)}")
        if cfg.strategy == "a" and cfg.question_length > cfg.num_patches:
            raise ValueError("early summation needs no more question tokens than image patches")
        self.cfg = cfg
        D, half = cfg.dim, cfg.depth // 2
        self.patch_embed = PatchEmbed(cfg.patch_size, 3, D)
        self.cnn = ConvNet(ConvNetConfig(image_size=cfg.image_size, channels=cfg.cnn_channels)).requires_grad_(False)
        self.cnn_proj = nn.Linear(cfg.cnn_channels[-1], D)
        self.image_pos = nn.Parameter(torch.zeros(cfg.num_patches, D))
        self.word_embed = nn.Embedding(cfg.vocab_size, D)
        self.text_pos = nn.Parameter(torch.zeros(cfg.question_length, D))
        self.modality = nn.Parameter(torch.zeros(2, D))  # 0 text, 1 image
        s = cfg.strategy
        self.text_blocks = _blocks(cfg, half if s in "cd" else 0)
        self.image_blocks = _blocks(cfg, half if s in "cd" else 0)
        self.joint = _blocks(cfg, {"a": cfg.depth, "b": cfg.depth, "c": half, "d": half, "e": 0, "f": half}[s])
        n_cross = {"e": cfg.depth, "f": half}.get(s, 0)
        self.text_from_image = nn.ModuleList([CrossBlock(cfg) for _ in range(n_cross)])
        self.image_from_text = nn.ModuleList([CrossBlock(cfg) for _ in range(n_cross)])
        self.norm = nn.LayerNorm(D, eps=cfg.layer_norm_eps)
        self.head = nn.Linear(D, cfg.num_answers)
        self.tokenizer = TextTokenizer.questions()  # the question words of mmviz.data.vqa
        self.class_names: list[str] | None = None
        init_weights(self)
        for p in (self.image_pos, self.text_pos, self.modality):
            nn.init.trunc_normal_(p, std=0.02)

    def train(self, mode: bool = True) -> FusionVQA:
        """As nn.Module.train, but the frozen CNN always stays in eval mode (its BatchNorm statistics)."""
        super().train(mode)
        self.cnn.eval()
        return self

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """(B, 3, S, S) pixels in [0, 1] -> the patch embedding's input range."""
        return normalize_pixels(images, self.cfg.image_mean, self.cfg.image_std)

    def plan(self) -> list[tuple[str, str]]:
        """The blocks in the order they run: (stage, kind) with kind "joint", "text", "image",
        "text<-image" (text queries read the image) or "image<-text"; side-by-side blocks share a stage."""
        s, half = self.cfg.strategy, self.cfg.depth // 2
        out: list[tuple[str, str]] = []
        if s in "ab":
            out += [(f"joint {i}", "joint") for i in range(self.cfg.depth)]
        if s == "c":
            out += [(f"apart {i}", k) for i in range(half) for k in ("text", "image")]
            out += [(f"joint {i}", "joint") for i in range(half)]
        if s == "d":
            out += [(f"joint {i}", "joint") for i in range(half)]
            out += [(f"apart {i}", k) for i in range(half) for k in ("text", "image")]
        if s in "ef":
            out += [(f"cross {i}", k) for i in range(len(self.text_from_image)) for k in ("text<-image", "image<-text")]
            out += [(f"joint {i}", "joint") for i in range(len(self.joint))]
        return out

    def layer_masks(self, L: int) -> list[tuple[str, str, torch.Tensor]]:
        """For every block of plan(): (stage, kind, (T, T) bool) over the tokens [question (L) ; image (N)]:
        True where a query token (row) reads a key token (column). Early summation has one stream of N."""
        N = self.cfg.num_patches
        if self.cfg.strategy == "a":
            return [(st, k, torch.ones(N, N, dtype=torch.bool)) for st, k in self.plan()]
        T = L + N
        text = torch.zeros(T, dtype=torch.bool)
        text[:L] = True
        image = ~text
        rows = {"joint": (torch.ones(T, dtype=torch.bool), torch.ones(T, dtype=torch.bool)), "text": (text, text),
                "image": (image, image), "text<-image": (text, image), "image<-text": (image, text)}
        return [(st, k, rows[k][0][:, None] & rows[k][1][None, :]) for st, k in self.plan()]

    def embed(self, pixels: torch.Tensor, question_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(B, 3, S, S) normalised, (B, L) ids -> text (B, L, D) and image (B, N, D) tokens with positions."""
        L = question_ids.shape[1]
        if L > self.cfg.question_length:
            raise ValueError(f"{L} question tokens exceed {self.cfg.question_length}")
        text = self.word_embed(question_ids) + self.text_pos[:L] + self.modality[0]
        with torch.no_grad():
            fmap = self.cnn.features(pixels)  # (B, C, S/8, S/8) what the frozen CNN sees at each cell
        image = self.patch_embed(pixels) + self.cnn_proj(fmap.flatten(2).transpose(1, 2))  # (B, N, D)
        return text, image + self.image_pos + self.modality[1]

    def forward(self, pixels: torch.Tensor, question_ids: torch.Tensor, question_mask: torch.Tensor, *,
                return_attn: bool = False) -> tuple[torch.Tensor, list[tuple[str, str, torch.Tensor]] | None]:
        """Answer the questions.

        Args:
            pixels: (B, 3, S, S) normalised.
            question_ids: (B, L) padded word ids.
            question_mask: (B, L) 1 = real word, 0 = padding.
            return_attn: also return every block's attention.

        Returns:
            logits: (B, A).
            attentions: per block of plan(): (stage, kind, (B, h, Tq, Tk)), or None.
        """
        text, image = self.embed(pixels, question_ids)
        B, L, D = text.shape
        N = image.shape[1]
        tmask = question_mask.bool()
        keys_text = tmask[:, None, None, :]  # (B, 1, 1, L): padding is never read
        keys_joint = torch.cat([tmask, tmask.new_ones(B, N)], 1)[:, None, None, :]  # (B, 1, 1, L + N)
        attns: list[tuple[str, str, torch.Tensor]] = []
        plan = iter(self.plan())

        def keep(attn):
            if return_attn:
                stage, kind = next(plan)
                attns.append((stage, kind, attn))

        def joint_stage(x: torch.Tensor, mask) -> torch.Tensor:
            for blk in self.joint:
                x, a = blk(x, return_attn=return_attn, attn_mask=mask)
                keep(a)
            return x

        def apart(t: torch.Tensor, im: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            for bt, bi in zip(self.text_blocks, self.image_blocks):
                t, a = bt(t, return_attn=return_attn, attn_mask=keys_text)
                keep(a)
                im, a = bi(im, return_attn=return_attn)
                keep(a)
            return t, im

        s = self.cfg.strategy
        if s == "a":  # position-wise sum: the question's L tokens are added to the first L patches
            x = image + nn.functional.pad(text * tmask[..., None], (0, 0, 0, N - L))
            x = joint_stage(x, None)
            pooled = x.mean(1)
        else:
            if s == "c":
                text, image = apart(text, image)
            if s in "ef":
                for t2i, i2t in zip(self.text_from_image, self.image_from_text):
                    new_text, a = t2i(text, image, return_attn=return_attn)
                    keep(a)
                    image, a = i2t(image, text, return_attn=return_attn, attn_mask=keys_text)
                    keep(a)
                    text = new_text
            if s in "bcdf":
                x = joint_stage(torch.cat([text, image], 1), keys_joint)
                text, image = x[:, :L], x[:, L:]
            if s == "d":
                text, image = apart(text, image)
            w = torch.cat([tmask, tmask.new_ones(B, N)], 1).float()[..., None]  # (B, L + N, 1)
            pooled = (torch.cat([text, image], 1) * w).sum(1) / w.sum(1)
        return self.head(self.norm(pooled)), (attns if return_attn else None)
