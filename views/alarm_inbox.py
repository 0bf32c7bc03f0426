"""告警待处置 — the alarm inbox beside the video wall: each open alarm with its snapshot; the duty officer dismisses it
with a reason or turns it into a case prefilled with the place, grid, camera, time and snapshot."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import WindowContext
from app.models.alarm_inbox import AlarmInbox, InboxAlarm, case_proposal, kind_name
from app.session import Reply
from views.case_text import format_time

ALARM_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AlarmInboxPanel(QWidget):
    alarm_selected = Signal(int)
    """The camera of the selected alarm (to bring it up on the wall)."""

    def __init__(self, context: WindowContext, inbox: AlarmInbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.inbox = context, inbox
        self.title = QLabel(self.tr("告警待处置"))
        self.list = QListWidget()
        self.list.setIconSize(QSize(96, 54))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("排除理由（必填）"))
        self.dismiss_button = QPushButton(self.tr("排除"))
        self.case_button = QPushButton(self.tr("转为事件"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.reason)
        row = QHBoxLayout()
        row.addWidget(self.dismiss_button)
        row.addWidget(self.case_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        inbox.reset.connect(self.rebuild)
        inbox.raised.connect(self.add)
        inbox.gone.connect(self.remove)
        self.list.currentItemChanged.connect(self._on_current)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.case_button.clicked.connect(self.to_case)
        self.rebuild()

    # -- the list -----------------------------------------------------------------------------------
    def rebuild(self) -> None:
        self.list.clear()
        for item in sorted(self.inbox.alarms.values(), key=lambda a: a.alarm.get("raised_at", "")):
            self.add(item)

    def add(self, item: InboxAlarm) -> None:
        row = QListWidgetItem(self._text(item))
        row.setData(ALARM_ID_ROLE, item.id)
        self.list.insertItem(0, row)  # newest first
        self._count()

    def refresh_item(self, item: InboxAlarm) -> None:
        """After its snapshot was taken: the thumbnail as the row's icon."""
        row = self._row(item.id)
        if row is not None and item.thumbnail is not None:
            thumb = item.thumbnail
            image = QImage(thumb.data, thumb.shape[1], thumb.shape[0], thumb.strides[0], QImage.Format.Format_BGR888)
            row.setIcon(QIcon(QPixmap.fromImage(image.copy())))

    def remove(self, alarm_id: int) -> None:
        row = self._row(alarm_id)
        if row is not None:
            self.list.takeItem(self.list.row(row))
        self._count()

    def _row(self, alarm_id: int) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ALARM_ID_ROLE) == alarm_id:
                return self.list.item(i)
        return None

    def _text(self, item: InboxAlarm) -> str:
        camera = self.context.reference.cameras.get(item.camera_id, {}).get("name", str(item.camera_id))
        return f"{kind_name(str(item.alarm.get('kind')))} · {camera}\n{format_time(item.alarm.get('raised_at'))}"

    def _count(self) -> None:
        self.title.setText(self.tr("告警待处置 ({0})").format(self.list.count()))

    def _on_current(self, row: QListWidgetItem | None) -> None:
        item = self.selected()
        if row is not None and item is not None:
            self.alarm_selected.emit(item.camera_id)

    def selected(self) -> InboxAlarm | None:
        row = self.list.currentItem()
        return None if row is None else self.inbox.alarms.get(row.data(ALARM_ID_ROLE))

    # -- handling -----------------------------------------------------------------------------------
    def dismiss(self) -> None:
        item = self.selected()
        reason = self.reason.text().strip()
        if item is None:
            return
        if not reason:
            self.status.setText(self.tr("请填写排除理由。"))
            return
        body = {"id": item.id, "expected_version": item.alarm["version"], "reason": reason}
        self.context.session.request("alarm.dismiss", body, self._on_done, idem=uuid.uuid4().hex)

    def to_case(self) -> None:
        item = self.selected()
        if item is None:
            return
        reference = self.context.reference
        camera = reference.cameras.get(item.camera_id, {})
        body = case_proposal(item, camera.get("name", ""), reference.place(camera.get("township_id"),
                                                                          camera.get("grid_id")))
        self.context.session.request("alarm.to_case", body, self._on_done, idem=uuid.uuid4().hex)

    def _on_done(self, reply: Reply) -> None:
        if reply.ok and reply.result is not None:
            alarm = reply.result.get("alarm", {})
            case = reply.result.get("case")
            done = self.tr("已转为事件 {0}").format(case.get("code", "")) if case else self.tr("已排除")
            self.status.setText(f"{alarm.get('code', '')} {done}")
            self.reason.clear()
            return
        self.status.setText(self.tr("处置未成功：{0}").format(getattr(reply.error, "message", "")))
