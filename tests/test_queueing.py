"""The model's queue: first come, first served, with each waiter told its position."""

from __future__ import annotations

import threading
import time

import pytest

from rag.answer.queueing import TurnQueue


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_turns_are_served_in_arrival_order_with_positions() -> None:
    queue = TurnQueue(poll_s=0.01)
    order: list[int] = []
    seen: dict[int, list[int]] = {}
    holding = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with queue.turn():
            holding.set()
            release.wait(5)
            order.append(0)

    def waiter(n: int) -> None:
        heard: list[int] = []
        with queue.turn(on_wait=heard.append):
            order.append(n)
        seen[n] = heard

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    holding.wait(5)
    for n in range(1, 5):
        threads.append(threading.Thread(target=waiter, args=(n,)))
        threads[-1].start()
        wait_for(lambda n=n: len(queue) == n + 1)  # each joins the line before the next
    release.set()
    for t in threads:
        t.join(10)
    assert order == [0, 1, 2, 3, 4]
    for n in range(1, 5):
        assert seen[n][0] == n  # first told: n requests ahead
        assert seen[n] == sorted(seen[n], reverse=True) and seen[n][-1] >= 1
    assert len(queue) == 0


def test_a_waiter_that_goes_away_gives_up_its_place() -> None:
    queue = TurnQueue(poll_s=0.01)
    holding = threading.Event()
    release = threading.Event()
    served: list[str] = []

    def holder() -> None:
        with queue.turn():
            holding.set()
            release.wait(5)

    def impatient(ahead: int) -> None:
        raise RuntimeError("the browser tab was closed")

    first = threading.Thread(target=holder)
    first.start()
    holding.wait(5)
    with pytest.raises(RuntimeError), queue.turn(on_wait=impatient):
        served.append("impatient")
    assert len(queue) == 1  # only the holder is left
    release.set()
    first.join(5)
    with queue.turn():
        served.append("next")
    assert served == ["next"] and len(queue) == 0
