"""Where each role lands after logging in, the header each role sees, the role switch, the
staff's "today" page, the support point's territory, and what the applicant and the juror find
first on their pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.members import invite_member
from accelerator.domain.obstacles import report_obstacle
from accelerator.domain.roles import SESSION_KEY
from accelerator.models import ImpactReport, Milestone, Stage
from applications.domain.deliberation import decide
from applications.domain.dossiers import change_state
from applications.domain.info_requests import request_info
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.applications.jury.helpers import assign, blind_phase, jury_dossier, make_juror
from tests.applications.staff_support import submitted_dossier

PASSWORD = "correct-horse-battery"
LANDING = reverse("accelerator:landing")
TODAY = reverse("accelerator:staff_today")
TERRITORY = reverse("accelerator:territory")
SWITCH = reverse("accelerator:role_switch")


def log_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == LANDING
    return client.get(LANDING)


def header(page):
    return page[page.index('<header class="site-header">') : page.index("</header>")]


@pytest.fixture
def juror_user(db):
    return make_juror(factories.make_call()).user


@pytest.fixture
def accompanied_owner(structure, owner):
    make_accompaniment(structure)
    return owner


@pytest.fixture
def role_people(owner, juror_user, staff, support_point_user, accompanied_owner):
    return {
        "applicant": factories.MembershipFactory(role="owner").user,
        "juror": juror_user,
        "staff": staff,
        "support_point": support_point_user,
        "accompanied": accompanied_owner,
    }


def landing_of(role, structure):
    return {
        "applicant": reverse("accelerator:home"),
        "juror": reverse("applications:juror_home"),
        "staff": TODAY,
        "support_point": TERRITORY,
        "accompanied": reverse("accelerator:structure_journey", kwargs={"pk": structure.pk}),
    }[role]


# Each role's own links in the header; every other role's must be absent.
LINKS = {
    "applicant": [reverse("accelerator:home"), reverse("applications:my_dossiers")],
    "juror": [reverse("applications:juror_home")],
    "staff": [
        TODAY,
        reverse("applications:staff_calls"),
        reverse("accelerator:cohort_list"),
        reverse("accelerator:obstacle_list"),
        reverse("accelerator:search"),
    ],
    "support_point": [TERRITORY],
    "accompanied": [],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(LINKS))
def test_each_role_lands_on_its_page_after_logging_in(client, role_people, structure, role):
    response = log_in(client, role_people[role])
    assert response.status_code == 302
    assert response["Location"] == landing_of(role, structure)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(LINKS))
def test_the_header_shows_each_role_its_links_and_no_other(
    client_for, role_people, structure, role
):
    page = client_for(role_people[role]).get(landing_of(role, structure)).content.decode()
    top = header(page)
    hrefs = set(re.findall(r'(?:href|action)="([^"]+)"', top))
    for link in LINKS[role]:
        assert link in hrefs, (role, link)
    for other, links in LINKS.items():
        if other != role:
            for link in links:
                assert link not in hrefs, (role, link)
    if role == "accompanied":
        assert landing_of(role, structure) in hrefs
        assert "My journey" in top
    assert 'name="q"' in top if role == "staff" else 'name="q"' not in top
    # The bell and the language switch are on every signed-in page.
    assert reverse("workers:notifications") in hrefs
    switch = reverse("cms:switch_language", args=["fr"])
    assert any(href.startswith(f"{switch}?next=") for href in hrefs), hrefs


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["juror", "staff", "support_point"])
def test_no_structure_registration_for_roles_that_do_not_apply(client_for, role_people, role):
    client = client_for(role_people[role])
    create = reverse("accelerator:structure_create")
    assert create not in client.get(reverse("accelerator:home")).content.decode()
    assert create not in client.get(LANDING, follow=True).content.decode()


@pytest.mark.django_db
def test_an_applicant_is_offered_to_register_a_structure(client_for, role_people):
    page = client_for(role_people["applicant"]).get(reverse("accelerator:home")).content.decode()
    assert reverse("accelerator:structure_create") in page


@pytest.mark.django_db
def test_a_visitor_sees_the_log_in_links_and_no_role_links(client):
    top = header(client.get(reverse("accelerator:search") + "?q=x", follow=True).content.decode())
    assert reverse("account_login") in top
    for links in LINKS.values():
        for link in links:
            assert f'"{link}"' not in top


# --- the role switch


@pytest.mark.django_db
def test_a_person_with_two_roles_switches_and_lands_on_the_other_page(client, owner):
    make_juror(factories.make_call(), user=owner)
    response = log_in(client, owner)
    assert response["Location"] == reverse("applications:juror_home")
    page = client.get(response["Location"]).content.decode()
    assert f'action="{SWITCH}"' in header(page)
    response = client.post(SWITCH, {"role": "applicant"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:home")
    assert client.session[SESSION_KEY] == "applicant"
    assert client.get(LANDING)["Location"] == reverse("accelerator:home")
    top = header(client.get(reverse("accelerator:home")).content.decode())
    assert reverse("applications:my_dossiers") in top
    assert reverse("applications:juror_home") not in top


@pytest.mark.django_db
def test_no_switch_for_a_person_with_one_role(client_for, juror_user):
    page = client_for(juror_user).get(reverse("applications:juror_home")).content.decode()
    assert SWITCH not in page


@pytest.mark.django_db
def test_a_role_not_held_is_refused(client_for, juror_user):
    client = client_for(juror_user)
    assert client.post(SWITCH, {"role": "staff"}).status_code == 400
    assert client.post(SWITCH, {}).status_code == 400
    assert SESSION_KEY not in client.session
    assert client.get(SWITCH).status_code == 405


@pytest.mark.django_db
def test_the_landing_and_the_switch_need_a_login(client):
    assert client.get(LANDING)["Location"].startswith(reverse("account_login"))
    assert client.post(SWITCH, {"role": "staff"})["Location"].startswith(reverse("account_login"))


# --- the staff's "today"


def due_things(count, manager, staff):
    """`count` of each thing the staff's "today" lists."""
    now = timezone.now()
    past = timezone.localdate() - datetime.timedelta(days=3)
    call = factories.make_call()
    for _index in range(count):
        submitted_dossier(call)
    # Reviews owed on a call whose review phase ended.
    review_call = factories.make_call()
    blind_phase(
        review_call,
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=1),
    )
    juror = make_juror(review_call)
    for _index in range(count):
        assign(juror, jury_dossier(review_call, staff), declared="none")
    # Decided, no letter yet.
    for _index in range(count):
        dossier = change_state(jury_dossier(call, staff), "start_review", staff)
        decide(dossier, "reject", staff, "Hors du périmètre.")
    for _index in range(count):
        accompaniment = make_accompaniment(stage=Stage.LABELLING)
        Milestone.objects.create(
            accompaniment=accompaniment, stage=accompaniment.stage, title="Étape", due_on=past
        )
        ImpactReport.objects.create(
            accompaniment=accompaniment,
            number=1,
            period_start=past - datetime.timedelta(days=90),
            period_end=past - datetime.timedelta(days=10),
            due_on=past,
        )
        owner = factories.MembershipFactory(structure=accompaniment.structure, role="owner").user
        report_obstacle(accompaniment, owner, "Code du travail, L. 1234", "L'embauche")


SECTIONS = [
    "dossiers_to_check",
    "late_reviews",
    "decisions_to_send",
    "overdue_milestones",
    "overdue_reports",
    "obstacles_waiting",
]


def section(page, name):
    start = page.index(f'data-section="{name}"')
    end = page.find("</section>", start)
    return page[start:end]


@pytest.mark.django_db
def test_today_lists_what_is_due_with_counts_and_links(client_for, manager, staff):
    due_things(7, manager, staff)
    page = client_for(staff).get(TODAY).content.decode()
    for name in SECTIONS:
        part = section(page, name)
        assert '<span class="badge">7</span>' in part, name
        # At most five items, then the link to the full list.
        assert part.count("<li>") == 5, name
        assert "See all" in part, name


@pytest.mark.django_db
def test_today_says_when_nothing_waits(client_for, staff):
    page = client_for(staff).get(TODAY).content.decode()
    for name in SECTIONS:
        assert "Nothing waits here." in section(page, name)
    assert "0 things are due." in page


@pytest.mark.django_db
def test_today_counts_neither_released_letters_nor_open_phases(client_for, staff):
    now = timezone.now()
    call = factories.make_call()
    blind_phase(
        call, starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=3)
    )
    assign(make_juror(call), jury_dossier(call, staff), declared="none")
    page = client_for(staff).get(TODAY).content.decode()
    assert '<span class="badge">0</span>' in section(page, "late_reviews")


@pytest.mark.django_db
def test_today_is_for_the_programme_staff(client_for, owner, juror_user, support_point_user):
    for person in (owner, juror_user, support_point_user):
        assert client_for(person).get(TODAY).status_code == 403


@pytest.mark.django_db
def test_today_costs_the_same_queries_with_one_and_with_many(
    client_for, count_queries, manager, staff
):
    client = client_for(staff)
    due_things(1, manager, staff)
    with_one = count_queries(client, TODAY)
    due_things(6, manager, staff)
    assert count_queries(client, TODAY) == with_one
    page = client.get(TODAY).content.decode()
    assert '<span class="badge">7</span>' in section(page, "obstacles_waiting")
    print(f"staff today: {with_one} queries with 1 and with 7 of each")


# --- the support point's territory


@pytest.mark.django_db
def test_the_territory_lists_the_structures_followed_there(
    client_for, support_point_user, structure, far_support_point_user
):
    here = make_accompaniment(structure)
    elsewhere = make_accompaniment(
        factories.StructureFactory(department=factories.department("18", "Cher"))
    )
    not_accompanied = factories.StructureFactory(department=structure.department)
    page = client_for(support_point_user).get(TERRITORY).content.decode()
    assert reverse("accelerator:accompaniment", kwargs={"pk": here.pk}) in page
    assert reverse("accelerator:accompaniment", kwargs={"pk": elsewhere.pk}) not in page
    assert not_accompanied.name not in page
    far = client_for(far_support_point_user).get(TERRITORY).content.decode()
    assert reverse("accelerator:accompaniment", kwargs={"pk": elsewhere.pk}) in far
    assert structure.name not in far


@pytest.mark.django_db
def test_the_territory_is_for_support_points(client_for, owner, staff, juror_user):
    for person in (owner, staff, juror_user):
        assert client_for(person).get(TERRITORY).status_code == 403


@pytest.mark.django_db
def test_the_territory_pages_and_costs_the_same_queries(
    client_for, count_queries, support_point_user, structure
):
    client = client_for(support_point_user)
    make_accompaniment(structure)
    with_one = count_queries(client, TERRITORY)
    for _index in range(29):
        make_accompaniment(factories.StructureFactory(department=structure.department))
    assert count_queries(client, TERRITORY) == with_one
    page = client.get(TERRITORY).content.decode()
    assert page.count("<tr data-accompaniment=") == 25
    assert "?page=2" in page
    assert "30 structures accompanied in your territory" in page


# --- what the applicant does first


@pytest.mark.django_db
def test_the_applicant_sees_first_what_needs_action(client_for, structure, owner, staff):
    now = timezone.now()
    asked = submitted_dossier(factories.make_call(title="Appel complément"), structure=structure)
    request_info(
        asked, staff, "Il manque le budget.", reply_by=(now + datetime.timedelta(days=5)).date()
    )
    soon = factories.make_call(
        title="Appel bientôt clos", closes_at=now + datetime.timedelta(days=6)
    )
    factories.make_dossier(call=soon, structure=structure)
    later = factories.make_call(title="Appel lointain", closes_at=now + datetime.timedelta(days=40))
    factories.make_dossier(call=later, structure=structure)
    other = factories.StructureFactory(name="Ailleurs")
    other_owner = factories.MembershipFactory(structure=other, role="owner").user
    invite_member(other, other_owner, owner.email, "viewer")

    page = client_for(owner).get(reverse("accelerator:home")).content.decode()
    first = page[page.index('id="actions-title"') : page.index('id="structures-title"')]
    assert "Appel complément" in first and "Reply expected by" in first
    assert "Appel bientôt clos" in first and "Closes on" in first
    assert "Ailleurs" in first and "Valid until" in first
    assert "Appel lointain" not in first
    # The complement asked for comes before the deadline.
    assert first.index("Appel complément") < first.index("Appel bientôt clos")
    assert reverse("applications:dossier", args=[asked.pk]) in first


@pytest.mark.django_db
def test_nothing_to_do_first_hides_the_section(client_for, owner):
    page = client_for(owner).get(reverse("accelerator:home")).content.decode()
    assert 'id="actions-title"' not in page


@pytest.mark.django_db
def test_the_applicant_home_costs_the_same_queries_with_many_actions(
    client_for, count_queries, staff
):
    def person_with(count):
        user = factories.UserFactory()
        for _index in range(count):
            structure = factories.MembershipFactory(user=user, role="owner").structure
            asked = submitted_dossier(factories.make_call(), structure=structure)
            request_info(asked, staff, "Il manque le budget.")
            call = factories.make_call(closes_at=timezone.now() + datetime.timedelta(days=3))
            factories.make_dossier(call=call, structure=structure)
        return user

    home = reverse("accelerator:home")
    with_one = count_queries(client_for(person_with(1)), home)
    client = client_for(person_with(4))
    assert count_queries(client, home) == with_one
    assert client.get(home).content.decode().count("needs-action__item--") == 8


# --- what the juror does first


@pytest.mark.django_db
def test_the_juror_sees_first_the_declarations_and_reviews_due(client_for, staff):
    now = timezone.now()
    call = factories.make_call(title="Appel au jury")
    juror = make_juror(call)
    ends = now + datetime.timedelta(days=4)
    blind_phase(
        call, name="Première lecture", starts_at=now - datetime.timedelta(days=1), ends_at=ends
    )
    assign(juror, jury_dossier(call, staff))
    assign(juror, jury_dossier(call, staff), declared="none")
    done_call = factories.make_call(title="Appel terminé")
    make_juror(done_call, user=juror.user)

    page = client_for(juror.user).get(reverse("applications:juror_home")).content.decode()
    first = page[page.index('id="juror-todo-title"') : page.index('id="juror-seats-title"')]
    assert "Appel au jury" in first
    assert "1 conflict question to answer" in first
    assert "2 reviews to write" in first
    assert "Première lecture" in first
    assert "Appel terminé" not in first
    assert "Appel terminé" in page[page.index('id="juror-seats-title"') :]


@pytest.mark.django_db
def test_the_juror_home_costs_the_same_queries_with_many_seats(client_for, count_queries, staff):
    user = factories.UserFactory()
    url = reverse("applications:juror_home")
    client = client_for(user)

    def seat():
        call = factories.make_call()
        blind_phase(call)
        assign(make_juror(call, user=user), jury_dossier(call, staff))

    seat()
    with_one = count_queries(client, url)
    for _index in range(4):
        seat()
    assert count_queries(client, url) == with_one
