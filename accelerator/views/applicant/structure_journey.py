"""A structure's own journey page: its stage, what the next stage needs, its milestones and what
is due, notes, documents, timeline and regulatory obstacles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accelerator.domain.followup import audience, set_milestone_status, visible_to
from accelerator.domain.impact_pages import impact_flags
from accelerator.domain.journey import next_stage_needs
from accelerator.domain.own_journey import DUE_SOON_DAYS, own_journeys
from accelerator.domain.timeline import timeline
from accelerator.forms.obstacles import ObstacleForm
from accelerator.models import (
    JOURNEY,
    Document,
    Membership,
    Milestone,
    Note,
    RegulatoryObstacle,
    Stage,
    Structure,
    Visibility,
)
from accelerator.views.refusals import show_refusal


def _structure(request, pk):
    """The structure `pk` with the reader's role cached on it (one query), or 404 to whoever may
    not see it. Every permission check on the page then reads the role without a query."""
    role = Membership.objects.filter(structure=OuterRef("pk"), user=request.user).values("role")
    structure = get_object_or_404(
        Structure.objects.select_related("department").annotate(my_role=Subquery(role[:1])),
        pk=pk,
    )
    structure._roles = {request.user.pk: structure.my_role}
    if not request.user.has_perm("accelerator.view_structure", structure):
        raise Http404
    return structure


def _next_stage(journey):
    """What the next stage is and what it still needs, in the domain's own sentences."""
    name, reasons = next_stage_needs(journey.accompaniment)
    if name is None:
        return None
    stage = journey.accompaniment.stage
    target = JOURNEY[JOURNEY.index(stage) + 1]
    return {"stage": target.value, "label": target.label, "reasons": reasons}


def _may_change(user, milestones):
    """Mark on each milestone whether `user` may change it. The rule depends only on the
    milestone's accompaniment and owner, so it is asked once per pair, not once per row."""
    answers = {}
    for milestone in milestones:
        key = (milestone.accompaniment_id, milestone.owner)
        if key not in answers:
            answers[key] = user.has_perm("accelerator.close_milestone", milestone)
        milestone.can_change = answers[key] and milestone.status != Milestone.Status.DROPPED


@login_required
def structure_journey(request, pk):
    structure = _structure(request, pk)
    user = request.user
    journeys = [
        journey
        for journey in own_journeys(structure)
        if user.has_perm("accelerator.see_accompaniment", journey.accompaniment)
    ]
    accompaniments = [journey.accompaniment for journey in journeys]
    obstacles = {}
    for obstacle in RegulatoryObstacle.objects.filter(
        accompaniment__in=accompaniments
    ).select_related("reported_by"):
        obstacles.setdefault(obstacle.accompaniment_id, []).append(obstacle)
    # The link to each impact page and its late reports: two queries for all the sections.
    impact = impact_flags(accompaniments)
    sections = []
    for journey in journeys:
        accompaniment = journey.accompaniment
        _may_change(user, [m for group in journey.groups for m in group.milestones])
        can_report = user.has_perm("accelerator.report_obstacle", accompaniment)
        sections.append(
            {
                "journey": journey,
                "accompaniment": accompaniment,
                "next_stage": _next_stage(journey),
                "notes": visible_to(Note.objects.select_related("author"), user, accompaniment),
                "documents": visible_to(
                    Document.objects.select_related("uploaded_by"), user, accompaniment
                ),
                "timeline": timeline(accompaniment, user),
                "obstacles": obstacles.get(accompaniment.pk, []),
                "impact": impact[accompaniment.pk],
                "can_report": can_report,
                # Ids stay unique when a structure was in several cohorts.
                "obstacle_form": (
                    ObstacleForm(auto_id=f"id_obstacle{accompaniment.pk}_%s")
                    if can_report
                    else None
                ),
                "hide_staff_names": audience(user, accompaniment) == [Visibility.EVERYONE],
            }
        )
    due_soon = sorted(
        (m for journey in journeys for m in journey.due_soon),
        key=lambda m: (m.due_on, m.pk),
    )
    context = {
        "structure": structure,
        "sections": sections,
        "due_soon": due_soon,
        "due_soon_days": DUE_SOON_DAYS,
        # Late first: what is overdue heads the list of what to do.
        "overdue": sorted(
            (m for journey in journeys for m in journey.overdue), key=lambda m: (m.due_on, m.pk)
        ),
        "several": len(sections) > 1,
        "today": timezone.localdate(),
        "Stage": Stage,
    }
    return render(request, "accelerator/journey/structure_journey.html", context)


@login_required
@require_POST
def milestone_status(request, pk, milestone_pk):
    """Mark one of the structure's milestones done (or open again). Viewers and the support point
    see the milestones but get a 403 here; anyone who may not see the structure gets a 404."""
    structure = _structure(request, pk)
    milestone = get_object_or_404(
        Milestone.objects.select_related("accompaniment"),
        pk=milestone_pk,
        accompaniment__structure=structure,
    )
    milestone.accompaniment.structure = structure
    if not request.user.has_perm("accelerator.see_accompaniment", milestone.accompaniment):
        raise Http404
    if not request.user.has_perm("accelerator.close_milestone", milestone):
        raise PermissionDenied
    status = request.POST.get("status", Milestone.Status.DONE)
    if status not in (Milestone.Status.DONE, Milestone.Status.OPEN):
        status = ""
    try:
        set_milestone_status(milestone, status, request.user)
    except ValidationError as refusal:
        show_refusal(request, refusal)
    else:
        if status == Milestone.Status.DONE:
            text = _("“%(title)s” is marked as done.")
        else:
            text = _("“%(title)s” is open again.")
        messages.success(request, text % {"title": milestone.title})
    url = reverse("accelerator:structure_journey", kwargs={"pk": structure.pk})
    return redirect(f"{url}#milestones-{milestone.accompaniment_id}")
