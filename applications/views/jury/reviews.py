"""A juror's review of an assigned dossier (draft, submit, revise while the phase is open), and
the staff's reading of every review of a dossier."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from applications.domain.blind import dossier_label, is_blind
from applications.domain.jury import awaiting_declaration
from applications.domain.reviews import (
    COMMENT_MAX_LENGTH,
    NOT_APPLICABLE,
    ReviewInput,
    ReviewRefused,
    ScoreInput,
    active_phase,
    closed_message,
    grid_of,
    peer_reviews_visible_to,
    review_assignment,
    review_is_open,
    save_review,
)
from applications.models import (
    Assignment,
    ConflictDeclaration,
    Dossier,
    Recommendation,
    Review,
)
from applications.views.staff.access import staff_required


def score_field(criterion):
    return f"score_{criterion.pk}"


def comment_field(criterion):
    return f"comment_{criterion.pk}"


class ReviewForm(forms.Form):
    """The review form built from the call's evaluation grid. Fields only carry what was typed;
    the domain (`save_review`) judges it, so every caller gets the same rules and messages."""

    recommendation = forms.CharField(
        label=gettext_lazy("Your overall recommendation"),
        required=False,
        widget=forms.RadioSelect(choices=Recommendation.choices),
    )
    comment = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    private_note = forms.CharField(
        label=gettext_lazy("Private note for the staff"),
        help_text=gettext_lazy("Only the programme staff read it: other jurors never do."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, criteria, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            choices = [
                (str(value), str(value))
                for value in range(criterion.scale_min, criterion.scale_max + 1)
            ]
            if criterion.allow_not_applicable:
                choices.append((NOT_APPLICABLE, _("Not applicable")))
            self.fields[score_field(criterion)] = forms.CharField(
                label=criterion.title,
                required=False,
                widget=forms.RadioSelect(choices=choices),
            )
            self.fields[comment_field(criterion)] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if read_only:
            self.make_read_only()

    def make_read_only(self):
        # Disabled through the widget, not the field: a bound form still shows what was typed.
        for form_field in self.fields.values():
            form_field.widget.attrs["disabled"] = True

    @staticmethod
    def initial_from(review):
        if review is None:
            return {}
        initial = {
            "recommendation": review.recommendation,
            "comment": review.comment,
            "private_note": review.private_note,
        }
        for score in review.scores.all():
            value = NOT_APPLICABLE if score.not_applicable else score.value
            initial[f"score_{score.criterion_id}"] = "" if value is None else str(value)
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def review_input(self):
        data = self.cleaned_data
        scores = {}
        for criterion in self.criteria:
            raw = (data.get(score_field(criterion)) or "").strip()
            scores[criterion.pk] = ScoreInput(
                value=None if raw in ("", NOT_APPLICABLE) else raw,
                not_applicable=raw == NOT_APPLICABLE,
                comment=data.get(comment_field(criterion)) or "",
            )
        return ReviewInput(
            scores=scores,
            recommendation=data.get("recommendation") or "",
            comment=data.get("comment") or "",
            private_note=data.get("private_note") or "",
        )

    def add_refusal(self, refusal):
        names = {criterion.pk: score_field(criterion) for criterion in self.criteria}
        for key, errors in refusal.errors.items():
            name = names.get(key, key if key in self.fields else None)
            for error in errors:
                self.add_error(name, error)

    def rows(self):
        """One row per criterion: the criterion, its score field and its comment field."""
        return [
            {
                "criterion": criterion,
                "score": self[score_field(criterion)],
                "comment": self[comment_field(criterion)],
            }
            for criterion in self.criteria
        ]


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
    context = {
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
        "rows": form.rows(),
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
        except ReviewRefused as refusal:
            form.add_refusal(refusal)
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


# --- staff ---------------------------------------------------------------------------------


@staff_required
@require_safe
def staff_dossier_reviews(request, dossier_id):
    """Every juror's review of a dossier, private notes included, for the programme staff."""
    dossier = get_object_or_404(
        Dossier.objects.select_related("call", "call__programme", "structure"), pk=dossier_id
    )
    if not request.user.has_perm("applications.view_reviews", dossier):
        raise PermissionDenied
    criteria = grid_of(dossier.call_id)
    assignments = list(
        Assignment.objects.filter(dossier=dossier)
        .select_related("juror", "juror__user", "review")
        .order_by("juror__email")
    )
    reviews = Review.objects.filter(assignment__dossier=dossier).prefetch_related("scores")
    scores_by_review = {r.pk: {s.criterion_id: s for s in r.scores.all()} for r in reviews}
    declarations = {d.juror_id: d for d in ConflictDeclaration.objects.filter(dossier=dossier)}
    entries = []
    for assignment in assignments:
        review_obj = getattr(assignment, "review", None)
        scores = scores_by_review.get(review_obj.pk, {}) if review_obj else {}
        entries.append(
            {
                "assignment": assignment,
                "juror": assignment.juror,
                "declaration": declarations.get(assignment.juror_id),
                "review": review_obj,
                "scores": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
            }
        )
    context = {
        "dossier": dossier,
        "call": dossier.call,
        "criteria": criteria,
        "entries": entries,
        "recommendations": dict(Recommendation.choices),
    }
    return render(request, "applications/staff/reviews/dossier_reviews.html", context)
