"""Builders shared by the assignment tests (no tests here): eligible dossiers moved through the
domain, accepted or invited jurors, conflicts written as rows."""

from django.utils import timezone

from applications.domain.dossiers import change_state
from applications.models import ConflictDeclaration, Juror
from tests import factories
from tests.applications.staff_support import submitted_dossier


def eligible_dossier(call, staff, **fields):
    """A dossier submitted by its structure and found eligible by staff."""
    return change_state(submitted_dossier(call, **fields), "mark_eligible", staff)


def eligible_dossiers(call, staff, count, department=None):
    structure_fields = {"department": department} if department else {}
    return [
        eligible_dossier(call, staff, structure=factories.StructureFactory(**structure_fields))
        for _ in range(count)
    ]


def make_juror(call, user=None, accepted=True, **fields):
    """A juror of `call`: accepted (with a new user unless one is given) or only invited."""
    if not accepted:
        n = Juror.objects.count() + 1
        return Juror.objects.create(call=call, email=f"invited{n}@jury.example.org", **fields)
    if user is None:
        # Not the applicants' e-mail domain (example.org): that would suggest a conflict.
        n = Juror.objects.count() + 1
        user = factories.UserFactory(email=f"juror{n}@jury{n}.example.net")
    return Juror.objects.create(
        call=call, email=user.email, user=user, accepted_at=timezone.now(), **fields
    )


def make_jurors(call, count, **fields):
    return [make_juror(call, **fields) for _ in range(count)]


def declare(juror, dossier, kind="none", details=""):
    if kind == "other" and not details:
        details = "A tie the form does not list."
    return ConflictDeclaration.objects.update_or_create(
        juror=juror, dossier=dossier, defaults={"kind": kind, "details": details}
    )[0]
