"""Builders shared by the jury tests (no tests here): accepted jurors, declarations, assignments
and dossiers ready for the jury, all written through the real models and the domain. Rows
written directly are followed by the refresh the domain runs after such a change, so the stored
figures (ranking, review progress, jurors' counts) read as they would in production."""

from django.utils import timezone

from applications.domain.dossiers import change_state
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import Assignment, ConflictDeclaration, Juror
from tests import factories
from tests.applications.staff_support import submitted_dossier


def make_juror(call, user=None, **fields):
    """An accepted juror of `call` (a new user unless one is given); `accepted=False` gives an
    invited juror who has not answered yet."""
    accepted = fields.pop("accepted", True)
    if not accepted:
        n = Juror.objects.count() + 1
        fields.setdefault("email", f"invited{n}@jury.example.org")
        return Juror.objects.create(call=call, **fields)
    user = user or factories.UserFactory()
    fields.setdefault("email", user.email)
    return Juror.objects.create(call=call, user=user, accepted_at=timezone.now(), **fields)


def declare(juror, dossier, kind="none", details=""):
    """The juror's declaration on `dossier`, written as a row (replacing an earlier one)."""
    if kind == "other" and not details:
        details = "A tie the list does not name."
    declaration = ConflictDeclaration.objects.update_or_create(
        juror=juror,
        dossier=dossier,
        defaults={"kind": kind, "details": details, "declared_by": juror.user},
    )[0]
    refresh_dossier_ranking(dossier.pk, jurors=[juror.pk])
    return declaration


def assign(juror, dossier, declared=None):
    """Assign `dossier` to `juror`; `declared` (e.g. "none") also writes their declaration."""
    assignment = Assignment.objects.create(juror=juror, dossier=dossier)
    refresh_dossier_ranking(dossier.pk)
    if declared is not None:
        declare(juror, dossier, declared)
    return assignment


def jury_dossier(call, staff, **fields):
    """A dossier submitted by its structure and found eligible by staff: ready for the jury."""
    return change_state(submitted_dossier(call, **fields), "mark_eligible", staff)


PDF = b"%PDF-1.4\n" + b"0" * 200


def attach(dossier, name="budget.pdf", content=PDF, field_id="q-files"):
    """A file of `dossier` stored in the private storage, as if uploaded."""
    from django.core.files.base import ContentFile

    from applications.models import Attachment

    return Attachment.objects.create(
        dossier=dossier,
        field_id=field_id,
        file=ContentFile(content, name="upload.pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
    )


def blind_phase(call, blind=True, **fields):
    """A review phase of `call` open now (blind unless told otherwise)."""
    from datetime import timedelta

    from applications.models import ReviewPhase

    now = timezone.now()
    return ReviewPhase.objects.create(
        call=call,
        name=fields.pop("name", "Lecture"),
        starts_at=fields.pop("starts_at", now - timedelta(days=1)),
        ends_at=fields.pop("ends_at", now + timedelta(days=10)),
        blind=blind,
        **fields,
    )
