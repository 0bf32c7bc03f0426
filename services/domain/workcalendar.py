"""The Chinese working-day clock: statutory holidays, adjusted working weekends, configurable working hours.

Years come from three sources, in this order:
1. a holiday notice file `config/holidays/YYYY.toml` written by an administrator (wins over the package),
2. the `chinese-calendar` package (it knows 2004-2026 in version 1.11),
3. nothing: weekdays only. That is a guess, so every such year is recorded and reported as a warning
   (server log, auth_ok, every screen) until the notice file is added. Nothing raises.

Limits are measured in *working seconds*: a working day is the length of the configured periods, so
"2 working hours" and "3 working days" are the same kind of quantity and deadlines are exact.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import chinese_calendar

from config.schema import ConfigError, WorkingHoursRules

CST = timezone(timedelta(hours=8), "CST")
"""China Standard Time; China has no daylight saving, so a fixed offset is exact."""

log = logging.getLogger(__name__)
_MAX_DAYS_SCANNED = 3660


@dataclass(frozen=True)
class HolidayNotice:
    year: int
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass(frozen=True)
class CalendarWarning:
    year: int
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"code": "calendar_year_unknown", "year": self.year, "message": self.message}


def load_holiday_notice(path: Path) -> HolidayNotice:
    """Read one `YYYY.toml`: year, source, holidays = [dates], workdays = [dates]."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    allowed = {"year", "source", "holidays", "workdays"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise ConfigError(f"{path}: 'year' must be an integer")
    if path.stem != str(year):
        raise ConfigError(f"{path}: file name must be {year}.toml")
    source = data.get("source", "")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(f"{path}: 'source' must name the official notice")

    def dates(key: str) -> frozenset[date]:
        values = data.get(key, [])
        if not isinstance(values, list):
            raise ConfigError(f"{path}: '{key}' must be a list of dates")
        out = set()
        for v in values:
            if not isinstance(v, date) or isinstance(v, datetime):
                raise ConfigError(f"{path}: '{key}' entry {v!r} is not a date (write 2027-01-01 unquoted)")
            if v.year != year:
                raise ConfigError(f"{path}: '{key}' entry {v} is not in {year}")
            out.add(v)
        return frozenset(out)

    holidays, workdays = dates("holidays"), dates("workdays")
    both = holidays & workdays
    if both:
        raise ConfigError(f"{path}: {sorted(both)[0]} is both a holiday and a workday")
    return HolidayNotice(year, source, holidays, workdays)


class WorkCalendar:
    def __init__(self, hours: WorkingHoursRules, holiday_dir: Path | None = None) -> None:
        self._periods = hours.periods
        self.day_seconds = sum(_seconds(e) - _seconds(s) for s, e in self._periods)
        self._notices: dict[int, HolidayNotice] = {}
        if holiday_dir is not None and holiday_dir.is_dir():
            for path in sorted(holiday_dir.glob("*.toml")):
                notice = load_holiday_notice(path)
                self._notices[notice.year] = notice
        self._unknown_years: set[int] = set()
        self._workday_cache: dict[date, bool] = {}

    # -- days ------------------------------------------------------------------------------------
    def is_workday(self, day: date) -> bool:
        cached = self._workday_cache.get(day)
        if cached is None:
            cached = self._workday_cache[day] = self._compute_workday(day)
        return cached

    def _compute_workday(self, day: date) -> bool:
        notice = self._notices.get(day.year)
        if notice is not None:
            if day in notice.holidays:
                return False
            if day in notice.workdays:
                return True
            return day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            if day.year not in self._unknown_years:
                self._unknown_years.add(day.year)
                log.warning("%s", self._warning_text(day.year))
            return day.weekday() < 5

    @staticmethod
    def _warning_text(year: int) -> str:
        return (
            f"{year}年法定节假日安排未配置:按周一至周五计算工作日,期限可能不准。"
            f"请管理员将国务院办公厅{year}年节假日通知写入 config/holidays/{year}.toml"
            f" (no official holiday calendar for {year}: counting weekdays only)"
        )

    def warnings(self) -> list[CalendarWarning]:
        """Years used so far that have no official calendar (weekday guess in force)."""
        return [CalendarWarning(y, self._warning_text(y)) for y in sorted(self._unknown_years)]

    def check_years(self, *years: int) -> None:
        """Touch the given years so their warnings are raised now (e.g. at server start for this and next year)."""
        for year in years:
            self.is_workday(date(year, 1, 2))

    # -- working time ----------------------------------------------------------------------------
    def _periods_of(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (datetime.combine(day, s, CST), datetime.combine(day, e, CST)) for s, e in self._periods
        ]

    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        """The instant when `seconds` of working time have passed after `start`."""
        start = start.astimezone(CST)
        remaining = max(0.0, seconds)
        day = start.date()
        for _ in range(_MAX_DAYS_SCANNED):
            for p_start, p_end in self._periods_of(day):
                begin = max(p_start, start)
                if begin >= p_end:
                    continue
                available = (p_end - begin).total_seconds()
                if remaining <= available:
                    if remaining == 0 and begin > start:
                        return start if start >= p_start else begin
                    return begin + timedelta(seconds=remaining)
                remaining -= available
            day += timedelta(days=1)
        raise ValueError("deadline beyond ten years: check the working hours configuration")

    def add_working_days(self, start: datetime, days: float) -> datetime:
        return self.add_working_seconds(start, days * self.day_seconds)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        return self.add_working_seconds(start, hours * 3600.0)

    def working_seconds_between(self, a: datetime, b: datetime) -> float:
        """Working seconds in [a, b]; negative when b < a."""
        if b < a:
            return -self.working_seconds_between(b, a)
        a, b = a.astimezone(CST), b.astimezone(CST)
        total = 0.0
        day = a.date()
        while day <= b.date():
            for p_start, p_end in self._periods_of(day):
                lo, hi = max(p_start, a), min(p_end, b)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second
