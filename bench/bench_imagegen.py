"""Generating one 64×64 image from a caption with the tiny DALL·E-style and Parti-style models, on the CPU.

    python bench/bench_imagegen.py [--threads 1] [--repeats 7]

For each model (the shipped weights when present, else the untrained twin: the same amount of work):
all 64 image codes of one caption sampled with the KV cache (each step runs the new token only) and without
(each step runs the whole sequence again), same seed, so both write the same codes; then the VQ decoder.
Prints the median seconds per image with the cache (target <= 2 s) and the ratio cache / no cache (target
<= 0.5). Both sides run interleaved in one process on the same threads; absolute times on a shared CPU are
noisy, compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MMVIZ_DEVICE", "cpu")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from mmviz.weights import available_models, load_model  # noqa: E402

CAPTION = "a large red star on a plain background"


def _model(family: str, trained: str):
    names = {m.name: m for m in available_models(family)}
    name = trained if names.get(trained) and names[trained].available else f"{family}-untrained"
    return name, load_model(name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"caption: {CAPTION!r} · {args.threads} thread(s) · {args.repeats} repeats, medians")
    for family, trained in (("dalle", "dalle-tiny-shapes"), ("parti", "parti-tiny-shapes")):
        name, model = _model(family, trained)
        times = {True: [], False: []}
        with torch.inference_mode():
            a = model.generate_steps(CAPTION, seed=0, use_cache=True)
            b = model.generate_steps(CAPTION, seed=0, use_cache=False)
            same = np.array_equal(np.asarray(a["codes"]), np.asarray(b["codes"]))
            for r in range(args.repeats):
                for cached in (True, False) if r % 2 == 0 else (False, True):
                    t0 = time.perf_counter()
                    model.generate_steps(CAPTION, seed=r, use_cache=cached)
                    times[cached].append(time.perf_counter() - t0)
        with_cache, without = statistics.median(times[True]), statistics.median(times[False])
        print(f"{name:20s} with cache {with_cache:6.3f} s/image (target <= 2) · without {without:6.3f} s · "
              f"ratio {with_cache / without:.2f} (target <= 0.5) · same codes: {same}")


if __name__ == "__main__":
    main()
