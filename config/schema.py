"""Typed, validated settings (Qt-free).

Every settings file is TOML. Each section maps onto a frozen dataclass; loading rejects unknown keys,
wrong types and out-of-range values with a message naming the file and the key, so a typo in a
rules file is caught at start, never silently ignored.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, TypeVar

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_RULES_FILE = CONFIG_DIR / "rules.toml"
DEFAULT_HOLIDAY_DIR = CONFIG_DIR / "holidays"


class ConfigError(ValueError):
    """A settings file is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class WorkingHoursRules:
    """Working periods of a working day, local time (Asia/Shanghai), e.g. [["08:30","12:00"],["14:00","17:30"]]."""

    periods: tuple[tuple[time, time], ...] = ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30)))


@dataclass(frozen=True)
class CaseRules:
    sign_limit_hours: float = 2.0
    """Working hours a department has to sign for (签收) a dispatched case."""
    class_limit_days: dict[str, float] = field(
        default_factory=lambda: {"immediate": 3.0, "coordinated": 7.0, "planned": 15.0}
    )
    """Working days to resolve, by resolution class: 及时办 / 协调办 / 统筹办."""
    due_soon_ratio: float = 0.8
    escalate_ratio: float = 2.0
    max_extension_days: float = 15.0


@dataclass(frozen=True)
class WhistleRules:
    arrival_limit_days: float = 1.0
    """Each called department's liaison must be on site within one working day (seed)."""


@dataclass(frozen=True)
class MediationRules:
    conclude_days: float = 30.0
    """People's mediation normally concludes within 30 calendar days of intake (DOMAIN.md default)."""


@dataclass(frozen=True)
class ServerRules:
    auth_timeout_s: float = 10.0
    max_frame_bytes: int = 65536
    """Largest frame a client may send."""
    max_reply_bytes: int = 16 * 1024 * 1024
    """Largest reply the server sends (clients accept up to 16 MiB); larger -> too_large."""
    send_buffer_bytes: int = 4 * 1024 * 1024
    """Bytes waiting to be sent on one connection; a client that falls further behind is closed with 4008."""
    catch_up_hold_events: int = 20_000
    """Live events held for a subscription while it replays from the store; more -> 4008 (resume later)."""
    replay_window_events: int = 100_000
    """How far back (in events) a resuming client may ask; older -> resync_required."""
    rate_per_s: float = 50.0
    rate_burst: int = 200
    ping_interval_s: float = 20.0
    ping_timeout_s: float = 20.0
    deadline_sweep_s: float = 30.0
    token_ttl_days: int = 365
    revalidate_s: float = 60.0
    """How often connected users are checked again: disabled -> close 4403, token expired -> close 4401."""


@dataclass(frozen=True)
class Rules:
    working_hours: WorkingHoursRules = field(default_factory=WorkingHoursRules)
    case: CaseRules = field(default_factory=CaseRules)
    whistle: WhistleRules = field(default_factory=WhistleRules)
    mediation: MediationRules = field(default_factory=MediationRules)
    server: ServerRules = field(default_factory=ServerRules)

    def replace_server(self, **changes: Any) -> Rules:
        return dataclasses.replace(self, server=dataclasses.replace(self.server, **changes))


RESOLUTION_CLASSES = ("immediate", "coordinated", "planned")

T = TypeVar("T")


def _parse_time(value: Any, where: str) -> time:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a time like '08:30', got {value!r}")
    try:
        hh, mm = value.split(":")
        return time(int(hh), int(mm))
    except ValueError as exc:
        raise ConfigError(f"{where}: expected a time like '08:30', got {value!r}") from exc


def _convert(value: Any, annotation: Any, where: str) -> Any:
    origin = typing.get_origin(annotation)
    if annotation is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{where}: must be a finite number, got {value!r}")
        return float(value)
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if annotation is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    if annotation is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if origin is dict:
        _, vtype = typing.get_args(annotation)
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {value!r}")
        return {k: _convert(v, vtype, f"{where}.{k}") for k, v in value.items()}
    if origin is list:
        (itype,) = typing.get_args(annotation)
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        return [_convert(item, itype, f"{where}[{i}]") for i, item in enumerate(value)]
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        # only tuple[tuple[time, time], ...] is used
        out = []
        for i, item in enumerate(value):
            if not (isinstance(item, list) and len(item) == 2):
                raise ConfigError(f"{where}[{i}]: expected [start, end], got {item!r}")
            out.append((_parse_time(item[0], f"{where}[{i}]"), _parse_time(item[1], f"{where}[{i}]")))
        return tuple(out)
    if dataclasses.is_dataclass(annotation):
        return from_mapping(annotation, value, where)
    if isinstance(annotation, types.UnionType):
        raise ConfigError(f"{where}: unsupported type")
    raise ConfigError(f"{where}: unsupported type {annotation!r}")


def from_mapping(cls: type[T], data: Any, where: str) -> T:
    """Build dataclass `cls` from a TOML table; unknown keys and wrong types are errors."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(names))}")
    kwargs = {k: _convert(v, hints[k], f"{where}.{k}" if where else k) for k, v in data.items()}
    return cls(**kwargs)


def validate_rules(rules: Rules, where: str) -> Rules:
    periods = rules.working_hours.periods
    if not periods:
        raise ConfigError(f"{where}: working_hours.periods must not be empty")
    previous_end = time(0, 0)
    for start, end in periods:
        if not start < end or start < previous_end:
            raise ConfigError(f"{where}: working_hours.periods must be ordered, non-overlapping ranges")
        previous_end = end
    missing = set(RESOLUTION_CLASSES) - set(rules.case.class_limit_days)
    extra = set(rules.case.class_limit_days) - set(RESOLUTION_CLASSES)
    if missing or extra:
        raise ConfigError(
            f"{where}: case.class_limit_days needs exactly {', '.join(RESOLUTION_CLASSES)}"
            f" (missing: {sorted(missing)}, unknown: {sorted(extra)})"
        )
    positives = {
        "case.sign_limit_hours": rules.case.sign_limit_hours,
        "whistle.arrival_limit_days": rules.whistle.arrival_limit_days,
        "mediation.conclude_days": rules.mediation.conclude_days,
        "server.auth_timeout_s": rules.server.auth_timeout_s,
        "server.rate_per_s": rules.server.rate_per_s,
        **{f"case.class_limit_days.{k}": v for k, v in rules.case.class_limit_days.items()},
    }
    for key, value in positives.items():
        if value <= 0:
            raise ConfigError(f"{where}: {key} must be > 0, got {value}")
    if not 0 < rules.case.due_soon_ratio < 1:
        raise ConfigError(f"{where}: case.due_soon_ratio must be between 0 and 1")
    if not 0 < rules.case.max_extension_days <= 60:
        raise ConfigError(f"{where}: case.max_extension_days must be in (0, 60]")
    if rules.case.escalate_ratio <= 1:
        raise ConfigError(f"{where}: case.escalate_ratio must be > 1")
    if not 1024 <= rules.server.max_frame_bytes <= 1 << 20:
        raise ConfigError(f"{where}: server.max_frame_bytes out of range")
    if not 4096 <= rules.server.max_reply_bytes <= 16 * 1024 * 1024:
        raise ConfigError(f"{where}: server.max_reply_bytes must be 4096..16777216")
    if not 16 * 1024 <= rules.server.send_buffer_bytes <= 256 * 1024 * 1024:
        raise ConfigError(f"{where}: server.send_buffer_bytes must be 16 KiB..256 MiB")
    if rules.server.catch_up_hold_events < 100:
        raise ConfigError(f"{where}: server.catch_up_hold_events must be >= 100")
    return rules


def load_toml(cls: type[T], path: Path) -> T:
    """A settings file as dataclass `cls`: missing file, bad TOML, unknown keys and wrong types are ConfigErrors
    naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return from_mapping(cls, data, "")
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def load_rules(path: Path | None = None) -> Rules:
    path = path or DEFAULT_RULES_FILE
    return validate_rules(load_toml(Rules, path), str(path))
