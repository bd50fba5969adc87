"""The server's heap: hand the memory it freed back to the operating system.

Python, NumPy, Pillow and torch return freed blocks to glibc's allocator, which keeps them for later use: after a
busy lesson the server's resident memory stays at its peak although most of it is free. :func:`release` asks glibc
to return it (``malloc_trim``). :class:`IdleTrim` does so once the server has been quiet for a while (no script run
for ``idle_s`` seconds), once per quiet spell, so that a class that pauses gives its memory back without any run
paying for the trim.

Example:
    >>> trim = IdleTrim(idle_s=10).start()
    >>> trim.touch()            # after every script run; 10 s later, if nothing ran since, the heap is trimmed
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable

__all__ = ["release", "IdleTrim"]


def release() -> None:
    """Hand freed heap memory back to the operating system (glibc's ``malloc_trim(0)``); nothing without glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class IdleTrim:
    """A daemon thread that calls ``trim`` once the server has been idle for ``idle_s`` seconds.

    Args:
        idle_s: seconds without a :meth:`touch` before the heap is trimmed.
        every_s: how often the thread looks.
        trim: what to call (default :func:`release`).
    """

    def __init__(self, idle_s: float = 10.0, every_s: float = 5.0, trim: Callable[[], None] = release) -> None:
        self.idle_s, self.every_s, self._trim = idle_s, every_s, trim
        self._last, self._done = time.monotonic(), True  # nothing ran yet: nothing to give back
        self._stop = threading.Event()
        self.trims = 0
        self._thread = threading.Thread(target=self._run, name="mmviz-idle-trim", daemon=True)

    def start(self) -> IdleTrim:
        self._thread.start()
        return self

    def touch(self) -> None:
        """Something ran (a script run ended): the next quiet spell trims again."""
        self._last, self._done = time.monotonic(), False

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every_s + 1)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            if not self._done and time.monotonic() - self._last >= self.idle_s:
                self._done = True
                self._trim()
                self.trims += 1
