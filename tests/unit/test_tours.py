"""Tours: pages of cameras wrap around; one tour per township; configured tours validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.models.tours import Tour, TourCursor, township_tours
from config.desktop import load_desktop
from config.schema import ConfigError


def test_pages_move_on_and_wrap_around() -> None:
    cursor = TourCursor(Tour("t", (1, 2, 3, 4, 5)))
    assert cursor.next_page(2) == [1, 2]
    assert cursor.next_page(2) == [3, 4]
    assert cursor.next_page(2) == [5, 1]
    assert cursor.next_page(9) == [2, 3, 4, 5, 1]  # never the same camera twice on one page
    assert TourCursor(Tour("empty", ())).next_page(4) == []


def test_one_tour_per_township_in_id_order() -> None:
    cameras = [{"id": 3, "township_id": 2}, {"id": 1, "township_id": 1}, {"id": 2, "township_id": 2}]
    tours = township_tours(cameras, {1: "莲塘街道", 2: "向塘镇"}, 15.0)
    assert [(t.name, t.cameras, t.interval_s) for t in tours] == [("莲塘街道轮巡", (1,), 15.0),
                                                                  ("向塘镇轮巡", (2, 3), 15.0)]


@pytest.mark.parametrize("tour", ['name = ""\ncameras = [1]', 'name = "x"\ncameras = []',
                                  'name = "x"\ncameras = [1]\ninterval_seconds = 1', 'name = "x"\ncameras = ["a"]'])
def test_bad_configured_tours_are_refused(tmp_path: Path, tour: str) -> None:
    path = tmp_path / "desktop.toml"
    path.write_text(f"[video]\n[[video.tours]]\n{tour}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_desktop(path)
    assert "video.tours" in str(err.value)
