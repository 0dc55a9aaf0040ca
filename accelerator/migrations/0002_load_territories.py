"""Load the French régions and départements (INSEE codes) from accelerator.data.territories."""

from django.db import migrations

from accelerator.data import territories


def load_territories(apps, schema_editor):
    territories.load(apps.get_model("accelerator", "Region"), apps.get_model("accelerator", "Department"))


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0001_initial"),
    ]

    # Reversing keeps the rows: structures and support points point at them (PROTECT).
    operations = [
        migrations.RunPython(load_territories, migrations.RunPython.noop),
    ]
