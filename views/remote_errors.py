"""The server's refusals in the officer's words (Chinese), and the small message line the panels show them in.

The server's own messages are English and for logs; what the officer needs is: who changed the entity and what it
is now (`stale_version`), which state forbids the action (`invalid_transition`), which input is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from app.models.reference import STATE_LABELS as CASE_STATE_LABELS
from app.models.whistles import STATE_LABELS as WHISTLE_STATE_LABELS

CST = timezone(timedelta(hours=8))
FIELD_LABELS = {"department_ids": "呼叫部门", "reason": "理由", "note": "意见", "resolution_class": "办理类别",
                "township_id": "乡镇", "grid_id": "网格", "lead_department_id": "责任部门"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RemoteErrors", text)


def fmt_time(value: str | float | None) -> str:
    """An ISO time or an epoch second as the server's local time, to the minute: 11-30 17:30."""
    if value is None or value == "":
        return "—"
    when = datetime.fromtimestamp(value, CST) if isinstance(value, (int, float)) else datetime.fromisoformat(value)
    return when.astimezone(CST).strftime("%m-%d %H:%M")


def state_label(state: str) -> str:
    return CASE_STATE_LABELS.get(state) or WHISTLE_STATE_LABELS.get(state) or state


def error_text(error: Any, noun: str, now_text: Callable[[dict[str, Any]], str]) -> str:
    """One sentence for a RemoteError; `noun` names the entity (该吹哨 / 该事件), `now_text(current)` says what it
    is now after someone else's change."""
    if error is None:
        return _tr("操作失败")
    details: dict[str, Any] = getattr(error, "details", None) or {}
    code = getattr(error, "code", "")
    if code == "conflict" and details.get("reason") == "stale_version":
        current = details.get("current") or {}
        what = now_text(current) if current else ""
        return _tr("{noun}已被 {who} 于 {when} 修改，现为{what}。请核对后重新操作。").format(
            noun=noun, who=details.get("updated_by") or current.get("updated_by", "?"),
            when=fmt_time(details.get("updated_at") or current.get("updated_at")), what=what)
    if code == "conflict" and details.get("reason") == "invalid_transition":
        return _tr("{noun}当前状态为「{state}」，不能执行此操作。").format(
            noun=noun, state=state_label(str(details.get("state", ""))))
    if code == "invalid_format":
        field = str(details.get("field") or details.get("path") or "")
        return _tr("输入有误：{field}").format(field=FIELD_LABELS.get(field, field) or _tr("格式"))
    if code == "not_found":
        field = str(details.get("field") or "")
        return _tr("{what}不存在").format(what=FIELD_LABELS.get(field, field) if field else noun)
    simple = {
        "forbidden": _tr("当前账号无权执行此操作"),
        "rate_limited": _tr("操作过于频繁，请稍后再试"),
        "unavailable": _tr("服务器暂时无法连接，请稍后重试"),
        "duplicate": _tr("该操作已提交过"),
        "unauthorized": _tr("登录已失效，请重新登录"),
    }
    return simple.get(code, _tr("操作失败（{code}）").format(code=code))


def set_message(label: QLabel, text: str, error: bool = False) -> None:
    """The message line under a panel's title: red for refusals, green for done."""
    label.setStyleSheet(f"color: {'#c62828' if error else '#2e7d32'};")
    label.setText(text)


def action_style(color: str) -> str:
    """A solid, bold action button (green approve, red reject/supervise) that reads as disabled when it is."""
    return (f"QPushButton {{ background-color: {color}; color: white; border: none; border-radius: 4px;"
            " padding: 8px 22px; font-weight: bold; }"
            "QPushButton:disabled { background-color: #9e9e9e; color: #eeeeee; }")
