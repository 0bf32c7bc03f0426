"""The cases behind a figure (穿透): a leader clicks a counter, a bar, a ranking row or a marker and sees the cases,
each with its card, and can issue supervision (督办) on an open one.

It reads with `cases.query` (the body for each figure comes from services/drilldown.py) as a plain read: the list
is what the server had at that moment, refreshed by the 刷新 button. The data is masked for the wall's role; the
leader needs no phone number to supervise."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.context import WindowContext
from app.session import Reply
from views.case_text import format_time, refusal_text, state_label

SUPERVISABLE = frozenset({"dispatched", "returned", "handling", "feedback"})
COLUMNS = ("code", "state", "category", "title", "place", "reported_at")


class CaseDrill(QDialog):
    """A list of cases for one figure; `query` is a `cases.query` body (or `case_id` for one marker)."""

    def __init__(self, context: WindowContext, title: str, query: dict[str, Any] | None = None,
                 case_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.query, self.case_id = context, query, case_id
        self.cases: list[dict[str, Any]] = []
        self.setWindowTitle(title)
        self.setModal(False)
        self.heading = QLabel(title)
        self.heading.setObjectName("drillHeading")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr("编号"), self.tr("状态"), self.tr("类别"), self.tr("标题"),
                                              self.tr("地点"), self.tr("上报时间")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.card = QTextBrowser()
        self.note = QLineEdit(self.tr("请加快办理，按期办结"))
        self.supervise_button = QPushButton(self.tr("督办"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._layout(title)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.supervise_button.clicked.connect(self.supervise)
        self.refresh_button.clicked.connect(self.load)
        self.resize(1280, 720)
        self.load()

    def _layout(self, title: str) -> None:
        right = QWidget()
        side = QVBoxLayout(right)
        side.addWidget(self.card, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("督办意见：")))
        row.addWidget(self.note, 1)
        row.addWidget(self.supervise_button)
        side.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([760, 520])
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    # -- reading ------------------------------------------------------------------------------------
    def load(self) -> None:
        self.status.setText(self.tr("正在读取…"))
        if self.case_id is not None:
            self.context.session.request("case.get", {"id": self.case_id}, self._on_case)
        else:
            self.context.session.request("cases.query", self.query or {}, self._on_cases)

    def _on_case(self, reply: Reply) -> None:
        if not reply.ok or reply.result is None:
            self.status.setText(self.tr("读取失败：{0}").format(getattr(reply.error, "message", "")))
            return
        self._fill([reply.result["case"]])

    def _on_cases(self, reply: Reply) -> None:
        if not reply.ok or reply.result is None:
            self.status.setText(self.tr("读取失败：{0}").format(getattr(reply.error, "message", "")))
            return
        self._fill(reply.result.get("cases", []))

    def _fill(self, cases: list[dict[str, Any]]) -> None:
        self.cases = cases
        self.table.setRowCount(len(cases))
        reference = self.context.reference
        for row, case in enumerate(cases):
            values = (case.get("code", ""), state_label(case.get("state")), case.get("category", ""),
                      case.get("title", ""), reference.place(case.get("township_id"), case.get("grid_id")),
                      format_time(case.get("reported_at")))
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()
        limit = (self.query or {}).get("limit")
        more = self.tr("（仅显示最新 {0} 件）").format(limit) if limit and len(cases) >= limit else ""
        self.status.setText(self.tr("共 {0} 件").format(len(cases)) + more)
        if cases:
            self.table.selectRow(0)
        else:
            self.card.setPlainText(self.tr("没有符合条件的案件。"))

    # -- the card and supervision -------------------------------------------------------------------
    def selected_case(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.cases[rows[0].row()] if rows else None

    def _show_selected(self) -> None:
        case = self.selected_case()
        if case is None:
            return
        self.card.setHtml(self._card_html(case))
        self.supervise_button.setEnabled(case.get("state") in SUPERVISABLE)

    def _card_html(self, case: dict[str, Any]) -> str:
        reference = self.context.reference
        rows = [(self.tr("编号"), case.get("code", "")), (self.tr("状态"), state_label(case.get("state"))),
                (self.tr("类别"), case.get("category", "")),
                (self.tr("地点"), reference.place(case.get("township_id"), case.get("grid_id"))),
                (self.tr("承办部门"), reference.department_name(case.get("lead_department_id"))
                 if case.get("lead_department_id") else ""),
                (self.tr("上报"), format_time(case.get("reported_at"))),
                (self.tr("办理时限"), format_time(case.get("due_at"))),
                (self.tr("督办次数"), str(case.get("supervision_count", 0))),
                (self.tr("描述"), case.get("description", ""))]
        body = "".join(f"<tr><td><b>{_escape(k)}</b></td><td>{_escape(str(v))}</td></tr>" for k, v in rows)
        return f"<h2>{_escape(case.get('title', ''))}</h2><table cellpadding='4'>{body}</table>"

    def supervise(self) -> None:
        case = self.selected_case()
        if case is None:
            return
        body = {"id": case["id"], "expected_version": case["version"], "note": self.note.text().strip() or "督办"}
        self.supervise_button.setEnabled(False)
        self.context.session.request("case.supervise", body, self._on_supervised, idem=uuid.uuid4().hex)

    def _on_supervised(self, reply: Reply) -> None:
        if reply.ok and reply.result is not None:
            case = reply.result["case"]
            self.cases = [case if c["id"] == case["id"] else c for c in self.cases]
            self.status.setText(self.tr("已督办 {0}（第 {1} 次）").format(case.get("code", ""),
                                                                   case.get("supervision_count", 0)))
            self._show_selected()
            return
        self.status.setText(refusal_text(self.tr("督办"), reply.error, self.context.reference))
        self.supervise_button.setEnabled(True)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
