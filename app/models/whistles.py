"""Whistles (吹哨) as a Qt table model, kept current from `whistle.*` events one row at a time.

Every whistle event carries the whole whistle after the change (docs/PROTOCOL.md §18), so applying one is: find the
row by id and replace it, or append it. Whistles never leave the model (rejected and resolved ones stay, as in the
snapshot, which holds the open ones plus the last 30 days). A copy older than the one held (a reply racing an
event, a late snapshot part) is ignored by version.

The model also answers the department board's question, "how many calls is each department still to answer?"
(`arrivals_pending`, `arrivals_changed`), kept as a running count rather than recounted per event.

The arrival rule in words (Qt-free, `arrival_status`): a called department has one working day from approval
(`arrival_due_at`, computed by the server on the working-day calendar) to report on site; it arrived on time or
late, or it is still waiting with time left, or waiting and overdue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.models.cases import format_span
from app.models.reference import Reference
from app.servertime import parse_time

if TYPE_CHECKING:
    from app.context import WindowContext

WHISTLE_ROLE = Qt.ItemDataRole.UserRole + 11
"""The whistle dict of a row."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 12
ID_ROLE = Qt.ItemDataRole.UserRole + 13

COLUMNS: list[tuple[str, str]] = [
    ("code", "编号"), ("township", "乡镇"), ("title", "问题"), ("state", "状态"),
    ("departments", "呼叫部门"), ("arrival", "报到"),
]
COLUMN = {key: i for i, (key, _) in enumerate(COLUMNS)}
STATE_LABELS = {"raised": "待审核", "approved": "已交派", "rejected": "已驳回", "resolved": "已解决"}
WARN_SHARE = 0.8
"""A waiting department is shown in warning colours once 80 % of its arrival window has passed."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("Whistles", text)


# -- the arrival rule (Qt-free: no QApplication needed) -------------------------------------------------------------
@dataclass(frozen=True)
class ArrivalStatus:
    kind: str
    """on_time | late (arrived) · waiting | warn | overdue (not yet) · closed (never arrived, whistle resolved)"""
    seconds: float
    """waiting/warn: time left; overdue: overdue by; late: late by; on_time: ahead by; closed: 0."""
    fraction: float | None
    """Share of the arrival window already used, while waiting (for a progress bar)."""

    @property
    def arrived(self) -> bool:
        return self.kind in ("on_time", "late")

    @property
    def is_late(self) -> bool:
        return self.kind in ("late", "overdue")


def arrival_status(call: dict[str, Any], now: float, approved_at: float | None = None,
                   whistle_state: str = "approved") -> ArrivalStatus:
    """Where one called department stands, at `now` on the server's clock."""
    due = parse_time(call.get("arrival_due_at"))
    arrived = parse_time(call.get("arrived_at"))
    if arrived is not None:
        if due is None:
            return ArrivalStatus("on_time", 0.0, None)
        late = call.get("on_time") is False or (call.get("on_time") is None and arrived > due)
        return ArrivalStatus("late" if late else "on_time", abs(arrived - due), None)
    if whistle_state not in ("approved",):
        return ArrivalStatus("closed", 0.0, None)
    if due is None:
        return ArrivalStatus("waiting", 0.0, None)
    left = due - now
    if left < 0:
        return ArrivalStatus("overdue", -left, 1.0)
    fraction = None
    if approved_at is not None and due > approved_at:
        fraction = min(1.0, max(0.0, (now - approved_at) / (due - approved_at)))
    kind = "warn" if fraction is not None and fraction >= WARN_SHARE else "waiting"
    return ArrivalStatus(kind, left, fraction)


def arrival_text(status: ArrivalStatus) -> str:
    """The words on a countdown: 待报到 · 剩5小时20分 / 超时2小时 / 准时报到 / 迟到1小时."""
    span = format_span(status.seconds)
    if status.kind == "on_time":
        return _tr("已准时报到")
    if status.kind == "late":
        return _tr("迟到报到 · 晚{span}").format(span=span)
    if status.kind == "overdue":
        return _tr("未报到 · 已超时{span}").format(span=span)
    if status.kind == "closed":
        return _tr("未报到 · 已结束")
    return _tr("待报到 · 剩{span}").format(span=span)


def arrival_tone(status: ArrivalStatus) -> str:
    """The colour family of widgets.countdown for a status."""
    return {"on_time": "ok", "late": "late", "overdue": "overdue", "warn": "warn", "closed": "idle"}.get(
        status.kind, "waiting")


@dataclass(frozen=True)
class ArrivalSummary:
    arrived: int
    total: int
    late: int
    """Arrived late, or still waiting past the limit."""


def arrival_summary(whistle: dict[str, Any], now: float) -> ArrivalSummary:
    approved = parse_time(whistle.get("approved_at"))
    statuses = [arrival_status(c, now, approved, whistle["state"]) for c in whistle.get("calls", [])]
    return ArrivalSummary(sum(s.arrived for s in statuses), len(statuses), sum(s.is_late for s in statuses))


def pending_calls(whistle: dict[str, Any]) -> Counter[int]:
    """Department id → calls of this whistle still awaiting arrival (only approved whistles wait)."""
    if whistle.get("state") != "approved":
        return Counter()
    return Counter(c["department_id"] for c in whistle.get("calls", []) if not c.get("arrived_at"))


# -- the model ------------------------------------------------------------------------------------------------------
class WhistleModel(QAbstractTableModel):
    """All whistles the snapshot and the events told us about, one row each, in arrival order."""

    whistles_changed = Signal(object)
    """set[int]: the whistles a batch (or a load) changed."""
    arrivals_changed = Signal()
    """`arrivals_pending()` may have changed (the department board's load figures)."""

    def __init__(self, reference: Reference, now: Callable[[], float], parent: Any = None) -> None:
        super().__init__(parent)
        self.reference = reference
        self.now = now
        self._rows: list[dict[str, Any]] = []
        self._index: dict[int, int] = {}
        self._pending: Counter[int] = Counter()

    # -- Qt model -----------------------------------------------------------------------------------
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
        whistle = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(whistle, key)
        if role == WHISTLE_ROLE:
            return whistle
        if role == ID_ROLE:
            return whistle["id"]
        if role == SORT_ROLE:
            return -whistle["id"] if key == "code" else self._display(whistle, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(whistle, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("title", "departments"):
            return self._display(whistle, key) if key == "departments" else whistle.get("description") or None
        return None

    def _display(self, whistle: dict[str, Any], key: str) -> str:
        if key == "township":
            return self.reference.place(whistle.get("township_id"), whistle.get("grid_id"))
        if key == "state":
            return _tr(STATE_LABELS.get(whistle["state"], whistle["state"]))
        if key == "departments":
            return "、".join(self.reference.department_name(c["department_id"]) for c in whistle.get("calls", []))
        if key == "arrival":
            if not whistle.get("calls"):
                return ""
            summary = arrival_summary(whistle, self.now())
            text = _tr("{arrived}/{total} 已报到").format(arrived=summary.arrived, total=summary.total)
            return text + (_tr(" · {late} 超时").format(late=summary.late) if summary.late else "")
        return str(whistle.get(key, ""))

    def _color(self, whistle: dict[str, Any], key: str) -> QBrush | None:
        if key == "state" and whistle["state"] == "raised":
            return QBrush(QColor("#e65100"))
        if key == "arrival" and whistle.get("calls") and arrival_summary(whistle, self.now()).late:
            return QBrush(QColor("#c62828"))
        return None

    # -- reading ------------------------------------------------------------------------------------
    def whistle(self, whistle_id: int) -> dict[str, Any] | None:
        row = self._index.get(whistle_id)
        return None if row is None else self._rows[row]

    def whistles(self) -> Iterable[dict[str, Any]]:
        return iter(self._rows)

    def row_of(self, whistle_id: int) -> int | None:
        return self._index.get(whistle_id)

    def __len__(self) -> int:
        return len(self._rows)

    def arrivals_pending(self) -> dict[int, int]:
        """Department id → calls awaiting that department's arrival (approved whistles only)."""
        return {d: n for d, n in self._pending.items() if n > 0}

    # -- writing ------------------------------------------------------------------------------------
    def load(self, whistles: list[dict[str, Any]]) -> None:
        """Replaces everything (the snapshot at start and after a resync)."""
        self.beginResetModel()
        self._rows = sorted(whistles, key=lambda w: w["id"])
        self._index = {w["id"]: i for i, w in enumerate(self._rows)}
        self._pending = Counter()
        for whistle in self._rows:
            self._pending.update(pending_calls(whistle))
        self.endResetModel()
        self.whistles_changed.emit({w["id"] for w in self._rows})
        self.arrivals_changed.emit()

    def on_snapshot(self, snapshot: dict[str, Any]) -> None:
        if "whistles" in snapshot:
            self.load(snapshot["whistles"])

    def merge(self, whistles: Iterable[dict[str, Any]]) -> None:
        """Takes newer copies without a reset (a reply's whistle, a conflict's `current`, a late snapshot part)."""
        self._apply_many(list(whistles))

    def apply(self, events: list[Any]) -> None:
        """A batch of session events in seq order; ignores everything that is not a whistle event."""
        self._apply_many([e.data["whistle"] for e in events
                          if e.kind.startswith("whistle.") and isinstance(e.data.get("whistle"), dict)])

    def _apply_many(self, whistles: list[dict[str, Any]]) -> None:
        before = dict(self._pending)
        changed = {w["id"] for w in whistles if self._upsert(w)}
        if changed:
            self.whistles_changed.emit(changed)
        if dict(self._pending) != before:
            self.arrivals_changed.emit()

    def _upsert(self, whistle: dict[str, Any]) -> bool:
        row = self._index.get(whistle["id"])
        if row is None:
            at = len(self._rows)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.append(whistle)
            self._index[whistle["id"]] = at
            self._pending.update(pending_calls(whistle))
            self.endInsertRows()
            return True
        old = self._rows[row]
        if whistle.get("version", 0) <= old.get("version", 0):
            return False
        self._pending.subtract(pending_calls(old))
        self._pending.update(pending_calls(whistle))
        self._rows[row] = whistle
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    def refresh_times(self) -> None:
        """Arrival figures move with the clock (waiting → overdue): repaint that column every few seconds."""
        if self._rows:
            column = COLUMN["arrival"]
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole])


def refilter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Changes a proxy's filter parameters and re-filters its rows (Qt's begin/endFilterChange where it has them;
    invalidateFilter is deprecated in 6.11)."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:  # Qt < 6.10
        change()
        proxy.invalidateRowsFilter()


class WhistleFilter(QSortFilterProxyModel):
    """The whistles of some states, newest first, plus one pinned whistle whatever its state: the one on screen,
    so that acting on it (or another officer acting on it) does not pull it out of the list under the user."""

    def __init__(self, source: WhistleModel, states: Iterable[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.states = frozenset(states)
        self.pinned: int | None = None
        self._whistles = source
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.sort(COLUMN["code"], Qt.SortOrder.AscendingOrder)

    def set_states(self, states: Iterable[str]) -> None:
        refilter(self, lambda: setattr(self, "states", frozenset(states)))

    def pin(self, whistle_id: int | None) -> None:
        if whistle_id != self.pinned:
            refilter(self, lambda: setattr(self, "pinned", whistle_id))

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        whistle = self._whistles.data(self._whistles.index(source_row, 0, source_parent), WHISTLE_ROLE)
        return whistle is not None and (whistle["state"] in self.states or whistle["id"] == self.pinned)

    def whistle_at(self, proxy_row: int) -> dict[str, Any] | None:
        index = self.index(proxy_row, 0)
        return self.data(index, WHISTLE_ROLE) if index.isValid() else None

    def row_of(self, whistle_id: int) -> int | None:
        row = self._whistles.row_of(whistle_id)
        if row is None:
            return None
        proxy = self.mapFromSource(self._whistles.index(row, 0))
        return proxy.row() if proxy.isValid() else None


def whistles_of(context: WindowContext) -> WhistleModel:
    """The window's one whistle model (`context.extras["whistles"]`), made and connected on first use.

    Made after the session has loaded its snapshot (a panel opened later), it asks for the `whistles` part itself;
    versions keep that reply from undoing newer events.
    """
    model = context.extras.get("whistles")
    if isinstance(model, WhistleModel):
        return model
    model = WhistleModel(context.reference, context.clock.now)
    context.session.snapshot_loaded.connect(model.on_snapshot)
    context.session.events_arrived.connect(model.apply)
    context.extras["whistles"] = model
    if context.session.state != "connecting":
        context.session.request("snapshot", {"what": ["whistles"]},
                                lambda reply: model.merge(reply.result["whistles"]) if reply.ok and reply.result
                                else None)
    return model
