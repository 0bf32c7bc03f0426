"""Alembic: upgrade to head and back on both databases; the migrations match the ORM schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from services.backend.db import open_engines
from services.backend.migrate import downgrade, table_names, upgrade
from services.backend.tables import Base

TABLES = {"meta", "users", "townships", "service_points", "grids", "departments", "channels", "cameras", "cases",
          "whistles", "events", "idempotency", "audit"}


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
