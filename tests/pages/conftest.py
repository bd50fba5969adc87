"""Helpers for page tests: Plotly specs with Plotly's typed arrays decoded back to lists."""

import base64
import json

import numpy as np
import pytest

_DTYPES = {"f8": np.float64, "f4": np.float32, "i1": np.int8, "u1": np.uint8, "i2": np.int16,
           "u2": np.uint16, "i4": np.int32, "u4": np.uint32, "i8": np.int64, "u8": np.uint64}


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


@pytest.fixture
def plotly_specs():
    """``plotly_specs(at) -> list[dict]``: every plotly_chart's figure, typed arrays decoded."""

    def specs(at):
        return [_decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]

    return specs
