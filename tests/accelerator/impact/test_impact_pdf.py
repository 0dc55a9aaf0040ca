"""Impact summaries as PDF, read back with pypdf: a structure's (its plan, its validated figures
over time, on track or behind, its last narrative) and a cohort's (totals and means of the
latest validated figures, computed here by hand), in French forms, for whom, and at a cost that
does not grow with the figures or the structures."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accelerator.domain.impact_pdf import (
    accompaniment_summary_pdf,
    cohort_summary_pdf,
)
from accelerator.domain.impact_reports import (
    change_report_state,
    save_report,
    start_correction,
)
from accelerator.models import ImpactReport, ReportingSchedule
from tests import factories
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.impact.world import (
    agreed_plan,
    in_impact_measurement,
    indicator,
    submitted,
    validated,
)

pytestmark = pytest.mark.django_db

PLAN = {"jobs-fte": ("2", "6"), "people-reached": ("100", "300"), "own-revenue-share": ("30", "50")}
PERIODS = {
    1: (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
    2: (datetime.date(2026, 7, 1), datetime.date(2026, 12, 3)),
}


def text_of(content):
    """The PDF's text, with non-breaking spaces read as spaces."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


def report(accompaniment, number):
    return ImpactReport.objects.get(accompaniment=accompaniment, number=number, version=1)


def measuring(cohort, name, structure=None, plan=PLAN):
    """A structure of `cohort` with an agreed plan over 2026 and its two reports over the two
    halves of 2026 (the second ending on 3 December)."""
    structure = structure or factories.StructureFactory(name=name)
    accompaniment = in_impact_measurement(cohort, structure=structure)
    for number, (start, end) in PERIODS.items():
        ImpactReport.objects.filter(accompaniment=accompaniment, number=number).update(
            period_start=start, period_end=end
        )
    agreed_plan(accompaniment, plan)
    return accompaniment


def two_period_cohort(name="Cohorte Été 2026"):
    cohort = make_cohort(name=name)
    ReportingSchedule.objects.create(cohort=cohort, every_months=6, reports=2, last_is_final=True)
    return cohort


# --- one structure's summary


@pytest.fixture
def reported():
    """Tiers-lieu Les Ateliers: both reports validated, a correction of the second under way."""
    accompaniment = measuring(two_period_cohort(), "Tiers-lieu Les Ateliers")
    validated(
        report(accompaniment, 1),
        accompaniment,
        {"jobs-fte": "3,5", "people-reached": "1250", "own-revenue-share": "40"},
    )
    second = submitted(
        report(accompaniment, 2),
        accompaniment,
        {"jobs-fte": "6", "people-reached": "1400", "own-revenue-share": "45,5"},
        narrative="Un deuxième semestre « solide ».\n\nDeux embauches en CDI.",
    )
    change_report_state(second, "validate", accompaniment.referent)
    correction = start_correction(report(accompaniment, 2), accompaniment.editor, "Erreur")
    save_report(correction, accompaniment.editor, {indicator("jobs-fte"): ("999", False, "")})
    return accompaniment


def test_a_structures_summary_prints_its_plan_and_figures_in_french(reported):
    text = text_of(accompaniment_summary_pdf(reported, "fr"))
    assert "Tiers-lieu Les Ateliers" in text
    assert reported.structure.siret in text
    assert "Cohorte Été 2026 (2026)" in text
    # The plan: baselines and targets with their dates.
    assert "Emplois créés (ETP)" in text
    assert "2 ETP" in text and "6 ETP" in text and "1 janvier 2026" in text
    assert "1 janvier 2027" in text
    # The validated figures over time, in French form.
    assert "3,5 ETP" in text and "1 250 personnes" in text and "1 400 personnes" in text
    assert "45,5 %" in text
    assert "3 décembre 2026" in text
    # The narrative of the last validated report, paragraphs kept.
    assert "Un deuxième semestre « solide »." in text and "Deux embauches en CDI." in text
    # A correction not yet validated is not a figure.
    assert "999" not in text
    assert "Page 1 / " in text


def test_a_structures_summary_says_whether_it_is_on_track_in_words(reported):
    text = text_of(accompaniment_summary_pdf(reported, "en"))
    assert "Impact summary" in text
    assert "Period covered" in text and "1 January 2026 to 3 December 2026" in text
    # 3.5 FTE on 30 June is behind the path from 2 to 6 over 2026; 1 250 people are ahead of it.
    assert "Behind" in text and "On track" in text
    assert "Report 2 (final)" in text
    assert "What the structure says" in text
    reader = PdfReader(io.BytesIO(accompaniment_summary_pdf(reported, "en")))
    assert reader.metadata.title == "Impact summary · Tiers-lieu Les Ateliers"
    assert reader.metadata.author == "Essor"


def test_a_summary_with_nothing_validated_says_so():
    accompaniment = measuring(two_period_cohort(), "Bricole")
    text = text_of(accompaniment_summary_pdf(accompaniment, "en"))
    assert "No validated report yet" in text
    assert "Bricole" in text


def test_who_downloads_a_structures_summary(client_for, people, structure, far_support_point_user):
    accompaniment = measuring(make_cohort(), "", structure=structure)
    url = reverse("accelerator:impact_summary_pdf", kwargs={"pk": accompaniment.pk})
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for name in ("outsider",):
        assert client_for(people[name]).get(url).status_code == 404
    assert client_for(far_support_point_user).get(url).status_code == 404
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    for name in ("viewer", "editor", "owner", "support_point", "staff"):
        response = client_for(people[name]).get(url)
        assert response.status_code == 200, name
    response = client_for(superuser).get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    stem = f"impact-{structure.name.lower().replace(' ', '-')}-{timezone.localdate():%Y-%m-%d}"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.pdf"'
    assert structure.name in text_of(response.content)
    missing = reverse("accelerator:impact_summary_pdf", kwargs={"pk": accompaniment.pk + 1000})
    assert client_for(people["staff"]).get(missing).status_code == 404


def test_a_structures_summary_costs_the_same_whatever_its_figures(client, staff, count_queries):
    cohort = two_period_cohort()
    small = measuring(cohort, "Petite", plan={"jobs-fte": ("2", "6")})
    validated(report(small, 1), small, {"jobs-fte": "3"})
    large = measuring(cohort, "Grande")
    values = {"jobs-fte": "3", "people-reached": "150", "own-revenue-share": "40"}
    validated(report(large, 1), large, values)
    validated(report(large, 2), large, values)
    client.force_login(staff)

    def url(accompaniment):
        return reverse("accelerator:impact_summary_pdf", kwargs={"pk": accompaniment.pk})

    assert count_queries(client, url(small)) == count_queries(client, url(large))


# --- a cohort's summary


@pytest.fixture
def cohort():
    """Atelier: both reports validated, the latest (3 December) with 5 FTE (behind the 5.68
    expected), 1 300 people, 45 % own revenue (behind). Bricole: its first report validated with
    4.5 FTE, 250 people, 61 % (all on track on 30 June). Cuisine: nothing validated yet."""
    cohort = two_period_cohort()
    atelier = measuring(cohort, "Atelier")
    validated(
        report(atelier, 1),
        atelier,
        {"jobs-fte": "3,5", "people-reached": "1250", "own-revenue-share": "40"},
    )
    validated(
        report(atelier, 2),
        atelier,
        {"jobs-fte": "5", "people-reached": "1300", "own-revenue-share": "45"},
    )
    bricole = measuring(cohort, "Bricole")
    validated(
        report(bricole, 1),
        bricole,
        {"jobs-fte": "4,5", "people-reached": "250", "own-revenue-share": "61"},
    )
    measuring(cohort, "Cuisine")
    return cohort


def test_a_cohorts_summary_adds_up_the_latest_validated_figures_in_french(cohort):
    text = text_of(cohort_summary_pdf(cohort, "fr"))
    assert "Cohorte Été 2026 (2026)" in text
    # Sums: 5 + 4,5 FTE and 1 300 + 250 people; mean: (45 + 61) / 2 %.
    assert "9,5 ETP" in text
    assert "1 550 personnes" in text
    assert "53 %" in text
    # The period the figures cover: from Atelier's first period to its second.
    assert "1 janvier 2026" in text and "3 décembre 2026" in text
    assert "Atelier" in text and "Bricole" in text and "Cuisine" in text
    # The first figures of Atelier are no longer its latest.
    assert "8 ETP" not in text


def test_a_cohorts_summary_counts_structures_on_track_and_behind(cohort):
    text = text_of(cohort_summary_pdf(cohort, "en"))

    def cells(start, end):
        """The table cells (or fact lines) from `start` to `end`, stripped."""
        found = text.index(start)
        return [line.strip() for line in text[found : text.index(end, found)].splitlines()]

    # The facts' labels wrap in their narrow column.
    assert cells("accompanied", "Structures with")[-1] == "3"
    assert cells("validated figures", "Structures on track")[-1] == "2"
    assert cells("Structures on track", "Structures behind") == ["Structures on track", "1"]
    assert cells("Structures behind", "Structures with a late") == ["Structures behind", "1"]
    # One line per structure: Atelier's latest figures (3 December) are behind on two
    # indicators, Bricole's (30 June) all on track, Cuisine has no figures yet.
    assert cells("\nAtelier\n", "\nBricole\n")[2:] == [
        "Loiret (45)",
        "3 December 2026",
        "0",
        "Behind",
    ]
    assert cells("\nBricole\n", "\nCuisine\n")[2:] == [
        "Loiret (45)",
        "30 June 2026",
        "0",
        "On track",
    ]
    assert cells("\nCuisine\n", "Page 1 / 1")[2:3] == ["Loiret (45)"]
    assert "No figures yet" in cells("\nCuisine\n", "Page 1 / 1")
    # Per indicator: its total, how many structures report it, on track, behind.
    assert cells("Emplois créés (ETP)", "Personnes") == [
        "Emplois créés (ETP)",
        "Total",
        "9.5 ETP",
        "2",
        "1",
        "1",
    ]


def test_a_cohorts_summary_costs_the_same_whatever_its_size(client, staff, count_queries):
    values = {"jobs-fte": "3", "people-reached": "150", "own-revenue-share": "40"}
    small, large = two_period_cohort("Petite"), two_period_cohort("Grande")
    alone = measuring(small, "Seule")
    validated(report(alone, 1), alone, values)
    for n in range(3):
        accompaniment = measuring(large, f"Structure {n}")
        validated(report(accompaniment, 1), accompaniment, values)
    client.force_login(staff)

    def url(cohort):
        return reverse("accelerator:cohort_impact_pdf", kwargs={"pk": cohort.pk})

    assert count_queries(client, url(small)) == count_queries(client, url(large))
    response = client.get(url(large), HTTP_ACCEPT_LANGUAGE="fr")
    assert "9 ETP" in text_of(response.content)
    assert response["Content-Disposition"].endswith(
        f'filename="impact-grande-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
