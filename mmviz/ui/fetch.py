"""Pretrained checkpoints one click away: a Download button under the model picker for a checkpoint that is
not here, running ``mmviz.download.download`` (the code of ``python -m mmviz.download``) with a progress bar
and the download's size.

Offline, the download refuses with one sentence (``RuntimeError``). A shared server switches the buttons
off with the environment variable ``MMVIZ_DOWNLOADS=off`` (the caption then names the command instead).
One download per checkpoint at a time on the server; it runs in a thread, so a click elsewhere on the
page does not stop it (the bar comes back on the next run).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import streamlit as st

from mmviz import download as dl
from mmviz.ui.fusion import family_status
from mmviz.ui.lang import t
from mmviz.ui.models import _models
from mmviz.ui.models import model_picker as _picker

__all__ = ["SIZES_MB", "downloads_enabled", "download_offer", "model_picker"]

#: the approximate download of each pretrained checkpoint (weights + config + tokenizer files), in MB
SIZES_MB = {
    "facebook/dino-vits16": 87, "google/vit-base-patch16-224": 346, "microsoft/swin-tiny-patch4-window7-224": 113,
    "MIT/ast-finetuned-audioset-10-10-0.4593": 346, "openai/clip-vit-base-patch32": 606, "openai-community/gpt2": 550,
    "google-bert/bert-base-uncased": 441, "Helsinki-NLP/opus-mt-en-de": 300,
}


def downloads_enabled() -> bool:
    """False when the server switched the Download buttons off (``MMVIZ_DOWNLOADS=off``, ``0``, ``no``, ``false``)."""
    return os.environ.get("MMVIZ_DOWNLOADS", "on").strip().lower() not in ("off", "0", "no", "false")


class _Job:
    """One download in a thread: done, error (one sentence) and the folder it fills."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name, self.folder, self.error, self.done = name, folder, None, False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            dl.download(self.name)
        except (RuntimeError, ValueError, OSError) as e:
            self.error = str(e)
        finally:
            self.done = True

    def bytes_here(self) -> int:
        """Bytes in the target folder so far (partial files included)."""
        if not self.folder.exists():
            return 0
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())


@st.cache_resource
def _jobs() -> dict[str, _Job]:
    return {}


_MINE = "_downloads_started"  # session key: the checkpoints this session asked for (their failures are its own)


def _start(name: str) -> None:
    st.session_state.setdefault(_MINE, set()).add(name)
    jobs = _jobs()
    if name not in jobs or jobs[name].done:
        jobs[name] = _Job(name, dl.checkpoint_dir(name))


def _refresh() -> None:
    """Forget what the registry said about the models, so the new checkpoint is listed at once."""
    _models.clear()
    family_status.clear()


def download_offer(name: str, *, into=None) -> None:
    """The Download button of one pretrained checkpoint that is not here (or why there is none), and the
    progress of its download once started.

    Args:
        name: a pretrained registry name (a Hugging Face repository id).
        into: a container (default: the page).
    """
    where = into or st
    size = SIZES_MB.get(name)
    if not downloads_enabled():
        where.caption(t("common.download_off", name=name))
        return
    job = _jobs().get(name)
    if job is None or job.done and job.error:
        label = t("common.download", name=name.split("/")[-1], size=size) if size else \
            t("common.download_nosize", name=name.split("/")[-1])
        where.button(label, key=f"download_{name}", icon=":material/cloud_download:", on_click=_start, args=(name,),
                     help=t("common.download_help", name=name))
        if job is not None and name in st.session_state.get(_MINE, ()):  # another student's failure is not news here
            where.warning(t("common.download_failed", name=name, why=job.error))
        return
    if job.done:  # finished in another run: the registry lists it now
        _jobs().pop(name, None)
        _refresh()
        st.rerun()
    bar, total = where.progress(0.0, text=t("common.download_running", name=name)), (size or 0) * 1_000_000
    while not job.done:
        got = job.bytes_here()
        frac = min(0.99, got / total) if total else 0.0
        bar.progress(frac, text=t("common.download_progress", name=name, got=got / 1e6, total=size or "?"))
        time.sleep(0.25)
    bar.empty()
    if job.error:
        where.warning(t("common.download_failed", name=name, why=job.error))
        return
    _jobs().pop(name, None)
    _refresh()
    where.success(t("common.download_done", name=name))
    st.rerun()


def model_picker(family: str, key: str, **kwargs):
    """``mmviz.ui.models.model_picker`` (same arguments, same result) and, under it, a Download button for each
    pretrained checkpoint of the family that is not here (none when the server switched downloads off: the
    picker's caption names the command then)."""
    info = _picker(family, key, **kwargs)
    missing = [m.name for m in _models(family) if m.tier == "pretrained" and not m.available]
    if missing and downloads_enabled():
        cols = st.columns(min(len(missing), 3))
        for i, name in enumerate(missing):
            download_offer(name, into=cols[i % len(cols)])
    return info
