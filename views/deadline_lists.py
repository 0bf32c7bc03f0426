"""The deadline lists (即将超期 / 已超期) as small table models, kept incrementally, and the rules behind them.

Why not a `CaseFilter` over the whole case model: the window's time refresh repaints two columns of every open case
every few seconds, and a QSortFilterProxyModel re-runs its filter on every row of every such change (measured: two
filters over 5,000 cases cost 0.4 s per refresh). These lists instead re-check a case only when it changes
(`CaseModel.cases_changed`) or when one of its own deadlines passes on the server's clock (a heap of the next
deadline times), so a refresh costs nothing but repainting the few rows listed.

The rules are Qt-free: a `CaseRow` and a time in, an answer out. Working-day deadlines come from the server as times
(`sign_due_at`, `due_soon_at`, `due_at`, `escalate_at`), so a rule is only a comparison with the server's clock; the
sweeper's flags (`overdue`, `escalated`, `sign_overdue`) count as well, so a list is right even when the clock
estimate lags.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from app.context import TIME_REFRESH_MS
from app.models.cases import CASE_ROLE, ID_ROLE, CaseModel, CaseRow, format_span
from app.models.reference import STATE_LABELS

CLOCKED = frozenset({"dispatched", "returned", "handling"})
"""The department's clock runs in these states (PROTOCOL §15); it stops at feedback."""
SUPERVISABLE = frozenset({"dispatched", "returned", "handling", "feedback"})
RANK = {"on_track": 0, "due_soon": 1, "overdue": 2, "escalated": 3}


# -- the rules (Qt-free: a row and a time in, an answer out) ---------------------------------------------------------
def urgency(row: CaseRow, now: float) -> str:
    """on_track / due_soon / overdue / escalated: the server's flags, or the deadlines on `now` while the clock runs."""
    case = row.case
    flagged = "escalated" if case.get("escalated") else "overdue" if case.get("overdue") else "on_track"
    computed = row.urgency(now) if case["state"] in CLOCKED else "on_track"
    return max(flagged, computed, key=RANK.__getitem__)


def sign_overdue(row: CaseRow, now: float) -> bool:
    """Dispatched and not signed for (签收) by its deadline."""
    if row.case["state"] != "dispatched":
        return False
    return bool(row.case.get("sign_overdue")) or (row.sign_due is not None and now >= row.sign_due)


def is_overdue(row: CaseRow, now: float) -> bool:
    if row.case["state"] not in SUPERVISABLE:
        return False
    return RANK[urgency(row, now)] >= RANK["overdue"] or sign_overdue(row, now)


def is_due_soon(row: CaseRow, now: float) -> bool:
    return row.case["state"] in CLOCKED and urgency(row, now) == "due_soon" and not sign_overdue(row, now)


def deadline_text(row: CaseRow, now: float) -> str:
    """已升级 · 超期2天3小时 / 超期5小时 / 剩3小时20分 / 签收超时1小时 (the parts that apply, worst first)."""
    parts = []
    level = urgency(row, now)
    if level in ("overdue", "escalated"):
        late = now - row.due if row.due is not None else 0.0
        prefix = "已升级 · " if level == "escalated" else ""
        if row.case["state"] == "feedback":
            parts.append(f"{prefix}超期（已反馈待核查）")
        else:
            parts.append(f"{prefix}超期{format_span(max(0.0, late))}")
    elif row.due is not None and row.case["state"] in CLOCKED:
        parts.append(f"剩{format_span(max(0.0, row.due - now))}")
    if sign_overdue(row, now):
        late = now - row.sign_due if row.sign_due is not None else 0.0
        parts.append(f"签收超时{format_span(max(0.0, late))}")
    return " · ".join(parts)


def deadline_tone(row: CaseRow, now: float) -> str:
    """The colour family of widgets.countdown."""
    level = urgency(row, now)
    if level in ("overdue", "escalated") or sign_overdue(row, now):
        return "overdue"
    return "warn" if level == "due_soon" else "waiting"


def pressing_key(row: CaseRow, now: float) -> float:
    """Sort key, most pressing first: the earliest deadline that matters (resolution, or signing while unsigned)."""
    deadlines = [d for d in (row.due, row.sign_due if row.case["state"] == "dispatched" else None) if d is not None]
    return min(deadlines) if deadlines else float("inf")


# -- the lists --------------------------------------------------------------------------------------------------------


def thresholds(row: CaseRow) -> tuple[float, ...]:
    """The times at which a case may change lists without any event: its deadlines."""
    return tuple(t for t in (row.sign_due, row.due_soon, row.due, row.escalate) if t is not None)


# -- the list model -------------------------------------------------------------------------------------------------
COLUMNS: list[tuple[str, str]] = [
    ("code", "编号"), ("title", "标题"), ("place", "乡镇 / 网格"), ("priority", "优先级"), ("state", "状态"),
    ("lead", "责任部门"), ("due", "时限"),
]
COLUMN = {key: i for i, (key, _) in enumerate(COLUMNS)}
TONE_COLORS = {"overdue": "#c62828", "warn": "#e65100", "waiting": "#1565c0"}
REBUILD_AT = 500
"""A change of this many cases at once (a snapshot) is applied by rebuilding the list."""


class DeadlineList(QAbstractTableModel):
    """The open cases `rule(row, now)` picks, most pressing first, plus one pinned case (the one on screen, so it
    does not vanish from under the user when it stops matching)."""

    def __init__(self, cases: CaseModel, rule: Callable[[CaseRow, float], bool], parent: Any = None,
                 refresh_ms: int = TIME_REFRESH_MS) -> None:
        super().__init__(parent)
        self.cases = cases
        self.rule = rule
        self.pinned: int | None = None
        self._order: list[tuple[float, int]] = []  # (pressing key, case id), sorted: the rows
        self._keys: dict[int, float] = {}
        self._heap: list[tuple[float, int]] = []  # (deadline, case id): when to look at a case again
        self._seen: dict[int, tuple[float, ...]] = {}  # the deadlines already in the heap, per case
        cases.cases_changed.connect(self.update_cases)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.update_cases({row.case["id"] for row in cases.rows()})

    # -- Qt model -----------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case_id = self._order[index.row()][1]
        row = self.cases.row_of(case_id)
        if row is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == CASE_ROLE:
            return row.case
        if role == ID_ROLE:
            return case_id
        if key == "state" and role == Qt.ItemDataRole.DisplayRole:
            label = STATE_LABELS.get(row.case["state"], row.case["state"])
            count = row.case.get("supervision_count", 0)
            return f"{label} · 督办{count}次" if count else label
        if key == "due" and role == Qt.ItemDataRole.DisplayRole:
            return deadline_text(row, self.cases.now())
        if key == "due" and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(TONE_COLORS[deadline_tone(row, self.cases.now())]))
        if key in ("state", "due"):
            return None
        return self.cases.data(self.cases.index_of(case_id, key), role)  # the case model's own wording

    # -- reading ------------------------------------------------------------------------------------
    def ids(self) -> list[int]:
        return [case_id for _, case_id in self._order]

    def case_at(self, row: int) -> dict[str, Any] | None:
        if not 0 <= row < len(self._order):
            return None
        found = self.cases.row_of(self._order[row][1])
        return None if found is None else found.case

    def row_of(self, case_id: int) -> int | None:
        key = self._keys.get(case_id)
        if key is None:
            return None
        return bisect.bisect_left(self._order, (key, case_id))

    # -- keeping it current -------------------------------------------------------------------------
    def pin(self, case_id: int | None) -> None:
        previous, self.pinned = self.pinned, case_id
        self.update_cases({i for i in (previous, case_id) if i is not None})

    def update_cases(self, ids: Iterable[int]) -> None:
        """Re-checks these cases (they changed, left, or one of their deadlines passed)."""
        ids = set(ids)
        if len(ids) >= REBUILD_AT:
            self._rebuild()
            return
        now = self.cases.now()
        for case_id in ids:
            self._check(case_id, now)

    def tick(self) -> None:
        """Every few seconds: cases whose deadline has just passed are re-checked; countdowns repaint."""
        now = self.cases.now()
        due: set[int] = set()
        while self._heap and self._heap[0][0] <= now:
            due.add(heapq.heappop(self._heap)[1])
        for case_id in due:
            self._seen.pop(case_id, None)
            self._check(case_id, now)
        if self._order:
            column = COLUMN["due"]
            self.dataChanged.emit(self.index(0, column), self.index(len(self._order) - 1, column),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole])

    def _rebuild(self) -> None:
        now = self.cases.now()
        self.beginResetModel()
        self._order, self._keys, self._heap, self._seen = [], {}, [], {}
        for row in self.cases.rows():
            self._watch(row, now)
            if row.case["id"] == self.pinned or self.rule(row, now):
                key = pressing_key(row, now)
                self._order.append((key, row.case["id"]))
                self._keys[row.case["id"]] = key
        self._order.sort()
        self.endResetModel()

    def _watch(self, row: CaseRow, now: float) -> None:
        """Puts a case's future deadlines on the heap (once per set of deadlines: they rarely change)."""
        times = thresholds(row)
        if self._seen.get(row.case["id"]) != times:
            self._seen[row.case["id"]] = times
            for t in times:
                if t > now:
                    heapq.heappush(self._heap, (t, row.case["id"]))

    def _check(self, case_id: int, now: float) -> None:
        row = self.cases.row_of(case_id)
        if row is not None:
            self._watch(row, now)
        wanted = row is not None and (case_id == self.pinned or self.rule(row, now))
        old_key = self._keys.get(case_id)
        if not wanted:
            if old_key is not None:
                self._remove(case_id, old_key)
            return
        assert row is not None
        key = pressing_key(row, now)
        if old_key is not None and old_key == key:
            at = bisect.bisect_left(self._order, (key, case_id))
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
            return
        if old_key is not None:
            self._move(case_id, old_key, key)
            return
        at = bisect.bisect_left(self._order, (key, case_id))
        self.beginInsertRows(QModelIndex(), at, at)
        self._order.insert(at, (key, case_id))
        self._keys[case_id] = key
        self.endInsertRows()

    def _move(self, case_id: int, old_key: float, key: float) -> None:
        """A listed case whose deadline changed moves (a move, not remove + insert: a selection on it stays)."""
        source = bisect.bisect_left(self._order, (old_key, case_id))
        rest = self._order[:source] + self._order[source + 1:]
        target = bisect.bisect_left(rest, (key, case_id))  # its row once moved
        destination = target + 1 if target >= source else target  # Qt counts it in the rows before the move
        moving = destination not in (source, source + 1)
        if moving:
            self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)
        rest.insert(target, (key, case_id))
        self._order = rest
        self._keys[case_id] = key
        if moving:
            self.endMoveRows()
        self.dataChanged.emit(self.index(target, 0), self.index(target, len(COLUMNS) - 1))

    def _remove(self, case_id: int, key: float) -> None:
        at = bisect.bisect_left(self._order, (key, case_id))
        self.beginRemoveRows(QModelIndex(), at, at)
        del self._order[at]
        del self._keys[case_id]
        self.endRemoveRows()
