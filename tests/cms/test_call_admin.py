"""Staff write a call in the Wagtail admin: one page with tabs, readable errors, nothing lost."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accelerator.models import LegalForm
from applications.models import Call
from tests import factories


def add_call_url(index):
    return reverse("wagtailadmin_pages:add", args=("applications", "call", index.pk))


def listblock(items, ids=None):
    ids = ids or [""] * len(items)
    data = {
        str(i): {"value": item, "deleted": "", "order": str(i), "id": ids[i]}
        for i, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def blocks_with_ids(items):
    """StreamField form data whose blocks carry the ids the admin's script gives them, so that a
    display condition can name its question: items are (block type, value, block id)."""
    data = {
        str(i): {"type": kind, "value": value, "deleted": "", "order": str(i), "id": block_id}
        for i, (kind, value, block_id) in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def question(label, required=True, show_if=None, **extra):
    """A question's block value; `show_if` is (question id, operator, [answer keys])."""
    condition, operator, answers = show_if or ("", "is", [])
    value = {
        "label": label,
        "help_text": "",
        "show_if_question": condition,
        "show_if_operator": operator,
        "show_if_answers": "\n".join(answers),
        **extra,
    }
    if required:
        value["required"] = "on"
    return value


def call_post_data(programme, departments, **overrides):
    data = {
        "title": "Tiers-lieux solidaires 2030",
        "slug": "tiers-lieux-2030",
        "programme": str(programme.pk),
        "kind": "structures",
        "summary": "Un appel pour les tiers-lieux de la région.",
        "description": rich_text("<p>Le règlement de l'appel.</p>"),
        "opens_at": "2030-01-10 09:00",
        "closes_at": "2030-03-15 17:00",
        "timeline": streamfield(
            [("step", {"label": "Jury", "date": "2030-04-02", "description": ""})]
        ),
        "esus_required": "on",
        "min_age_years": "2",
        "budget_min": "10000",
        "budget_max": "500000",
        # The call's reminders (days before closing, hour on the closing day...).
        "remind_closing_first_days": "7",
        "remind_closing_second_days": "2",
        "remind_closing_day_hour": "9",
        "remind_info_after_days": "5",
        "remind_info_before_days": "2",
        "remind_reviews_before_days": "3",
        "form": blocks_with_ids(
            [
                ("section", {"heading": "Le projet", "help_text": ""}, "s-project"),
                ("short_text", question("Nom du projet", max_length="120"), "q-name"),
                (
                    "single_choice",
                    question(
                        "Lieu", choices=listblock(["Rural", "Urbain"], ["c-rural", "c-urban"])
                    ),
                    "q-place",
                ),
                (
                    "long_text",
                    question(
                        "Pourquoi en zone rurale ?",
                        show_if=("q-place", "is", ["c-rural"]),
                        limit_unit="words",
                        limit="300",
                    ),
                    "q-why",
                ),
            ]
        ),
        "criteria": inline_formset(
            [
                {
                    "title": "Impact social",
                    "description": "",
                    "weight": "2",
                    "scale_min": "0",
                    "scale_max": "5",
                },
                {
                    "title": "Faisabilité",
                    "description": "",
                    "weight": "1",
                    "scale_min": "0",
                    "scale_max": "5",
                },
            ]
        ),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    flat = nested_form_data(data)
    # Multiple choices post a list under one name (nested_form_data would number them).
    flat["eligible_departments"] = [str(d.pk) for d in departments]
    flat["eligible_legal_forms"] = [LegalForm.SCIC, LegalForm.ASSOCIATION]
    return flat


@pytest.fixture
def departments(db):
    return [factories.department("18", "Cher"), factories.department("45", "Loiret")]


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory()


def test_staff_superuser_sees_the_edit_form_of_a_call_with_its_four_tabs(client, superuser):
    call = factories.make_call(eligible_legal_forms=[LegalForm.SCOP])
    client.force_login(superuser)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(call.pk,)))

    assert response.status_code == 200
    html = response.content.decode()
    tabs = re.findall(r'role="tab"[^>]*>\s*([^<]+?)\s*<', html)
    assert tabs[:4] == ["Call", "Eligibility", "Application form", "Evaluation grid"]
    # Legal forms and départements are checkboxes; the saved legal form is ticked.
    legal_forms = re.findall(r'<input type="checkbox" name="eligible_legal_forms"[^>]*>', html)
    assert len(legal_forms) == len(LegalForm.values)
    assert [tag for tag in legal_forms if tag.endswith(" checked>")] == [
        tag for tag in legal_forms if 'value="scop"' in tag
    ]
    assert re.search(r'<input type="checkbox" name="eligible_departments"', html)
    # Times are typed and shown in Paris time, and the form says so.
    assert "Opening and closing (Paris time)" in html
    assert html.count("Date and time in Paris time (Europe/Paris).") == 2


def test_the_form_builder_offers_every_kind_of_question(client, superuser):
    index = factories.call_index()
    client.force_login(superuser)

    html = client.get(add_call_url(index)).content.decode()

    for label in (
        "Section heading",
        "Short text",
        "Long text",
        "Number",
        "Amount in euros",
        "Date",
        "Yes / no",
        "Single choice",
        "Multiple choice",
        "File",
        "Partners table",
    ):
        assert label in html, label


def test_posting_a_valid_call_creates_a_live_call_with_its_form_and_grid(
    client, superuser, programme, departments
):
    index = factories.call_index()
    client.force_login(superuser)

    response = client.post(add_call_url(index), call_post_data(programme, departments))

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    call = Call.objects.get(slug="tiers-lieux-2030")
    assert call.live
    assert call.get_parent().pk == index.pk
    # Typed in Paris time (winter: UTC+1).
    assert call.opens_at == datetime(2030, 1, 10, 8, 0, tzinfo=UTC)
    assert call.closes_at == datetime(2030, 3, 15, 16, 0, tzinfo=UTC)
    assert call.eligible_legal_forms == [LegalForm.ASSOCIATION, LegalForm.SCIC]
    assert set(call.eligible_departments.values_list("code", flat=True)) == {"18", "45"}
    assert call.esus_required and call.min_age_years == 2
    assert call.budget_min == Decimal("10000") and call.budget_max == Decimal("500000")
    assert [block.block_type for block in call.form] == [
        "section",
        "short_text",
        "single_choice",
        "long_text",
    ]
    assert list(call.form[2].value["choices"]) == ["Rural", "Urbain"]
    # The condition names its question and answer by their stable ids, not by typed keys.
    stored = call.form.raw_data[3]["value"]
    assert (stored["show_if_question"], stored["show_if_operator"]) == ("q-place", "is")
    assert stored["show_if_answers"] == "c-rural"
    assert [(c.title, c.weight) for c in call.criteria.order_by("sort_order")] == [
        ("Impact social", Decimal("2")),
        ("Faisabilité", Decimal("1")),
    ]


def test_invalid_dates_and_budget_show_on_their_fields_and_keep_what_was_typed(
    client, superuser, programme, departments
):
    index = factories.call_index()
    client.force_login(superuser)
    data = call_post_data(
        programme,
        departments,
        opens_at="2030-03-15 17:00",
        closes_at="2030-01-10 09:00",
        budget_min="500000",
        budget_max="10000",
    )

    response = client.post(add_call_url(index), data)

    assert response.status_code == 200
    assert not Call.objects.filter(slug="tiers-lieux-2030").exists()
    form = response.context["form"]
    assert form.errors["closes_at"] == ["A call must close after it opens."]
    assert form.errors["budget_max"] == ["The maximum budget is below the minimum."]
    html = response.content.decode()
    assert 'value="Tiers-lieux solidaires 2030"' in html
    assert "Un appel pour les tiers-lieux de la région." in html
    assert 'value="2030-03-15 17:00"' in html
    assert form["eligible_legal_forms"].value() == [LegalForm.SCIC, LegalForm.ASSOCIATION]
    assert form.formsets["criteria"].forms[0]["title"].value() == "Impact social"


def test_a_reversed_scale_is_reported_on_the_criterion(client, superuser, programme, departments):
    index = factories.call_index()
    client.force_login(superuser)
    criteria = inline_formset(
        [{"title": "Impact", "description": "", "weight": "1", "scale_min": "5", "scale_max": "5"}]
    )

    response = client.post(
        add_call_url(index), call_post_data(programme, departments, criteria=criteria)
    )

    assert response.status_code == 200
    criterion_form = response.context["form"].formsets["criteria"].forms[0]
    assert criterion_form.errors["scale_max"] == [
        "The highest score must be greater than the lowest score."
    ]


def test_a_display_condition_on_a_later_question_is_refused_in_the_admin(
    client, superuser, programme, departments
):
    index = factories.call_index()
    client.force_login(superuser)
    form = blocks_with_ids(
        [
            ("short_text", question("Détails", show_if=("q-place", "is", ["c-rural"])), "q-why"),
            (
                "single_choice",
                question("Lieu", choices=listblock(["Rural", "Urbain"], ["c-rural", "c-urban"])),
                "q-place",
            ),
        ]
    )

    response = client.post(add_call_url(index), call_post_data(programme, departments, form=form))

    assert response.status_code == 200
    assert not Call.objects.filter(slug="tiers-lieux-2030").exists()
    stream_error = response.context["form"].errors["form"].data[0]
    message = stream_error.block_errors[0].block_errors["show_if_question"].messages[0]
    assert message == (
        "The question “Lieu” comes after this one. A question can only depend on an earlier "
        "question: move “Lieu” above it."
    )
    assert "comes after this one" in response.content.decode()


def test_an_applicant_cannot_reach_the_admin(client, owner):
    client.force_login(owner)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_visitors_are_sent_to_log_in_from_the_admin(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_admin_menu_leads_staff_to_the_dossiers(client, superuser):
    client.force_login(superuser)

    html = client.get("/admin/").content.decode()

    assert '"label": "Dossiers", "icon_name": "folder-open-inverse"' in html
    assert '"url": "/staff/"' in html


def test_the_calls_listing_shows_each_call_with_paris_times(client, superuser):
    factories.make_call(
        title="Appel rural",
        opens_at=datetime(2030, 1, 10, 8, 0, tzinfo=UTC),
        closes_at=datetime(2030, 3, 15, 16, 0, tzinfo=UTC),
    )
    client.force_login(superuser)

    response = client.get(reverse("calls:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Appel rural" in html
    assert "Accélérateur d&#x27;innovations sociales Centre-Val de Loire" in html
    assert "15 March 2030 at 17:00 (Paris time)" in html


@pytest.mark.parametrize(
    ("url_name", "search"),
    [
        ("wagtailsnippets_accelerator_structure:list", "Structure"),
        ("wagtailsnippets_accelerator_programme:list", "Accélérateur"),
        ("wagtailsnippets_accelerator_supportpoint:list", "Point"),
    ],
)
def test_programme_data_is_managed_as_snippets(client, superuser, url_name, search):
    factories.StructureFactory(
        name="Structure du Cher", department=factories.department("18", "Cher")
    )
    factories.ProgrammeFactory()
    factories.SupportPointFactory(name="Point d'appui du Loiret")
    client.force_login(superuser)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert search in response.content.decode()


def test_structures_are_filtered_by_department_and_legal_form(client, superuser):
    cher = factories.department("18", "Cher")
    factories.StructureFactory(name="SCOP du Cher", department=cher, legal_form=LegalForm.SCOP)
    factories.StructureFactory(name="Association du Cher", department=cher)
    factories.StructureFactory(name="SCOP du Loiret", legal_form=LegalForm.SCOP)
    client.force_login(superuser)

    response = client.get(
        reverse("wagtailsnippets_accelerator_structure:list"),
        {"department": cher.pk, "legal_form": LegalForm.SCOP},
    )

    html = response.content.decode()
    assert "SCOP du Cher" in html
    assert "Association du Cher" not in html
    assert "SCOP du Loiret" not in html


def test_structures_are_found_by_siret(client, superuser):
    wanted = factories.StructureFactory(name="La Ressourcerie")
    factories.StructureFactory(name="Autre structure")
    client.force_login(superuser)

    response = client.get(
        reverse("wagtailsnippets_accelerator_structure:list"), {"q": wanted.siret}
    )

    html = response.content.decode()
    assert "La Ressourcerie" in html
    assert "Autre structure" not in html


def _count_queries(client, url):
    client.get(url)  # warm the admin's caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_admin_listings_of_calls_and_structures_are_constant_in_queries(
    client, superuser, django_assert_num_queries
):
    factories.make_call()
    factories.StructureFactory()
    client.force_login(superuser)
    urls = [reverse("calls:index"), reverse("wagtailsnippets_accelerator_structure:list")]
    counts = [_count_queries(client, url) for url in urls]

    for _ in range(29):
        factories.make_call(criteria=0)
        factories.StructureFactory(department=factories.department("18", "Cher"))

    for url, count in zip(urls, counts, strict=True):
        client.get(url)
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.context["paginator"].count == 30
