"""The intake queue of the dispatch console: every reported case from every channel, and below it the registered
cases waiting for dispatch. Rows are drag sources for the department board (MIME `application/x-ccc-case`, the case
id as ASCII digits).

Both lists are `CaseFilter` proxies over the window's one `CaseModel`: they follow events row by row. The model moves
rows when a case leaves (the last row fills the hole), so the panel remembers the chosen case by id, never by row,
and puts the highlight back on it after each batch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.context import WindowContext
from app.models.cases import COLUMN, ID_ROLE, CaseFilter, CaseModel
from app.models.reference import CHANNEL_ICONS
from widgets.drag_table import DragTableView
from widgets.tint import tint

CASE_MIME = "application/x-ccc-case"
BODY_PX = 15
HEADING_PX = 18
COLUMN_WIDTHS = {"channel": (9, 5), "category": (5, 4), "place": (12, 7), "age": (5, 4), "priority": (3.5, 3)}
"""(preferred, minimum) column widths in characters of the body font; the title column takes the rest."""


def cases_of(cases: CaseModel, ids: Any) -> list[int]:
    """The ids a `cases_changed` names; every open case when there are none (e.g. at start)."""
    return list(ids) if ids is not None else [row.case["id"] for row in cases.rows()]


class CaseListFilter(CaseFilter):
    """A `CaseFilter` whose headers come through Qt's translation. All rows of a list share one state, so the state
    column shows the fact that matters in it (`CaseModel`: a reported case's possible duplicate with the linked
    case's code, a returned case's reason); the header here names it.

    No Python `data()` here: Qt asks a proxy for 7 roles of every painted cell, one call each, and an override put
    a Python call in front of each of them (a quarter of the console's busy UI thread, bench/console_stall.py).
    Texts, colours and tooltips are the source model's; tests/qt/test_case_lists_paint.py keeps it so."""

    def __init__(self, context: WindowContext, states: set[str], parent: Any = None) -> None:
        super().__init__(context.cases, states, parent=parent)
        self.context = context
        self.headers = {
            "channel": self.tr("渠道"), "code": self.tr("编号"), "title": self.tr("标题"), "category": self.tr("类别"),
            "place": self.tr("乡镇 / 网格"), "age": self.tr("已上报"), "priority": self.tr("优先级"),
            "state": self.tr("疑似重复"), "lead": self.tr("责任部门"), "due": self.tr("时限"),
        }
        self.keys = list(COLUMN)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers.get(self.keys[section], "")
        return super().headerData(section, orientation, role)


class IntakePanel(QWidget):
    """Reported cases (the queue) over registered ones (ready to dispatch); filter by channel, search, sort.

    Signals: `case_selected(id)` when the user opens a row (mouse click, Enter, double click); `case_highlighted(id)`
    when the arrow keys move the highlight (the console may preview it)."""

    case_selected = Signal(int)
    case_highlighted = Signal(int)

    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._chosen_id: int | None = None
        self._duplicates: set[int] = set()
        font = self.font()
        font.setPixelSize(max(BODY_PX, font.pixelSize()))
        self.setFont(font)

        self.intake = CaseListFilter(context, {"reported"}, self)
        self.registered = CaseListFilter(context, {"registered"}, self)
        self.intake_view = self._make_view(self.intake, hidden=("lead", "due"))
        self.registered_view = self._make_view(self.registered, hidden=("state", "lead", "due"))

        self.channel_filter = QComboBox()
        self.channel_filter.setMinimumContentsLength(10)
        self.channel_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.channel_filter.currentIndexChanged.connect(self._on_channel_chosen)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索 编号、标题、类别、地点、描述…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self.intake_view.setFocus)

        self.intake_title = QLabel()
        self.registered_title = QLabel()
        for label in (self.intake_title, self.registered_title):
            heading = label.font()
            heading.setPixelSize(HEADING_PX)
            heading.setBold(True)
            label.setFont(heading)

        bar = QHBoxLayout()
        bar.addWidget(self.intake_title)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("渠道")))
        bar.addWidget(self.channel_filter)
        bar.addWidget(self.search, 1)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.intake_view, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 6, 0, 0)
        hint = QLabel(self.tr("拖到右侧部门上即可派遣"))
        tint(hint, "#616161")
        head = QHBoxLayout()
        head.addWidget(self.registered_title)
        head.addStretch(1)
        head.addWidget(hint)
        bottom_layout.addLayout(head)
        bottom_layout.addWidget(self.registered_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

        for proxy in (self.intake, self.registered):
            for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.modelReset, proxy.layoutChanged):
                signal.connect(self._update_titles)
        context.cases.cases_changed.connect(self._after_batch)
        context.cases.modelReset.connect(self._after_reset)
        context.session.snapshot_loaded.connect(self._fill_channels)
        self._fill_channels()
        self._update_titles()
        self._update_duplicate_column()

    # -- building -----------------------------------------------------------------------------------------
    def _make_view(self, proxy: CaseListFilter, hidden: tuple[str, ...]) -> DragTableView:
        view = DragTableView(CASE_MIME, ID_ROLE, drag_label=self._drag_label)
        view.setFont(self.font())
        view.setModel(proxy)
        view.fit_row_height()
        for key in hidden:
            view.setColumnHidden(COLUMN[key], True)
        view.set_column_elide(COLUMN["state"], Qt.TextElideMode.ElideLeft)
        view.set_column_plan(self._column_plan(view), [COLUMN["title"]])
        view.sortByColumn(COLUMN["priority"], Qt.SortOrder.AscendingOrder)  # urgent first; ties keep arrival order
        view.clicked.connect(lambda index: self._open(view, index))
        view.row_opened.connect(lambda index: self._open(view, index))
        view.current_moved.connect(lambda index: self._highlight(view, index))
        return view

    @staticmethod
    def _column_plan(view: DragTableView) -> dict[int, tuple[int, int]]:
        """(preferred, minimum) width per column: codes always in full; channel, category and place give way first."""
        metrics = view.fontMetrics()
        char = metrics.horizontalAdvance("中")
        plan = {COLUMN[key]: (round(chars * char) + 16, round(least * char) + 16)
                for key, (chars, least) in COLUMN_WIDTHS.items()}
        code = metrics.horizontalAdvance("NC-20261128-000000") + 24
        plan[COLUMN["code"]] = (code, code)
        plan[COLUMN["state"]] = (metrics.horizontalAdvance("→ NC-20261128-000000") + 24,
                                 metrics.horizontalAdvance("…8-000000") + 24)  # elided on the left: the serial stays
        return plan

    def _drag_label(self, index: QModelIndex) -> str:
        code = index.siblingAtColumn(COLUMN["code"]).data()
        title = index.siblingAtColumn(COLUMN["title"]).data()
        return f"{code}  {title}"

    def _fill_channels(self, _snapshot: Any = None) -> None:
        chosen = self.channel_filter.currentData()
        self.channel_filter.blockSignals(True)
        self.channel_filter.clear()
        self.channel_filter.addItem(self.tr("全部渠道"), "")
        codes = sorted(self.context.reference.channels) or list(CHANNEL_ICONS)  # before the snapshot: the known ones
        for code in codes:
            self.channel_filter.addItem(self.context.reference.channel_label(code), code)
        at = self.channel_filter.findData(chosen)
        self.channel_filter.setCurrentIndex(max(at, 0))
        self.channel_filter.blockSignals(False)

    # -- user -----------------------------------------------------------------------------------------------
    def _on_channel_chosen(self, _row: int) -> None:
        channel = self.channel_filter.currentData() or ""
        for proxy in (self.intake, self.registered):
            proxy.set_channel(channel)
        self._update_titles()
        self._restore_highlight()

    def _on_search(self, text: str) -> None:
        for proxy in (self.intake, self.registered):
            proxy.set_text(text)
        self._update_titles()
        self._restore_highlight()

    def _case_id_at(self, view: DragTableView, index: QModelIndex) -> int | None:
        value = index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def _open(self, view: DragTableView, index: QModelIndex) -> None:
        case_id = self._case_id_at(view, index)
        if case_id is not None:
            self._chosen_id = case_id
            self._clear_other_selection(view)
            self.case_selected.emit(case_id)

    def _highlight(self, view: DragTableView, index: QModelIndex) -> None:
        case_id = self._case_id_at(view, index)
        if case_id is not None:
            self._chosen_id = case_id
            self._clear_other_selection(view)
            self.case_highlighted.emit(case_id)

    def _clear_other_selection(self, view: DragTableView) -> None:
        other = self.registered_view if view is self.intake_view else self.intake_view
        other.selectionModel().clearSelection()

    # -- following the model ----------------------------------------------------------------------------------
    def _after_batch(self, ids: Any) -> None:
        self._update_titles()
        self._update_duplicate_column(ids)
        self._restore_highlight()

    def _after_reset(self) -> None:
        self._duplicates.clear()  # a snapshot replaced everything: cases that vanished are not named later
        self._update_duplicate_column()

    def _update_duplicate_column(self, ids: Any = None) -> None:
        """The duplicate column takes room only while some reported case is a possible duplicate (kept per changed
        case, not by scanning every open case on each batch)."""
        cases = self.context.cases
        for case_id in cases_of(cases, ids):
            case = cases.case(case_id)
            if case is not None and case["state"] == "reported" and case.get("duplicate_of"):
                self._duplicates.add(case_id)
            else:
                self._duplicates.discard(case_id)
        hidden = not self._duplicates
        if self.intake_view.isColumnHidden(COLUMN["state"]) != hidden:
            self.intake_view.setColumnHidden(COLUMN["state"], hidden)
            self.intake_view.apply_column_plan()

    def _restore_highlight(self) -> None:
        """Puts the highlight back on the chosen case after rows moved; clears it if the case left both lists."""
        if self._chosen_id is None:
            return
        for view in (self.intake_view, self.registered_view):
            row = self.row_of(view, self._chosen_id)
            selection = view.selectionModel()
            if row is None:
                if selection.hasSelection():
                    selection.clearSelection()
                continue
            index = view.model().index(row, COLUMN["code"])
            if view.currentIndex().row() != row or not selection.isRowSelected(row, QModelIndex()):
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)

    def _update_titles(self, *_args: Any) -> None:
        self.intake_title.setText(self.tr("待受理  {n} 件").format(n=self.intake.rowCount()))
        self.registered_title.setText(self.tr("已立案 · 待派遣  {n} 件").format(n=self.registered.rowCount()))

    # -- reading (the console and tests) ------------------------------------------------------------------------
    def row_of(self, view: DragTableView, case_id: int) -> int | None:
        """The row of a case in one of the two lists, or None."""
        proxy: QSortFilterProxyModel = view.model()  # type: ignore[assignment]
        index = proxy.mapFromSource(self.context.cases.index_of(case_id))
        return index.row() if index.isValid() else None

    def intake_ids(self) -> list[int]:
        """The reported cases in the order shown."""
        return [self.intake.index(r, 0).data(ID_ROLE) for r in range(self.intake.rowCount())]

    def registered_ids(self) -> list[int]:
        return [self.registered.index(r, 0).data(ID_ROLE) for r in range(self.registered.rowCount())]

    def chosen_case_id(self) -> int | None:
        return self._chosen_id

    def focus_queue(self) -> None:
        """Keyboard focus on the intake list, on its first row if none is current."""
        self.intake_view.setFocus()
        if not self.intake_view.currentIndex().isValid() and self.intake.rowCount():
            self.intake_view.setCurrentIndex(self.intake.index(0, COLUMN["code"]))
