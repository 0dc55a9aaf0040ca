"""Obstacle events take the one shape of a transition log (accelerator.models.TransitionLog): a
transition's name up to 40 characters, and a comment the table no longer requires (the obstacle
machine still asks for one before a move)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0006_compact_structure_identifiers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="obstacleevent",
            name="comment",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="obstacleevent",
            name="name",
            field=models.CharField(max_length=40),
        ),
    ]
