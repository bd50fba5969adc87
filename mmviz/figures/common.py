"""Shared Plotly helpers: one look for every lesson, hover values everywhere; images as light data URIs."""

from __future__ import annotations

import base64
import io
import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import Image

#: Layout applied to every mmviz figure. No named template: assigning one re-validates the
#: whole template (~20 ms per figure); Streamlit's chart theme styles the figures instead.
LAYOUT = dict(
    margin=dict(l=10, r=10, t=40, b=10),
    font=dict(size=13),
    hoverlabel=dict(font_size=13),
)

#: Plotly config passed to ``st.plotly_chart`` (no logo, a PNG download of the figure).
CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _title_height(title: str | None, height: int | None) -> dict:
    """Layout properties for an optional left-aligned title and a height."""
    extra: dict = {}
    if title is not None:
        extra["title"] = dict(text=title, x=0.0, xanchor="left")
    if height is not None:
        extra["height"] = height
    return extra


def apply_layout(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the shared layout, a title and a height in one ``update_layout`` call; returns ``fig``."""
    fig.update_layout(**LAYOUT, **_title_height(title, height))
    return fig


def figure(data: Sequence, layout: dict | None = None, *, title: str | None = None,
           height: int | None = None) -> go.Figure:
    """Build a figure with the shared look in ONE validated step: traces + a layout dict.

    Same result as ``go.Figure(data)`` + ``update_xaxes`` / ``update_layout`` + :func:`apply_layout`,
    several times faster (each plotly ``update_*`` call re-validates; ~3 ms instead of ~12 ms for a
    heatmap). ``layout`` is laid over :data:`LAYOUT` (a key given there replaces the shared one);
    ``title`` and ``height`` are applied last.

    Args:
        data: the traces.
        layout: plotly layout properties, e.g. ``{"xaxis": dict(title=dict(text="x"))}``.
        title: figure title, left-aligned.
        height: figure height in pixels.
    """
    return go.Figure(data=list(data), layout={**LAYOUT, **(layout or {}), **_title_height(title, height)})


def image_trace(img: np.ndarray, *, name: str = "image") -> go.Image:
    """An RGB image as a Plotly trace whose hover shows the pixel position and colour.

    Args:
        img: ``(H, W, 3)`` uint8 array.
    """
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) image, got shape {img.shape}")
    return go.Image(
        z=img.astype(np.uint8),
        name=name,
        hovertemplate="x=%{x}, y=%{y}<br>RGB=%{z}<extra></extra>",
    )


def heatmap(
    z: np.ndarray,
    *,
    x: Sequence | None = None,
    y: Sequence | None = None,
    xtitle: str = "",
    ytitle: str = "",
    ztitle: str = "value",
    colorscale: str = "RdBu_r",
    zmid: float | None = None,
    title: str | None = None,
    hover_fmt: str = ".3f",
    height: int | None = None,
    reverse_y: bool = True,
    decimals: int | None = 4,
) -> go.Figure:
    """A heatmap whose hover names both axes and the value.

    Args:
        z: ``(rows, cols)`` values; rounded to ``decimals`` to keep the payload small.
        x, y: optional tick values for columns / rows.
        xtitle, ytitle, ztitle: axis and colour-bar titles, also used in the hover text.
        zmid: centre of a diverging colour scale (e.g. 0 for signed values).
        reverse_y: draw row 0 at the top, as in a matrix.
    """
    z = np.asarray(z, dtype=np.float64)
    if decimals is not None:
        z = np.round(z, decimals)
    xt, yt = xtitle or "column", ytitle or "row"
    trace = go.Heatmap(
        z=z,
        x=x,
        y=y,
        colorscale=colorscale,
        zmid=zmid,
        colorbar=dict(title=dict(text=ztitle)),
        hovertemplate=f"{yt}=%{{y}}<br>{xt}=%{{x}}<br>{ztitle}=%{{z:{hover_fmt}}}<extra></extra>",
    )
    axes = {"xaxis": dict(title=dict(text=xtitle)),
            "yaxis": dict(title=dict(text=ytitle), autorange="reversed" if reverse_y else True)}
    return figure([trace], axes, title=title, height=height)


def grid_lines(n_rows: int, n_cols: int, cell_h: float, cell_w: float, *, color: str = "white",
               width: float = 1.0, name: str = "grid") -> go.Scatter:
    """All lines of an ``n_rows x n_cols`` grid as ONE scatter trace (None-separated segments).

    One trace instead of hundreds of layout shapes keeps a figure fast to send and draw.
    """
    H, W = n_rows * cell_h, n_cols * cell_w
    xs: list[float | None] = []
    ys: list[float | None] = []
    for r in range(n_rows + 1):
        y = r * cell_h - 0.5
        xs += [-0.5, W - 0.5, None]
        ys += [y, y, None]
    for c in range(n_cols + 1):
        x = c * cell_w - 0.5
        xs += [x, x, None]
        ys += [-0.5, H - 0.5, None]
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=width),
                      hoverinfo="skip", showlegend=False, name=name)


def image_uri(img: np.ndarray, quality: int = 92, max_width: int | None = None) -> str:
    """Encode an ``(H, W, 3)`` (or greyscale ``(H, W)``) uint8 image as a JPEG data URI (a few tens of kB
    instead of H*W*3 bytes); wider than ``max_width``, it is box-filtered to that width first."""
    im = Image.fromarray(img)
    if max_width is not None and im.width > max_width:
        im = im.resize((max_width, im.height), Image.Resampling.BOX)
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def downsample(img: np.ndarray, max_px: int = 448) -> tuple[np.ndarray, int]:
    """Block-average an image so that its longer side is at most ``max_px``.

    Args:
        img: ``(H, W, 3)`` uint8.
        max_px: largest side to display.

    Returns:
        ``(small, f)``: ``(H//f, W//f, 3)`` uint8 and the integer factor ``f`` (1 = unchanged).
    """
    H, W = img.shape[:2]
    f = max(1, math.ceil(max(H, W) / max_px))
    if f == 1:
        return img, 1
    h, w = H // f, W // f
    small = img[: h * f, : w * f].reshape(h, f, w, f, 3).mean(axis=(1, 3))
    return np.round(small).astype(np.uint8), f


def crisp(img: np.ndarray, min_side: int = 256) -> tuple[np.ndarray, int]:
    """Enlarge a small (H, W, 3) uint8 image by an integer factor k (pixel repetition) so that its
    shorter side is at least ``min_side``; returns (image, k)."""
    k = max(1, math.ceil(min_side / max(1, min(img.shape[:2]))))
    return (np.repeat(np.repeat(img, k, 0), k, 1) if k > 1 else img), k


