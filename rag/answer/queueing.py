"""First come, first served turns at one shared resource (the in-process language model).

Every Streamlit session and thread of a process shares one llama.cpp context; a plain lock
would let any waiter win. ``TurnQueue`` serves requests in arrival order and tells each
waiter how many requests are ahead of it, so the UI can show a queue position.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

WaitCallback = Callable[[int], None]  # called with the number of requests ahead


class TurnQueue:
    """A fair lock: ``with queue.turn(on_wait):`` waits its turn in arrival order."""

    def __init__(self, poll_s: float = 0.5) -> None:
        self._cond = threading.Condition()
        self._line: list[object] = []  # the head holds the resource
        self._poll_s = poll_s

    def __len__(self) -> int:
        with self._cond:
            return len(self._line)

    @contextmanager
    def turn(self, on_wait: WaitCallback | None = None) -> Iterator[None]:
        """Hold the resource for the ``with`` block. ``on_wait`` hears the position whenever
        it changes while waiting; if it raises (the session went away), the place is given up.
        """
        entry = object()
        with self._cond:
            self._line.append(entry)
            try:
                reported = -1
                while (ahead := self._line.index(entry)) > 0:
                    if on_wait is not None and ahead != reported:
                        on_wait(ahead)
                        reported = ahead
                    self._cond.wait(self._poll_s)
            except BaseException:
                self._leave(entry)
                raise
        try:
            yield
        finally:
            with self._cond:
                self._leave(entry)

    def _leave(self, entry: object) -> None:
        self._line.remove(entry)
        self._cond.notify_all()
