"""The staff search finds structures through indexes on PostgreSQL instead of reading every
structure: a GIN index on the same weighted vector as `accelerator.domain.search.find_structures`
writes (name A, town B, in `french_unaccent`, written here exactly as Django compiles it, so that
PostgreSQL matches the two), and a B-tree on the postcode (the typed SIRET's prefix already has
the `_like` index Django gives a unique text column). Nothing happens on SQLite, whose search is
a plain fallback."""

from django.db import migrations

INDEXES = {
    "accelerator_structure_search": (
        "USING gin ((setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(name, '')), 'A')"
        " || setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(city, '')), 'B')))"
    ),
    "accelerator_structure_postcode": "(postcode)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON accelerator_structure {definition}"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0012_support_point_structure"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
