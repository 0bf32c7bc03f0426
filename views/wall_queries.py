"""The heading of the wall's drill-down: which figure, in words."""

from __future__ import annotations

from typing import Any

from app.models.reference import Reference
from views.wall_figures import COUNTER_BY_KEY, tr


def drill_title(figure: str, key: Any, reference: Reference) -> str:
    if figure in COUNTER_BY_KEY:
        return tr("{0} · 案件清单").format(tr(COUNTER_BY_KEY[figure].title))
    names = {
        "channel": lambda: tr("渠道「{0}」今日上报").format(reference.channels.get(key, {}).get("name", key)),
        "category": lambda: tr("类别「{0}」今日上报").format(key),
        "hour": lambda: tr("今日 {0}:00–{0}:59 上报").format(f"{int(key):02d}"),
        "township": lambda: tr("{0} 今日上报").format(reference.township_name(key)),
        "department": lambda: tr("{0} 承办的在办案件").format(reference.department_name(key)),
        "day": lambda: tr("{0} 上报").format(key),
    }
    return names[figure]() if figure in names else figure
