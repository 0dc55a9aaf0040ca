"""What an applicant should do first about their dossiers, for the top of their home page: a
complement the programme team asked for, a draft on a call that closes soon. Registered from
ApplicationsConfig.ready() with accelerator.views.applicant.home; one query, whatever the count."""

from datetime import timedelta

from django.db.models import DateTimeField, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Dossier, DossierState

# A draft needs attention when its deadline falls within this many days.
CLOSING_SOON = timedelta(days=14)
# At most this many dossiers at the top of the page (the full list is one click away).
LIMIT = 10


def dossier_actions(structure_ids, now=None):
    """The dossiers of `structure_ids` that wait for their applicants, the nearest deadline
    first: each a dict with `kind` ("info_requested" or "closing_soon"), `text`, `link`, `due`
    (an aware datetime or None) and `dossier`."""
    if not structure_ids:
        return []
    now = now or timezone.now()
    deadline = Greatest(
        Coalesce("deadline_extended_to", "call__closes_at"),
        "call__closes_at",
        output_field=DateTimeField(),
    )
    dossiers = (
        Dossier.objects.filter(structure_id__in=structure_ids)
        .annotate(effective_deadline=deadline)
        .filter(
            Q(state=DossierState.INFO_REQUESTED)
            | Q(
                state=DossierState.DRAFT,
                effective_deadline__gt=now,
                effective_deadline__lte=now + CLOSING_SOON,
            )
        )
        .select_related("call", "structure")
        .order_by("effective_deadline", "pk")[:LIMIT]
    )
    actions = []
    for dossier in dossiers:
        values = {"call": dossier.call.title, "structure": dossier.structure.name}
        if dossier.state == DossierState.INFO_REQUESTED:
            actions.append(
                {
                    "kind": "info_requested",
                    "text": _(
                        "The programme team asks %(structure)s for a complement to the dossier "
                        "on “%(call)s”."
                    )
                    % values,
                    "due": dossier.info_reply_due_at,
                    "link": reverse("applications:dossier", args=[dossier.pk]),
                    "dossier": dossier,
                }
            )
        else:
            actions.append(
                {
                    "kind": "closing_soon",
                    "text": _("The draft of %(structure)s on “%(call)s” is not submitted yet.")
                    % values,
                    "due": dossier.effective_deadline,
                    "link": reverse("applications:dossier", args=[dossier.pk]),
                    "dossier": dossier,
                }
            )
    # A complement asked for comes first: the dossier is stopped until it arrives.
    actions.sort(
        key=lambda action: (
            action["kind"] != "info_requested",
            action["due"] is None,
            action["due"].timestamp() if action["due"] else 0,
        )
    )
    return actions
