"""The staff's global search on PostgreSQL: the `unaccent` extension and a French text search
configuration that ignores accents (`french_unaccent`: unaccent, then the French stemmer), used by
accelerator.domain.search. Nothing happens on SQLite, whose search is a plain fallback."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CREATE_CONFIGURATION = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
DROP_CONFIGURATION = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent"


class PostgresUnaccentExtension(UnaccentExtension):
    """Django's operation, whose way back also leaves SQLite alone."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_CONFIGURATION)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_CONFIGURATION)


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0010_reminder_settings"),
    ]

    operations = [
        PostgresUnaccentExtension(),
        migrations.RunPython(create_configuration, drop_configuration, elidable=False),
    ]
