"""Words for cases, shared by the console's case panels: timeline rows from `case.get` events, times, actors, and the
Chinese explanation of a refused command (who changed the case, what it is now, why the action cannot be taken)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.models.reference import CLASS_LABELS, STATE_LABELS, Reference
from widgets.timeline import TimelineEntry

CONTEXT = "CaseText"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def format_time(iso: str | None) -> str:
    """A server time as the server wrote it (CST): "11-28 08:29"; "" for none."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%m-%d %H:%M")
    except ValueError:
        return iso


def actor_text(actor: str | None) -> str:
    if not actor:
        return ""
    return tr("系统") if actor == "system" else actor


def state_label(state: str | None) -> str:
    return STATE_LABELS.get(state or "", state or "")


def class_label(resolution_class: str | None) -> str:
    return CLASS_LABELS.get(resolution_class or "", resolution_class or "")


def departments_text(reference: Reference, lead: int | None, co: list[int] | None) -> str:
    parts = [reference.department_name(lead)] if lead is not None else []
    if co:
        parts.append(tr("协办：") + "、".join(reference.department_name(d) for d in co))
    return "；".join(parts)


# -- the timeline ------------------------------------------------------------------------------------------

def _event_title(kind: str, change: dict[str, Any]) -> str:
    if kind == "case.arbitrated":
        return tr("仲裁：维持原部门") if change.get("decision") == "uphold" else tr("仲裁：改派")
    if kind == "case.extension_decided":
        return tr("延期已批准") if change.get("approve") else tr("延期未批准")
    if kind == "case.supervised":
        return tr("超期自动督办") if change.get("auto") else tr("督办")
    if kind == "case.signed" and change.get("late"):
        return tr("签收（超时）")
    titles = {
        "case.reported": tr("上报"), "case.registered": tr("立案"), "case.rejected": tr("不予立案"),
        "case.dispatched": tr("派遣"), "case.recalled": tr("撤回派遣"), "case.signed": tr("签收"),
        "case.returned": tr("退回"), "case.extension_requested": tr("申请延期"), "case.feedback": tr("办理反馈"),
        "case.verified": tr("核查通过"), "case.reworked": tr("核查未通过，返工"), "case.closed": tr("结案"),
        "case.evaluated": tr("评价"), "case.sign_overdue": tr("签收超时"), "case.overdue": tr("办理超期"),
        "case.escalated": tr("升级至领导"),
    }
    return titles.get(kind, kind)


def _event_tone(kind: str, change: dict[str, Any]) -> str:
    if kind in ("case.rejected", "case.reworked", "case.sign_overdue", "case.overdue", "case.escalated"):
        return "bad"
    if kind in ("case.returned", "case.supervised", "case.extension_requested") or change.get("late"):
        return "warn"
    if kind in ("case.verified", "case.closed", "case.evaluated") or (kind == "case.signed"):
        return "good"
    return "normal"


def _event_detail(kind: str, change: dict[str, Any], reference: Reference) -> str:
    parts: list[str] = []
    before, after = change.get("from"), change.get("to")
    if before and after and before != after:
        parts.append(f"{state_label(before)} → {state_label(after)}")
    if kind == "case.reported" and change.get("external_ref"):
        parts.append(tr("外部编号：") + str(change["external_ref"]))
    if kind in ("case.dispatched", "case.arbitrated") and change.get("lead_department_id") is not None:
        parts.append(tr("责任部门：") + departments_text(reference, change["lead_department_id"],
                                                      change.get("co_department_ids")))
        if change.get("resolution_class"):
            parts.append(class_label(change["resolution_class"]))
    if kind == "case.recalled" and change.get("recalled_from") is not None:
        parts.append(tr("撤回自：") + reference.department_name(change["recalled_from"]))
    if kind == "case.returned" and change.get("department_id") is not None:
        parts.append(tr("退回部门：") + reference.department_name(change["department_id"]))
    if change.get("reason"):
        parts.append(tr("理由：") + str(change["reason"]))
    if "days" in change and kind.startswith("case.extension"):
        parts.append(tr("{days} 个工作日").format(days=f"{float(change['days']):g}"))
    if kind == "case.feedback":
        parts.append(tr("结果：") + str(change.get("result", "")))
        if change.get("evidence"):
            parts.append(tr("佐证 {n} 份").format(n=len(change["evidence"])))
    if kind == "case.reworked" and change.get("rework_count"):
        parts.append(tr("第 {n} 次返工").format(n=change["rework_count"]))
    if kind == "case.closed" and change.get("on_time") is not None:
        parts.append(tr("按时办结") if change["on_time"] else tr("超时办结"))
    if kind == "case.evaluated" and change.get("satisfaction") is not None:
        parts.append(tr("满意度 {n}/5").format(n=change["satisfaction"]))
    for key, label in (("sign_due_at", tr("签收时限：")), ("due_at", tr("办理时限：")),
                       ("escalate_at", tr("升级时限："))):
        if kind in ("case.sign_overdue", "case.overdue", "case.escalated") and change.get(key):
            parts.append(label + format_time(change[key]))
    if change.get("note") and not change.get("auto"):
        parts.append(tr("说明：") + str(change["note"]))
    return "；".join(parts)


def timeline_entries(timeline: list[dict[str, Any]], reference: Reference) -> list[TimelineEntry]:
    """The `case.get` timeline (seq order) as rows for `TimelineView`."""
    rows = []
    for event in timeline:
        kind, change = event.get("kind", ""), event.get("change") or {}
        actor = actor_text(event.get("actor"))
        if event.get("console") and event.get("actor") != "system":
            actor = f"{actor}（{event['console']}）"
        rows.append(TimelineEntry(format_time(event.get("at")), actor, _event_title(kind, change),
                                  _event_detail(kind, change, reference), _event_tone(kind, change)))
    return rows


def event_summary(event: dict[str, Any], reference: Reference) -> str:
    """One event in a sentence: "sim_desk 于 11-28 08:29 立案（待受理 → 已立案）"."""
    change = event.get("change") or {}
    detail = _event_detail(event.get("kind", ""), change, reference)
    text = tr("{who} 于 {when} {what}").format(who=actor_text(event.get("actor")), when=format_time(event.get("at")),
                                               what=_event_title(event.get("kind", ""), change))
    return f"{text}（{detail}）" if detail else text


# -- refused commands ---------------------------------------------------------------------------------------

FIELD_LABELS = {  # marked for lupdate; translated when shown
    "township_id": QT_TRANSLATE_NOOP(CONTEXT, "乡镇"), "grid_id": QT_TRANSLATE_NOOP(CONTEXT, "网格"),
    "lead_department_id": QT_TRANSLATE_NOOP(CONTEXT, "责任部门"),
    "co_department_ids": QT_TRANSLATE_NOOP(CONTEXT, "协办部门"), "category": QT_TRANSLATE_NOOP(CONTEXT, "类别"),
    "priority": QT_TRANSLATE_NOOP(CONTEXT, "优先级"), "title": QT_TRANSLATE_NOOP(CONTEXT, "标题"),
    "reason": QT_TRANSLATE_NOOP(CONTEXT, "理由"), "note": QT_TRANSLATE_NOOP(CONTEXT, "说明"),
    "resolution_class": QT_TRANSLATE_NOOP(CONTEXT, "办理类别"), "decision": QT_TRANSLATE_NOOP(CONTEXT, "仲裁决定"),
}


def field_label(field: str) -> str:
    return tr(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def case_now_text(case: dict[str, Any], reference: Reference) -> str:
    """What a case is now, in a phrase: "已立案" or "待签收，责任部门：县公安局"."""
    text = state_label(case.get("state"))
    if case.get("lead_department_id") is not None and case.get("state") not in ("reported", "registered"):
        text += tr("，责任部门：") + reference.department_name(case["lead_department_id"])
    return text


def refusal_text(action: str, error: Any, reference: Reference) -> str:
    """Why the server refused `action` (a Chinese verb such as "立案"), naming the cause. `error` is a RemoteError."""
    code, details = getattr(error, "code", "internal"), getattr(error, "details", None) or {}
    head = tr("{action}未成功：").format(action=action)
    if code == "conflict" and details.get("reason") == "stale_version":
        current = details.get("current") or {}
        text = tr("此案件已被 {who} 于 {when} 修改，现为「{now}」。下方已显示最新情况，请核对后重新决定。")
        return head + text.format(
            who=actor_text(details.get("updated_by")), when=format_time(details.get("updated_at")),
            now=case_now_text(current, reference))
    if code == "conflict" and details.get("reason") == "invalid_transition":
        text = head + tr("此案件现为「{state}」，不能{action}。").format(state=state_label(details.get("state")),
                                                                 action=action)
        allowed = details.get("allowed_from") or []
        if allowed:
            text += tr("只有「{states}」的案件可以{action}。").format(
                states="、".join(state_label(s) for s in allowed), action=action)
        return text
    if code == "forbidden":
        return head + tr("当前账号无权执行此操作。")
    if code == "not_found":
        if details.get("field"):
            return head + tr("所选{field}不存在，请重新选择。").format(field=field_label(details["field"]))
        return head + tr("此案件不存在。")
    if code == "invalid_format":
        field = details.get("field") or (details.get("path") or "").removeprefix("body.")
        return head + tr("输入有误（{field}）：{message}").format(field=field_label(field) if field else "-",
                                                            message=getattr(error, "message", ""))
    if code == "rate_limited":
        return head + tr("操作过于频繁，请稍候再试。")
    if code == "unavailable":
        return head + tr("服务器没有应答，无法确认是否已执行，请稍后查看此案件的状态。")
    if code == "unauthorized":
        return head + tr("登录已失效，请重新登录。")
    return head + (getattr(error, "message", "") or code)
