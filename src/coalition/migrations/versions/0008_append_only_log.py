"""the change log is append-only on PostgreSQL: UPDATE, DELETE and TRUNCATE are refused

Revision ID: 0008_append_only_log
Revises: 0007_jobs_idempotency
Create Date: 2026-12-02 02:30:00

A trigger binds every role that uses the tables, the owner included (grants alone do not bind
a table's owner, and the application usually owns its tables). Only a superuser who disables
triggers can rewrite history; `coalition history --verify --expect-head` catches that.
SQLite has no roles; there the hash chain and the recorded head are the defence.
"""

from __future__ import annotations

from alembic import op

revision = "0008_append_only_log"
down_revision = "0007_jobs_idempotency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION change_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the change log is append-only: % is not allowed', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION change_log_is_append_only()"
    )
    op.execute(
        "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION change_log_is_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS change_log_no_truncate ON change_log")
    op.execute("DROP TRIGGER IF EXISTS change_log_append_only ON change_log")
    op.execute("DROP FUNCTION IF EXISTS change_log_is_append_only()")
