"""French as the interface writes it: charts with French month names and thousands grouped, a
duration of one year in the singular, one word for a cohort (« promotion »), and a structure's
name never glued to « de » or « à » (« de Le Hangar » is wrong French: the catalogue is phrased
so that no contraction is needed)."""

import datetime
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format

from accelerator.domain.impact_chart import Mark, indicator_chart
from accelerator.domain.impact_cohort_chart import status_chart
from accelerator.domain.impact_values import display_value
from accelerator.models import ValueType
from applications.templatetags.call_tags import call_eligibility
from tests import factories

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/fr/LC_MESSAGES/django.po"
# The placeholders that stand for a structure, a programme, a cohort or a call: names that may
# begin with an article (« Le Hangar », « La Ruche », « Les Jardins »).
NAMES = "structure|structure_name|name|names|programme|programme_name|cohort|title|call|funder"
GLUED = re.compile(rf"(?<![\w’'])(de|à)\s+(<[^>]+>\s*)?%\(({NAMES})\)s")


def _separator():
    """Django's French thousands separator (a no-break space)."""
    with translation.override("fr"):
        return get_format("THOUSAND_SEPARATOR")


def _texts(entry):
    return [entry.msgstr, *entry.msgstr_plural.values()]


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


def test_one_word_for_a_cohort(catalogue):
    found = [e.msgid for e in catalogue for text in _texts(e) if re.search("cohorte", text, re.I)]
    assert found == []
    assert catalogue.find("Cohorts").msgstr == "Promotions"


def test_no_name_is_glued_to_de_or_a(catalogue):
    glued = [text for e in catalogue for text in _texts(e) if GLUED.search(text)]
    assert glued == []


def test_the_rule_catches_what_it_is_meant_to_catch():
    assert GLUED.search("Membres de %(name)s")
    assert GLUED.search("le jalon de <strong>%(name)s</strong>")
    assert not GLUED.search("Membres : %(name)s")
    assert not GLUED.search("de la structure %(structure)s")
    assert not GLUED.search("du %(start)s au %(end)s")


@pytest.mark.django_db
def test_one_year_is_one_an():
    call = factories.make_call(min_age_years=1)
    with translation.override("fr"):
        sentences = " ".join(str(s) for s in call_eligibility(call))
    assert "au moins 1 an." in sentences and "1 ans" not in sentences
    call.min_age_years = 3
    with translation.override("fr"):
        assert "au moins 3 ans." in " ".join(str(s) for s in call_eligibility(call))


def test_the_indicator_chart_writes_french_months_and_thousands():
    indicator = SimpleNamespace(
        value_type=ValueType.MONEY, unit="", name="Chiffre d'affaires", code="ca"
    )
    with translation.override("fr"):
        marks = [
            Mark(datetime.date(2026, 1, 31), Decimal(v), display_value(indicator, Decimal(v)))
            for v in ("12500", "18250")
        ]
        marks[1] = Mark(datetime.date(2026, 8, 31), marks[1].value, marks[1].label)
        chart = indicator_chart(marks, tick_label=lambda value: display_value(indicator, value))
        row = SimpleNamespace(
            line=SimpleNamespace(pk=1), chart=chart, indicator=indicator, readings=[]
        )
        html = render_to_string("accelerator/impact/_indicator_chart.html", {"row": row})
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    thin = _separator()
    assert "janvier 2026" in svg and "août 2026" in svg
    assert f"12{thin}500\u00a0€" in svg
    assert f"10{thin}000" in svg  # a grid line's value
    assert "January" not in svg and ">12500" not in svg


def test_the_status_chart_groups_thousands_in_french():
    tally = SimpleNamespace(reporting=1250, on_track=1000, behind=200, not_comparable=50)
    figure = SimpleNamespace(tally=tally, indicator=SimpleNamespace(name="Emplois", code="jobs"))
    thin = _separator()
    with translation.override("fr"):
        chart = status_chart([figure])
        html = render_to_string("accelerator/impact/_status_chart.html", {"chart": chart})
    assert f">1{thin}250</text>" in html
    assert f">1{thin}000</text>" in html
    assert ">1250<" not in html and ">1000<" not in html


@pytest.mark.django_db
def test_a_structure_called_le_hangar_is_never_glued_to_de(client):
    structure = factories.StructureFactory(name="Le Hangar")
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    client.force_login(owner)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    pages = [
        client.get(reverse("accelerator:members", args=[structure.pk])),
        client.get(reverse("accelerator:home")),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Le Hangar" in html
        assert not re.search(r"\b(de|à)\s+Le Hangar", html), re.findall(r".{40}Le Hangar", html)
    assert "Membres\u00a0: Le Hangar" in pages[0].content.decode()
