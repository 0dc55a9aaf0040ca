"""The signed-in person's home: what needs their action first, their structures, invitations
waiting for them, their dossiers."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.members import verified_emails
from accelerator.domain.roles import APPLICANT, roles_of
from accelerator.models import Invitation, JoinRequest, MemberRole, Membership

# Other apps add sections to this page here, from their AppConfig.ready(), so this view need not
# import them (the dossier space lists "my dossiers" this way). Each entry is a pair
# (template name, function(request, memberships) -> dict): the dict joins the page's context and
# the template is included in `{% block dossiers %}` of accelerator/dashboard.html. Each function
# must run a constant number of queries, whatever the number of structures or dossiers.
DASHBOARD_SECTIONS = []


# What needs the person's action first, at the top of the page: functions(request, memberships)
# -> list of dicts with `kind`, `text`, `link` and `due` (an aware datetime or None), registered
# the same way (the dossier space adds requested complements and drafts of calls closing soon).
# Each must run a constant number of queries.
DASHBOARD_ACTIONS = []


def register_dashboard_section(template_name, context_function):
    entry = (template_name, context_function)
    if entry not in DASHBOARD_SECTIONS:
        DASHBOARD_SECTIONS.append(entry)


def register_dashboard_actions(actions_function):
    if actions_function not in DASHBOARD_ACTIONS:
        DASHBOARD_ACTIONS.append(actions_function)


def _invitation_actions(invitations):
    return [
        {
            "kind": "invitation",
            "text": _("%(inviter)s invites you to join %(structure)s with the role “%(role)s”.")
            % {
                "inviter": (invitation.invited_by and invitation.invited_by.display_name)
                or _("a member"),
                "structure": invitation.structure.name,
                "role": invitation.get_role_display(),
            },
            "link": reverse("accelerator:invitation", args=[invitation.token]),
            "due": invitation.expires_at,
        }
        for invitation in invitations
    ]


@login_required
def dashboard(request):
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("structure__department")
        .annotate(
            pending_join_requests=Count(
                "structure__join_requests",
                filter=Q(structure__join_requests__status=JoinRequest.Status.PENDING),
            )
        )
        .order_by("structure__name")
    )
    for membership in memberships:
        membership.is_owner = membership.role == MemberRole.OWNER
    invitations = list(
        Invitation.objects.filter(
            email__in=verified_emails(request.user),
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        )
        .exclude(structure__memberships__user=request.user)
        .select_related("structure", "invited_by")
        .order_by("expires_at")
    )
    join_requests = (
        JoinRequest.objects.filter(user=request.user, status=JoinRequest.Status.PENDING)
        .select_related("structure")
        .order_by("-created_at")
    )
    actions = []
    for actions_function in DASHBOARD_ACTIONS:
        actions += actions_function(request, memberships)
    actions += _invitation_actions(invitations)
    context = {
        "memberships": memberships,
        "actions": actions,
        "join_requests": join_requests,
        "section_templates": [],
        # Registering a structure is the applicant's step; a juror or staff member is not asked.
        "may_register": any(role.name == APPLICANT for role in roles_of(request.user)),
    }
    for template_name, context_function in DASHBOARD_SECTIONS:
        context.update(context_function(request, memberships))
        context["section_templates"].append(template_name)
    return render(request, "accelerator/dashboard.html", context)
