"""Shared Plotly helpers: one look for every lesson, hover values everywhere; images as light data URIs.

The look is set here once, explicitly (not through a template, which Streamlit's chart theme replaces):
text dark enough on white for a projector (``TEXT``, contrast 15:1; Streamlit's theme would draw tick
labels 12 px light grey, 3.7:1) and at least 13 px, tick labels on every axis that shows ticks, colour
bars with the same text. Large matrices travel as one PNG (:func:`matrix_png`) under a coarse hover
grid (:func:`matrix_traces`): a few tens of kB instead of a value per cell.
"""

from __future__ import annotations

import base64
import io
import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale, sample_colorscale
from PIL import Image

#: the colour of all figure text (Streamlit's body text): contrast 15:1 on white
TEXT = "#262730"
#: the smallest text size of a figure, in px (tick labels, colour-bar ticks, annotations)
TEXT_PX = 14

#: Layout applied to every mmviz figure. No named template: assigning one re-validates the
#: whole template (~20 ms per figure); the text style is written on every axis and colour bar by figure().
LAYOUT = dict(
    margin=dict(l=10, r=10, t=48, b=10),
    font=dict(size=TEXT_PX, color=TEXT),
    hoverlabel=dict(font_size=TEXT_PX),
)

#: Plotly config passed to ``st.plotly_chart`` (no logo, a PNG download of the figure).
CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

_TICKS = dict(size=TEXT_PX - 1, color=TEXT)


def _title_height(title: str | None, height: int | None) -> dict:
    """Layout properties for an optional left-aligned title and a height."""
    extra: dict = {}
    if title is not None:
        extra["title"] = dict(text=title, x=0.0, xanchor="left", font=dict(size=TEXT_PX + 2, color=TEXT))
    if height is not None:
        extra["height"] = height
    return extra


def _text_style(layout: dict) -> dict:
    """Dark, readable text on every axis (tick labels, titles) and annotation of a layout dict; in place."""
    for k in [k for k in layout if k.startswith(("xaxis", "yaxis"))] + [k for k in ("xaxis", "yaxis") if k not in layout]:
        ax = layout.setdefault(k, {})
        if not isinstance(ax, dict):
            continue
        tf = ax.setdefault("tickfont", {})
        if isinstance(tf, dict):
            for name, v in _TICKS.items():
                tf.setdefault(name, v)
        if isinstance(ax.get("title"), dict):
            ax["title"].setdefault("font", {}).setdefault("color", TEXT)
    for k in [k for k in layout if k.startswith("coloraxis")]:
        if isinstance(layout[k], dict) and layout[k].get("showscale", True) is not False:
            cb = layout[k].setdefault("colorbar", {})
            cb.setdefault("tickfont", dict(_TICKS))
    for a in layout.get("annotations") or ():
        if isinstance(a, dict):
            f = a.setdefault("font", {})
            f.setdefault("color", TEXT)
            f["size"] = max(TEXT_PX - 1, f.get("size") or TEXT_PX)
    if isinstance(layout.get("legend"), dict) or "legend" not in layout:
        layout.setdefault("legend", {}).setdefault("font", {}).setdefault("color", TEXT)
    return layout


def _trace_style(trace) -> None:
    """Colour-bar ticks and titles of a trace in the shared text style."""
    cb = getattr(trace, "colorbar", None) if "colorbar" in trace else None
    if cb is not None and (getattr(trace, "showscale", None) is not False):
        if cb.tickfont.size is None:
            cb.tickfont.size = _TICKS["size"]
        if cb.tickfont.color is None:
            cb.tickfont.color = TEXT


def apply_layout(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the shared layout, a title and a height in one ``update_layout`` call; returns ``fig``."""
    fig.update_layout(**_text_style({**LAYOUT, **fig.layout.to_plotly_json(), **_title_height(title, height)}))
    for tr in fig.data:
        _trace_style(tr)
    return fig


def figure(data: Sequence, layout: dict | None = None, *, title: str | None = None,
           height: int | None = None) -> go.Figure:
    """Build a figure with the shared look in ONE validated step: traces + a layout dict.

    Same result as ``go.Figure(data)`` + ``update_xaxes`` / ``update_layout`` + :func:`apply_layout`,
    several times faster (each plotly ``update_*`` call re-validates; ~3 ms instead of ~12 ms for a
    heatmap). ``layout`` is laid over :data:`LAYOUT` (a key given there replaces the shared one);
    ``title`` and ``height`` are applied last. Every axis, annotation and colour bar gets the shared
    text style (dark, at least 13 px) unless the layout says otherwise.

    Args:
        data: the traces.
        layout: plotly layout properties, e.g. ``{"xaxis": dict(title=dict(text="x"))}``.
        title: figure title, left-aligned.
        height: figure height in pixels.
    """
    data = list(data)
    layout = dict(layout or {})
    for tr in data:
        _trace_style(tr)
        if isinstance(tr, go.Image) and tr.meta == MATRIX:  # see matrix_traces: a matrix's axes are free unless tied
            ax = "yaxis" + (tr.yaxis or "y")[1:]
            if "scaleanchor" not in layout.get(ax, {}):
                layout[ax] = {**layout.get(ax, {}), "scaleanchor": False}
    return go.Figure(data=data, layout=_text_style({**LAYOUT, **layout, **_title_height(title, height)}))


# --------------------------------------------------------------------------- matrices as images
#: ``meta`` of the picture of a matrix (:func:`matrix_traces`). Plotly ties the y axis of an image trace to its x
#: axis (square pixels), right for a photo but not for a matrix whose axes have their own units (seconds and Hz,
#: tokens and features): :func:`figure` unties it, as for the heatmap the picture stands for, unless the layout
#: sets the y axis' ``scaleanchor`` itself (square cells where they teach something).
MATRIX = "matrix"
_LUTS: dict[str, np.ndarray] = {}


def colormap_lut(colorscale) -> np.ndarray:
    """(256, 3) uint8: a Plotly colour scale (a name or [[position, colour], ...]) sampled at 256 levels."""
    key = colorscale if isinstance(colorscale, str) else repr(colorscale)
    if key not in _LUTS:
        scale = get_colorscale(colorscale) if isinstance(colorscale, str) else colorscale
        cols = sample_colorscale(scale, list(np.linspace(0, 1, 256)), colortype="tuple")
        _LUTS[key] = np.round(np.clip(np.asarray(cols, dtype=np.float64), 0, 1) * 255).astype(np.uint8)
    return _LUTS[key]


def matrix_png(z: np.ndarray, colorscale, zmin: float, zmax: float, *, max_side: int = 2048) -> str:
    """A matrix drawn with a colour scale as a PNG data URI, one pixel per cell (NaN: transparent); a
    noise-like matrix whose PNG would be large comes as a JPEG (quality 90, no chroma subsampling).

    Args:
        z: (rows, cols) values; row 0 is the top row of the picture.
        colorscale: a Plotly colour scale.
        zmin, zmax: the values at the two ends of the scale (outside: clipped).
        max_side: a larger matrix is block-averaged (nanmean) to at most this many pixels a side.

    Returns:
        "data:image/png;base64,...".
    """
    z = np.asarray(z, dtype=np.float64)
    f = max(1, math.ceil(max(z.shape) / max_side))
    if f > 1:
        h, w = math.ceil(z.shape[0] / f) * f, math.ceil(z.shape[1] / f) * f
        pad = np.pad(z, ((0, h - z.shape[0]), (0, w - z.shape[1])), constant_values=np.nan)
        with np.errstate(all="ignore"):
            z = np.nanmean(pad.reshape(h // f, f, w // f, f), axis=(1, 3))
    nan = ~np.isfinite(z)
    t = np.clip((np.nan_to_num(z) - zmin) / max(zmax - zmin, 1e-12), 0, 1)
    rgb = colormap_lut(colorscale)[np.round(t * 255).astype(np.uint8)]
    if nan.any():
        rgba = np.concatenate([rgb, np.where(nan, 0, 255).astype(np.uint8)[..., None]], axis=-1)
        im = Image.fromarray(rgba, "RGBA")
    else:
        im = Image.fromarray(rgb, "RGB")
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=False, compress_level=6)
    kind, data = "png", buf.getvalue()
    if len(data) > 32_000 and not nan.any():  # noise-like matrices do not compress: JPEG without chroma blur
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=90, subsampling=0)
        if len(buf.getvalue()) < len(data):
            kind, data = "jpeg", buf.getvalue()
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


def block_view(z: np.ndarray, max_rows: int, max_cols: int, *, how: str = "mean") -> tuple[np.ndarray, int, int]:
    """A matrix pooled in (fr, fc) blocks so that it has at most ``max_rows`` x ``max_cols`` cells.

    Returns:
        (pooled (ceil(rows/fr), ceil(cols/fc)), fr, fc); the ragged last blocks pool what they hold.
    """
    z = np.asarray(z, dtype=np.float64)
    fr, fc = max(1, math.ceil(z.shape[0] / max_rows)), max(1, math.ceil(z.shape[1] / max_cols))
    if fr == fc == 1:
        return z, 1, 1
    h, w = math.ceil(z.shape[0] / fr) * fr, math.ceil(z.shape[1] / fc) * fc
    pad = np.pad(z, ((0, h - z.shape[0]), (0, w - z.shape[1])), constant_values=np.nan)
    with np.errstate(all="ignore"):
        blocks = pad.reshape(h // fr, fr, w // fc, fc)
        out = np.nanmax(blocks, axis=(1, 3)) if how == "max" else np.nanmean(blocks, axis=(1, 3))
    return out, fr, fc


def matrix_traces(z: np.ndarray, *, colorscale, zmin: float | None = None, zmax: float | None = None,
                  zmid: float | None = None, what: str = "value", fmt: str = ".3f", rows: str = "row",
                  cols: str = "column", xfmt: str = "", yfmt: str = "", max_hover: int = 4096, exact: bool = False, x0: float = 0.0,
                  dx: float = 1.0, y0: float = 0.0, dy: float = 1.0, colorbar: dict | None = None,
                  name: str = "matrix", xaxis: str = "x", yaxis: str = "y") -> list:
    """A matrix as a picture (every cell, exact colours) under an invisible hover heatmap.

    A heatmap of every cell costs its values in the page and a redraw of each cell; the picture costs a
    few kB. The hover grid is pooled to at most ``max_hover`` cells (a block's mean; its hover names the
    rows and columns it covers) unless ``exact``, which sends every value (the full matrix on demand).

    Args:
        z: (R, C) values; cell (i, j) is drawn at (x0 + j*dx, y0 + i*dy) (reverse the y axis for a matrix).
        colorscale, zmin, zmax, zmid: the colour scale and its range (default: the data's, symmetric
            around ``zmid`` when given).
        what, fmt: the value's name and number format in the hover; rows, cols: what a row / column is
            (in the axis' units); yfmt, xfmt: their number formats (e.g. ".0f").
        max_hover: the most hover cells sent (unless ``exact``).
        x0, dx, y0, dy: where cell (0, 0) sits and the cell size, in axis units.
        colorbar: the colour bar's properties (None: no colour bar).

    Returns:
        [go.Image (the picture, ``meta`` :data:`MATRIX`: its axes stay free in :func:`figure`), go.Heatmap (hover
        and colour bar; ``z`` the hover grid)].
    """
    z = np.asarray(z, dtype=np.float64)
    R, C = z.shape
    finite = z[np.isfinite(z)]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if zmid is not None:
        m = max(abs(lo - zmid), abs(hi - zmid)) or 1.0
        lo, hi = zmid - m, zmid + m
    zmin = lo if zmin is None else zmin
    zmax = (hi if hi > zmin else zmin + 1.0) if zmax is None else zmax
    f = max(1, math.ceil(max(R, C) / 2048))  # matrix_png's own pooling of giant matrices
    pic = go.Image(source=matrix_png(z, colorscale, zmin, zmax), x0=x0 + (f - 1) / 2 * dx, dx=dx * f,
                   y0=y0 + (f - 1) / 2 * dy, dy=dy * f, hoverinfo="skip", name=name, xaxis=xaxis, yaxis=yaxis,
                   meta=MATRIX)
    if exact or R * C <= max_hover:
        hz, fr, fc = z, 1, 1
    else:
        aspect = C / max(R, 1)
        mc = max(1, min(C, int(round(math.sqrt(max_hover * aspect)))))
        hz, fr, fc = block_view(z, max(1, max_hover // mc), mc)
    kw: dict = {}
    xf, yf = f":{xfmt}" if xfmt else "", f":{yfmt}" if yfmt else ""
    if fr == fc == 1:
        hover = f"{rows} %{{y{yf}}}<br>{cols} %{{x{xf}}}<br>{what} %{{z:{fmt}}}"
        kw.update(x0=x0, dx=dx, y0=y0, dy=dy)
    else:  # a hover cell stands for fr x fc cells: placed at their centre, its value their mean
        kw.update(x0=x0 + (fc - 1) / 2 * dx, dx=dx * fc, y0=y0 + (fr - 1) / 2 * dy, dy=dy * fr)
        hover = (f"{rows} ≈ %{{y{yf or ':.0f'}}}, {cols} ≈ %{{x{xf or ':.0f'}}}<br>{what} %{{z:{fmt}}} "
                 f"(mean of the {fr}×{fc} cells around it)")
    heat = go.Heatmap(z=hz.astype(np.float32), zmin=zmin, zmax=zmax, colorscale=colorscale, opacity=0,
                      showscale=colorbar is not None, colorbar=colorbar or {}, hoverongaps=False, name=name,
                      hovertemplate=hover + "<extra></extra>", xaxis=xaxis, yaxis=yaxis, **kw)
    return [pic, heat]


# --------------------------------------------------------------------------- labels that do not collide
_PLACES = ("top center", "bottom center", "middle right", "middle left", "top right", "top left", "bottom right",
           "bottom left")


def place_labels(x: np.ndarray, y: np.ndarray, texts: Sequence[str], *, width_px: float = 700, height_px: float = 400,
                 font_px: float = TEXT_PX, marker_px: float = 13, equal: bool = False) -> list[str]:
    """A ``textposition`` for every point so that labels overlap neither each other nor the markers (greedy,
    in the order given; a label that fits nowhere keeps "top center").

    Args:
        x, y: (n,) the points, in data units (one set of axes).
        texts: (n,) the labels.
        width_px, height_px: the plot area's size on screen (about), to turn text size into data units.
        font_px, marker_px: text and marker size.
        equal: the axes have equal units (``scaleanchor``).

    Returns:
        n positions for ``go.Scatter(textposition=...)``.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) == 0:
        return []
    sx = (np.nanmax(x) - np.nanmin(x)) * 1.15 or 1.0
    sy = (np.nanmax(y) - np.nanmin(y)) * 1.15 or 1.0
    kx, ky = width_px / sx, height_px / sy
    if equal:
        kx = ky = min(kx, ky)
    px, py = x * kx, y * ky  # points in (approximate) screen pixels, y up
    half = marker_px / 2 + 2
    boxes = [(a - half, b - half, a + half, b + half) for a, b in zip(px, py)]  # the markers
    out = []
    for a, b, t in zip(px, py, texts):
        w, h = 0.62 * font_px * len(str(t)) + 2, font_px + 2
        choice = _PLACES[0]
        for place in _PLACES:
            vert, horiz = place.split()
            cx = a + {"center": 0.0, "right": half + w / 2, "left": -half - w / 2}[horiz]
            cy = b + {"top": half + h / 2, "bottom": -half - h / 2, "middle": 0.0}[vert]
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in boxes):
                choice = place
                boxes.append(box)
                break
        out.append(choice)
    return out


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


#: the colour of the progress strip under a growth animation (the app's primary colour)
STRIP_RGB = (76, 110, 245)


def growth_gif(frames: Sequence[np.ndarray], min_side: int = 360, seconds: float = 1.5, strip: int = 6) -> bytes:
    """An animated GIF that plays ``frames`` (each an (S, S, 3) uint8 image, e.g. a generated image growing code by
    code) once in about ``seconds``, then stays on the last one: the browser plays it, so the server need not wait.
    Each frame is enlarged by :func:`crisp` and gets a progress strip ``strip`` px high under it (frame i of n
    fills (i+1)/n of its width).
    """
    if not len(frames):
        raise ValueError("growth_gif needs at least one frame")
    arr = np.stack([np.asarray(f, np.uint8) for f in frames])  # (n, H, W, 3)
    n, h, w, _ = arr.shape
    k = crisp(arr[0], min_side)[1]
    # one palette for all frames (quantized once, at the frames' own size), then enlarged as indices: fast
    tall = Image.fromarray(arr.reshape(n * h, w, 3)).quantize(254, method=Image.Quantize.FASTOCTREE,
                                                             dither=Image.Dither.NONE)
    idx = np.asarray(tall, np.uint8).reshape(n, h, w)
    palette = (tall.getpalette() or [])[: 254 * 3]
    palette += [0, 0, 0] * (254 - len(palette) // 3) + [*STRIP_RGB, 230, 230, 230]  # 254: the strip, 255: its rest
    pics = []
    for i in range(n):
        big = np.repeat(np.repeat(idx[i], k, 0), k, 1)
        bar = np.full((strip, big.shape[1]), 255, np.uint8)
        bar[:, : max(1, round(big.shape[1] * (i + 1) / n))] = 254
        pic = Image.fromarray(np.concatenate([big, bar], 0))  # "L"; putpalette makes it "P"
        pic.putpalette(palette)
        pics.append(pic)
    # GIF delays are in 10 ms units; browsers slow anything under 20 ms down to 100 ms
    ms = max(20, 10 * round(1000 * seconds / n / 10))
    buf = io.BytesIO()
    # no ``loop``: no looping extension is written, so the animation plays once and stays on its last frame
    pics[0].save(buf, format="GIF", save_all=True, append_images=pics[1:], duration=ms, optimize=False)
    return buf.getvalue()


# --------------------------------------------------------------------------- text attention (BertViz-style)
#: weights below this are not drawn as lines in the head view
LINE_MIN = 0.02
#: RGB of the lines of the chosen query token; the other rows are drawn grey
LINE_RGB = "31,119,180"
TRUE_RGB = "44,160,44"


def _lines(pairs: list[tuple[float, float, float]], rgb: str, *, levels: int = 8, width: float = 7.0,
           name: str = "attention", alpha: float = 1.0) -> list[go.Scatter]:
    """Lines from (0, y_query) to (1, y_key), width and opacity growing with the weight w, grouped into
    ``levels`` traces (one trace per weight level keeps a figure of T^2 lines light); ``alpha`` scales the opacity."""
    buckets: dict[int, list] = {}
    for yq, yk, w in pairs:
        buckets.setdefault(min(levels - 1, int(w * levels)), []).append((yq, yk))
    out = []
    for b, segs in sorted(buckets.items()):
        w = (b + 0.5) / levels
        xs, ys = [], []
        for yq, yk in segs:
            xs += [0, 1, None]
            ys += [yq, yk, None]
        out.append(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False, name=name,
                              line=dict(width=0.6 + width * w, color=f"rgba({rgb},{alpha * min(1.0, 0.12 + w ** 0.6):.3f})")))
    return out


def token_label(tok: str, n: int = 14) -> str:
    """A token as a label: spaces made visible (GPT-2's leading space), long ones shortened."""
    t = tok.replace(" ", "␣").replace("\n", "⏎") or "∅"
    return t if len(t) <= n else t[: n - 1] + "…"


def fig_head_view(attn: np.ndarray, q_tokens: Sequence[str], k_tokens: Sequence[str] | None = None, *,
                  selected: int | None = None, title: str = "", true_pairs: Sequence[tuple[int, int]] = (),
                  q_label: str = "query (looks)", k_label: str = "key (is looked at)", min_weight: float = LINE_MIN,
                  height: int | None = None) -> go.Figure:
    """BertViz's head view of one head: the tokens in two columns, a line from every query token (left)
    to every key token (right) it attends to, width and opacity = the weight.

    Args:
        attn: (Tq, Tk) post-softmax weights, rows sum to 1 (a masked weight is 0 and draws nothing).
        q_tokens: (Tq,) query tokens; k_tokens: (Tk,) key tokens (default: the same, self-attention).
        selected: a query index: its lines are drawn in colour with hover values, the others grey.
        title: figure title.
        true_pairs: (query, key) pairs drawn as dashed green lines (e.g. a known alignment).
        q_label, k_label: column headings.
        min_weight: weights below it get no line.
        height: pixels (default: 26 px per token).

    Returns:
        Figure; trace 0 is the query tokens (``point_index`` = query index, for a click), trace 1 the keys.
    """
    A = np.asarray(attn, dtype=np.float32)
    Tq, Tk = A.shape
    k_tokens = list(q_tokens) if k_tokens is None else list(k_tokens)
    n = max(Tq, Tk)  # both columns span the same height: the shorter one is spread out
    yq = -np.arange(Tq, dtype=np.float32) * ((n - 1) / max(Tq - 1, 1))
    yk = -np.arange(Tk, dtype=np.float32) * ((n - 1) / max(Tk - 1, 1))
    top = np.argsort(-A, axis=1)[:, :3]
    q_hover = [f"query {i} <b>{token_label(q_tokens[i])}</b><br>looks most at: " +
               ", ".join(f"{token_label(k_tokens[j])} {A[i, j]:.3f}" for j in top[i] if A[i, j] > 0) for i in range(Tq)]
    col = A.sum(0)
    sel = selected if selected is not None and 0 <= selected < Tq else None
    k_hover = [f"key {j} <b>{token_label(k_tokens[j])}</b><br>" +
               (f"weight from {token_label(q_tokens[sel])}: {A[sel, j]:.4f}<br>" if sel is not None else "") +
               f"weight received from all queries: {col[j]:.3f}" for j in range(Tk)]
    size = [16 if i == sel else 9 for i in range(Tq)]
    q_color = [f"rgb({LINE_RGB})" if i == sel else "rgb(120,120,120)" for i in range(Tq)]
    text_q = [f"<b>{token_label(t)}</b>" if i == sel else token_label(t) for i, t in enumerate(q_tokens)]
    traces: list = [
        go.Scatter(x=np.zeros(Tq), y=yq, mode="markers+text", text=text_q, textposition="middle left",
                   marker=dict(size=size, color=q_color, symbol="square"), hovertext=q_hover, hoverinfo="text",
                   name="queries", textfont=dict(size=15), showlegend=False),
        go.Scatter(x=np.ones(Tk), y=yk, mode="markers+text", text=[token_label(t) for t in k_tokens],
                   textposition="middle right", marker=dict(size=9, color="rgb(120,120,120)", symbol="square"),
                   hovertext=k_hover, hoverinfo="text", name="keys", textfont=dict(size=15), showlegend=False),
    ]
    grey = [(yq[i], yk[j], float(A[i, j])) for i in range(Tq) for j in range(Tk)
            if A[i, j] >= min_weight and i != sel]
    traces += _lines(grey, "150,150,150" if sel is not None else LINE_RGB, name="other queries",
                     alpha=0.35 if sel is not None else 1.0)
    if sel is not None:
        mine = [(yq[sel], yk[j], float(A[sel, j])) for j in range(Tk) if A[sel, j] >= min_weight / 4]
        traces += _lines(mine, LINE_RGB, width=10.0, name="chosen query")
        js = [j for j in range(Tk) if A[sel, j] >= min_weight / 4]
        traces.append(go.Scatter(
            x=np.full(len(js), 0.5), y=[(yq[sel] + yk[j]) / 2 for j in js], mode="markers", showlegend=False,
            marker=dict(size=12, color="rgba(0,0,0,0)"), name="weights",
            hovertext=[f"{token_label(q_tokens[sel])} → {token_label(k_tokens[j])}: {A[sel, j]:.4f}" for j in js],
            hoverinfo="text"))
    if len(true_pairs):
        xs, ys = [], []
        for i, j in true_pairs:
            xs += [0, 1, None]
            ys += [yq[i], yk[j], None]
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", name="true alignment", hoverinfo="skip",
                                 line=dict(color=f"rgba({TRUE_RGB},0.9)", width=2, dash="dash")))
    layout = {"xaxis": dict(range=[-0.75, 1.75], visible=False, fixedrange=True),
              "yaxis": dict(range=[-n + 0.4, 1.1], visible=False, fixedrange=True),
              "showlegend": bool(len(true_pairs)), "legend": dict(orientation="h", y=-0.02, yanchor="top"),
              "clickmode": "event+select", "dragmode": False, "hovermode": "closest",
              "margin": dict(l=5, r=5, t=60, b=10),
              "annotations": [dict(x=0, y=1.0, text=q_label, showarrow=False, xanchor="right", yanchor="bottom",
                                   font=dict(size=13, color="gray")),
                              dict(x=1, y=1.0, text=k_label, showarrow=False, xanchor="left", yanchor="bottom",
                                   font=dict(size=13, color="gray"))]}
    return figure(traces, layout, title=title, height=height or int(110 + 26 * n))


def fig_token_matrix(attn: np.ndarray, q_tokens: Sequence[str], k_tokens: Sequence[str] | None = None, *,
                     selected: int | None = None, mask: np.ndarray | None = None, title: str = "",
                     true_pairs: Sequence[tuple[int, int]] = (), q_title: str = "query token",
                     k_title: str = "key token", colorscale: str = "Blues", height: int | None = None) -> go.Figure:
    """The (Tq, Tk) attention matrix of one head with the tokens on the axes; masked cells grey.

    Args:
        attn: (Tq, Tk) post-softmax weights.
        q_tokens, k_tokens: axis labels (duplicates allowed: the axes are positions).
        selected: a query row to outline.
        mask: (Tq, Tk) bool, True = may attend; False cells are drawn grey ("masked: -inf before softmax").
        true_pairs: (query, key) cells to mark with a green ring (a known alignment).

    Returns:
        Figure: trace 0 the attention heatmap (``z`` (Tq, Tk), masked cells None), then the mask, ring and
        outline traces; the hover gives both tokens and the weight.
    """
    A = np.asarray(attn, dtype=np.float32)
    Tq, Tk = A.shape
    k_tokens = list(q_tokens) if k_tokens is None else list(k_tokens)
    qs, ks = [token_label(t) for t in q_tokens], [token_label(t) for t in k_tokens]
    z = np.round(A, 4).astype(object)
    if mask is not None:
        z[~np.asarray(mask, dtype=bool)] = None
    text = [[f"{qs[i]} → {ks[j]}" for j in range(Tk)] for i in range(Tq)]
    traces: list = [go.Heatmap(z=z, x=np.arange(Tk), y=np.arange(Tq), text=text, colorscale=colorscale, zmin=0,
                               zmax=max(float(A.max()), 1e-6), name="attention", hoverongaps=False,
                               colorbar=dict(title=dict(text="weight"), thickness=14),
                               hovertemplate="%{text}<br>weight %{z:.4f}<extra></extra>")]
    if mask is not None and not np.asarray(mask).all():
        m = np.where(np.asarray(mask, dtype=bool), np.nan, 1.0)
        traces.append(go.Heatmap(z=m, x=np.arange(Tk), y=np.arange(Tq), showscale=False, name="masked",
                                 colorscale=[[0, "rgb(225,225,225)"], [1, "rgb(225,225,225)"]], hoverongaps=False,
                                 hovertemplate="masked: −∞ before the softmax, weight 0<extra></extra>"))
    if len(true_pairs):
        i, j = np.asarray(true_pairs).T
        traces.append(go.Scatter(x=j, y=i, mode="markers", name="true alignment", hoverinfo="skip",
                                 marker=dict(symbol="circle-open", size=14, line=dict(width=2.5),
                                             color=f"rgb({TRUE_RGB})")))
    if selected is not None and 0 <= selected < Tq:
        traces.append(go.Scatter(x=[-0.5, Tk - 0.5, Tk - 0.5, -0.5, -0.5],
                                 y=[selected - 0.5, selected - 0.5, selected + 0.5, selected + 0.5, selected - 0.5],
                                 mode="lines", line=dict(color="rgb(255,127,14)", width=3), hoverinfo="skip",
                                 name="chosen query"))
    tick = dict(size=14 if max(Tq, Tk) <= 24 else 12 if max(Tq, Tk) <= 40 else 9, color="#31333F")
    layout = {"xaxis": dict(title=dict(text=k_title), tickmode="array", tickvals=list(range(Tk)), ticktext=ks,
                            tickangle=-60, tickfont=tick, range=[-0.5, Tk - 0.5], constrain="domain"),
              "yaxis": dict(title=dict(text=q_title), tickmode="array", tickvals=list(range(Tq)), ticktext=qs,
                            autorange="reversed", tickfont=tick, constrain="domain",
                            **({"scaleanchor": "x"} if Tq == Tk else {})),  # square cells for self-attention
              "showlegend": bool(len(true_pairs)), "legend": dict(orientation="h", y=1.02, yanchor="bottom", x=1,
                                                                  xanchor="right"),
              "plot_bgcolor": "white"}
    return figure(traces, layout, title=title, height=height or int(min(760, 170 + 22 * max(Tq, Tk))))


def fig_head_grid(attn: np.ndarray, titles: Sequence[Sequence[str]], *, selected: tuple[int, int] | None = None,
                  row_label: str = "layer", colorscale: str = "Blues", panel_px: int = 150,
                  q_tokens: Sequence[str] | None = None, k_tokens: Sequence[str] | None = None) -> go.Figure:
    """Every head as a thumbnail (BertViz's model view): rows = layers, columns = heads.

    Args:
        attn: (L, h, Tq, Tk) weights.
        titles: (L, h) a short label per head (e.g. its measured pattern).
        selected: (layer, head) outlined in orange.
        row_label: what a row is ("layer", "decoder layer").
        q_tokens, k_tokens: tokens for the hover (small sentences only; else positions).

    Returns:
        Figure with L*h heatmaps, each with its own colour range (0 .. its max); hover: layer, head,
        query, key, weight.
    """
    A = np.asarray(attn, dtype=np.float32)
    L, h, Tq, Tk = A.shape
    k_tokens = q_tokens if k_tokens is None else k_tokens
    named = q_tokens is not None and L * h * Tq * Tk <= 60_000
    text = ([[f"{token_label(q_tokens[i])} → {token_label(k_tokens[j])}" for j in range(Tk)] for i in range(Tq)]
            if named else None)
    gap_x, gap_y = 0.02, 0.25 / L
    wd, ht = (1 - gap_x * (h - 1)) / h, (1 - gap_y * (L - 1)) / L
    traces, ann, shapes = [], [], []
    layout: dict = {"showlegend": False, "margin": dict(l=50, r=10, t=40, b=10)}
    for li in range(L):
        for hi in range(h):
            k = li * h + hi
            ax = "" if k == 0 else str(k + 1)
            xd = [max(0.0, hi * (wd + gap_x)), min(1.0, hi * (wd + gap_x) + wd)]
            yd = [max(0.0, 1 - (li + 1) * ht - li * gap_y), min(1.0, 1 - li * (ht + gap_y))]
            where = "%{text}" if named else "query %{y} → key %{x}"
            traces.append(go.Heatmap(z=np.round(A[li, hi], 3), text=text, xaxis=f"x{ax}", yaxis=f"y{ax}",
                                     colorscale=colorscale, zmin=0, zmax=max(float(A[li, hi].max()), 1e-6),
                                     showscale=False, name=f"L{li} H{hi}",
                                     hovertemplate=f"{row_label} {li}, head {hi}<br>{where}<br>weight %{{z:.3f}}"
                                                   "<extra></extra>"))
            layout[f"xaxis{ax}"] = dict(domain=xd, visible=False, anchor=f"y{ax}", fixedrange=True)
            layout[f"yaxis{ax}"] = dict(domain=yd, visible=False, anchor=f"x{ax}", autorange="reversed",
                                        fixedrange=True)
            ann.append(dict(text=titles[li][hi], x=(xd[0] + xd[1]) / 2, y=yd[1], xref="paper", yref="paper",
                            xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=14)))
            if selected == (li, hi):
                shapes.append(dict(type="rect", xref="paper", yref="paper", x0=xd[0] - 0.004, x1=xd[1] + 0.004,
                                   y0=yd[0] - 0.004, y1=yd[1] + 0.004, line=dict(color="rgb(255,127,14)", width=3)))
        ann.append(dict(text=f"{row_label} {li}", x=-0.005, y=1 - li * (ht + gap_y) - ht / 2, xref="paper",
                        yref="paper", xanchor="right", showarrow=False, textangle=-90, font=dict(size=14)))
    layout["annotations"], layout["shapes"] = ann, shapes
    return figure(traces, layout, height=int(50 + L * panel_px * (1 + gap_y)))
