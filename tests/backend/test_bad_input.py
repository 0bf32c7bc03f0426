"""Every bad input of issue #2: a structured error (or the named close code), the server stays up, nothing written."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from typing import Any

import pytest
from sqlalchemy import func, select
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from services.backend import tables as t
from tests.backend.conftest import RawClient, Server, report


def counts(server: Server) -> tuple[int, int]:
    with server.store.engines.read.connect() as conn:
        return (conn.execute(select(func.count()).select_from(t.EventRow)).scalar_one(),
                conn.execute(select(func.count()).select_from(t.CaseRow)).scalar_one())


async def still_serving(server: Server, client: RawClient | None = None) -> None:
    client = client or await server.client("duty")
    pong = await client.ok("ping")
    assert pong["head_seq"] == server.hub.published_seq


async def raw_authed(server: Server, user: str = "duty") -> Any:
    ws = await connect(server.url, max_size=None)
    await ws.recv()
    await ws.send(json.dumps({"type": "auth", "token": server.tokens[user]}))
    assert json.loads(await ws.recv())["type"] == "auth_ok"
    return ws


async def test_not_json_gets_invalid_json_and_connection_stays(sqlite_server: Server) -> None:
    ws = await raw_authed(sqlite_server)
    before = counts(sqlite_server)
    for junk in ["{not json", "", "[1,2", "\u0000"]:
        await ws.send(junk)
        reply = json.loads(await ws.recv())
        assert reply["ok"] is False and reply["error"]["code"] == "invalid_json" and reply["id"] is None
    await ws.send(json.dumps({"id": 1, "type": "ping"}))
    assert json.loads(await ws.recv())["ok"] is True
    assert counts(sqlite_server) == before
    await ws.close()


async def test_binary_frame_is_refused_with_structured_error(sqlite_server: Server) -> None:
    ws = await raw_authed(sqlite_server)
    await ws.send(b'{"id":1,"type":"ping"}')
    reply = json.loads(await ws.recv())
    assert reply["error"]["code"] == "invalid_format"
    await ws.close()


async def test_invalid_utf8_closes_1007_and_server_survives(sqlite_server: Server) -> None:
    ws = await raw_authed(sqlite_server)
    await ws.send(b'{"id":1,"type":"ping","body":{"x":"\xff\xfe"}}', text=True)
    with pytest.raises(ConnectionClosed) as info:
        await asyncio.wait_for(ws.recv(), 5)
    assert info.value.rcvd is not None and info.value.rcvd.code == 1007
    await still_serving(sqlite_server)


async def test_frame_over_64k_closes_1009_and_writes_nothing(sqlite_server: Server) -> None:
    ws = await raw_authed(sqlite_server)
    before = counts(sqlite_server)
    body = {"channel": "hotline_12345", "category": "x", "title": "y", "description": "长" * 30000}
    await ws.send(json.dumps({"id": 1, "type": "case.report", "idem": "a" * 16, "body": body}, ensure_ascii=False))
    with pytest.raises(ConnectionClosed) as info:
        await asyncio.wait_for(ws.recv(), 5)
    assert info.value.rcvd is not None and info.value.rcvd.code == 1009
    assert counts(sqlite_server) == before
    await still_serving(sqlite_server)


@pytest.mark.parametrize(("frame", "path"), [
    ({"type": "ping"}, "id"),
    ({"id": "1", "type": "ping"}, "id"),
    ({"id": 1.5, "type": "ping"}, "id"),
    ({"id": True, "type": "ping"}, "id"),
    ({"id": 1}, "type"),
    ({"id": 1, "type": 7}, "type"),
    ({"id": 1, "type": "ping", "extra": 1}, "extra"),
    ({"id": 1, "type": "ping", "body": []}, "body"),
    ({"id": 1, "type": "case.report", "idem": "k" * 16, "body": {"category": "x", "title": "y"}}, "body.channel"),
    ({"id": 1, "type": "case.report", "idem": "k" * 16,
      "body": {"channel": "hotline_12345", "category": "x", "title": 5}}, "body.title"),
    ({"id": 1, "type": "case.report", "idem": "k" * 16,
      "body": {"channel": "hotline_12345", "category": "x", "title": "y", "lat": "north"}}, "body.lat"),
    ({"id": 1, "type": "case.report", "idem": "k" * 16,
      "body": {"channel": "hotline_12345", "category": "x", "title": "y", "surprise": 1}}, "body.surprise"),
    ({"id": 1, "type": "case.dispatch", "idem": "k" * 16,
      "body": {"id": 1, "expected_version": 1, "lead_department_id": 1, "resolution_class": "someday"}},
     "body.resolution_class"),
    ({"id": 1, "type": "case.report", "idem": "short",
      "body": {"channel": "hotline_12345", "category": "x", "title": "y"}}, "idem"),
    ({"id": 1, "type": "case.report", "body": {"channel": "hotline_12345", "category": "x", "title": "y"}}, "idem"),
])
async def test_missing_or_wrongly_typed_fields(sqlite_server: Server, frame: dict[str, Any], path: str) -> None:
    client = await sqlite_server.client()
    before = counts(sqlite_server)
    await client.ws.send(json.dumps(frame))
    for _ in range(100):
        if client.frames:
            break
        await asyncio.sleep(0.02)
    reply = json.loads(client.frames[-1])
    assert reply["ok"] is False and reply["error"]["code"] == "invalid_format", reply
    assert reply["error"]["details"]["path"] == path
    assert counts(sqlite_server) == before
    client.next_id = 100
    await still_serving(sqlite_server, client)


async def test_unknown_type(sqlite_server: Server) -> None:
    client = await sqlite_server.client()
    err = await client.fail("case.teleport", {"id": 1})
    assert err["code"] == "unknown_command" and err["retryable"] is False
    await still_serving(sqlite_server, client)


async def test_id_that_does_not_increase(sqlite_server: Server) -> None:
    client = await sqlite_server.client()
    assert (await client.send_raw({"id": 5, "type": "ping"}))["ok"]
    for rid in (5, 3):
        reply = await client.send_raw({"id": rid, "type": "ping"})
        assert reply["error"]["code"] == "id_reuse" and reply["error"]["details"]["last_id"] == 5
    assert (await client.send_raw({"id": 6, "type": "ping"}))["ok"]


async def test_command_before_auth_is_not_processed(sqlite_server: Server) -> None:
    before = counts(sqlite_server)
    async with connect(sqlite_server.url) as ws:
        await ws.recv()
        await ws.send(json.dumps({"id": 1, "type": "case.report", "idem": "x" * 16,
                                  "body": {"channel": "hotline_12345", "category": "x", "title": "y"}}))
        reply = json.loads(await ws.recv())
        assert reply == {"type": "result", "id": 1, "ok": False, "error": {
            "code": "unauthorized", "message": reply["error"]["message"], "retryable": False}}
        # still allowed to authenticate afterwards
        await ws.send(json.dumps({"type": "auth", "token": sqlite_server.tokens["duty"]}))
        assert json.loads(await ws.recv())["type"] == "auth_ok"
    assert counts(sqlite_server) == before


@pytest.mark.parametrize("token", ["wrong-token", "", None, "x" * 5000])
async def test_wrong_token_closes_4401_and_is_audited(sqlite_server: Server, token: Any) -> None:
    async with connect(sqlite_server.url) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(await ws.recv())["type"] == "auth_invalid"
        with pytest.raises(ConnectionClosed) as info:
            await ws.recv()
        assert info.value.rcvd is not None and info.value.rcvd.code == 4401
    with sqlite_server.store.engines.read.connect() as conn:
        failures = conn.execute(select(func.count()).select_from(t.AuditRow)
                                .where(t.AuditRow.action == "auth", t.AuditRow.outcome == "failed")).scalar_one()
    assert failures == 1
    await still_serving(sqlite_server)


async def test_expired_token_closes_4401(sqlite_server: Server) -> None:
    from sqlalchemy import update

    with sqlite_server.store.engines.write.begin() as conn:
        conn.execute(update(t.User).where(t.User.name == "leader").values(token_expires_at=sqlite_server.clock.now - 1))
    async with connect(sqlite_server.url) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "auth", "token": sqlite_server.tokens["leader"]}))
        assert json.loads(await ws.recv())["type"] == "auth_invalid"
        with pytest.raises(ConnectionClosed) as info:
            await ws.recv()
        assert info.value.rcvd is not None and info.value.rcvd.code == 4401


@pytest.mark.slow
async def test_silent_client_is_closed_4408_at_the_default_10_seconds(server_factory: Any) -> None:
    srv = await server_factory(auth_timeout_s=10.0)
    async with connect(srv.url) as ws:
        await ws.recv()
        started = time.monotonic()
        with pytest.raises(ConnectionClosed) as info:
            await asyncio.wait_for(ws.recv(), 20)
        waited = time.monotonic() - started
    assert info.value.rcvd is not None and info.value.rcvd.code == 4408
    assert waited >= 9.0  # not before the configured 10 s (behaviour, not a speed target)


async def test_forbidden_role_gets_error_and_an_audit_row(server: Server) -> None:
    duty, leader, village = [await server.client(u) for u in ("duty", "leader", "village1")]
    r = await report(duty)
    before = counts(server)
    err = await leader.fail("case.register", {"id": r["id"], "expected_version": 1})
    assert err["code"] == "forbidden" and "duty_officer" in err["details"]["allowed_roles"]
    err = await village.fail("case.dispatch", {"id": r["id"], "expected_version": 1, "lead_department_id": 1,
                                               "resolution_class": "immediate"})
    assert err["code"] == "forbidden"
    await asyncio.sleep(0.2)  # the denial audit is written on the writer thread after the reply
    with server.store.engines.read.connect() as conn:
        denials = conn.execute(select(t.AuditRow.user_name).where(t.AuditRow.action == "denied")).scalars().all()
    assert sorted(denials) == ["leader", "village1"]
    assert counts(server) == before


async def test_illegal_transition_closing_a_case_never_dispatched(server: Server) -> None:
    duty = await server.client("duty")
    r = await report(duty)
    before = counts(server)
    err = await duty.fail("case.close", {"id": r["id"], "expected_version": 1})
    assert err["code"] == "conflict"
    assert err["details"]["reason"] == "invalid_transition" and err["details"]["state"] == "reported"
    assert err["details"]["allowed_from"] == ["verified"]
    assert counts(server) == before


async def test_unknown_entity_and_reference_ids(server: Server) -> None:
    duty = await server.client("duty")
    assert (await duty.fail("case.register", {"id": 999999, "expected_version": 1}))["code"] == "not_found"
    r = await report(duty)
    reg = await duty.ok("case.register", {"id": r["id"], "expected_version": 1})
    err = await duty.fail("case.dispatch", {"id": r["id"], "expected_version": reg["version"],
                                            "lead_department_id": 404, "resolution_class": "immediate"})
    assert err["code"] == "not_found" and err["details"]["field"] == "lead_department_id"
    err = await duty.fail("case.report", {"channel": "carrier_pigeon", "category": "x", "title": "y"})
    assert err["code"] == "not_found"


async def test_stale_version_conflict_names_the_winner_and_current_state(server: Server) -> None:
    duty, duty2 = await server.client("duty"), await server.client("duty2")
    r = await report(duty)
    await duty2.ok("case.register", {"id": r["id"], "expected_version": 1})
    before = counts(server)
    err = await duty.fail("case.register", {"id": r["id"], "expected_version": 1})
    assert err["code"] == "conflict" and err["details"]["reason"] == "stale_version"
    assert err["details"]["updated_by"] == "duty2"
    assert err["details"]["current"]["state"] == "registered" and err["details"]["current"]["version"] == 2
    assert counts(server) == before


async def test_replayed_idem_returns_first_result_and_reused_idem_is_duplicate(server: Server) -> None:
    duty = await server.client("duty")
    body = {"channel": "hotline_12345", "category": "噪音", "title": "夜间施工"}
    first = await duty.ok("case.report", body, idem="idem-0000000001")
    before = counts(server)
    again = await duty.ok("case.report", body, idem="idem-0000000001")
    assert again == first
    assert counts(server) == before
    err = await duty.fail("case.report", {**body, "title": "另一件事"}, idem="idem-0000000001")
    assert err["code"] == "duplicate"
    assert counts(server) == before
    # the same key from another user is that user's own key
    other = await server.client("grid1")
    assert (await other.ok("case.report", body, idem="idem-0000000001"))["id"] != first["id"]


async def test_resume_with_unknown_epoch_or_too_old_seq_needs_resync(server_factory: Any) -> None:
    srv = await server_factory(replay_window_events=5)
    duty = await srv.client("duty")
    for _ in range(8):
        await report(duty)
    head = srv.hub.published_seq
    err = await duty.fail("subscribe", {"after_seq": head - 2, "epoch": "not-the-epoch"})
    assert err["code"] == "resync_required" and err["details"]["epoch"] == srv.store.epoch
    err = await duty.fail("subscribe", {"after_seq": 1, "epoch": srv.store.epoch})
    assert err["code"] == "resync_required" and err["details"]["head_seq"] == head
    err = await duty.fail("subscribe", {"after_seq": head + 10, "epoch": srv.store.epoch})
    assert err["code"] == "resync_required"
    ok = await duty.ok("subscribe", {"after_seq": head - 3, "epoch": srv.store.epoch})
    events = await duty.wait_events(3)
    assert [e["seq"] for e in events] == [head - 2, head - 1, head] and ok["head_seq"] == head


async def test_client_that_stops_reading_is_closed_4008_others_unaffected(server_factory: Any) -> None:
    srv = await server_factory(send_buffer_bytes=64 * 1024)
    good = await srv.client("leader")
    await good.ok("subscribe", {})
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    host, port = srv.url.removeprefix("ws://").split(":")
    sock.connect((host, int(port)))
    stalled = await connect(srv.url, sock=sock, max_queue=1, max_size=None)
    await stalled.recv()
    await stalled.send(json.dumps({"type": "auth", "token": srv.tokens["duty"]}))
    await stalled.recv()
    await stalled.send(json.dumps({"id": 1, "type": "subscribe", "body": {}}))
    # the stalled client never reads again; its TCP window and then its bounded send buffer fill up
    duty = await srv.client("duty")
    n = 0
    while srv.hub.stats["slow_consumer_closes"] == 0 and n < 3000:
        await report(duty, description="长" * 3900, grid_id=None)
        n += 1
    assert srv.hub.stats["slow_consumer_closes"] == 1, "the stalled client was never closed"
    events = await good.wait_events(n, timeout=30)
    assert [e["seq"] for e in events] == list(range(events[0]["seq"], events[0]["seq"] + n))
    stalled.transport.abort()  # nothing more to read from it
    await still_serving(srv, duty)


async def test_database_trouble_at_start_is_a_clear_error(tmp_path: Any) -> None:
    import subprocess
    import sys

    def serve(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", "serve", "--port", "0", *args], capture_output=True,
                              text=True, timeout=60)

    unreachable = serve("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert unreachable.returncode == 2
    assert "cannot open database" in unreachable.stderr and "reachable" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr

    db = tmp_path / "locked.sqlite"
    holder = subprocess.Popen([sys.executable, "main.py", "serve", "--port", "0", "--db", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = holder.stdout.readline() if holder.stdout else ""
        while line and "listening" not in line:
            line = holder.stdout.readline() if holder.stdout else ""
        second = serve("--db", str(db))
        assert second.returncode == 2
        assert "in use by another server process" in second.stderr and "Traceback" not in second.stderr
    finally:
        holder.terminate()
        holder.wait(10)

    # a file locked by another program (not our server) at the SQLite level
    import sqlite3

    db2 = tmp_path / "other.sqlite"
    other = sqlite3.connect(db2, isolation_level=None)
    other.execute("CREATE TABLE x (a)")
    other.execute("BEGIN EXCLUSIVE")
    try:
        locked = serve("--db", str(db2))
        assert locked.returncode == 2
        assert "locked" in locked.stderr and "Traceback" not in locked.stderr
    finally:
        other.execute("ROLLBACK")
        other.close()




async def test_resume_without_epoch_is_refused(sqlite_server: Server) -> None:
    duty = await sqlite_server.client("duty")
    err = await duty.fail("subscribe", {"after_seq": 0})
    assert err["code"] == "invalid_format" and err["details"]["path"] == "body.epoch"


async def test_permission_is_checked_before_the_version(server: Server) -> None:
    duty, leader = await server.client("duty"), await server.client("leader")
    r = await report(duty)
    await duty.ok("case.register", {"id": r["id"], "expected_version": 1})
    err = await leader.fail("case.register", {"id": r["id"], "expected_version": 1})  # stale AND not allowed
    assert err["code"] == "forbidden" and "current" not in err.get("details", {})


async def test_a_wall_console_gets_masked_frames_even_with_a_duty_officer_token(server: Server) -> None:
    duty = await server.client("duty", console="console-1")
    wall = await server.client("duty", console="wall-main")
    await wall.ok("subscribe", {})
    await duty.ok("subscribe", {})
    r = await report(duty, reporter_id_number="360121199001011234", description="联系13912345678")
    assert r["case"]["reporter_phone"] == "13812348000"  # the console may see it
    await wall.wait_events(1)
    await duty.wait_events(1)
    wall_text = "".join(wall.frames)
    for secret in ("13812348000", "13912345678", "360121199001011234", "张三"):
        assert secret not in wall_text
    assert "13912345678" in "".join(duty.frames)
    snap = await wall.ok("snapshot", {"what": ["open_cases"]})
    assert snap["epoch"] == server.store.epoch and snap["open_cases"][0]["reporter_phone"] == "138****8000"


async def test_disabled_user_is_closed_4403_and_expired_token_4401_while_connected(sqlite_server: Server) -> None:
    from sqlalchemy import update

    leader, grid = await sqlite_server.client("leader"), await sqlite_server.client("grid1")
    duty = await sqlite_server.client("duty")
    sqlite_server.store.set_active("leader", False)
    with sqlite_server.store.engines.write.begin() as conn:
        conn.execute(update(t.User).where(t.User.name == "grid1").values(token_expires_at=sqlite_server.clock.now - 1))
    assert await sqlite_server.hub.revalidate_now() == 2
    for client, code in ((leader, 4403), (grid, 4401)):
        await asyncio.wait_for(client.ws.wait_closed(), 5)
        assert client.ws.close_code == code
    await still_serving(sqlite_server, duty)
    with pytest.raises(Exception, match="unauthorized"):
        await RawClient.open(sqlite_server.url, sqlite_server.tokens["leader"])


async def test_reply_over_the_frame_limit_is_too_large_and_connection_stays(server_factory: Any) -> None:
    srv = await server_factory(max_reply_bytes=8192)
    duty = await srv.client("duty")
    for i in range(10):
        await report(duty, title=f"第{i}件", description="描述" * 300, grid_id=None)
    err = await duty.fail("cases.query", {"limit": 100})
    assert err["code"] == "too_large" and err["details"]["limit"] == 8192
    assert len((await duty.ok("cases.query", {"limit": 1}))["cases"]) == 1
