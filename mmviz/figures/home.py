"""Home page figures: text, image and audio each turned into a token matrix (N, D), one figure per modality.

Each figure has two panels: the input cut into pieces (left) and the token matrix X of shape (N, D) (right).
The text panel is a hex dump of the UTF-8 bytes grouped by character ("한" = ED 95 9C: three tokens),
never a byte decoded alone (which would draw "�"); pictures travel as JPEG / PNG, the token matrices as
pictures under a hover grid (mmviz.figures.common.matrix_traces).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import TEXT, figure, grid_lines, image_uri, matrix_traces

__all__ = ["BYTES_PER_ROW", "MAX_BYTES_SHOWN", "fig_text", "fig_image", "fig_audio"]

#: bytes per row of the text's hex dump, and the most bytes drawn
BYTES_PER_ROW, MAX_BYTES_SHOWN = 16, 256
#: the two colours that alternate between characters: one-byte characters, and characters of several bytes
_ONE = ("#dbe9f6", "#c6dbef")
_MULTI = ("#fde0c5", "#facba6")


def _panels(split: float = 0.42, gap: float = 0.1) -> dict:
    """Two side-by-side panels: x/y (the input) and x2/y2 (the tokens)."""
    return {"xaxis": dict(domain=[0, split]), "yaxis": dict(domain=[0, 1]),
            "xaxis2": dict(domain=[split + gap, 1], anchor="y2"), "yaxis2": dict(domain=[0, 1], anchor="x2")}


def _tokens(tokens: np.ndarray, name: str, layout: dict) -> list:
    """The (N, D) token matrix in the right panel, on its own symmetric scale, with a colour bar beside it."""
    N, D = tokens.shape
    vmax = float(np.abs(tokens).max()) or 1.0
    traces = matrix_traces(tokens, colorscale="RdBu_r", zmin=-vmax, zmax=vmax, what="value", fmt=".3f",
                           rows="token", cols="dimension", xaxis="x2", yaxis="y2",
                           colorbar=dict(title=dict(text="value"), thickness=14, x=1.0, xanchor="left", len=0.9),
                           name=f"{name} tokens")
    layout["xaxis2"].update(title=dict(text=f"dimension (D = {D})"), range=[-0.5, D - 0.5], showgrid=False,
                            zeroline=False)
    layout["yaxis2"].update(title=dict(text=f"token (N = {N})"), range=[N - 0.5, -0.5], showgrid=False, zeroline=False)
    return traces


def fig_text(t: dict, *, title: str | None = None) -> go.Figure:
    """The text's UTF-8 bytes as a hex dump grouped by character (left) and its (N, D) tokens (right).

    Args:
        t: the output of :func:`mmviz.lessons.home.text_tokens` ("tokens", "bytes").

    Returns:
        Figure: a heatmap of the bytes (cell text: the character over its first byte, the byte in hex;
        colours alternate per character, orange for characters of several bytes; hover: token, byte,
        character, code point), then the token matrix.
    """
    b = t["bytes"]
    n = len(b["ids"])
    shown = min(n, MAX_BYTES_SHOWN)
    rows = -(-shown // BYTES_PER_ROW)
    z = np.full((rows, BYTES_PER_ROW), np.nan)
    text = [["" for _ in range(BYTES_PER_ROW)] for _ in range(rows)]
    custom = np.full((rows, BYTES_PER_ROW, 5), "", dtype=object)
    for k in range(shown):
        r, c = divmod(k, BYTES_PER_ROW)
        ci, nth, w = int(b["char"][k]), int(b["nth"][k]), int(b["width"][k])
        z[r, c] = (ci % 2) + (2 if w > 1 else 0)
        ch = b["chars"][ci]
        text[r][c] = f"<b>{ch if nth == 0 else '…'}</b><br>{b['hex'][k]}"
        custom[r, c] = [str(k), b["hex"][k], f"byte {nth + 1} of {w}" if w > 1 else "its only byte", ch,
                        b["codepoints"][ci]]
    scale = [[0, _ONE[0]], [1 / 3, _ONE[1]], [2 / 3, _MULTI[0]], [1, _MULTI[1]]]
    left = go.Heatmap(z=z, text=text, texttemplate="%{text}", textfont=dict(size=14, color=TEXT), colorscale=scale,
                      zmin=0, zmax=3, showscale=False, xgap=2, ygap=2, customdata=custom, hoverongaps=False,
                      name="bytes", hovertemplate="token %{customdata[0]}: byte 0x%{customdata[1]}<br>%{customdata[2]}"
                      " of “%{customdata[3]}” (%{customdata[4]})<extra></extra>")
    layout = _panels()
    layout["xaxis"].update(title=dict(text="byte in the row (+0 … +15)"), tickmode="array",
                           tickvals=list(range(BYTES_PER_ROW)), ticktext=[f"+{i:X}" for i in range(BYTES_PER_ROW)],
                           range=[-0.5, BYTES_PER_ROW - 0.5], showgrid=False, zeroline=False)
    layout["yaxis"].update(title=dict(text="token index of the row"), tickmode="array", tickvals=list(range(rows)),
                           ticktext=[str(r * BYTES_PER_ROW) for r in range(rows)], range=[rows - 0.5, -0.5],
                           showgrid=False, zeroline=False)
    traces = [left, *_tokens(t["tokens"], "text", layout)]
    more = f" (the first {shown} of {n} bytes drawn)" if shown < n else ""
    title = title or (f"Text: {len(b['chars'])} characters → {n} UTF-8 bytes = {n} tokens{more}; "
                      "orange: characters of several bytes")
    return figure(traces, layout, title=title, height=int(max(300, min(640, 150 + 44 * rows))))


def fig_image(t: dict, *, title: str | None = None) -> go.Figure:
    """The image cut into patches (left) and its (N, D) tokens (right).

    Args:
        t: the output of :func:`mmviz.lessons.home.image_tokens` ("view", "grid", "tokens").
    """
    img = t["view"]
    gh, gw, p = t["grid"]
    H, W = img.shape[:2]
    idx = np.arange(gh * gw).reshape(gh, gw)
    hover = go.Heatmap(z=idx, x0=(p - 1) / 2, dx=p, y0=(p - 1) / 2, dy=p, opacity=0, showscale=False, name="patches",
                       hovertemplate="patch %{z} → token %{z}<extra></extra>")
    layout = _panels()
    layout["xaxis"].update(title=dict(text="x (pixels)"), range=[-0.5, W - 0.5], showgrid=False, zeroline=False,
                           constrain="domain")
    layout["yaxis"].update(title=dict(text="y (pixels)"), range=[H - 0.5, -0.5], showgrid=False, zeroline=False,
                           scaleanchor="x", constrain="domain")
    traces = [go.Image(source=image_uri(img, 88), hoverinfo="skip", name="image"),
              grid_lines(gh, gw, p, p, color="rgba(255,255,255,0.8)"), hover,
              *_tokens(t["tokens"], "image", layout)]
    N = gh * gw
    title = title or f"Image: {W}×{H} px in {gh}×{gw} patches of {p}×{p} px = {N} tokens (read row by row)"
    return figure(traces, layout, title=title, height=380)


def fig_audio(t: dict, *, hop_ms: float = 10.0, title: str | None = None) -> go.Figure:
    """The log-mel spectrogram cut into 16×16 patches (left) and its (N, D) tokens (right).

    Args:
        t: the output of :func:`mmviz.lessons.home.audio_tokens` ("view" (M, T) dB, "grid" (F, Tp, P), "tokens").
        hop_ms: milliseconds per frame (the time axis).
    """
    S = t["view"]
    nf, nt, p = t["grid"]
    M, T = S.shape
    layout = _panels()
    traces = matrix_traces(S, colorscale="Viridis", zmin=-80, zmax=0, what="dB", fmt=".1f", rows="mel bin",
                           cols="frame", name="log-mel")
    traces.append(grid_lines(nf, nt, p, p, color="rgba(255,255,255,0.7)"))
    layout["xaxis"].update(title=dict(text=f"frame ({hop_ms:g} ms each)"), range=[-0.5, T - 0.5], showgrid=False,
                           zeroline=False)
    layout["yaxis"].update(title=dict(text="mel bin (low → high)"), range=[-0.5, M - 0.5], showgrid=False,
                           zeroline=False, scaleanchor="x")  # square cells: its 16×16 patches look square
    traces += _tokens(t["tokens"], "audio", layout)
    title = title or f"Audio: log-mel {M} bins × {T} frames in {nf}×{nt} patches of {p}×{p} = {nf * nt} tokens"
    return figure(traces, layout, title=title, height=380)
