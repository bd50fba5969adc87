"""Server memory under a class: several browser sessions, hundreds of interactions with uploads, loopback only.

    python bench/bench_soak.py [--sessions 6] [--rounds 8] [--idle 60] [--minutes 20]

One ``streamlit run app.py`` on 127.0.0.1 and one headless Chromium (Debian's) with ``--sessions`` browser
contexts (students). Each round, every student uploads a different 2048×1536 JPEG in the sidebar on the patch
tokenization page, changes a control, opens the attention page (its model runs on the upload), moves its
layer slider and goes back: 5 interactions per student per round. Before the rounds, one student uploads a
44.8-megapixel PNG (within the app's 50 MP limit): its own cost is printed.

Printed: the server's resident memory (VmRSS of the streamlit process) at start, after the first round of
uploads, at its peak (sampled every 0.5 s), after the last round and after ``--idle`` seconds idle, with the
issue's two targets: after/first-round <= 1.15, and the big PNG adds <= 100 MB. Every wait is bounded
(``--minutes`` for the whole run); nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, Session, _actions, serve


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Sampler(threading.Thread):
    """Samples a process's resident memory every ``every`` seconds; ``peak`` is the largest seen."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.stop = pid, every, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self.stop.wait(self.every)


def photos(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``n`` different 2048×1536 JPEGs (smooth colour fields with noise: photo-like sizes, ~0.5-1 MB)."""
    rng = np.random.default_rng(seed)
    out = []
    yy, xx = np.mgrid[0:1536, 0:2048].astype(np.float32)
    for i in range(n):
        a, b, c = rng.uniform(0.001, 0.01, 3)
        img = np.stack([127 + 100 * np.sin(a * xx + i), 127 + 100 * np.cos(b * yy + 2 * i),
                        127 + 100 * np.sin(c * (xx + yy))], -1)
        img += rng.normal(0, 12, img.shape)
        path = folder / f"photo_{i:02d}.jpg"
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=88)
        out.append(path)
    return out


def big_png(folder: Path) -> Path:
    """A 7728×5800 (44.8 MP) RGBA PNG that compresses to a few hundred KB."""
    a = np.zeros((5800, 7728, 4), np.uint8)
    a[..., 0] = (np.arange(7728) % 256)[None]
    a[..., 1] = (np.arange(5800) % 256)[:, None]
    a[..., 3] = 255
    path = folder / "huge_44_8MP.png"
    buf = io.BytesIO()
    Image.fromarray(a, "RGBA").save(buf, "PNG", compress_level=6)
    path.write_bytes(buf.getvalue())
    return path


def upload(s: Session, path: Path) -> None:
    """The sidebar's image uploader (switched to Upload first, when it is not showing): ``path`` in, until idle."""
    side = s.page.locator('[data-testid="stSidebar"]')
    up = side.locator('[data-testid="stFileUploader"]')
    if not up.count():
        group = side.locator('[data-testid="stButtonGroup"]').filter(has_text="Upload").first
        group.get_by_text("Upload", exact=True).click()
        s.idle()
    inp = up.first.locator('input[type="file"]')
    s.timed(lambda: inp.set_input_files(str(path)))


def move(s: Session, kind: str, label: str, opts: dict | None = None) -> None:
    acts = _actions(s, kind, label, opts or {}, 1)
    if acts:
        act = acts[0]
        if isinstance(act, tuple):
            act[1]()
            s.timed(act[2])
        else:
            s.timed(act)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--idle", type=float, default=60.0)
    ap.add_argument("--minutes", type=float, default=20.0, help="the whole run's limit")
    ap.add_argument("--timeout", type=float, default=60.0, help="the longest wait for one interaction")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    deadline = time.time() + args.minutes * 60
    with tempfile.TemporaryDirectory() as tmp, serve(ROOT, Path(tmp) / "server.log") as (url, pid):
        folder = Path(tmp)
        files = photos(folder, max(args.sessions * 5, 30))
        huge = big_png(folder)
        sampler = Sampler(pid)
        sampler.start()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            students = [Session(browser, url, args.timeout) for _ in range(args.sessions)]
            for s in students:
                s.open("patch_tokenization")
            start = rss_mb(pid)
            before_big = rss_mb(pid)
            upload(students[0], huge)
            time.sleep(2)
            after_big = rss_mb(pid)
            print(f"44.8 MP PNG ({huge.stat().st_size / 1e3:.0f} KB): {before_big:.0f} -> {after_big:.0f} MB "
                  f"(+{after_big - before_big:.0f} MB; target <= 100)", flush=True)
            first_round = None
            interactions = 0
            k = 0
            for r in range(args.rounds):
                for s in students:
                    if time.time() > deadline:
                        break
                    upload(s, files[k % len(files)])
                    k += 1
                    move(s, "select", "Patch size P", {"values": ["32", "16"][r % 2:] + ["32", "16"][:r % 2]})
                    s.nav("Attention maps")
                    move(s, "slider", "Layer")
                    s.nav("Patch tokenization")
                    interactions += 5
                if r == 0:
                    first_round = rss_mb(pid)
                print(f"round {r + 1}: {interactions} interactions, rss {rss_mb(pid):.0f} MB, "
                      f"peak {sampler.peak:.0f} MB", flush=True)
                if time.time() > deadline:
                    print("(stopped at the time limit)")
                    break
            end = rss_mb(pid)
            for s in students:
                s.close()
            browser.close()
        time.sleep(args.idle)
        idle = rss_mb(pid)
        sampler.stop.set()
        first_round = first_round or end
        print(f"\nserver resident memory (MB): start {start:.0f} · after the first round {first_round:.0f} · "
              f"peak {sampler.peak:.0f} · after {interactions} interactions {end:.0f} · after {args.idle:.0f} s idle "
              f"{idle:.0f}")
        print(f"after idle / after the first round = {idle / first_round:.3f} (target <= 1.15); "
              f"big PNG +{after_big - before_big:.0f} MB (target <= 100)")


if __name__ == "__main__":
    main()
