"""Read-ahead for streaming: the next batch is read and decoded by a background thread while
the device works on the current one (Parquet decoding releases the GIL), so a stream costs
about max(read, compute) per batch rather than their sum. The queue holds at most ``depth``
batches on the host; none reaches the device before the consumer takes it."""

from __future__ import annotations

import queue
import threading
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: BaseException):
        self.error = error


def prefetched(make: Callable[[], Iterator[T]], depth: int = 1) -> Iterator[T]:
    """The items of ``make()``, produced one ahead on a background thread. An error in the
    producer is raised here, at the item it failed on; closing this generator early (a limit
    that has its rows) stops the producer after the item it is on."""
    items: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in make():
                while not stop.is_set():
                    try:
                        items.put(item, timeout=0.05)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put(_DONE)
        except BaseException as err:  # handed to the consumer, raised there
            items.put(_Failed(err))

    worker = threading.Thread(target=produce, name="jaxframes-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                items.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()
