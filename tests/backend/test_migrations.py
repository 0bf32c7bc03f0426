"""Alembic: upgrade to head and back on both databases; the migrations match the ORM schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from services.backend.db import open_engines
from services.backend.migrate import downgrade, table_names, upgrade
from services.backend.tables import Base

TABLES = {"meta", "users", "townships", "service_points", "grids", "departments", "channels", "cameras", "cases",
          "whistles", "events", "idempotency", "audit", "mediators"}


def test_upgrade_head_downgrade_base_and_again(db_url: str) -> None:
    engines = open_engines(db_url)
    try:
        upgrade(engines.write)
        assert table_names(engines.write) >= TABLES
        with engines.write.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        downgrade(engines.write, "base")
        assert table_names(engines.write) <= {"alembic_version"}
        upgrade(engines.write)
        assert table_names(engines.write) >= TABLES
    finally:
        engines.dispose()


def test_upgrade_0003_keeps_existing_rows(db_url: str) -> None:
    """The roster migration adds NOT NULL columns: rows already there must take the defaults (PostgreSQL too)."""
    from sqlalchemy import text

    engines = open_engines(db_url)
    try:
        upgrade(engines.write, "0002")
        with engines.write.begin() as conn:
            conn.execute(text("INSERT INTO service_points (id, township_id, name) VALUES (1, 1, 'sp')"))
            conn.execute(text("INSERT INTO grids (id, township_id, code, name, worker) VALUES (1, 1, 'G1', 'g', 'w')"))
        upgrade(engines.write)
        with engines.write.connect() as conn:
            assert conn.execute(text("SELECT party_branch FROM grids")).scalar_one() == ""
            assert conn.execute(text("SELECT grid_ids FROM service_points")).scalar_one() in ([], "[]")
    finally:
        engines.dispose()
