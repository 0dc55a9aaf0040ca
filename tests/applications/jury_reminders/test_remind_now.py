"""Staff remind late jurors now from the review-progress page: one juror, or every late juror,
once per hour whatever the clicks; the page keeps its number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.domain.jury_remind_now import remind_late_jurors
from tests.applications.jury.helpers import make_juror
from tests.applications.jury_reminders.support import emails, jury, paris, sent, submit
from tests.applications.staff_support import count_queries
from workers.models import Reminder

pytestmark = pytest.mark.django_db

RULE = "juror_reviews_asked"
NOW = paris(2027, 3, 15, 14, 20)
ENDS = paris(2027, 3, 26, 17, 0)


def _page(call):
    return reverse("applications:staff_review_progress", kwargs={"call_id": call.pk})


def _remind(call):
    return reverse("applications:staff_remind_jurors", kwargs={"call_id": call.pk})


def _late_jury(staff):
    """Three jurors: two owe reviews, one has submitted both; and one invited, not seated."""
    made = jury(staff, ends_at=ENDS, jurors=3, dossiers=2)
    for dossier in made.dossiers:
        submit(made.assignments[made.jurors[2].pk, dossier.pk])
    make_juror(made.call, accepted=False)
    return made


def test_the_page_offers_a_button_per_late_juror_and_one_for_all(client, staff):
    with time_machine.travel(NOW, tick=False):
        made = _late_jury(staff)
        client.force_login(staff)
        page = client.get(_page(made.call)).content.decode()

    assert page.count('name="juror" value="all"') == 1
    assert "Remind the 2 late jurors now" in page
    for juror in made.jurors[:2]:
        assert f'name="juror" value="{juror.pk}"' in page
    assert f'name="juror" value="{made.jurors[2].pk}"' not in page


def test_reminding_one_juror_then_clicking_again(client, staff):
    with time_machine.travel(NOW, tick=False) as traveller:
        made = _late_jury(staff)
        late = made.jurors[0]
        client.force_login(staff)

        response = client.post(_remind(made.call), {"juror": late.pk}, follow=True)
        assert "1 juror was reminded of their reviews by e-mail." in response.content.decode()
        again = client.post(_remind(made.call), {"juror": late.pk}, follow=True)
        assert "No reminder was sent" in again.content.decode()
        traveller.move_to(NOW + timedelta(minutes=39))
        client.post(_remind(made.call), {"juror": late.pk})
        assert len(emails(RULE)) == 1

        # The next hour is another occasion.
        traveller.move_to(NOW + timedelta(minutes=40))
        client.post(_remind(made.call), {"juror": late.pk})

    assert [r.recipient_id for r in sent(RULE)] == [late.user_id, late.user_id]
    assert [r.occasion for r in sent(RULE)] == ["manual:2027-03-15T14", "manual:2027-03-15T15"]
    message = emails(RULE)[0]
    assert message.to == late.user.email
    assert message.subject == f"Reminder: 2 reviews to finish for “{made.call.title}”"
    assert "The review phase “Première lecture” closes on 26 March 2027" in message.body_text


def test_reminding_every_late_juror_double_click_sends_one_each(client, staff):
    with time_machine.travel(NOW, tick=False):
        made = _late_jury(staff)
        client.force_login(staff)
        first = client.post(_remind(made.call), {"juror": "all"}, follow=True)
        second = client.post(_remind(made.call), {"juror": "all"}, follow=True)

    assert "2 jurors were reminded of their reviews by e-mail." in first.content.decode()
    assert "No reminder was sent" in second.content.decode()
    assert sorted(m.to for m in emails(RULE)) == sorted(j.user.email for j in made.jurors[:2])


def test_a_juror_who_is_not_late_or_of_another_call_is_not_reminded(client, staff):
    with time_machine.travel(NOW, tick=False):
        made = _late_jury(staff)
        other = jury(staff, ends_at=ENDS)
        client.force_login(staff)
        client.post(_remind(made.call), {"juror": made.jurors[2].pk})
        client.post(_remind(made.call), {"juror": other.jurors[0].pk})

    assert not Reminder.objects.exists()


def test_before_any_phase_nobody_is_late_and_only_staff_may_remind(client, staff):
    with time_machine.travel(NOW, tick=False):
        made = jury(staff, ends_at=ENDS, starts_at=NOW + timedelta(days=1))
        client.force_login(staff)
        response = client.post(_remind(made.call), {"juror": "all"}, follow=True)
        assert "No review phase has started yet" in response.content.decode()
        assert client.post(_remind(made.call), {}).status_code == 302
        assert client.get(_remind(made.call)).status_code == 405

        client.force_login(made.jurors[0].user)
        assert client.post(_remind(made.call), {"juror": "all"}).status_code == 403
        client.logout()
        assert client.post(_remind(made.call), {"juror": "all"}).status_code == 302
        with pytest.raises(PermissionDenied):
            remind_late_jurors(made.call, made.jurors[0].user)
    assert not Reminder.objects.exists()


def test_the_page_runs_the_same_queries_for_1_and_6_jurors(client, staff):
    counts = []
    with time_machine.travel(NOW, tick=False):
        for size in (1, 6):
            made = jury(staff, ends_at=ENDS, jurors=size, dossiers=2)
            submit(made.assignments[made.jurors[0].pk, made.dossiers[0].pk])
            client.force_login(staff)
            client.get(_page(made.call))  # warm the session and the caches
            response, queries = count_queries(lambda made=made: client.get(_page(made.call)))
            assert response.content.decode().count(">Remind now<") == size
            counts.append(queries)
    assert counts[0] == counts[1], counts


def test_reminding_every_late_juror_runs_the_same_queries_for_1_and_6_jurors(staff):
    counts = []
    with time_machine.travel(NOW, tick=False):
        for size in (1, 6):
            made = jury(staff, ends_at=ENDS, jurors=size, dossiers=2)
            reminded, queries = count_queries(
                lambda made=made: remind_late_jurors(made.call, staff)
            )
            assert reminded == size
            counts.append(queries)
    assert counts[0] == counts[1], counts
