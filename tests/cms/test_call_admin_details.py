"""Issue 14, points 6 and 8: plain messages in the call's admin (weight, page address), clean
addresses, the timeline's automatic steps shown once, départements by région, the programme
preselected, no autosave before the first save, French workflow names, “Add a criterion”."""

import importlib
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from wagtail.models import Task, Workflow
from wagtail.test.utils.form_data import inline_formset, streamfield

from accelerator.models import Programme, Region
from applications.models import Call
from applications.templatetags.call_tags import call_timeline
from tests import factories
from tests.cms.test_call_admin import add_call_url, call_post_data
from tests.cms.test_call_admin_dates import edit_url, post_call

WEIGHT = "The weight is a positive number, for example 1 or 0.5."


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory()


def criterion(weight):
    return inline_formset(
        [
            {
                "title": "Impact",
                "description": "",
                "weight": weight,
                "scale_min": "0",
                "scale_max": "5",
            }
        ]
    )


@pytest.mark.parametrize("weight", ["0", "-1", "abc", ""])
def test_a_wrong_weight_is_explained_in_plain_words(client, superuser, programme, weight):
    client.force_login(superuser)

    response = post_call(client, programme, criteria=criterion(weight))

    assert response.status_code == 200
    assert not Call.objects.exists()
    criterion_form = response.context["form"].formsets["criteria"].forms[0]
    assert criterion_form.errors["weight"] == [WEIGHT]
    assert "greater than or equal to" not in response.content.decode()


def test_a_weight_with_a_french_comma_is_read_in_the_french_admin(
    client, superuser, programme, settings
):
    settings.LANGUAGE_CODE = "fr"
    client.force_login(superuser)

    response = post_call(client, programme, criteria=criterion("0,5"))

    assert response.status_code == 302
    call = Call.objects.get()
    assert call.criteria.get().weight == Decimal("0.5")
    html = client.get(edit_url(call)).content.decode()
    assert re.search(
        r'<input type="text" name="criteria-0-weight" value="0,50" inputmode="decimal"', html
    )


def test_a_taken_address_is_refused_once_with_a_free_one_to_try(client, superuser, programme):
    factories.make_call(slug="tiers-lieux-2030")
    factories.make_call(slug="tiers-lieux-2030-2")
    client.force_login(superuser)

    response = post_call(client, programme)

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Another page of this site already uses the address “tiers-lieux-2030”. "
        "Try “tiers-lieux-2030-3”."
    ]
    assert response.content.decode().count("Another page of this site already uses") == 1


def test_editing_a_call_keeps_its_own_address(client, superuser):
    call = factories.make_call(slug="appel-rural")
    client.force_login(superuser)
    data = call_post_data(
        call.programme, [], title=call.title, slug="appel-rural", form=streamfield([])
    )

    response = client.post(edit_url(call), data)

    assert response.status_code == 302
    assert Call.objects.get(pk=call.pk).slug == "appel-rural"


def test_an_address_is_plain_ascii_whatever_was_typed(client, superuser, programme):
    client.force_login(superuser)

    response = post_call(client, programme, title="Appel à projets été", slug="Appel-à-projets-été")

    assert response.status_code == 302
    assert Call.objects.get().slug == "appel-a-projets-ete"


def test_the_address_box_slugifies_without_accents(client, superuser):
    client.force_login(superuser)

    html = client.get(add_call_url(factories.call_index())).content.decode()

    box = re.search(r'<input type="text" name="slug"[^>]*>', html).group(0)
    assert 'data-controller="w-slug"' in box
    # Wagtail writes the attribute only when accents are allowed (the script's default is no).
    assert "data-w-slug-allow-unicode-value" not in box


def test_the_timeline_shows_the_automatic_steps_once(db):
    call = Call(
        opens_at=datetime(2030, 1, 10, 8, 0, tzinfo=UTC),
        closes_at=datetime(2030, 3, 15, 16, 0, tzinfo=UTC),
    )
    steps = [
        ("Ouverture des candidatures", date(2030, 1, 10)),  # the opening, said again
        ("Clôture de l’appel", date(2030, 3, 15)),  # the closing, said again
        ("Date limite de dépôt", date(2030, 3, 15)),  # the closing, in other words
        ("Ouverture du vote", date(2030, 3, 15)),  # an opening, but not the call's
        ("Visite de la ferme", date(2030, 3, 15)),  # the closing day, another meaning
        ("Clôture", date(2030, 3, 16)),  # another day
        ("Jury", date(2030, 4, 2)),
    ]
    call.timeline = [
        ("step", {"label": label, "date": day, "description": ""}) for label, day in steps
    ]

    events = call_timeline(call, now=datetime(2030, 1, 1, tzinfo=UTC))

    assert [event["label"] for event in events] == [
        "Opening",
        "Closing: last moment to submit a dossier",
        "Ouverture du vote",
        "Visite de la ferme",
        "Clôture",
        "Jury",
    ]


def test_the_public_page_lists_the_opening_once(client, db, apply_urls):
    call = factories.make_call(
        opens_at=datetime(2030, 1, 10, 8, 0, tzinfo=UTC),
        closes_at=datetime(2030, 3, 15, 16, 0, tzinfo=UTC),
        timeline=[
            ("step", {"label": "Opening of applications", "date": date(2030, 1, 10)}),
            ("step", {"label": "Jury", "date": date(2030, 4, 2)}),
        ],
    )

    html = client.get(call.url).content.decode()

    timeline = html.split('id="call-timeline"')[1]
    assert timeline.count("<li") == 3
    assert "Opening of applications" not in timeline
    assert "Jury" in timeline


def test_the_admin_shows_the_automatic_steps_above_the_timeline(client, superuser):
    call = factories.make_call(
        opens_at=datetime(2030, 1, 10, 8, 0, tzinfo=UTC),
        closes_at=datetime(2030, 3, 15, 16, 0, tzinfo=UTC),
    )
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    notice = (
        "Added by Essor: opening on Thursday 10 January 2030 at 09:00, closing on Friday "
        "15 March 2030 at 17:00 (Paris time)."
    )
    assert notice in html
    assert html.index(notice) < html.index('id="panel-child-call-child-timeline-child-timeline')


def _regions_and_departments(html):
    widget = html.split('data-departments id="id_eligible_departments"')[1].split("</fieldset>\n")
    regions = []
    for part in widget:
        legend = re.search(r"<legend>([^<]+)</legend>", part)
        if legend:
            regions.append(
                (legend.group(1), re.findall(r'name="eligible_departments"[^>]*>\s*([^<]+)<', part))
            )
    return regions


def test_departements_are_grouped_by_region_the_programmes_own_first(client, superuser):
    brittany = Region.objects.get(name="Bretagne")
    call = factories.make_call(
        programme=Programme.objects.create(name="Bretagne ESS", slug="bzh", region=brittany)
    )
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    regions = _regions_and_departments(html)
    names = [name for name, _departments in regions]
    assert names[0] == "Bretagne"
    assert names[1:] == sorted(names[1:])
    assert len(names) == Region.objects.filter(departments__isnull=False).distinct().count()
    assert regions[0][1] == [
        "Côtes-d&#x27;Armor (22)",
        "Finistère (29)",
        "Ille-et-Vilaine (35)",
        "Morbihan (56)",
    ]
    assert sum(len(departments) for _name, departments in regions) == 101
    # The filter box the static script drives.
    assert "data-departments-filter" in html
    assert "applications/admin/departments_filter.js" in html


def test_ticked_departements_are_saved_and_shown_ticked(client, superuser, programme):
    cher, loiret = factories.department("18", "Cher"), factories.department("45", "Loiret")
    client.force_login(superuser)
    data = call_post_data(programme, [cher, loiret], form=streamfield([]))

    response = client.post(add_call_url(factories.call_index()), data)

    assert response.status_code == 302
    call = Call.objects.get()
    assert set(call.eligible_departments.values_list("code", flat=True)) == {"18", "45"}
    html = client.get(edit_url(call)).content.decode()
    ticked = re.findall(r'<input type="checkbox" name="eligible_departments"[^>]* checked>', html)
    assert sorted(re.search(r'value="(\d+)"', tag).group(1) for tag in ticked) == sorted(
        [str(cher.pk), str(loiret.pk)]
    )


def test_the_only_programme_is_preselected_and_shown_read_only(client, superuser, programme):
    client.force_login(superuser)

    html = client.get(add_call_url(factories.call_index())).content.decode()

    select = re.search(r'<select name="programme"[^>]*>(.*?)</select>', html, re.S)
    assert " disabled" in select.group(0).split(">")[0]
    assert re.findall(r'<option value="(\d+)"[^>]*selected>', select.group(1)) == [
        str(programme.pk)
    ]
    data = call_post_data(programme, [], form=streamfield([]))
    del data["programme"]
    response = client.post(add_call_url(factories.call_index()), data)
    assert response.status_code == 302
    assert Call.objects.get().programme == programme


def test_the_only_programme_of_an_existing_call_is_shown_read_only(client, superuser):
    call = factories.make_call()
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    select = re.search(r'<select name="programme"[^>]*>', html).group(0)
    assert " disabled" in select
    assert "/admin/snippets/choose/accelerator/programme/" not in html


def test_with_several_programmes_the_editor_chooses(client, superuser, programme):
    Programme.objects.create(name="Autre programme", slug="autre")
    client.force_login(superuser)

    html = client.get(add_call_url(factories.call_index())).content.decode()

    assert '<select name="programme"' not in html
    assert 'data-chooser-url="/admin/snippets/choose/accelerator/programme/"' in html


def _form_controllers(html):
    return re.search(r'<form\s+id="page-edit-form".*?data-controller="([^"]*)"', html, re.S).group(
        1
    )


def test_no_autosave_before_the_first_save_and_autosave_after(client, superuser):
    call = factories.make_call()
    client.force_login(superuser)

    create = client.get(add_call_url(factories.call_index())).content.decode()
    edit = client.get(edit_url(call)).content.decode()

    assert "w-autosave" not in _form_controllers(create)
    assert "Autosave is" not in create
    assert "w-autosave" in _form_controllers(edit).split()
    assert "data-w-autosave-interval-value" in edit


def test_wagtails_default_workflow_is_named_in_french(client, superuser):
    assert Workflow.objects.filter(name="Validation avant publication").exists()
    assert Task.objects.filter(name="Validation par les modérateurs").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    call = factories.make_call()
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    assert "Submit to Validation avant publication" in html


def test_a_workflow_renamed_by_the_team_keeps_its_name(db):
    migration = importlib.import_module("cms.migrations.0002_french_workflow_names")
    Workflow.objects.create(name="Moderators approval")
    own = Workflow.objects.create(name="Relecture par la direction")

    migration.to_default(apps, None)
    assert Workflow.objects.filter(name="Moderators approval").count() == 2
    migration.to_french(apps, None)

    assert Workflow.objects.filter(name="Validation avant publication").count() == 2
    own.refresh_from_db()
    assert own.name == "Relecture par la direction"


def test_criteria_are_added_one_at_a_time(client, superuser):
    call = factories.make_call(criteria=2)
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    assert re.search(
        r'id="id_criteria-ADD">\s*<svg[^>]*>.*?</svg>\s*Add a criterion\s*<', html, re.S
    )
    assert "Add evaluation criteria" not in html and "Add criterion" not in html
    # Each criterion is titled in the singular, numbered by Wagtail's script.
    headings = re.findall(r"\s*(\w+)<span data-inline-panel-child-count>", html)
    assert headings == ["Criterion"] * 3  # the two criteria and the empty form's template


def test_the_editor_loads_its_static_scripts_and_styles(client, superuser):
    call = factories.make_call()
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    for script in (
        "paris_dates.js",
        "tab_errors.js",
        "departments_filter.js",
    ):
        assert f'<script src="/static/applications/admin/{script}"></script>' in html
    # The form builder's script comes with the call's form, its words beside it.
    assert re.search(
        r'<script src="/static/applications/admin/form_builder.js"[^>]*'
        r'data-form-builder-words="[^"]+"',
        html,
    )
    assert '<link rel="stylesheet" href="/static/applications/admin/call_admin.css">' in html
