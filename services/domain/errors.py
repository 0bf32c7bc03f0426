"""Errors the domain raises; the server maps each onto one protocol error code in one place (backend/errors.py)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "internal"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class Forbidden(DomainError):
    code = "forbidden"


class InvalidTransition(DomainError):
    """The action is not allowed in the entity's current state (maps to `conflict`, reason invalid_transition)."""

    code = "conflict"


class NotFound(DomainError):
    code = "not_found"


class InvalidInput(DomainError):
    code = "invalid_format"
