"""Store connections for the web handlers: each request holds one store of its own
for as long as it runs, so handlers run on worker threads (never blocking the event
loop on a query) without two threads ever sharing a connection."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from wirescope.store import Store

DEFAULT_CONNECTIONS = 4


class StorePool:
    """Up to `size` stores over one database, opened when first needed and reused."""

    def __init__(self, opener: Callable[[str], Store], db: str, size: int = DEFAULT_CONNECTIONS):
        self._opener = opener
        self._db = db
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._opened: list[Store] = []

    def open_one(self) -> None:
        """Open a store now: a database that cannot be opened fails at start-up."""
        store = self._opener(self._db)
        with self._lock:
            self._opened.append(store)
        self._idle.put(store)

    @contextmanager
    def checkout(self) -> Iterator[Store]:
        with self._slots:  # waits (on a worker thread) while all stores are in use
            try:
                store = self._idle.get_nowait()
            except queue.Empty:
                store = self._opener(self._db)
                with self._lock:
                    self._opened.append(store)
            try:
                yield store
            finally:
                self._idle.put(store)

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            store.close()
