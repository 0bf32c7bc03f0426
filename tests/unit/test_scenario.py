"""The scenario (services/demo/scenario.py): seeded, a realistic mix, a day/night curve, places inside grids,
fake reporters that masking catches, and every path of every plan reachable."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

import pytest
from shapely.geometry import Point, shape

from services.demo import texts as tx
from services.demo.county import generate_county
from services.demo.scenario import CURVES, County, Scenario, curve_at
from services.domain.masking import mask_value
from services.domain.model import Role
from services.domain.workcalendar import CST

MONDAY = datetime(2026, 11, 23, 0, 0, tzinfo=CST).timestamp()
N = 3000


@pytest.fixture(scope="module")
def county_rows() -> dict[str, list[dict[str, Any]]]:
    return generate_county()


@pytest.fixture(scope="module")
def scenario(county_rows: dict[str, list[dict[str, Any]]]) -> Scenario:
    return Scenario(County.from_snapshot(county_rows), seed=42)


@pytest.fixture(scope="module")
def reports(scenario: Scenario) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    return [scenario.new_case(n, MONDAY + n * 60) for n in range(1, N + 1)]


def test_same_seed_same_life_other_seed_other_life(county_rows: dict[str, list[dict[str, Any]]]) -> None:
    county = County.from_snapshot(county_rows)
    a, b, c = Scenario(county, seed=1), Scenario(county, seed=1), Scenario(county, seed=2)
    assert [a.new_case(n, MONDAY) for n in range(50)] == [b.new_case(n, MONDAY) for n in range(50)]
    assert [a.new_case(n, MONDAY) for n in range(50)] != [c.new_case(n, MONDAY) for n in range(50)]
    case = {"id": 7, "category": "城市管理", "title": "莲塘街道某小区生活垃圾堆积未清运", "channel": "hotline_12345"}
    assert a.plan_for_case(case) == b.plan_for_case(case)
    assert a.new_case(9, MONDAY) == a.new_case(9, MONDAY + 3600)  # the n-th case does not depend on when asked
    times_a = list(zip(range(40), a.arrivals("case", 12, MONDAY), strict=False))
    assert times_a == list(zip(range(40), b.arrivals("case", 12, MONDAY), strict=False))


def test_category_mix_follows_the_weights(reports: list[tuple[dict[str, Any], Any]]) -> None:
    counts = Counter(body["category"] for body, _ in reports)
    assert set(counts) == set(tx.CATEGORY_WEIGHTS)
    for category, weight in tx.CATEGORY_WEIGHTS.items():
        assert abs(counts[category] / N - weight) < 0.03, (category, counts[category] / N, weight)


def test_channel_mix_has_the_hotline_first_and_every_intake_channel(reports: list[tuple[dict[str, Any], Any]]) -> None:
    counts = Counter(body["channel"] for body, _ in reports)
    assert counts.most_common(1)[0][0] == "hotline_12345"
    assert set(counts) == set(tx.CHANNEL_WEIGHTS)  # all seven report channels; video_alarm comes from alarms only
    assert "video_alarm" not in counts


def test_titles_are_varied_chinese_and_name_the_place(scenario: Scenario,
                                                      reports: list[tuple[dict[str, Any], Any]]) -> None:
    townships = set(scenario.county.townships.values())
    titles = [body["title"] for body, _ in reports]
    assert len(set(titles)) > 0.8 * len(titles)
    for body, _ in reports[:500]:
        assert any(body["title"].startswith(t) for t in townships), body["title"]
        assert re.fullmatch(r"[\u4e00-\u9fff·、0-9A-Za-z()]+", body["title"]), body["title"]
        assert body["description"].endswith("。") and len(body["description"]) > 20


def test_places_lie_inside_their_grid_and_township(county_rows: dict[str, list[dict[str, Any]]],
                                                   reports: list[tuple[dict[str, Any], Any]]) -> None:
    grids = {g["id"]: g for g in county_rows["grids"]}
    for body, _ in reports[:800]:
        grid = grids[body["grid_id"]]
        assert body["township_id"] == grid["township_id"]
        assert shape(grid["geometry"]).buffer(1e-6).contains(Point(body["lon"], body["lat"])), body


def test_reporters_are_fake_and_masking_catches_them(reports: list[tuple[dict[str, Any], Any]]) -> None:
    phones = [body["reporter_phone"] for body, _ in reports if body["reporter_phone"]]
    assert len(phones) > 0.8 * N
    assert all(re.fullmatch(r"1[3-9]\d0000\d{4}", p) for p in phones)
    anonymous = sum(1 for body, _ in reports if not body["reporter_name"])
    assert 0.03 * N < anonymous < 0.2 * N
    with_number = [body for body, _ in reports if body["reporter_phone"] and body["reporter_phone"]
                   in body["description"]]
    assert len(with_number) > 0.05 * N  # free text carries numbers too
    masked = mask_value(with_number[0], Role.leader)
    assert with_number[0]["reporter_phone"] not in masked["description"]
    assert masked["reporter_phone"] == with_number[0]["reporter_phone"][:3] + "****" + with_number[0][
        "reporter_phone"][-4:]


def test_some_problems_are_reported_twice_from_another_channel(reports: list[tuple[dict[str, Any], Any]]) -> None:
    pairs = [(a, b) for a, b in reports if b is not None]
    assert 0.03 * N < len(pairs) < 0.08 * N
    for a, b in pairs:
        assert (a["grid_id"], a["category"], a["title"]) == (b["grid_id"], b["category"], b["title"])
        assert a["channel"] != b["channel"] and a["external_ref"] != b["external_ref"]


def test_arrivals_follow_the_day_night_curve_and_the_average_rate(scenario: Scenario) -> None:
    days, rate = 60, 10.0
    times = []
    for t in scenario.arrivals("case", rate, MONDAY):
        if t >= MONDAY + days * 86400:
            break
        times.append(t)
    assert abs(len(times) / (days * 24) - rate) < 0.05 * rate
    by_hour = Counter(datetime.fromtimestamp(t, CST).hour for t in times)
    night, morning = sum(by_hour[h] for h in (2, 3, 4)), sum(by_hour[h] for h in (9, 10, 11))
    assert morning > 8 * night
    for stream, curve in CURVES.items():
        assert abs(sum(curve) / 24 - 1) < 1e-9, stream
    assert curve_at(CURVES["whistle"], MONDAY + 3 * 3600) == 0  # villages do not blow the whistle at 3 a.m.


def _plans(scenario: Scenario, reports: list[tuple[dict[str, Any], Any]]) -> list[Any]:
    plans = []
    for n, (body, _) in enumerate(reports, start=1):
        plans.append(scenario.plan_for_case({**body, "id": n, "duplicate_of": n - 1 if n % 20 == 0 else None}))
    return plans


def test_every_case_path_is_reachable(scenario: Scenario, reports: list[tuple[dict[str, Any], Any]]) -> None:
    plans = _plans(scenario, reports)
    departments = set(scenario.county.departments.values())
    assert any(p.reject_reason == tx.DUPLICATE_REASON for p in plans)
    assert any(p.reject_reason and p.reject_reason != tx.DUPLICATE_REASON for p in plans)
    returned = [p for p in plans if p.return_reason and not p.reject_reason]
    assert {p.arbitration for p in returned} == {"uphold", "redispatch"}
    assert all(p.redispatch_lead in departments and p.redispatch_lead != p.lead for p in returned)
    assert any(p.sign_frac > 1.5 for p in plans) and any(p.sign_frac < 1 for p in plans)
    assert {p.extension_approved for p in plans if p.extension_days} == {True, False}
    assert {p.reworks for p in plans} == {0, 1, 2}
    bands = Counter("escalated" if p.feedback_frac > 2 else "overdue" if p.feedback_frac > 1
                    else "due soon" if p.feedback_frac >= 0.8 else "on time" for p in plans)
    assert set(bands) == {"escalated", "overdue", "due soon", "on time"}
    assert bands["on time"] > 0.6 * N
    assert {p.satisfaction for p in plans} == {0, 1, 2, 3, 4, 5}
    assert {p.resolution_class for p in plans} == {"immediate", "coordinated", "planned"}
    for p in plans:
        assert p.lead in departments and p.lead not in p.co and set(p.co) <= departments


def test_leads_fit_the_problem(scenario: Scenario) -> None:
    case = {"id": 3, "category": "供水排水", "title": "莲塘街道迎宾花园社区小区停水未提前通知"}
    assert scenario.plan_for_case(case).lead == scenario.county.departments["县水务集团"]
    noise = {"id": 4, "category": "噪声扰民", "title": "向塘镇某村广场舞音响声音过大"}
    assert scenario.plan_for_case(noise).lead == scenario.county.departments["县公安局"]
    unknown = {"id": 5, "category": "其他", "title": "群众来电"}
    assert scenario.plan_for_case(unknown).lead in scenario.county.departments.values()


def test_every_whistle_alarm_and_dispute_path_is_reachable(scenario: Scenario) -> None:
    whistles = [scenario.new_whistle(n) for n in range(1, 400)]
    assert all(w["township_id"] and w["proposal"].startswith("请") for w in whistles)
    plans = [scenario.plan_for_whistle({**w, "id": n}) for n, w in enumerate(whistles, start=1)]
    assert {p.approve for p in plans} == {True, False}
    assert any(f > 1 for p in plans for f in p.arrival_fracs) and any(f < 1 for p in plans for f in p.arrival_fracs)
    assert {p.justified for p in plans} == {True, False}
    assert all(p.departments and len(p.arrival_fracs) == len(p.departments) for p in plans)
    named = scenario.plan_for_whistle({"id": 1, "proposal": "请县水利局、县应急管理局到场"})
    assert set(named.departments) == {scenario.county.departments["县水利局"],
                                      scenario.county.departments["县应急管理局"]}

    alarms = [scenario.new_alarm(n, MONDAY + n * 1800) for n in range(1, 400)]
    assert {a["kind"] for a in alarms if a} >= {"crowd", "fire_smoke", "intrusion", "traffic_accident"}
    alarm_plans = [scenario.plan_for_alarm({**a, "id": n}) for n, a in enumerate(alarms, start=1) if a]
    assert {p.to_case for p in alarm_plans} == {True, False}

    disputes = [scenario.new_dispute(n) for n in range(1, 300)]
    assert {d["level"] for d in disputes} == {"village", "township", "county"}
    assert {d["kind"] for d in disputes} == {"people", "administrative", "judicial", "litigation"}
    assert all(len(d["parties"]) == 2 and d["parties"][0]["side"] == "applicant" for d in disputes)
    dispute_plans = [scenario.plan_for_dispute({**d, "id": n}) for n, d in enumerate(disputes, start=1)]
    assert {p.agreed for p in dispute_plans} == {True, False}
    assert {p.honoured for p in dispute_plans} == {True, False}
    assert {p.sessions for p in dispute_plans} == {1, 2, 3}
    mediators = {m["id"]: m for m in scenario.county.mediators}
    fitting = [p for p, d in zip(dispute_plans, disputes, strict=True)
               if d["category"] in mediators[p.mediator_id]["specialties"]]
    assert len(fitting) > 0.8 * len(dispute_plans)  # a mediator with that specialty when the roster has one
