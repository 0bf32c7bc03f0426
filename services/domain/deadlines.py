"""Deadlines of cases and whistles on the working-day clock: sign, due soon, due, escalation, arrival."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from config.schema import Rules
from services.domain.model import ResolutionClass
from services.domain.workcalendar import CST, WorkCalendar


def to_dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, CST)


class Urgency(StrEnum):
    on_track = "on_track"
    due_soon = "due_soon"    # past 80 % of the limit
    overdue = "overdue"      # past the limit -> supervision
    escalated = "escalated"  # past 2x the limit -> leaders' list


@dataclass(frozen=True)
class ResolutionDeadlines:
    sign_due_at: float
    due_soon_at: float
    due_at: float
    escalate_at: float


class DeadlinePolicy:
    def __init__(self, calendar: WorkCalendar, rules: Rules) -> None:
        self.calendar = calendar
        self.rules = rules

    def limit_seconds(self, resolution_class: ResolutionClass, extension_days: float = 0.0) -> float:
        days = self.rules.case.class_limit_days[resolution_class.value] + extension_days
        return days * self.calendar.day_seconds

    def for_dispatch(
        self, dispatched_at: float, resolution_class: ResolutionClass, extension_days: float = 0.0
    ) -> ResolutionDeadlines:
        start = to_dt(dispatched_at)
        limit = self.limit_seconds(resolution_class, extension_days)
        cal = self.calendar
        return ResolutionDeadlines(
            sign_due_at=cal.add_working_hours(start, self.rules.case.sign_limit_hours).timestamp(),
            due_soon_at=cal.add_working_seconds(start, limit * self.rules.case.due_soon_ratio).timestamp(),
            due_at=cal.add_working_seconds(start, limit).timestamp(),
            escalate_at=cal.add_working_seconds(start, limit * self.rules.case.escalate_ratio).timestamp(),
        )

    def arrival_due(self, approved_at: float) -> float:
        days = self.rules.whistle.arrival_limit_days
        return self.calendar.add_working_days(to_dt(approved_at), days).timestamp()

    def resolution_due(self, start: float, resolution_class: ResolutionClass) -> float:
        return self.calendar.add_working_seconds(to_dt(start), self.limit_seconds(resolution_class)).timestamp()

    @staticmethod
    def urgency(now: float, due_soon_at: float | None, due_at: float | None, escalate_at: float | None) -> Urgency:
        if due_at is None:
            return Urgency.on_track
        if escalate_at is not None and now >= escalate_at:
            return Urgency.escalated
        if now >= due_at:
            return Urgency.overdue
        if due_soon_at is not None and now >= due_soon_at:
            return Urgency.due_soon
        return Urgency.on_track

    def remaining_working_seconds(self, now: float, due_at: float) -> float:
        """Working seconds left (negative when overdue): what a countdown on the working-day clock shows."""
        return self.calendar.working_seconds_between(to_dt(now), to_dt(due_at))
