"""Pick the torch device the app runs on.

Order: the environment variable ``MMVIZ_DEVICE`` (if set) wins, then an explicit
``prefer`` argument, then CUDA, then Apple's MPS, then the CPU.

Example:
    >>> dev = pick_device()          # cuda if present, else mps, else cpu
    >>> device_label(dev)
    'CPU'

``torch_threads(n)`` is the one place that limits torch's (process-wide) intra-op thread count.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator

import torch

ENV_VAR = "MMVIZ_DEVICE"

_VALID = re.compile(r"^(cpu|mps|cuda)(:\d+)?$")


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def _check(value: str, source: str) -> torch.device:
    """Turn a device string into a torch.device, refusing unknown or absent devices.

    Args:
        value: e.g. "cpu", "cuda", "cuda:1", "mps" (case and spaces ignored).
        source: where the value came from, used in the error message.

    Returns:
        The torch.device.

    Raises:
        ValueError: the value is not a device name or that device is not available.
    """
    name = value.strip().lower()
    m = _VALID.match(name)
    if m is None or (m.group(1) == "cpu" and m.group(2) not in (None, ":0")):
        raise ValueError(
            f"{source} is {value!r}, which is not a device; use cpu, cuda, cuda:N or mps."
        )
    kind, index = m.group(1), m.group(2)
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"{source} is {value!r}, but CUDA is not available on this machine.")
        if index is not None and int(index[1:]) >= torch.cuda.device_count():
            raise ValueError(
                f"{source} is {value!r}, but this machine has only "
                f"{torch.cuda.device_count()} CUDA device(s)."
            )
    if kind == "mps":
        if not _mps_available():
            raise ValueError(f"{source} is {value!r}, but MPS is not available on this machine.")
        if index not in (None, ":0"):
            raise ValueError(f"{source} is {value!r}, but there is only one MPS device (mps).")
    return torch.device(name)


def pick_device(prefer: str | None = None) -> torch.device:
    """Choose the device for models and tensors.

    Args:
        prefer: optional device name ("cpu", "cuda", "cuda:1", "mps"); used when the
            environment variable MMVIZ_DEVICE is not set.

    Returns:
        torch.device: MMVIZ_DEVICE if set, else ``prefer``, else cuda if available,
        else mps if available, else cpu.

    Raises:
        ValueError: MMVIZ_DEVICE (or ``prefer``) names an invalid or unavailable device.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return _check(env, f"The environment variable {ENV_VAR}")
    if prefer:
        return _check(prefer, "The requested device")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if _mps_available():
        return torch.device("mps")
    return torch.device("cpu")


def device_label(device: torch.device | str) -> str:
    """A short human-readable name for a device, for the sidebar.

    Args:
        device: a torch.device or device string.

    Returns:
        "CPU", "CUDA (NVIDIA H100 80GB HBM3)", "MPS (Apple GPU)", ...
    """
    device = torch.device(device)
    if device.type == "cuda":
        try:
            name = torch.cuda.get_device_name(device)
        except Exception:  # no driver, bad index: still give a label
            name = "GPU"
        return f"CUDA ({name})"
    if device.type == "mps":
        return "MPS (Apple GPU)"
    if device.type == "cpu":
        return "CPU"
    return device.type.upper()


_THREADS_LOCK = threading.Lock()
_THREADS = {"active": Counter(), "saved": None}  # requested limits of the blocks inside, count before the first


@contextlib.contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run the block with at most ``n`` torch intra-op threads; the count comes back afterwards.

    torch's thread count is one setting for the whole process, so blocks that overlap (two students
    on one server, a live training run and a page's small follow-up ops) share it: the first block
    in saves the count, every block in or out sets it to the smallest limit still active, and the
    last block out restores the saved count. Whatever the interleaving, the count returns.

    Args:
        n: the most threads this block wants (at least 1).
    """
    n = max(1, int(n))
    with _THREADS_LOCK:
        if not _THREADS["active"]:
            _THREADS["saved"] = torch.get_num_threads()
        _THREADS["active"][n] += 1
        torch.set_num_threads(min(min(_THREADS["active"]), _THREADS["saved"]))
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _THREADS["active"][n] -= 1
            if not _THREADS["active"][n]:
                del _THREADS["active"][n]
            active = _THREADS["active"]
            torch.set_num_threads(min(min(active), _THREADS["saved"]) if active else _THREADS["saved"])
