"""The eligibility pre-check: may this structure apply to this call, and if not, why not."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.models import LegalForm
from applications.models import CallPhase
from applications.questions.values import format_euros


def paris_moment(moment):
    """An aware datetime as people read it: "30 November 2026 at 12:00 (Paris time)"."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": date_format(local, "j F Y"),
        "time": date_format(local, "H:i"),
    }


def join_words(items):
    """["a", "b", "c"] -> "a, b and c", in the active language."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def check_eligibility(call, structure, today=None, now=None):
    """The reasons, in plain words, why `structure` may not apply to `call` now; empty if it may.

    `today` is the date used to measure the structure's age, `now` the moment used to tell
    whether the call is open (both default to the present).
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    reasons = []

    phase = call.phase(now)
    if phase == CallPhase.UPCOMING:
        reasons.append(
            _("This call is not open yet: it opens on %(moment)s.")
            % {"moment": paris_moment(call.opens_at)}
        )
    elif phase == CallPhase.CLOSED:
        reasons.append(
            _("This call closed on %(moment)s.") % {"moment": paris_moment(call.closes_at)}
        )

    departments = list(call.eligible_departments.all())
    if departments and structure.department_id not in {d.pk for d in departments}:
        reasons.append(
            _("Your structure is in %(department)s; this call is open to %(accepted)s.")
            % {"department": structure.department, "accepted": join_words(departments)}
        )

    accepted_forms = list(call.eligible_legal_forms or [])
    if accepted_forms and structure.legal_form not in accepted_forms:
        labels = dict(LegalForm.choices)
        reasons.append(
            _(
                "Your structure's legal form (%(form)s) is not accepted; "
                "this call accepts %(accepted)s."
            )
            % {
                "form": structure.get_legal_form_display(),
                "accepted": join_words(labels.get(f, f) for f in accepted_forms),
            }
        )

    if call.esus_required and not structure.esus_approved:
        reasons.append(
            _(
                "This call requires the ESUS agrément (entreprise solidaire d'utilité sociale); "
                "your structure's profile does not show it."
            )
        )

    if call.min_age_years and structure.age_in_years(today) < call.min_age_years:
        reasons.append(
            ngettext(
                "Your structure was created in %(year)d; this call requires at least "
                "%(years)d year of existence.",
                "Your structure was created in %(year)d; this call requires at least "
                "%(years)d years of existence.",
                call.min_age_years,
            )
            % {"year": structure.creation_year, "years": call.min_age_years}
        )

    reasons.extend(_budget_reasons(call, structure))
    return reasons


def _budget_reasons(call, structure):
    low, high = call.budget_min, call.budget_max
    if low is None and high is None:
        return []
    budget = structure.annual_budget
    if budget is None:
        return [
            _(
                "This call looks at the annual budget: please add your structure's annual budget "
                "to its profile first."
            )
        ]
    if low is not None and budget < low:
        return [
            _(
                "Your structure's annual budget (%(budget)s) is below this call's minimum "
                "of %(low)s."
            )
            % {"budget": format_euros(budget), "low": format_euros(low)}
        ]
    if high is not None and budget > high:
        return [
            _(
                "Your structure's annual budget (%(budget)s) is above this call's maximum "
                "of %(high)s."
            )
            % {"budget": format_euros(budget), "high": format_euros(high)}
        ]
    return []
