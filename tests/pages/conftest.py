"""Helpers for the page tests (AppTest), as fixtures: Plotly specs with Plotly's typed arrays decoded back
to lists, a chart by its key, heatmap traces, metric values and the numbers in a text.

Every page test builds its own AppTest (function scope, or module scope when the tests only read it), so
the tests pass in any order.
"""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

_DTYPES = {"f8": np.float64, "f4": np.float32, "i1": np.int8, "u1": np.uint8, "i2": np.int16,
           "u2": np.uint16, "i4": np.int32, "u4": np.uint32, "i8": np.int64, "u8": np.uint64}
_NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _decode(obj):
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=_DTYPES[obj["dtype"]])
            if "shape" in obj:
                shape = obj["shape"]
                shape = [int(s) for s in shape.split(",")] if isinstance(shape, str) else shape
                arr = arr.reshape(shape)
            return arr.tolist()
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def _specs(at) -> list[dict]:
    return [_decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text``: "38,416" -> 38416.0, "1.5e-08", "−0.25" (a minus sign) -> -0.25."""
    return [float(m.replace(",", "").replace("−", "-")) for m in _NUMBER.findall(text)]


@pytest.fixture
def plotly_specs():
    """``plotly_specs(at) -> list[dict]``: every plotly_chart's figure, typed arrays decoded."""
    return _specs


@pytest.fixture
def chart():
    """``chart(at, key) -> dict``: the decoded figure of the plotly_chart drawn with ``key``."""

    def by_key(at, key: str) -> dict:
        for c, spec in zip(at.get("plotly_chart"), _specs(at)):
            if c.proto.id.endswith(f"-{key}"):
                return spec
        raise AssertionError(f"no chart {key!r}: {[c.proto.id for c in at.get('plotly_chart')]}")

    return by_key


@pytest.fixture
def heat():
    """``heat(spec) -> list[dict]``: the heatmap traces of a figure."""
    return lambda spec: [t for t in spec["data"] if t["type"] == "heatmap"]


@pytest.fixture
def metric():
    """``metric(at, label) -> str``: the value shown by the metric with this label."""

    def value(at, label: str) -> str:
        for m in at.metric:
            if m.label == label:
                return m.value
        raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")

    return value


@pytest.fixture
def numbers():
    """``numbers(text) -> list[float]``: every number written in a text (see :func:`numbers_in`)."""
    return numbers_in


@pytest.fixture
def number(metric):
    """``number(at, label) -> float``: a metric's value as a number ("38,416" -> 38416.0, "5.05 s" -> 5.05)."""

    def value(at, label: str) -> float:
        found = numbers_in(metric(at, label))
        assert found, f"metric {label!r} holds no number"
        return found[0]

    return value
