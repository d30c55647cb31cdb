"""The ballot file of a snapshot (tens of megabytes for a city-wide vote) compressed
with lz4 instead of PostgreSQL's default pglz: storing 100,000 rankings took about 6 s
with pglz and under 1 s with lz4 (docs/benchmarks.md). Only on PostgreSQL 14 or later
built with lz4; elsewhere the column stays as it is."""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("ballots", "canonical")


def _compression(method):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or connection.pg_version < 140000:
            return
        for column in COLUMNS:
            try:
                with transaction.atomic(using=connection.alias):
                    schema_editor.execute(
                        f"ALTER TABLE results_resultsnapshot ALTER COLUMN {column} SET COMPRESSION {method}"
                    )
            except DatabaseError:  # a server built without lz4: keep the default
                return

    return run


class Migration(migrations.Migration):
    dependencies = [("results", "0002_snapshot_immutable_trigger")]

    operations = [migrations.RunPython(_compression("lz4"), _compression("pglz"))]
