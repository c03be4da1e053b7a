"""Migrations build the schema the code declares, and undo cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from coalition.storage import migrate
from coalition.storage.tables import metadata


def test_upgrade_builds_exactly_the_declared_tables(empty_engine):
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, metadata) == []


def test_downgrade_to_base_removes_everything_and_upgrade_rebuilds_it(empty_engine):
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(empty_engine)
    assert set(metadata.tables) <= set(inspect(empty_engine).get_table_names())


def test_the_schema_check_expects_alembics_own_head():
    from coalition.storage import migrate

    assert migrate.head_revision() == migrate.HEAD_REVISION
