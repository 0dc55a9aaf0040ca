"""URLs of the accelerator app: the applicant's space (home, structures, members, invitations)
and the accompaniment journey."""

from django.urls import include, path

from accelerator.views.applicant import home, joining, members, structures

app_name = "accelerator"

urlpatterns = [
    path("me/", home.dashboard, name="home"),
    path("structures/new/", structures.structure_create, name="structure_create"),
    path("structures/join/<str:siret>/", joining.join_request, name="join_request"),
    path("structures/<int:pk>/", structures.structure_detail, name="structure"),
    path("structures/<int:pk>/edit/", structures.structure_edit, name="structure_edit"),
    path("structures/<int:pk>/members/", members.members, name="members"),
    path("structures/<int:pk>/members/invite/", members.invite, name="invite"),
    path(
        "structures/<int:pk>/members/<int:membership_pk>/role/",
        members.change_role,
        name="change_role",
    ),
    path(
        "structures/<int:pk>/members/<int:membership_pk>/contact/",
        members.set_contact,
        name="set_contact",
    ),
    path(
        "structures/<int:pk>/members/<int:membership_pk>/remove/",
        members.remove_member,
        name="remove_member",
    ),
    path("structures/<int:pk>/leave/", members.leave, name="leave"),
    path(
        "structures/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        members.revoke_invitation,
        name="revoke_invitation",
    ),
    path(
        "structures/<int:pk>/join-requests/<int:join_request_pk>/",
        members.decide_join_request,
        name="decide_join_request",
    ),
    path("invitations/<str:token>/", joining.invitation, name="invitation"),
    # The accompaniment journey: cohort boards, accompaniments, regulatory obstacles.
    path("", include("accelerator.urls.cohorts")),
    path("", include("accelerator.urls.accompaniments")),
    path("", include("accelerator.urls.obstacles")),
    path("", include("accelerator.urls.structure_journey")),
    path("", include("accelerator.urls.cohort_admin")),
    path("", include("accelerator.urls.impact")),
    path("", include("accelerator.urls.search")),
    path("", include("accelerator.urls.landing")),
]
