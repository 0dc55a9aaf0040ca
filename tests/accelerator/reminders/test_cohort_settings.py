"""Staff set a cohort's reminder offsets where they edit the cohort (the Wagtail snippet), and
the rules read them."""

import pytest
from django.urls import reverse

from accelerator.models import Cohort
from tests import factories
from tests.accelerator.cohorts import make_cohort

pytestmark = pytest.mark.django_db


def test_staff_set_the_cohorts_reminder_offsets(client):
    cohort = make_cohort("Promotion 2026")
    # The Wagtail admin opens to superusers (and to groups given access to it).
    client.force_login(factories.StaffFactory(is_superuser=True))
    url = reverse("wagtailsnippets_accelerator_cohort:edit", args=[cohort.pk])

    html = client.get(url).content.decode()
    for name in ("remind_milestone_days", "remind_report_days", "stalled_after_days"):
        assert f'name="{name}"' in html
    assert "0 turns a reminder off" in html

    response = client.post(
        url,
        {
            "programme": cohort.programme_id,
            "name": "Promotion 2026",
            "year": 2026,
            "capacity": 15,
            "starts_on": "",
            "ends_on": "",
            "remind_milestone_days": 3,
            "remind_report_days": 0,
            "stalled_after_days": 45,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    cohort = Cohort.objects.get(pk=cohort.pk)
    assert (cohort.remind_milestone_days, cohort.remind_report_days) == (3, 0)
    assert cohort.stalled_after_days == 45


def test_an_offset_must_be_a_number_of_days(client):
    cohort = make_cohort()
    client.force_login(factories.StaffFactory(is_superuser=True))
    url = reverse("wagtailsnippets_accelerator_cohort:edit", args=[cohort.pk])

    response = client.post(
        url,
        {
            "programme": cohort.programme_id,
            "name": cohort.name,
            "year": cohort.year,
            "capacity": cohort.capacity,
            "remind_milestone_days": -1,
            "remind_report_days": 14,
            "stalled_after_days": 60,
        },
    )

    assert response.status_code == 200
    assert Cohort.objects.get(pk=cohort.pk).remind_milestone_days == 7
