"""DIAGNOSIS ONLY: `main.py serve` with two suggested fixes applied by monkeypatching, to measure them.

Not the product and not maintained with it: if services/ changes, this may stop matching (it then fails loudly).
Used by `bench/fanout.py --what-if` and `bench/dispatch.py --what-if`. Patches (each can be turned off with
CCC_WHATIF=store or CCC_WHATIF=hub to apply only one):

store  (merged into services/ in ddfdda1; kept for measuring older revisions)
       Store writes bind their values as parameters of a cached Core statement, instead of building a fresh
       `insert(OrmClass).values(**row)` / `update(OrmClass).values(**row)` per call (which runs SQLAlchemy's
       ORM bulk-persistence coercion and cache-key generation over ~45 columns every time).
hub    (superseded by 5590dfc)
       Events are written straight to each client's websocket from `publish` (one frame encode + one
       transport.write), with the bound on the transport's write buffer instead of a per-client queue
       drained by a per-client task (one task wake-up, lock and drain await per frame).
batch  (merged into services/ in 5590dfc; kept for measuring older revisions)
       As `hub`, but frames are only framed into the websocket's buffer at publish time; one flush callback
       per loop iteration (or every CCC_WHATIF_FLUSH_MS ms) writes each client's pending frames with a single
       transport.write: when several events are published before the flush (under load), a client costs one
       send() syscall for all of them instead of one per event. Use instead of `hub`.
"""

from __future__ import annotations

import os
import runpy
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def patch_store() -> None:
    from sqlalchemy import bindparam, insert, update

    from services.backend import store as S
    from services.backend import tables as t

    if hasattr(S, "conditional_update"):  # the fix is in services/ since ddfdda1: nothing to patch
        print("what-if: store fix already in services/ (conditional_update): not patched", flush=True)
        return
    real_insert = S.insert

    class _Deferred:
        def __init__(self, table: Any) -> None:
            self.table = table

        def values(self, **kw: Any) -> tuple[str, Any, dict[str, Any]]:
            return ("__bound__", self.table, kw)

    cached: dict[Any, Any] = {}

    def fast_insert(table: Any) -> Any:
        if table in (t.CaseRow, t.Idempotency, t.AuditRow, t.WhistleRow):
            return _Deferred(table)
        return real_insert(table)

    import sqlalchemy.engine.base as B

    real_execute = B.Connection.execute

    def execute(self: Any, statement: Any, parameters: Any = None, **kw: Any) -> Any:
        if isinstance(statement, tuple) and statement and statement[0] == "__bound__":
            table = statement[1].__table__
            if table not in cached:
                cached[table] = insert(table)
            return real_execute(self, cached[table], statement[2])
        return real_execute(self, statement, parameters, **kw)

    B.Connection.execute = execute
    S.insert = fast_insert
    updates: dict[Any, Any] = {}

    def update_conditionally(self: Any, conn: Any, table: Any, entity_id: int, version: int,
                             values: dict[str, Any]) -> None:
        values = {k: v for k, v in values.items() if k != "id"}
        tbl = table.__table__
        if tbl not in updates:
            updates[tbl] = update(tbl).where(tbl.c.id == bindparam("_w_id"), tbl.c.version == bindparam("_w_ver"))
        res = real_execute(conn, updates[tbl], {**values, "_w_id": entity_id, "_w_ver": version})
        if res.rowcount != 1:
            raise S.Conflict("the record was changed concurrently", reason="stale_version")

    assert hasattr(S.Store, "_update_conditionally")
    S.Store._update_conditionally = update_conditionally


def patch_hub() -> None:
    from websockets.protocol import State

    from services.backend import hub as H

    if hasattr(H.Hub, "_flush"):  # the batching hub is in services/ since 5590dfc: nothing to patch
        print("what-if: hub already writes straight to the websocket buffer (Hub._flush): not patched", flush=True)
        return
    limit_bytes = 4 * 2**20

    def enqueue(self: Any, client: Any, frame: str) -> None:
        if client.closing:
            return
        ws = client.ws
        if ws.protocol.state is not State.OPEN:
            return
        if ws.transport.get_write_buffer_size() > limit_bytes:
            self._close_slow(client)
            return
        ws.protocol.send_text(frame.encode())
        ws.send_data()

    assert hasattr(H.Hub, "_enqueue")
    H.Hub._enqueue = enqueue


def patch_hub_batch() -> None:
    from websockets.protocol import State

    from services.backend import hub as H

    if hasattr(H.Hub, "_flush"):  # merged into services/ in 5590dfc
        print("what-if: hub already batches one write per client per loop iteration (Hub._flush): not patched",
              flush=True)
        return
    limit_bytes = 4 * 2**20
    flush_s = float(os.environ.get("CCC_WHATIF_FLUSH_MS", "0")) / 1000.0
    pending: dict[int, Any] = {}
    scheduled = [False]
    stats = {"flushes": 0, "writes": 0, "frames": 0}

    def flush() -> None:
        scheduled[0] = False
        items = list(pending.values())
        pending.clear()
        stats["flushes"] += 1
        for ws in items:
            chunks = ws.protocol.data_to_send()
            data = b"".join(c for c in chunks if c)
            if data:
                ws.transport.write(data)
                stats["writes"] += 1
            if any(not c for c in chunks) and ws.transport.can_write_eof():
                ws.transport.write_eof()

    def enqueue(self: Any, client: Any, frame: str) -> None:
        if client.closing:
            return
        ws = client.ws
        if ws.protocol.state is not State.OPEN:
            return
        if ws.transport.get_write_buffer_size() > limit_bytes:
            self._close_slow(client)
            return
        ws.protocol.send_text(frame.encode())
        stats["frames"] += 1
        pending[id(ws)] = ws
        if not scheduled[0]:
            scheduled[0] = True
            loop = self._loop
            if flush_s > 0:
                loop.call_later(flush_s, flush)
            else:
                loop.call_soon(flush)

    assert hasattr(H.Hub, "_enqueue")
    H.Hub._enqueue = enqueue

    import atexit

    atexit.register(lambda: print(f"what-if batch: {stats}", flush=True))


if __name__ == "__main__":
    which = os.environ.get("CCC_WHATIF", "store,hub").split(",")
    if "store" in which:
        patch_store()
    if "hub" in which:
        patch_hub()
    if "batch" in which:
        patch_hub_batch()
    print(f"what-if server: patched {which} at {time.strftime('%H:%M:%S')}", flush=True)
    sys.argv = ["main.py", *sys.argv[1:]]
    runpy.run_path(str(ROOT / "main.py"), run_name="__main__")
