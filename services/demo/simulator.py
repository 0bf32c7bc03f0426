"""The live simulator: everyone who is not at our consoles, as clients of the server (`serve --simulate RATE`).

It speaks only the public protocol (services/client.py), with the simulator accounts of services/backend/seed.py:
one connection per actor it needs, opened when first needed and reused — the duty desk (`sim_desk` at
DESK_CONSOLES consoles; optional, so a human can take the desk), the channel integrations (`sim_intake`, one
connection per channel), video analytics (`sim_analytics`), the mediation center (`sim_mediator`), one per department
(`sim_dept_NN`: a department may only sign its own cases), one village and one grid worker per township
(`sim_village_NN`, `sim_grid_NN`): at most 3 + 7 + 1 + 1 + 38 + 21 + 21 connections with the demo county. One more
connection (`sim-observer`, the desk's token) takes the snapshot and subscribes to every event; the director
(services/demo/director.py) turns each event into the next step, at a simulated time.

RATE is the average number of case reports per simulated hour (shaped by the day/night curve); whistles, alarms and
disputes come at fixed shares of it (scenario.STREAM_SHARE). Simulated delays are divided by the server clock speed:
the simulator reads the server's time from `ping` (or is handed the server's clock in-process) and sleeps
`(due - now) / speed` real seconds.

Failure handling: a stale version is retried once on the entity the conflict reply carries; any other refusal
(conflict, forbidden, not_found, invalid_format) is counted, logged once per kind and skipped; `rate_limited` waits
and retries; `unavailable` (no connection) and a full actor queue put the step back for later, at most
`director.MAX_ATTEMPTS` times. Queues are bounded (`queue_size` steps per actor, `director.MAX_PENDING` in all). The
counters are for the log only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from config.schema import DEFAULT_HOLIDAY_DIR, load_rules
from services import protocol as p
from services.backend.seed import SIM_DESK
from services.client import AuthError, CommandClient, Event, RemoteError
from services.demo.actors import REFERENCE_PARTS, ActorRef, user_of
from services.demo.director import Act, Director, parse_time
from services.demo.scenario import County, Scenario, seed_for
from services.demo.texts import CHANNEL_WEIGHTS
from services.domain.workcalendar import WorkCalendar

log = logging.getLogger("ccc.simulator")
OPEN_PARTS = {"case": "open_cases", "whistle": "whistles", "alarm": "open_alarms", "dispute": "open_disputes"}
SUMMARY_EVERY_S = 60.0
STOP_TIMEOUT_S = 15.0
"""How long `stop` waits for its tasks, then for its connections to close, before it logs and moves on."""


@dataclass(frozen=True)
class SimOptions:
    url: str
    tokens: dict[str, str]
    """User name -> token (seed.ensure_demo returns them)."""
    rate_per_hour: float
    speed: float = 1.0
    desk: bool = True
    """Play the duty desk; False when a human takes it at a console."""
    seed: int | None = None
    """None: derived from the start time, so each run's county life differs."""
    clock: Callable[[], float] | None = None
    """The server's clock when running in its process; else the time comes from `ping`."""
    calendar: WorkCalendar | None = None
    queue_size: int = 200
    requests_per_s: float = 40.0
    """Per connection; the server allows 50/s with bursts of 200."""


DESK_CONSOLES = 3
"""The duty desk works at this many consoles (connections of `sim_desk`), an entity always at the same one."""
CHANNEL_ORDER = [*CHANNEL_WEIGHTS, "video_alarm"]
"""Each channel integration reports over its own connection of `sim_intake`."""


def connection_of(act: Act) -> ActorRef:
    """The connection that sends `act`: the actor's own, except that the desk has several consoles and each
    channel its own integration."""
    role, _ = act.actor
    if role == "desk":
        return ("desk", act.entity_id % DESK_CONSOLES)
    if role == "intake":
        channel = act.params.get("channel")
        return ("intake", CHANNEL_ORDER.index(channel) if channel in CHANNEL_ORDER else 0)
    return act.actor


class Pacer:
    """At most `rate` requests a second on one connection (a token bucket of one second's worth)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.stamp = time.monotonic()

    async def wait(self) -> None:
        while True:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)


class Simulator:
    def __init__(self, options: SimOptions) -> None:
        if options.rate_per_hour < 0 or options.speed <= 0:
            raise ValueError("the rate must be >= 0 and the speed > 0")
        self.options = options
        self.counts: Counter[str] = Counter()
        self.director: Director | None = None
        self._observer: CommandClient | None = None
        self._actors: dict[ActorRef, tuple[CommandClient, asyncio.Queue[tuple[float, Act]]]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()
        self._clock_origin: tuple[float, float] | None = None
        self._logged: set[str] = set()
        self._stopped = False

    # -- time -------------------------------------------------------------------------------------------------
    def now(self) -> float:
        """The server's simulated time."""
        if self.options.clock is not None:
            return self.options.clock()
        assert self._clock_origin is not None, "start() first"
        server, mono = self._clock_origin
        return server + (time.monotonic() - mono) * self.options.speed

    async def _read_server_clock(self, client: CommandClient) -> None:
        sent = time.monotonic()
        pong = await client.request("ping")
        self._clock_origin = (datetime.fromisoformat(pong["server_time"]).timestamp(), (sent + time.monotonic()) / 2)

    # -- lifecycle --------------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Connects, takes the county and every open entity, subscribes, starts acting. Raises AuthError."""
        token = self.options.tokens.get(SIM_DESK)
        if not token:
            raise AuthError(f"no token for {SIM_DESK}: start the server with --demo")
        self._observer = CommandClient(self.options.url, token, console="sim-observer", on_event=self._on_event,
                                       on_resync=self._resync)
        await self._observer.start()
        await self._observer.wait_connected(15)
        if self.options.clock is None:
            await self._read_server_clock(self._observer)
        snap = await self._observer.request("snapshot", {"what": REFERENCE_PARTS + list(OPEN_PARTS.values())})
        now = self.now()
        calendar = self.options.calendar or WorkCalendar(load_rules().working_hours, DEFAULT_HOLIDAY_DIR)
        scenario = Scenario(County.from_snapshot(snap), seed_for(self.options.seed, now))
        self.director = Director(scenario, calendar, rate_per_hour=self.options.rate_per_hour, start=now,
                                 desk=self.options.desk, commands=frozenset(p.COMMANDS))
        self._adopt(snap, now)
        self._observer.reset_seq(snap["as_of_seq"], snap["epoch"])
        await self._observer.subscribe()
        self._tasks.append(asyncio.create_task(self._schedule_loop(), name="sim.scheduler"))
        self._tasks.append(asyncio.create_task(self._summary_loop(), name="sim.summary"))
        log.info("simulator started: %g case reports per simulated hour, clock x%g, duty desk %s, %d open cases "
                 "taken over", self.options.rate_per_hour, self.options.speed,
                 "simulated" if self.options.desk else "left to humans", len(snap.get("open_cases", [])))

    def _adopt(self, snap: dict[str, Any], now: float) -> None:
        assert self.director is not None
        for entity, part in OPEN_PARTS.items():
            rows = [r for r in snap.get(part, []) if entity != "whistle" or r.get("state") in ("raised", "approved")]
            self.director.adopt(entity, rows, now)

    async def _resync(self) -> None:
        """The server could not replay what we missed: take the open entities afresh."""
        assert self._observer is not None and self.director is not None
        snap = await self._observer.request("snapshot", {"what": list(OPEN_PARTS.values())})
        self._adopt(snap, self.now())
        self._observer.reset_seq(snap["as_of_seq"], snap["epoch"])

    async def stop(self) -> None:
        """Stops acting and closes every connection. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        for task in self._tasks:
            task.cancel()
        await self._settle("tasks", list(self._tasks))
        clients = [c for c, _ in self._actors.values()] + ([self._observer] if self._observer else [])
        await self._settle("connections", [asyncio.ensure_future(c.close()) for c in clients])
        self._log_summary()

    async def _settle(self, what: str, tasks: list[asyncio.Future[Any]]) -> None:
        """Waits for `tasks` at most STOP_TIMEOUT_S: a stop never hangs (seen once in CI under a loaded machine);
        what did not end is logged and cancelled."""
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=STOP_TIMEOUT_S)
        if pending:
            log.warning("simulator stop: %d %s still running after %.0f s; cancelled", len(pending), what,
                        STOP_TIMEOUT_S)
            for task in pending:
                task.cancel()

    # -- events -----------------------------------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if self.director is None:
            return
        at = parse_time(event.data.get("at")) or self.now()
        self.director.observe(event.kind, event.data, at)
        self._wake.set()

    # -- scheduling -------------------------------------------------------------------------------------------
    async def _schedule_loop(self) -> None:
        assert self.director is not None
        while True:
            now = self.now()
            for at, act in self.director.pop_due(now, limit=500):
                self._hand_over(now, at, act)
            upcoming = self.director.next_at()
            delay = 1.0 if upcoming is None else min(1.0, max(0.0, (upcoming - self.now()) / self.options.speed))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    def _retry_delay(self) -> float:
        """Simulated seconds before a step put back is tried again: five simulated minutes, at least 2 s real."""
        return max(300.0, 2.0 * self.options.speed)

    def _hand_over(self, now: float, at: float, act: Act) -> None:
        assert self.director is not None
        worker = self._worker(connection_of(act))
        if worker is None:
            self.counts["no_account"] += 1
            self.director.done(act)
            return
        queue = worker[1]
        if queue.full():
            self.counts["queue_full"] += 1
            self._log_once(f"queue:{act.actor}", f"{user_of(act.actor)} is behind ({queue.qsize()} steps queued): "
                                                 "steps are put back for later")
            self.director.defer(now, act, self._retry_delay())
            return
        queue.put_nowait((at, act))

    def _worker(self, connection: ActorRef) -> tuple[CommandClient, asyncio.Queue[tuple[float, Act]]] | None:
        found = self._actors.get(connection)
        if found is not None:
            return found
        user = user_of(connection)
        token = self.options.tokens.get(user)
        if not token:
            self._log_once(f"token:{user}", f"no token for simulator account {user}: its steps are skipped")
            return None
        role, key = connection
        console = f"sim-{role}-{key + 1}" if role == "desk" else f"sim-{role}"
        if role == "intake":
            console = f"sim-intake-{CHANNEL_ORDER[key]}"
        client = CommandClient(self.options.url, token, console=console)
        queue: asyncio.Queue[tuple[float, Act]] = asyncio.Queue(self.options.queue_size)
        self._actors[connection] = (client, queue)
        self._tasks.append(asyncio.create_task(self._work(user, client, queue), name=f"sim.{user}"))
        return client, queue

    async def _work(self, user: str, client: CommandClient, queue: asyncio.Queue[tuple[float, Act]]) -> None:
        pacer = Pacer(self.options.requests_per_s)
        try:
            await client.start()
        except Exception:  # the client retries in the background; requests wait for it
            log.exception("simulator account %s: connection failed", user)
        while True:
            _at, act = await queue.get()
            await pacer.wait()
            try:
                await self._execute(client, act)
                self._done(act)
            except AuthError as exc:
                self._log_once(f"auth:{user}", f"simulator account {user} refused: {exc}; its steps are skipped")
                self.counts["auth_failed"] += 1
                self._done(act)
            except Exception:
                log.exception("simulator step %s failed unexpectedly", act.command)
                self.counts["bug"] += 1
                self._done(act)

    def _done(self, act: Act) -> None:
        if self.director is not None:
            self.director.done(act)

    async def _execute(self, client: CommandClient, act: Act) -> None:
        """Sends one step; see the module docstring for what each refusal does."""
        assert self.director is not None
        built = self.director.build(act)
        refreshed = False
        idem = uuid.uuid4().hex
        for _ in range(4):
            if built is None:
                return
            command, body = built
            try:
                await client.request(command, body, idem=idem)
                self.counts[command] += 1
                return
            except AuthError:
                raise
            except RemoteError as exc:
                if exc.code == p.RATE_LIMITED:
                    await asyncio.sleep(float(exc.details.get("retry_after_s", 1)))
                    continue
                current = exc.details.get("current")
                if exc.code == p.CONFLICT and exc.details.get("reason") == "stale_version" and not refreshed \
                        and isinstance(current, dict) and act.entity:
                    self.director.refresh(act.entity, current)
                    built, refreshed, idem = self.director.build(act), True, uuid.uuid4().hex
                    continue
                if exc.code == p.UNAVAILABLE and not self._stopped:
                    self.director.defer(self.now(), act, self._retry_delay())  # a new attempt, not in flight
                self._refused(command, exc)
                return

    def _refused(self, command: str, exc: RemoteError) -> None:
        reason = exc.details.get("reason")
        key = f"{command}: {exc.code}{f' ({reason})' if reason else ''}"
        self.counts[f"refused {key}"] += 1
        self._log_once(key, f"{key}: {exc.message} (logged once; counted)")

    def _log_once(self, key: str, message: str) -> None:
        if key not in self._logged:
            self._logged.add(key)
            log.warning("simulator: %s", message)

    # -- logging ----------------------------------------------------------------------------------------------
    async def _summary_loop(self) -> None:
        while True:
            await asyncio.sleep(SUMMARY_EVERY_S)
            self._log_summary()

    def _log_summary(self) -> None:
        sent = sum(v for k, v in self.counts.items() if "." in k and not k.startswith("refused"))
        refused = sum(v for k, v in self.counts.items() if k.startswith("refused"))
        pending = self.director.pending() if self.director else 0
        log.info("simulator: %d requests done, %d refused, %d steps pending, %d connections; %s", sent, refused,
                 pending, len(self._actors) + 1, dict(self.counts.most_common(8)))

