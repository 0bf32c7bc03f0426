"""services/domain/workcalendar.py: the Chinese statutory working-day clock.

2026 facts are those of 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号), as shipped in
chinese-calendar 1.11 (checked with chinese_calendar.get_workdays / is_workday): adjusted working weekends
2026-01-04 (Sun), 02-14 (Sat), 02-28 (Sat), 05-09 (Sat), 09-20 (Sun), 10-10 (Sat); National Day 10-01..10-07.
Working periods are the shipped ones: 08:30-12:00 and 14:00-17:30 (7 h = 25,200 s a day).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.schema import ConfigError, WorkingHoursRules, load_rules
from services.domain.workcalendar import CalendarWarning, WorkCalendar, load_holiday_notice

TZ = timezone(timedelta(hours=8))
DAY = 7 * 3600
LOGGER = "services.domain.workcalendar"


def dt(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(load_rules().working_hours)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1)]


SOURCE_LINE = 'source = "国务院办公厅关于2027年部分节假日安排的通知 (test copy)"\n'
NOTICE_2027 = "year = 2027\n" + SOURCE_LINE + """holidays = [2027-01-01, 2027-02-08]
workdays = [2027-02-20]
"""


def write_notice(folder: Path, text: str, name: str = "2027.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- days ----------------------------------------------------------------------------------------
def test_day_length_is_the_sum_of_the_periods(cal):
    assert cal.day_seconds == DAY


def test_national_day_2026_is_seven_days_off(cal):
    for day in days(date(2026, 10, 1), date(2026, 10, 7)):
        assert not cal.is_workday(day), day
    assert cal.is_workday(date(2026, 9, 30))
    assert cal.is_workday(date(2026, 10, 8))


ADJUSTED_WORKDAYS_2026 = {
    date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10),
}


def test_adjusted_working_weekends_2026_are_workdays(cal):
    for day in ADJUSTED_WORKDAYS_2026:
        assert day.weekday() >= 5, day
        assert cal.is_workday(day), day


def test_the_adjusted_weekends_are_exactly_those_of_the_notice(cal):
    year = days(date(2026, 1, 1), date(2026, 12, 31))
    found = {d for d in year if d.weekday() >= 5 and cal.is_workday(d)}
    assert found == ADJUSTED_WORKDAYS_2026
    package = {d for d in chinese_calendar.get_workdays(date(2026, 1, 1), date(2026, 12, 31)) if d.weekday() >= 5}
    assert package == ADJUSTED_WORKDAYS_2026


@pytest.mark.parametrize("day", [
    date(2026, 1, 1), date(2026, 1, 2),                      # New Year (Thu, Fri)
    *days(date(2026, 2, 16), date(2026, 2, 20)),            # Spring Festival weekdays
    date(2026, 2, 23),                                      # Spring Festival, Monday
    date(2026, 4, 6),                                       # Qingming, Monday
    *days(date(2026, 5, 1), date(2026, 5, 5)),              # Labour Day
    date(2026, 6, 19),                                      # Dragon Boat, Friday
    date(2026, 9, 25),                                      # Mid-Autumn, Friday
])
def test_weekday_holidays_2026_are_days_off(cal, day):
    assert not cal.is_workday(day)


def test_ordinary_days_2026(cal):
    assert cal.is_workday(date(2026, 3, 9))       # Monday
    assert not cal.is_workday(date(2026, 3, 7))   # Saturday
    assert not cal.is_workday(date(2026, 9, 19))  # Saturday before the adjusted Sunday
    assert not cal.is_workday(date(2026, 10, 11))  # Sunday after the adjusted Saturday
    assert cal.is_workday(date(2026, 10, 12))


# -- working time --------------------------------------------------------------------------------
@pytest.mark.parametrize(("start", "hours", "expected"), [
    (dt(2026, 3, 9, 9, 0), 1, dt(2026, 3, 9, 10, 0)),
    (dt(2026, 3, 9, 11, 0), 2, dt(2026, 3, 9, 15, 0)),       # across lunch
    (dt(2026, 3, 9, 12, 30), 1, dt(2026, 3, 9, 15, 0)),      # starts at lunch
    (dt(2026, 3, 9, 7, 0), 1, dt(2026, 3, 9, 9, 30)),        # before opening
    (dt(2026, 3, 9, 17, 0), 1, dt(2026, 3, 10, 9, 0)),       # overnight
    (dt(2026, 3, 9, 20, 0), 3.5, dt(2026, 3, 10, 12, 0)),    # ends exactly at a period end
    (dt(2026, 3, 6, 16, 0), 2, dt(2026, 3, 9, 9, 0)),        # Friday -> Monday
    (dt(2026, 3, 7, 10, 0), 1, dt(2026, 3, 9, 9, 30)),       # Saturday start
    (dt(2026, 3, 9, 8, 30), 7, dt(2026, 3, 9, 17, 30)),      # one full day
])
def test_add_working_hours(cal, start, hours, expected):
    assert cal.add_working_hours(start, hours) == expected


def test_zero_from_non_working_time_is_the_next_working_instant(cal):
    assert cal.add_working_seconds(dt(2026, 3, 9, 12, 30), 0) == dt(2026, 3, 9, 14, 0)
    assert cal.add_working_seconds(dt(2026, 3, 9, 10, 15), 0) == dt(2026, 3, 9, 10, 15)
    assert cal.add_working_seconds(dt(2026, 3, 9, 10, 15), -50) == dt(2026, 3, 9, 10, 15)


def test_input_in_another_time_zone_is_the_same_instant(cal):
    utc_start = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)  # 09:00 in China
    assert cal.add_working_hours(utc_start, 1) == dt(2026, 3, 9, 10, 0)


def test_deadlines_across_national_day_2026(cal):
    # 3 days from Wed 09-30 15:00: 2.5 h on 09-30, nothing 10-01..07, 7 h on 10-08 and 10-09 = 16.5 h,
    # the last 4.5 h on the adjusted Saturday 10-10: 08:30-12:00 (3.5 h) + 14:00-15:00.
    assert cal.add_working_days(dt(2026, 9, 30, 15, 0), 3) == dt(2026, 10, 10, 15, 0)
    # 7 days: 23.5 h through 10-10, Sunday 10-11 off, 10-12..10-14 = 21 h (44.5), 4.5 h on Thu 10-15.
    assert cal.add_working_days(dt(2026, 9, 30, 15, 0), 7) == dt(2026, 10, 15, 15, 0)
    # 2 hours from 09-30 16:30: 1 h that day, 1 h on 10-08.
    assert cal.add_working_hours(dt(2026, 9, 30, 16, 30), 2) == dt(2026, 10, 8, 9, 30)


def test_working_seconds_between_across_national_day(cal):
    assert cal.working_seconds_between(dt(2026, 9, 30, 17, 30), dt(2026, 10, 8, 8, 30)) == 0
    # 09-30, 10-08, 10-09, 10-10 (Sat, adjusted) are the only working days in the range.
    assert cal.working_seconds_between(dt(2026, 9, 30), dt(2026, 10, 11)) == 4 * DAY
    assert cal.working_seconds_between(dt(2026, 10, 11), dt(2026, 9, 30)) == -4 * DAY


def test_working_seconds_between_within_a_day(cal):
    assert cal.working_seconds_between(dt(2026, 3, 9, 11, 0), dt(2026, 3, 9, 15, 0)) == 2 * 3600
    assert cal.working_seconds_between(dt(2026, 3, 9, 12, 10), dt(2026, 3, 9, 13, 50)) == 0
    assert cal.working_seconds_between(dt(2026, 3, 9, 0, 0), dt(2026, 3, 10, 0, 0)) == DAY


def test_other_working_periods_are_honoured():
    cal = WorkCalendar(WorkingHoursRules(periods=((time(9, 0), time(17, 0)),)))
    assert cal.day_seconds == 8 * 3600
    assert cal.add_working_days(dt(2026, 3, 9, 13, 0), 1) == dt(2026, 3, 10, 13, 0)
    assert cal.add_working_hours(dt(2026, 3, 9, 12, 30), 1) == dt(2026, 3, 9, 13, 30)


# -- a year without an official calendar ---------------------------------------------------------
def test_unknown_year_counts_weekdays_and_warns(cal, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    assert cal.warnings() == []
    assert cal.is_workday(date(2027, 1, 1))        # a Friday: only a guess, the notice is not known yet
    assert not cal.is_workday(date(2027, 1, 2))    # Saturday
    assert not cal.is_workday(date(2027, 1, 3))    # Sunday
    assert cal.is_workday(date(2027, 10, 1))       # Friday
    warnings = cal.warnings()
    assert len(warnings) == 1
    assert isinstance(warnings[0], CalendarWarning)
    assert warnings[0].year == 2027
    assert "2027" in warnings[0].message
    assert warnings[0].as_dict()["year"] == 2027
    assert warnings[0].as_dict()["code"] == "calendar_year_unknown"
    records = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]
    assert len(records) == 1, "the warning is logged once per year, not once per day"
    assert "2027" in records[0].getMessage()


def test_unknown_year_deadline_is_computed_on_weekdays(cal):
    # Fri 2027-01-08 16:00 + 2 h: 1.5 h on Friday, 0.5 h on Monday 01-11.
    assert cal.add_working_hours(dt(2027, 1, 8, 16, 0), 2) == dt(2027, 1, 11, 9, 0)
    assert [w.year for w in cal.warnings()] == [2027]


def test_check_years_raises_warnings_up_front_only_for_unknown_years(cal, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    cal.check_years(2026)
    assert cal.warnings() == []
    cal.check_years(2026, 2027, 2028)
    assert [w.year for w in cal.warnings()] == [2027, 2028]
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert any("2027" in m for m in messages)
    assert any("2028" in m for m in messages)


def test_a_notice_file_makes_2027_known(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    write_notice(tmp_path, NOTICE_2027)
    cal = WorkCalendar(load_rules().working_hours, tmp_path)
    assert date(2027, 2, 20).weekday() == 5
    assert not cal.is_workday(date(2027, 1, 1))   # holiday from the file
    assert not cal.is_workday(date(2027, 2, 8))   # a Monday, holiday from the file
    assert cal.is_workday(date(2027, 2, 20))      # adjusted Saturday from the file
    assert cal.is_workday(date(2027, 1, 4))       # ordinary Monday
    assert not cal.is_workday(date(2027, 1, 9))   # ordinary Saturday
    cal.check_years(2027)
    assert cal.warnings() == []
    assert not [r for r in caplog.records if r.name == LOGGER]
    # Thu 2026-12-31 17:00 + 1 h: 0.5 h on 12-31, Fri 01-01 is now a holiday, 0.5 h on Mon 01-04.
    assert cal.add_working_hours(dt(2026, 12, 31, 17, 0), 1) == dt(2027, 1, 4, 9, 0)


def test_a_notice_file_wins_over_the_package(tmp_path):
    write_notice(tmp_path, 'year = 2026\nsource = "local override"\nholidays = [2026-10-12]\n'
                           "workdays = [2026-10-11]\n", "2026.toml")
    cal = WorkCalendar(load_rules().working_hours, tmp_path)
    assert not cal.is_workday(date(2026, 10, 12))
    assert cal.is_workday(date(2026, 10, 11))


def test_missing_or_empty_holiday_folder_is_fine(tmp_path):
    WorkCalendar(load_rules().working_hours, tmp_path / "absent")
    (tmp_path / "README.md").write_text("not a notice", encoding="utf-8")
    cal = WorkCalendar(load_rules().working_hours, tmp_path)
    assert cal.is_workday(date(2026, 3, 9))


def test_load_holiday_notice_reads_the_file(tmp_path):
    notice = load_holiday_notice(write_notice(tmp_path, NOTICE_2027))
    assert notice.year == 2027
    assert notice.holidays == frozenset({date(2027, 1, 1), date(2027, 2, 8)})
    assert notice.workdays == frozenset({date(2027, 2, 20)})
    assert "2027" in notice.source


BAD_NOTICES = {
    "unknown key": (NOTICE_2027 + "holiday = [2027-01-02]\n", "2027.toml", "holiday"),
    "date in another year": (NOTICE_2027.replace("2027-02-08", "2026-02-08"), "2027.toml", "2026-02-08"),
    "quoted date": (NOTICE_2027.replace("2027-02-08", '"2027-02-08"'), "2027.toml", "2027-02-08"),
    "date and time": (NOTICE_2027.replace("2027-02-08", "2027-02-08T00:00:00"), "2027.toml", "holidays"),
    "both holiday and workday": (NOTICE_2027.replace("workdays = [2027-02-20]", "workdays = [2027-01-01]"),
                                 "2027.toml", "2027-01-01"),
    "wrong file name": (NOTICE_2027, "2028.toml", "2027.toml"),
    "file name not a year": (NOTICE_2027, "holidays-2027.toml", "2027.toml"),
    "year as a string": (NOTICE_2027.replace("year = 2027", 'year = "2027"'), "2027.toml", "year"),
    "no year": (NOTICE_2027.replace("year = 2027\n", ""), "2027.toml", "year"),
    "no source": (NOTICE_2027.replace(SOURCE_LINE, ""), "2027.toml", "source"),
    "blank source": (NOTICE_2027.replace(SOURCE_LINE, 'source = "  "\n'), "2027.toml", "source"),
    "holidays not a list": (NOTICE_2027.replace("holidays = [2027-01-01, 2027-02-08]", "holidays = 2027-01-01"),
                            "2027.toml", "holidays"),
    "not toml": ("year = 2027\nholidays = [2027-01-01\n", "2027.toml", "TOML"),
}


@pytest.mark.parametrize(("text", "name", "needle"), BAD_NOTICES.values(), ids=BAD_NOTICES.keys())
def test_invalid_notice_files_are_config_errors(tmp_path, text, name, needle):
    assert text != NOTICE_2027 or name != "2027.toml"
    path = write_notice(tmp_path, text, name)
    with pytest.raises(ConfigError) as err:
        load_holiday_notice(path)
    assert needle in str(err.value)
    assert str(path) in str(err.value)
    with pytest.raises(ConfigError):
        WorkCalendar(load_rules().working_hours, tmp_path)  # the server refuses to start


# -- properties ----------------------------------------------------------------------------------
SHARED_CAL = WorkCalendar(load_rules().working_hours)
starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31, 23, 59, 59),
                      timezones=st.just(TZ))
work_seconds = st.floats(min_value=0, max_value=80 * DAY, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=starts, seconds=work_seconds)
def test_between_inverts_add(start, seconds):
    end = SHARED_CAL.add_working_seconds(start, seconds)
    assert end >= start
    assert SHARED_CAL.working_seconds_between(start, end) == pytest.approx(seconds, abs=1e-6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=starts, a=work_seconds, b=work_seconds)
def test_add_is_monotonic(start, a, b):
    lo, hi = sorted((a, b))
    assert SHARED_CAL.add_working_seconds(start, lo) <= SHARED_CAL.add_working_seconds(start, hi)


@settings(max_examples=200, deadline=None)
@given(start=starts, seconds=st.floats(min_value=1e-3, max_value=80 * DAY))
def test_a_positive_deadline_lies_inside_working_time(start, seconds):
    end = SHARED_CAL.add_working_seconds(start, seconds).astimezone(TZ)
    assert SHARED_CAL.is_workday(end.date())
    clock = end.time().replace(tzinfo=None)
    assert time(8, 30) < clock <= time(12, 0) or time(14, 0) < clock <= time(17, 30), end
