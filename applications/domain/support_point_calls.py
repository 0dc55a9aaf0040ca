"""A call for points d'appui: appointing its selected candidates as the support points of their
département, with the rights that follow.

A candidate is a structure; once the decision on its dossier is disclosed (its letter released),
the programme's managers appoint it: the structure becomes a `SupportPoint` of its own
département, named after it, and its owners become the support point's members, so they hold the
support point role and land on their territory. Only the owners: a support point reads the data
of other structures (their journey and contacts), and the owners are the people who answer for
the structure and decide who else acts in its name; staff add anyone else in the admin's
“Support points” (RGPD: the least access that does the job).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.domain.cohorts import may_create_cohort
from accelerator.domain.refusals import Refused
from accelerator.models import MemberRole, Membership, Structure, SupportPoint
from applications.domain.deliberation import WIDE_FIELDS, state_shown_to_applicant
from applications.models import CallKind, Dossier, DossierState

# The members of a structure who become the members of its support point.
APPOINTED_ROLES = (MemberRole.OWNER,)
# How many references a refusal names before it only counts the others.
NAMED_REFERENCES = 5


@dataclass(frozen=True)
class Appointment:
    """What appointing one selected dossier did: its structure's support point, whether it was
    opened now, and the people who became its members now."""

    dossier: Dossier
    support_point: SupportPoint
    created: bool
    new_members: tuple

    @property
    def changed(self):
        return self.created or bool(self.new_members)


def is_support_point_call(call):
    return call.kind == CallKind.SUPPORT_POINTS


def may_appoint(actor, call):
    """The people who open the programme's cohorts appoint its points d'appui: its managers and
    superusers (the référent of a cohort fills their cohort, not the programme's partners)."""
    return may_create_cohort(actor, call.programme)


def selected_dossiers(call):
    """The call's selected dossiers, with their structure, its département and their letter."""
    return list(
        Dossier.objects.filter(call=call, state=DossierState.SELECTED)
        .defer(*WIDE_FIELDS)
        .select_related("structure__department", "decision_letter")
        .order_by("reference")
    )


def undisclosed(dossiers, now=None):
    """The dossiers whose selection their structure does not know yet: no released letter says
    so (none at all, one scheduled for later, or one of an earlier decision)."""
    return [d for d in dossiers if state_shown_to_applicant(d, now) != DossierState.SELECTED]


def appointed_points(dossiers):
    """The support point each dossier's structure already is, by structure pk (one query)."""
    return {
        point.structure_id: point
        for point in SupportPoint.objects.filter(
            structure_id__in={dossier.structure_id for dossier in dossiers}
        )
    }


def appoint_selected(call, actor, now=None):
    """Make the structure of every selected dossier of the support-points `call` a support point
    of its département, its owners members of it. Idempotent: a structure appointed before keeps
    its support point (name, e-mail and members staff may have changed), only owners who are
    not members yet are added. Refused, with nothing changed, when the call is not a call for
    points d'appui, when nothing is selected, or while the selection of any dossier is not
    disclosed to its structure: nobody learns a decision from a new menu before its letter.
    A bounded number of queries, whatever the number of dossiers. Returns the `Appointment`s,
    by reference."""
    if not may_appoint(actor, call):
        raise PermissionDenied
    if not is_support_point_call(call):
        raise Refused(_("Only a call for points d'appui appoints points d'appui."))
    with transaction.atomic():
        dossiers = selected_dossiers(call)
        if not dossiers:
            raise Refused(_("No dossier of this call is selected: there is nobody to appoint."))
        hidden = undisclosed(dossiers, now)
        if hidden:
            raise Refused(_refusal_of_undisclosed(hidden))
        structure_ids = sorted({dossier.structure_id for dossier in dossiers})
        # Two staff appointing at once: the second waits, then finds the first one's points.
        list(Structure.objects.select_for_update().filter(pk__in=structure_ids).values("pk"))
        points = appointed_points(dossiers)
        opened = _open_points(dossiers, points)
        added = _add_owners(structure_ids, points)
    return [
        Appointment(
            dossier=dossier,
            support_point=points[dossier.structure_id],
            created=dossier.structure_id in opened,
            new_members=tuple(added.get(dossier.structure_id, ())),
        )
        for dossier in dossiers
    ]


def _refusal_of_undisclosed(hidden):
    references = [dossier.reference for dossier in hidden]
    named = ", ".join(references[:NAMED_REFERENCES])
    if len(references) > NAMED_REFERENCES:
        named = _("%(references)s and %(count)d more") % {
            "references": named,
            "count": len(references) - NAMED_REFERENCES,
        }
    return ngettext(
        "The decision on %(references)s is not disclosed to the candidate yet: release the "
        "decision letters first, then appoint.",
        "The decisions on %(references)s are not disclosed to the candidates yet: release the "
        "decision letters first, then appoint.",
        len(references),
    ) % {"references": named}


def _open_points(dossiers, points):
    """Open the support points of the structures that have none; adds them to `points` and
    returns the pks of their structures."""
    new = {}
    for dossier in dossiers:
        structure = dossier.structure
        if structure.pk in points or structure.pk in new:
            continue
        new[structure.pk] = SupportPoint(
            name=structure.name, department_id=structure.department_id, structure=structure
        )
    if new:
        SupportPoint.objects.bulk_create(new.values())
        if any(point.pk is None for point in new.values()):
            # A database that returns no keys on bulk insert: read them back, once.
            new = {
                point.structure_id: point
                for point in SupportPoint.objects.filter(structure_id__in=new)
            }
        points.update(new)
    return set(new)


def _add_owners(structure_ids, points):
    """Make the owners of each structure members of its support point; returns, by structure
    pk, the users added now."""
    owners = (
        Membership.objects.filter(
            structure_id__in=structure_ids, role__in=APPOINTED_ROLES, user__is_active=True
        )
        .select_related("user")
        .order_by("structure_id", "user__last_name", "user__first_name", "user__email")
    )
    through = SupportPoint.members.through
    present = set(
        through.objects.filter(
            supportpoint_id__in=[point.pk for point in points.values()]
        ).values_list("supportpoint_id", "user_id")
    )
    added, rows = {}, []
    for membership in owners:
        point = points[membership.structure_id]
        if (point.pk, membership.user_id) in present:
            continue
        present.add((point.pk, membership.user_id))
        rows.append(through(supportpoint_id=point.pk, user_id=membership.user_id))
        added.setdefault(membership.structure_id, []).append(membership.user)
    if rows:
        through.objects.bulk_create(rows, ignore_conflicts=True)
    return added
