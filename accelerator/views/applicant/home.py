"""The signed-in person's home: their structures, invitations waiting for them, their dossiers."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from accelerator.domain.members import verified_emails
from accelerator.models import Invitation, JoinRequest, MemberRole, Membership

# Other apps add sections to this page here, from their AppConfig.ready(), so this view need not
# import them (the dossier space lists "my dossiers" this way). Each entry is a pair
# (template name, function(request, memberships) -> dict): the dict joins the page's context and
# the template is included in `{% block dossiers %}` of accelerator/dashboard.html. Each function
# must run a constant number of queries, whatever the number of structures or dossiers.
DASHBOARD_SECTIONS = []


def register_dashboard_section(template_name, context_function):
    entry = (template_name, context_function)
    if entry not in DASHBOARD_SECTIONS:
        DASHBOARD_SECTIONS.append(entry)


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
    invitations = (
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
    context = {
        "memberships": memberships,
        "invitations": invitations,
        "join_requests": join_requests,
        "section_templates": [],
    }
    for template_name, context_function in DASHBOARD_SECTIONS:
        context.update(context_function(request, memberships))
        context["section_templates"].append(template_name)
    return render(request, "accelerator/dashboard.html", context)
