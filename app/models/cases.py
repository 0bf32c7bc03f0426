"""The open cases as a Qt table model, kept current from events one row at a time (never rebuilt on an event).

Every case event carries the whole case after the change (docs/PROTOCOL.md §8), so applying an event is: find the
row by id, replace it (dataChanged), insert it (a new case) or remove it (the case left the open states). Rows are
kept in arrival order; sorting and filtering are proxies' work (`CaseFilter`), so a change never moves rows here.
Removal swaps the last row into the hole: O(1) instead of renumbering thousands of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.models.reference import (
    OPEN_CASE_STATES,
    PRIORITY_LABELS,
    STATE_LABELS,
    Reference,
)
from app.servertime import parse_time
from services.client import Event

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The case dict of a row."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3

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


@dataclass
class CaseRow:
    case: dict[str, Any]
    reported: float
    due: float | None
    due_soon: float | None
    escalate: float | None
    sign_due: float | None

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


class CaseModel(QAbstractTableModel):
    """All open cases. `cases_changed(ids)` after each applied batch names the cases that changed or left."""

    cases_changed = Signal(object)
    case_arrived = Signal(object)
    """A new case (dict) reported after the snapshot: for announcements."""
    clock_ticked = Signal()
    """Time moved on (every few seconds): views showing ages or countdowns repaint their visible cells."""

    def __init__(self, reference: Reference, now: Callable[[], float], parent: Any = None) -> None:
        super().__init__(parent)
        self.reference = reference
        self.now = now
        self._rows: list[CaseRow] = []
        self._index: dict[int, int] = {}

    # -- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == SORT_ROLE:
            return self._sort_key(row, key)
        if role == CASE_ROLE:
            return row.case
        if role == ID_ROLE:
            return row.case["id"]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "title":
            return row.case.get("description") or None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def _display(self, row: CaseRow, key: str) -> str:
        case, ref = row.case, self.reference
        if key == "channel":
            return ref.channel_label(case["channel"])
        if key == "place":
            return ref.place(case.get("township_id"), case.get("grid_id"))
        if key == "age":
            return format_span(self.now() - row.reported)
        if key == "priority":
            return PRIORITY_LABELS.get(case.get("priority", 3), str(case.get("priority")))
        if key == "state":
            label = STATE_LABELS.get(case["state"], case["state"])
            return _tr("{0} · 疑似重复").format(label) if case.get("duplicate_of") else label
        if key == "lead":
            return ref.department_name(case.get("lead_department_id"))
        if key == "due":
            return due_text(row, self.now())
        return str(case.get(key, ""))

    def _sort_key(self, row: CaseRow, key: str) -> Any:
        case = row.case
        if key == "age":
            return -row.reported
        if key == "priority":
            return case.get("priority", 3)
        if key == "due":
            deadline = row.sign_due if case["state"] == "dispatched" else row.due
            return deadline if deadline is not None else float("inf")
        return self._display(row, key)

    def _color(self, row: CaseRow, key: str) -> QBrush | None:
        if key == "priority" and row.case.get("priority", 3) <= URGENT_PRIORITY:
            return QBrush(QColor("#c62828"))
        if key == "due":
            urgency = row.urgency(self.now())
            if row.case["state"] == "dispatched" and row.sign_due is not None and self.now() > row.sign_due:
                urgency = "overdue"
            return {"due_soon": QBrush(QColor("#ef6c00")), "overdue": QBrush(QColor("#c62828")),
                    "escalated": QBrush(QColor("#8e0000"))}.get(urgency)
        return None

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

    def rows(self) -> Iterable[CaseRow]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    # -- writing ----------------------------------------------------------------------------------
    def load(self, cases: list[dict[str, Any]]) -> None:
        """Replaces everything (the snapshot at start and after a resync)."""
        self.beginResetModel()
        self._rows = [CaseRow.of(c) for c in cases if c["state"] in OPEN_CASE_STATES]
        self._index = {r.case["id"]: i for i, r in enumerate(self._rows)}
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
            at = len(self._rows)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.append(CaseRow.of(case))
            self._index[case["id"]] = at
            self.endInsertRows()
            return
        if case["version"] < self._rows[row].case["version"]:
            return  # an older copy (e.g. a reply racing an event): never go back
        self._rows[row] = CaseRow.of(case)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _remove(self, row: int) -> None:
        last = len(self._rows) - 1
        gone = self._rows[row].case["id"]
        if row != last:  # move the last row into the hole, then drop the last position
            self._rows[row] = self._rows[last]
            self._index[self._rows[row].case["id"]] = row
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.beginRemoveRows(QModelIndex(), last, last)
        self._rows.pop()
        del self._index[gone]
        self.endRemoveRows()

    def refresh_times(self) -> None:
        """Ages and countdowns move with the clock. They are computed when painted, so a tick only asks the views
        to repaint (`clock_ticked`): a dataChanged over every row made each proxy re-filter all of them
        (~300 ms for 5,000 cases per proxy, measured), far over the console's 16 ms stall budget."""
        self.clock_ticked.emit()


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
        return self.data(index, CASE_ROLE) if index.isValid() else None
