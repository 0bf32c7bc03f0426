"""The tour bar of the video wall (轮巡): pick a tour, start and stop it; while it runs, each step puts the next
page of its cameras on the tiles (leaving the featured tile to an alarm that is showing there)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.models.tours import Tour, TourCursor


class TourBar(QWidget):
    def __init__(self, show_page: Callable[[list[int]], None], pages_wanted: Callable[[], int],
                 parent: QWidget | None = None) -> None:
        """`show_page(cameras)` puts the cameras on the tiles; `pages_wanted()` says how many one step shows (the
        window knows which tiles a tour may take)."""
        super().__init__(parent)
        self.show_page, self.pages_wanted = show_page, pages_wanted
        self.tours: list[Tour] = []
        self.cursor: TourCursor | None = None
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(10)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # Chinese names are wide
        self.button = QPushButton(self.tr("开始轮巡"))
        self.button.setCheckable(True)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.step)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("轮巡")))
        row.addWidget(self.choice)
        row.addWidget(self.button)
        self.button.toggled.connect(self._toggled)

    def set_tours(self, tours: list[Tour]) -> None:
        running = self.cursor.tour.name if self.cursor else None
        self.tours = tours
        self.choice.clear()
        self.choice.addItems([f"{t.name} ({len(t.cameras)})" for t in tours])
        if running is not None:
            self.choice.setCurrentIndex(next((i for i, t in enumerate(tours) if t.name == running), 0))

    def start(self, index: int | None = None) -> None:
        if index is not None:
            self.choice.setCurrentIndex(index)
        self.button.setChecked(True)

    def stop(self) -> None:
        self.button.setChecked(False)

    def running(self) -> bool:
        return self.cursor is not None

    def _toggled(self, on: bool) -> None:
        self.timer.stop()
        self.cursor = None
        self.button.setText(self.tr("停止轮巡") if on else self.tr("开始轮巡"))
        if on and 0 <= self.choice.currentIndex() < len(self.tours):
            tour = self.tours[self.choice.currentIndex()]
            self.cursor = TourCursor(tour)
            self.timer.start(int(tour.interval_s * 1000))
            self.step()

    def step(self) -> None:
        if self.cursor is not None:
            self.show_page(self.cursor.next_page(self.pages_wanted()))
