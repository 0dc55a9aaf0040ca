"""The staff's deliberation on a call: the dossiers in review with the jury's numbers beside them,
the shortlist with its auditions, and one decision per dossier with its rationale."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accelerator.domain.refusals import Refused
from accelerator.views.listing import query_string
from accelerator.views.refusals import show_refusal
from applications.domain import deliberation as domain
from applications.forms.deliberation import DecisionForm, ShortlistForm
from applications.models import Call, DossierState

S = DossierState


def staff_permission_required(perm):
    """Anonymous people are sent to log in; signed-in people without `perm` get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


deliberation_required = staff_permission_required("applications.deliberate")


# The deliberation's actions, in the order their forms appear on a dossier's page.
ACTIONS = {
    "shortlist": {
        "label": gettext_lazy("Shortlist"),
        "form_class": ShortlistForm,
        "button": "button",
        "done": gettext_lazy("The dossier is shortlisted."),
    },
    "audition": {
        "label": gettext_lazy("Plan the audition"),
        "form_class": ShortlistForm,
        "button": "button button--secondary",
        "done": gettext_lazy("The audition is saved."),
    },
    "select": {
        "label": gettext_lazy("Select"),
        "form_class": DecisionForm,
        "button": "button",
        "done": gettext_lazy("The dossier is selected. The structure learns it from its letter."),
    },
    "waitlist": {
        "label": gettext_lazy("Put on the waiting list"),
        "form_class": DecisionForm,
        "button": "button button--secondary",
        "done": gettext_lazy(
            "The dossier is on the waiting list. The structure learns it from its letter."
        ),
    },
    "reject": {
        "label": gettext_lazy("Reject"),
        "form_class": DecisionForm,
        "button": "button button--danger",
        "done": gettext_lazy("The dossier is rejected. The structure learns it from its letter."),
    },
}


def _call(call_id):
    return get_object_or_404(Call.objects.select_related("programme"), pk=call_id)


def _dossier(call, dossier_id):
    queryset, has_numbers = domain.deliberation_dossiers(call)
    return get_object_or_404(queryset, pk=dossier_id), has_numbers


def _available(dossier, user):
    available = {t.name for t in dossier.get_available_state_transitions()}
    names = [
        name
        for name in ("shortlist", "select", "waitlist", "reject")
        if name in available and user.has_perm(f"applications.{name}_dossier", dossier)
    ]
    if dossier.state == S.SHORTLISTED:
        names.insert(0, "audition")
    return names


def _form(name, data=None, dossier=None):
    initial = {}
    if name == "audition" and dossier is not None:
        initial = {"audition_at": dossier.audition_at, "notes": dossier.shortlist_notes}
    return ACTIONS[name]["form_class"](data, prefix=name, initial=initial)


# Without a chosen state, each section shows its first dossiers (best first) and a link to the
# rest; a chosen state lists all of its dossiers a page at a time. A national call's thousands
# of dossiers never make one page.
SECTION_PREVIEW = 10
PAGE_SIZE = 50


def _section(state, count, rows):
    for dossier in rows:
        if dossier.state in domain.DECIDED_STATES:
            dossier.decision = domain.last_decision(dossier)
    return {"state": state, "label": state.label, "count": count, "dossiers": rows}


@deliberation_required
def deliberation_page(request, call_id):
    call = _call(call_id)
    dossiers, has_numbers = domain.deliberation_dossiers(call)
    dossiers = dossiers.defer(*domain.WIDE_FIELDS)
    counts = domain.state_counts(call)
    chosen = request.GET.get("state")
    page = None
    if chosen in counts:
        state = S(chosen)
        paginator = Paginator(dossiers.filter(state=state), PAGE_SIZE)
        paginator.count = counts[state]  # known already: spares a count of the call
        page = paginator.get_page(request.GET.get("page"))
        sections = [_section(state, counts[state], list(page.object_list))]
    else:
        previews = {state: [] for state in domain.DELIBERATION_STATES}
        for dossier in domain.first_of_each_state(dossiers, SECTION_PREVIEW):
            previews[dossier.state].append(dossier)
        sections = [
            _section(state, counts[state], previews[state]) for state in domain.DELIBERATION_STATES
        ]
    context = {
        "call": call,
        "counts": [(state, state.label, counts[state]) for state in domain.DELIBERATION_STATES],
        "sections": sections,
        "chosen": chosen if page is not None else None,
        "page": page,
        "page_query": query_string(request.GET),
        "has_numbers": has_numbers,
        "total": sum(counts.values()),
        "preview": SECTION_PREVIEW,
    }
    return render(request, "applications/staff/deliberation/page.html", context)


def _render_dossier(request, call, dossier, has_numbers, bound=None, status=200):
    names = _available(dossier, request.user)
    actions = []
    for name in names:
        form = bound[1] if bound and bound[0] == name else _form(name, dossier=dossier)
        actions.append({**ACTIONS[name], "name": name, "form": form})
    if bound and bound[0] not in names:
        # The action became impossible meanwhile: keep what was typed, read-only, with the reason.
        name, form = bound
        actions.append({**ACTIONS[name], "name": name, "form": form, "stale": True})
    context = {
        "call": call,
        "dossier": dossier,
        "has_numbers": has_numbers,
        "log": dossier.deliberation_log,
        "decision": domain.last_decision(dossier),
        "decision_actions": actions,
        # The refused form, for the error summary and the "Error: " of the title.
        "bound_form": bound[1] if bound else None,
    }
    return render(request, "applications/staff/deliberation/dossier.html", context, status=status)


@deliberation_required
def deliberation_dossier(request, call_id, dossier_id):
    call = _call(call_id)
    dossier, has_numbers = _dossier(call, dossier_id)
    if request.method != "POST":
        return _render_dossier(request, call, dossier, has_numbers)
    name = request.POST.get("action", "")
    if name not in ACTIONS:
        messages.error(request, _("Unknown action: nothing was changed."))
        return redirect("applications:staff_decision", call_id=call.pk, dossier_id=dossier.pk)
    form = _form(name, request.POST)
    if form.is_valid():
        try:
            _act(name, dossier, request.user, form.cleaned_data)
        except Refused as refusal:
            field = "rationale" if "rationale" in form.fields else None
            show_refusal(request, refusal, form, field)
        else:
            messages.success(request, ACTIONS[name]["done"])
            return redirect("applications:staff_decision", call_id=call.pk, dossier_id=dossier.pk)
    messages.error(request, _("The dossier was not changed: see the message below the form."))
    # The state may have moved meanwhile: show the dossier as it is now, with what was typed.
    dossier, has_numbers = _dossier(call, dossier_id)
    return _render_dossier(request, call, dossier, has_numbers, bound=(name, form), status=400)


def _act(name, dossier, user, data):
    if name == "shortlist":
        domain.shortlist(dossier, user, audition_at=data["audition_at"], notes=data["notes"])
    elif name == "audition":
        domain.plan_audition(dossier, user, audition_at=data["audition_at"], notes=data["notes"])
    else:
        domain.decide(dossier, name, user, data["rationale"])


@deliberation_required
@require_POST
def quick_shortlist(request, call_id, dossier_id):
    """The list's one-click shortlist, without an audition (planned later on the dossier)."""
    call = _call(call_id)
    dossier, _has_numbers = _dossier(call, dossier_id)
    try:
        domain.shortlist(dossier, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(
            request,
            _("%(reference)s is shortlisted.") % {"reference": dossier.reference},
        )
    # Back to the list as it was shown (its state and page).
    url = reverse("applications:staff_deliberation", kwargs={"call_id": call.pk})
    kept = {key: request.GET[key] for key in ("state", "page") if request.GET.get(key)}
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)
