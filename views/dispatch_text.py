"""What the dispatch console says to the duty officer: case summaries and the reasons a dispatch or recall did not
happen, in Chinese, naming the cause (who acted first and what the case is now; the state that forbids it; the
missing permission)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.models.reference import PRIORITY_LABELS, STATE_LABELS, Reference

CONTEXT = "Dispatch"


def tr(text: str, **values: Any) -> str:
    """`QCoreApplication.translate` with named placeholders: tr("派遣「{code}」", code=...)."""
    translated = QCoreApplication.translate(CONTEXT, text)
    return translated.format(**values) if values else translated


def state_label(state: str | None) -> str:
    return STATE_LABELS.get(state or "", state or "")


def clock_text(iso: str | None) -> str:
    """'2026-11-28T08:29:38+08:00' -> '11月28日 08:29:38' (as the server wrote it, China Standard Time)."""
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return tr("{month}月{day}日 {time}", month=at.month, day=at.day, time=at.strftime("%H:%M:%S"))


def case_title(case: dict[str, Any]) -> str:
    return f"{case.get('code', '')} · {case.get('title', '')}"


def case_details(case: dict[str, Any], reference: Reference) -> str:
    """One line under the title: category, place, priority, state, and the lead department once it has one."""
    parts = [str(case.get("category") or ""), reference.place(case.get("township_id"), case.get("grid_id")),
             PRIORITY_LABELS.get(case.get("priority", 3), ""), state_label(case.get("state"))]
    if case.get("lead_department_id") is not None:
        parts.append(tr("牵头：{name}", name=reference.department_name(case["lead_department_id"])))
    return " · ".join(p for p in parts if p)


def where_now(case: dict[str, Any], reference: Reference) -> str:
    """What the case is now, in a few words: 「待签收」，牵头部门 县公安局."""
    text = tr("「{state}」", state=state_label(case.get("state")))
    if case.get("lead_department_id") is not None:
        text += tr("，牵头部门 {name}", name=reference.department_name(case["lead_department_id"]))
        co = [reference.department_name(d) for d in case.get("co_department_ids") or []]
        if co:
            text += tr("，协办 {names}", names="、".join(co))
    return text


def who(user: str | None, me: str | None) -> str:
    if not user:
        return tr("他人")
    if user == "system":
        return tr("系统（超期检查）")
    return tr("{user}（本账号）", user=user) if user == me else user


def refusal_for_state(case: dict[str, Any], reference: Reference) -> str:
    """Why a dropped case cannot be dispatched from the state it is in (nothing is sent)."""
    code, state = case.get("code", ""), case.get("state")
    if state == "reported":
        return tr("「{code}」尚未立案（待受理），请先立案再派遣。", code=code)
    if state == "dispatched":
        return tr("「{code}」已派遣给 {name}，待签收；如需改派，请先撤回。", code=code,
                  name=reference.department_name(case.get("lead_department_id")))
    if state in ("handling", "feedback", "verified"):
        return tr("「{code}」已由 {name} 办理（{state}），不能再派遣。", code=code, state=state_label(state),
                  name=reference.department_name(case.get("lead_department_id")))
    return tr("「{code}」当前为「{state}」，只有已立案的事件可以派遣。", code=code, state=state_label(state))


def refusal_for_recall(case: dict[str, Any], reference: Reference) -> str:
    code, state = case.get("code", ""), case.get("state")
    if state in ("handling", "feedback", "verified"):
        return tr("「{code}」已被 {name} 签收（{state}），不能撤回。", code=code, state=state_label(state),
                  name=reference.department_name(case.get("lead_department_id")))
    return tr("「{code}」当前为「{state}」，只有待签收的事件可以撤回。", code=code, state=state_label(state))


ROLE_NAMES = {"duty_officer": "值班员", "leader": "领导", "mediator": "调解员", "department": "部门联络员",
              "village": "村社", "grid_worker": "网格员", "admin": "管理员"}
FIELD_NAMES = {"lead_department_id": "牵头部门", "co_department_ids": "协办部门", "resolution_class": "办理类别",
               "note": "说明", "id": "事件"}


def error_text(error: Any, action: str, reference: Reference, me: str | None) -> str:
    """The reason a command failed. `error` is the session's RemoteError (code, message, details)."""
    code, details = error.code, error.details or {}
    if code == "conflict" and details.get("reason") == "stale_version":
        current = details.get("current") or {}
        return tr("{action}未执行：该事件已被 {who} 于 {at} 改动，现为{now}。",
                  action=action, who=who(details.get("updated_by"), me), at=clock_text(details.get("updated_at")),
                  now=where_now(current, reference) if current else tr("（未知）"))
    if code == "conflict":
        return tr("{action}未执行：该事件当前为「{state}」，不能{action}。", action=action,
                  state=state_label(details.get("state")))
    if code == "forbidden":
        roles = "、".join(tr(ROLE_NAMES.get(r, r)) for r in details.get("allowed_roles") or [])
        if roles:
            return tr("无权{action}：只有{roles}可以{action}。", action=action, roles=roles)
        return tr("无权{action}：{message}", action=action, message=error.message or code)
    if code == "not_found":
        field = details.get("field")
        if field:
            return tr("{action}未执行：所选{field}不存在，请刷新部门列表。", action=action,
                      field=tr(FIELD_NAMES.get(field, field)))
        return tr("{action}未执行：该事件在服务器上不存在。", action=action)
    if code == "invalid_format":
        field = details.get("field") or str(details.get("path", "")).removeprefix("body.")
        return tr("{action}未执行：{field}填写有误（{message}）。", action=action,
                  field=tr(FIELD_NAMES.get(field, field or "内容")), message=error.message or code)
    if code in ("unavailable", "rate_limited"):
        return tr("{action}暂未完成：服务器暂时不可用（{message}）。可以直接重试，不会重复{action}。",
                  action=action, message=error.message or code)
    if code == "duplicate":
        return tr("{action}未执行：这一操作已用不同的内容提交过，请关闭对话框重新拖放。", action=action)
    return tr("{action}失败：{message}", action=action, message=error.message or code)
