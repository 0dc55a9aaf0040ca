"""Blind review seen through the pages: the leaks of the finding stay out of the juror's dossier
page, figures come in bands, staff preview exactly what a juror reads, and a juror reports a
leak that staff then hide."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.domain.blind import neutral_code
from applications.domain.dossiers import change_state
from applications.models import BlindLeakReport, Dossier
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM
from tests.applications.jury.helpers import assign, attach, blind_phase, declare, make_juror
from workers.models import OutboxMessage

SIRET = factories.valid_siret(910)

# Each leak of the finding, written in an answer the way applicants write it; and what of it
# must not reach the juror.
LEAKS = {
    "no accents": ("Porté par Helene Vasseur.", "Helene"),
    "hyphens": ("L'Atelier-Soleil anime le quartier.", "Atelier-Soleil"),
    "website domain": ("Tout est sur www.soleil45.example/projet.", "soleil45"),
    "first name alone": ("Hélène coordonne les bénévoles.", "Hélène"),
    "town": ("Nous sommes installés à Saint Jean de Braye.", "Braye"),
    "postcode": ("Notre local (45800) est accessible.", "45800"),
    "e-mail domain": ("Écrivez à accueil@soleil-loiret.org.", "soleil-loiret"),
}


@pytest.fixture
def call(db):
    return factories.make_call(form=FULL_FORM)


@pytest.fixture
def dossier(call, staff):
    structure = factories.StructureFactory(
        name="Atelier Soleil",
        siret=SIRET,
        website="https://www.soleil45.example",
        postcode="45800",
        city="Saint-Jean-de-Braye",
        creation_year=2015,
        annual_budget=Decimal("120000.00"),
        employees=4,
        description="Le Café des Mûriers, notre lieu, accueille les habitants.",
    )
    owner = factories.UserFactory(
        email="helene.vasseur@soleil-loiret.org", first_name="Hélène", last_name="Vasseur"
    )
    factories.MembershipFactory(structure=structure, user=owner, role="owner")
    dossier = factories.make_dossier(call=call, structure=structure, answers=COMPLETE_ANSWERS)
    attach(dossier)
    change_state(dossier, "submit", owner)
    # Longer answers than FULL_FORM's limits allow, written as a row: the leaks need room.
    answers = {
        **COMPLETE_ANSWERS,
        "q-desc": " ".join(text for text, _gone in LEAKS.values()),
        "q-pitch": "Un atelier de la ville pour les habitants du Loiret.",
    }
    Dossier.objects.filter(pk=dossier.pk).update(answers=answers)
    dossier.refresh_from_db()
    return change_state(dossier, "mark_eligible", staff)


@pytest.fixture
def juror(call, dossier):
    juror = make_juror(call)
    assign(juror, dossier, declared="none")
    return juror


def _juror_page(client, juror, dossier):
    client.force_login(juror.user)
    response = client.get(reverse("applications:juror_dossier", args=[dossier.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _juror_part(page):
    """The part of a page a juror reads of the dossier (the juror's page and the preview)."""
    return page.split("<!-- juror-view -->", 1)[1].split("<!-- /juror-view -->", 1)[0]


@pytest.mark.parametrize("gone", [gone for _text, gone in LEAKS.values()], ids=LEAKS.keys())
def test_no_leak_of_the_finding_reaches_the_blind_juror(client, call, dossier, juror, gone):
    blind_phase(call)
    page = _juror_page(client, juror, dossier)
    assert gone.casefold() not in page.casefold()


def test_common_words_of_the_answers_are_not_scrubbed(client, call, dossier, juror):
    blind_phase(call)
    page = _juror_page(client, juror, dossier)
    assert "Un atelier de la ville pour les habitants du Loiret." in page
    assert "[structure] anime le quartier" in page and "Notre local ([place]) est" in page


def test_the_blind_fact_box_shows_bands_not_figures(client, call, dossier, juror):
    blind_phase(call)
    part = _juror_part(_juror_page(client, juror, dossier))
    assert "2010 to 2019" in part and "€50,000 to €200,000" in part
    assert "1 to 5 employees" in part
    assert "2015" not in part and "120,000" not in part and "<dd>4</dd>" not in part


def test_the_open_fact_box_shows_the_exact_figures(client, call, dossier, juror):
    blind_phase(call, blind=False)
    part = _juror_part(_juror_page(client, juror, dossier))
    assert "2015" in part and "120,000" in part and "<dd>4</dd>" in part
    assert "Atelier Soleil" in part


@pytest.mark.parametrize("blind", [True, False])
def test_the_juror_dossier_page_costs_as_many_queries_as_before(
    client, call, dossier, juror, django_assert_num_queries, blind
):
    blind_phase(call, blind=blind)
    client.force_login(juror.user)
    url = reverse("applications:juror_dossier", args=[dossier.pk])
    client.get(url)
    # Seven before blind review learnt bands, places and extra terms; still seven.
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


# --- the staff's preview ----------------------------------------------------------------------


def _preview_url(dossier):
    return reverse("applications:staff_blind_preview", args=[dossier.pk])


def test_the_staff_preview_is_exactly_what_the_juror_reads(client, call, dossier, juror, staff):
    blind_phase(call)
    juror_part = _juror_part(_juror_page(client, juror, dossier))
    client.force_login(staff)
    response = client.get(_preview_url(dossier))
    assert response.status_code == 200
    assert _juror_part(response.content.decode()) == juror_part
    assert neutral_code(dossier) in response.content.decode()


def test_the_preview_shows_the_blind_reading_before_the_blind_phase(client, call, dossier, staff):
    blind_phase(call, blind=False)
    client.force_login(staff)
    open_part = _juror_part(client.get(_preview_url(dossier)).content.decode())
    assert "Atelier Soleil" in open_part
    blind_part = _juror_part(client.get(_preview_url(dossier) + "?mode=blind").content.decode())
    assert "Atelier Soleil" not in blind_part and "[structure]" in blind_part


def test_the_preview_costs_the_same_queries_with_one_report_and_with_many(
    client, call, dossier, juror, staff
):
    blind_phase(call)
    client.force_login(staff)

    def count_with(reports):
        BlindLeakReport.objects.filter(dossier=dossier).delete()
        BlindLeakReport.objects.bulk_create(
            BlindLeakReport(
                dossier=dossier,
                juror=juror,
                text=f"Report {n}",
                resolved_by=staff if n % 2 else None,
            )
            for n in range(reports)
        )
        client.get(_preview_url(dossier))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_preview_url(dossier))
        assert response.status_code == 200
        assert response.content.decode().count("Report ") >= reports
        return len(queries)

    one = count_with(1)
    print(f"blind preview: {one} queries with 1 report, {count_with(12)} with 12")
    assert count_with(12) == one


def test_only_staff_open_the_preview(client, dossier, juror):
    url = _preview_url(dossier)
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(juror.user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"blind-terms": "x"}).status_code == 403


# --- a juror reports a leak -----------------------------------------------------------------


def _report_url(dossier):
    return reverse("applications:juror_report_leak", args=[dossier.pk])


def test_a_reading_juror_reports_a_leak_and_the_managers_are_told_once(
    client, call, dossier, juror, manager, staff
):
    blind_phase(call)
    client.force_login(juror.user)
    response = client.post(_report_url(dossier), {"leak-text": "Le Café des Mûriers"})
    assert response.status_code == 302
    report = BlindLeakReport.objects.get()
    assert (report.dossier, report.juror, report.text) == (dossier, juror, "Le Café des Mûriers")
    messages = list(OutboxMessage.objects.filter(key__startswith="blind-leak:"))
    # The programme's manager, not every member of staff.
    assert [m.to for m in messages] == [manager.email]
    assert dossier.reference in messages[0].body_text
    assert _preview_url(dossier) in messages[0].body_text

    client.post(_report_url(dossier), {"leak-text": "Et la fondatrice."})
    assert OutboxMessage.objects.filter(key__startswith="blind-leak:").count() == 2


def test_without_managers_every_active_staff_member_is_told(client, call, dossier, juror, staff):
    blind_phase(call)
    client.force_login(juror.user)
    client.post(_report_url(dossier), {"leak-text": "Le nom du café."})
    told = OutboxMessage.objects.filter(key__startswith="blind-leak:")
    assert list(told.values_list("to", flat=True)) == [staff.email]


@pytest.mark.parametrize("who", ["other juror", "conflicted", "undeclared", "staff"])
def test_only_an_assigned_juror_without_conflict_reports(client, call, dossier, staff, who):
    blind_phase(call)
    juror = make_juror(call)
    if who == "conflicted":
        assign(juror, dossier)
        declare(juror, dossier, "personal")
    elif who == "undeclared":
        assign(juror, dossier)
    user = staff if who == "staff" else juror.user
    client.force_login(user)
    response = client.post(_report_url(dossier), {"leak-text": "Le nom du café."})
    assert response.status_code == 404
    assert not BlindLeakReport.objects.exists()
    assert not OutboxMessage.objects.filter(key__startswith="blind-leak:").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, dossier):
    response = client.post(_report_url(dossier), {"leak-text": "x"})
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert not BlindLeakReport.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"leak-text": "   "}, "Say what gives the applicant away."),
        ({}, "Say what gives the applicant away."),
        ({"leak-text": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
)
def test_bad_input_is_refused_clearly_and_kept(client, call, dossier, juror, data, message):
    blind_phase(call)
    client.force_login(juror.user)
    response = client.post(_report_url(dossier), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "<title>Error:" in page
    if data.get("leak-text", "").strip():
        assert data["leak-text"] in page
    assert not BlindLeakReport.objects.exists()


def test_no_report_while_the_review_is_not_blind(client, call, dossier, juror):
    blind_phase(call, blind=False)
    page = _juror_page(client, juror, dossier)
    assert _report_url(dossier) not in page
    response = client.post(_report_url(dossier), {"leak-text": "Le nom."})
    assert response.status_code == 400
    assert "This review is not blind at the moment" in response.content.decode()
    assert not BlindLeakReport.objects.exists()


def test_staff_hide_the_reported_terms_and_resolve_the_report(client, call, dossier, juror, staff):
    blind_phase(call)
    assert "Mûriers" in _juror_page(client, juror, dossier)
    client.post(_report_url(dossier), {"leak-text": "Le Café des Mûriers, c'est eux."})
    report = BlindLeakReport.objects.get()

    client.force_login(staff)
    preview = client.get(_preview_url(dossier)).content.decode()
    assert "Le Café des Mûriers, c&#x27;est eux." in preview
    response = client.post(_preview_url(dossier), {"blind-terms": "cafe des muriers\n\n"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.blind_terms == ["cafe des muriers"]
    resolve = reverse("applications:staff_resolve_leak_report", args=[dossier.pk, report.pk])
    assert client.post(resolve).status_code == 302
    report.refresh_from_db()
    assert report.is_resolved and report.resolved_by == staff

    page = _juror_page(client, juror, dossier)
    assert "Mûriers" not in page and "Le [hidden], notre lieu" in page


def test_too_many_terms_are_refused_and_kept(client, dossier, staff):
    client.force_login(staff)
    typed = "\n".join(f"terme {n}" for n in range(201))
    response = client.post(_preview_url(dossier), {"blind-terms": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "At most 200 terms per dossier." in page and "terme 200" in page
    dossier.refresh_from_db()
    assert dossier.blind_terms == []


def test_a_juror_cannot_resolve_a_report(client, call, dossier, juror):
    report = BlindLeakReport.objects.create(dossier=dossier, juror=juror, text="x")
    client.force_login(juror.user)
    url = reverse("applications:staff_resolve_leak_report", args=[dossier.pk, report.pk])
    assert client.post(url).status_code == 403
    report.refresh_from_db()
    assert not report.is_resolved
