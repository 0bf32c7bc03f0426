"""The writer's commit stamps (CCC_COMMIT_STAMPS, a diagnostic for bench/fanout.py): one line per committed event."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from services.backend.writer import COMMIT_STAMPS_ENV
from tests.backend.conftest import Server


async def test_each_committed_event_gets_one_monotonic_stamp(server_factory, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    stamps = tmp_path / "stamps.txt"
    monkeypatch.setenv(COMMIT_STAMPS_ENV, str(stamps))
    server: Server = await server_factory()
    duty = await server.client("duty")
    before = time.perf_counter()
    seqs = []
    for i in range(5):
        seqs.append((await duty.ok("case.report", {"channel": "hotline_12345", "category": "x", "title": f"t{i}"}))
                    ["seq"])
    await duty.fail("case.register", {"id": 999, "expected_version": 1})  # no event, no stamp
    after = time.perf_counter()
    await server.hub.stop()
    lines = [line.split() for line in stamps.read_text().splitlines()]
    assert [int(seq) for seq, _ in lines] == seqs
    assert all(before <= float(at) <= after for _, at in lines)
