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
