"""The raw DB-API write path (services/backend/rawsql.py): rows read back identically through the ORM,
and a job failing after its own writes leaves nothing behind (its savepoint and its batch entries undone)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

import services.backend.store as store_module
from services.backend import tables as t
from services.backend.store import WriteJob, WriteResult
from services.domain.model import Actor, Role
from tests.backend.conftest import make_store

DUTY = Actor(1, "duty", Role.duty_officer, console="t")
DEPT = Actor(3, "dept", Role.department, department_id=1, console="t")


def test_raw_written_case_reads_back_through_the_orm(db_url: str) -> None:
    store = make_store(db_url)
    try:
        made = store.execute("case.report", DUTY, {"channel": "hotline_12345", "category": "道路", "title": "路灯不亮",
                                                   "reporter_phone": "13800138000", "grid_id": None}, "rt-0000001")
        cid = made.result["id"]
        store.execute("case.register", DUTY, {"id": cid, "expected_version": 1}, None)
        store.execute("case.dispatch", DUTY, {"id": cid, "expected_version": 2, "lead_department_id": 1,
                                              "co_department_ids": [2, 3], "resolution_class": "immediate"}, None)
        store.execute("case.sign", DEPT, {"id": cid, "expected_version": 3}, None)
        store.execute("case.request_extension", DEPT, {"id": cid, "expected_version": 4, "days": 2,
                                                       "reason": "需要协调"}, None)
        with store.engines.read.connect() as conn:
            row = conn.execute(select(t.CaseRow.__table__).where(t.CaseRow.id == cid)).one()._mapping
            audits = conn.execute(select(func.count()).select_from(t.AuditRow)
                                  .where(t.AuditRow.action.like("case.%"))).scalar_one()
            idem = conn.execute(select(t.Idempotency.result).where(t.Idempotency.idem == "rt-0000001")).scalar_one()
        assert row["title"] == "路灯不亮" and row["code"].startswith("NC-")
        assert row["co_department_ids"] == [2, 3]
        assert row["extension_pending"]["days"] == 2 and row["extension_pending"]["reason"] == "需要协调"
        assert row["overdue"] is False and row["sign_overdue"] is False and row["escalated"] is False
        assert row["version"] == 5 and row["state"] == "handling"
        assert audits == 5
        assert idem == made.result
        wire = store.get_case(cid)["case"]
        assert wire["co_department_ids"] == [2, 3] and wire["overdue"] is False
    finally:
        store.close()


def test_a_job_failing_after_its_writes_leaves_no_row_event_idem_or_audit(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(db_url)
    real = store_module.case_to_wire

    def exploding(case: Any) -> dict[str, Any]:  # a bug after the INSERT and the code UPDATE of one job
        if case.title == "boom":
            raise RuntimeError("bug")
        return real(case)

    monkeypatch.setattr(store_module, "case_to_wire", exploding)
    try:
        head = store.head_seq()
        jobs = [WriteJob("case.report", DUTY, {"channel": "hotline_12345", "category": "x", "title": title},
                         f"idem-{title}-0001", 1e9) for title in ("a", "boom", "b")]
        out = store.execute_many(jobs)
        assert isinstance(out[0], WriteResult) and isinstance(out[2], WriteResult)
        assert isinstance(out[1], RuntimeError)
        assert [e.seq for e in store.events_after(head)] == [head + 1, head + 2]
        with store.engines.read.connect() as conn:
            titles = conn.execute(select(t.CaseRow.title).order_by(t.CaseRow.id)).scalars().all()
            idems = conn.execute(select(t.Idempotency.idem).order_by(t.Idempotency.idem)).scalars().all()
            audited = conn.execute(select(func.count()).select_from(t.AuditRow)
                                   .where(t.AuditRow.action == "case.report")).scalar_one()
        assert titles == ["a", "b"]
        assert idems == ["idem-a-0001", "idem-b-0001"]
        assert audited == 2
    finally:
        store.close()
