"""A juror's review of an assigned dossier (draft, submit, revise while the phase is open)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain.blind import dossier_label, is_blind
from applications.domain.juror_access import awaiting_declaration
from applications.domain.peer_reviews import peer_reviews_visible_to
from applications.domain.review_phases import active_phase, closed_message, review_is_open
from applications.domain.review_total import grid_weights
from applications.domain.reviews import (
    grid_of,
    review_assignment,
    save_review,
)
from applications.forms.reviews import ReviewForm
from applications.models import (
    Dossier,
    Review,
)
from applications.views.jury.juror import dossier_page_context


def _url(name, dossier_id):
    # The jury part's pages; tolerated missing so this page works while they are being built.
    try:
        return reverse(f"applications:{name}", kwargs={"dossier_id": dossier_id})
    except NoReverseMatch:
        return None


def _render(request, assignment, form, review_obj):
    dossier = assignment.dossier
    call = dossier.call
    juror = assignment.juror
    phase = active_phase(call)
    is_open = review_is_open(juror)
    blind = is_blind(call)
    weights = grid_weights(form.criteria)
    rows = form.rows()
    for row in rows:
        row["weight"] = weights.criteria[row["criterion"].pk]
    context = {
        # The same blinded view as the juror's dossier page, beside the form.
        **dossier_page_context(dossier, blind),
        "assignment": assignment,
        "juror": juror,
        "dossier": dossier,
        "dossier_label": dossier_label(dossier, blind),
        "call": call,
        "phase": phase,
        "blind": blind,
        "is_open": is_open,
        "closed_message": None if is_open else closed_message(phase),
        "review": review_obj,
        "form": form,
        "rows": rows,
        "weights": weights,
        "total": weights.total(form.typed_values()),
        # On a phone the page opens on the form when it shows errors, on the dossier otherwise.
        "start_tab": "review" if form.errors else "dossier",
        "peers": peer_reviews_visible_to(juror, dossier),
        "dossier_url": _url("juror_dossier", dossier.pk),
    }
    return render(request, "applications/jury/reviews/review.html", context)


def _not_reviewer(request, dossier_id):
    """The answer to someone who may not review this dossier: the declaration first for an
    assigned juror who has not declared, staff to their reading page, 404 for everyone else."""
    user = request.user
    dossier = get_object_or_404(Dossier, pk=dossier_id)
    if awaiting_declaration(user, dossier) is not None:
        url = _url("juror_declare", dossier_id) or _url("juror_dossier", dossier_id)
        if url:
            messages.info(
                request,
                _("Before reviewing, tell us whether you have a conflict of interest."),
            )
            return redirect(url)
    if user.has_perm("applications.view_reviews", dossier):
        # Staff read every review on their own page; they never write one.
        if request.method != "GET":
            raise PermissionDenied
        return redirect("applications:staff_dossier_reviews", dossier_id=dossier_id)
    raise Http404


def review(request, dossier_id):
    """The juror's review page: GET shows it, POST saves a draft ("save") or submits."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    assignment = review_assignment(user, dossier_id)
    if assignment is None or not user.has_perm("applications.review_dossier", assignment.dossier):
        return _not_reviewer(request, dossier_id)
    criteria = grid_of(assignment.dossier.call_id)
    review_obj = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    if request.method != "POST":
        form = ReviewForm(
            criteria,
            initial=ReviewForm.initial_from(review_obj),
            read_only=not review_is_open(assignment.juror),
        )
        return _render(request, assignment, form, review_obj)

    submit = request.POST.get("action") == "submit"
    form = ReviewForm(criteria, request.POST)
    if form.is_valid():
        try:
            saved = save_review(assignment, form.review_input(), user, submit=submit)
        except Refused as refusal:
            show_refusal(request, form.on_fields(refusal), form)
        else:
            messages.success(request, _saved_message(saved, submit))
            return redirect("applications:review", dossier_id=dossier_id)
    if review_is_open(assignment.juror):
        messages.error(
            request, _("Your review was not saved: see the messages next to the questions.")
        )
    else:
        # What was typed stays on the page to be copied, but cannot be sent again.
        form.make_read_only()
        messages.error(request, _("Nothing was saved."))
    return _render(request, assignment, form, review_obj)


def _saved_message(saved, submit):
    if submit:
        return _("Your review is submitted. You can still change it until the review phase closes.")
    if saved.is_submitted:
        return _("Your changes to your submitted review are saved.")
    return _("Your draft is saved. Submit it when every criterion is scored.")
