"""SIGINT and SIGTERM held back for a block of code that must not be cut in the middle.

The build unwinds on either (``cli`` turns SIGTERM into an exception like Ctrl-C's), which may happen between
any two Python instructions of the main thread. Two steps must run whole: the swap of the output into place
(:mod:`.writer`), and the start of a worker process (:mod:`.workers`: a worker is spawned by the thread that
submits a job to the pool, which writes it its start-up data; cut there, the half-started worker reads a
truncated pickle and prints a traceback on the build's stderr).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def signals_deferred() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM back for the block; the list says which came, and they are raised after it."""
    if threading.current_thread() is not threading.main_thread():
        yield []  # only the main thread runs signal handlers, so a helper thread is never interrupted
        return
    received: list[int] = []
    # A handler installed outside Python (getsignal gives None) could not be put back: leave that one alone.
    previous = {sig: handler for sig in (signal.SIGINT, signal.SIGTERM)
                if (handler := signal.getsignal(sig)) is not None}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: received.append(signum))
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(received):
            signal.raise_signal(sig)
