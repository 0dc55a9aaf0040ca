"""Regulatory obstacles: reporting one, reading it with its history, moving it (staff), and the
staff file of every obstacle of every cohort, with its export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm import can_proceed

from accelerator.domain import tabular
from accelerator.domain.followup import audience
from accelerator.domain.obstacles import (
    change_obstacle_state,
    days_open,
    obstacle_file,
    report_obstacle,
    state_counts,
)
from accelerator.domain.refusals import Refused
from accelerator.domain.support_points import hidden_names
from accelerator.domain.timeline import reads_contacts_only
from accelerator.forms.obstacles import (
    MOVE_LABELS,
    ObstacleFilterForm,
    ObstacleForm,
    ObstacleMoveForm,
)
from accelerator.models import (
    OBSTACLE_TRANSITIONS,
    OPEN_OBSTACLE_STATES,
    Accompaniment,
    ObstacleEvent,
    ObstacleState,
    RegulatoryObstacle,
    Visibility,
)
from accelerator.views.listing import query_string
from accelerator.views.refusals import show_refusal

PAGE_SIZE = 25
# The staff who move obstacles are the ones who keep the file.
FILE_PERM = "accelerator.move_obstacle"


def _seen(request, accompaniment):
    """404 to anyone who may not see the accompaniment: an id reveals nothing."""
    if not request.user.has_perm("accelerator.see_accompaniment", accompaniment):
        raise Http404


def _back_url(request, accompaniment):
    """Those who keep the obstacle file (the programme staff) go back to the accompaniment's page,
    everyone else to the structure's own page."""
    if request.user.has_perm(FILE_PERM, accompaniment):
        return reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})
    return reverse("accelerator:structure_journey", kwargs={"pk": accompaniment.structure_id})


# --- reporting


@login_required
@require_http_methods(["GET", "POST"])
def obstacle_report(request, pk):
    """Report an obstacle on accompaniment `pk`. Also the page the structure's inline form falls
    back to when the domain refuses it: the typed text is kept and each error sits by its field."""
    accompaniment = get_object_or_404(
        Accompaniment.objects.select_related("structure", "cohort__programme"), pk=pk
    )
    _seen(request, accompaniment)
    if not request.user.has_perm("accelerator.report_obstacle", accompaniment):
        raise PermissionDenied
    form = ObstacleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            obstacle = report_obstacle(accompaniment, request.user, **form.cleaned_data)
        except ValidationError as refusal:
            show_refusal(request, refusal, form)
        else:
            # Who keeps the file reviews it: only others are told that someone will.
            if request.user.has_perm(FILE_PERM, accompaniment):
                text = _("The obstacle is recorded.")
            else:
                text = _("The obstacle is recorded. The programme team will review it.")
            messages.success(request, text)
            return redirect("accelerator:obstacle", pk=obstacle.pk)
    return render(
        request,
        "accelerator/journey/obstacle_form.html",
        {
            "accompaniment": accompaniment,
            "form": form,
            "back_url": _back_url(request, accompaniment),
        },
    )


# --- one obstacle


def _obstacle(request, pk):
    obstacle = get_object_or_404(
        RegulatoryObstacle.objects.select_related(
            "accompaniment__structure__department",
            "accompaniment__cohort__programme",
            "reported_by",
        ),
        pk=pk,
    )
    _seen(request, obstacle.accompaniment)
    return obstacle


def _detail(request, obstacle, move_form=None, status=200):
    accompaniment = obstacle.accompaniment
    can_move = request.user.has_perm(FILE_PERM, accompaniment)
    moves = []
    if can_move:
        moves = [
            (name, MOVE_LABELS[name])
            for name in OBSTACLE_TRANSITIONS
            if can_proceed(getattr(obstacle, name))
        ]
    events = list(obstacle.events.select_related("actor"))
    visible = audience(request.user, accompaniment)
    hidden = set()
    if reads_contacts_only(request.user, accompaniment, visible):
        # Its support point reads no name of the structure's people but its contacts'.
        people = [obstacle.reported_by, *(event.actor for event in events)]
        hidden = hidden_names(people, accompaniment.structure)
    context = {
        "obstacle": obstacle,
        "accompaniment": accompaniment,
        "events": events,
        "hidden_names": hidden,
        "days_open": days_open(obstacle),
        "is_open": obstacle.state in OPEN_OBSTACLE_STATES,
        "states": ObstacleState.choices,
        "can_move": can_move,
        "moves": moves,
        "move_form": move_form or ObstacleMoveForm(),
        # The structure reads "the programme team", never a staff member's name (as on the
        # timeline).
        "hide_staff_names": visible == [Visibility.EVERYONE],
        "back_url": _back_url(request, accompaniment),
    }
    return render(request, "accelerator/journey/obstacle_detail.html", context, status=status)


@login_required
def obstacle_detail(request, pk):
    return _detail(request, _obstacle(request, pk))


@login_required
@require_POST
def obstacle_move(request, pk):
    obstacle = _obstacle(request, pk)
    if not request.user.has_perm(FILE_PERM, obstacle.accompaniment):
        raise PermissionDenied
    form = ObstacleMoveForm(request.POST)
    if not form.is_valid():
        return _detail(request, obstacle, form)
    try:
        moved = change_obstacle_state(
            obstacle, form.cleaned_data["transition"], request.user, form.cleaned_data["comment"]
        )
    except Refused as refusal:
        # A missing comment belongs next to the comment box; any other refusal on top.
        field = None if form.cleaned_data["comment"].strip() else "comment"
        show_refusal(request, refusal, form, field)
        return _detail(request, obstacle, form)
    messages.success(
        request,
        _("The obstacle is now “%(state)s”. The structure is told by e-mail.")
        % {"state": moved.get_state_display()},
    )
    return redirect("accelerator:obstacle", pk=moved.pk)


# --- the staff file


def _file_access(request):
    """Anonymous people log in; signed-in people who do not keep the file get a 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(FILE_PERM):
        raise PermissionDenied
    return None


def _with_history(obstacles):
    # The latest move's comment says where each obstacle stands: one query for a whole page.
    return obstacles.prefetch_related(
        Prefetch("events", queryset=ObstacleEvent.objects.order_by("at", "pk"))
    )


def _decorate(obstacles, today):
    for obstacle in obstacles:
        obstacle.days = days_open(obstacle, today)
        events = list(obstacle.events.all())
        obstacle.last_event = events[-1] if events else None
    return obstacles


def obstacle_list(request):
    refused = _file_access(request)
    if refused:
        return refused
    form = ObstacleFilterForm(request.GET)
    filters = form.filters()
    # The state chips count what the cohort filter leaves, so each chip says what a click shows.
    counts = state_counts(filters["cohort"])
    chips = [
        {
            "state": state,
            "label": label,
            "count": counts[state],
            "active": filters["state"] == state,
            "query": query_string(request.GET, state=state),
        }
        for state, label in ObstacleState.choices
    ]
    page = Paginator(_with_history(obstacle_file(**filters)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _decorate(page.object_list, timezone.localdate())
    context = {
        "form": form,
        "page": page,
        "chips": chips,
        "total": sum(counts.values()),
        "current_state": filters["state"],
        "all_states_query": query_string(request.GET, state=None),
        "page_query": query_string(request.GET),
        "filtered": any(filters.values()),
    }
    return render(request, "accelerator/journey/obstacle_list.html", context)


def export_columns():
    Column = tabular.Column
    return [
        Column(_("Reported on"), tabular.DATE, 12),
        Column(_("State"), width=14),
        Column(_("Days open"), tabular.INTEGER, 10),
        Column(_("Structure"), width=30),
        Column(_("SIRET"), width=16),
        Column(_("Département"), width=18),
        Column(_("Cohort"), width=24),
        Column(_("Programme"), width=30),
        Column(_("Regulation concerned"), width=50),
        Column(_("What it blocks"), width=50),
        Column(_("Proposed change"), width=50),
        Column(_("Reported by"), width=24),
        Column(_("Latest comment"), width=50),
    ]


def export_rows(obstacles, today):
    for obstacle in _decorate(obstacles, today):
        accompaniment = obstacle.accompaniment
        structure = accompaniment.structure
        yield [
            timezone.localtime(obstacle.reported_at).date(),
            obstacle.get_state_display(),
            obstacle.days,
            structure.name,
            structure.siret,
            f"{structure.department.code} {structure.department.name}",
            str(accompaniment.cohort),
            accompaniment.cohort.programme.name,
            obstacle.regulation,
            obstacle.blocks,
            obstacle.proposed_change,
            obstacle.reported_by.display_name if obstacle.reported_by else "",
            obstacle.last_event.comment if obstacle.last_event else "",
        ]


def obstacle_export(request):
    """The filtered file as CSV (French Excel opens it as it is) or, with ?format=xlsx, XLSX:
    what partners hand on to the authorities."""
    refused = _file_access(request)
    if refused:
        return refused
    filters = ObstacleFilterForm(request.GET).filters()
    obstacles = list(_with_history(obstacle_file(**filters)))
    today = timezone.localdate()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    columns = export_columns()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            tabular.xlsx_bytes(columns, export_rows(obstacles, today), _("Obstacles")),
            content_type=tabular.XLSX_CONTENT_TYPE,
        )
        extension = "xlsx"
    else:
        response = StreamingHttpResponse(
            tabular.csv_lines(columns, export_rows(obstacles, today)),
            content_type=tabular.CSV_CONTENT_TYPE,
        )
        extension = "csv"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"regulatory-obstacles-{stamp}.{extension}"
    )
    return response
