"""The site's two content languages as Wagtail locales: French (the pages made so far) and
English, in which staff translate them with wagtail-localize."""

from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in ("fr", "en"):
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_site_pages_actors_and_agenda"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
