"""mmviz.device: pick_device order (env > prefer > cuda > mps > cpu) and labels."""

from __future__ import annotations

import pytest
import torch

from mmviz import device as dev
from mmviz.device import device_label, pick_device


@pytest.fixture
def machine(monkeypatch):
    """Pretend hardware: machine(cuda=n_gpus, mps=bool)."""
    monkeypatch.delenv("MMVIZ_DEVICE", raising=False)

    def set_hw(cuda: int = 0, mps: bool = False) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda > 0)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: cuda)
        monkeypatch.setattr(dev, "_mps_available", lambda: mps)

    return set_hw


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [(0, False, "cpu"), (1, False, "cuda"), (0, True, "mps"), (2, True, "cuda")],
)
def test_auto_order(machine, cuda, mps, expected):
    machine(cuda=cuda, mps=mps)
    assert pick_device() == torch.device(expected)


@pytest.mark.parametrize("value", ["cpu", "CPU", " cuda ", "cuda:1", "mps"])
def test_env_override(machine, monkeypatch, value):
    machine(cuda=2, mps=True)
    monkeypatch.setenv("MMVIZ_DEVICE", value)
    assert pick_device() == torch.device(value.strip().lower())
    assert pick_device(prefer="cpu") == torch.device(value.strip().lower())  # env wins


def test_env_cpu_on_gpu_machine(machine, monkeypatch):
    machine(cuda=1)
    monkeypatch.setenv("MMVIZ_DEVICE", "cpu")
    assert pick_device().type == "cpu"


def test_prefer(machine):
    machine(cuda=1)
    assert pick_device(prefer="cpu") == torch.device("cpu")
    with pytest.raises(ValueError, match="'mps'.*MPS is not available"):
        pick_device(prefer="mps")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("gpu", r"'gpu', which is not a device"),
        ("tpu", r"'tpu', which is not a device"),
        ("cpu:3", r"'cpu:3', which is not a device"),
        ("cuda:x", r"'cuda:x', which is not a device"),
        ("cuda", r"'cuda', but CUDA is not available"),
        ("cuda:0", r"'cuda:0', but CUDA is not available"),
        ("mps", r"'mps', but MPS is not available"),
    ],
)
def test_env_invalid_or_unavailable(machine, monkeypatch, value, message):
    machine(cuda=0, mps=False)
    monkeypatch.setenv("MMVIZ_DEVICE", value)
    with pytest.raises(ValueError, match=message) as info:
        pick_device()
    assert "MMVIZ_DEVICE" in str(info.value)


def test_env_cuda_index_out_of_range(machine, monkeypatch):
    machine(cuda=1)
    monkeypatch.setenv("MMVIZ_DEVICE", "cuda:1")
    with pytest.raises(ValueError, match=r"'cuda:1', but this machine has only 1 CUDA device"):
        pick_device()


def test_empty_env_is_ignored(machine, monkeypatch):
    machine(cuda=0)
    monkeypatch.setenv("MMVIZ_DEVICE", "")
    assert pick_device() == torch.device("cpu")


def test_labels(monkeypatch):
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda d=None: "NVIDIA H100")
    assert device_label(torch.device("cpu")) == "CPU"
    assert device_label("cuda") == "CUDA (NVIDIA H100)"
    assert device_label(torch.device("cuda:1")) == "CUDA (NVIDIA H100)"
    assert device_label("mps") == "MPS (Apple GPU)"


def test_label_without_driver(monkeypatch):
    def boom(d=None):
        raise RuntimeError("no driver")

    monkeypatch.setattr(torch.cuda, "get_device_name", boom)
    assert device_label("cuda") == "CUDA (GPU)"


def test_real_machine_picks_something_usable(monkeypatch):
    monkeypatch.delenv("MMVIZ_DEVICE", raising=False)
    d = pick_device()
    assert torch.zeros(2, device=d).sum().item() == 0.0
    assert device_label(d) in ("CPU", "MPS (Apple GPU)") or device_label(d).startswith("CUDA (")


# --------------------------------------------------------------------------- the one thread limiter
def test_torch_threads_nested_blocks_restore_the_count():
    torch.set_num_threads(2)
    with dev.torch_threads(1):
        assert torch.get_num_threads() == 1
        with dev.torch_threads(1):  # a second run overlapping the first
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 1  # the inner one leaving does not restore early
    assert torch.get_num_threads() == 2


def test_torch_threads_interleaved_users_leave_the_count_as_it_was():
    """Two users (threads) enter and leave in the order A in, B in, A out, B out: the old limiters
    restored the count A had seen (1) when B left, leaving the whole server on one thread."""
    import threading

    torch.set_num_threads(2)
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def user_a():
        with dev.torch_threads(1):
            a_in.set()
            b_in.wait(5)
            seen["a_inside"] = torch.get_num_threads()
        a_out.set()

    def user_b():
        a_in.wait(5)
        with dev.torch_threads(2):
            b_in.set()
            a_out.wait(5)
            seen["b_after_a_left"] = torch.get_num_threads()  # only B's limit (2) is left

    ta, tb = threading.Thread(target=user_a), threading.Thread(target=user_b)
    ta.start(), tb.start()
    ta.join(10), tb.join(10)
    assert seen == {"a_inside": 1, "b_after_a_left": 2}
    assert torch.get_num_threads() == 2
