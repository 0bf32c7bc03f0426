"""Window placement decisions: screens that are missing, windows that share a screen, disabled windows."""

from __future__ import annotations

from dataclasses import replace

from app.windows import plan_placements
from config.desktop import load_desktop

ALL = ["console", "wall", "video", "mediation"]


def test_three_screens_each_window_where_configured() -> None:
    plan = {p.name: p for p in plan_placements(load_desktop(), ALL, 3)}
    assert (plan["wall"].screen, plan["wall"].mode) == (1, "kiosk")
    assert (plan["video"].screen, plan["video"].mode) == (2, "kiosk")
    assert plan["console"].screen == 0 and plan["mediation"].screen == 0
    assert plan["console"].mode == "normal" and plan["console"].shared_by == 2  # console and mediation share screen 0


def test_one_screen_everything_opens_side_by_side_as_normal_windows() -> None:
    plan = plan_placements(load_desktop(), ALL, 1)
    assert {p.screen for p in plan} == {0}
    assert {p.mode for p in plan} == {"normal"}
    assert sorted(p.slot for p in plan) == [0, 1, 2, 3] and {p.shared_by for p in plan} == {4}


def test_a_window_alone_keeps_its_mode_and_disabled_windows_are_left_out() -> None:
    config = load_desktop()
    windows = dict(config.windows)
    windows["mediation"] = replace(windows["mediation"], enabled=False)
    plan = plan_placements(replace(config, windows=windows), ["console", "mediation"], 2)
    assert [(p.name, p.mode) for p in plan] == [("console", "maximized")]


def _wall_on(screens: list[int], spread: str) -> list:
    config = load_desktop()
    windows = dict(config.windows)
    windows["wall"] = replace(windows["wall"], screens=screens, spread=spread)
    return plan_placements(replace(config, windows=windows), ["wall"], 4)


def test_a_splicing_wall_spans_its_screens_in_one_window() -> None:
    (wall,) = _wall_on([1, 2, 3], "span")
    assert (wall.screen, wall.span, wall.mode) == (1, (1, 2, 3), "kiosk")


def test_one_wall_window_per_screen_each_its_own_copy() -> None:
    plan = _wall_on([1, 2, 3, 7], "each")  # screen 7 is not there: left out
    assert [(p.screen, p.copy, p.span) for p in plan] == [(1, 0, ()), (2, 1, ()), (3, 2, ())]


def test_a_span_over_a_shared_screen_falls_back_to_a_normal_window() -> None:
    config = load_desktop()
    windows = dict(config.windows)
    windows["wall"] = replace(windows["wall"], screens=[0, 1], spread="span")
    plan = {p.name: p for p in plan_placements(replace(config, windows=windows), ["console", "wall"], 2)}
    assert plan["wall"].span == () and plan["wall"].mode == "normal"


def test_a_span_covers_the_screens_it_joins() -> None:
    from PySide6.QtCore import QRect

    from app.windows import span_rect

    heads = [QRect(1920 * i, 0, 1920, 1080) for i in range(4)]  # a 4×1 splicing wall shown as four monitors
    assert span_rect(heads[1:]).getRect() == (1920, 0, 5760, 1080)
    assert span_rect([QRect(0, 0, 3840, 2160), QRect(3840, 0, 3840, 2160)]).getRect() == (0, 0, 7680, 2160)
