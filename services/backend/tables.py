"""The schema (SQLAlchemy 2 typed ORM). Created only by Alembic migrations (backend/migrations).

Times are UTC epoch seconds (double precision). JSON columns hold small lists/objects only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

BigId = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit ids on PostgreSQL; INTEGER on SQLite so the column is the rowid alias (auto-increment)."""


class Base(DeclarativeBase):
    pass


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(Integer)
    township_id: Mapped[int | None] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    """scrypt (services/backend/passwords.py); empty: this user logs in with the token only."""
    token_expires_at: Mapped[float] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[float] = mapped_column(Float)


class TownshipRow(Base):
    __tablename__ = "townships"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    geometry: Mapped[Any | None] = mapped_column(JSON)


class ServicePointRow(Base):
    __tablename__ = "service_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    township_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(64))
    grid_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """The grids it serves: its own first, then the neighbouring grid it backs up."""


class GridRow(Base):
    __tablename__ = "grids"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    township_id: Mapped[int] = mapped_column(Integer, index=True)
    service_point_id: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    worker: Mapped[str] = mapped_column(String(64), default="")
    party_branch: Mapped[str] = mapped_column(String(128), default="")
    """The grid party branch (网格党支部) of its village/community."""
    geometry: Mapped[Any | None] = mapped_column(JSON)


class MediatorRow(Base):
    """The mediator roster: lawyers, counsellors, retired political-legal officers, local experts."""

    __tablename__ = "mediators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    kind_name: Mapped[str] = mapped_column(String(64))
    organization: Mapped[str] = mapped_column(String(128), default="")
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    township_id: Mapped[int | None] = mapped_column(Integer)


class DepartmentRow(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    leader: Mapped[str] = mapped_column(String(64), default="")
    liaison: Mapped[str] = mapped_column(String(64), default="")
    township_ids: Mapped[list[int]] = mapped_column(JSON, default=list)


class ChannelRow(Base):
    __tablename__ = "channels"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))


class CameraRow(Base):
    __tablename__ = "cameras"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    township_id: Mapped[int | None] = mapped_column(Integer)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    main_url: Mapped[str] = mapped_column(String(512))
    sub_url: Mapped[str] = mapped_column(String(512))


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    township_id: Mapped[int | None] = mapped_column(Integer)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    priority: Mapped[int] = mapped_column(Integer, default=3)
    reporter_name: Mapped[str] = mapped_column(String(64), default="")
    reporter_phone: Mapped[str] = mapped_column(String(32), default="")
    reporter_id_number: Mapped[str] = mapped_column(String(32), default="")
    duplicate_of: Mapped[int | None] = mapped_column(BigId)
    lead_department_id: Mapped[int | None] = mapped_column(Integer)
    co_department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    resolution_class: Mapped[str | None] = mapped_column(String(16))
    reported_at: Mapped[float] = mapped_column(Float)
    registered_at: Mapped[float | None] = mapped_column(Float)
    dispatched_at: Mapped[float | None] = mapped_column(Float)
    sign_due_at: Mapped[float | None] = mapped_column(Float)
    signed_at: Mapped[float | None] = mapped_column(Float)
    due_soon_at: Mapped[float | None] = mapped_column(Float)
    due_at: Mapped[float | None] = mapped_column(Float)
    escalate_at: Mapped[float | None] = mapped_column(Float)
    extension_days: Mapped[float] = mapped_column(Float, default=0.0)
    extension_pending: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    feedback_at: Mapped[float | None] = mapped_column(Float)
    verified_at: Mapped[float | None] = mapped_column(Float)
    closed_at: Mapped[float | None] = mapped_column(Float)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    return_count: Mapped[int] = mapped_column(Integer, default=0)
    supervision_count: Mapped[int] = mapped_column(Integer, default=0)
    sign_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (
        Index("ix_cases_state_due", "state", "due_at"),
        Index("ix_cases_state_overdue", "state", "overdue"),
        Index("ix_cases_reported_at", "reported_at"),
        Index("ix_cases_closed_on_time", "closed_at", "on_time"),  # covers stats.today/stats.wall closures
        Index("ix_cases_registered_at", "registered_at"),
        Index("ix_cases_dispatched_at", "dispatched_at"),
        Index("ix_cases_lead_state_closed", "lead_department_id", "state", "closed_at", "on_time"),
        Index("ix_cases_township_state_closed", "township_id", "state", "closed_at", "on_time"),
        Index("ix_cases_dup", "category", "grid_id", "reported_at"),
    )


class WhistleRow(Base):
    __tablename__ = "whistles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    township_id: Mapped[int] = mapped_column(Integer)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    proposal: Mapped[str] = mapped_column(Text, default="")
    raised_by: Mapped[str] = mapped_column(String(64))
    raised_at: Mapped[float] = mapped_column(Float, index=True)
    resolution_class: Mapped[str | None] = mapped_column(String(16))
    approved_at: Mapped[float | None] = mapped_column(Float)
    due_at: Mapped[float | None] = mapped_column(Float)
    resolved_at: Mapped[float | None] = mapped_column(Float)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    calls: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class EventRow(Base):
    """The append-only log. `seq` is gap-free and global: writers are serialized (see store.py)."""

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    ts: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(48))
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(BigId)
    actor: Mapped[str] = mapped_column(String(64))
    console: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (Index("ix_events_entity", "entity", "entity_id", "seq"),)


class Idempotency(Base):
    __tablename__ = "idempotency"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idem: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)


class AuditRow(Base):
    """Append-only: logins, failures, every change, every denial, every export."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ts: Mapped[float] = mapped_column(Float, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(48))
    outcome: Mapped[str] = mapped_column(String(24))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    remote: Mapped[str] = mapped_column(String(64), default="")


class AlarmRow(Base):
    """An alarm from video analytics or a sensor: a place (its camera's) and a time, never a person."""

    __tablename__ = "alarms"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    camera_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    raised_at: Mapped[float] = mapped_column(Float, index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    township_id: Mapped[int | None] = mapped_column(Integer)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    handled_at: Mapped[float | None] = mapped_column(Float)
    handled_by: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(BigId)
    updated_at: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (Index("ix_alarms_state_raised", "state", "raised_at"),)


class DisputeRow(Base):
    """A dispute for the mediation center; parties and sessions are small JSON lists."""

    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[float] = mapped_column(Float, index=True)
    due_at: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text, default="")
    township_id: Mapped[int | None] = mapped_column(Integer)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    parties: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    case_id: Mapped[int | None] = mapped_column(BigId)
    channel: Mapped[str] = mapped_column(String(32), default="")
    opened_by: Mapped[str] = mapped_column(String(64), default="")
    mediator_id: Mapped[int | None] = mapped_column(Integer)
    assigned_at: Mapped[float | None] = mapped_column(Float)
    next_session_at: Mapped[float | None] = mapped_column(Float)
    room: Mapped[str] = mapped_column(String(64), default="")
    sessions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    concluded_at: Mapped[float | None] = mapped_column(Float)
    outcome_text: Mapped[str] = mapped_column(Text, default="")
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    followed_up_at: Mapped[float | None] = mapped_column(Float)
    honoured: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (Index("ix_disputes_state_opened", "state", "opened_at"),)
