"""`serve --demo` on an empty store: the generated county, every reference table, a user per role."""

from __future__ import annotations

from services.backend.seed import ensure_demo
from services.domain.model import Role
from tests.backend.conftest import make_rules


def test_demo_loads_the_generated_county_once(sqlite_url: str) -> None:
    from services.backend.store import Store
    from services.domain.workcalendar import WorkCalendar

    rules = make_rules()
    store = Store.open(sqlite_url, rules, WorkCalendar(rules.working_hours))
    try:
        tokens = ensure_demo(store)
        snap = store.snapshot(["townships", "grids", "service_points", "departments", "channels", "cameras",
                               "mediators"])
        counts = {k: len(v) for k, v in snap.items() if isinstance(v, list)}
        assert counts == {"townships": 21, "grids": 1066, "service_points": 960, "departments": 38, "channels": 8,
                          "cameras": 200, "mediators": 30}
        assert len({g["party_branch"] for g in snap["grids"]}) == 373
        assert all(sp["grid_ids"] for sp in snap["service_points"])
        assert sorted(u["role"] for u in store.list_users()) == sorted(r.value for r in Role)
        head = store.head_seq()
        again = ensure_demo(store)  # a second start reuses what is there
        assert store.head_seq() == head and set(again) == set(tokens)
    finally:
        store.close()
