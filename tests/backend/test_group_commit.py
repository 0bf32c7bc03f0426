"""Group commit (Store.execute_many): one transaction, a savepoint per job, failures roll back alone."""

from __future__ import annotations

from services.backend.store import WriteJob, WriteResult
from services.domain.errors import DomainError
from services.domain.model import Actor, Role
from tests.backend.conftest import make_store

DUTY = Actor(1, "duty", Role.duty_officer, console="t")
LEADER = Actor(2, "leader", Role.leader, console="t")


def report(title: str, idem: str | None = None) -> WriteJob:
    return WriteJob("case.report", DUTY, {"channel": "hotline_12345", "category": "x", "title": title}, idem, 1e9)


def test_a_failing_job_rolls_back_alone_and_seqs_stay_gap_free(db_url: str) -> None:
    store = make_store(db_url)
    try:
        head = store.head_seq()
        jobs = [
            report("one", "idem-one-000001"),
            WriteJob("case.register", LEADER, {"id": 1, "expected_version": 1}, "idem-bad-000001", 1e9),  # forbidden
            WriteJob("case.close", DUTY, {"id": 1, "expected_version": 1}, None, 1e9),  # invalid transition
            report("two"),
            report("one", "idem-one-000001"),  # replay inside the same batch: the first result, no new event
            WriteJob("case.teleport", DUTY, {}, None, 1e9),  # not a command: its own error, not the batch's
        ]
        out = store.execute_many(jobs)
        assert isinstance(out[0], WriteResult) and isinstance(out[3], WriteResult)
        assert isinstance(out[1], DomainError) and out[1].code == "forbidden"
        assert isinstance(out[2], DomainError) and out[2].code == "conflict"
        assert isinstance(out[4], WriteResult) and out[4].replayed and out[4].result == out[0].result
        assert isinstance(out[5], DomainError)
        events = store.events_after(head)
        assert [e.seq for e in events] == [head + 1, head + 2]
        assert [e.data["case"]["title"] for e in events] == ["one", "two"]
        assert len(store.query_cases({})["cases"]) == 2
    finally:
        store.close()
