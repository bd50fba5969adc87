"""The English catalogue: every module's ``STRINGS`` in one mapping (a key's prefix names its module)."""

from __future__ import annotations

from mmviz.i18n.en import (
    app,
    attention_maps,
    audio_tokens,
    bert_gpt,
    clip_similarity,
    common,
    encoder_decoder,
    fusion,
    home,
    image_tokens,
    inputs,
    models,
    patch_tokenization,
    positional_encoding,
    swin_windows,
)

MODULES = (common, app, inputs, models, home, patch_tokenization, positional_encoding, attention_maps, swin_windows,
           audio_tokens, clip_similarity, bert_gpt, encoder_decoder, image_tokens, fusion)
STRINGS: dict[str, str] = {k: v for m in MODULES for k, v in m.STRINGS.items()}
