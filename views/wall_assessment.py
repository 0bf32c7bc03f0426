"""考核 — the wall's second page: who does well and who does not, over the last 30 days.

    ┌ township ranking (today's intake, open, overdue) ┬ department ranking by on-time rate ┐
    ├ 30-day trend: reported / closed ─────────────────┼ whistle arrival rate (吹哨报到)     ┤
    └──────────────────────────────────────────────────┴────────────────────────────────────┘
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from app.models.reference import Reference
from views.wall_figures import tr
from views.wall_page import WallPage
from widgets.ranking_list import RankingList, RankRow
from widgets.wall_charts import TrendChart
from widgets.wall_gauge import RateGauge
from widgets.wall_panel import WallPanel


class AssessmentPage(WallPage):
    figure_clicked = Signal(str, object)
    """("township", id) · ("department", id) · ("day", "YYYY-MM-DD") · ("arrivals", None)."""

    def __init__(self, reference: Reference, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reference = reference
        self.townships = RankingList()
        self.departments = RankingList()
        self.trend = TrendChart()
        self.arrival = RateGauge()
        self.panels = {
            "townships": WallPanel(tr("镇街排名（今日受理 · 在办 · 超期）"), self.townships),
            "departments": WallPanel(tr("部门按期办结率排名（近30天）"), self.departments),
            "trend": WallPanel(tr("近30天受理与办结"), self.trend),
            "arrival": WallPanel(tr("吹哨报到按时率（近30天）"), self.arrival),
        }
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.panels["townships"], 0, 0)
        grid.addWidget(self.panels["departments"], 0, 1)
        grid.addWidget(self.panels["trend"], 1, 0)
        grid.addWidget(self.panels["arrival"], 1, 1)
        grid.setColumnStretch(0, 55)
        grid.setColumnStretch(1, 45)
        grid.setRowStretch(0, 58)
        grid.setRowStretch(1, 42)
        self.townships.row_clicked.connect(lambda i: self.figure_clicked.emit("township", i))
        self.departments.row_clicked.connect(lambda i: self.figure_clicked.emit("department", i))
        self.trend.day_clicked.connect(lambda day: self.figure_clicked.emit("day", day))
        self.arrival.clicked.connect(lambda: self.figure_clicked.emit("arrivals", None))

    def show_stats(self, stats: dict[str, Any]) -> None:
        self.townships.set_rows(township_rows(stats.get("townships", []), self.reference))
        self.departments.set_rows(department_rows(stats.get("departments", []), self.reference))
        daily = stats.get("daily", [])
        self.trend.set_data([d["day"] for d in daily], [d["reported"] for d in daily],
                            [d["closed"] for d in daily])
        arrival = stats.get("whistle_arrival", {})
        self.arrival.set_rate(arrival.get("rate"), tr("应报到 {0} · 按时 {1} · 迟到 {2}").format(
            arrival.get("calls_due", 0), arrival.get("arrived_on_time", 0), arrival.get("arrived_late", 0)))



def township_rows(rows: list[dict[str, Any]], reference: Reference) -> list[RankRow]:
    """Most reported today first; the bar is today's intake against the busiest; its colour the overdue share."""
    ordered = sorted(rows, key=lambda r: (-r.get("reported_today", 0), r.get("overdue", 0), r["township_id"]))
    top = max((r.get("reported_today", 0) for r in ordered), default=0) or 1
    return [RankRow(r["township_id"], reference.township_name(r["township_id"]) or str(r["township_id"]),
                    r.get("reported_today", 0) / top,
                    tr("{0} · 在办 {1} · 超期 {2}").format(r.get("reported_today", 0), r.get("open", 0),
                                                      r.get("overdue", 0)),
                    _overdue_tone(r.get("overdue", 0), r.get("open", 0))) for r in ordered]


def _overdue_tone(overdue: int, open_cases: int) -> str:
    """Red when a tenth or more of a township's open cases are overdue, amber from a twentieth."""
    share = overdue / open_cases if open_cases else 0.0
    return "bad" if share >= 0.10 else "warn" if share >= 0.05 else "normal"


def department_rows(rows: list[dict[str, Any]], reference: Reference) -> list[RankRow]:
    """As the server ranks them (on-time rate, then closures); departments with no closures at the end."""
    out = []
    for r in rows:
        rate = r.get("on_time_rate_window")
        tone = "normal" if rate is None else "good" if rate >= 0.9 else "warn" if rate >= 0.75 else "bad"
        value = (tr("{0:.1f}% · 办结 {1}").format(rate * 100, r.get("closed_window", 0)) if rate is not None
                 else tr("暂无办结 · 在办 {0}").format(r.get("open", 0)))
        out.append(RankRow(r["department_id"], reference.department_name(r["department_id"]), rate, value, tone))
    return out
