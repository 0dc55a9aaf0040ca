"""Helpers for the reviews tests: a call with a grid, a dossier in review, an assigned juror who
declared no conflict, and an open review phase. Everything goes through the real models and the
domain; no test lives here. Jurors and declarations come from the jury part's helpers."""

import re
from datetime import timedelta

from django.utils import timezone

from applications.domain.dossiers import change_state
from applications.models import Assignment, EvaluationCriterion, ReviewPhase
from tests import factories
from tests.applications.jury.helpers import declare, make_juror
from tests.applications.staff_support import submitted_dossier


def assign(juror, dossier, declared="none"):
    """Assign `dossier` to `juror`, who declared `declared` on it (None: not declared yet)."""
    assignment = Assignment.objects.create(juror=juror, dossier=dossier)
    if declared is not None:
        declare(juror, dossier, declared)
    return assignment


def reviewed_call(**fields):
    """A call whose grid has three criteria: 0–5, 1–4 with “not applicable”, 0–10."""
    call = factories.make_call(criteria=0, **fields)
    EvaluationCriterion.objects.create(
        call=call, title="Impact social", scale_min=0, scale_max=5, sort_order=0
    )
    EvaluationCriterion.objects.create(
        call=call,
        title="Ancrage territorial",
        scale_min=1,
        scale_max=4,
        allow_not_applicable=True,
        sort_order=1,
    )
    EvaluationCriterion.objects.create(
        call=call, title="Viabilité", scale_min=0, scale_max=10, weight=2, sort_order=2
    )
    return call


def criteria_of(call):
    return list(call.criteria.order_by("sort_order"))


def dossier_in_review(call, staff, start_review=True):
    """A dossier submitted, found eligible and (unless told) put under review, by the domain."""
    dossier = submitted_dossier(call)
    dossier = change_state(dossier, "mark_eligible", staff)
    if start_review:
        dossier = change_state(dossier, "start_review", staff)
    return dossier


def open_phase(call, **fields):
    """A review phase of `call` open from yesterday to ten days from now."""
    now = timezone.now()
    values = {
        "name": "Première lecture",
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=10),
    }
    values.update(fields)
    return ReviewPhase.objects.create(call=call, **values)


def complete_data(call, recommendation="yes", **overrides):
    """A complete review of `call`'s grid as save_review takes it."""
    first, second, third = criteria_of(call)
    data = {
        "scores": {
            first.pk: {"value": 4, "comment": "Fort impact."},
            second.pk: {"not_applicable": True, "comment": ""},
            third.pk: {"value": 7, "comment": "Modèle solide."},
        },
        "recommendation": recommendation,
        "comment": "Un beau projet.",
        "private_note": "Je connais un peu le secteur.",
    }
    data.update(overrides)
    return data


def form_post(call, action="save", **overrides):
    """The POST of the review page for a complete review, with fields changed by `overrides`."""
    first, second, third = criteria_of(call)
    data = {
        f"score_{first.pk}": "4",
        f"comment_{first.pk}": "Fort impact.",
        f"score_{second.pk}": "na",
        f"comment_{second.pk}": "",
        f"score_{third.pk}": "7",
        f"comment_{third.pk}": "Modèle solide.",
        "recommendation": "yes",
        "comment": "Un beau projet.",
        "private_note": "Je connais un peu le secteur.",
        "action": action,
    }
    data.update(overrides)
    return data


class Scene:
    """A call in review: `dossier` assigned to `juror` (user `user`) who declared no conflict,
    and an open phase with the given settings."""

    def __init__(self, staff, phase=True, **phase_fields):
        self.staff = staff
        self.call = reviewed_call()
        self.criteria = criteria_of(self.call)
        self.dossier = dossier_in_review(self.call, staff)
        self.juror = make_juror(self.call)
        self.user = self.juror.user
        self.assignment = assign(self.juror, self.dossier)
        self.phase = open_phase(self.call, **phase_fields) if phase else None

    def other_juror(self, declared="none", **fields):
        juror = make_juror(self.call, **fields)
        return juror, assign(juror, self.dossier, declared=declared)


def is_checked(page, name, value):
    """Whether the page's radio button `name`=`value` is checked."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return re.search(r"\schecked(\s|>|=)", tag) is not None
    raise AssertionError(f"no radio button {name}={value} on the page")
