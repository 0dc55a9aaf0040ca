"""The cohorts list: who sees which cohorts, what it counts, its query count (1 vs many), and
the link to it in the navigation."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.accelerator.cohorts import S, accompany, advance, board_url, make_cohort

# --- the list of cohorts: permissions


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider", 403),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("staff", 200),
        ("support_point", 200),
    ],
)
def test_cohort_list_per_role(cohort, people, client_for, role, status):
    response = client_for(people[role]).get(reverse("accelerator:cohort_list"))
    assert response.status_code == status
    if status == 200:
        assert cohort.name in response.content.decode()


def test_cohort_list_sends_anonymous_people_to_log_in(cohort, client_for):
    response = client_for(None).get(reverse("accelerator:cohort_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_cohort_list_for_a_manager(cohort, manager_user, client_for):
    response = client_for(manager_user).get(reverse("accelerator:cohort_list"))
    assert response.status_code == 200
    assert board_url(cohort) in response.content.decode()


def test_cohort_list_counts_structures_per_stage_and_capacity(cohort, staff, client_for):
    mover = factories.ManagerFactory()
    advance(accompany(cohort), S.LABELLING, mover)
    advance(accompany(cohort), S.LABELLING, mover)
    make_cohort(name="Cohorte vide", capacity=12)
    html = client_for(staff).get(reverse("accelerator:cohort_list")).content.decode()
    row = re.search(rf'data-cohort="{cohort.pk}".*?</tr>', html, re.S).group(0)
    assert "3 / 80" in row
    assert re.search(r"Sourcing</span>\s*<strong>1</strong>", row)
    assert re.search(r"Labelling</span>\s*<strong>2</strong>", row)
    assert "Seed funding" not in row
    assert "Cohorte vide" in html
    assert "0 / 12" in html


def test_a_support_point_lists_only_cohorts_of_its_territory_counting_only_its_structures(
    cohort, support_point_user, far_support_point_user, client_for
):
    cher = factories.department("18", "Cher")
    accompany(cohort, factories.StructureFactory(department=cher))
    elsewhere = make_cohort(name="Cohorte du Cher")
    accompany(elsewhere, factories.StructureFactory(department=cher))

    html = client_for(support_point_user).get(reverse("accelerator:cohort_list")).content.decode()
    assert "Cohorte du Cher" not in html
    row = re.search(rf'data-cohort="{cohort.pk}".*?</tr>', html, re.S).group(0)
    assert re.search(r'class="number">1</td>', row)
    assert "/ 80" not in row

    far = client_for(far_support_point_user).get(reverse("accelerator:cohort_list"))
    far_html = far.content.decode()
    assert "Cohorte du Cher" in far_html and cohort.name in far_html


def test_cohort_list_runs_the_same_number_of_queries_with_1_and_many_cohorts(
    db, staff, client_for, count_queries, support_point_user
):
    client = client_for(staff)
    url = reverse("accelerator:cohort_list")
    first = make_cohort(name="C0")
    accompany(first)
    one = count_queries(client, url)
    one_point = count_queries(client_for(support_point_user), url)
    for n in range(1, 12):
        cohort = make_cohort(name=f"C{n}")
        for _ in range(3):
            accompany(cohort)
    assert count_queries(client, url) == one
    assert count_queries(client_for(support_point_user), url) == one_point


# --- the navigation


def test_the_cohorts_link_is_in_the_navigation_of_staff_only(
    cohort, staff, owner, support_point_user, client_for
):
    link = f'href="{reverse("accelerator:cohort_list")}"'
    home = reverse("accelerator:home")
    assert link in client_for(staff).get(home).content.decode()
    assert link not in client_for(owner).get(home).content.decode()
    assert link not in client_for(support_point_user).get(home).content.decode()
