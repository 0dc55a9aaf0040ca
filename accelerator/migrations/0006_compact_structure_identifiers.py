"""Stored SIRETs and RNA numbers in their one compact form (ASCII digits, no spaces or dots).

Until now a SIRET typed with full-width digits (“７３２…”) was stored as typed, so the unique SIRET
missed the structure already registered with “732…”. Two rows may therefore become the same
SIRET once compacted: the unique constraint forbids storing both, and merging two structures
(members, dossiers, accompaniments) is a decision for people, not for a migration. Such a row is
left as it is and named on stderr with the structure it collides with; the others are fixed.
"""

import sys
from collections import defaultdict

from django.db import migrations

from accelerator.identifiers import SIRET_LENGTH, normalise_rna, normalise_siret

RNA_MAX_LENGTH = 10


def compact_identifiers(apps, schema_editor):
    """Fix every identifier not in compact form; return the reasons of the rows left as they are."""
    Structure = apps.get_model("accelerator", "Structure")
    rows = list(Structure.objects.order_by("pk").only("pk", "name", "siret", "rna"))
    skipped = []
    by_siret = defaultdict(list)
    for row in rows:
        by_siret[normalise_siret(row.siret)].append(row)
    for compact, group in by_siret.items():
        # A row already stored in compact form keeps the number; otherwise the oldest row gets it.
        holder = next((row for row in group if row.siret == compact), None)
        for row in group:
            if row.siret == compact:
                continue
            if not compact or len(compact) > SIRET_LENGTH:
                skipped.append(
                    f"structure #{row.pk} “{row.name}”: its SIRET {row.siret!r} is no SIREN or "
                    f"SIRET once compacted ({compact!r}); left as it is, correct it by hand."
                )
            elif holder is not None:
                skipped.append(
                    f"structure #{row.pk} “{row.name}”: its SIRET {row.siret!r} is {compact} once "
                    f"compacted, the SIRET of structure #{holder.pk} “{holder.name}”; left as it "
                    "is: merge the two structures by hand, then correct or delete this one."
                )
            else:
                Structure.objects.filter(pk=row.pk).update(siret=compact)
                holder = row
    for row in rows:
        rna = normalise_rna(row.rna)
        if rna == row.rna:
            continue
        if len(rna) > RNA_MAX_LENGTH:
            skipped.append(
                f"structure #{row.pk} “{row.name}”: its RNA number {row.rna!r} is {rna!r} once "
                "compacted, too long to be one; left as it is, correct it by hand."
            )
        else:
            Structure.objects.filter(pk=row.pk).update(rna=rna)
    for reason in skipped:
        sys.stderr.write(f"accelerator 0006, identifier not compacted: {reason}\n")
    return skipped


class Migration(migrations.Migration):
    dependencies = [
        ("accelerator", "0005_membership_is_contact"),
    ]

    operations = [
        # Backwards there is nothing to undo: the compact form is what the old code stored too.
        migrations.RunPython(compact_identifiers, migrations.RunPython.noop),
    ]
