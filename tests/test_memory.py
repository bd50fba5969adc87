"""mmviz.memory: freed heap memory goes back to the operating system when the server is quiet."""

from __future__ import annotations

import time

from mmviz.memory import IdleTrim, release


def test_release_is_safe_to_call_any_time():
    release()
    release()


def test_idle_trim_gives_memory_back_once_per_quiet_spell():
    calls = []
    trim = IdleTrim(idle_s=0.2, every_s=0.05, trim=lambda: calls.append(1)).start()
    try:
        time.sleep(0.4)
        assert calls == []  # nothing ran yet: nothing to give back
        trim.touch()
        time.sleep(0.1)
        assert calls == []  # not quiet long enough
        deadline = time.time() + 5
        while not calls and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.4)
        assert calls == [1] and trim.trims == 1  # once per quiet spell
        trim.touch()
        deadline = time.time() + 5
        while len(calls) < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert len(calls) == 2
    finally:
        trim.stop()
