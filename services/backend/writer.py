"""The one writer thread: every change to the store runs here, in order, so events are published in seq order.

Changing commands that arrive while the writer is busy are committed together (group commit: one transaction,
a SAVEPOINT each, one fsync), which is what lets one SQLite file take a few hundred changes per second.
Anything else (audits, sweeps, reference loads) runs alone, in its turn.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.backend.store import Store, StoredEvent, WriteJob, WriteResult

log = logging.getLogger(__name__)
MAX_BATCH = 64
_STOP = object()
COMMIT_STAMPS_ENV = "CCC_COMMIT_STAMPS"
"""Diagnostics: a file to which the writer, on stop, writes `seq monotonic_time` for each event it committed
(time.perf_counter() right after the commit; CLOCK_MONOTONIC, comparable across processes on one machine).
bench/fanout.py uses it to measure commit -> client latency. Bounded: at most MAX_COMMIT_STAMPS events."""
MAX_COMMIT_STAMPS = 2_000_000


class CommitStamps:
    """When each event was committed, kept in two flat arrays (16 bytes an event), written out on stop."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seqs, self.times = array("q"), array("d")

    def record(self, seqs: list[int], at: float) -> None:
        if len(self.seqs) + len(seqs) <= MAX_COMMIT_STAMPS:
            self.seqs.extend(seqs)
            self.times.extend([at] * len(seqs))

    def write(self) -> None:
        with open(self.path, "w", encoding="ascii") as out:
            out.writelines(f"{seq} {at:.6f}\n" for seq, at in zip(self.seqs, self.times, strict=True))


@dataclass
class _Item:
    job: WriteJob | None
    call: Callable[[], Any] | None
    future: asyncio.Future[Any]


class Writer:
    def __init__(self, store: Store, loop: asyncio.AbstractEventLoop,
                 publish: Callable[[list[StoredEvent]], None]) -> None:
        self._store = store
        self._loop = loop
        self._publish = publish
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ccc-writer", daemon=True)
        self._thread.start()
        self.batches = 0
        self.jobs = 0
        stamps_path = os.environ.get(COMMIT_STAMPS_ENV)
        self._stamps = CommitStamps(stamps_path) if stamps_path else None

    async def execute(self, job: WriteJob) -> WriteResult:
        future: asyncio.Future[WriteResult] = self._loop.create_future()
        self._queue.put(_Item(job, None, future))
        return await future

    async def call(self, fn: Callable[[], Any]) -> Any:
        future: asyncio.Future[Any] = self._loop.create_future()
        self._queue.put(_Item(None, fn, future))
        return await future

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=30)
        if self._stamps is not None:
            self._stamps.write()

    # -- the thread -------------------------------------------------------------------------------
    def _run(self) -> None:
        pending: Any = None
        while True:
            item = pending if pending is not None else self._queue.get()
            pending = None
            if item is _STOP:
                return
            if item.job is None:
                self._run_call(item)
                continue
            batch = [item]
            while len(batch) < MAX_BATCH:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP or nxt.job is None:
                    pending = nxt  # runs after this batch, in its turn
                    break
                batch.append(nxt)
            self._run_batch(batch)

    def _run_call(self, item: _Item) -> None:
        try:
            out = item.call() if item.call else None
        except BaseException as exc:  # delivered to the awaiting coroutine
            self._loop.call_soon_threadsafe(_fail, item.future, exc)
            return
        events = out.events if isinstance(out, WriteResult) else out if _is_event_list(out) else []
        self._loop.call_soon_threadsafe(self._deliver, [item], [out], events)

    def _run_batch(self, batch: list[_Item]) -> None:
        try:
            outcomes: list[Any] = self._store.execute_many([i.job for i in batch if i.job is not None])
        except BaseException as exc:  # the whole transaction failed (e.g. the database went away)
            log.warning("write batch of %d failed: %s", len(batch), exc)
            for item in batch:
                self._loop.call_soon_threadsafe(_fail, item.future, exc)
            return
        committed_at = time.perf_counter()
        self.batches += 1
        self.jobs += len(batch)
        events = [e for o in outcomes if isinstance(o, WriteResult) for e in o.events]
        if self._stamps is not None:
            self._stamps.record([e.seq for e in events], committed_at)
        self._loop.call_soon_threadsafe(self._deliver, batch, outcomes, events)

    # -- back on the loop ---------------------------------------------------------------------------
    def _deliver(self, items: list[_Item], outcomes: list[Any], events: list[StoredEvent]) -> None:
        if events:
            self._publish(events)  # before any reply: a client may see the event first, never a gap
        for item, outcome in zip(items, outcomes, strict=True):
            if item.future.done():
                continue
            if isinstance(outcome, Exception):
                item.future.set_exception(outcome)
            else:
                item.future.set_result(outcome)


def _fail(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def _is_event_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], StoredEvent)
