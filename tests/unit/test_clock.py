from __future__ import annotations

import time

import pytest

from services.backend.clock import ServerClock


def test_sped_up_clock_runs_faster_from_its_origin() -> None:
    clock = ServerClock(speed=1000.0, origin=1_000_000.0)
    first = clock()
    time.sleep(0.05)
    elapsed = clock() - first
    assert elapsed >= 1000 * 0.05 * 0.9
    assert clock.real_seconds(3600) == pytest.approx(3.6)


@pytest.mark.parametrize("speed", [0, -1, 20_000])
def test_bad_speed_is_refused(speed: float) -> None:
    with pytest.raises(ValueError):
        ServerClock(speed=speed)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_encode_text_frame_matches_the_websocket_library(size: int) -> None:
    from websockets.frames import Frame, Opcode

    from services.backend.hub import encode_text_frame

    payload = ("事" * size).encode()[:size]
    ours = encode_text_frame(payload)
    theirs = Frame(Opcode.TEXT, payload).serialize(mask=False, extensions=[])
    assert ours == theirs
