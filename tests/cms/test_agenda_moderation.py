"""Moderation of agenda entries and actors' entries through the one runner: staff approve, ask for
changes or reject with a message the proposer receives; published entries appear at once;
likely duplicates are flagged; the queue in the Wagtail admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accelerator.domain.refusals import Refused
from accelerator.domain.transitions import TransitionRefused
from cms.domain.moderation import entry_queue, likely_duplicates, run_actor, run_entry
from cms.models import EntryModerationLog
from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry, soon
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_approving_publishes_the_entry_at_once_and_tells_the_proposer(client, staff):
    entry = make_entry(state="proposed", title="Forum")
    assert client.get(reverse("cms:agenda")).context["entries"].__len__() == 0
    moved = run_entry(entry, "approve", staff)
    assert moved.state == "approved" and moved.published_at is not None
    assert [e.title for e in client.get(reverse("cms:agenda")).context["entries"]] == ["Forum"]
    log = EntryModerationLog.objects.get(entry=entry)
    assert (log.source, log.target, log.actor) == ("proposed", "approved", staff)
    mail = OutboxMessage.objects.get(to=entry.proposer.email)
    assert "Forum" in mail.subject and "published" in mail.body_text


@pytest.mark.parametrize("move", ["request_changes", "reject"])
def test_asking_for_changes_or_rejecting_needs_a_message_sent_to_the_proposer(staff, move):
    entry = make_entry(state="proposed")
    with pytest.raises(Refused):
        run_entry(entry, move, staff, "  ")
    assert OutboxMessage.objects.count() == 0
    run_entry(entry, move, staff, "Please give the address.")
    mail = OutboxMessage.objects.get(to=entry.proposer.email)
    assert "Please give the address." in mail.body_text
    assert reverse("cms:agenda_edit", kwargs={"pk": entry.pk}) in mail.body_text


def test_the_proposer_answers_a_request_for_changes_and_it_goes_back_to_the_queue(staff):
    entry = make_entry(state="proposed")
    run_entry(entry, "request_changes", staff, "Add the time.")
    entry.refresh_from_db()
    moved = run_entry(entry, "resubmit", entry.proposer)
    assert moved.state == "proposed"
    assert list(entry_queue()) == [moved]


def test_only_staff_moderate(staff):
    entry = make_entry(state="proposed")
    with pytest.raises(PermissionDenied):
        run_entry(entry, "approve", entry.proposer)
    with pytest.raises(PermissionDenied):
        run_entry(entry, "approve", factories.UserFactory())
    # A move the state does not offer is refused by the machine.
    run_entry(entry, "approve", staff)
    entry.refresh_from_db()
    with pytest.raises(TransitionRefused):
        run_entry(entry, "request_changes", staff, "Too late.")


def test_a_likely_duplicate_is_flagged_to_the_moderator():
    first = make_entry(title="Forum ESS", starts_at=soon(5, 10))
    same_day = make_entry(state="proposed", title="forum ess", starts_at=soon(5, 15))
    same_link = make_entry(
        state="proposed", title="Another", registration_link="https://example.org/r"
    )
    make_entry(title="Third", registration_link="https://example.org/r")
    alone = make_entry(state="proposed", title="Forum ESS", starts_at=soon(9, 10))
    assert list(likely_duplicates(same_day)) == [first]
    flagged = {e.title: e.has_duplicate for e in entry_queue()}
    assert flagged == {same_day.title: True, same_link.title: True, alone.title: False}


def test_actors_are_moderated_the_same_way_and_their_managers_told(staff):
    manager = factories.UserFactory()
    actor = make_actor(state="proposed", managers=[manager], name="Ressourcerie")
    with pytest.raises(PermissionDenied):
        run_actor(actor, "approve", manager)
    run_actor(actor, "approve", staff)
    mail = OutboxMessage.objects.get(to=manager.email)
    assert "Ressourcerie" in mail.subject


def test_the_moderation_queue_in_the_wagtail_admin(client, superuser, django_assert_num_queries):
    entry = make_entry(state="proposed", title="Waiting entry")
    make_entry(state="proposed", title="Waiting entry", starts_at=entry.starts_at)
    actor = make_actor(state="proposed", name="Waiting actor")
    client.force_login(superuser)
    response = client.get(reverse("cms_moderation"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Waiting entry" in body and "Waiting actor" in body and "Likely duplicate" in body
    page = client.get(reverse("cms_moderate_entry", kwargs={"pk": entry.pk}))
    assert page.status_code == 200 and len(page.context["duplicates"]) == 1
    refused = client.post(
        reverse("cms_moderate_entry", kwargs={"pk": entry.pk}), {"move": "reject", "comment": ""}
    )
    assert refused.status_code == 200
    assert "error-summary" in refused.content.decode()
    done = client.post(
        reverse("cms_moderate_entry", kwargs={"pk": entry.pk}), {"move": "approve", "comment": ""}
    )
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "approved"
    done = client.post(
        reverse("cms_moderate_actor", kwargs={"pk": actor.pk}), {"move": "approve", "comment": ""}
    )
    assert done.status_code == 302


def test_staff_with_the_admin_reach_the_queue_and_others_are_sent_to_log_in(client):
    from django.contrib.auth.models import Permission

    staff = factories.StaffFactory()
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    entry = make_entry(state="proposed")
    urls = [
        reverse("cms_moderation"),
        reverse("cms_moderate_entry", kwargs={"pk": entry.pk}),
        reverse("cms_moderate_actor", kwargs={"pk": make_actor(state="proposed").pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory())
    for url in urls:
        assert "/login/" in client.get(url)["Location"]
    client.force_login(staff)
    for url in urls:
        assert client.get(url).status_code == 200
    assert client.post(urls[1], {}).status_code == 200  # the empty form is refused in place
