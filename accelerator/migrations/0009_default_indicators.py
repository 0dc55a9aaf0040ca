"""Load the default impact indicators from accelerator.data.indicators."""

from django.db import migrations

from accelerator.data import indicators


def load_indicators(apps, schema_editor):
    indicators.load(apps.get_model("accelerator", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0008_impact_measurement"),
    ]

    # Reversing keeps the rows: plans and reports point at them (PROTECT).
    operations = [
        migrations.RunPython(load_indicators, migrations.RunPython.noop),
    ]
