"""The open cases as a Qt table model, kept current from events one row at a time (never rebuilt on an event).

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

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
SERVED_ROLES = frozenset({DISPLAY, SORT_ROLE, CASE_ROLE, ID_ROLE, FOREGROUND, TOOLTIP})
"""A view asks for 7 roles of every painted cell (QStyledItemDelegate: font, alignment, foreground, check state,
decoration, display, background), each a call into Python through the proxy: the roles outside this set are answered
None before any other work."""
TIMED_COLUMNS = frozenset({COLUMN["age"], COLUMN["due"]})
"""Columns whose text moves with the clock: their cached text is dropped at each clock tick."""
ROW_FLAGS = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
             | Qt.ItemFlag.ItemIsDragEnabled)
COLORED_COLUMNS = frozenset({COLUMN["priority"], COLUMN["state"], COLUMN["due"]})
COLORS = {"urgent": "#c62828", "due_soon": "#ef6c00", "overdue": "#c62828", "escalated": "#8e0000",
          "duplicate": "#ef6c00", "returned": "#8a3c00"}


@dataclass
class CaseRow:
    case: dict[str, Any]
    reported: float
    due: float | None
    due_soon: float | None
    escalate: float | None
    sign_due: float | None
    texts: list[str | None] = field(default_factory=lambda: [None] * len(COLUMNS))
    """The display text of each column, made when first painted (a new CaseRow on every change of the case)."""
    tick: int = 0
    """The model's clock tick the timed texts were made at."""

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
        self._counts: Counter[str] = Counter()
        self._tick = 0
        self._brushes: dict[str, QBrush] = {}

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

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        """Called for every role of every painted cell of every list: cheap first, None fast for the rest."""
        if role not in SERVED_ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == DISPLAY:
            return self._text(row, index.column())
        if role == ID_ROLE:
            return row.case["id"]
        if role == CASE_ROLE:
            return row.case
        column = index.column()
        if role == FOREGROUND:
            return self._color(row, COLUMNS[column][0]) if column in COLORED_COLUMNS else None
        if role == SORT_ROLE:
            return self._sort_key(row, COLUMNS[column][0])
        return self._tooltip(row, column)

    def _text(self, row: CaseRow, column: int) -> str:
        texts = row.texts
        if row.tick != self._tick and column in TIMED_COLUMNS:
            for timed in TIMED_COLUMNS:
                texts[timed] = None
            row.tick = self._tick
        text = texts[column]
        if text is None:
            text = texts[column] = self._display(row, COLUMNS[column][0])
        return text

    def _tooltip(self, row: CaseRow, column: int) -> str | None:
        """The whole title and then what the case says; the state column's fact in full; else the cell's full text
        (a narrow column elides it)."""
        case = row.case
        if column == COLUMN["title"]:
            return "\n".join(t for t in (case.get("title"), case.get("description")) if t) or None
        if column == COLUMN["state"] and case["state"] == "reported":
            other = case.get("duplicate_of")
            if not other:
                return None
            linked = self.case(other)
            return _tr("可能与 {code} {title} 重复（同一网格、同一类别，48小时内）").format(
                code=linked["code"] if linked else f"#{other}", title=linked["title"] if linked else "")
        return self._text(row, column) or None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

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
            return self._state_fact(case)
        if key == "lead":
            return ref.department_name(case.get("lead_department_id"))
        if key == "due":
            return due_text(row, self.now())
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

    def _sort_key(self, row: CaseRow, key: str) -> Any:
        case = row.case
        if key == "age":
            return -row.reported
        if key == "priority":
            return case.get("priority", 3)
        if key == "due":
            deadline = row.sign_due if case["state"] == "dispatched" else row.due
            return deadline if deadline is not None else float("inf")
        return self._text(row, COLUMN[key])

    def _color(self, row: CaseRow, key: str) -> QBrush | None:
        case = row.case
        if key == "priority":
            return self._brush("urgent") if case.get("priority", 3) <= URGENT_PRIORITY else None
        if key == "state":
            if case["state"] == "returned":
                return self._brush("returned")
            return self._brush("duplicate") if case["state"] == "reported" and case.get("duplicate_of") else None
        urgency = row.urgency(self.now())
        if case["state"] == "dispatched" and row.sign_due is not None and self.now() > row.sign_due:
            urgency = "overdue"
        return self._brush(urgency) if urgency in COLORS else None

    def _brush(self, tone: str) -> QBrush:
        brush = self._brushes.get(tone)
        if brush is None:
            brush = self._brushes[tone] = QBrush(QColor(COLORS[tone]))
        return brush

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
        self.beginResetModel()
        self._rows = [CaseRow.of(c) for c in cases if c["state"] in OPEN_CASE_STATES]
        self._index = {r.case["id"]: i for i, r in enumerate(self._rows)}
        self._counts = Counter(r.case["state"] for r in self._rows)
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
            self._counts[case["state"]] += 1
            self.endInsertRows()
            return
        if case["version"] < self._rows[row].case["version"]:
            return  # an older copy (e.g. a reply racing an event): never go back
        self._counts[self._rows[row].case["state"]] -= 1
        self._counts[case["state"]] += 1
        self._rows[row] = CaseRow.of(case)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _remove(self, row: int) -> None:
        last = len(self._rows) - 1
        gone = self._rows[row].case["id"]
        self._counts[self._rows[row].case["state"]] -= 1
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
        (~300 ms for 5,000 cases per proxy, measured), far over the console's 16 ms stall budget. The rows'
        cached age and deadline texts are remade when next painted."""
        self._tick += 1
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
