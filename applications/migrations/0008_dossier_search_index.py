"""A GIN index over the words of every dossier's string answers, in the `french_unaccent`
configuration (migration accelerator 0011), for the staff's global search on PostgreSQL
(applications.domain.search.AnswerVector is the same expression). Nothing on SQLite."""

from django.db import migrations

INDEX = "applications_dossier_answers_search"
CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON applications_dossier USING gin "
    "(jsonb_to_tsvector('french_unaccent'::regconfig, answers, '[\"string\"]'::jsonb))"
)
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0011_search"),
        ("applications", "0007_form_profile_fields"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
