"""Every exception a command can raise becomes one protocol error here, and only here."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError

from services import protocol as p
from services.backend.db import DatabaseUnavailable
from services.domain.errors import DomainError

log = logging.getLogger(__name__)


class ProtocolError(Exception):
    """A request-level error raised by the hub itself (bad envelope, unknown type, id reuse, rate limit...)."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


@dataclass(frozen=True)
class MappedError:
    code: str
    message: str
    details: dict[str, Any]


def map_exception(exc: BaseException) -> MappedError:
    if isinstance(exc, ProtocolError):
        return MappedError(exc.code, exc.message, exc.details)
    if isinstance(exc, p.SchemaError):
        return MappedError(p.INVALID_FORMAT, str(exc), {"path": exc.path})
    if isinstance(exc, DomainError):
        return MappedError(exc.code, exc.message, exc.details)
    if isinstance(exc, DatabaseUnavailable | OperationalError):
        log.warning("database unavailable: %s", exc)
        return MappedError(p.UNAVAILABLE, "the database is temporarily unavailable; retry", {})
    if isinstance(exc, DBAPIError):
        log.error("database error: %s", exc)
        return MappedError(p.INTERNAL, "database error", {})
    log.exception("internal error", exc_info=exc)
    return MappedError(p.INTERNAL, "internal server error", {})
