"""Wagtail's default moderation workflow and its task, named in French.

Wagtail names both after the group that may publish: “Moderators approval”, which the French
admin then shows as “Soumettre à Moderators approval”. Renamed only while they still carry
Wagtail's default names, so that a name chosen by the programme's team is never overwritten.
"""

from django.db import migrations

DEFAULT = "Moderators approval"
WORKFLOW = "Validation avant publication"
TASK = "Validation par les modérateurs"


def rename(apps, old_workflow, new_workflow, old_task, new_task):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old_workflow).update(
        name=new_workflow
    )
    apps.get_model("wagtailcore", "Task").objects.filter(name=old_task).update(name=new_task)


def to_french(apps, schema_editor):
    rename(apps, DEFAULT, WORKFLOW, DEFAULT, TASK)


def to_default(apps, schema_editor):
    rename(apps, WORKFLOW, DEFAULT, TASK, DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_french, to_default)]
