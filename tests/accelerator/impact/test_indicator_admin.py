"""The catalogue of impact indicators in the Wagtail admin: listed, filtered and searched in a
constant number of queries, created with its errors shown on the fields and what was typed kept,
and an indicator that plans or reports hold keeps its type of value and is never deleted."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accelerator.domain.impact_plans import save_line
from accelerator.domain.impact_reports import save_report
from accelerator.domain.indicators import check_value_type_change, in_use
from accelerator.domain.refusals import Refused
from accelerator.models import Indicator
from tests import factories
from tests.accelerator.impact.world import first_report, in_impact_measurement, indicator

pytestmark = pytest.mark.django_db
TYPE_REFUSED = "Impact plans or reports already hold figures of this indicator"


def url(action, *args):
    return reverse(f"wagtailsnippets_accelerator_indicator:{action}", args=args)


@pytest.fixture
def admin_client(client):
    client.force_login(factories.StaffFactory(is_superuser=True))
    return client


def indicator_data(**overrides):
    data = {
        "code": "meals-served",
        "name": "Repas servis",
        "definition": "Repas servis pendant la période, sur place ou livrés.",
        "unit": "repas",
        "value_type": "integer",
        "direction": "higher",
        "aggregation": "sum",
        "category": "people",
        "iris_code": "PI1234",
        "sdg_targets": "2.1, 12.3",
        "active": "on",
        "position": "12",
    }
    data.update(overrides)
    return data


def edit_data(existing, **overrides):
    data = indicator_data(
        code=existing.code,
        name=existing.name,
        definition=existing.definition,
        unit=existing.unit,
        value_type=existing.value_type,
        direction=existing.direction,
        aggregation=existing.aggregation,
        category=existing.category,
        iris_code=existing.iris_code,
        sdg_targets=existing.sdg_targets,
        position=str(existing.position),
    )
    data.update(overrides)
    return data


def listing_queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# --- the listing


def test_the_default_catalogue_is_listed_with_readable_types_in_the_menu_group(admin_client):
    response = admin_client.get(url("list"))
    assert response.status_code == 200
    page = response.content.decode()
    rows = list(response.context["object_list"])
    assert len(rows) == 10
    # In the order of the categories, then of their position.
    assert [row.category for row in rows] == sorted(row.category for row in rows)
    assert "jobs-fte" in page and "Emplois créés" in page
    assert "Amount in euros" in page and "Percentage" in page and "Mean" in page
    menu = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("list") in menu and "Impact indicators" in menu


def test_the_listing_filters_and_searches(admin_client):
    def codes(**query):
        response = admin_client.get(url("list"), query)
        assert response.status_code == 200
        return sorted(row.code for row in response.context["object_list"])

    assert codes(category="economic") == ["funds-raised", "own-revenue-share", "revenue"]
    assert codes(value_type="money") == ["funds-raised", "revenue"]
    Indicator.objects.filter(code="volunteers").update(active=False)
    assert codes(active="false") == ["volunteers"]
    assert codes(q="déchets") == ["waste-avoided"]
    assert codes(q="jobs") == ["jobs-fte"]


def test_the_listing_runs_constant_queries(admin_client):
    ten = listing_queries(admin_client, url("list"))
    for number in range(20):
        Indicator.objects.create(
            code=f"extra-{number}", name=f"Indicateur {number}", category="territory"
        )
    thirty = listing_queries(admin_client, url("list"))
    assert Indicator.objects.count() == 30
    assert thirty == ten


def test_staff_reach_the_catalogue_only_with_the_model_permissions(client):
    staff = factories.StaffFactory()
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(staff)
    assert client.get(url("list")).status_code == 302
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accelerator",
            codename__in=["view_indicator", "add_indicator", "change_indicator"],
        )
    )
    assert client.get(url("list")).status_code == 200
    assert client.get(url("add")).status_code == 200


# --- creating


def test_a_new_indicator_is_created_from_the_form(admin_client):
    response = admin_client.post(url("add"), indicator_data())
    assert response.status_code == 302
    created = Indicator.objects.get(code="meals-served")
    assert (created.value_type, created.aggregation, created.category) == (
        "integer",
        "sum",
        "people",
    )
    assert created.sdg_target_list == ["2.1", "12.3"]


def test_errors_are_shown_on_their_fields_with_what_was_typed_kept(admin_client):
    typed = indicator_data(
        code="jobs-fte",
        name="Témoignages recueillis",
        value_type="text",
        aggregation="sum",
        sdg_targets="objectif 8 et 10",
    )
    response = admin_client.post(url("add"), typed)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["aggregation"] == ["Texts cannot be added up: choose “None”."]
    assert errors["sdg_targets"] == [
        "Write the SDG targets as their numbers, separated by commas: “8.5, 10.2”."
    ]
    assert errors["code"] == ["Impact indicator with this Code already exists."]
    page = response.content.decode()
    assert 'value="objectif 8 et 10"' in page and 'value="Témoignages recueillis"' in page
    assert re.search(r'name="value_type" value="text"[^>]*checked', page)
    assert re.search(r'name="aggregation" value="sum"[^>]*checked', page)
    # Each message is printed in its field's error area, as the admin shows field errors.
    for field, [message] in errors.items():
        shown = rf'data-contentpath="{field}">\s*<div class="w-field__errors"[^>]*>\s*<svg[^>]*>.*?'
        assert re.search(shown + rf'class="error-message">\s*{re.escape(message)}', page, re.S)
    assert Indicator.objects.count() == 10
    assert not Indicator.objects.filter(name="Témoignages recueillis").exists()


def test_a_text_indicator_is_accepted_when_it_is_not_added_up(admin_client):
    response = admin_client.post(
        url("add"),
        indicator_data(code="testimonies", value_type="text", aggregation="none", unit=""),
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="testimonies").aggregation == "none"


# --- an indicator in use


def test_an_indicator_in_a_plan_or_a_report_keeps_its_type_of_value(admin_client):
    accompaniment = in_impact_measurement()
    jobs, people, waste = (
        indicator("jobs-fte"),
        indicator("people-reached"),
        indicator("waste-avoided"),
    )
    save_line(accompaniment, accompaniment.editor, jobs, baseline="2", target="5")
    # Reported without being planned: the report's figure holds the indicator too.
    save_report(first_report(accompaniment), accompaniment.editor, {people: ("120", False, "")})
    assert in_use(Indicator.objects.all()) == {jobs.pk, people.pk}

    for used in (jobs, people):
        response = admin_client.post(
            url("edit", used.pk), edit_data(used, value_type="percentage", name="Renommé")
        )
        assert response.status_code == 200
        [message] = response.context["form"].errors["value_type"]
        assert message.startswith(TYPE_REFUSED)
        assert 'value="Renommé"' in response.content.decode()
        used.refresh_from_db()
        assert used.value_type != "percentage" and used.name != "Renommé"

    # Its other fields still change; an indicator nobody uses may take another type.
    response = admin_client.post(url("edit", jobs.pk), edit_data(jobs, name="Emplois (ETP)"))
    assert response.status_code == 302
    jobs.refresh_from_db()
    assert jobs.name == "Emplois (ETP)"
    response = admin_client.post(url("edit", waste.pk), edit_data(waste, value_type="integer"))
    assert response.status_code == 302
    waste.refresh_from_db()
    assert waste.value_type == "integer"
    check_value_type_change(Indicator(code="new"), "text")  # a new indicator: nothing to refuse
    with pytest.raises(Refused):
        check_value_type_change(people, "yes_no")


def test_an_indicator_in_use_is_never_deleted(admin_client):
    accompaniment = in_impact_measurement()
    jobs, volunteers = indicator("jobs-fte"), indicator("volunteers")
    save_line(accompaniment, accompaniment.editor, jobs, baseline="2", target="5")

    response = admin_client.post(url("delete", jobs.pk), follow=True)
    assert Indicator.objects.filter(pk=jobs.pk).exists()
    shown = [str(message) for message in response.context["messages"]]
    assert any("cannot be deleted" in message for message in shown)

    response = admin_client.post(url("delete", volunteers.pk))
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=volunteers.pk).exists()
