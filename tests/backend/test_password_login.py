"""Login with a user name and password (besides the token): scrypt hashes, one answer for every wrong credential."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from services.backend import tables as t
from services.backend.passwords import hash_password, verify_password
from services.client import AuthError, CommandClient
from services.domain.errors import InvalidInput, NotFound
from tests.backend.conftest import Server


async def auth_frame(url: str, frame: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    async with connect(url) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "auth", **frame}))
        answer = json.loads(await ws.recv())
        if answer["type"] == "auth_invalid":
            with contextlib.suppress(ConnectionClosed):
                await ws.recv()  # the server closes after auth_invalid
        return answer, ws.close_code


def test_hashes_are_salted_and_checked() -> None:
    first, second = hash_password("值班2026abc"), hash_password("值班2026abc")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("值班2026abc", first) and not verify_password("值班2026abd", first)
    assert not verify_password("x", "garbage") and not verify_password("x", "")
    for weak in ("short1", "12345678901", "abcdefghijk", "a" * 300):
        with pytest.raises(InvalidInput):
            hash_password(weak)


async def test_password_login_and_every_wrong_credential(sqlite_server: Server) -> None:
    store = sqlite_server.store
    store.set_password("duty", "shift-2026-night")
    with pytest.raises(NotFound):
        store.set_password("nobody", "shift-2026-night")
    ok, _ = await auth_frame(sqlite_server.url, {"user": "duty", "password": "shift-2026-night", "console": "c1"})
    assert ok["type"] == "auth_ok" and ok["user"] == "duty" and ok["role"] == "duty_officer"
    store.set_active("duty2", False)
    store.set_password("duty2", "another-2026-pw")
    wrong = [{"user": "duty", "password": "shift-2026-nigh"}, {"user": "nobody", "password": "shift-2026-night"},
             {"user": "leader", "password": "shift-2026-night"},  # a user with no password set
             {"user": "duty2", "password": "another-2026-pw"},  # disabled
             {"user": "duty"}, {"user": 5, "password": "x"}]
    for frame in wrong:
        answer, code = await auth_frame(sqlite_server.url, frame)
        assert answer == {"type": "auth_invalid", "message": "invalid or expired credentials"}, frame
        assert code == 4401
    with store.engines.read.connect() as conn:
        failed = conn.execute(select(t.AuditRow.detail).where(t.AuditRow.action == "auth",
                                                              t.AuditRow.outcome == "failed")).scalars().all()
    assert sum(1 for d in failed if d.get("user") == "nobody") == 1


async def test_the_client_logs_in_with_a_password_and_keeps_the_token_path(sqlite_server: Server) -> None:
    sqlite_server.store.set_password("dept1", "dept-one-2026")
    client = CommandClient(sqlite_server.url, "", user="dept1", password="dept-one-2026", console="t")
    await client.start()
    await client.wait_connected(10)
    assert client.user == "dept1" and client.role == "department"
    await client.close()
    bad = CommandClient(sqlite_server.url, "", user="dept1", password="wrong-password-1", console="t")
    await bad.start()
    with pytest.raises(AuthError):
        await bad.wait_connected(10)
    await bad.close()
