"""services/client.py against the real hub: auth failure, errors, resync on a new epoch, slow consumer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from services.backend.hub import Hub
from services.client import AuthError, CommandClient, ConnectionState, Event, RemoteError
from tests.backend.conftest import Server

REPORT = {"channel": "hotline_12345", "category": "x", "township_id": 1}


async def started(url: str, token: str, **kwargs: Any) -> CommandClient:
    client = CommandClient(url, token, backoff_initial=0.05, backoff_max=0.3, **kwargs)
    await client.start()
    await client.wait_connected(10)
    return client


async def test_bad_token_is_final(sqlite_server: Server) -> None:
    client = CommandClient(sqlite_server.url, "not-a-token", backoff_initial=0.05)
    await client.start()
    with pytest.raises(AuthError):
        await client.wait_connected(10)
    assert client.state == ConnectionState.AUTH_FAILED
    await client.close()


async def test_remote_errors_carry_code_and_details(sqlite_server: Server) -> None:
    duty = await started(sqlite_server.url, sqlite_server.tokens["duty"])
    try:
        r = await duty.request("case.report", {**REPORT, "title": "a"})
        await duty.request("case.register", {"id": r["id"], "expected_version": 1})
        with pytest.raises(RemoteError) as info:
            await duty.request("case.register", {"id": r["id"], "expected_version": 1})
        assert info.value.code == "conflict" and info.value.details["reason"] == "stale_version"
        assert info.value.retryable is False
    finally:
        await duty.close()


async def test_new_epoch_makes_the_client_resync_from_the_snapshot(sqlite_server: Server) -> None:
    seen: list[int] = []
    resyncs = 0
    holder: dict[str, CommandClient] = {}

    async def on_event(event: Event) -> None:
        seen.append(event.seq)

    async def on_resync() -> None:
        nonlocal resyncs
        resyncs += 1
        snap = await holder["c"].request("snapshot", {"what": ["open_cases"]})
        holder["c"].reset_seq(snap["as_of_seq"], snap["epoch"])

    client = await started(sqlite_server.url, sqlite_server.tokens["leader"], on_event=on_event, on_resync=on_resync)
    holder["c"] = client
    duty = await sqlite_server.client("duty")
    try:
        await client.subscribe()
        await duty.ok("case.report", {**REPORT, "title": "before"})
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.02)
        # a restore: new epoch, server restarted (clients are closed with 1012 and reconnect)
        old_hub = sqlite_server.hub
        await old_hub.stop()
        sqlite_server.store.reset_epoch()
        sqlite_server.hub = Hub(sqlite_server.store, old_hub.rules, clock=sqlite_server.clock)
        port = int(sqlite_server.url.rsplit(":", 1)[1])
        await sqlite_server.hub.start("127.0.0.1", port)
        for _ in range(200):
            if resyncs and client.state == ConnectionState.CONNECTED:
                break
            await asyncio.sleep(0.05)
        assert resyncs == 1 and client.epoch == sqlite_server.store.epoch
        duty2 = await sqlite_server.client("duty")
        after = await duty2.ok("case.report", {**REPORT, "title": "after"})
        for _ in range(100):
            if seen[-1] >= after["seq"]:
                break
            await asyncio.sleep(0.02)
        assert seen[-1] == after["seq"]
    finally:
        await client.close()


async def test_slow_consumer_is_closed_4008_and_still_gets_every_event_once(server_factory: Any) -> None:
    srv = await server_factory(send_buffer_bytes=64 * 1024, rate_per_s=10000.0, rate_burst=10000)
    seen: list[int] = []

    async def slow(event: Event) -> None:
        seen.append(event.seq)
        if srv.hub.stats["slow_consumer_closes"] == 0:  # slow until the server gives up on it
            await asyncio.sleep(0.02)

    client = await started(srv.url, srv.tokens["leader"], on_event=slow)
    duty = await srv.client("duty")
    try:
        await client.subscribe()
        first = srv.hub.published_seq + 1
        for i in range(5000):  # ~12 KB each, until the socket buffers and the 64 KiB send buffer overflow
            await duty.ok("case.report", {**REPORT, "title": f"批量{i}", "description": "长" * 3900})
            if srv.hub.stats["slow_consumer_closes"] and i >= 100:
                break
        last = srv.hub.published_seq
        for _ in range(600):
            if seen and seen[-1] >= last:
                break
            await asyncio.sleep(0.05)
        assert seen == list(range(first, last + 1))
        assert srv.hub.stats["slow_consumer_closes"] >= 1, "the slow consumer was never closed: test proves nothing"
    finally:
        await client.close()
