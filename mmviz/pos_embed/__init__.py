"""Positional encodings: how a transformer is told where each token sits.

Self-attention treats its input as a *set*: shuffle the tokens and the outputs shuffle the
same way (``permutation_demo`` measures it). To give the model a notion of order we add
(or, with RoPE, multiply in) a signal that depends on the position.

Everything here is a plain function a page can call and show with ``inspect.getsource``:

- ``sinusoidal_1d``: the fixed sin/cos table of "Attention Is All You Need".
- ``sincos_2d``: the 2D sin-cos table for a patch grid (MAE / ViT).
- ``cosine_similarity_matrix`` / ``dot_product_matrix``: compare positions with each other.
- ``rope_angles`` / ``apply_rope``: rotary position embedding (RoFormer).
- ``relative_position_index``: Swin's table of relative offsets inside an M x M window.
- ``interpolate_pos_embed``: resize a position table to a new patch grid (DeiT / DINO).

One concept per file: ``sinusoidal``, ``rope``, ``relative``, ``interpolate``. The demos and the
NumPy results of the positional encoding page live in ``mmviz.lessons.positional_encoding``.

Shapes: N tokens (positions), D width, (gh, gw) patch grid rows x columns, row-major order.
"""

from __future__ import annotations

from mmviz.pos_embed import interpolate, relative, rope, sinusoidal  # the submodules, for __all__
from mmviz.pos_embed.interpolate import interpolate_pos_embed
from mmviz.pos_embed.relative import relative_position_index
from mmviz.pos_embed.rope import apply_rope, rope_angles, rope_pair_trajectory, rope_score_matrix
from mmviz.pos_embed.sinusoidal import (
    cosine_similarity_matrix,
    dot_product_matrix,
    similarity_by_distance,
    sincos_2d,
    sinusoidal_1d,
)

__all__: list[str] = []  # every public name of the submodules, in reading order
__all__ += sinusoidal.__all__
__all__ += rope.__all__
__all__ += relative.__all__
__all__ += interpolate.__all__
