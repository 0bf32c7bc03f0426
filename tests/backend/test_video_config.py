"""The [video] table of config/desktop.toml: defaults, the shipped file, and refused values."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.desktop import VideoConfig, load_desktop
from config.schema import ConfigError


def test_the_shipped_file_has_the_video_defaults() -> None:
    assert load_desktop().video == VideoConfig(max_decoders=16, frozen_after_s=3.0, lost_after_s=10.0,
                                               reconnect_initial_s=0.5, reconnect_max_s=30.0, clips_dir="")


@pytest.mark.parametrize(("table", "message"), [
    ("max_decoders = 0", "video.max_decoders"),
    ("max_decoders = 2.5", "expected an integer"),
    ("frozen_after_s = 5.0\nlost_after_s = 4.0", "video.lost_after_s"),
    ("reconnect_initial_s = 10.0\nreconnect_max_s = 1.0", "reconnect_initial_s"),
    ("clips = 'x'", "unknown key"),
])
def test_bad_video_settings_are_refused_naming_the_key(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "desktop.toml"
    path.write_text(f"[video]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_desktop(path)
