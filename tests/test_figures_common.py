"""The shared figure helpers: one-step ``figure`` gives the same figure as the update_* path; images for display."""

import base64
import copy
import io

import numpy as np
import plotly.graph_objects as go
import pytest

from PIL import Image

from mmviz.figures.common import LAYOUT, apply_layout, crisp, downsample, figure, growth_gif, heatmap, image_uri


def test_figure_equals_update_path():
    z = np.arange(12, dtype=np.float32).reshape(3, 4)
    trace = go.Heatmap(z=z, hovertemplate="r=%{y}<br>c=%{x}<br>v=%{z:.2f}<extra></extra>")
    slow = go.Figure(trace)
    slow.update_xaxes(title=dict(text="column"))
    slow.update_yaxes(title=dict(text="row"), autorange="reversed")
    apply_layout(slow, title="t", height=300)
    fast = figure([trace], {"xaxis": dict(title=dict(text="column")),
                            "yaxis": dict(title=dict(text="row"), autorange="reversed")}, title="t", height=300)
    assert fast.to_plotly_json() == slow.to_plotly_json()


def test_figure_layout_overrides_shared_keys_and_keeps_the_rest():
    shared = copy.deepcopy(LAYOUT)
    fig = figure([go.Scatter(x=[0, 1], y=[1, 2])], {"margin": dict(l=0, r=0, t=80, b=0)})
    assert fig.layout.margin.t == 80 and fig.layout.font.size == LAYOUT["font"]["size"]
    assert fig.layout.title.text is None and fig.layout.height is None
    assert LAYOUT == shared and LAYOUT["margin"]["t"] != 80  # the shared dict is not mutated


def test_heatmap_hover_and_axes():
    fig = heatmap(np.eye(3), xtitle="key", ytitle="query", ztitle="w", title="A", height=250)
    assert fig.data[0].hovertemplate == "query=%{y}<br>key=%{x}<br>w=%{z:.3f}<extra></extra>"
    assert fig.layout.xaxis.title.text == "key" and fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.title.text == "A" and fig.layout.height == 250 and fig.layout.margin.l == 10


def test_downsample_and_crisp():
    img = np.arange(512 * 512 * 3, dtype=np.uint32).reshape(512, 512, 3).astype(np.uint8)
    small, f = downsample(img, 448)
    assert f == 2 and small.shape == (256, 256, 3) and small.dtype == np.uint8
    same, f1 = downsample(img[:224, :224], 448)
    assert f1 == 1 and same.shape == (224, 224, 3)
    big, k = crisp(np.zeros((8, 10, 3), np.uint8), 64)
    assert k == 8 and big.shape == (64, 80, 3)


def test_a_matrix_picture_leaves_its_axes_free_unless_the_layout_ties_them():
    from mmviz.figures.common import MATRIX, matrix_traces

    z = np.arange(12.0).reshape(3, 4)
    traces = matrix_traces(z, colorscale="Viridis", dx=0.01, dy=100.0)  # seconds across, hertz up
    assert traces[0].meta == MATRIX
    free = figure(traces, {"yaxis": dict(title=dict(text="Hz"))})
    assert free.layout.yaxis.scaleanchor is False and free.layout.yaxis.title.text == "Hz"  # Plotly would tie it
    tied = figure(matrix_traces(z, colorscale="Viridis"), {"yaxis": dict(scaleanchor="x")})
    assert tied.layout.yaxis.scaleanchor == "x"
    right = figure(matrix_traces(z, colorscale="Viridis", xaxis="x2", yaxis="y2"), {})
    assert right.layout.yaxis2.scaleanchor is False and right.layout.yaxis.scaleanchor is None
    photo = figure([go.Image(z=np.zeros((4, 4, 3)))], {})
    assert photo.layout.yaxis.scaleanchor is None  # a photo keeps Plotly's square pixels


def test_growth_gif_plays_the_frames_once_enlarged_with_a_progress_strip_and_ends_on_the_last():
    rng = np.random.default_rng(0)
    final = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    frames = []
    for i in range(16):  # a grey image filled cell by cell (2×2 px cells) in raster order
        f = np.full((8, 8, 3), 128, np.uint8)
        for c in range(i + 1):
            r, q = divmod(c, 4)
            f[2 * r:2 * r + 2, 2 * q:2 * q + 2] = final[2 * r:2 * r + 2, 2 * q:2 * q + 2]
        frames.append(f)
    gif = Image.open(io.BytesIO(growth_gif(frames, min_side=40, seconds=1.6, strip=4)))
    assert gif.format == "GIF" and gif.n_frames == 16 and gif.size == (40, 44)  # 8 px × 5, and the strip
    assert "loop" not in gif.info  # no looping extension: played once, then the last frame stays
    shown, total = [], 0
    for i in range(16):
        gif.seek(i)
        total += gif.info["duration"]
        shown.append(np.asarray(gif.convert("RGB")))
    assert total == 16 * 100  # 1.6 s in 10 ms units
    for i in (0, 7, 15):
        err = np.abs(shown[i][:40].astype(int) - crisp(frames[i], 40)[0])  # one 254-colour palette for all frames
        assert err.mean() < 2 and err.max() <= 16
        strip = shown[i][40:, :, 2]  # blue channel: the filled part is the primary colour (blue 245), the rest 230
        assert (strip[:, : 40 * (i + 1) // 16] == 245).all() and (strip[:, 40 * (i + 1) // 16 + 1:] == 230).all()
    with pytest.raises(ValueError):
        growth_gif([])


def test_image_uri_is_a_jpeg_of_the_image_and_can_shrink_its_width():
    gray = np.tile(np.linspace(0, 255, 1000).astype(np.uint8), (20, 1))  # (20, 1000) greyscale
    for uri, width in ((image_uri(gray), 1000), (image_uri(gray, max_width=250), 250)):
        assert uri.startswith("data:image/jpeg;base64,")
        im = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
        assert im.size == (width, 20) and im.mode == "L"
    rgb = image_uri(np.zeros((4, 6, 3), np.uint8))
    assert Image.open(io.BytesIO(base64.b64decode(rgb.split(",", 1)[1]))).size == (6, 4)
