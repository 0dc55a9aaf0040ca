"""Who reviews which dossier: the rules every assignment follows, assignment by hand, the grouped
notice to the jurors and the staff pages' figures. The balanced automatic assignment is
`applications.domain.auto_assignment`."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from applications.domain import jury_notices
from applications.domain.dossiers import change_state
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import (
    Assignment,
    Call,
    ConflictDeclaration,
    ConflictKind,
    Dossier,
    DossierRanking,
    DossierState,
    Juror,
    Review,
)

# A dossier takes jurors while it waits for review or is being reviewed.
ASSIGNABLE_STATES = (DossierState.ELIGIBLE, DossierState.UNDER_REVIEW)
DEFAULT_JURORS_PER_DOSSIER = 3


def juror_name(juror):
    return juror.user.display_name if juror.user_id else juror.email


def accepted_jurors(call):
    """The jurors who may be given dossiers: those who accepted their invitation."""
    return Juror.objects.filter(call=call, user__isnull=False, accepted_at__isnull=False)


def assignable_dossiers(call):
    return Dossier.objects.filter(call=call, state__in=ASSIGNABLE_STATES)


def juror_cap(juror, call, cap=None):
    """How many dossiers `juror` may hold: their own maximum, else `cap` (a run's choice), else
    the call's cap; None means no limit."""
    if juror.max_dossiers is not None:
        return juror.max_dossiers
    if cap is not None:
        return cap
    return call.max_dossiers_per_juror


def check_permission(actor, call):
    if not actor.has_perm("applications.manage_assignments", call):
        raise PermissionDenied


def lock_call(call_id):
    """Assignments to a call's dossiers are written one transaction at a time (by hand or
    automatically, always this lock first, then the dossiers'), so each sees the others' work."""
    list(Call.objects.select_for_update(of=("self",)).filter(pk=call_id).values_list("pk"))


# --- by hand ---------------------------------------------------------------------------------


def assignment_refusals(juror, dossier):
    """Why `juror` cannot be given `dossier` now (empty when they can). By hand, staff may go
    against the département rule and a suggested conflict, never against a declared one."""
    name = juror_name(juror)
    if dossier.call_id != juror.call_id:
        return [
            _("The dossier %(reference)s belongs to another call.")
            % {"reference": dossier.reference}
        ]
    reasons = []
    if not (juror.user_id and juror.accepted_at):
        reasons.append(
            _("%(name)s has not accepted the invitation to the jury yet.") % {"name": name}
        )
    if dossier.state not in ASSIGNABLE_STATES:
        reasons.append(
            _(
                "The dossier %(reference)s is “%(state)s”: only eligible dossiers and dossiers "
                "under review take jurors."
            )
            % {"reference": dossier.reference, "state": dossier.get_state_display()}
        )
    declared = (
        ConflictDeclaration.objects.filter(juror=juror, dossier=dossier)
        .exclude(kind=ConflictKind.NONE)
        .exists()
    )
    if declared:
        reasons.append(
            _("%(name)s has a declared conflict of interest with the dossier %(reference)s.")
            % {"name": name, "reference": dossier.reference}
        )
    return reasons


def assign(juror, dossier, actor, automatic=False, notify=True):
    """Give `dossier` to `juror` for review, by `actor`. An eligible dossier moves to "under
    review" (through `change_state`). The juror hears of it in one grouped e-mail once the
    transaction commits. Raises Refused with the reasons, or PermissionDenied."""
    check_permission(actor, juror.call)
    try:
        with transaction.atomic():
            lock_call(juror.call_id)
            # The row as it is now, locked: the caller's copy may be older than a moment ago.
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            reasons = assignment_refusals(juror, dossier)
            if reasons:
                raise Refused(reasons)
            if dossier.state == DossierState.ELIGIBLE:
                dossier = change_state(dossier, "start_review", actor)
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    juror=juror, dossier=dossier, assigned_by=actor, automatic=automatic
                )
            refresh_dossier_ranking(dossier.pk)
    except IntegrityError as error:
        raise Refused(
            _("%(name)s already has the dossier %(reference)s.")
            % {"name": juror_name(juror), "reference": dossier.reference}
        ) from error
    if notify:
        call = juror.call
        transaction.on_commit(lambda: notify_new_assignments(call))
    return assignment


def unassign(juror, dossier, actor):
    """Take `dossier` back from `juror`. Refused once their review is submitted; a draft review
    goes with the assignment. Returns True when a draft review was deleted."""
    check_permission(actor, juror.call)
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update().filter(juror=juror, dossier=dossier).first()
        )
        if assignment is None:
            raise Refused(
                _("%(name)s does not have the dossier %(reference)s.")
                % {"name": juror_name(juror), "reference": dossier.reference}
            )
        review = Review.objects.filter(assignment=assignment).first()
        if review is not None and review.is_submitted:
            raise Refused(
                _(
                    "%(name)s has already submitted a review of the dossier %(reference)s: "
                    "the assignment stays."
                )
                % {"name": juror_name(juror), "reference": dossier.reference}
            )
        assignment.delete()
        refresh_dossier_ranking(dossier.pk, jurors=[juror.pk])
    return review is not None


# --- telling the jurors ----------------------------------------------------------------------


def call_is_blind(call):
    """Whether any review phase of the call hides the applicants: then the e-mails do too."""
    return call.review_phases.filter(blind=True).exists()


def notify_new_assignments(call):
    """Tell each juror, in one notice, of all their assignments not yet announced, then mark
    them announced: the staff's action, run when assignments are made. The reminder rule
    `juror_assignments` tells of those left unannounced with the same notice; both take the
    assignments under a row lock and mark them in the same transaction as the e-mail, so the
    second finds nothing. Keyed by the set of assignments, so a retry never sends twice.
    Honours the jurors' choices for the topic (off, digest). Returns the e-mails queued."""
    with transaction.atomic():
        pending = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(juror__call=call, notified_at__isnull=True, juror__user__isnull=False)
            .select_related("juror__user", "dossier")
            .order_by("juror_id", "dossier__reference")
        )
        if not pending:
            return 0
        blind = call_is_blind(call)
        by_juror = defaultdict(list)
        for assignment in pending:
            by_juror[assignment.juror].append(assignment)
        choices = jury_notices.deliveries(
            [juror.user for juror in by_juror], jury_notices.JURY_NEWS
        )
        queued = 0
        for juror, assignments in by_juror.items():
            items = [(a.dossier_id, a.dossier.reference) for a in assignments]
            email = jury_notices.tell(
                juror.user,
                topic=jury_notices.JURY_NEWS,
                key=jury_notices.assignments_key(call.pk, juror.pk, [a.pk for a in assignments]),
                build=lambda items=items: jury_notices.assignments_notice(
                    call_id=call.pk, call_title=call.title, items=items, blind=blind
                ),
                delivery=choices[juror.user_id],
            )
            queued += email is not None
        Assignment.objects.filter(pk__in=[a.pk for a in pending]).update(notified_at=timezone.now())
    return queued


# --- what the staff pages show ---------------------------------------------------------------


def dossiers_in_review(call):
    """The rows of the dossiers the assignment page lists, each dossier's stored figures
    (`DossierRanking`: its `assigned` count of jurors is recounted by every assignment made or
    removed): those that take jurors, and any other one that already has some (shortlisted,
    decided...). Read down the index on (call, assigned, reference), the page of the fewest
    jurors first does not group the call's assignments."""
    return DossierRanking.objects.filter(call=call).filter(
        Q(dossier__state__in=ASSIGNABLE_STATES) | Q(assigned__gt=0)
    )


def review_figures(call, per_dossier):
    """The assignment page's figures in one query over the call's stored rows: "listed" (the
    dossiers `dossiers_in_review` lists), "assignable" (those that take jurors) and "short"
    (those of them with fewer than `per_dossier` jurors, which the "missing" filter lists)."""
    taking = Q(dossier__state__in=ASSIGNABLE_STATES)
    return dossiers_in_review(call).aggregate(
        listed=Count("pk"),
        assignable=Count("pk", filter=taking),
        short=Count("pk", filter=taking & Q(assigned__lt=per_dossier)),
    )
