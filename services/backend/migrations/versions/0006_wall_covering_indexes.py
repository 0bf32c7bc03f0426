"""cases: indexes that cover the wall's closures (stats.wall) and today's closed counter

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 20:30:00

Each new index extends an old one (which it replaces: the old is its prefix), so writes maintain as many indexes as
before. Measured on 1,000,000 cases (bench/counters.py, docs/BENCHMARKS.md): the window's closures per day,
township and department read 82,000 rows through ix_cases_closed_at (145 ms on SQLite); covered, ~30 ms.
"""

from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

REPLACED = [
    # (old name, old columns, new name, new columns)
    ('ix_cases_closed_at', ['closed_at'], 'ix_cases_closed_on_time', ['closed_at', 'on_time']),
    ('ix_cases_township_state', ['township_id', 'state'],
     'ix_cases_township_state_closed', ['township_id', 'state', 'closed_at', 'on_time']),
    ('ix_cases_lead_state', ['lead_department_id', 'state'],
     'ix_cases_lead_state_closed', ['lead_department_id', 'state', 'closed_at', 'on_time']),
]


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for old, _old_columns, new, new_columns in REPLACED:
            batch_op.drop_index(old)
            batch_op.create_index(new, new_columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for old, old_columns, new, _new_columns in REPLACED:
            batch_op.drop_index(new)
            batch_op.create_index(old, old_columns, unique=False)
