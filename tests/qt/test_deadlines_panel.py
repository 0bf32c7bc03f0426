"""The deadlines panel and the announcer against a real server whose clock runs 10,000× (one working day in a few
real seconds) with short limits from a rules file: a dispatched case passes its deadlines on the server's clock,
the sweeper flags it, the overdue list shows it with how late it is, supervision works (and a stale one says who
came first); an urgent report is announced, with a beep only while the sound is on."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from app.context import WindowContext, open_context
from services.client import CommandClient
from tests.qt.conftest import ROOT, LiveServer, start_live_server
from views.announcements import Announcement, AnnouncementBar, Announcer
from views.deadline_lists import COLUMN
from views.deadlines import DeadlinesPanel

SPEED = "10000"


def short_rules(directory: Path) -> Path:
    """The shipped rules with tiny limits (sign in 0.05 working hours, resolve 及时办 in 0.02 working days) and
    round-the-clock working hours, so only weekends and holidays stand between dispatch and overdue."""
    text = (ROOT / "config" / "rules.toml").read_text(encoding="utf-8")
    text = text.replace("sign_limit_hours = 2.0", "sign_limit_hours = 0.05").replace(
        "immediate = 3.0", "immediate = 0.02").replace(
        'periods = [["08:30", "12:00"], ["14:00", "17:30"]]', 'periods = [["00:00", "23:59"]]')
    assert "immediate = 0.02" in text and "sign_limit_hours = 0.05" in text and '"23:59"' in text
    path = directory / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fast_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("fast")
    server = start_live_server(directory, extra=["--speed", SPEED, "--rules", str(short_rules(directory))])
    yield server
    server.stop()


def remote(server: LiveServer, user: str, rtype: str, body: dict[str, Any]) -> dict[str, Any]:
    """A command by another user on its own connection (blocks the Qt thread: nothing reaches the panel meanwhile)."""

    async def go() -> dict[str, Any]:
        client = CommandClient(server.url, server.tokens[user], console="test-remote")
        await client.start()
        await client.wait_connected(10)
        try:
            return await client.request(rtype, body)
        finally:
            await client.close()

    return asyncio.run(go())


def report(server: LiveServer, title: str, priority: int = 3) -> dict[str, Any]:
    return remote(server, "demo_duty_officer", "case.report", {
        "channel": "hotline_12345", "category": "道路", "title": title, "township_id": 2, "priority": priority})["case"]


def dispatch(server: LiveServer, title: str) -> int:
    case = report(server, title)
    registered = remote(server, "demo_duty_officer", "case.register", {"id": case["id"], "expected_version": 1})
    remote(server, "demo_duty_officer", "case.dispatch", {
        "id": case["id"], "expected_version": registered["version"], "lead_department_id": 5,
        "resolution_class": "immediate"})
    return int(case["id"])


def release(context: WindowContext) -> None:
    """Deletes the context's own timer now, on the Qt thread. Left to the garbage collector, the context may be
    collected on the session's network thread; a QTimer destroyed off its thread stays registered and the next
    tick crashes the process (seen: a segfault in QTimerInfoList::activateTimers in the following test)."""
    timer = getattr(context, "_timer", None)
    if timer is not None:
        shiboken6.delete(timer)


class Console:
    def __init__(self, qtbot: Any, server: LiveServer) -> None:
        self.context: WindowContext = open_context(server.url, server.tokens["sim_desk"], "console-test")
        self.panel = DeadlinesPanel(self.context)
        self.announcer = Announcer(self.context)
        self.bar = AnnouncementBar(self.announcer)
        self.beeps = 0
        self.announced: list[Announcement] = []
        self.announcer.beep = self._beep  # type: ignore[method-assign]  # observe the sound, make none
        self.announcer.announced.connect(self.announced.append)
        for widget in (self.panel, self.bar):
            widget.show()
        self.panel.resize(1500, 800)
        with qtbot.waitSignal(self.context.session.snapshot_loaded, timeout=20_000):
            self.context.session.start()

    def close(self) -> None:
        self.context.session.stop()
        for obj in (self.bar, self.panel, self.announcer):  # views before the models they show
            shiboken6.delete(obj)
        release(self.context)
        del self.context, self.panel, self.bar, self.announcer
        gc.collect()  # here, on the Qt thread (see release)

    def _beep(self) -> None:
        self.beeps += 1


@pytest.fixture
def console(qtbot: Any, fast_server: LiveServer) -> Iterator[Console]:
    console = Console(qtbot, fast_server)
    yield console
    console.close()


def test_an_urgent_report_is_announced_and_beeps_only_while_sound_is_on(qtbot: Any, fast_server: LiveServer,
                                                                      console: Console) -> None:
    announcer = console.announcer
    assert announcer.sound_enabled and announcer.property("sound_enabled") is True
    case = report(fast_server, "化工厂疑似泄漏", priority=1)
    qtbot.waitUntil(lambda: any(a.kind == "urgent" and case["id"] in a.case_ids for a in console.announced),
                    timeout=10_000)
    assert console.bar.banner.isVisible()
    assert "特急" in console.bar.banner.title.text() and case["code"] in console.bar.banner.detail.text()
    assert console.beeps >= 1

    report(fast_server, "路灯不亮", priority=3)  # not urgent: no announcement
    announcer.sound_action.trigger()  # the toggle: sound off
    assert announcer.sound_enabled is False and announcer.property("sound_enabled") is False
    beeps = console.beeps
    second = report(fast_server, "桥梁护栏断裂", priority=2)
    qtbot.waitUntil(lambda: any(second["id"] in a.case_ids for a in console.announced), timeout=10_000)
    assert "紧急" in console.bar.banner.title.text()
    assert console.beeps == beeps  # announced, but silently
    assert not any(a.kind == "urgent" and a.detail.find("路灯不亮") >= 0 for a in console.announced)
    console.bar.banner.button.click()
    assert not console.bar.banner.isVisible()
    assert len(console.bar.recent_menu.actions()) >= 2


def test_an_overdue_case_is_listed_announced_and_supervised(qtbot: Any, fast_server: LiveServer,
                                                            console: Console) -> None:
    panel = console.panel
    case_id = dispatch(fast_server, "井盖缺失")
    # the server's clock runs past the sign and resolution limits (over a weekend or night: a few real seconds)
    qtbot.waitUntil(lambda: case_id in panel.listed(panel.overdue), timeout=60_000)
    assert case_id not in panel.listed(panel.due_soon)
    qtbot.waitUntil(lambda: any(a.kind in ("case.overdue", "case.sign_overdue", "case.escalated")
                                and case_id in a.case_ids for a in console.announced), timeout=60_000)
    assert console.bar.banner.isVisible()

    assert panel.select_case(case_id)
    qtbot.waitUntil(lambda: "超" in panel.pill.text(), timeout=10_000)
    row = panel.overdue.row_of(case_id)
    assert row is not None
    due_text = panel.overdue.data(panel.overdue.index(row, COLUMN["due"]))
    assert "超期" in due_text or "签收超时" in due_text

    # wait for the sweeper's last change (escalation at 2x the limit) so nothing else moves the version
    qtbot.waitUntil(lambda: (panel.cases.case(case_id) or {}).get("escalated") is True, timeout=60_000)
    qtbot.waitUntil(lambda: "已升级" in panel.pill.text(), timeout=10_000)
    before = panel.cases.case(case_id)["supervision_count"]
    assert f"已督办 {before} 次" in panel.supervision_label.text()

    panel.note_edit.setText("  ")
    panel.supervise_button.click()
    assert "请填写督办意见" in panel.message_label.text()

    panel.note_edit.setText("请今日内处置到位")
    panel.supervise_button.click()
    qtbot.waitUntil(lambda: (panel.cases.case(case_id) or {}).get("supervision_count") == before + 1,
                    timeout=10_000)
    assert f"第 {before + 1} 次" in panel.message_label.text()
    qtbot.waitUntil(lambda: f"已督办 {before + 1} 次" in panel.supervision_label.text(), timeout=10_000)
    state_text = panel.overdue.data(panel.overdue.index(panel.overdue.row_of(case_id) or 0, COLUMN["state"]))
    assert f"督办{before + 1}次" in state_text

    # a leader supervises first while this console still shows the old version: who and what, and the case now
    version = panel.cases.case(case_id)["version"]
    remote(fast_server, "demo_leader", "case.supervise", {"id": case_id, "expected_version": version,
                                                          "note": "领导督办：限期办结"})
    assert panel.cases.case(case_id)["version"] == version
    panel.supervise_button.click()
    qtbot.waitUntil(lambda: "demo_leader" in panel.message_label.text(), timeout=10_000)
    assert f"已督办 {before + 2} 次" in panel.message_label.text()
    qtbot.waitUntil(lambda: f"已督办 {before + 2} 次" in panel.supervision_label.text(), timeout=10_000)


def test_the_lists_recheck_only_changed_cases_and_passed_deadlines(qtbot: Any) -> None:
    """No server: a case model fed by events and a clock the test moves. The window's time refresh must not re-run
    the rule over every open case (with thousands of cases that stalls the screen); a passed deadline, or an event,
    re-checks just that case."""
    from datetime import datetime

    from app.models.cases import CaseModel
    from app.models.reference import Reference
    from services.client import Event
    from views.deadline_lists import DeadlineList, is_overdue

    def at(text: str) -> float:
        return datetime.fromisoformat(f"2026-{text}:00+08:00").timestamp()

    def case(case_id: int, state: str, due: str, version: int = 1) -> dict[str, Any]:
        return {"id": case_id, "code": f"NC-{case_id}", "version": version, "state": state, "channel": "walk_in",
                "title": f"事件{case_id}", "reported_at": "2026-11-30T08:00:00+08:00", "priority": 3,
                "dispatched_at": "2026-11-30T08:30:00+08:00", "sign_due_at": "2026-11-30T10:30:00+08:00",
                "due_soon_at": f"2026-{due}:00+08:00", "due_at": f"2026-{due}:00+08:00",
                "escalate_at": "2026-12-20T17:30:00+08:00", "overdue": False, "escalated": False,
                "sign_overdue": False, "supervision_count": 0}

    clock = {"now": at("12-02T09:00")}
    cases = CaseModel(Reference(), lambda: clock["now"])
    cases.load([case(1, "handling", "12-01T17:30"), case(2, "handling", "12-02T17:30"),
                case(3, "handling", "12-03T17:30"), *[case(i, "reported", "12-09T17:30") for i in range(10, 60)]])
    calls: list[int] = []

    def rule(row: Any, now: float) -> bool:
        calls.append(row.case["id"])
        return is_overdue(row, now)

    overdue = DeadlineList(cases, rule, refresh_ms=3_600_000)
    assert overdue.ids() == [1]
    calls.clear()
    cases.refresh_times()
    overdue.tick()
    assert calls == []  # nothing passed its deadline: nobody re-checked

    clock["now"] = at("12-02T18:00")  # case 2 passes its deadline
    with qtbot.waitSignal(overdue.rowsInserted, timeout=1000):
        overdue.tick()
    assert overdue.ids() == [1, 2] and set(calls) == {2}

    calls.clear()  # one event: one case re-checked
    cases.apply([Event(1, 1, "e", "case.supervised", {"case": {**case(3, "handling", "12-03T17:30", 2),
                                                               "supervision_count": 1}})])
    assert calls == [3] and overdue.ids() == [1, 2]

    overdue.pin(3)  # on screen: listed although not overdue
    assert overdue.ids() == [1, 2, 3]
    removed: list[int] = []
    overdue.rowsRemoved.connect(lambda *_: removed.append(1))
    moved: list[int] = []
    overdue.rowsMoved.connect(lambda *_: moved.append(1))
    # its deadline moves earlier (an extension decided the other way round, say): it moves up, it is not re-added
    cases.apply([Event(1, 2, "e", "case.extension_decided", {"case": case(3, "handling", "12-01T12:00", 3)})])
    assert overdue.ids() == [3, 1, 2] and moved and not removed
    cases.apply([Event(1, 3, "e", "case.feedback", {"case": {**case(1, "closed", "12-01T17:30", 2)}})])
    assert overdue.ids() == [3, 2] and removed  # closed: left the open cases, left the list
    assert overdue.data(overdue.index(1, 6)) == "超期30分"


def test_a_sweep_of_many_cases_is_one_announcement_and_silence_means_no_beep(qtbot: Any) -> None:
    """No server: a session that is never started, its events signal fed by hand as the session would."""
    from services.client import Event

    context = open_context("ws://127.0.0.1:9", "unused", "console-test")
    announcer = Announcer(context, sound=False)
    beeps: list[int] = []
    announcer.beep = lambda: beeps.append(1)  # type: ignore[method-assign]
    seen: list[Announcement] = []
    announcer.announced.connect(seen.append)

    def overdue(seq: int, kind: str = "case.overdue") -> Event:
        case = {"id": seq, "code": f"NC-{seq:06d}", "title": f"事件{seq}", "state": "handling", "version": 2,
                "channel": "walk_in", "reported_at": "2026-11-30T08:00:00+08:00", "lead_department_id": None}
        return Event(1, seq, "e", kind, {"case": case, "change": {}, "at": "2026-12-03T08:30:05+08:00"})

    try:
        context.session.events_arrived.emit([overdue(i) for i in range(1, 8)] + [overdue(9, "case.escalated"),
                                                                                overdue(10, "case.supervised")])
        assert [a.kind for a in seen] == ["case.escalated", "case.overdue"]  # worst first; supervised is no news
        assert seen[1].case_ids == tuple(range(1, 8)) and "7 件" in seen[1].detail
        assert beeps == []  # sound off: nothing
        announcer.set_sound_enabled(True)
        context.session.events_arrived.emit([overdue(11, "case.sign_overdue")])
        assert beeps == [1] and seen[-1].title == "派遣超时未签收"
        assert [a.kind for a in announcer.recent][:1] == ["case.sign_overdue"]  # newest first
    finally:
        release(context)
        context.session.stop()
        shiboken6.delete(announcer)
        gc.collect()
