"""Writing a dossier before submission: starting it, and saving answers without losing anyone's."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from accelerator.permissions import is_structure_editor
from applications.domain.answer_input import (
    DOSSIER_CHARACTER_CAP,
    dossier_size,
    too_large_message,
)
from applications.domain.conflicts import refresh_partner_names
from applications.domain.eligibility import check_eligibility
from applications.domain.profile_answers import prefill
from applications.models import Dossier, DossierState
from applications.questions.values import without_control_characters

EDITABLE_STATES = (DossierState.DRAFT, DossierState.INFO_REQUESTED)
REFERENCE_ATTEMPTS = 20


class SaveConflict(Refused):
    """Someone saved a newer version since the one this save was based on: the page keeps what
    was typed and its old revision, and autosave tells the page `dossier`'s newer revision."""

    def __init__(self, message, dossier):
        self.dossier = dossier
        super().__init__(message)


class AnswersTooLarge(Refused):
    """The answers together pass the dossier's size cap: nothing is saved, the page keeps them."""


def live_dossier(call, structure):
    """The structure's dossier on this call that is not withdrawn, or None."""
    return (
        Dossier.objects.filter(call=call, structure=structure)
        .exclude(state=DossierState.WITHDRAWN)
        .first()
    )


def reference_prefix(call):
    year = timezone.localtime(call.opens_at).year
    return f"{call.programme.slug.upper()[:16]}-{year}-"


def start_dossier(call, structure, actor, now=None):
    """Open `structure`'s dossier on `call` for `actor`; returns (dossier, created).

    An existing live dossier is returned as it is (one per structure and call). Raises
    PermissionDenied when the actor does not edit for the structure, Refused with the
    eligibility reasons when the structure may not apply now.
    """
    if not is_structure_editor(actor, structure):
        raise PermissionDenied
    existing = live_dossier(call, structure)
    if existing:
        return existing, False
    reasons = check_eligibility(call, structure, now=now)
    if reasons:
        raise Refused(reasons)

    prefix = reference_prefix(call)
    number = Dossier.objects.filter(reference__startswith=prefix).count() + 1
    # What the structure's profile already says is the dossier's own answer from the start: the
    # dossier keeps its copy, whatever the profile says later.
    answers = prefill(list(call.form.raw_data), {}, structure)
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                dossier = Dossier.objects.create(
                    reference=f"{prefix}{number:04d}",
                    call=call,
                    structure=structure,
                    created_by=actor,
                    answers=answers,
                )
            return dossier, True
        except IntegrityError:
            # Either a colleague started the same dossier a moment ago, or another dossier took
            # this number: return theirs, or try the next number.
            existing = live_dossier(call, structure)
            if existing:
                return existing, False
            number += 1
    raise RuntimeError(f"No free dossier reference after {prefix}{number:04d}")


def _moment(moment):
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i")
    return _("%(date)s at %(time)s") % {
        "date": date_format(local, "j F"),
        "time": date_format(local, "H:i"),
    }


def conflict_message(dossier, actor):
    """Who saved the newer version, and when, told to the person whose save was refused."""
    when = _moment(dossier.last_saved_at) if dossier.last_saved_at else "?"
    if dossier.last_saved_by_id == actor.pk:
        return _(
            "You saved a newer version in another tab or window at %(time)s. Reload to see it; "
            "what you typed here is kept on this page."
        ) % {"time": when}
    name = dossier.last_saved_by.display_name if dossier.last_saved_by else _("Someone")
    return _(
        "%(name)s saved a newer version at %(time)s. Reload to see it; what you typed here is "
        "kept on this page."
    ) % {"name": name, "time": when}


def control_characters_message(labels):
    """Told after a save that dropped invisible control characters from some answers."""
    return _(
        "Invisible control characters (pasted from another program) were removed from: "
        "%(questions)s. Please check these answers."
    ) % {"questions": ", ".join(f"“{label}”" for label in labels)}


def save_answers(dossier, answers, actor, base_revision):
    """Store `answers` if the dossier is still at `base_revision`, and move it to the next one.

    The check and the write are one UPDATE, so of two colleagues saving from the same revision
    exactly one wins; the other gets SaveConflict naming who saved and when, never a silent
    overwrite. Returns `dossier` with its new revision. Raises PermissionDenied when the actor
    may not edit it, Refused when it is no longer editable, AnswersTooLarge (and saves
    nothing) when the answers pass the dossier's size cap.
    """
    if not actor.has_perm("applications.change_dossier", dossier):
        raise PermissionDenied
    # The forms strip control characters and say so; this is the last guard before the database
    # (PostgreSQL refuses NUL in text, and so in JSON).
    answers = without_control_characters(answers)
    size = dossier_size(answers)
    if size > DOSSIER_CHARACTER_CAP:
        raise AnswersTooLarge(too_large_message(size))
    now = timezone.now()
    updated = Dossier.objects.filter(
        pk=dossier.pk, revision=base_revision, state__in=EDITABLE_STATES
    ).update(
        answers=answers,
        revision=F("revision") + 1,
        last_saved_at=now,
        last_saved_by=actor,
    )
    if updated:
        dossier.answers = answers
        dossier.revision = base_revision + 1
        dossier.last_saved_at = now
        dossier.last_saved_by = actor
        refresh_partner_names(dossier)
        return dossier
    current = Dossier.objects.select_related("last_saved_by").get(pk=dossier.pk)
    if current.state not in EDITABLE_STATES:
        raise Refused(
            _("This dossier is “%(state)s”: it can no longer be changed.")
            % {"state": current.get_state_display()}
        )
    raise SaveConflict(conflict_message(current, actor), current)
