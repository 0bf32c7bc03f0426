"""The write hot path on the DB-API cursor of an open SQLAlchemy transaction.

The writer thread runs ~6 statements per change. Through `Connection.execute` each one cost ~10x the
database's own work in SQLAlchemy's Python (cache keys, result set-up), and the writer holds the GIL the
event loop needs to fan events out (bench/fanout.py, py-spy --gil: the writer held it 64 % of the time at
200 changes/s). Here each statement is a SQL string built once from the ORM table, run on the driver's
cursor in the same transaction; JSON and boolean columns are converted the way SQLAlchemy stores them, so
rows written here read back identically through the ORM (tests/backend/test_rawsql.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, Boolean, Connection
from sqlalchemy.exc import DBAPIError

_NAMED = re.compile(r":([a-z_][a-z0-9_]*)")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class RawTable:
    """SQL strings and value conversions for one ORM table, in one dialect's parameter style."""

    def __init__(self, orm: Any, dialect: str) -> None:
        table = orm.__table__
        self.name = table.name
        self.pg = dialect == "postgresql"
        self.columns: tuple[str, ...] = tuple(c.name for c in table.columns)
        self.json_columns = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
        self.bool_columns = frozenset(c.name for c in table.columns if isinstance(c.type, Boolean))
        self.select_by_id = self.sql(f"SELECT {', '.join(self.columns)} FROM {self.name} WHERE id = :id")

    def sql(self, statement: str) -> str:
        """`:name` parameters as the driver wants them (sqlite3 takes them as is; psycopg wants %(name)s)."""
        return _NAMED.sub(r"%(\1)s", statement) if self.pg else statement

    def insert(self, columns: Iterable[str], returning_id: bool = False) -> str:
        cols = list(columns)
        stmt = f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"
        if returning_id and self.pg:
            stmt += " RETURNING id"
        return self.sql(stmt)

    def update_if_version(self, columns: Iterable[str]) -> str:
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        return self.sql(f"UPDATE {self.name} SET {sets} WHERE id = :_id AND version = :_version")

    def encode(self, values: dict[str, Any]) -> dict[str, Any]:
        """Python values → driver parameters (JSON columns as JSON text)."""
        out = dict(values)
        for name in self.json_columns.intersection(values):
            if out[name] is not None:
                out[name] = dumps(out[name])
        return out

    def decode(self, row: Sequence[Any]) -> dict[str, Any]:
        """A row of `select_by_id` → {column: Python value}."""
        values = dict(zip(self.columns, row, strict=True))
        for name in self.json_columns:
            if isinstance(values[name], str):  # SQLite gives text; psycopg decodes json itself
                values[name] = json.loads(values[name])
        for name in self.bool_columns:
            if values[name] is not None:
                values[name] = bool(values[name])
        return values


class RawCursor:
    """A driver cursor on the SQLAlchemy connection's open transaction; driver errors become SQLAlchemy's."""

    def __init__(self, conn: Connection) -> None:
        dbapi_conn = conn.connection.driver_connection
        if dbapi_conn is None:
            raise RuntimeError("the connection has no driver connection")
        self._dialect = conn.dialect
        self._cursor = dbapi_conn.cursor()
        self._error = conn.dialect.loaded_dbapi.Error

    def _wrap(self, statement: str, params: Any, exc: Exception) -> DBAPIError:
        return DBAPIError.instance(statement, params, exc, self._error, dialect=self._dialect)

    def execute(self, statement: str, params: dict[str, Any] | None = None) -> Any:
        try:
            self._cursor.execute(statement, params or {})
        except self._error as exc:
            raise self._wrap(statement, params, exc) from exc
        return self._cursor

    def executemany(self, statement: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        try:
            self._cursor.executemany(statement, rows)
        except self._error as exc:
            raise self._wrap(statement, rows[:3], exc) from exc

    def one(self, statement: str, params: dict[str, Any] | None = None) -> Any:
        return self.execute(statement, params).fetchone()

    def scalar(self, statement: str, params: dict[str, Any] | None = None) -> Any:
        row = self.one(statement, params)
        return None if row is None else row[0]

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    @property
    def lastrowid(self) -> int:
        return int(self._cursor.lastrowid)

    def close(self) -> None:
        self._cursor.close()
