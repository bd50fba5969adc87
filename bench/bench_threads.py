"""How many torch threads should a classroom server use? Latency of the lessons' model calls with 1 thread
and with torch's default, for 1, 2 and 4 students working at once (Python threads in one process, as
Streamlit runs its sessions).

    python bench/bench_threads.py [--seconds 20] [--students 1,2,4]

Each student repeats the model calls the lessons make (a ViT forward keeping its attention maps, a Swin
forward, an AST forward on 10 s of audio, a CLIP image batch) for ``--seconds``; the table gives the
median and the 90th percentile of one call, per setting. ``mmviz.device.torch_threads`` is the limiter
the server uses. Absolute times are noisy on a busy machine: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mmviz.device import torch_threads  # noqa: E402
from mmviz.weights import available_models, load_model  # noqa: E402


def _embedded(family: str) -> str:
    infos = [m for m in available_models(family) if m.available]
    return next((m.name for m in infos if m.tier == "embedded"), infos[0].name)


def calls() -> dict:
    """name -> a callable doing what a lesson does when a student opens it (no cache: every call computes)."""
    from mmviz.inputs import default_audio, default_image
    from mmviz.lessons import attention_maps, audio_tokens, clip_similarity, swin_windows

    img, aud = default_image()["image"], default_audio()
    vit, swin, ast, clip = (load_model(_embedded(f)) for f in ("vit", "swin", "ast", "clip"))
    scenes = [clip_similarity.compose_scene(k, c, s, b, seed=i).image
              for i, (s, c, k, b) in enumerate(clip_similarity.DEFAULT_SCENES)]
    return {
        "vit attention_lesson": lambda: attention_maps.attention_lesson(vit, img),
        "swin model_lesson": lambda: swin_windows.model_lesson(swin, img, size=swin_windows.input_sizes(
            _preset("swin"))[0]),
        "ast ast_lesson": lambda: audio_tokens.ast_lesson(ast, aud["y"]),
        "clip encode_images": lambda: clip_similarity.encode_images(clip, scenes + [img] * 4),
    }


def _preset(family: str) -> str:
    return next(m.preset for m in available_models(family) if m.name == _embedded(family))


def measure(fns: dict, students: int, threads: int | None, seconds: float) -> list[float]:
    """Per-call latencies (s) of ``students`` threads cycling through ``fns`` for ``seconds``."""
    times: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    order = list(fns.values())

    def student(i: int) -> None:
        k = i
        while time.perf_counter() < stop:
            f = order[k % len(order)]
            t0 = time.perf_counter()
            f()
            dt = time.perf_counter() - t0
            with lock:
                times.append(dt)
            k += 1

    def run() -> None:
        ts = [threading.Thread(target=student, args=(i,)) for i in range(students)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    if threads is None:
        run()
    else:
        with torch_threads(threads):
            run()
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--students", default="1,2,4")
    args = ap.parse_args()
    fns = calls()
    for f in fns.values():  # first calls allocate and warm up
        f()
    default = torch.get_num_threads()
    print(f"torch default threads: {default}; CPU cores: {torch.get_num_threads()} (os: {__import__('os').cpu_count()})")
    print(f"{'students':>8s} {'threads':>8s} {'calls':>6s} {'median ms':>10s} {'p90 ms':>8s} {'max ms':>8s}")
    for n in [int(x) for x in args.students.split(",")]:
        for threads in (1, None):
            ts = sorted(measure(fns, n, threads, args.seconds))
            label = "1" if threads == 1 else f"{default} (dflt)"
            print(f"{n:8d} {label:>8s} {len(ts):6d} {1000 * statistics.median(ts):10.1f} "
                  f"{1000 * ts[int(0.9 * (len(ts) - 1))]:8.1f} {1000 * ts[-1]:8.1f}", flush=True)


if __name__ == "__main__":
    main()
