"""`serve --demo` on an empty store: the generated county, every reference table, a user per role and the
simulator's accounts; a second start reuses them; tokens unknown to us are handled honestly."""

from __future__ import annotations

import json
import stat

import pytest

from services.backend.seed import demo_tokens_path, ensure_demo
from services.backend.store import Store
from services.domain.model import Role
from services.domain.workcalendar import WorkCalendar
from tests.backend.conftest import make_rules


def open_store(url: str) -> Store:
    rules = make_rules()
    return Store.open(url, rules, WorkCalendar(rules.working_hours))


def test_demo_loads_the_generated_county_once(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(sqlite_url)
    try:
        tokens = ensure_demo(store)
        snap = store.snapshot(["townships", "grids", "service_points", "departments", "channels", "cameras",
                               "mediators"])
        counts = {k: len(v) for k, v in snap.items() if isinstance(v, list)}
        assert counts == {"townships": 21, "grids": 1066, "service_points": 960, "departments": 38, "channels": 8,
                          "cameras": 200, "mediators": 30}
        assert len({g["party_branch"] for g in snap["grids"]}) == 373
        assert all(sp["grid_ids"] for sp in snap["service_points"])
        users = {u["name"]: u for u in store.list_users()}
        assert {u["role"] for n, u in users.items() if n.startswith("demo_")} == {r.value for r in Role}
        head = store.head_seq()
        again = ensure_demo(store)  # a second start reuses what is there
        assert store.head_seq() == head and again == tokens
    finally:
        store.close()


def test_simulator_accounts_one_per_department_and_per_township(sqlite_url: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(sqlite_url)
    try:
        tokens = ensure_demo(store)
        users = {u["name"]: u for u in store.list_users()}
        departments = store.snapshot(["departments"])["departments"]
        for d in departments:
            user = users[f"sim_dept_{d['id']:02d}"]
            assert (user["role"], user["department_id"]) == ("department", d["id"])
        for t in range(1, 22):
            assert (users[f"sim_village_{t:02d}"]["role"], users[f"sim_village_{t:02d}"]["township_id"]) == \
                ("village", t)
            assert (users[f"sim_grid_{t:02d}"]["role"], users[f"sim_grid_{t:02d}"]["township_id"]) == \
                ("grid_worker", t)
        assert {users[n]["role"] for n in ("sim_desk", "sim_intake", "sim_analytics", "sim_mediator")} == \
            {"duty_officer", "intake", "analytics", "mediator"}
        assert set(tokens) == {n for n in users if n.startswith(("demo_", "sim_"))}
        for name, token in tokens.items():
            actor = store.authenticate(token)
            assert actor is not None and actor.name == name
        out = capsys.readouterr().out
        assert "demo_duty_officer" in out and "sim_dept_01" not in out  # only the demo users are printed
        assert tokens["sim_desk"] not in out
        path = demo_tokens_path(store)
        assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
        assert json.loads(path.read_text()) == tokens
    finally:
        store.close()


def test_unknown_or_stale_tokens_are_issued_again(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(sqlite_url)
    try:
        first = ensure_demo(store)
        path = demo_tokens_path(store)
        assert path is not None
        path.write_text(json.dumps({**first, "sim_dept_03": "not-the-token"}))
        second = ensure_demo(store)
        assert second["sim_dept_03"] != first["sim_dept_03"]
        assert store.authenticate(first["sim_dept_03"]) is None  # the old one no longer works
        assert {k: v for k, v in second.items() if k != "sim_dept_03"} == \
            {k: v for k, v in first.items() if k != "sim_dept_03"}
        path.unlink()
        third = ensure_demo(store)  # the file is gone: every token is issued again and written back
        assert all(store.authenticate(t) is not None for t in third.values())
        assert all(store.authenticate(first[n]) is None for n in ("demo_leader", "sim_desk"))
        assert json.loads(path.read_text()) == third
    finally:
        store.close()


@pytest.mark.postgres
def test_on_postgresql_simulator_tokens_are_issued_at_every_start(pg_url: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(pg_url)
    try:
        first = ensure_demo(store)
        assert demo_tokens_path(store) is None
        assert "demo_duty_officer" in capsys.readouterr().out
        second = ensure_demo(store)
        sim = [n for n in first if n.startswith("sim_")]
        assert sim and all(second[n] != first[n] and store.authenticate(second[n]) for n in sim)
        assert not any(n.startswith("demo_") for n in second)  # shown once, when made; not stored
        assert all(store.authenticate(first[n]) for n in first if n.startswith("demo_"))  # and still valid
        assert "tokens were printed when they were made" in capsys.readouterr().out
    finally:
        store.close()
