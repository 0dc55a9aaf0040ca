"""Cohorts, milestone templates and programme managers in the Wagtail admin: reached only with the
model permissions, created, listed and edited as snippets, listings in a constant number of
queries."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.permission_policies import ModelPermissionPolicy

from accelerator.models import Accompaniment, Cohort, MilestoneTemplate, Programme
from tests import factories


def url(model, action, *args):
    return reverse(f"wagtailsnippets_accelerator_{model}:{action}", args=args)


def admin_staff(*codenames, **fields):
    """Staff who may enter the admin, with the given model permissions of the accelerator."""
    user = factories.StaffFactory(**fields)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="accelerator", codename__in=codenames),
    )
    return user


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory()


def cohort_data(programme, referents=(), **overrides):
    data = {
        "programme": str(programme.pk),
        "name": "Cohorte 2027",
        "year": "2027",
        "capacity": "15",
        "starts_on": "2027-01-11",
        "ends_on": "2028-06-30",
        "referents": [str(user.pk) for user in referents],
        # The cohort's reminders (days before a milestone or report is due, stalled stage).
        "remind_milestone_days": "7",
        "remind_report_days": "14",
        "stalled_after_days": "60",
    }
    data.update(overrides)
    return data


def template_data(programme, **overrides):
    data = {
        "programme": str(programme.pk),
        "stage": "sourcing",
        "title": "Diagnostic partagé",
        "description": "Un premier bilan avec la structure.",
        "due_after_days": "21",
        "owner": "staff",
        "kind": "diagnostic",
        "position": "1",
        "active": "on",
    }
    data.update(overrides)
    return data


# --- who reaches them


@pytest.mark.parametrize("model", ["cohort", "milestonetemplate"])
def test_staff_without_the_model_permissions_are_refused(db, client, model):
    # Any staff member sees a cohort's board (django-rules, under a name of its own); the admin
    # asks for the model permissions granted to the person or their groups.
    staff = admin_staff()
    assert staff.has_perm("accelerator.see_cohort_board")
    assert not staff.has_perm("accelerator.view_cohort")
    assert not ModelPermissionPolicy(Cohort).user_has_permission(staff, "view")
    client.force_login(staff)

    for response in (client.get(url(model, "list")), client.get(url(model, "add"))):
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")


def test_support_point_members_never_reach_the_admin(client, structure):
    member = factories.UserFactory()
    factories.SupportPointFactory(department=structure.department).members.add(member)
    client.force_login(member)
    response = client.get(url("cohort", "list"))
    assert response.status_code == 302 and "/login/" in response.url


def test_staff_with_the_permissions_of_their_group_reach_them(client, programme):
    group = Group.objects.create(name="Programme staff")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accelerator",
            codename__in=["view_cohort", "change_cohort", "add_milestonetemplate"],
        )
    )
    staff = admin_staff()
    staff.groups.add(group)
    cohort = Cohort.objects.create(programme=programme, name="Cohorte 2026", year=2026)
    client.force_login(staff)

    assert client.get(url("cohort", "list")).status_code == 200
    assert client.get(url("cohort", "edit", cohort.pk)).status_code == 200
    assert client.get(url("milestonetemplate", "add")).status_code == 200
    # Granted to change cohorts, not to create them.
    assert client.get(url("cohort", "add")).status_code == 302


def test_a_superuser_sees_both_listings_in_the_menu_group(client, superuser):
    client.force_login(superuser)
    for model in ("cohort", "milestonetemplate"):
        assert client.get(url(model, "list")).status_code == 200
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("cohort", "list") in menu and url("milestonetemplate", "list") in menu


# --- cohorts


def test_a_superuser_creates_lists_and_edits_a_cohort(client, superuser, programme):
    referent = factories.StaffFactory(last_name="Fontaine")
    factories.UserFactory(last_name="Applicant")
    client.force_login(superuser)

    form = client.get(url("cohort", "add")).content.decode()
    # Référents are chosen among staff, one box each.
    assert 'type="checkbox" name="referents"' in form
    assert "Fontaine" in form and "Applicant" not in form

    response = client.post(url("cohort", "add"), cohort_data(programme, [referent]))
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Cohorte 2027")
    assert (cohort.programme, cohort.year, cohort.capacity) == (programme, 2027, 15)
    assert cohort.starts_on == datetime.date(2027, 1, 11)
    assert list(cohort.referents.all()) == [referent]

    for _ in range(3):
        Accompaniment.objects.create(
            cohort=cohort, structure=factories.StructureFactory(), source="event"
        )
    listing = client.get(url("cohort", "list"))
    assert listing.status_code == 200
    rows = list(listing.context["object_list"])
    assert [(row.name, row.structure_count) for row in rows] == [("Cohorte 2027", 3)]
    assert "Cohorte 2027" in listing.content.decode()

    response = client.post(
        url("cohort", "edit", cohort.pk), cohort_data(programme, [], capacity="12")
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.capacity == 12 and not cohort.referents.exists()


def test_a_manager_opens_cohorts_in_the_programmes_they_manage_only(client, programme):
    other = factories.ProgrammeFactory(slug="autre", name="Autre programme")
    manager = admin_staff("add_cohort", "view_cohort")
    programme.managers.add(manager)
    client.force_login(manager)

    form = client.get(url("cohort", "add")).content.decode()
    assert f'<option value="{programme.pk}"' in form
    assert f'<option value="{other.pk}"' not in form

    response = client.post(url("cohort", "add"), cohort_data(other))
    assert response.status_code == 200
    assert not Cohort.objects.exists()
    response = client.post(url("cohort", "add"), cohort_data(programme))
    assert response.status_code == 302
    assert Cohort.objects.get().programme == programme


def test_a_non_staff_referent_is_refused_by_the_admin_form(client, superuser, programme):
    outsider = factories.UserFactory()
    client.force_login(superuser)
    response = client.post(url("cohort", "add"), cohort_data(programme, [outsider]))
    assert response.status_code == 200
    assert "referents" in response.context["form"].errors
    assert not Cohort.objects.exists()


def listing_queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_cohort_listing_counts_structures_in_constant_queries(client, superuser, programme):
    client.force_login(superuser)

    def cohort_with_structures(number):
        cohort = Cohort.objects.create(programme=programme, name=f"Cohorte {number}", year=2026)
        for _ in range(2):
            Accompaniment.objects.create(
                cohort=cohort, structure=factories.StructureFactory(), source="event"
            )
        cohort.referents.add(factories.StaffFactory())

    cohort_with_structures(0)
    one = listing_queries(client, url("cohort", "list"))
    for number in range(1, 20):
        cohort_with_structures(number)
    twenty = listing_queries(client, url("cohort", "list"))

    assert Cohort.objects.count() == 20
    assert twenty == one


# --- milestone templates


def test_a_superuser_creates_lists_and_edits_a_milestone_template(client, superuser, programme):
    client.force_login(superuser)
    response = client.post(url("milestonetemplate", "add"), template_data(programme))
    assert response.status_code == 302
    template = MilestoneTemplate.objects.get()
    assert (template.stage, template.kind, template.owner, template.due_after_days) == (
        "sourcing",
        "diagnostic",
        "staff",
        21,
    )

    listing = client.get(url("milestonetemplate", "list"))
    assert listing.status_code == 200 and "Diagnostic partagé" in listing.content.decode()

    response = client.post(
        url("milestonetemplate", "edit", template.pk),
        template_data(programme, title="Diagnostic approfondi", due_after_days="28", active=""),
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.title, template.due_after_days, template.active) == (
        "Diagnostic approfondi",
        28,
        False,
    )


def test_alumni_is_not_a_stage_with_milestone_templates(client, superuser, programme):
    client.force_login(superuser)
    response = client.post(
        url("milestonetemplate", "add"), template_data(programme, stage="alumni")
    )
    assert response.status_code == 200
    assert "stage" in response.context["form"].errors


def test_templates_are_listed_in_the_order_of_the_journey_and_filtered(
    client, superuser, programme
):
    other = Programme.objects.create(name="Autre programme", slug="autre")
    for stage, position, title in [
        ("fundraising", 1, "Tour de table"),
        ("sourcing", 2, "Rencontre avec le point d'appui"),
        ("labelling", 1, "Dossier de labellisation"),
        ("sourcing", 1, "Diagnostic partagé"),
        ("fundraising", 0, "Pitch devant les financeurs"),
    ]:
        MilestoneTemplate.objects.create(
            programme=programme, stage=stage, position=position, title=title
        )
    MilestoneTemplate.objects.create(programme=other, stage="sourcing", title="Ailleurs")
    client.force_login(superuser)

    def titles(**query):
        response = client.get(url("milestonetemplate", "list"), query)
        assert response.status_code == 200
        return [template.title for template in response.context["object_list"]]

    assert titles(programme=programme.pk) == [
        "Diagnostic partagé",
        "Rencontre avec le point d'appui",
        "Dossier de labellisation",
        "Pitch devant les financeurs",
        "Tour de table",
    ]
    assert titles(programme=programme.pk, stage="fundraising") == [
        "Pitch devant les financeurs",
        "Tour de table",
    ]
    assert titles(programme=other.pk) == ["Ailleurs"]


def test_the_template_listing_runs_constant_queries(client, superuser, programme):
    client.force_login(superuser)
    stages = ["sourcing", "labelling", "seed_funding", "fundraising", "impact_measurement"]

    MilestoneTemplate.objects.create(programme=programme, stage="sourcing", title="Étape 0")
    one = listing_queries(client, url("milestonetemplate", "list"))
    for number in range(1, 20):
        MilestoneTemplate.objects.create(
            programme=programme, stage=stages[number % 5], title=f"Étape {number}"
        )
    twenty = listing_queries(client, url("milestonetemplate", "list"))

    assert MilestoneTemplate.objects.count() == 20
    assert twenty == one


# --- programme managers


def test_a_superuser_names_the_programme_managers_among_staff(client, superuser, programme):
    manager = factories.StaffFactory(last_name="Fontaine")
    factories.UserFactory(last_name="Applicant")
    client.force_login(superuser)

    form = client.get(url("programme", "edit", programme.pk)).content.decode()
    assert 'type="checkbox" name="managers"' in form
    assert "Fontaine" in form and "Applicant" not in form

    response = client.post(
        url("programme", "edit", programme.pk),
        {
            "name": programme.name,
            "slug": programme.slug,
            "region": str(programme.region_id),
            "description": "",
            "managers": [str(manager.pk)],
        },
    )
    assert response.status_code == 302
    assert list(programme.managers.all()) == [manager]
    # A manager runs the programme's cohorts.
    cohort = Cohort.objects.create(programme=programme, name="Cohorte 2026", year=2026)
    manager.refresh_from_db()
    assert manager.has_perm("accelerator.manage_cohort", cohort)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2026-12-31"}, "ends_on", "The cohort cannot end before it starts."),
        ({"capacity": "0"}, "capacity", "A cohort has between 1 and 1000 places."),
        ({"name": "   "}, "name", "This field is required."),
    ],
)
def test_the_admin_asks_the_domain_what_makes_a_cohort(
    client, superuser, programme, overrides, field, message
):
    client.force_login(superuser)
    response = client.post(url("cohort", "add"), cohort_data(programme, **overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Cohort.objects.exists()
