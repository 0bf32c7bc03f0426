"""Checks of the demo's command-line options, kept free of heavy imports so a bad option fails at once."""

from __future__ import annotations

import math
from datetime import datetime

MAX_RATE = 10_000.0
MAX_HISTORY_MONTHS = 60.0
MAX_SPEED = 10_000.0


def option_problem(*, simulate: float, history_months: float, demo: bool, speed: float) -> str | None:
    """The first problem with these options, as one line for the user; None when they are fine."""
    if not 0 < speed <= MAX_SPEED or math.isnan(speed):
        return f"--speed must be in (0, {MAX_SPEED:g}]"
    if math.isnan(simulate) or not 0 <= simulate <= MAX_RATE:
        return f"--simulate RATE must be a number of case reports per simulated hour in [0, {MAX_RATE:g}]"
    if math.isnan(history_months) or not 0 <= history_months <= MAX_HISTORY_MONTHS:
        return f"--history MONTHS must be in [0, {MAX_HISTORY_MONTHS:g}]"
    if (simulate or history_months) and not demo:
        return "--simulate and --history need the demo county and users: add --demo (never on a real county)"
    if history_months and not simulate:
        return "--history needs --simulate RATE (the history uses the same rate)"
    return None


def parse_start(text: str | None) -> float | str | None:
    """`--start`: epoch seconds, None when not given, or the error line (a str) to print."""
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return f"--start {text!r} is not an ISO 8601 time (e.g. 2026-11-23T08:00:00+08:00)"
    if parsed.tzinfo is None:
        return "--start needs its UTC offset (e.g. 2026-11-23T08:00:00+08:00)"
    return parsed.timestamp()
