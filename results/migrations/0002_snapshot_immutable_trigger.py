"""A database guard: no UPDATE of a published snapshot, even past the ORM."""

from django.db import migrations

SQLITE_UP = [
    "CREATE TRIGGER results_snapshot_immutable BEFORE UPDATE ON results_resultsnapshot "
    "BEGIN SELECT RAISE(ABORT, 'published result snapshots are immutable'); END"
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS results_snapshot_immutable"]

POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION results_snapshot_immutable() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'published result snapshots are immutable'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER results_snapshot_immutable BEFORE UPDATE ON results_resultsnapshot "
    "FOR EACH ROW EXECUTE FUNCTION results_snapshot_immutable()",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS results_snapshot_immutable ON results_resultsnapshot",
    "DROP FUNCTION IF EXISTS results_snapshot_immutable()",
]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for statement in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
