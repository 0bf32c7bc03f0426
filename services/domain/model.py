"""Entities of the command center (pure data, Qt-free). Times are UTC epoch seconds (float)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    duty_officer = "duty_officer"
    leader = "leader"
    mediator = "mediator"
    department = "department"
    village = "village"
    grid_worker = "grid_worker"
    admin = "admin"
    intake = "intake"
    """A channel integration (12345 hotline, apps, platforms): reports cases and opens disputes, nothing else."""
    analytics = "analytics"
    """Video analytics or a sensor gateway: raises alarms on cameras, nothing else."""


ROLE_LABELS = {
    Role.duty_officer: "值班员", Role.leader: "领导", Role.mediator: "调解员", Role.department: "部门联络员",
    Role.village: "村社", Role.grid_worker: "网格员", Role.admin: "管理员",
    Role.intake: "渠道接入", Role.analytics: "视频分析",
}


class CaseState(StrEnum):
    reported = "reported"        # 上报
    registered = "registered"    # 立案
    rejected = "rejected"        # 不予立案 (terminal)
    dispatched = "dispatched"    # 派遣, awaiting 签收
    returned = "returned"        # 退回, in the arbitration queue
    handling = "handling"        # 已签收, 处置中
    feedback = "feedback"        # 已反馈, awaiting 核查
    verified = "verified"        # 核查通过
    closed = "closed"            # 结案
    evaluated = "evaluated"      # 已评价 (terminal)


CASE_STATE_LABELS = {
    CaseState.reported: "待受理", CaseState.registered: "已立案", CaseState.rejected: "不予立案",
    CaseState.dispatched: "待签收", CaseState.returned: "退回待仲裁", CaseState.handling: "处置中",
    CaseState.feedback: "待核查", CaseState.verified: "核查通过", CaseState.closed: "已结案",
    CaseState.evaluated: "已评价",
}

OPEN_STATES = frozenset(
    {CaseState.reported, CaseState.registered, CaseState.dispatched, CaseState.returned,
     CaseState.handling, CaseState.feedback, CaseState.verified}
)
CLOCKED_STATES = frozenset({CaseState.dispatched, CaseState.returned, CaseState.handling})
"""States in which the department's clock runs: from dispatch until its feedback. A failed verification
(rework) puts the case back in handling and the clock runs again; on-time closure is judged by the
accepted feedback's time."""


class ResolutionClass(StrEnum):
    immediate = "immediate"      # 及时办
    coordinated = "coordinated"  # 协调办
    planned = "planned"          # 统筹办


RESOLUTION_CLASS_LABELS = {
    ResolutionClass.immediate: "及时办", ResolutionClass.coordinated: "协调办", ResolutionClass.planned: "统筹办",
}


class WhistleState(StrEnum):
    raised = "raised"        # 已吹哨, awaiting review by 民情办
    approved = "approved"    # 已交派, departments called
    rejected = "rejected"    # 驳回 (unjustified)
    resolved = "resolved"    # 已解决


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the authenticated user, and the console the request came from."""

    user_id: int
    name: str
    role: Role
    department_id: int | None = None
    township_id: int | None = None
    console: str = ""


SYSTEM_ACTOR = Actor(user_id=0, name="system", role=Role.admin, console="server")


@dataclass(frozen=True)
class Township:
    id: int
    code: str
    name: str
    kind: str  # 街道 / 镇 / 乡 / 管理处 / 开发区


@dataclass(frozen=True)
class ServicePoint:
    id: int
    township_id: int
    name: str


@dataclass(frozen=True)
class Grid:
    id: int
    township_id: int
    service_point_id: int | None
    code: str
    name: str
    worker: str = ""


@dataclass(frozen=True)
class Department:
    id: int
    code: str
    name: str
    leader: str = ""
    liaison: str = ""
    township_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Channel:
    code: str
    name: str


@dataclass(frozen=True)
class Camera:
    id: int
    name: str
    township_id: int | None
    grid_id: int | None
    lat: float | None
    lon: float | None
    main_url: str
    sub_url: str


@dataclass
class Case:
    id: int
    code: str
    version: int
    state: CaseState
    channel: str
    category: str
    title: str
    description: str = ""
    township_id: int | None = None
    grid_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    priority: int = 3
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_id_number: str = ""
    duplicate_of: int | None = None
    lead_department_id: int | None = None
    co_department_ids: list[int] = field(default_factory=list)
    resolution_class: ResolutionClass | None = None
    reported_at: float = 0.0
    registered_at: float | None = None
    dispatched_at: float | None = None
    sign_due_at: float | None = None
    signed_at: float | None = None
    due_soon_at: float | None = None
    due_at: float | None = None
    escalate_at: float | None = None
    extension_days: float = 0.0
    extension_pending: dict[str, object] | None = None
    feedback_at: float | None = None
    verified_at: float | None = None
    closed_at: float | None = None
    on_time: bool | None = None
    rework_count: int = 0
    return_count: int = 0
    supervision_count: int = 0
    sign_overdue: bool = False
    overdue: bool = False
    escalated: bool = False
    satisfaction: int | None = None
    note: str = ""
    updated_at: float = 0.0
    updated_by: str = ""


@dataclass
class WhistleCall:
    """One department called by a whistle: its arrival and the two-way scores."""

    department_id: int
    arrival_due_at: float
    arrived_at: float | None = None
    arrived_by: str = ""
    evidence: str = ""
    on_time: bool | None = None
    village_score: dict[str, int] | None = None      # village -> department: arrival, staffing, handling, outcome
    department_score: dict[str, object] | None = None  # department -> village: justified, cooperation


@dataclass
class Whistle:
    id: int
    code: str
    version: int
    state: WhistleState
    township_id: int
    grid_id: int | None
    title: str
    description: str
    proposal: str
    raised_by: str
    raised_at: float
    resolution_class: ResolutionClass | None = None
    approved_at: float | None = None
    due_at: float | None = None
    resolved_at: float | None = None
    reject_reason: str = ""
    calls: list[WhistleCall] = field(default_factory=list)
    updated_at: float = 0.0
    updated_by: str = ""
