"""The applications' sections of the staff's weekly digest: dossiers submitted in the last seven
days and reviews still owed, counted right, in two queries each whatever their number."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accelerator.domain.reminders_digest import digest_sections
from applications.domain.staff_digest import new_dossiers, pending_reviews
from tests import factories
from tests.applications.jury_reminders.support import jury, submit
from tests.applications.staff_support import submitted_dossier
from workers.models import OutboxMessage
from workers.tasks import scan_reminders

pytestmark = pytest.mark.django_db


def test_the_digest_has_the_applications_sections_first():
    names = [section.name for section in digest_sections()]
    assert names[:2] == ["new_dossiers", "pending_reviews"]


def test_new_dossiers_are_those_submitted_in_the_last_seven_days():
    call = factories.make_call()
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        submitted_dossier(call)
    recent = [submitted_dossier(call) for _ in range(3)]
    factories.make_dossier(call=call)  # a draft

    figures = new_dossiers(timezone.now())

    assert figures.count == 3
    assert [item.link for item in figures.items] == [
        f"/staff/dossiers/{dossier.pk}/" for dossier in reversed(recent)
    ]


def test_pending_reviews_are_the_reviews_still_owed(staff):
    made = jury(staff, ends_at=timezone.now() + timedelta(days=5), jurors=2, dossiers=3)
    submit(next(iter(made.assignments.values())))

    figures = pending_reviews(timezone.now())

    assert figures.count == 5
    assert str(figures.items[0].text).endswith(f"({made.call.title})")


@pytest.mark.parametrize("count", [1, 6])
def test_each_section_costs_two_queries(staff, count, django_assert_num_queries):
    call = factories.make_call()
    for _ in range(count):
        submitted_dossier(call)
    jury(staff, ends_at=timezone.now() + timedelta(days=5), jurors=1, dossiers=count)
    now = timezone.now()
    with django_assert_num_queries(2):
        assert new_dossiers(now).count >= count
    with django_assert_num_queries(2):
        assert pending_reviews(now).count == count


def test_the_weekly_digest_counts_them(staff):
    call = factories.make_call()
    submitted_dossier(call)
    jury(staff, ends_at=timezone.now() + timedelta(days=5), jurors=1, dossiers=2)

    scan_reminders("staff_weekly_digest")

    body = OutboxMessage.objects.get(to=staff.email).body_text
    # The two of the jury, and the one above.
    assert "== Dossiers submitted in the last seven days: 3" in body
    assert "== Reviews still owed by jurors: 2" in body
