"""config/schema.py: the rules file loads, and every kind of mistake in it stops the load with a named key."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from config.schema import (
    DEFAULT_RULES_FILE,
    CaseRules,
    ConfigError,
    Rules,
    WorkingHoursRules,
    from_mapping,
    load_rules,
)

DEFAULT_TEXT = DEFAULT_RULES_FILE.read_text(encoding="utf-8")


def write_rules(tmp_path: Path, old: str | None = None, new: str = "", append: str = "", prepend: str = "") -> Path:
    """The shipped rules.toml with one line replaced (the replacement must happen), text prepended (top level,
    before the first table) and/or appended (a new table)."""
    text = prepend + DEFAULT_TEXT
    if old is not None:
        assert old in text, f"fixture drift: {old!r} not in rules.toml"
        text = text.replace(old, new, 1)
    path = tmp_path / "rules.toml"
    path.write_text(text + append, encoding="utf-8")
    return path


PERIODS_LINE = 'periods = [["08:30", "12:00"], ["14:00", "17:30"]]'
CLASS_TABLE = "immediate = 3.0                 # 及时办\ncoordinated = 7.0               # 协调办\nplanned = 15.0"


# -- the shipped file ----------------------------------------------------------------------------
def test_default_rules_file_loads_with_the_documented_values():
    rules = load_rules()
    assert rules.working_hours.periods == ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30)))
    assert rules.case.sign_limit_hours == 2.0
    assert rules.case.class_limit_days == {"immediate": 3.0, "coordinated": 7.0, "planned": 15.0}
    assert rules.case.due_soon_ratio == 0.8
    assert rules.case.escalate_ratio == 2.0
    assert rules.case.max_extension_days == 15.0
    assert rules.whistle.arrival_limit_days == 1.0
    assert rules.mediation.conclude_days == 30.0
    assert rules.server.max_frame_bytes == 65536
    assert rules.server.send_buffer_bytes == 4 * 1024 * 1024
    assert rules.server.token_ttl_days == 365
    assert isinstance(rules.server.max_frame_bytes, int)
    assert isinstance(rules.case.sign_limit_hours, float)


def test_default_rules_file_agrees_with_the_dataclass_defaults():
    assert load_rules(DEFAULT_RULES_FILE) == Rules()


def test_an_unchanged_copy_loads(tmp_path):
    assert load_rules(write_rules(tmp_path)) == Rules()


def test_integers_are_accepted_where_numbers_are_expected(tmp_path):
    rules = load_rules(write_rules(tmp_path, "sign_limit_hours = 2.0", "sign_limit_hours = 3"))
    assert rules.case.sign_limit_hours == 3.0
    assert isinstance(rules.case.sign_limit_hours, float)


def test_a_partial_file_keeps_the_defaults_for_the_rest(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[case]\nsign_limit_hours = 4.0\n", encoding="utf-8")
    rules = load_rules(path)
    assert rules.case.sign_limit_hours == 4.0
    assert rules.case.class_limit_days == {"immediate": 3.0, "coordinated": 7.0, "planned": 15.0}
    assert rules.working_hours == WorkingHoursRules()


def test_adjacent_working_periods_are_allowed(tmp_path):
    rules = load_rules(write_rules(tmp_path, PERIODS_LINE, 'periods = [["08:30", "12:00"], ["12:00", "17:30"]]'))
    assert rules.working_hours.periods == ((time(8, 30), time(12, 0)), (time(12, 0), time(17, 30)))


# -- unknown keys --------------------------------------------------------------------------------
UNKNOWN_KEY_CASES = {
    "top level": (None, "", "", "sign_limit_hours = 2\n", "sign_limit_hours"),
    "top-level table": (None, "", "\n[casee]\nsign_limit_hours = 2\n", "", "casee"),
    "nested [case]": ("sign_limit_hours = 2.0", "sign_limt_hours = 2", "", "", "sign_limt_hours"),
    "nested [server]": ("rate_burst = 200", "rate_brust = 200", "", "", "rate_brust"),
    "nested [whistle]": ("arrival_limit_days = 1.0", "arival_limit_days = 1.0", "", "", "arival_limit_days"),
    "nested [working_hours]": (PERIODS_LINE, 'period = [["08:30", "12:00"]]', "", "", "period"),
}


@pytest.mark.parametrize(
    ("old", "new", "append", "prepend", "key"), UNKNOWN_KEY_CASES.values(), ids=UNKNOWN_KEY_CASES.keys()
)
def test_unknown_key_is_an_error_naming_the_key(tmp_path, old, new, append, prepend, key):
    path = write_rules(tmp_path, old, new, append, prepend)
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert re.search(rf"\b{re.escape(key)}\b", str(err.value)), str(err.value)


# -- wrong types ---------------------------------------------------------------------------------
WRONG_TYPE_CASES = {
    "string for number": ("sign_limit_hours = 2.0", 'sign_limit_hours = "2"', "sign_limit_hours"),
    "bool for number": ("due_soon_ratio = 0.8", "due_soon_ratio = true", "due_soon_ratio"),
    "float for integer": ("max_frame_bytes = 65536", "max_frame_bytes = 65536.0", "max_frame_bytes"),
    "bool for integer": ("rate_burst = 200", "rate_burst = true", "rate_burst"),
    "string for class limit": ("immediate = 3.0", 'immediate = "3"', "immediate"),
    "periods as a string": (PERIODS_LINE, 'periods = "08:30-12:00"', "periods"),
    "period with one end": (PERIODS_LINE, 'periods = [["08:30"]]', "periods"),
    "period time not hh:mm": (PERIODS_LINE, 'periods = [["8h30", "12:00"]]', "periods"),
    "period time out of range": (PERIODS_LINE, 'periods = [["08:30", "25:00"]]', "periods"),
    "period time as number": (PERIODS_LINE, "periods = [[830, 1200]]", "periods"),
}


@pytest.mark.parametrize(("old", "new", "key"), WRONG_TYPE_CASES.values(), ids=WRONG_TYPE_CASES.keys())
def test_wrong_type_is_an_error_naming_the_key(tmp_path, old, new, key):
    with pytest.raises(ConfigError) as err:
        load_rules(write_rules(tmp_path, old, new))
    assert key in str(err.value)


def test_a_table_where_a_value_is_expected_is_an_error(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("case = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="case"):
        load_rules(path)


def test_class_limit_days_must_be_a_table(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[case]\nclass_limit_days = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="class_limit_days"):
        load_rules(path)


def test_from_mapping_rejects_bool_for_int_and_unknown_keys():
    with pytest.raises(ConfigError, match="rate_burst"):
        from_mapping(Rules, {"server": {"rate_burst": True}}, "")
    with pytest.raises(ConfigError, match="nope"):
        from_mapping(CaseRules, {"nope": 1}, "case")
    assert from_mapping(CaseRules, {"sign_limit_hours": 1}, "case").sign_limit_hours == 1.0


# -- ranges and consistency ----------------------------------------------------------------------
BAD_PERIODS = {
    "overlapping": '[["08:30", "12:00"], ["11:00", "17:30"]]',
    "out of order": '[["14:00", "17:30"], ["08:30", "12:00"]]',
    "empty period": '[["08:30", "08:30"]]',
    "reversed period": '[["12:00", "08:30"]]',
    "no periods": "[]",
}


@pytest.mark.parametrize("periods", BAD_PERIODS.values(), ids=BAD_PERIODS.keys())
def test_bad_working_periods_are_rejected(tmp_path, periods):
    with pytest.raises(ConfigError, match=r"working_hours\.periods"):
        load_rules(write_rules(tmp_path, PERIODS_LINE, f"periods = {periods}"))


def test_missing_resolution_class_is_rejected(tmp_path):
    path = write_rules(tmp_path, CLASS_TABLE, "immediate = 3.0\ncoordinated = 7.0\n")
    with pytest.raises(ConfigError, match="class_limit_days") as err:
        load_rules(path)
    assert "planned" in str(err.value)


def test_extra_resolution_class_is_rejected(tmp_path):
    path = write_rules(tmp_path, "planned = 15.0", "planned = 15.0\nurgent = 1.0")
    with pytest.raises(ConfigError, match="urgent"):
        load_rules(path)


RANGE_CASES = {
    "due_soon_ratio 0": ("due_soon_ratio = 0.8", "due_soon_ratio = 0.0", "due_soon_ratio"),
    "due_soon_ratio 1": ("due_soon_ratio = 0.8", "due_soon_ratio = 1.0", "due_soon_ratio"),
    "due_soon_ratio 1.5": ("due_soon_ratio = 0.8", "due_soon_ratio = 1.5", "due_soon_ratio"),
    "due_soon_ratio negative": ("due_soon_ratio = 0.8", "due_soon_ratio = -0.1", "due_soon_ratio"),
    "due_soon_ratio nan": ("due_soon_ratio = 0.8", "due_soon_ratio = nan", "due_soon_ratio"),
    "escalate_ratio 1": ("escalate_ratio = 2.0", "escalate_ratio = 1.0", "escalate_ratio"),
    "escalate_ratio 0.5": ("escalate_ratio = 2.0", "escalate_ratio = 0.5", "escalate_ratio"),
    "sign_limit_hours 0": ("sign_limit_hours = 2.0", "sign_limit_hours = 0", "sign_limit_hours"),
    "sign_limit_hours negative": ("sign_limit_hours = 2.0", "sign_limit_hours = -1.0", "sign_limit_hours"),
    "class limit 0": ("immediate = 3.0", "immediate = 0.0", "immediate"),
    "arrival limit 0": ("arrival_limit_days = 1.0", "arrival_limit_days = 0", "arrival_limit_days"),
    "mediation limit 0": ("conclude_days = 30.0", "conclude_days = 0", "conclude_days"),
    "frame bytes too small": ("max_frame_bytes = 65536", "max_frame_bytes = 100", "max_frame_bytes"),
    "frame bytes too big": ("max_frame_bytes = 65536", "max_frame_bytes = 2000000", "max_frame_bytes"),
    "send buffer too small": ("send_buffer_bytes = 4194304", "send_buffer_bytes = 8", "send_buffer_bytes"),
    "rate 0": ("rate_per_s = 50.0", "rate_per_s = 0.0", "rate_per_s"),
}


@pytest.mark.parametrize(("old", "new", "key"), RANGE_CASES.values(), ids=RANGE_CASES.keys())
def test_out_of_range_values_are_rejected(tmp_path, old, new, key):
    with pytest.raises(ConfigError) as err:
        load_rules(write_rules(tmp_path, old, new))
    assert key in str(err.value)


def test_in_range_edges_load(tmp_path):
    path = write_rules(tmp_path, "due_soon_ratio = 0.8", "due_soon_ratio = 0.5")
    path.write_text(path.read_text(encoding="utf-8").replace("escalate_ratio = 2.0", "escalate_ratio = 3"))
    rules = load_rules(path)
    assert (rules.case.due_soon_ratio, rules.case.escalate_ratio) == (0.5, 3.0)


NON_FINITE_CASES = {
    "sign_limit_hours nan": ("sign_limit_hours = 2.0", "sign_limit_hours = nan", "sign_limit_hours"),
    "sign_limit_hours inf": ("sign_limit_hours = 2.0", "sign_limit_hours = inf", "sign_limit_hours"),
    "class limit nan": ("immediate = 3.0", "immediate = nan", "immediate"),
    "class limit inf": ("planned = 15.0", "planned = inf", "planned"),
    "escalate_ratio inf": ("escalate_ratio = 2.0", "escalate_ratio = inf", "escalate_ratio"),
    "arrival limit nan": ("arrival_limit_days = 1.0", "arrival_limit_days = nan", "arrival_limit_days"),
}


@pytest.mark.parametrize(("old", "new", "key"), NON_FINITE_CASES.values(), ids=NON_FINITE_CASES.keys())
def test_non_finite_numbers_are_rejected(tmp_path, old, new, key):
    """TOML allows nan and inf; a nan limit makes every deadline nan, an inf one makes deadline arithmetic raise."""
    with pytest.raises(ConfigError) as err:
        load_rules(write_rules(tmp_path, old, new))
    assert key in str(err.value)


# -- the file is named in every error ------------------------------------------------------------
FILE_NAMED_CASES = {
    "unknown top-level key": (None, "", "sign_limit_hours = 2\n"),
    "unknown nested key": ("sign_limit_hours = 2.0", "sign_limt_hours = 2", ""),
    "wrong type": ("sign_limit_hours = 2.0", 'sign_limit_hours = "2"', ""),
    "bad period time": (PERIODS_LINE, 'periods = [["8h30", "12:00"]]', ""),
    "overlapping periods": (PERIODS_LINE, 'periods = [["08:30", "12:00"], ["11:00", "17:30"]]', ""),
    "ratio out of range": ("due_soon_ratio = 0.8", "due_soon_ratio = 1.5", ""),
    "missing class": (CLASS_TABLE, "immediate = 3.0\ncoordinated = 7.0\n", ""),
}


@pytest.mark.parametrize(("old", "new", "prepend"), FILE_NAMED_CASES.values(), ids=FILE_NAMED_CASES.keys())
def test_every_error_names_the_file(tmp_path, old, new, prepend):
    path = write_rules(tmp_path, old, new, prepend=prepend)
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert str(path) in str(err.value), f"message does not name the file: {err.value}"


def test_not_toml_is_a_config_error_naming_the_file(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[case\nsign_limit_hours = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert str(path) in str(err.value)


def test_missing_file_is_a_config_error_naming_the_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert str(path) in str(err.value)


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)
