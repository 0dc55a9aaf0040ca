"""Who reaches which jury page: every URL of the jury part against every kind of person.

A juror reads a dossier only when assigned to it and after declaring no conflict; anything else
answers 404 (they do not learn what they may not see), staff pages answer 403 to non-staff.
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.applications.jury.helpers import assign, attach, jury_dossier, make_juror

LOGIN = reverse("account_login")


@pytest.fixture
def world(db, staff):
    call = factories.make_call()
    structure = factories.StructureFactory(name="Atelier Soleil")
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    dossier = jury_dossier(call, staff, structure=structure)
    attach(dossier, "budget.pdf")
    other_call = factories.make_call()
    people = {
        "anonymous": None,
        "outsider": factories.MembershipFactory().user,
        "owner": owner,
        "other_juror": make_juror(other_call).user,
        "unassigned_juror": make_juror(call).user,
        "staff": staff,
    }
    for name, declared in (
        ("conflicted_juror", "personal"),
        ("cleared_juror", "none"),
        ("undeclared_juror", None),
    ):
        juror = make_juror(call)
        assign(juror, dossier, declared=declared)
        people[name] = juror.user
    return {"call": call, "dossier": dossier, "people": people}


def _get(client, world, who, url):
    user = world["people"][who]
    if user is not None:
        client.force_login(user)
    return client.get(url)


EVERYONE = [
    "anonymous",
    "outsider",
    "owner",
    "other_juror",
    "unassigned_juror",
    "conflicted_juror",
    "cleared_juror",
    "undeclared_juror",
    "staff",
]


def _expect(url_name, who):
    """The status each person gets on each juror-side page."""
    if who == "anonymous":
        return "login"
    table = {
        "juror_home": {},
        "juror_call": {
            "unassigned_juror": 200,
            "conflicted_juror": 200,
            "cleared_juror": 200,
            "undeclared_juror": 200,
        },
        "juror_declare": {"cleared_juror": "to_dossier", "undeclared_juror": 200},
        "juror_dossier": {"cleared_juror": 200, "undeclared_juror": "to_declare"},
        "juror_file": {"cleared_juror": 200},
    }[url_name]
    return table.get(who, 200 if url_name == "juror_home" else 404)


def _juror_url(url_name, world):
    dossier = world["dossier"]
    return {
        "juror_home": reverse("applications:juror_home"),
        "juror_call": reverse("applications:juror_call", args=[world["call"].pk]),
        "juror_declare": reverse("applications:juror_declare", args=[dossier.pk]),
        "juror_dossier": reverse("applications:juror_dossier", args=[dossier.pk]),
        "juror_file": reverse("applications:juror_file", args=[dossier.pk, 1]),
    }[url_name]


@pytest.mark.parametrize(
    "url_name", ["juror_home", "juror_call", "juror_declare", "juror_dossier", "juror_file"]
)
def test_juror_pages_answer_each_person_as_they_should(client, world, url_name):
    dossier = world["dossier"]
    url = _juror_url(url_name, world)
    for who in EVERYONE:
        client.logout()
        response = _get(client, world, who, url)
        expected = _expect(url_name, who)
        if expected == "login":
            assert response.status_code == 302, who
            assert response.url.startswith(LOGIN), who
        elif expected == "to_dossier":
            assert response.status_code == 302, who
            assert response.url == reverse("applications:juror_dossier", args=[dossier.pk]), who
        elif expected == "to_declare":
            assert response.status_code == 302, who
            assert response.url == reverse("applications:juror_declare", args=[dossier.pk]), who
        else:
            assert response.status_code == expected, who


def _staff_urls(world):
    call = world["call"]
    juror = make_juror(call, accepted=False)
    return [
        ("get", reverse("applications:staff_jury", args=[call.pk]), {}),
        (
            "post",
            reverse("applications:staff_jury", args=[call.pk]),
            {"invite-email": "new@jury.example.org", "invite-role": "member"},
        ),
        (
            "post",
            reverse("applications:staff_record_conflict", args=[call.pk]),
            {
                "record-juror": juror.pk,
                "record-dossier": world["dossier"].pk,
                "record-kind": "personal",
            },
        ),
        ("post", reverse("applications:staff_jury_remove", args=[call.pk, juror.pk]), {}),
    ]


def test_staff_jury_pages_are_for_staff_only(client, world):
    from applications.models import ConflictDeclaration, Juror

    for who in EVERYONE:
        client.logout()
        user = world["people"][who]
        if user is not None:
            client.force_login(user)
        urls = _staff_urls(world)
        before = (Juror.objects.count(), ConflictDeclaration.objects.count())
        for method, url, data in urls:
            response = getattr(client, method)(url, data)
            if who == "anonymous":
                assert response.status_code == 302, (who, url)
                assert response.url.startswith(LOGIN), (who, url)
            elif who == "staff":
                assert response.status_code == (200 if method == "get" else 302), (who, url)
            else:
                assert response.status_code == 403, (who, url)
        if who != "staff":
            # Nothing changed: no juror invited or removed, no declaration recorded.
            assert (Juror.objects.count(), ConflictDeclaration.objects.count()) == before, who
    assert Juror.objects.filter(email="new@jury.example.org").exists()


def test_a_conflicted_juror_reads_the_dossier_by_no_other_url(client, world):
    dossier = world["dossier"]
    client.force_login(world["people"]["conflicted_juror"])
    attachment = dossier.attachments.get()
    assert client.get(reverse("applications:dossier", args=[dossier.pk])).status_code == 404
    assert (
        client.get(reverse("applications:attachment", args=[dossier.pk, attachment.pk])).status_code
        == 404
    )
    assert client.get(reverse("applications:staff_dossier", args=[dossier.pk])).status_code == 403
    response = client.get(reverse("applications:juror_call", args=[world["call"].pk]))
    assert reverse("applications:juror_dossier", args=[dossier.pk]) not in response.content.decode()


def test_a_juror_page_of_an_unknown_dossier_or_call_is_not_found(client, world):
    client.force_login(world["people"]["cleared_juror"])
    assert client.get(reverse("applications:juror_dossier", args=[99999])).status_code == 404
    assert client.get(reverse("applications:juror_call", args=[99999])).status_code == 404
    url = reverse("applications:juror_file", args=[world["dossier"].pk, 2])
    assert client.get(url).status_code == 404


def test_a_withdrawn_dossier_is_no_longer_readable_by_its_jurors(client, world):
    from applications.domain.dossiers import change_state

    dossier = world["dossier"]
    change_state(dossier, "withdraw", world["people"]["owner"])
    client.force_login(world["people"]["cleared_juror"])
    assert client.get(reverse("applications:juror_dossier", args=[dossier.pk])).status_code == 404


def test_the_permission_names_the_rule(world):
    from django.contrib.auth.models import AnonymousUser

    dossier = world["dossier"]
    people = world["people"]
    perm = "applications.read_dossier_as_juror"
    assert people["cleared_juror"].has_perm(perm, dossier)
    for who in ("conflicted_juror", "undeclared_juror", "unassigned_juror", "owner", "staff"):
        assert not people[who].has_perm(perm, dossier), who
    assert not AnonymousUser().has_perm(perm, dossier)
