import os
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from applications.domain import notifications
from applications.domain.dossiers import TransitionRefused, change_state
from applications.models import Dossier, DossierTransition
from tests import factories
from tests.applications.full_form import ensure_wagtail_tree
from workers.models import OutboxMessage


def page(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def withdraw_url(dossier):
    return reverse("applications:withdraw", args=[dossier.pk])


# --- information requested, then submitted again ----------------------------------------------


@pytest.mark.django_db
def test_the_applicant_sees_the_request_edits_and_submits_again(client, dossier, owner, staff):
    change_state(dossier, "submit", owner)
    dossier = change_state(dossier, "request_info", staff, "Please attach your last accounts.")
    client.force_login(owner)
    shown = client.get(page(dossier))
    assert shown.context["info_request"].comment == "Please attach your last accounts."
    assert "Please attach your last accounts." in shown.content.decode()
    assert shown.context["form"] is not None  # editable again
    assert "Submit again" in shown.content.decode()
    response = client.post(
        page(dossier),
        {
            "f-name": "Tiers-lieu",
            "f-desc": "Now with the accounts.",
            "revision": 0,
            "action": "submit",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert dossier.answers["f-desc"] == "Now with the accounts."
    assert list(dossier.transitions.values_list("name", flat=True)) == [
        "submit",
        "request_info",
        "submit",
    ]


@pytest.mark.django_db
def test_a_resubmission_keeps_the_first_form_copy(dossier, owner, staff):
    submitted = change_state(dossier, "submit", owner)
    snapshot = submitted.form_snapshot
    change_state(submitted, "request_info", staff, "More please.")
    call = submitted.call
    call.form = []
    call.save_revision().publish()
    again = change_state(Dossier.objects.get(pk=dossier.pk), "submit", owner)
    assert again.form_snapshot == snapshot and len(snapshot) == 3


@pytest.mark.django_db
def test_a_resubmission_after_the_closing_time_is_accepted(dossier, owner, staff):
    import time_machine

    change_state(dossier, "submit", owner)
    change_state(dossier, "request_info", staff, "More please.")
    with time_machine.travel(dossier.call.closes_at.timestamp() + 3600):
        assert change_state(dossier, "submit", owner).state == "submitted"


@pytest.mark.django_db
def test_request_info_and_ineligible_need_a_comment(dossier, owner, staff):
    change_state(dossier, "submit", owner)
    with pytest.raises(TransitionRefused):
        change_state(dossier, "request_info", staff, "  ")
    with pytest.raises(TransitionRefused):
        change_state(dossier, "mark_ineligible", staff)
    with pytest.raises(PermissionDenied):
        change_state(dossier, "mark_eligible", owner)


# --- withdrawing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdraw_asks_for_a_confirmation(client, dossier, editor):
    client.force_login(editor)
    assert "cannot be submitted any more" in client.get(withdraw_url(dossier)).content.decode()
    unconfirmed = client.post(withdraw_url(dossier), {"comment": "Changed our minds"})
    assert unconfirmed.status_code == 200
    assert "Please tick the box to confirm." in unconfirmed.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "draft"
    confirmed = client.post(
        withdraw_url(dossier), {"comment": "Changed our minds", "confirm": "on"}
    )
    assert confirmed.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "withdrawn"
    assert dossier.transitions.get().comment == "Changed our minds"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "outsider", "viewer", "staff"])
def test_withdraw_is_refused_to_others(client, dossier, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(withdraw_url(dossier), {"confirm": "on"})
    assert response.status_code == {"anonymous": 302, "outsider": 404}.get(who, 403)
    dossier.refresh_from_db()
    assert dossier.state == "draft"


@pytest.mark.django_db
def test_withdraw_works_before_a_decision_only(client, dossier, owner, staff):
    change_state(dossier, "submit", owner)
    change_state(dossier, "mark_eligible", staff)
    assert change_state(dossier, "withdraw", owner).state == "withdrawn"
    other = factories.make_dossier(structure=dossier.structure)
    change_state(other, "submit", owner)
    change_state(other, "mark_ineligible", staff, "Outside the région.")
    with pytest.raises(TransitionRefused):
        change_state(other, "withdraw", owner)
    client.force_login(owner)
    response = client.get(withdraw_url(other))
    assert response.status_code == 302
    shown = client.get(page(other))
    assert shown.context["can_withdraw"] is False
    assert "Outside the région." in shown.content.decode()  # the reason, in the history


# --- notifications -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("steps", "subject", "in_body"),
    [
        (["submit"], "Receipt: dossier {ref} submitted", "We received the dossier"),
        (["submit", "request_info"], "Dossier {ref}: information requested", "Need your budget."),
        (["submit", "mark_eligible"], "Dossier {ref} is eligible", "is eligible"),
        (["submit", "mark_ineligible"], "Dossier {ref} is not eligible", "Need your budget."),
        (["withdraw"], "Dossier {ref} withdrawn", "withdrew the dossier"),
    ],
)
def test_each_transition_sends_one_email_per_acting_member(
    dossier, owner, editor, viewer, staff, steps, subject, in_body
):
    owner.language = editor.language = "en"
    owner.save()
    editor.save()
    for step in steps:
        actor = staff if step in ("request_info", "mark_eligible", "mark_ineligible") else owner
        dossier = change_state(dossier, step, actor, "Need your budget." if actor == staff else "")
    log = dossier.transitions.last()
    sent = OutboxMessage.objects.filter(
        key__startswith=f"dossier:{dossier.pk}:transition:{log.pk}:"
    )
    assert sorted(m.to for m in sent) == sorted([owner.email, editor.email])
    for message in sent:
        assert message.subject == subject.format(ref=dossier.reference)
        assert in_body in message.body_text and message.body_html.startswith("<!DOCTYPE html>")
        assert f"http://127.0.0.1:8000/dossiers/{dossier.pk}/" in message.body_text
    assert {m.key for m in sent} == {
        f"dossier:{dossier.pk}:transition:{log.pk}:{user.pk}" for user in (owner, editor)
    }


@pytest.mark.django_db
def test_notifications_are_queued_once_and_in_the_recipients_language(dossier, owner, editor):
    owner.language, editor.language = "fr", "en"
    owner.save()
    editor.save()
    dossier = change_state(dossier, "submit", owner)
    log = dossier.transitions.get()
    notifications.transition_happened(dossier, log)  # a retry queues nothing new
    assert OutboxMessage.objects.count() == 2
    languages = dict(OutboxMessage.objects.values_list("to", "language"))
    assert languages == {owner.email: "fr", editor.email: "en"}


@pytest.mark.django_db
def test_the_jurys_transitions_send_nothing_yet(dossier, owner, staff):
    change_state(dossier, "submit", owner)
    change_state(dossier, "mark_eligible", staff)
    before = OutboxMessage.objects.count()
    change_state(dossier, "start_review", staff)
    assert OutboxMessage.objects.count() == before


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stale_instance_is_refused_and_only_one_transition_is_logged(dossier, owner, editor):
    first = Dossier.objects.get(pk=dossier.pk)
    second = Dossier.objects.get(pk=dossier.pk)
    change_state(first, "submit", owner)
    with pytest.raises(TransitionRefused):
        change_state(second, "submit", editor)
    assert DossierTransition.objects.filter(dossier=dossier, name="submit").count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_submits_produce_exactly_one_transition():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("In CI this test must run on PostgreSQL: set DATABASE_URL.")
        pytest.skip("Needs PostgreSQL (DATABASE_URL): SQLite has no row locks across threads.")
    ensure_wagtail_tree()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    editor = factories.MembershipFactory(structure=structure, role="editor").user
    dossier = factories.make_dossier(structure=structure)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(person):
        from django.db import connections

        try:
            copy = Dossier.objects.get(pk=dossier.pk)
            barrier.wait(timeout=10)
            change_state(copy, "submit", person)
            outcomes.append("submitted")
        except TransitionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(p,)) for p in (owner, editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "submitted"]
    assert DossierTransition.objects.filter(dossier=dossier, name="submit").count() == 1
    assert OutboxMessage.objects.count() == 2
