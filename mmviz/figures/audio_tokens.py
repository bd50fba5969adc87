"""Figures of the audio tokens lesson: numpy arrays in, ``go.Figure`` out, hover values everywhere.

Spectrograms use Viridis (low = dark blue), frequency grows upwards. Large arrays arrive already
pooled (mmviz.lessons.audio_tokens.pool_max); grid lines are one scatter trace with ``None`` separators.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import TEXT_PX, block_view, figure, image_uri, matrix_traces

__all__ = ["fig_waveform", "fig_stft", "fig_mel_filters", "fig_log_mel", "fig_log_mel_patches", "fig_patch_sequence",
           "fig_token_curve", "fig_cls_attention", "fig_predictions"]

SPEC = "Viridis"
SEL, NEXT = "rgb(255,80,80)", "rgb(0,229,255)"  # selected patch, its right-hand neighbour
ATTN = [[0.0, "rgba(255,200,0,0)"], [0.3, "rgba(255,150,0,0.45)"], [1.0, "rgba(235,20,0,0.95)"]]  # clear -> red


def fig_waveform(env: dict, *, seconds: float, title: str | None = None) -> go.Figure:
    """The waveform as its min/max envelope per time bucket (env from waveform_envelope)."""
    t = np.asarray(env["t"], np.float32)
    hi = go.Scatter(x=t, y=np.asarray(env["hi"], np.float32), mode="lines", line=dict(color="#1f77b4", width=1), name="max",
                    hovertemplate="t = %{x:.3f} s<br>max %{y:.3f}<extra></extra>")
    lo = go.Scatter(x=t, y=np.asarray(env["lo"], np.float32), mode="lines", line=dict(color="#1f77b4", width=1), fill="tonexty",
                    fillcolor="rgba(31,119,180,0.5)", name="min",
                    hovertemplate="t = %{x:.3f} s<br>min %{y:.3f}<extra></extra>")
    lim = max(1e-3, float(max(abs(env["lo"].min()), abs(env["hi"].max())))) * 1.05
    layout = dict(xaxis=dict(title=dict(text="time (s)"), range=[0, seconds]),
                  yaxis=dict(title=dict(text="amplitude"), range=[-lim, lim]), showlegend=False)
    return figure([hi, lo], layout, title=title, height=220)


def fig_stft(view: dict, *, title: str | None = None, height: int = 360) -> go.Figure:
    """|STFT|² in dB over time (s) and frequency (Hz); view from stft_view (possibly pooled), drawn as a picture
    under a hover grid (mmviz.figures.common.matrix_traces)."""
    fr, fc = view["pool"]
    times, freqs = view["times"], view["freqs"]
    dt = float(times[1] - times[0]) if len(times) > 1 else 1.0
    df = float(freqs[1] - freqs[0]) if len(freqs) > 1 else 1.0
    traces = matrix_traces(view["z"], colorscale=SPEC, zmin=-80, zmax=0, what="dB" if fr * fc == 1 else "dB (cell max)",
                           fmt=".1f", rows="f (Hz)", cols="t (s)", yfmt=".0f", xfmt=".3f", x0=float(times[0]), dx=dt,
                           y0=float(freqs[0]), dy=df, colorbar=dict(title=dict(text="dB"), thickness=14), name="STFT")
    layout = dict(xaxis=dict(title=dict(text="time (s)"), range=[times[0] - dt / 2, times[-1] + dt / 2], showgrid=False,
                             zeroline=False),
                  yaxis=dict(title=dict(text="frequency (Hz)"), range=[freqs[0] - df / 2, freqs[-1] + df / 2],
                             showgrid=False, zeroline=False))
    return figure(traces, layout, title=title, height=height)


def fig_mel_filters(mel: dict, *, sr: int, title: str | None = None) -> go.Figure:
    """Every mel filter drawn as its triangle of weights over the FFT bins (mel from mel_lesson).

    Two traces (even / odd filters, so neighbours differ in colour), each one None-separated line;
    the hover gives the filter, the bin frequency and the weight.
    """
    M, bin_hz = mel["M"], mel["bin_hz"]
    f = np.arange(M.shape[1]) * bin_hz
    traces = []
    for parity, color in ((0, "#1f77b4"), (1, "#ff7f0e")):
        xs, ys, cd = [], [], []
        for m in range(parity, M.shape[0], 2):
            nz = np.flatnonzero(M[m])
            if not len(nz):
                continue
            k = np.arange(max(0, nz[0] - 1), min(M.shape[1], nz[-1] + 2))  # the support plus its zero ends
            xs += [*f[k].round(1), None]
            ys += [*M[m, k].round(6), None]
            cd += [m] * len(k) + [None]
        traces.append(go.Scatter(x=xs, y=ys, customdata=cd, mode="lines", line=dict(color=color, width=1.2),
                                 name="even filters" if parity == 0 else "odd filters",
                                 hovertemplate="filter %{customdata}<br>%{x:.0f} Hz<br>weight %{y:.5f}<extra></extra>"))
    layout = dict(xaxis=dict(title=dict(text="frequency (Hz)"), range=[0, sr / 2]),
                  yaxis=dict(title=dict(text="weight (area-normalised)")), showlegend=False)
    return figure(traces, layout, title=title, height=300)


def fig_log_mel(S: np.ndarray, centres: np.ndarray, *, hop_s: float, max_cols: int = 1200,
                title: str | None = None) -> go.Figure:
    """The log-mel spectrogram over time and mel bands (S (n_mels, n_frames) dB; centres (n_mels,) Hz).

    A picture of every frame (max-pooled beyond ``max_cols`` frames) under a hover grid; the y axis names the
    centre frequency of a few bands.
    """
    H, W = S.shape
    z, _, fc = block_view(S, H, max_cols, how="max")
    traces = matrix_traces(z, colorscale=SPEC, zmin=-80, zmax=0, what="dB", fmt=".1f", rows="mel band", cols="t (s)",
                           xfmt=".2f", x0=(fc - 1) / 2 * hop_s, dx=fc * hop_s,
                           colorbar=dict(title=dict(text="dB"), thickness=14), name="log-mel")
    ticks = sorted({0, H // 4, H // 2, 3 * H // 4, H - 1})
    layout = dict(xaxis=dict(title=dict(text="time (s)"), range=[-hop_s / 2, (W - 0.5) * hop_s], showgrid=False,
                             zeroline=False),
                  yaxis=dict(title=dict(text="mel band (centre frequency)"), range=[-0.5, H - 0.5], showgrid=False,
                             zeroline=False, tickmode="array", tickvals=ticks,
                             ticktext=[f"{b} ({centres[b]:.0f} Hz)" for b in ticks]))
    return figure(traces, layout, title=title, height=330)


def _grid_trace(n_rows: int, n_cols: int, *, patch: int, stride: int, H: int, W: int) -> go.Scatter:
    """Lines where every patch starts (frequency rows / time columns) over an H x W spectrogram."""
    xs, ys = [], []
    for c in range(n_cols):
        x = c * stride - 0.5
        xs += [x, x, None]
        ys += [-0.5, H - 0.5, None]
    for r in range(n_rows):
        y = r * stride - 0.5
        xs += [-0.5, W - 0.5, None]
        ys += [y, y, None]
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="rgba(255,255,255,0.35)", width=1),
                      hoverinfo="skip", showlegend=False, name="patch starts")


def _box(r: int, c: int, patch: int, stride: int, color: str, name: str) -> go.Scatter:
    y0, x0 = r * stride - 0.5, c * stride - 0.5
    y1, x1 = y0 + patch, x0 + patch
    return go.Scatter(x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], mode="lines", name=name,
                      line=dict(color=color, width=2.5), hoverinfo="skip", showlegend=False)


def fig_log_mel_patches(S: np.ndarray, grid: tuple[int, int], *, patch: int, stride: int, selected: int,
                        hop_s: float, max_cols: int = 600, title: str | None = None) -> go.Figure:
    """The log-mel spectrogram with its patch grid, one patch and its right neighbour outlined.

    Args:
        S: (n_mels, n_frames) dB.
        grid: (F, Tp) patch grid.
        patch, stride: patch side and step (bins / frames).
        selected: patch index k (frequency-major: row k // Tp, column k % Tp).
        hop_s: seconds per frame (for the hover).
        max_cols: frames drawn at most (pooled by max beyond that).

    Returns:
        Figure: the spectrogram heatmap, patch-start lines, two boxes, and an invisible hover
        heatmap of (F, Tp) patch indices at the patch centres.
    """
    H, W = S.shape
    F_, Tp = grid
    z, _, fc = block_view(S, H, max_cols, how="max")
    spec = matrix_traces(z, colorscale=SPEC, zmin=-80, zmax=0, what="dB", fmt=".1f", rows="mel bin", cols="frame",
                         x0=(fc - 1) / 2, dx=fc, max_hover=1024, colorbar=dict(title=dict(text="dB"), thickness=14),
                         name="log-mel")
    spec[1].update(hoverinfo="skip", hovertemplate=None)  # the patch grid below gives the hover
    idx = np.arange(F_ * Tp).reshape(F_, Tp)
    custom = np.stack([idx // Tp, idx % Tp, idx // Tp * stride, idx % Tp * stride,
                       np.round(idx % Tp * stride * hop_s * 1000).astype(int)], -1).astype(np.int32)
    hover = go.Heatmap(z=idx, x0=patch / 2 - 0.5, dx=stride, y0=patch / 2 - 0.5, dy=stride, opacity=0,
                       showscale=False, customdata=custom, name="patches",
                       hovertemplate=(f"patch %{{z}} (row %{{customdata[0]}}, col %{{customdata[1]}})<br>"
                                      f"mel bins %{{customdata[2]}}..+{patch - 1}, frames %{{customdata[3]}}..+{patch - 1}"
                                      f"<br>starts at %{{customdata[4]}} ms<extra></extra>"))
    r, c = divmod(selected, Tp)
    traces = [*spec, _grid_trace(F_, Tp, patch=patch, stride=stride, H=H, W=W), hover,
              _box(r, c, patch, stride, SEL, "selected patch")]
    if c + 1 < Tp:
        traces.append(_box(r, c + 1, patch, stride, NEXT, "next patch"))
    layout = dict(xaxis=dict(title=dict(text="frame"), range=[-0.5, W - 0.5], showgrid=False),
                  yaxis=dict(title=dict(text="mel bin"), range=[-0.5, H - 0.5], showgrid=False,
                             scaleanchor="x"))  # square cells: the P×P patches look square
    return figure(traces, layout, title=title, height=380)


def fig_patch_sequence(patches: np.ndarray, grid: tuple[int, int], *, patch: int, n_show: int = 24,
                       title: str | None = None) -> go.Figure:
    """The first tokens of the sequence: [CLS], [DIST], then patch tiles in reading order.

    Args:
        patches: (N, patch*patch) dB values (rows from spectrogram_patches).
        grid: (F, Tp).
        patch: side of a patch.
        n_show: tiles drawn.

    Returns:
        Figure: one heatmap of the tiles side by side (NaN gaps), hover = token, patch (row, col),
        value; labels above each tile.
    """
    F_, Tp = grid
    n = min(n_show, len(patches))
    gap = 2
    wtile = patch + gap
    Z = np.full((patch, (n + 2) * wtile), np.nan, np.float32)
    tok = np.full_like(Z, -1)
    for i in range(n):
        x0 = (i + 2) * wtile
        Z[:, x0:x0 + patch] = patches[i].reshape(patch, patch)
        tok[:, x0:x0 + patch] = i
    heat = go.Heatmap(z=np.round(Z, 1), colorscale=SPEC, zmin=-80, zmax=0, showscale=False, customdata=tok.astype(np.int16),
                      hovertemplate="patch %{customdata} → token %{customdata}+2<br>value %{z:.1f} dB<extra></extra>")
    boxes = []
    ann = []
    for j, (label, color) in enumerate((("[CLS]", "#ff7f0e"), ("[DIST]", "#9467bd"))):
        x0 = j * wtile - 0.5
        boxes.append(go.Scatter(x=[x0, x0 + patch, x0 + patch, x0, x0], y=[-0.5, -0.5, patch - 0.5, patch - 0.5, -0.5],
                                mode="lines", fill="toself", line=dict(color=color), fillcolor=color, showlegend=False,
                                name=label, hovertemplate=f"token {j}: {label}, a learned vector<extra></extra>"))
        ann.append(dict(x=x0 + patch / 2, y=patch, text=label, yanchor="bottom", showarrow=False, font=dict(size=13)))
    for i in range(n):
        r, c = divmod(i, Tp)
        ann.append(dict(x=(i + 2) * wtile + patch / 2 - 0.5, y=patch, text=f"{i}<br>({r},{c})", yanchor="bottom",
                        showarrow=False, font=dict(size=13)))
    layout = dict(xaxis=dict(visible=False, range=[-1, (n + 2) * wtile]),
                  yaxis=dict(visible=False, range=[-0.5, patch * 1.6], scaleanchor="x"),
                  annotations=ann, margin=dict(l=5, r=5, t=40, b=5))
    return figure([heat, *boxes], layout, title=title, height=200)


def fig_token_curve(curve: dict, *, current_s: float, current_tokens: int, title: str | None = None) -> go.Figure:
    """Tokens (left axis, a line) and attention weights per head and layer (right axis, a parabola) against duration."""
    s = curve["seconds"]
    cd = np.stack([curve["frames"], curve["patches"], curve["memory_mb"]], -1).astype(float)
    tokens = go.Scatter(x=s, y=curve["tokens"].astype(float), mode="lines", name="tokens N + 2", customdata=cd,
                        line=dict(color="#1f77b4", width=2),
                        hovertemplate=("%{x:.1f} s → %{customdata[0]} frames → %{customdata[1]} patches"
                                       "<br>%{y} tokens<extra></extra>"))
    attn = go.Scatter(x=s, y=curve["attention"].astype(float), mode="lines", name="attention weights (N + 2)²", yaxis="y2",
                      customdata=cd, line=dict(color="#2ca02c", width=2, dash="dot"),
                      hovertemplate=("%{x:.1f} s: %{y:,} weights per head per layer<br>"
                                     "12 heads × 12 layers in float32: %{customdata[2]:,.0f} MB<extra></extra>"))
    here = go.Scatter(x=[current_s], y=[current_tokens], mode="markers", name="this clip",
                      marker=dict(size=12, color="#d62728"),
                      hovertemplate="this clip: %{x:.2f} s, %{y} tokens<extra></extra>")
    layout = dict(xaxis=dict(title=dict(text="clip duration (s)")),
                  yaxis=dict(title=dict(text="tokens"), rangemode="tozero"),
                  yaxis2=dict(title=dict(text="attention weights per head and layer"), overlaying="y", side="right",
                              showgrid=False, rangemode="tozero"),
                  legend=dict(orientation="h", y=-0.25))
    return figure([tokens, attn, here], layout, title=title, height=340)


def _gray_uri(img: np.ndarray, max_w: int = 512) -> str:
    """(H, W) float in [0, 1], row 0 at the top -> greyscale JPEG data URI at most max_w wide."""
    return image_uri(np.round(img * 255).astype(np.uint8), quality=85, max_width=max_w)


def _cell_edges(n: int, patch: int, stride: int) -> np.ndarray:
    """Edges of n cells, one per patch, split halfway between neighbouring patch centres; the outer
    edges are the outer edges of the first and last patch. (n + 1,) in bin / frame coordinates."""
    centres = np.arange(n) * stride + (patch - 1) / 2
    inner = (centres[:-1] + centres[1:]) / 2
    return np.concatenate([[-0.5], inner, [(n - 1) * stride + patch - 0.5]])


def fig_cls_attention(features: np.ndarray, maps: np.ndarray, *, patch: int, fstride: int, tstride: int,
                      n_valid: int, cols: int = 2, titles: list[str] | None = None) -> go.Figure:
    """[CLS] -> patch attention of every head, drawn over the model's input spectrogram.

    Args:
        features: (M, T) model input (mel bins as rows).
        maps: (h, F, Tp) attention weights, one map per head; each panel is clear up to the uniform
            weight 1 / (N + 2) and fully red at its own maximum.
        patch, fstride, tstride: the patch layout (each patch gets the cell around its centre).
        n_valid: frames holding audio; the padding after it is shaded.
        cols: panels per row.

    Returns:
        Figure with, per head, the spectrogram as a greyscale layout image (low frequencies at the
        bottom) and a heatmap of the weights whose hover gives head, patch, row, column and weight.
    """
    M, T = features.shape
    h, F_, Tp = maps.shape
    uniform = 1.0 / (F_ * Tp + 2)  # the weight of every key if attention were spread evenly
    lo, hi = np.percentile(features, [1, 99.5])
    src = _gray_uri(np.clip((features - lo) / max(hi - lo, 1e-6), 0, 1)[::-1], max_w=1200 // cols)  # high f on top
    xe, ye = _cell_edges(Tp, patch, tstride), _cell_edges(F_, patch, fstride)
    rows = math.ceil(h / cols)
    panel_h = int(np.clip(1200 / cols * M / T, 90, 240))
    height = 30 + rows * (panel_h + 28)
    gap_x, gap_y = 0.03, 28 / height  # room for each panel's title
    wd, ht = (1 - gap_x * (cols - 1)) / cols, (1 - gap_y * (rows - 1)) / rows
    idx = np.arange(F_ * Tp).reshape(F_, Tp)
    custom = np.stack([idx, idx // Tp, idx % Tp], -1)
    titles = titles or [f"head {i} · max {maps[i].max():.3f}" for i in range(h)]
    traces: list = []
    layout: dict = {"showlegend": False, "annotations": [], "images": [], "margin": dict(l=5, r=5, t=30, b=5)}
    for i in range(h):
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        r, c = divmod(i, cols)
        layout["images"].append(dict(source=src, xref=xa, yref=ya, x=-0.5, y=M - 0.5, sizex=T, sizey=M,
                                     sizing="stretch", layer="below", xanchor="left", yanchor="top"))
        z = maps[i]
        traces.append(go.Heatmap(z=np.round(z, 5), x=xe, y=ye, zmin=uniform, zmax=max(float(z.max()), uniform * 1.01),
                                 colorscale=ATTN, showscale=False, customdata=custom, xaxis=xa, yaxis=ya, name=f"head {i}",
                                 hovertemplate=(f"head {i}<br>[CLS] → patch %{{customdata[0]}} (row %{{customdata[1]}}, "
                                                "col %{customdata[2]})<br>weight %{z:.4g}<extra></extra>")))
        if n_valid < T:
            traces.append(go.Scatter(x=[n_valid - 0.5, T - 0.5, T - 0.5, n_valid - 0.5, n_valid - 0.5],
                                     y=[-0.5, -0.5, M - 0.5, M - 0.5, -0.5], fill="toself", mode="lines",
                                     fillcolor="rgba(120,120,120,0.55)", line=dict(width=0), hoverinfo="skip",
                                     xaxis=xa, yaxis=ya))
        xd = [max(0.0, round(c * (wd + gap_x), 6)), min(1.0, round(c * (wd + gap_x) + wd, 6))]
        yd = [max(0.0, round(1 - (r + 1) * ht - r * gap_y, 6)), min(1.0, round(1 - r * (ht + gap_y), 6))]
        layout[f"xaxis{ax}"] = dict(domain=xd, range=[-0.5, T - 0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, anchor=ya)
        layout[f"yaxis{ax}"] = dict(domain=yd, range=[-0.5, M - 0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, anchor=xa)
        layout["annotations"].append(dict(text=titles[i], x=sum(xd) / 2, y=yd[1], xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=TEXT_PX - 1)))
    return figure(traces, layout, height=height)


def fig_predictions(top: list[tuple[str, float]], *, multi_label: bool, title: str | None = None) -> go.Figure:
    """Top predictions as horizontal bars (sigmoid scores for multi-label AudioSet, else softmax)."""
    labels = [t[0] for t in top][::-1]
    probs = [t[1] for t in top][::-1]
    what = "sigmoid score" if multi_label else "softmax probability"
    bar = go.Bar(x=probs, y=labels, orientation="h", marker_color="#1f77b4", text=[f"{p:.1%}" for p in probs],
                 textposition="outside", cliponaxis=False,
                 hovertemplate=f"%{{y}}<br>{what} %{{x:.4f}}<extra></extra>")
    layout = dict(xaxis=dict(title=dict(text=what), range=[0, 1.15]), yaxis=dict(automargin=True))
    return figure([bar], layout, title=title, height=60 + 34 * len(top))
