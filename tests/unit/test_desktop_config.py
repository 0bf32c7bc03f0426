"""config/desktop.toml: the shipped file loads; every kind of mistake is refused naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.desktop import DEFAULT_DESKTOP_FILE, load_desktop
from config.schema import ConfigError


def test_the_shipped_file_loads() -> None:
    config = load_desktop()
    assert config.client.language == "zh_CN"
    assert set(config.windows) == {"console", "wall", "video", "mediation"}
    assert config.window("console").mode == "maximized"
    assert config.window("absent").screen == 0  # windows not listed take the defaults


@pytest.mark.parametrize(("good", "bad", "named"), [
    ('mode = "maximized"', 'mode = "huge"', "mode"),
    ("screen = 1", "screen = -1", "screen"),
    ("screen = 1", 'screen = "one"', "screen"),
    ('language = "zh_CN"', 'language = "fr"', "language"),
    ('server = "ws://127.0.0.1:8765"', 'server = "http://x"', "server"),
    ("sound = true", "sound = 1", "sound"),
    ("[windows.wall]", "[windows.wal]", "wal"),
    ("sound = true", "sound = true\nsond = false", "sond"),
    ('playlist = ["situation", "assessment"]', 'playlist = ["situation", "map"]', "playlist"),
    ('playlist = ["situation", "assessment"]', "playlist = []", "playlist"),
    ('playlist = ["situation", "assessment"]', 'playlist = "situation"', "playlist"),
    ("rotate_seconds = 60", "rotate_seconds = 2", "rotate_seconds"),
    ('tile_url = ""', 'tile_url = "https://tile.openstreetmap.org"', "tile_url"),
    ('[windows.wall]            # 领导大屏\nscreen = 1', '[windows.wall]\nscreen = 1\nscreens = [1, "2"]', "screens"),
    ('[windows.wall]            # 领导大屏\nscreen = 1', '[windows.wall]\nscreen = 1\nspread = "both"', "spread"),
])
def test_mistakes_are_refused_with_file_and_key(tmp_path: Path, good: str, bad: str, named: str) -> None:
    text = DEFAULT_DESKTOP_FILE.read_text(encoding="utf-8")
    assert good in text
    path = tmp_path / "desktop.toml"
    path.write_text(text.replace(good, bad, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_desktop(path)
    assert str(path) in str(err.value) and named in str(err.value)


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "desktop.toml"
    bad.write_text("[client\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_desktop(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_desktop(tmp_path / "absent.toml")
