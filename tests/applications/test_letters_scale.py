"""The letters page lists a page of the decided dossiers, summarises them all in one grouped
query, and its forms bring staff back to the page they were on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain import deliberation, letters
from applications.models import DecisionLetter
from applications.views.staff import letters as letters_view
from tests import factories
from tests.applications.jury.test_deliberation_support import under_review
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    return factories.make_call(title="Appel aux lettres")


def decided(call, staff, decision):
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    return deliberation.decide(dossier, decision, staff, "A clear rationale.")


def _url(call, name="applications:staff_letters", **params):
    url = reverse(name, args=[call.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_counts_cover_every_decided_dossier_in_one_query(call, staff):
    dossiers = [decided(call, staff, d) for d in ("select", "waitlist", "reject")]
    counts, queries = count_queries(lambda: letters.letter_counts(call))
    assert queries == 1
    assert counts == {"decided": 3, "not_ready": 3, "held": 0, "scheduled": 0}

    letters.prepare_letters(call, staff)
    DecisionLetter.objects.filter(dossier=dossiers[0]).update(
        release_at=timezone.now() + timedelta(days=1)
    )
    # A letter that says an earlier decision needs preparing again.
    DecisionLetter.objects.filter(dossier=dossiers[1]).update(outcome="rejected")
    counts = letters.letter_counts(call)
    assert counts == {"decided": 3, "not_ready": 1, "held": 2, "scheduled": 1}
    assert counts["not_ready"] == len(letters.letters_not_ready(call))


def test_the_list_is_paginated_and_summarised(client, call, staff, monkeypatch):
    monkeypatch.setattr(letters_view, "PAGE_SIZE", 2)
    dossiers = [decided(call, staff, "select") for _ in range(3)]
    client.force_login(staff)

    first = client.get(_url(call))
    second = client.get(_url(call, page=2))

    assert len(first.context["dossiers"]) == 2 and len(second.context["dossiers"]) == 1
    shown = {d.pk for d in first.context["dossiers"]} | {d.pk for d in second.context["dossiers"]}
    assert shown == {d.pk for d in dossiers}
    text = second.content.decode()
    assert "3 decided dossiers have no letter for their decision yet" in text
    assert "Page 2 of 2" in text


def test_the_forms_bring_staff_back_to_their_page(client, call, staff, monkeypatch):
    monkeypatch.setattr(letters_view, "PAGE_SIZE", 2)
    for _ in range(3):
        decided(call, staff, "reject")
    client.force_login(staff)
    back = _url(call, page=2)

    def action(name):
        return f'action="{_url(call, f"applications:staff_letters_{name}", page=2)}"'

    assert action("prepare") in client.get(back).content.decode()
    response = client.post(_url(call, "applications:staff_letters_prepare", page=2))
    assert response.status_code == 302 and response.url == back
    assert action("release") in client.get(back).content.decode()
    response = client.post(
        back,
        {"outcome": "rejected", "rejected-subject": "Décision {reference}", "rejected-body": "Hi"},
    )
    assert response.status_code == 302 and response.url == back

    # A refused release stays on the page, with the error summary.
    refused = client.post(
        _url(call, "applications:staff_letters_release", page=2),
        {"release_at": "2020-01-01T10:00"},
    )
    assert refused.status_code == 400
    assert refused.context["page"].number == 2
    assert 'class="error-summary' in refused.content.decode()

    moment = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _url(call, "applications:staff_letters_release", page=2), {"release_at": moment}
    )
    assert response.status_code == 302 and response.url == back
    assert action("cancel") in client.get(back).content.decode()
    response = client.post(_url(call, "applications:staff_letters_cancel", page=2))
    assert response.status_code == 302 and response.url == back


def test_the_letters_page_costs_the_same_for_1_and_many_pages(client, call, staff, monkeypatch):
    monkeypatch.setattr(letters_view, "PAGE_SIZE", 2)
    client.force_login(staff)
    decided(call, staff, "select")
    letters.prepare_letters(call, staff)
    client.get(_url(call))
    _response, one = count_queries(lambda: client.get(_url(call)))
    for n in range(6):
        decided(call, staff, ("select", "waitlist", "reject")[n % 3])
    response, many = count_queries(lambda: client.get(_url(call, page=2)))
    assert response.context["page"].paginator.num_pages == 4
    assert many == one
