"""An accompaniment's impact page: its plan (added to and changed by the structure's editors and
its stewards, agreed by both sides), its reports, a chart of each indicator over time, and the
figures its structure consents to publish. Seen by the structure's members, programme staff and
the support point of its territory; a 404 to everyone else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accelerator.domain.impact_pages import impact_page as page_data
from accelerator.domain.impact_plans import (
    agree,
    offered_indicators,
    plan_of,
    remove_line,
    save_line,
)
from accelerator.domain.impact_publication import publishable, set_publication
from accelerator.domain.impact_values import display_value
from accelerator.domain.refusals import Refused
from accelerator.domain.support_points import hidden_names
from accelerator.forms.impact_plan import PlanLineForm, PublicationForm
from accelerator.models import Accompaniment, Indicator, PlannedIndicator
from accelerator.permissions import can_steer, is_accompaniment_member, is_programme_staff
from accelerator.views.impact_access import check_impact_access, reader_role
from accelerator.views.refusals import show_refusal

PLAN = "accelerator.plan_impact"
PUBLISH = "accelerator.publish_impact"


def accompaniment_for(request, pk, perm=None):
    """The accompaniment `pk` with the reader's role in its structure cached (one query): a 404
    to whoever may not see its impact, a 403 to whoever sees it but may not do `perm`."""
    accompaniment = get_object_or_404(
        Accompaniment.objects.select_related(
            "cohort__programme", "structure__department", "referent"
        ).annotate(my_role=reader_role(request, "structure_id")),
        pk=pk,
    )
    check_impact_access(request, accompaniment, accompaniment.my_role, perm)
    return accompaniment


def page_url(accompaniment, section=""):
    url = reverse("accelerator:impact", kwargs={"pk": accompaniment.pk})
    return f"{url}#{section}" if section else url


def _back(user, accompaniment):
    """Staff and the support point go back to the accompaniment's page, members to their journey."""
    if user.has_perm("accelerator.annotate_accompaniment", accompaniment):
        return reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})
    return reverse("accelerator:structure_journey", kwargs={"pk": accompaniment.structure_id})


def _hidden(user, accompaniment, plan):
    """The people whose name the reader may not read: a support point sees, of the structure's
    people, only its contacts."""
    if plan is None or is_programme_staff(user) or is_accompaniment_member(user, accompaniment):
        return set()
    people = [plan.proposed_by, plan.structure_agreed_by, plan.staff_agreed_by]
    return hidden_names(people, accompaniment.structure)


def render_page(request, accompaniment, bound=None, status=200):
    """The page, with `bound` ({"add" or "line-<pk>": form}) the form the user just sent."""
    bound = bound or {}
    user = request.user
    data = page_data(accompaniment)
    plan = data.plan
    can_plan = user.has_perm(PLAN, accompaniment)
    steers = can_steer(user, accompaniment)
    if can_plan:
        for row in data.rows:
            key = f"line-{row.line.pk}"
            row.form = bound.get(key) or PlanLineForm(indicators=None, line=row.line)
            row.open = key in bound
        add_form = bound.get("add") or PlanLineForm(indicators=offered_indicators(plan))
    my_side_agreed = plan is not None and (
        plan.staff_agreed_at if steers else plan.structure_agreed_at
    )
    context = {
        "accompaniment": accompaniment,
        "structure": accompaniment.structure,
        "cohort": accompaniment.cohort,
        "page": data,
        "plan": plan,
        "hidden_names": _hidden(user, accompaniment, plan),
        "back_url": _back(user, accompaniment),
        "can_plan": can_plan,
        "can_publish": user.has_perm(PUBLISH, accompaniment),
        "can_see_dashboard": user.has_perm("accelerator.see_impact_dashboard", accompaniment),
        "agrees_for_programme": steers,
        "may_agree": can_plan and plan is not None and not data.missing and not my_side_agreed,
        "add_form": add_form if can_plan else None,
        "bound_form": next(iter(bound.values()), None),
    }
    return render(request, "accelerator/impact/impact.html", context, status=status)


@login_required
def impact_page(request, pk):
    return render_page(request, accompaniment_for(request, pk))


@login_required
@require_POST
def plan_line(request, pk):
    """Add an indicator to the plan or change its line: the indicator sent says which."""
    accompaniment = accompaniment_for(request, pk, PLAN)
    plan = plan_of(accompaniment)
    lines = {str(line.indicator_id): line for line in (plan.line_list if plan else [])}
    line = lines.get(request.POST.get("indicator", ""))
    # A line's indicator stays changeable even when the catalogue no longer offers it.
    indicators = (
        Indicator.objects.filter(pk=line.indicator_id) if line else offered_indicators(plan)
    )
    form = PlanLineForm(request.POST, indicators=indicators, line=line)
    key = f"line-{line.pk}" if line else "add"
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = save_line(
                accompaniment,
                request.user,
                data["indicator"],
                baseline=data["baseline"],
                baseline_on=data["baseline_on"],
                target=data["target"],
                target_on=data["target_on"],
            )
        except Refused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(
                request,
                _(
                    "“%(indicator)s” is saved in the plan. The structure and the programme must "
                    "now both agree to the plan again."
                )
                % {"indicator": saved.indicator},
            )
            return redirect(page_url(accompaniment, f"line-{saved.pk}"))
    return render_page(request, accompaniment, {key: form})


@login_required
@require_POST
def plan_line_remove(request, pk, line_pk):
    accompaniment = accompaniment_for(request, pk, PLAN)
    line = get_object_or_404(
        PlannedIndicator.objects.select_related("plan", "indicator"),
        pk=line_pk,
        plan__accompaniment=accompaniment,
    )
    line.plan.accompaniment = accompaniment
    remove_line(line, request.user)
    messages.success(
        request,
        _(
            "“%(indicator)s” is removed from the plan; the figures already reported for it are "
            "kept. The structure and the programme must now both agree to the plan again."
        )
        % {"indicator": line.indicator},
    )
    return redirect(page_url(accompaniment, "plan"))


@login_required
@require_POST
def plan_agree(request, pk):
    accompaniment = accompaniment_for(request, pk, PLAN)
    plan = plan_of(accompaniment)
    if plan is None:
        messages.error(request, _("Choose at least one indicator."))
        return redirect(page_url(accompaniment, "plan"))
    plan.accompaniment = accompaniment
    try:
        plan = agree(plan, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        if plan.is_agreed:
            messages.success(request, _("The plan is agreed by the structure and the programme."))
        elif can_steer(request.user, accompaniment):
            messages.success(
                request, _("You agree to the plan for the programme; the structure must agree too.")
            )
        else:
            messages.success(
                request, _("You agree to the plan for the structure; the programme must agree too.")
            )
    return redirect(page_url(accompaniment, "plan"))


@login_required
@require_http_methods(["GET", "POST"])
def publication(request, pk):
    """The figures in force and whether each may be shown publicly. Everyone who sees the impact
    reads it; only the structure's editors change it (a 403 to the others)."""
    accompaniment = accompaniment_for(request, pk, PUBLISH if request.method == "POST" else None)
    figures = publishable(accompaniment)
    if request.method == "POST":
        form = PublicationForm(request.POST, figures=figures)
        if form.is_valid():
            try:
                set_publication(
                    accompaniment, request.user, [value.pk for value in form.cleaned_data["public"]]
                )
            except Refused as refusal:
                show_refusal(request, refusal, form, "public")
            else:
                messages.success(request, _("Your choice of public figures is saved."))
                return redirect("accelerator:impact_publication", pk=accompaniment.pk)
    else:
        form = PublicationForm(figures=figures)
    # What the boxes show: what was just sent when it is refused, else what is saved.
    sent = set(request.POST.getlist("public")) if form.is_bound else None
    figure_list = list(figures)
    for figure in figure_list:
        figure.shown = display_value(figure.indicator, figure.value, figure.text)
        figure.checked = str(figure.pk) in sent if sent is not None else figure.public
    return render(
        request,
        "accelerator/impact/publication.html",
        {
            "accompaniment": accompaniment,
            "structure": accompaniment.structure,
            "figures": figure_list,
            "form": form,
            "can_publish": request.user.has_perm(PUBLISH, accompaniment),
            "impact_url": page_url(accompaniment),
        },
    )
