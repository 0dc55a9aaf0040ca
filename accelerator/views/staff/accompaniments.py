"""An accompaniment's page for the staff and the support point: where the structure stands, what
the next stage needs, moving it, who follows it, its milestones. What the stages need is recorded
in `accompaniment_records`, notes and documents in `accompaniment_files`; both re-render this page
through `render_page` when the domain refuses, so nothing typed is lost."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accelerator.domain.accompaniments import set_referent, set_support_point
from accelerator.domain.followup import (
    add_milestone,
    audience,
    set_milestone_status,
    visible_to,
)
from accelerator.domain.impact_pages import impact_flags
from accelerator.domain.journey import change_stage, moves_offered, next_stage_needs
from accelerator.domain.refusals import Refused
from accelerator.domain.support_points import contacts
from accelerator.domain.timeline import timeline
from accelerator.forms.journey import (
    CloseRoundForm,
    CommitmentForm,
    DocumentForm,
    LabelDecisionForm,
    MilestoneForm,
    MoveForm,
    NoteForm,
    PaymentForm,
    PeopleForm,
    RoundForm,
    SeedGrantForm,
    SignAgreementForm,
    SkipRoundForm,
)
from accelerator.forms.obstacles import ObstacleForm
from accelerator.models import (
    ACTIVE_STAGES,
    ADVANCE,
    JOURNEY,
    TRANSITIONS,
    Accompaniment,
    Document,
    Instrument,
    Milestone,
    Note,
    Stage,
)
from accelerator.permissions import is_programme_staff
from accelerator.templatetags.accelerator_tags import paris_datetime
from accelerator.views.refusals import show_refusal

# --- finding the accompaniment


def accompaniment_for(request, pk, perm=None):
    """The accompaniment `pk` if the user may see it, and do `perm` on it when given: a 404 to
    those with no link to it (an id reveals nothing), a 403 to those who see it but may not act."""
    accompaniment = get_object_or_404(
        Accompaniment.objects.select_related(
            "cohort__programme", "structure__department", "referent", "support_point"
        ),
        pk=pk,
    )
    if not request.user.has_perm("accelerator.see_accompaniment", accompaniment):
        raise Http404
    if perm and not request.user.has_perm(perm, accompaniment):
        raise PermissionDenied
    return accompaniment


def follows(user, accompaniment):
    """Staff and the support point of the structure's territory read this page: exactly the
    people who annotate the accompaniment. Its members have their own page."""
    return user.has_perm("accelerator.annotate_accompaniment", accompaniment)


def page_url(accompaniment, section=""):
    url = reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})
    return f"{url}#{section}" if section else url


def refused(request, refusal, form=None, field=None):
    """Put the domain's refusal on `form`, next to the field it names (or `field` when it names
    none), and a summary on top of the page."""
    if form is not None and refusal is not None:
        show_refusal(request, refusal, form, field)
    messages.error(request, _("Nothing was saved: see the message next to the form below."))


# --- the page


def _form(bound, key, form_class, **kwargs):
    """The form the user just sent when it is `key`'s, otherwise a fresh one; `key` is also the
    prefix, so that the page's many forms never share an id."""
    if key in bound:
        return bound[key]
    return form_class(prefix=key, **kwargs)


def _move_label(accompaniment, name):
    if name in ADVANCE.values():
        target = JOURNEY[JOURNEY.index(accompaniment.stage) + 1]
        return _("Move to %(stage)s") % {"stage": Stage(target).label}
    if name == "resume":
        return _("Resume in %(stage)s") % {"stage": Stage(accompaniment.paused_from).label}
    if name == "pause":
        return _("Pause the accompaniment")
    return _("Exit the programme")


def _moves(accompaniment):
    """The moves offered now, those that may be made first (so that the error summary's link,
    which goes to the first choice, lands on one that takes the focus), each disabled with
    what is missing when its conditions are unmet."""
    moves = [
        {"name": name, "label": _move_label(accompaniment, name), "reasons": reasons}
        for name, reasons in moves_offered(accompaniment)
    ]
    return sorted(moves, key=lambda move: bool(move["reasons"]))


def _time_in_stage(accompaniment):
    """“In this stage for 12 days, since …”: days counted in Paris."""
    moment = paris_datetime(accompaniment.stage_entered_at)
    days = (timezone.localdate() - timezone.localdate(accompaniment.stage_entered_at)).days
    if days < 1:
        return _("In this stage since %(moment)s.") % {"moment": moment}
    return ngettext(
        "In this stage for %(count)d day, since %(moment)s.",
        "In this stage for %(count)d days, since %(moment)s.",
        days,
    ) % {"count": days, "moment": moment}


def _progress(accompaniment, transitions):
    """The journey's steps: done, current (or paused in) or to come. A structure that left
    shows the steps it reached."""
    current = accompaniment.paused_from or accompaniment.stage
    reached = {Stage.SOURCING} | {t.source for t in transitions} | {t.target for t in transitions}
    steps = []
    for index, stage in enumerate(JOURNEY):
        if stage == current:
            state = "paused" if accompaniment.stage == Stage.PAUSED else "current"
        elif current in JOURNEY:
            state = "done" if index < JOURNEY.index(current) else "todo"
        else:
            state = "done" if stage in reached else "todo"
        steps.append({"stage": stage, "label": stage.label, "state": state})
    return steps


def _milestone_groups(milestones, today):
    order = {stage: index for index, stage in enumerate(JOURNEY)}
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
    ordered = sorted(milestones, key=lambda m: order.get(m.stage, len(order)))
    return [
        {"stage": stage, "label": Stage(stage).label, "milestones": list(items)}
        for stage, items in groupby(ordered, key=lambda m: m.stage)
    ]


def _grants(accompaniment, bound, can_record):
    grants = list(accompaniment.seed_grants.prefetch_related("disbursements"))
    for grant in grants:
        grant.payments = list(grant.disbursements.all())
        grant.paid = sum((payment.amount for payment in grant.payments), start=0)
        grant.left = grant.amount - grant.paid
        if can_record:
            grant.payment_form = _form(bound, f"payment-{grant.pk}", PaymentForm)
            if not grant.agreement_signed_on:
                grant.sign_form = _form(bound, f"sign-{grant.pk}", SignAgreementForm)
    return grants


def _rounds(accompaniment, bound, can_record):
    rounds = list(accompaniment.fundraising_rounds.prefetch_related("commitments"))
    labels = dict(Instrument.choices)
    for fundraising_round in rounds:
        fundraising_round.commitment_list = list(fundraising_round.commitments.all())
        fundraising_round.committed = sum(
            (c.amount for c in fundraising_round.commitment_list), start=0
        )
        fundraising_round.instrument_labels = [
            labels.get(value, value) for value in fundraising_round.instruments
        ]
        fundraising_round.open = not (
            fundraising_round.closed_on or fundraising_round.skipped_reason
        )
        if can_record and fundraising_round.open:
            pk = fundraising_round.pk
            fundraising_round.commitment_form = _form(bound, f"commitment-{pk}", CommitmentForm)
            fundraising_round.close_form = _form(
                bound,
                f"close-{pk}",
                CloseRoundForm,
                initial={
                    "closed_on": timezone.localdate(),
                    "amount_raised": fundraising_round.committed,
                },
            )
            fundraising_round.skip_form = _form(bound, f"skip-{pk}", SkipRoundForm)
    return rounds


def _documents(user, accompaniment):
    documents = list(
        visible_to(Document.objects.select_related("uploaded_by"), user, accompaniment)
    )
    for document in documents:
        # Who may remove it, as remove_document decides: staff, or the person who uploaded it.
        document.removable = is_programme_staff(user) or document.uploaded_by_id == user.pk
    return documents


def render_page(request, accompaniment, bound=None, status=200):
    """The page, with `bound` ({key: form}) standing for the forms the user just sent."""
    bound = bound or {}
    user = request.user
    can_move = user.has_perm("accelerator.move_accompaniment", accompaniment)
    # Staff add milestones and close any of them (the close_milestone rule).
    can_edit_milestones = user.has_perm("accelerator.plan_milestone", accompaniment)
    visibilities = audience(user, accompaniment)
    entries = timeline(accompaniment, user)
    transitions = [entry.obj for entry in entries if entry.kind == "transition"]
    moves = _moves(accompaniment) if can_move else []
    next_name = ADVANCE.get(accompaniment.stage)
    if can_move and next_name:
        # The moves have asked the machine already: no second round of queries.
        next_reasons = next((move["reasons"] for move in moves if move["name"] == next_name), [])
    else:
        next_name, next_reasons = next_stage_needs(accompaniment)
    today = timezone.localdate()
    current = accompaniment.paused_from or accompaniment.stage
    context = {
        "accompaniment": accompaniment,
        "structure": accompaniment.structure,
        "cohort": accompaniment.cohort,
        # Of the structure's people, the page names only its contacts: the support point reads it.
        "contacts": list(contacts(accompaniment.structure)),
        "time_in_stage": _time_in_stage(accompaniment),
        "impact": impact_flags([accompaniment])[accompaniment.pk],
        "progress": _progress(accompaniment, transitions),
        "next_stage": (
            Stage(JOURNEY[JOURNEY.index(accompaniment.stage) + 1]) if next_name else None
        ),
        "next_reasons": next_reasons,
        "can_move": can_move,
        "can_edit_milestones": can_edit_milestones,
        "milestone_groups": _milestone_groups(list(accompaniment.milestones.all()), today),
        "label_decisions": list(accompaniment.label_decisions.all()),
        "grants": _grants(accompaniment, bound, can_move),
        "rounds": _rounds(accompaniment, bound, can_move),
        "notes": visible_to(Note.objects.select_related("author"), user, accompaniment),
        "documents": _documents(user, accompaniment),
        "entries": entries,
        # The timeline has read them already: no second query.
        "obstacles": [entry.obj for entry in entries if entry.kind == "obstacle_reported"],
        "obstacle_form": (
            ObstacleForm(auto_id="id_obstacle_%s")
            if user.has_perm("accelerator.report_obstacle", accompaniment)
            else None
        ),
        "note_form": _form(bound, "note", NoteForm, visibilities=visibilities),
        "document_form": _form(bound, "document", DocumentForm, visibilities=visibilities),
        # The form just refused, whichever it is, heads the page's error summary.
        "sent_form": next(iter(bound.values()), None),
    }
    if can_move:
        context.update(
            moves=moves,
            move_form=_form(bound, "move", MoveForm),
            people_form=_form(bound, "people", PeopleForm, accompaniment=accompaniment),
            label_form=_form(bound, "label", LabelDecisionForm),
            grant_form=_form(bound, "grant", SeedGrantForm),
            round_form=_form(bound, "round", RoundForm),
            skip_form=_form(bound, "skip", SkipRoundForm),
        )
    if can_edit_milestones:
        context["milestone_form"] = _form(
            bound,
            "milestone",
            MilestoneForm,
            initial={"stage": current if current in ACTIVE_STAGES else Stage.SOURCING},
        )
    return render(request, "accelerator/journey/accompaniment_detail.html", context, status=status)


@login_required
def accompaniment_detail(request, pk):
    accompaniment = accompaniment_for(request, pk)
    if not follows(request.user, accompaniment):
        # A member of the structure: its own journey page shows what it may see.
        return redirect("accelerator:structure_journey", pk=accompaniment.structure_id)
    return render_page(request, accompaniment)


# --- moving the structure


@login_required
@require_POST
def move(request, pk, name=None):
    """The page's move form: the move chosen among its radio buttons (or named by the URL), one
    comment, which is also the reason when the structure exits. The runner checks everything
    again, so a move the page showed disabled is refused with the same reasons."""
    if name is not None and name not in TRANSITIONS:
        raise Http404
    accompaniment = accompaniment_for(request, pk, "accelerator.move_accompaniment")
    data = request.POST.copy()
    if name is not None:
        data["move-move"] = name
    form = MoveForm(data, prefix="move")
    if form.is_valid():
        name = form.cleaned_data["move"]
        comment = form.cleaned_data["comment"].strip()
        extra = {"reason": comment} if name == "exit" else {}
        try:
            moved = change_stage(accompaniment, name, request.user, comment, **extra)
        except Refused as refusal:
            # An exit without its reason is about the comment; anything else about the move.
            field = "comment" if name == "exit" and not comment else "move"
            refused(request, refusal, form, field)
        else:
            messages.success(
                request,
                _("%(structure)s is now in “%(stage)s”.")
                % {"structure": moved.structure.name, "stage": moved.get_stage_display()},
            )
            return redirect(page_url(moved))
    else:
        refused(request, None)
    # The stage may have moved under us: show the page as it is now, with what was typed.
    return render_page(request, accompaniment_for(request, pk), {"move": form})


@login_required
@require_POST
def change_people(request, pk):
    accompaniment = accompaniment_for(request, pk, "accelerator.move_accompaniment")
    form = PeopleForm(request.POST, prefix="people", accompaniment=accompaniment)
    if form.is_valid():
        try:
            set_referent(accompaniment, request.user, form.cleaned_data["referent"])
            set_support_point(accompaniment, request.user, form.cleaned_data["support_point"])
        except ValidationError as refusal:
            refused(request, refusal, form)
        else:
            messages.success(request, _("The référent and the support point are saved."))
            return redirect(page_url(accompaniment, "people"))
    else:
        refused(request, None)
    return render_page(request, accompaniment, {"people": form})


# --- milestones


@login_required
@require_POST
def milestone_add(request, pk):
    accompaniment = accompaniment_for(request, pk, "accelerator.plan_milestone")
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            milestone = add_milestone(accompaniment, request.user, **form.cleaned_data)
        except ValidationError as refusal:
            refused(request, refusal, form)
        else:
            messages.success(
                request, _("The milestone “%(title)s” is added.") % {"title": milestone.title}
            )
            return redirect(page_url(accompaniment, "milestones"))
    else:
        refused(request, None)
    return render_page(request, accompaniment, {"milestone": form})


STATUS_DONE_MESSAGES = {
    Milestone.Status.DONE: gettext_lazy("“%(title)s” is done."),
    Milestone.Status.DROPPED: gettext_lazy("“%(title)s” is dropped."),
    Milestone.Status.OPEN: gettext_lazy("“%(title)s” is open again."),
}


@login_required
@require_POST
def milestone_status(request, pk, milestone_pk):
    accompaniment = accompaniment_for(request, pk)
    milestone = get_object_or_404(accompaniment.milestones, pk=milestone_pk)
    milestone.accompaniment = accompaniment
    if not request.user.has_perm("accelerator.close_milestone", milestone):
        raise PermissionDenied
    status = request.POST.get("status", "")
    if status not in Milestone.Status.values:
        messages.error(request, _("Unknown milestone status."))
    else:
        set_milestone_status(milestone, status, request.user)
        messages.success(request, STATUS_DONE_MESSAGES[status] % {"title": milestone.title})
    return redirect(page_url(accompaniment, f"milestone-{milestone.pk}"))
