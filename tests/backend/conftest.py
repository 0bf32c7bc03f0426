"""Backend fixtures: a real hub on 127.0.0.1 over a real SQLite file or a real PostgreSQL schema."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import create_engine, text
from websockets.asyncio.client import ClientConnection, connect

from config.schema import Rules, load_rules
from services.backend.hub import Hub
from services.backend.store import Store
from services.domain.model import Role
from services.domain.workcalendar import CST, WorkCalendar

PG_URL = os.environ.get("CCC_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("CCC_REQUIRE_PG") == "1"


def reference_data() -> dict[str, list[dict[str, Any]]]:
    townships = [{"id": i, "code": f"T{i}", "name": n, "kind": "镇", "geometry": None}
                 for i, n in enumerate(["莲塘街道", "向塘镇", "蒋巷镇"], start=1)]
    grids = [{"id": i, "township_id": 1 + (i - 1) // 2, "service_point_id": None, "code": f"G{i}",
              "name": f"网格{i}", "worker": f"网格员{i}", "party_branch": "", "geometry": None} for i in range(1, 7)]
    departments = [{"id": i, "code": f"D{i}", "name": n, "leader": "", "liaison": "", "township_ids": [1]}
                   for i, n in enumerate(["县城管局", "县住建局", "县生态环境局", "县水利局", "县公安局"], start=1)]
    channels = [{"code": "hotline_12345", "name": "12345热线"}, {"code": "grid_app", "name": "网格员APP"},
                {"code": "video_alarm", "name": "视频告警"}]
    cameras = [{"id": i, "name": f"莲塘农贸市场{i}号", "township_id": 1, "grid_id": i, "lat": 28.55 + i / 1000,
                "lon": 115.95, "main_url": f"file:///cam{i}.mp4", "sub_url": f"file:///cam{i}-sub.mp4"}
               for i in (1, 2)]
    mediators = [{"id": 1, "name": "张律师", "kind": "lawyer", "kind_name": "公益律师",
                  "organization": "县法律援助中心",
                  "specialties": ["婚姻家庭"], "township_id": None}]
    return {"townships": townships, "grids": grids, "departments": departments, "channels": channels,
            "cameras": cameras, "mediators": mediators}


USERS: list[tuple[str, Role, int | None, int | None]] = [
    ("duty", Role.duty_officer, None, None),
    ("duty2", Role.duty_officer, None, None),
    ("leader", Role.leader, None, None),
    ("dept1", Role.department, 1, None),
    ("dept2", Role.department, 2, None),
    ("village1", Role.village, None, 1),
    ("grid1", Role.grid_worker, None, 1),
    ("mediator", Role.mediator, None, None),
    ("admin", Role.admin, None, None),
    ("analytics", Role.analytics, None, None),
    ("intake", Role.intake, None, None),
]


def pg_available() -> bool:
    if not PG_URL:
        return False
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def require_pg() -> None:
    if not pg_available():
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required (CCC_REQUIRE_PG=1) but not reachable at {PG_URL!r}")
        pytest.skip("PostgreSQL not available (set CCC_TEST_PG_URL)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema for one test, dropped afterwards."""
    require_pg()
    schema = f"ccc_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ccc.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ccc.sqlite'}"


class Clock:
    """A settable clock for the server under test (deadlines are tested by moving it)."""

    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_rules(**server: Any) -> Rules:
    return load_rules().replace_server(**{"auth_timeout_s": 2.0, "deadline_sweep_s": 3600.0, **server})


def make_store(url: str, rules: Rules | None = None) -> Store:
    rules = rules or make_rules()
    store = Store.open(url, rules, WorkCalendar(rules.working_hours))
    store.load_reference(reference_data())
    return store


@dataclass
class Server:
    hub: Hub
    store: Store
    url: str
    tokens: dict[str, str]
    clock: Clock
    clients: list[RawClient] = field(default_factory=list)

    async def client(self, user: str = "duty", console: str = "test") -> RawClient:
        c = await RawClient.open(self.url, self.tokens[user], console)
        self.clients.append(c)
        return c


@pytest_asyncio.fixture
async def server_factory(tmp_path: Path) -> AsyncIterator[Any]:
    started: list[Server] = []

    async def start(url: str | None = None, **server_rules: Any) -> Server:
        rules = make_rules(**server_rules)
        store = make_store(url or f"sqlite:///{tmp_path / 'ccc.sqlite'}", rules)
        tokens = {name: store.create_user(name, role, dep, town) for name, role, dep, town in USERS}
        # a Tuesday morning in an ordinary working week
        clock = Clock(datetime(2026, 11, 24, 9, 0, tzinfo=CST))
        hub = Hub(store, rules, clock=clock)
        host, port = await hub.start("127.0.0.1", 0)
        srv = Server(hub, store, f"ws://{host}:{port}", tokens, clock)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        for c in srv.clients:
            await c.close()
        await srv.hub.stop()
        srv.store.close()


@pytest_asyncio.fixture
async def server(server_factory: Any, db_url: str) -> Server:
    return await server_factory(db_url)


@pytest_asyncio.fixture
async def sqlite_server(server_factory: Any) -> Server:
    return await server_factory()


class RemoteFailure(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error['code']}: {error['message']}")
        self.error = error
        self.code = error["code"]


class RawClient:
    """A plain websocket client speaking protocol v1 by hand, so tests see every frame."""

    def __init__(self, ws: ClientConnection, auth_ok: dict[str, Any]) -> None:
        self.ws = ws
        self.auth_ok = auth_ok
        self.next_id = 1
        self.replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.frames: list[str] = []
        self._waiters: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._event_signal = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, url: str, token: str, console: str = "test") -> RawClient:
        ws = await connect(url, max_size=None, compression=None)
        first = json.loads(await ws.recv())
        assert first == {"type": "auth_required", "v": 1}
        await ws.send(json.dumps({"type": "auth", "token": token, "console": console}))
        reply = json.loads(await ws.recv())
        if reply["type"] != "auth_ok":
            await ws.close()
            raise RemoteFailure({"code": "unauthorized", "message": reply.get("message", "")})
        return cls(ws, reply)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self.frames.append(raw if isinstance(raw, str) else raw.decode())
                msg = json.loads(raw)
                if msg["type"] == "result":
                    fut = self._waiters.pop(msg["id"], None)
                    if fut and not fut.done():
                        fut.set_result(msg)
                    else:
                        self.replies[msg["id"]] = msg
                elif msg["type"] == "event":
                    self.events.append(msg)
                    self._event_signal.set()
        except Exception:
            pass

    async def send_raw(self, frame: dict[str, Any]) -> dict[str, Any]:
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters[frame["id"]] = fut
        await self.ws.send(json.dumps(frame))
        return await asyncio.wait_for(fut, 10)

    async def call(self, rtype: str, body: dict[str, Any] | None = None, idem: str | None = None,
                   *, change: bool | None = None) -> dict[str, Any]:
        """Sends a request; returns the reply envelope."""
        from services.protocol import COMMANDS

        rid, self.next_id = self.next_id, self.next_id + 1
        frame: dict[str, Any] = {"id": rid, "type": rtype, "body": body or {}}
        needs_idem = change if change is not None else (rtype in COMMANDS and COMMANDS[rtype].changes)
        if needs_idem:
            frame["idem"] = idem or uuid.uuid4().hex
        return await self.send_raw(frame)

    async def ok(self, rtype: str, body: dict[str, Any] | None = None, idem: str | None = None) -> dict[str, Any]:
        reply = await self.call(rtype, body, idem)
        if not reply["ok"]:
            raise RemoteFailure(reply["error"])
        return reply["result"]

    async def fail(self, rtype: str, body: dict[str, Any] | None = None, idem: str | None = None) -> dict[str, Any]:
        reply = await self.call(rtype, body, idem)
        assert not reply["ok"], f"expected an error, got {reply}"
        return reply["error"]

    async def wait_events(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        async def until() -> None:
            while len(self.events) < count:
                self._event_signal.clear()
                await self._event_signal.wait()

        await asyncio.wait_for(until(), timeout)
        return self.events

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._reader


async def report(client: RawClient, **fields: Any) -> dict[str, Any]:
    body = {"channel": "hotline_12345", "category": "市容环境", "title": "路边垃圾堆积", "township_id": 1,
            "grid_id": 1, "description": "居民反映垃圾三天未清运", "reporter_name": "张三",
            "reporter_phone": "13812348000", **fields}
    return await client.ok("case.report", body)


async def dispatched_case(duty: RawClient, lead: int = 1, resolution_class: str = "immediate") -> dict[str, Any]:
    r = await report(duty)
    reg = await duty.ok("case.register", {"id": r["id"], "expected_version": r["version"]})
    return await duty.ok("case.dispatch", {"id": r["id"], "expected_version": reg["version"],
                                           "lead_department_id": lead, "resolution_class": resolution_class})
