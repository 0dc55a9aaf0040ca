"""The assignment overview at a call's scale: its figures come from one grouped query, the page
of dossiers is found over narrow rows and read alone, and the counts match the lists."""

import pytest
from django.urls import reverse

from applications.domain.assignment import assign, review_figures
from applications.domain.dossiers import change_state
from tests import factories
from tests.applications.jury.test_assignment_support import eligible_dossiers, make_jurors

pytestmark = pytest.mark.django_db


def test_the_figures_count_what_the_lists_show(client, staff):
    call = factories.make_call(jurors_per_dossier=2)
    full, short, empty, decided = eligible_dossiers(call, staff, 4)
    jurors = make_jurors(call, 2)
    for juror in jurors:
        assign(juror, full, staff, notify=False)
        assign(juror, decided, staff, notify=False)
    assign(jurors[0], short, staff, notify=False)
    # A dossier further on keeps its jurors on the list, but no longer takes any.
    change_state(decided, "shortlist", staff)

    assert review_figures(call, 2) == {"listed": 4, "assignable": 3, "short": 2}

    client.force_login(staff)
    url = reverse("applications:staff_assignments", args=[call.pk])
    response = client.get(url)
    rows = response.context["dossier_rows"]
    # Fewest jurors first; each row carries its count.
    assert [row["dossier"].pk for row in rows][:2] == [empty.pk, short.pk]
    assert {row["dossier"].pk: row["dossier"].juror_count for row in rows} == {
        empty.pk: 0,
        short.pk: 1,
        full.pk: 2,
        decided.pk: 2,
    }
    assert response.context["page"].paginator.count == 4
    assert (response.context["assignable_count"], response.context["short_count"]) == (3, 2)

    missing = client.get(url, {"missing": 1})
    assert [row["dossier"].pk for row in missing.context["dossier_rows"]] == [empty.pk, short.pk]
    assert missing.context["page"].paginator.count == 2
