"""What a student waits for, measured in a real browser: one ``streamlit run app.py`` on loopback, one
headless Chromium (Debian's), Playwright.

    python bench/bench_browser.py [--repeats 4] [--pages home,attention_maps] [--app DIR] [--save NAME]
    python bench/bench_browser.py --compare bench/results/before.json bench/results/after.json

Per page:
  * ``restart``: the first page after the server started (home, cold server: imports, first run);
  * ``first visit``: a new browser session opens the page for the first time on this server (its models
    load, its caches fill);
  * ``new student``: another new session opens it (warm server): the first page a student sees;
  * ``open (nav)``: a session that is already on the app clicks the page in the sidebar (a lesson opened warm);
  * per main control: the time from the change (key press, click, file handed to the uploader) until the
    app is idle again, and the bytes the server sent for it (websocket frames, Playwright's
    ``framereceived``). Medians over ``--repeats`` changes (the control moves back and forth).

"Idle" is read from the app itself, no fixed sleep in the measured path: at least one websocket message
arrived since the change, ``[data-testid="stApp"]`` says ``data-test-script-state="notRunning"`` after
having said ``running``, no element is stale (greyed out, about to be replaced), no spinner, and every
Plotly chart on the page has been drawn (``_fullLayout`` set). The check runs on every animation frame.

Load: everything goes to 127.0.0.1 only, and every wait is bounded (``--timeout``). Absolute times are
noisy on a busy machine: compare runs made side by side (``--compare``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
SAMPLES = ROOT / "assets" / "samples"
IMAGES = [SAMPLES / "images" / "coffee.png", SAMPLES / "images" / "astronaut.png"]
AUDIOS = [SAMPLES / "audio" / "chord.wav", SAMPLES / "audio" / "speech.wav"]

#: page -> (url path, title in the sidebar navigation)
PAGES = {
    "home": ("", "Tokens everywhere"),
    "patch_tokenization": ("patch_tokenization", "Patch tokenization"),
    "positional_encoding": ("positional_encoding", "Positional encoding"),
    "attention_maps": ("attention_maps", "Attention maps"),
    "swin_windows": ("swin_windows", "Swin windows"),
    "audio_tokens": ("audio_tokens", "Audio tokens"),
    "clip_similarity": ("clip_similarity", "CLIP similarity"),
    "bert_gpt": ("bert_gpt", "BERT and GPT"),
    "encoder_decoder": ("encoder_decoder", "Encoder–decoder"),
    "image_tokens": ("image_tokens", "Images as tokens"),
    "fusion": ("fusion", "Multimodal fusion"),
}

#: page -> its main controls: (kind, label (regex, start of the widget's label), options)
#: kinds: slider (arrow keys on the thumb; ``thumb``: which one), select (a selectbox: two options by text),
#: segment (a segmented control / pills: two buttons by text), text (a text input: two values), textarea,
#: toggle, button (``fresh``: a number input stepped up before each press, so that each press computes anew), upload
#: (the sidebar's image or audio, or a page uploader: ``where``).
#: ``section``: the label of the expander or section picker that holds the control (opened first when the
#: page has one; not timed).
CONTROLS: dict[str, list[tuple[str, str, dict]]] = {
    "home": [("text", "Text to tokenize", {"values": ["Tokens, tokens.", "한국어 토큰"]}),
             ("upload", "image", {"where": "sidebar"})],
    "patch_tokenization": [("select", "Image size", {"values": ["256", "224"]}),
                           ("select", "Patch size P", {"values": ["32", "16"]}),
                           ("select", "Embedding dimension D", {"values": ["384", "192"]}),
                           ("upload", "image", {"where": "sidebar"})],
    "positional_encoding": [("slider", "d_model", {}), ("slider", r"length \(positions N\)", {}),
                            ("slider", "patch size P", {"section": "3."}), ("slider", "grid size", {"section": "4."}),
                            ("slider", "head dim d", {"section": "5."}), ("slider", "old grid", {"section": "6."}),
                            ("slider", "window size M", {"section": "7."})],
    "attention_maps": [("slider", "Layer", {}), ("select", "Head", {"values": ["1", "0"]}),
                       ("slider", "Query patch index", {"section": "2."}),
                       ("slider", "Discard ratio", {"section": "4."}),
                       ("slider", "Keep this share", {"section": "5."}),
                       ("upload", "image", {"where": "sidebar"})],
    "swin_windows": [("slider", "Window size M", {}), ("slider", r"Shift s", {}),
                     ("segment", "Step", {"values": ["2 · Regions", "1 · Shift"], "section": "2."}),
                     ("slider", "Patch row", {"section": "3."}), ("slider", "After k blocks", {"section": "3."}),
                     ("slider", "Query token in the window", {"section": "7."}),
                     ("upload", "image", {"where": "sidebar"})],
    "audio_tokens": [("slider", "Window n_fft", {"section": "2."}), ("slider", "Hop", {"section": "2."}),
                     ("slider", "Mel bands", {"section": "3."}), ("slider", "Highlight patch k", {"section": "5."}),
                     ("slider", "Patch size P", {"section": "5."}),
                     ("slider", "Layer", {"section": "8."}), ("upload", "audio", {"where": "sidebar"})],
    "clip_similarity": [("slider", "Logit scale", {"section": "2."}), ("button", "Add scene", {}),
                        ("segment", "Candidates", {"values": ["9 colours", "your prompts"], "section": "2."}),
                        ("toggle", "Apply a prompt template", {}),
                        ("upload", "Upload images", {"where": "main"})],
    "bert_gpt": [("textarea", "Your sentence", {"values": ["a red circle is to the left of two blue squares .",
                                                          "the red circle above the two blue squares is small ."]}),
                 ("segment", "Look inside", {"values": ["GPT", "BERT"]}), ("slider", "Layer", {}),
                 ("select", "Head", {"values": ["1", "0"]}), ("slider", "Temperature", {"section": "7."}),
                 ("button", "Next token", {"section": "7."})],
    "encoder_decoder": [("textarea", "English sentence", {"values": ["the red circle above the two blue squares is small .",
                                                                   "there is a large green star . it is below two small purple rings ."]}),
                        ("segment", "Attention kind", {"values": ["encoder self-attention", "cross-attention"]}),
                        ("slider", "Layer", {}), ("select", "Head", {"values": ["1", "0"]}),
                        ("slider", "Query token", {}), ("toggle", "Average the heads", {"section": "3."}),
                        ("slider", "Step", {"section": "4."})],
    "image_tokens": [("slider", "Keep the M most used codes", {"section": "2."}),
                     ("textarea", "Caption", {"values": ["a small blue circle", "a large red square"], "section": "3."}),
                     ("slider", "Temperature", {"section": "3."}),
                     ("button", "Generate", {"section": "3.", "fresh": "Seed"}),
                     ("slider", "Step: the code", {"section": "3."}),
                     ("upload", "image", {"where": "sidebar"})],
    "fusion": [("textarea", "Your question", {"values": ["is there a red circle?", "how many squares are there?"]}),
               ("select", "Design to look into", {"values": ["(a) Early summation", "(e) Cross-attention"],
                                                  "section": "2."}),
               ("segment", "Weights of", {"values": ["head 0", "mean of heads"], "section": "3."}), ("toggle", "The word reads the patches", {"section": "4."}),
               ("upload", "image", {"where": "sidebar"})],
}

_INIT = """
(() => {
  if (window.__mm) return;
  const mm = window.__mm = {msgs: 0, last: 0, runs: 0, state: null};
  const Native = window.WebSocket;
  class Counting extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { mm.msgs++; mm.last = performance.now(); });
    }
  }
  window.WebSocket = Counting;
  const watch = () => new MutationObserver((muts) => {
    for (const m of muts) {
      const s = m.target.getAttribute('data-test-script-state');
      if (s === 'running' && mm.state !== 'running') mm.runs++;
      mm.state = s;
    }
  }).observe(document.documentElement, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
  if (document.documentElement) watch(); else document.addEventListener('DOMContentLoaded', watch);
})();
"""

#: true (the time in ms since the page's clock started) once the app is idle after a change marked by
#: ``window.__mark = {msgs, runs}``: see the module docstring
_IDLE = """
() => {
  const mm = window.__mm, mark = window.__mark;
  if (!mm || !mark) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (mm.msgs === mark.msgs) return false;
  const now = performance.now();
  if (mm.runs === mark.runs && now - mm.last < 150) return false;  // a reply came, the run not seen yet
  if (document.querySelector('[data-stale="true"], [data-testid="stSpinner"], [data-testid="stSkeleton"]'))
    return false;
  for (const p of document.querySelectorAll('.js-plotly-plot')) if (!p._fullLayout) return false;
  return now;
}
"""


# --------------------------------------------------------------------------- server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app_dir: Path, log: Path, *, python: str = sys.executable, env: dict | None = None):
    """``streamlit run app.py`` from ``app_dir`` on a free loopback port; yields (url, pid)."""
    port = _free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "w")
    proc = subprocess.Popen(
        [python, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=app_dir, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "MMVIZ_DEVICE": "cpu", **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(f"streamlit did not start within 120 s (see {log})")
    try:
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()


# --------------------------------------------------------------------------- one browser session
class Session:
    """One student: a browser context with the idle probe and a byte counter on the websocket."""

    def __init__(self, browser, url: str, timeout_s: float, viewport=(1400, 900)):
        self.ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.ctx.add_init_script(_INIT)
        self.page = self.ctx.new_page()
        self.url, self.timeout_ms = url, timeout_s * 1000
        self.bytes = 0
        self.opened: dict[str, float] = {}  # section -> seconds its opening took
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))

    def _count(self, payload) -> None:
        self.bytes += len(payload)

    def close(self) -> None:
        self.ctx.close()

    def _mark(self) -> None:
        self.page.evaluate("window.__mark = {msgs: window.__mm.msgs, runs: window.__mm.runs}")

    def _wait(self) -> float:
        """Milliseconds on the page's clock when the app is idle again."""
        return self.page.wait_for_function(_IDLE, polling="raf", timeout=self.timeout_ms).json_value()

    def open(self, path: str) -> float:
        """Seconds from ``goto`` until the page is idle and drawn."""
        t0 = time.perf_counter()
        self.page.goto(f"{self.url}/{path}", wait_until="commit")
        self.page.wait_for_function("() => window.__mm", timeout=self.timeout_ms)
        self.page.evaluate("window.__mark = {msgs: 0, runs: 0}")
        self._wait()
        self.page.wait_for_selector('[data-testid="stMain"] h1', timeout=self.timeout_ms)
        self._wait()
        return time.perf_counter() - t0

    def timed(self, action) -> tuple[float, int]:
        """Run ``action`` (a change); returns (seconds until idle on the page's clock, bytes received)."""
        b0 = self.bytes
        self._mark()
        t0 = self.page.evaluate("performance.now()")
        action()
        t1 = self._wait()
        self.page.wait_for_timeout(50)  # let the last frames' events reach the byte counter (not timed)
        return (t1 - t0) / 1000, self.bytes - b0

    def idle(self) -> None:
        """Wait (untimed) until the app is idle after something that may or may not have started a run."""
        self._mark()
        try:
            self.page.wait_for_function(_IDLE, polling="raf", timeout=3000)
        except Exception:  # noqa: BLE001 - nothing ran: already idle
            pass

    def nav(self, title: str) -> float:
        link = self.page.locator(f'[data-testid="stSidebarNav"] a:has(span[label="{title}"])')
        t, _ = self.timed(lambda: link.first.click())
        return t


# --------------------------------------------------------------------------- controls
def _widget(page, testid: str, label: str):
    lab = page.locator('[data-testid="stWidgetLabel"]').filter(has_text=re.compile("^" + label))
    return page.locator(f'[data-testid="{testid}"]').filter(has=lab)


def _skip_questions(s: Session) -> None:
    """Click "Just show me" on every open predict-then-reveal question (untimed): what a question hides, a control
    among it, is drawn only once it is answered."""
    for _ in range(4):
        skip = s.page.locator('[class*="st-key-"][class*="_q_"][class*="_skip"] button:visible')  # not in closed sections
        if not skip.count():
            return
        skip.first.click()
        s.idle()


def _open_section(s: Session, section: str | None) -> float | None:
    """Open the expander / section whose label starts with ``section`` when the page has one, and answer its
    questions (untimed); returns the seconds until idle after the click that opened it (None: already open)."""
    try:
        return _open(s, section)
    finally:
        _skip_questions(s)


def _open(s: Session, section: str | None) -> float | None:
    if not section:
        return None
    page = s.page
    # the summary's text starts with its icon's name ("keyboard_arrow_down"): match the label's own paragraph
    label = page.locator('[data-testid="stMarkdownContainer"] p').filter(has_text=re.compile("^" + re.escape(section)))
    exp = page.locator('[data-testid="stExpander"] summary').filter(has=label)
    if exp.count():
        details = exp.first.locator("xpath=..")  # the <details> around the summary
        if details.get_attribute("open") is None:
            return s.timed(lambda: exp.first.click())[0]
        return None
    tab = page.locator('[role="tab"]').filter(has_text=re.compile("^" + re.escape(section)))
    if tab.count() and tab.first.get_attribute("aria-selected") != "true":
        return s.timed(lambda: tab.first.click())[0]
    return None


#: typed controls: kind -> (test id, element, the key that submits; a text area takes its value on Ctrl+Enter)
_TYPED = {"text": ("stTextInput", "input", "Enter"), "textarea": ("stTextArea", "textarea", "Control+Enter")}


def _actions(s: Session, kind: str, label: str, opts: dict, repeats: int):
    """A list of ``repeats`` callables, each one change of the control (None when it is not on the page)."""
    page = s.page
    if kind == "slider":
        w = _widget(page, "stSlider", label)
        if not w.count():
            return None
        thumb = w.first.locator('input[type="range"]').nth(opts.get("thumb", 0))
        w.first.scroll_into_view_if_needed()
        now, hi = thumb.get_attribute("value"), thumb.get_attribute("max")
        first = "ArrowLeft" if now is not None and now == hi else "ArrowRight"
        other = "ArrowRight" if first == "ArrowLeft" else "ArrowLeft"
        return [(lambda k=(first if i % 2 == 0 else other): thumb.press(k)) for i in range(repeats)]
    if kind == "select":
        w = _widget(page, "stSelectbox", label)
        if not w.count():
            return None
        w.first.scroll_into_view_if_needed()
        opener = w.first.locator('button[aria-label="Open"], [data-baseweb="select"]').first

        def pick(v: str) -> None:
            page.locator('[role="option"]').filter(has_text=re.compile("^" + re.escape(v) + "$")).first.click()
        return [("pre", lambda: opener.click(), lambda v=v: pick(v)) for v in (opts["values"] * repeats)[:repeats]]
    if kind == "segment":
        w = _widget(page, "stButtonGroup", label)
        if not w.count():
            return None
        w.first.scroll_into_view_if_needed()
        return [(lambda v=v: w.first.get_by_text(v, exact=True).click()) for v in (opts["values"] * repeats)[:repeats]]
    if kind in _TYPED:  # fill (untimed), then the key that submits (timed)
        testid, element, submit = _TYPED[kind]
        w = _widget(page, testid, label)
        if not w.count():
            return None
        box = w.first.locator(element)
        return [("pre", lambda v=v: box.fill(v), lambda: box.press(submit))
                for v in (opts["values"] * repeats)[:repeats]]
    if kind == "toggle":
        w = page.locator('[data-testid="stCheckbox"]').filter(has_text=re.compile("^" + label))
        if not w.count():
            return None
        return [(lambda: w.first.locator("label").first.click()) for _ in range(repeats)]
    if kind == "button":
        b = page.locator('[data-testid="stButton"] button').filter(has_text=re.compile(label))
        if not b.count():
            return None
        if "fresh" in opts:  # a new value of this number input before each press (untimed): no cached result
            up = _widget(page, "stNumberInput", opts["fresh"]).first.locator('[data-testid="stNumberInputStepUp"]')

            def step_up() -> None:
                up.click()
                s.idle()
            return [("pre", step_up, lambda: b.first.click()) for _ in range(repeats)]
        return [(lambda: b.first.click()) for _ in range(repeats)]
    if kind == "upload":
        files = AUDIOS if label == "audio" else IMAGES
        if opts["where"] == "sidebar":
            side = page.locator('[data-testid="stSidebar"]')
            idx = 0 if label == "image" else 1
            group = side.locator('[data-testid="stButtonGroup"]').filter(has_text="Upload").nth(idx)
            group.get_by_text("Upload", exact=True).click()
            s.idle()
            up = side.locator('[data-testid="stFileUploader"]').first
        else:
            up = _widget(page, "stFileUploader", label)
            if not up.count():
                return None
            up = up.first
        inp = up.locator('input[type="file"]')
        return [(lambda f=f: inp.set_input_files(str(f))) for f in (files * repeats)[:repeats]]
    raise ValueError(kind)


def bench_control(s: Session, kind: str, label: str, opts: dict, repeats: int) -> dict | None:
    opened = _open_section(s, opts.get("section"))
    if opened is not None:  # opening a closed section is a click a student waits for too
        print(f"  {'open section ' + opts['section']:40s} {opened:6.2f} s", flush=True)
        s.opened[opts["section"]] = opened
    acts = _actions(s, kind, label, opts, repeats)
    if acts is None:
        return None
    times, sent = [], []
    for act in acts:
        if isinstance(act, tuple):  # ("pre", untimed step, timed step)
            act[1]()
            act = act[2]
        t, b = s.timed(act)
        times.append(t)
        sent.append(b)
    return {"median_s": statistics.median(times), "max_s": max(times), "kib": statistics.median(sent) / 1024,
            "kib_first": sent[0] / 1024, "times": times}


# --------------------------------------------------------------------------- the run
def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    app_dir = Path(args.app).resolve()
    pages = [p for p in (args.pages.split(",") if args.pages else PAGES)]
    out: dict = {"app": str(app_dir), "repeats": args.repeats, "pages": {}, "when": time.strftime("%Y-%m-%d %H:%M")}
    with sync_playwright() as pw, serve(app_dir, RESULTS / "bench_browser_server.log") as (url, pid):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        s = Session(browser, url, args.timeout)
        out["restart_s"] = s.open("")
        print(f"first page after a server start (home): {out['restart_s']:.2f} s", flush=True)
        s.close()
        for name in pages:
            path, title = PAGES[name]
            r = out["pages"][name] = {"controls": {}}
            first = Session(browser, url, args.timeout)
            r["first_visit_s"] = first.open(path)
            first.close()
            news = []
            for _ in range(max(1, args.repeats // 2)):
                n = Session(browser, url, args.timeout)
                news.append(n.open(path))
                n.close()
            r["new_student_s"] = statistics.median(news)
            s = Session(browser, url, args.timeout)
            s.open("" if name != "home" else PAGES["patch_tokenization"][0])
            navs = []
            for _ in range(max(1, args.repeats // 2)):
                navs.append(s.nav(title))
                s.nav("Tokens everywhere" if name != "home" else "Patch tokenization")
            s.nav(title)
            r["nav_s"] = statistics.median(navs)
            print(f"{name}: first visit {r['first_visit_s']:.2f} s, new student {r['new_student_s']:.2f} s, "
                  f"opened from the sidebar {r['nav_s']:.2f} s", flush=True)
            for kind, label, opts in CONTROLS.get(name, []):
                key = f"{kind} {label.replace(chr(92), '')}"
                try:
                    res = bench_control(s, kind, label, opts, args.repeats)
                except Exception as e:  # noqa: BLE001 - one control that cannot be found or timed
                    res = {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"}
                    s.close()
                    s = Session(browser, url, args.timeout)
                    s.open(path)
                if res is None:
                    print(f"  {key:40s} (not on the page)", flush=True)
                    continue
                r["controls"][key] = res
                if "error" in res:
                    print(f"  {key:40s} ERROR {res['error']}", flush=True)
                else:
                    print(f"  {key:40s} {res['median_s']:6.2f} s (max {res['max_s']:.2f})  {res['kib_first']:8.1f} KiB "
                          f"first change, {res['kib']:.1f} median", flush=True)
            r["sections_opened_s"] = dict(s.opened)
            s.close()
        browser.close()
    return out


def _fmt(v, unit="s") -> str:
    if v is None:
        return "—"
    return f"{v:.2f}" if unit == "s" else f"{v:.0f}"


def table(results: list[dict], names: list[str]) -> str:
    """One row per page measure and control; for every result: median s (max s) and the KiB the server sent
    for the first change (later changes back and forth hit Streamlit's message cache)."""
    head = f"{'page':20s} {'measure':40s}" + "".join(f" | {n[:22]:>22s}" for n in names)
    lines = [head, "-" * len(head)]
    lines.append(f"{'(server)':20s} {'first page after a server start':40s}" +
                 "".join(f" | {_fmt(r.get('restart_s')) + ' s':>22s}" for r in results))
    pages = list(dict.fromkeys(p for r in results for p in r["pages"]))
    for p in pages:
        for what, key in (("first visit (server warm)", "first_visit_s"), ("new student", "new_student_s"),
                          ("opened from the sidebar", "nav_s")):
            lines.append(f"{p:20s} {what:40s}" + "".join(
                f" | {_fmt(r['pages'].get(p, {}).get(key)) + ' s':>22s}" for r in results))
        opened = list(dict.fromkeys(c for r in results for c in r["pages"].get(p, {}).get("sections_opened_s", {})))
        for c in opened:
            lines.append(f"{p:20s} {'open section ' + c:40s}" + "".join(
                f" | {_fmt(r['pages'].get(p, {}).get('sections_opened_s', {}).get(c)) + ' s':>22s}" for r in results))
        controls = list(dict.fromkeys(c for r in results for c in r["pages"].get(p, {}).get("controls", {})))
        for c in controls:
            cells = []
            for r in results:
                x = r["pages"].get(p, {}).get("controls", {}).get(c)
                if x is None:
                    cells.append("—")
                elif "error" in x:
                    cells.append("error")
                else:
                    cells.append(f"{x['median_s']:.2f} ({x['max_s']:.2f}) {x.get('kib_first', x['kib']):.0f}K")
            lines.append(f"{p:20s} {c[:40]:40s}" + "".join(f" | {c_:>22s}" for c_ in cells))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default=str(ROOT), help="the app folder (holding app.py) to serve")
    ap.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    ap.add_argument("--repeats", type=int, default=4, help="changes per control (median over them)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds one wait may take at most")
    ap.add_argument("--save", default="", help="save the results as bench/results/NAME.json")
    ap.add_argument("--compare", nargs="+", default=None, help="print saved results side by side")
    args = ap.parse_args()
    if args.compare:
        results = [json.loads(Path(f).read_text()) for f in args.compare]
        print(table(results, [Path(f).stem for f in args.compare]))
        return
    res = run(args)
    print()
    print(table([res], [args.save or "this run"]))
    if args.save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{args.save}.json").write_text(json.dumps(res, indent=1))
        print(f"saved bench/results/{args.save}.json")


if __name__ == "__main__":
    main()
