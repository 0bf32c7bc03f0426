"""A varied week of work through the real protocol, for the wall's statistics tests (stats.wall, cases.query).

The server's clock is moved forward across days and hours (conftest's Clock), so "today", "yesterday", the
window of 7 days and the day before it all hold different things. Timeline (CST, late 2026, ordinary weeks):

- Tue 11-24 09:00 (before a 7-day window, inside a 30-day one): a full loop closed on time and evaluated; cases
  dispatched and left to run late; a rejection; whistle W1 calls departments 1 and 2 (arrival due Wed 11-25).
- Mon 11-30: late closures (one after a rework); a return redispatched to another department; a recall;
  W1's second department arrives late; whistle W2 calls department 1, who never comes (due Tue 12-01).
- Tue 12-01 (yesterday): reports at 10:00, 15:00 and 23:30; a closure on time; W3 calls 1 and 2 (due today 10:00).
- Wed 12-02 (today): reports from 00:15 to 16:45 on every channel, closures on time and late (one flagged
  overdue), evaluations satisfied and not, a rejection, a redispatch of the recalled case, W3's arrivals (on time
  and late), W4 rejected, W5 approved (due tomorrow).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.domain.workcalendar import CST
from tests.backend.conftest import RawClient, Server

TODAY = datetime(2026, 12, 2, 17, 0, tzinfo=CST)
"""When the workload ends: the wall is read at this time."""


class Desk:
    """The people of the workload, each on their own connection, and the current version of every entity."""

    def __init__(self, server: Server, clients: dict[str, RawClient]) -> None:
        self.server = server
        self.c = clients
        self.versions: dict[tuple[str, int], int] = {}
        self.ids: dict[str, int] = {}
        """Cases and whistles the timeline comes back to, by name."""

    @classmethod
    async def open(cls, server: Server) -> Desk:
        names = ("duty", "dept1", "dept2", "grid1", "village1")
        return cls(server, {n: await server.client(n, console=f"wall-test-{n}") for n in names})

    async def at(self, month: int, day: int, hour: int, minute: int = 0) -> None:
        """Moves the server's clock forward to that local time (never back) and runs the deadline sweep."""
        when = datetime(2026, month, day, hour, minute, tzinfo=CST).timestamp()
        assert when >= self.server.clock.now, "the workload's clock only moves forward"
        self.server.clock.now = when
        for event in await self.server.hub.sweep_now():
            self.versions["case", event.entity_id] = event.data["case"]["version"]

    async def report(self, channel: str, category: str, township: int | None, grid: int | None = None,
                     name: str = "") -> int:
        body: dict[str, Any] = {"channel": channel, "category": category, "title": f"{category}问题",
                                "description": "群众反映(电话13812348000)", "reporter_name": "张三",
                                "reporter_phone": "13812348000"}
        if township is not None:
            body["township_id"] = township
        if grid is not None:
            body["grid_id"] = grid
        r = await self.c["duty"].ok("case.report", body)
        self.versions["case", r["id"]] = r["version"]
        if name:
            self.ids[name] = int(r["id"])
        return int(r["id"])

    async def case(self, who: str, action: str, cid: int | str, **body: Any) -> dict[str, Any]:
        cid = self.ids[cid] if isinstance(cid, str) else cid
        out = await self.c[who].ok(f"case.{action}", {"id": cid, "expected_version": self.versions["case", cid],
                                                      **body})
        self.versions["case", cid] = out["version"]
        return dict(out["case"])

    async def dispatch(self, cid: int | str, lead: int, resolution_class: str = "immediate") -> None:
        await self.case("duty", "register", cid)
        await self.case("duty", "dispatch", cid, lead_department_id=lead, resolution_class=resolution_class)

    async def resolve(self, cid: int | str, dept: str, *, rework: bool = False) -> None:
        """Feedback, verification (failing once first with `rework`)."""
        await self.case(dept, "feedback", cid, result="已处置")
        if rework:
            await self.case("grid1", "verify", cid, passed=False, note="仍有问题")
            await self.case(dept, "feedback", cid, result="已彻底处置")
        await self.case("grid1", "verify", cid, passed=True)

    async def close(self, cid: int | str, satisfaction: int | None = None) -> dict[str, Any]:
        closed = await self.case("duty", "close", cid)
        if satisfaction is not None:
            await self.case("duty", "evaluate", cid, satisfaction=satisfaction)
        return closed

    async def whistle_raise(self, name: str) -> str:
        w = await self.c["village1"].ok("whistle.raise", {"township_id": 1, "title": name,
                                                          "description": "村里无力处置"})
        self.versions["whistle", w["id"]] = w["version"]
        self.ids[name] = int(w["id"])
        return name

    async def whistle(self, who: str, action: str, name: str, **body: Any) -> dict[str, Any]:
        wid = self.ids[name]
        out = await self.c[who].ok(f"whistle.{action}", {"id": wid, "expected_version": self.versions["whistle", wid],
                                                         **body})
        self.versions["whistle", wid] = out["version"]
        return dict(out["whistle"])


async def run_workload(server: Server) -> Desk:
    d = await Desk.open(server)
    await day_before_window(d)
    await monday(d)
    await yesterday(d)
    await today(d)
    return d


async def day_before_window(d: Desk) -> None:
    await d.at(11, 24, 9)
    c1 = await d.report("hotline_12345", "市容环境", 1, 1)
    await d.dispatch(c1, 1)
    await d.case("dept1", "sign", c1)
    await d.resolve(c1, "dept1")
    assert (await d.close(c1, satisfaction=5))["on_time"] is True
    await d.report("grid_app", "道路交通", 2, 3, name="late")  # fed back late on Monday
    await d.report("hotline_12345", "环境污染", None, name="no_township")  # reworked, closed late on Monday
    await d.report("video_alarm", "噪音扰民", 1, 2, name="overdue_closed")  # flagged overdue, closed late today
    for name, lead in (("late", 1), ("no_township", 1), ("overdue_closed", 2)):
        await d.dispatch(name, lead)
        await d.case(f"dept{lead}", "sign", name)
    await d.dispatch(await d.report("video_alarm", "市容环境", 3, 5), 2)  # never signed: overdue
    await d.case("duty", "reject", await d.report("hotline_12345", "噪音扰民", 1), reason="不属于受理范围")
    await d.whistle("duty", "review", await d.whistle_raise("W1"), approve=True, department_ids=[1, 2])
    await d.whistle("dept1", "arrive", "W1", person="李四")


async def monday(d: Desk) -> None:
    await d.at(11, 30, 9)
    await d.resolve("late", "dept1")
    assert (await d.close("late"))["on_time"] is False
    await d.resolve("no_township", "dept1", rework=True)
    assert (await d.close("no_township", satisfaction=2))["on_time"] is False
    returned = await d.report("grid_app", "市容环境", 2, 4, name="redispatched")
    await d.dispatch(returned, 2, "coordinated")
    await d.case("dept2", "return", returned, reason="不属于本部门职责")
    await d.case("duty", "arbitrate", returned, decision="redispatch", lead_department_id=1,
                 resolution_class="immediate")
    await d.case("dept1", "sign", returned)
    await d.dispatch(await d.report("hotline_12345", "道路交通", 1, 2, name="recalled"), 1)
    await d.case("duty", "recall", "recalled", note="派错部门")
    await d.whistle("duty", "review", await d.whistle_raise("W2"), approve=True, department_ids=[1])  # never comes
    await d.whistle("dept2", "arrive", "W1")  # a working day late


async def yesterday(d: Desk) -> None:
    await d.at(12, 1, 10)
    c8 = await d.report("hotline_12345", "市容环境", 1, 1, name="closed_yesterday")
    await d.dispatch(c8, 1)
    await d.case("dept1", "sign", c8)
    await d.resolve(c8, "dept1")
    assert (await d.close(c8))["on_time"] is True
    await d.report("grid_app", "道路交通", 3, 6)  # stays reported
    await d.whistle("duty", "review", await d.whistle_raise("W3"), approve=True, department_ids=[1, 2])
    await d.at(12, 1, 15)
    await d.dispatch(await d.report("hotline_12345", "违章建筑", 2, 3), 3, "planned")  # department 3: none closed
    await d.at(12, 1, 23, 30)
    await d.report("video_alarm", "噪音扰民", 2, 3)


async def today(d: Desk) -> None:
    await d.at(12, 2, 0, 15)
    await d.report("hotline_12345", "市容环境", 1, 1)
    await d.at(12, 2, 8, 40)
    await d.dispatch(await d.report("grid_app", "环境污染", 2, 4), 2)  # dispatched today, left unsigned
    await d.at(12, 2, 9)
    await d.whistle("dept1", "arrive", "W3")  # on time
    await d.case("duty", "evaluate", "closed_yesterday", satisfaction=5)  # not in today's satisfaction
    await d.resolve("redispatched", "dept1")
    assert (await d.close("redispatched", satisfaction=4))["on_time"] is True
    await d.at(12, 2, 9, 30)
    c13 = await d.report("hotline_12345", "市容环境", 3, 5)
    await d.dispatch(c13, 1)
    await d.case("dept1", "sign", c13)
    await d.resolve(c13, "dept1")
    assert (await d.close(c13, satisfaction=3))["on_time"] is True
    await d.resolve("overdue_closed", "dept2")
    assert (await d.close("overdue_closed"))["overdue"] is True  # closed, so no longer counted as overdue
    await d.case("duty", "dispatch", "recalled", lead_department_id=2, resolution_class="coordinated")
    await d.at(12, 2, 11)
    await d.whistle("dept2", "arrive", "W3")  # late
    await d.whistle("duty", "review", await d.whistle_raise("W4"), approve=False, reason="村社可自行处置")
    await d.whistle("duty", "review", await d.whistle_raise("W5"), approve=True, department_ids=[2])  # due tomorrow
    await d.at(12, 2, 14, 30)
    await d.case("duty", "reject", await d.report("video_alarm", "噪音扰民", 1, 2), reason="重复上报")
    await d.report("grid_app", "道路交通", 2)
    await d.at(12, 2, 16, 45)
    await d.case("duty", "register", await d.report("hotline_12345", "市容环境", 3, 6))
    await d.at(TODAY.month, TODAY.day, TODAY.hour)
