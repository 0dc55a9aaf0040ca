"""Memberships get a "contact" marker: the only people of a structure its support point sees.
Existing structures start with their owners as contacts, so a support point that followed them
keeps someone to talk to, and no one else is shown."""

from django.db import migrations, models


def owners_are_contacts(apps, schema_editor):
    Membership = apps.get_model("accelerator", "Membership")
    Membership.objects.filter(role="owner").update(is_contact=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0004_followup"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="is_contact",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "The support point of the territory sees the name and e-mail of contacts."
                ),
                verbose_name="contact for the support point",
            ),
        ),
        migrations.RunPython(owners_are_contacts, migrations.RunPython.noop),
    ]
