"""Reliability: resume through a proxy that cuts connections at random; SIGKILL of the server mid-stream."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import uuid
from typing import Any

import pytest

from services.client import CommandClient, Event, RemoteError
from tests.e2e.conftest import CuttingProxy, ServerProcess, add_user

pytestmark = pytest.mark.slow

REPORT = {"channel": "hotline_12345", "category": "道路设施", "township_id": 1}


async def test_every_event_exactly_once_in_order_through_20_plus_random_cuts(server_process: ServerProcess) -> None:
    duty_token = add_user(server_process.db, "duty", "duty_officer")
    leader_token = add_user(server_process.db, "leader", "leader")
    server_process.start()
    proxy = CuttingProxy(server_process.port)
    await proxy.start()
    received: list[int] = []

    async def on_event(event: Event) -> None:
        received.append(event.seq)

    watcher = CommandClient(f"ws://127.0.0.1:{proxy.port}", leader_token, console="console-e2e", on_event=on_event,
                            backoff_initial=0.05, backoff_max=0.5)
    via_proxy = CommandClient(f"ws://127.0.0.1:{proxy.port}", duty_token, console="console-proxy",
                              backoff_initial=0.05, backoff_max=0.5, request_timeout=60)
    direct = CommandClient(server_process.url, duty_token, console="console-direct")
    rng = random.Random(20261128)
    stop_cutting = asyncio.Event()

    async def cutter() -> None:
        while not stop_cutting.is_set():
            await asyncio.sleep(rng.uniform(0.05, 0.25))
            proxy.cut_all()

    try:
        for c in (watcher, via_proxy, direct):
            await c.start()
            await c.wait_connected(30)
        await watcher.subscribe()
        start_seq = watcher.last_seq or 0
        cut_task = asyncio.ensure_future(cutter())
        acked_via_proxy: list[int] = []
        for i in range(300):
            await direct.request("case.report", {**REPORT, "title": f"直连上报 {i}"})
            if i % 3 == 0:  # changes sent through the cutting proxy: retried with the same idem after each cut
                reply = await via_proxy.request("case.report", {**REPORT, "title": f"经代理上报 {i}"},
                                                idem=uuid.uuid4().hex)
                acked_via_proxy.append(reply["id"])
            if i % 10 == 0:
                await asyncio.sleep(0.02)
        while proxy.cuts < 20:
            await direct.request("case.report", {**REPORT, "title": "补充上报"})
            await asyncio.sleep(0.05)
        stop_cutting.set()
        await cut_task
        head = (await direct.request("ping"))["head_seq"]
        for _ in range(600):
            if received and received[-1] >= head:
                break
            await asyncio.sleep(0.05)
        assert proxy.cuts >= 20
        assert received == list(range(start_seq + 1, head + 1)), "an event was lost, doubled or reordered"
        assert len(set(acked_via_proxy)) == len(acked_via_proxy) == 100
        titles = await direct.request("cases.query", {"limit": 1000})
        proxied = [c for c in titles["cases"] if c["title"].startswith("经代理上报")]
        assert len(proxied) == 100, "a retried change was applied twice or not at all"
    finally:
        stop_cutting.set()
        for c in (watcher, via_proxy, direct):
            await c.close()
        await proxy.stop()


async def test_sigkill_during_acknowledged_changes_loses_nothing(server_process: ServerProcess) -> None:
    duty_token = add_user(server_process.db, "duty", "duty_officer")
    server_process.start()
    received: list[int] = []

    async def on_event(event: Event) -> None:
        received.append(event.seq)

    watcher = CommandClient(server_process.url, duty_token, console="console-watch", on_event=on_event,
                            backoff_initial=0.05, backoff_max=0.5)
    writer = CommandClient(server_process.url, duty_token, console="console-write", request_timeout=2)
    acked: dict[int, str] = {}
    kill_after = random.Random(7).randint(80, 160)
    try:
        for c in (watcher, writer):
            await c.start()
            await c.wait_connected(30)
        await watcher.subscribe()

        async def produce() -> None:
            i = 0
            while True:
                title = f"断电测试 {i}"
                try:
                    reply = await writer.request("case.report", {**REPORT, "title": title})
                except RemoteError:
                    return  # the server is gone: unacknowledged from here on
                acked[reply["id"]] = title
                i += 1

        producer = asyncio.ensure_future(produce())
        while len(acked) < kill_after:
            await asyncio.sleep(0.01)
        server_process.kill()  # SIGKILL while the producer is mid-request
        await asyncio.wait_for(producer, 30)
        assert len(acked) >= kill_after

        db = sqlite3.connect(server_process.db)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored: dict[int, Any] = dict(db.execute("SELECT id, title FROM cases").fetchall())
            seqs = [r[0] for r in db.execute("SELECT seq FROM events ORDER BY seq")]
        finally:
            db.close()
        for case_id, title in acked.items():
            assert stored.get(case_id) == title, f"acknowledged case {case_id} lost"
        assert seqs == list(range(1, len(seqs) + 1)), "the event log has a gap"

        server_process.start()  # same file, same port: the watcher reconnects and resumes
        after = CommandClient(server_process.url, duty_token, console="console-after")
        await after.start()
        await after.wait_connected(30)
        await after.request("case.report", {**REPORT, "title": "重启后上报"})
        head = (await after.request("ping"))["head_seq"]
        await after.close()
        for _ in range(600):
            if received and received[-1] >= head:
                break
            await asyncio.sleep(0.05)
        assert received == list(range(received[0], head + 1)), "the watcher lost or doubled events across the kill"
        assert received[0] <= min(s for s in seqs if s > 1)
    finally:
        for c in (watcher, writer):
            await c.close()
