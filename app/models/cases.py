"""The open cases as a Qt table model (cells held in C++), kept current from events one row at a time (never rebuilt
on an event).

Every case event carries the whole case after the change (docs/PROTOCOL.md §8), so applying an event is: find the
row by id, replace it (dataChanged), insert it (a new case) or remove it (the case left the open states). Rows are
kept in arrival order; sorting and filtering are proxies' work (`CaseFilter`), so a change never moves rows here.
Removal swaps the last row into the hole: O(1) instead of renumbering thousands of rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from app.models.reference import (
    OPEN_CASE_STATES,
    PRIORITY_LABELS,
    STATE_LABELS,
    Reference,
)
from app.servertime import parse_time
from services.client import Event

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The case dict of a row, in list models that answer it (views/deadline_lists.py); `CaseModel` keeps cells in C++
and answers `case(id)` instead."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3
"""The case id: on column 0 of `CaseModel` (rows are read by `index.siblingAtColumn(0)`)."""

COLUMNS: list[tuple[str, str]] = [
    ("channel", QT_TRANSLATE_NOOP("CaseModel", "渠道")), ("code", QT_TRANSLATE_NOOP("CaseModel", "编号")),
    ("title", QT_TRANSLATE_NOOP("CaseModel", "标题")), ("category", QT_TRANSLATE_NOOP("CaseModel", "类别")),
    ("place", QT_TRANSLATE_NOOP("CaseModel", "乡镇 / 网格")), ("age", QT_TRANSLATE_NOOP("CaseModel", "已上报")),
    ("priority", QT_TRANSLATE_NOOP("CaseModel", "优先级")), ("state", QT_TRANSLATE_NOOP("CaseModel", "状态")),
    ("lead", QT_TRANSLATE_NOOP("CaseModel", "责任部门")), ("due", QT_TRANSLATE_NOOP("CaseModel", "时限")),
]
COLUMN = {key: i for i, (key, _) in enumerate(COLUMNS)}
URGENT_PRIORITY = 2
"""Priority 1 (特急) and 2 (紧急) are urgent: announced on arrival and shown in red."""

DISPLAY = Qt.ItemDataRole.DisplayRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
TIMED_COLUMNS = (COLUMN["age"], COLUMN["due"])
RETIME_CHUNK = 200
"""Rows whose timed cells `refresh_times` rewrites per turn of the event loop (~4 ms)."""
ROW_FLAGS = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
             | Qt.ItemFlag.ItemIsDragEnabled)
COLORS = {"urgent": "#c62828", "due_soon": "#ef6c00", "overdue": "#c62828", "escalated": "#8e0000",
          "duplicate": "#ef6c00", "returned": "#8a3c00"}


@dataclass
class Cell:
    text: str
    tooltip: str | None
    color: QBrush | None
    sort: Any


@dataclass
class CaseRow:
    case: dict[str, Any]
    reported: float
    due: float | None
    due_soon: float | None
    escalate: float | None
    sign_due: float | None
    cells: list[Cell] = field(default_factory=list)
    """What each column shows, as written into the model's items."""
    next_change: float = 0.0
    """When the age or deadline text or colour next moves on (`next_change`)."""

    @classmethod
    def of(cls, case: dict[str, Any]) -> CaseRow:
        return cls(case, parse_time(case["reported_at"]) or 0.0, parse_time(case.get("due_at")),
                   parse_time(case.get("due_soon_at")), parse_time(case.get("escalate_at")),
                   parse_time(case.get("sign_due_at")))

    def urgency(self, now: float) -> str:
        """on_track / due_soon / overdue / escalated, on the server's clock (the server's own rule)."""
        if self.escalate is not None and now >= self.escalate:
            return "escalated"
        if self.due is not None and now >= self.due:
            return "overdue"
        if self.due_soon is not None and now >= self.due_soon:
            return "due_soon"
        return "on_track"


def format_span(seconds: float) -> str:
    """A duration the way a duty officer reads it: 3天4小时, 2小时15分, 12分."""
    seconds = abs(seconds)
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _tr("{0}天{1}小时").format(days, hours)
    if hours:
        return _tr("{0}小时{1}分").format(hours, minutes)
    return _tr("{0}分").format(minutes)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseModel", text)


def due_text(row: CaseRow, now: float) -> str:
    case = row.case
    if case["state"] == "dispatched" and row.sign_due is not None:
        left = row.sign_due - now
        return (_tr("签收剩{0}") if left >= 0 else _tr("签收超{0}")).format(format_span(left))
    if row.due is None:
        return ""
    left = row.due - now
    return (_tr("剩{0}") if left >= 0 else _tr("超期{0}")).format(format_span(left))


def next_change(row: CaseRow, now: float) -> float:
    """When a row's timed cells next change after `now`: its age or countdown passing a whole minute (both are shown
    to the minute, or coarser), or a deadline passing (colour, 剩 → 超期)."""
    deadline = row.sign_due if row.case["state"] == "dispatched" and row.sign_due is not None else row.due
    times = [now + ((t - now) % 60 or 60) for t in (row.reported, deadline) if t is not None]
    times += [t for t in (row.due_soon, row.due, row.escalate, row.sign_due) if t is not None and t > now]
    return min(times)


class CaseModel(QStandardItemModel):
    """All open cases. `cases_changed(ids)` after each applied batch names the cases that changed or left.

    Each cell is a QStandardItem holding its text, tooltip, colour and sort key, written when the case changes, so
    views and proxies read cells in C++. With a Python `data()` every role of every painted cell (7 per cell) was
    three calls into Python through a proxy (rowCount and columnCount for the index, then data): a repaint of 330
    cells of the intake list took 12 ms instead of 5 (docs/BENCHMARKS.md, console). The price: ~50 MB for 5,000
    cases and ~0.25 s more to load a snapshot. Ages and countdowns are rewritten by `refresh_times`, only in the rows
    whose text has moved on."""

    cases_changed = Signal(object)
    case_arrived = Signal(object)
    """A new case (dict) reported after the snapshot: for announcements."""
    clock_ticked = Signal()
    """Time moved on (every few seconds): views showing ages or countdowns repaint their visible cells."""

    def __init__(self, reference: Reference, now: Callable[[], float], parent: Any = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.reference = reference
        self.now = now
        self._rows: list[CaseRow] = []
        self._index: dict[int, int] = {}
        self._counts: Counter[str] = Counter()
        self._brushes: dict[str, QBrush] = {}
        self._prototype = QStandardItem()
        self._prototype.setFlags(ROW_FLAGS)
        self._retime_at: int | None = None
        self._retimer = QTimer(self)  # the next chunk of `refresh_times`; dies with the model
        self._retimer.setSingleShot(True)
        self._retimer.setInterval(0)
        self._retimer.timeout.connect(self._retime)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section][1])
        return None

    # -- what a row shows -------------------------------------------------------------------------
    def _cells(self, row: CaseRow, now: float) -> list[Cell]:
        """Every column's text, tooltip, colour and sort key; the timed ones as of `now`."""
        cells = [self._cell(row, key, now) for key, _ in COLUMNS]
        case = row.case
        cells[COLUMN["title"]].tooltip = "\n".join(t for t in (case.get("title"), case.get("description")) if t) or None
        if case["state"] == "reported" and case.get("duplicate_of"):
            linked = self.case(case["duplicate_of"])
            cells[COLUMN["state"]].tooltip = _tr("可能与 {code} {title} 重复（同一网格、同一类别，48小时内）").format(
                code=linked["code"] if linked else f"#{case['duplicate_of']}", title=linked["title"] if linked else "")
        row.next_change = next_change(row, now)
        return cells

    def _cell(self, row: CaseRow, key: str, now: float) -> Cell:
        text = self._display(row, key, now)
        return Cell(text, text or None, self._color(row, key, now), self._sort_key(row, key, text))

    def _timed_cells(self, row: CaseRow, now: float) -> tuple[Cell, ...]:
        return tuple(self._cell(row, COLUMNS[column][0], now) for column in TIMED_COLUMNS)

    def _display(self, row: CaseRow, key: str, now: float) -> str:
        case, ref = row.case, self.reference
        if key == "channel":
            return ref.channel_label(case["channel"])
        if key == "place":
            return ref.place(case.get("township_id"), case.get("grid_id"))
        if key == "age":
            return format_span(now - row.reported)
        if key == "priority":
            return PRIORITY_LABELS.get(case.get("priority", 3), str(case.get("priority")))
        if key == "state":
            return self._state_fact(case)
        if key == "lead":
            return ref.department_name(case.get("lead_department_id"))
        if key == "due":
            return due_text(row, now)
        return str(case.get(key, ""))

    def _state_fact(self, case: dict[str, Any]) -> str:
        """The state column shows the one fact that matters in the case's state (each list shows one state, its
        header names the fact): a reported case its possible duplicate, a returned one the department's reason,
        others their state."""
        state = case["state"]
        if state == "reported":
            other = case.get("duplicate_of")
            if not other:
                return ""
            linked = self.case(other)
            return f"→ {linked['code'] if linked else f'#{other}'}"
        if state == "returned":
            return case.get("note") or ""
        return STATE_LABELS.get(state, state)

    @staticmethod
    def _sort_key(row: CaseRow, key: str, text: str) -> Any:
        case = row.case
        if key == "age":
            return -row.reported
        if key == "priority":
            return case.get("priority", 3)
        if key == "due":
            deadline = row.sign_due if case["state"] == "dispatched" else row.due
            return deadline if deadline is not None else float("inf")
        return text

    def _color(self, row: CaseRow, key: str, now: float) -> QBrush | None:
        case = row.case
        if key == "priority":
            return self._brush("urgent") if case.get("priority", 3) <= URGENT_PRIORITY else None
        if key == "state":
            if case["state"] == "returned":
                return self._brush("returned")
            return self._brush("duplicate") if case["state"] == "reported" and case.get("duplicate_of") else None
        if key != "due":
            return None
        urgency = row.urgency(now)
        if case["state"] == "dispatched" and row.sign_due is not None and now > row.sign_due:
            urgency = "overdue"
        return self._brush(urgency) if urgency in COLORS else None

    def _brush(self, tone: str) -> QBrush:
        brush = self._brushes.get(tone)
        if brush is None:
            brush = self._brushes[tone] = QBrush(QColor(COLORS[tone]))
        return brush

    # -- the items --------------------------------------------------------------------------------
    def _new_items(self, row: CaseRow, now: float) -> list[QStandardItem]:
        row.cells = self._cells(row, now)
        items = []
        for cell in row.cells:
            item = self._prototype.clone()  # its flags: cheaper than setting them on each item
            item.setText(cell.text)
            item.setData(cell.sort, SORT_ROLE)
            if cell.tooltip:
                item.setToolTip(cell.tooltip)
            if cell.color is not None:
                item.setForeground(cell.color)
            items.append(item)
        items[0].setData(row.case["id"], ID_ROLE)
        return items

    def _write(self, at: int, row: CaseRow, columns: Iterable[int] = range(len(COLUMNS))) -> None:
        """Writes `row.cells` into the items of row `at` without a signal per item (the caller says what changed)."""
        blocked = self.blockSignals(True)
        try:
            for column in columns:
                cell, item = row.cells[column], self.item(at, column)
                item.setData(cell.text, DISPLAY)
                item.setData(cell.tooltip, TOOLTIP)
                item.setData(cell.color, FOREGROUND)
                item.setData(cell.sort, SORT_ROLE)
            self.item(at, 0).setData(row.case["id"], ID_ROLE)
        finally:
            self.blockSignals(blocked)

    def _changed(self, at: int) -> None:
        self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))

    # -- reading ----------------------------------------------------------------------------------
    def case(self, case_id: int) -> dict[str, Any] | None:
        row = self._index.get(case_id)
        return None if row is None else self._rows[row].case

    def row_of(self, case_id: int) -> CaseRow | None:
        row = self._index.get(case_id)
        return None if row is None else self._rows[row]

    def index_of(self, case_id: int, column: str = "code") -> QModelIndex:
        row = self._index.get(case_id)
        return QModelIndex() if row is None else self.index(row, COLUMN[column])

    def count(self, state: str) -> int:
        """How many open cases are in `state` (kept as events arrive, never by walking the rows)."""
        return self._counts[state]

    def rows(self) -> Iterable[CaseRow]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    # -- writing ----------------------------------------------------------------------------------
    def load(self, cases: list[dict[str, Any]]) -> None:
        """Replaces everything (the snapshot at start and after a resync)."""
        now = self.now()
        self.beginResetModel()
        blocked = self.blockSignals(True)  # one reset, not a signal per row
        try:
            self.setRowCount(0)
            self._rows = [CaseRow.of(c) for c in cases if c["state"] in OPEN_CASE_STATES]
            self._index = {r.case["id"]: i for i, r in enumerate(self._rows)}  # before the cells: duplicates' links
            self._counts = Counter(r.case["state"] for r in self._rows)
            for row in self._rows:
                self.appendRow(self._new_items(row, now))
        finally:
            self.blockSignals(blocked)
        self.endResetModel()
        self.cases_changed.emit({r.case["id"] for r in self._rows})

    def apply(self, events: list[Event]) -> None:
        """Applies a batch of events in seq order; ignores events that carry no case."""
        changed: set[int] = set()
        for event in events:
            case = event.data.get("case") if event.kind.startswith("case.") else None
            if case is None:
                continue
            changed.add(case["id"])
            is_new = case["id"] not in self._index
            self._upsert(case)
            if is_new and event.kind == "case.reported":
                self.case_arrived.emit(case)
        if changed:
            self.cases_changed.emit(changed)

    def _upsert(self, case: dict[str, Any]) -> None:
        row = self._index.get(case["id"])
        if case["state"] not in OPEN_CASE_STATES:
            if row is not None:
                self._remove(row)
            return
        if row is None:
            new = CaseRow.of(case)
            self._index[case["id"]] = len(self._rows)
            self._rows.append(new)
            self._counts[case["state"]] += 1
            self.appendRow(self._new_items(new, self.now()))
            return
        if case["version"] < self._rows[row].case["version"]:
            return  # an older copy (e.g. a reply racing an event): never go back
        self._counts[self._rows[row].case["state"]] -= 1
        self._counts[case["state"]] += 1
        new = self._rows[row] = CaseRow.of(case)
        new.cells = self._cells(new, self.now())
        self._write(row, new)
        self._changed(row)

    def _remove(self, row: int) -> None:
        last = len(self._rows) - 1
        gone = self._rows[row].case["id"]
        self._counts[self._rows[row].case["state"]] -= 1
        if row != last:  # move the last row into the hole, then drop the last position
            self._rows[row] = self._rows[last]
            self._index[self._rows[row].case["id"]] = row
            self._write(row, self._rows[row])
            self._changed(row)
        self._rows.pop()
        del self._index[gone]
        self.removeRow(last)

    def refresh_times(self) -> None:
        """Ages and countdowns move with the clock: rewrites the timed cells of the rows whose text or colour has
        moved on (each row knows when: `next_change`), then emits `clock_ticked` for the views to repaint. No
        dataChanged: nothing sorts or filters on them, and a dataChanged over every row made each proxy re-filter
        all of them (~300 ms for 5,000 cases per proxy, measured). At most RETIME_CHUNK rows per turn of the event
        loop: a snapshot's cases reported in the same minute all move on together."""
        if self._retime_at is None:
            self._retime_at = 0
            self._retime()

    def _retime(self) -> None:
        now, at, done = self.now(), self._retime_at or 0, 0
        while at < len(self._rows) and done < RETIME_CHUNK:
            row = self._rows[at]
            if row.next_change <= now:
                self._retime_row(at, row, now)
                done += 1
            at += 1
        if at < len(self._rows):
            self._retime_at = at
            self._retimer.start()
            return
        self._retime_at = None
        self.clock_ticked.emit()

    def _retime_row(self, at: int, row: CaseRow, now: float) -> None:
        changed = []
        for column, cell in zip(TIMED_COLUMNS, self._timed_cells(row, now), strict=True):
            if cell != row.cells[column]:
                row.cells[column] = cell
                changed.append(column)
        if changed:
            self._write(at, row, changed)
        row.next_change = next_change(row, now)


class CaseFilter(QSortFilterProxyModel):
    """The cases of some states, optionally matching a search text and a predicate; sorted by SORT_ROLE."""

    def __init__(self, source: CaseModel, states: Iterable[str],
                 predicate: Callable[[CaseRow, float], bool] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.states = frozenset(states)
        self.predicate = predicate
        self.text = ""
        self.channel = ""
        self._cases = source
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()  # invalidateFilter() is deprecated since Qt 6.10
        self.text = text.strip().lower()
        self.endFilterChange()

    def set_channel(self, channel: str) -> None:
        self.beginFilterChange()
        self.channel = channel
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self._cases.index(source_row, 0, source_parent)
        row = self._cases.row_of(self._cases.data(index, ID_ROLE))
        if row is None or row.case["state"] not in self.states:
            return False
        if self.channel and row.case["channel"] != self.channel:
            return False
        if self.text and not self._matches(row.case):
            return False
        return self.predicate is None or self.predicate(row, self._cases.now())

    def _matches(self, case: dict[str, Any]) -> bool:
        ref = self._cases.reference
        haystack = " ".join(str(v) for v in (
            case["code"], case["title"], case.get("category", ""), case.get("description", ""),
            ref.place(case.get("township_id"), case.get("grid_id")), ref.channel_label(case["channel"])))
        return self.text in haystack.lower()

    def case_at(self, proxy_row: int) -> dict[str, Any] | None:
        index = self.index(proxy_row, 0)
        return self._cases.case(self.data(index, ID_ROLE)) if index.isValid() else None
