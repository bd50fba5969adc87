"""CLIP (Radford et al. 2021): an image tower and a text tower trained so matching pairs align.

    image -> ViT -> [CLS] -> LayerNorm -> W_img -> e_img / |e_img| ----.
                                                                       cos sim x exp(t) -> logits (I, T)
    text  -> tokens -> causal transformer -> token at <|endoftext|> -> W_txt -> e_txt / |e_txt|

Parameter names follow OpenAI / Hugging Face where it costs nothing (`visual_projection`,
`text_projection`, `logit_scale`); the image tower is mmviz's ViT (`mmviz.models.vit.ViT`, with CLIP's
pre-LayerNorm, bias-free patch conv and quick GELU when converting OpenAI weights), the text
tower reuses its blocks with a causal mask.

Shapes: I images, T texts (prompts), L tokens per prompt, N patches, D_v / D_t tower widths,
E joint embedding width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmviz.models.layers import HALF, Block, causal_mask, init_weights
from mmviz.models.vit import ViT, ViTConfig

__all__ = ["TextConfig", "CLIPConfig", "PRESETS", "TextTransformer", "CLIP", "CLIPOutput", "clip_loss",
           "contrastive_loss", "MAX_LOGIT_SCALE", "causal_mask", "OPENAI_MEAN", "OPENAI_STD"]

MAX_LOGIT_SCALE = math.log(100.0)  # CLIP clamps the temperature at 1/100 (see CLIP.clamp_logit_scale)
OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)


@dataclass(frozen=True)
class TextConfig:
    """Text tower hyper-parameters (field names shared with ViTConfig so Block.from_config reads them).

    Attributes:
        vocab_size: number of token ids.
        context_length: most tokens per prompt (learned positions), start/end included.
        dim: token width D_t.
        depth: transformer blocks.
        num_heads: attention heads.
        mlp_ratio: MLP hidden width / D_t.
        qkv_bias: bias in the fused qkv projection.
        layer_norm_eps: LayerNorm epsilon.
        hidden_act: "gelu" or "quick_gelu".
        eos_token_id: id of `<|endoftext|>`, the token whose output is the prompt's embedding.
        pool: "eos" (first position holding eos_token_id) or "argmax" (position of the largest id,
            OpenAI's original rule, right because `<|endoftext|>` is the last id of its vocabulary).
        tokenizer: "shapes" (mmviz.tokenizers.shapes_tokenizer) or "bpe" (read from a checkpoint).
    """

    vocab_size: int = 49408
    context_length: int = 77
    dim: int = 512
    depth: int = 12
    num_heads: int = 8
    mlp_ratio: float = 4.0
    qkv_bias: bool = True
    layer_norm_eps: float = 1e-5
    hidden_act: str = "quick_gelu"
    eos_token_id: int = 49407
    pool: str = "argmax"
    tokenizer: str = "bpe"


@dataclass(frozen=True)
class CLIPConfig:
    """A CLIP: the two towers, the joint width and the initial temperature.

    Attributes:
        vision: the image tower's ViTConfig (num_classes=0).
        text: the text tower's TextConfig.
        embed_dim: E, width of the joint embedding space.
        logit_scale_init: initial log of the logit scale (ln(1/0.07) = 2.659 in CLIP).
    """

    vision: ViTConfig = field(default_factory=ViTConfig)
    text: TextConfig = field(default_factory=TextConfig)
    embed_dim: int = 512
    logit_scale_init: float = math.log(1 / 0.07)

    @classmethod
    def from_dict(cls, d: dict) -> CLIPConfig:
        """Inverse of dataclasses.asdict (as stored in a model card): nested dicts, lists -> tuples."""
        tup = lambda sub: {k: tuple(v) if isinstance(v, list) else v for k, v in sub.items()}  # noqa: E731
        rest = {k: v for k, v in d.items() if k not in ("vision", "text")}
        return cls(vision=ViTConfig(**tup(d["vision"])), text=TextConfig(**tup(d["text"])), **rest)


PRESETS: dict[str, CLIPConfig] = {
    # trained by `python -m mmviz.train clip-tiny` on shapes-world scenes and their captions
    "clip-tiny-shapes": CLIPConfig(
        vision=ViTConfig(image_size=64, patch_size=8, dim=128, depth=4, num_heads=4, mlp_ratio=3.0,
                         num_classes=0, image_mean=HALF, image_std=HALF),
        text=TextConfig(vocab_size=56, context_length=24, dim=128, depth=3, num_heads=4, mlp_ratio=3.0,
                        hidden_act="gelu", eos_token_id=3, pool="eos", tokenizer="shapes"),
        embed_dim=64,
    ),
    # openai/clip-vit-base-patch32
    "clip-vit-base-patch32": CLIPConfig(
        vision=ViTConfig(image_size=224, patch_size=32, dim=768, depth=12, num_heads=12, layer_norm_eps=1e-5,
                         num_classes=0, image_mean=OPENAI_MEAN, image_std=OPENAI_STD, hidden_act="quick_gelu",
                         pre_norm=True, patch_bias=False),
        text=TextConfig(),
        embed_dim=512,
    ),
}


class TextTransformer(nn.Module):
    """CLIP's text tower: token + position embeddings -> causal pre-norm blocks -> LayerNorm.

    Args:
        cfg: a TextConfig.
    """

    def __init__(self, cfg: TextConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.token_embed = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.pos_embed = nn.Parameter(torch.zeros(cfg.context_length, cfg.dim))
        self.blocks = nn.ModuleList([Block.from_config(cfg) for _ in range(cfg.depth)])
        self.norm = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)

    def forward(
        self, input_ids: torch.Tensor, *, return_attn: bool = False
    ) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """Encode prompts.

        Args:
            input_ids: (T, L) int64, L <= context_length, each row holding its end token.
            return_attn: also return every block's post-softmax attention.

        Returns:
            tokens: (T, L, D_t) final LayerNorm'ed tokens.
            attentions: list of depth tensors (T, h, L, L) (zero above the diagonal), or None.
        """
        T, L = input_ids.shape
        if L > self.cfg.context_length:
            raise ValueError(f"{L} tokens exceed the context length {self.cfg.context_length}")
        x = self.token_embed(input_ids) + self.pos_embed[:L]  # (T, L, D_t)
        mask = causal_mask(L, device=x.device)  # (L, L)
        attentions: list[torch.Tensor] = []
        for block in self.blocks:
            x, attn = block(x, return_attn=return_attn, attn_mask=mask)
            if return_attn:
                attentions.append(attn)  # (T, h, L, L)
        return self.norm(x), (attentions if return_attn else None)

    def eos_positions(self, input_ids: torch.Tensor) -> torch.Tensor:
        """(T, L) ids -> (T,) index of the token each prompt is pooled at (see TextConfig.pool)."""
        if self.cfg.pool == "argmax":
            return input_ids.argmax(-1)
        return (input_ids == self.cfg.eos_token_id).int().argmax(-1)


@dataclass
class CLIPOutput:
    """What CLIP.forward returns.

    Attributes:
        logits_per_image: (I, T) scaled cosine similarities, row = image.
        logits_per_text: (T, I) its transpose.
        image_embeds: (I, E) L2-normalised.
        text_embeds: (T, E) L2-normalised.
    """

    logits_per_image: torch.Tensor
    logits_per_text: torch.Tensor
    image_embeds: torch.Tensor
    text_embeds: torch.Tensor


class CLIP(nn.Module):
    """Dual encoder: mmviz ViT + projection, causal text transformer + projection, logit scale.

    Args:
        cfg: a CLIPConfig (see PRESETS).
    """

    def __init__(self, cfg: CLIPConfig) -> None:
        super().__init__()
        if cfg.vision.num_classes:
            raise ValueError("the CLIP image tower has no classification head (vision.num_classes=0)")
        self.cfg = cfg
        self.visual = ViT(cfg.vision)
        self.text = TextTransformer(cfg.text)
        self.visual_projection = nn.Linear(cfg.vision.dim, cfg.embed_dim, bias=False)
        self.text_projection = nn.Linear(cfg.text.dim, cfg.embed_dim, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(float(cfg.logit_scale_init)))
        self.tokenizer = None  # a mmviz.tokenizers.Tokenizer, set below or by the loaders
        self.class_names: list[str] | None = None
        self.reset_parameters()
        if cfg.text.tokenizer == "shapes":
            from mmviz.tokenizers import shapes_tokenizer

            self.tokenizer = shapes_tokenizer(cfg.text.context_length)

    def reset_parameters(self) -> None:
        """Truncated-normal(0.02) weights as the ViT; token embeddings N(0, 0.02), positions N(0, 0.01)."""
        init_weights(self)
        self.visual.reset_parameters()
        nn.init.normal_(self.text.token_embed.weight, std=0.02)
        nn.init.normal_(self.text.pos_embed, std=0.01)

    # --- image tower -------------------------------------------------------------------------
    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """(I, 3, H, W) pixels in [0, 1] -> the image tower's input range."""
        return self.visual.normalize(images)

    def image_tokens(
        self, pixels: torch.Tensor, *, return_attn: bool = False
    ) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """The image tower: pixels (I, 3, H, W) normalised -> ((I, 1 + N, D_v) LayerNorm'ed tokens, attentions)."""
        return self.visual(pixels, return_attn=return_attn)

    def encode_image(self, pixels: torch.Tensor, normalize: bool = True) -> torch.Tensor:
        """Image embeddings from the [CLS] token.

        Args:
            pixels: (I, 3, H, W) normalised (see `normalize`).
            normalize: divide by the L2 norm (the cosine-similarity space).

        Returns:
            (I, E).
        """
        tokens, _ = self.visual(pixels)  # (I, 1+N, D_v)
        emb = self.visual_projection(tokens[:, 0])  # (I, E)
        return F.normalize(emb, dim=-1) if normalize else emb

    def encode_patches(self, pixels: torch.Tensor, normalize: bool = True) -> torch.Tensor:
        """Every patch token pushed through the same LayerNorm and projection as [CLS].

        CLIP was never trained to align patches with text (only [CLS]), so the similarity of a
        prompt with these is a rough picture, not a segmentation.

        Args:
            pixels: (I, 3, H, W) normalised.
            normalize: L2-normalise each patch embedding.

        Returns:
            (I, N, E), patches in row-major order of the (H/P, W/P) grid.
        """
        tokens, _ = self.visual(pixels)  # (I, 1+N, D_v)
        emb = self.visual_projection(tokens[:, 1:])  # (I, N, E)
        return F.normalize(emb, dim=-1) if normalize else emb

    # --- text tower --------------------------------------------------------------------------
    def text_tokens(
        self, input_ids: torch.Tensor, *, return_attn: bool = False
    ) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """The text tower: input_ids (T, L) -> ((T, L, D_t) LayerNorm'ed tokens, attentions)."""
        return self.text(input_ids, return_attn=return_attn)

    def encode_text(self, input_ids: torch.Tensor, normalize: bool = True) -> torch.Tensor:
        """Text embeddings from the output at each prompt's `<|endoftext|>` token.

        Args:
            input_ids: (T, L) int64 from the model's tokenizer (padding after the end token is
                never seen: attention is causal).
            normalize: divide by the L2 norm.

        Returns:
            (T, E).
        """
        tokens, _ = self.text(input_ids)  # (T, L, D_t)
        pooled = tokens[torch.arange(tokens.shape[0], device=tokens.device), self.text.eos_positions(input_ids)]
        emb = self.text_projection(pooled)  # (T, E)
        return F.normalize(emb, dim=-1) if normalize else emb

    def encode_prompts(self, prompts: list[str], normalize: bool = True) -> torch.Tensor:
        """Tokenise with the model's tokenizer and encode: T strings -> (T, E)."""
        if self.tokenizer is None:
            raise ValueError("this CLIP has no tokenizer attached")
        device = self.logit_scale.device
        return self.encode_text(self.tokenizer.encode(prompts, device=device)["input_ids"], normalize=normalize)

    @torch.no_grad()
    def clamp_logit_scale(self) -> None:
        """Keep the learned log scale in [0, ln 100], as CLIP does after every update."""
        self.logit_scale.clamp_(0, MAX_LOGIT_SCALE)

    # --- both ----------------------------------------------------------------------------------
    def forward(self, pixels: torch.Tensor, input_ids: torch.Tensor) -> CLIPOutput:
        """Similarity logits between every image and every prompt.

        Args:
            pixels: (I, 3, H, W) normalised.
            input_ids: (T, L) int64.

        Returns:
            CLIPOutput with logits_per_image = exp(logit_scale) * img @ txt^T (I, T).
        """
        img = self.encode_image(pixels)  # (I, E)
        txt = self.encode_text(input_ids)  # (T, E)
        logits_per_text = self.logit_scale.exp() * txt @ img.t()  # (T, I)
        return CLIPOutput(logits_per_text.t(), logits_per_text, img, txt)


def clip_loss(logits_per_image: torch.Tensor, matches: torch.Tensor | None = None) -> torch.Tensor:
    """Symmetric InfoNCE: the matching pair of row i is column i.

        loss = ( CE(logits, arange(B)) + CE(logits^T, arange(B)) ) / 2

    Args:
        logits_per_image: (B, B) scaled similarities, image i row, text j column.
        matches: optional (B, B) bool, True where text j also describes image i (the diagonal
            must be True). Each row's / column's target is then spread evenly over its matches,
            so a caption that fits two images of the batch is not pushed away from either.
            None = the diagonal only (CLIP's loss).

    Returns:
        scalar: mean of the image->text and text->image cross-entropies.
    """
    B = logits_per_image.shape[0]
    if matches is None:
        target = torch.arange(B, device=logits_per_image.device)  # (B,)
        return (F.cross_entropy(logits_per_image, target) + F.cross_entropy(logits_per_image.t(), target)) / 2
    m = matches.to(logits_per_image.dtype)  # (B, B)
    i2t = F.cross_entropy(logits_per_image, m / m.sum(1, keepdim=True))
    t2i = F.cross_entropy(logits_per_image.t(), (m / m.sum(0, keepdim=True)).t())
    return (i2t + t2i) / 2


def contrastive_loss(model: CLIP, batch: dict, *, flip: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """The InfoNCE loss of one batch of pairs, as training computes it (the recipe and live training).

    Args:
        model: a CLIP with a tokenizer.
        batch: dict(images (B, 3, S, S) in [0, 1], captions list[str], optional matches (B, B) bool),
            e.g. from mmviz.data.captions.clip_batch.
        flip: mirror a random half of the images (every caption of a one-object scene survives it).

    Returns:
        (scalar loss, logits_per_image (B, B)).
    """
    ids = model.tokenizer.encode(batch["captions"], device=model.logit_scale.device)["input_ids"]  # (B, L)
    images = batch["images"].to(model.logit_scale.device)
    if flip:
        mirror = torch.rand(len(ids)) < 0.5
        images = torch.where(mirror[:, None, None, None].to(images.device), images.flip(-1), images)
    out = model(model.normalize(images), ids)
    m = batch.get("matches")
    return clip_loss(out.logits_per_image, None if m is None else m.to(images.device)), out.logits_per_image
