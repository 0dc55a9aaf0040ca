"""Building a jury: staff invite by e-mail, the invited person accepts (with their account, or one
made from the link), staff remove a juror who has not reviewed yet."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.refusals import Refused
from accelerator.models import User
from applications.domain import jury_invitations as domain
from applications.domain.jury_seats import seats_of
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import Assignment, Juror, Review
from tests import factories
from tests.applications.jury.helpers import assign, jury_dossier, make_juror
from workers import outbox
from workers.models import OutboxMessage


@pytest.fixture
def call(db):
    return factories.make_call(title="Appel Tiers-lieux")


def _invite(client, call, **data):
    payload = {"invite-email": "", "invite-role": "member", **data}
    return client.post(reverse("applications:staff_jury", args=[call.pk]), payload)


# --- inviting -------------------------------------------------------------------------------


def test_staff_invite_a_juror_by_e_mail_with_role_department_and_organisation(client, call, staff):
    loiret = factories.department("45", "Loiret")
    client.force_login(staff)
    response = _invite(
        client,
        call,
        **{
            "invite-email": " Claire.Dubois@Region-Centre.fr ",
            "invite-role": "president",
            "invite-department": loiret.pk,
            "invite-organisation": "Région Centre-Val de Loire",
        },
    )
    assert response.status_code == 302
    juror = Juror.objects.get(call=call)
    assert juror.email == "claire.dubois@region-centre.fr"
    assert (juror.role, juror.department, juror.organisation) == (
        "president",
        loiret,
        "Région Centre-Val de Loire",
    )
    assert juror.user is None and juror.accepted_at is None and juror.invited_by == staff
    message = OutboxMessage.objects.get(to="claire.dubois@region-centre.fr")
    assert "Appel Tiers-lieux" in message.subject
    text, html = outbox.recipient_bodies(message)
    assert f"/jury/invitations/{juror.token}/" in text
    assert f"/jury/invitations/{juror.token}/" in html
    assert juror.token not in message.body_text + message.body_html
    assert "President" in message.body_text


def test_inviting_the_same_address_again_updates_the_one_juror_and_sends_again(call, staff):
    first = domain.invite_juror(call, "a@jury.example.org", "member", actor=staff)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        again = domain.invite_juror(
            call, "A@Jury.example.org", "president", organisation="France Active", actor=staff
        )
    assert again.pk == first.pk
    assert Juror.objects.filter(call=call).count() == 1
    again.refresh_from_db()
    assert (again.role, again.organisation) == ("president", "France Active")
    assert again.invited_at > first.invited_at
    assert OutboxMessage.objects.filter(to="a@jury.example.org").count() == 2


def test_the_same_address_on_two_calls_makes_two_jurors(call, staff):
    other = factories.make_call()
    domain.invite_juror(call, "a@jury.example.org", "member", actor=staff)
    domain.invite_juror(other, "a@jury.example.org", "member", actor=staff)
    assert Juror.objects.filter(email="a@jury.example.org").count() == 2


def test_an_accepted_juror_invited_again_is_updated_without_a_new_e_mail(call, staff):
    juror = make_juror(call)
    again = domain.invite_juror(call, juror.email, "president", actor=staff)
    assert again.pk == juror.pk and again.role == "president" and again.has_accepted
    assert not OutboxMessage.objects.filter(to=juror.email).exists()


def test_only_staff_invite(call, owner):
    with pytest.raises(PermissionDenied):
        domain.invite_juror(call, "a@jury.example.org", "member", actor=owner)
    assert not Juror.objects.exists()


def test_a_bad_invitation_form_keeps_what_was_typed(client, call, staff):
    client.force_login(staff)
    response = _invite(
        client, call, **{"invite-email": "not-an-address", "invite-organisation": "France Active"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="not-an-address"' in page and 'value="France Active"' in page
    assert "Enter a valid email address." in page
    assert not Juror.objects.exists()


# --- accepting ------------------------------------------------------------------------------


def test_a_logged_in_user_with_the_invited_address_accepts_in_one_click(client, call, staff):
    user = factories.UserFactory(email="claire@jury.example.org")
    juror = domain.invite_juror(call, "claire@jury.example.org", "member", actor=staff)
    url = reverse("applications:jury_invitation", args=[juror.token])
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Accept and join the jury" in page.content.decode()

    response = client.post(url)

    assert response.status_code == 302
    assert response.url == reverse("applications:juror_call", args=[call.pk])
    juror.refresh_from_db()
    assert juror.user == user and juror.accepted_at is not None
    assert [s.call for s in seats_of(user)] == [call]
    # Coming back to the link leads to the dossiers.
    assert client.get(url).url == reverse("applications:juror_call", args=[call.pk])


def test_a_second_verified_address_of_the_user_also_accepts(client, call, staff):
    user = factories.UserFactory(email="claire@perso.example.org")
    EmailAddress.objects.create(user=user, email="claire@jury.example.org", verified=True)
    juror = domain.invite_juror(call, "claire@jury.example.org", "member", actor=staff)
    client.force_login(user)
    client.post(reverse("applications:jury_invitation", args=[juror.token]))
    juror.refresh_from_db()
    assert juror.user == user


def test_a_visitor_without_account_creates_it_from_the_link_and_is_logged_in(client, call, staff):
    juror = domain.invite_juror(call, "nouveau@jury.example.org", "member", actor=staff)
    url = reverse("applications:jury_invitation", args=[juror.token])
    page = client.get(url).content.decode()
    assert "nouveau@jury.example.org" in page and 'name="password1"' in page

    response = client.post(
        url,
        {
            "first_name": "Lucie",
            "last_name": "Bernard",
            "password1": "un-jury-tres-serieux-2026",
            "password2": "un-jury-tres-serieux-2026",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("applications:juror_call", args=[call.pk])
    user = User.objects.get(email="nouveau@jury.example.org")
    assert (user.first_name, user.last_name) == ("Lucie", "Bernard")
    assert user.check_password("un-jury-tres-serieux-2026")
    assert EmailAddress.objects.get(user=user).verified
    juror.refresh_from_db()
    assert juror.user == user and juror.has_accepted
    # Logged in: the juror's space opens without logging in again.
    assert client.get(reverse("applications:juror_call", args=[call.pk])).status_code == 200


def test_the_account_form_refuses_differing_or_weak_passwords_and_keeps_the_names(
    client, call, staff
):
    juror = domain.invite_juror(call, "nouveau@jury.example.org", "member", actor=staff)
    url = reverse("applications:jury_invitation", args=[juror.token])
    response = client.post(
        url,
        {"first_name": "Lucie", "last_name": "Bernard", "password1": "abc", "password2": "abd"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The two passwords differ." in page
    assert 'value="Lucie"' in page and 'value="Bernard"' in page
    response = client.post(
        url,
        {"first_name": "Lucie", "last_name": "Bernard", "password1": "abc", "password2": "abc"},
    )
    assert "This password is too short" in response.content.decode()
    assert not User.objects.filter(email="nouveau@jury.example.org").exists()
    assert not Juror.objects.get(pk=juror.pk).has_accepted


def test_a_visitor_whose_address_has_an_account_is_asked_to_log_in(client, call, staff):
    factories.UserFactory(email="claire@jury.example.org")
    juror = domain.invite_juror(call, "claire@jury.example.org", "member", actor=staff)
    url = reverse("applications:jury_invitation", args=[juror.token])
    response = client.get(url)
    page = response.content.decode()
    assert "An account already exists" in page
    assert f"{reverse('account_login')}?next=" in page
    assert 'name="password1"' not in page
    # A POST does not make a second account.
    client.post(url, {"first_name": "X", "last_name": "Y", "password1": "p", "password2": "p"})
    assert User.objects.filter(email="claire@jury.example.org").count() == 1
    assert not Juror.objects.get(pk=juror.pk).has_accepted


def test_someone_logged_in_with_another_address_is_told_and_cannot_accept(client, call, staff):
    juror = domain.invite_juror(call, "claire@jury.example.org", "member", actor=staff)
    other = factories.UserFactory(email="quelqu.un@example.org")
    client.force_login(other)
    url = reverse("applications:jury_invitation", args=[juror.token])
    page = client.get(url).content.decode()
    assert (
        "This invitation was sent to claire@jury.example.org, but you are logged in as "
        "quelqu.un@example.org." in page
    )
    client.post(url)
    juror.refresh_from_db()
    assert juror.user is None and not juror.has_accepted
    with pytest.raises(Refused, match="This invitation was sent to claire@jury.example.org"):
        domain.accept_invitation(juror, other)


def test_an_expired_invitation_is_refused_and_a_new_invitation_revives_it(client, call, staff):
    juror = domain.invite_juror(call, "nouveau@jury.example.org", "member", actor=staff)
    url = reverse("applications:jury_invitation", args=[juror.token])
    later = timezone.now() + Juror.INVITATION_VALIDITY + timedelta(minutes=1)
    with time_machine.travel(later):
        page = client.get(url).content.decode()
        assert "This invitation expired on" in page
        assert 'name="password1"' not in page
        client.post(
            url,
            {
                "first_name": "Lucie",
                "last_name": "Bernard",
                "password1": "un-jury-tres-serieux-2026",
                "password2": "un-jury-tres-serieux-2026",
            },
        )
        assert not User.objects.filter(email="nouveau@jury.example.org").exists()
        domain.invite_juror(call, "nouveau@jury.example.org", "member", actor=staff)
        assert 'name="password1"' in client.get(url).content.decode()


def test_an_unknown_token_is_not_found(client, db):
    response = client.get(reverse("applications:jury_invitation", args=["nope"]))
    assert response.status_code == 404
    assert "Invitation not found" in response.content.decode()


def test_an_invitation_accepted_by_someone_is_not_reusable(client, call, staff):
    juror = make_juror(call)
    response = client.get(reverse("applications:jury_invitation", args=[juror.token]))
    assert response.status_code == 200
    assert "already been accepted" in response.content.decode()
    other = factories.UserFactory(email=juror.email.replace("@", ".other@"))
    client.force_login(other)
    client.post(reverse("applications:jury_invitation", args=[juror.token]))
    juror.refresh_from_db()
    assert juror.user != other


# --- removing -------------------------------------------------------------------------------


def test_staff_remove_a_juror_without_submitted_review(client, call, staff):
    juror = make_juror(call)
    dossier = jury_dossier(call, staff)
    assignment = assign(juror, dossier, declared="none")
    Review.objects.create(assignment=assignment, comment="brouillon")
    client.force_login(staff)
    response = client.post(reverse("applications:staff_jury_remove", args=[call.pk, juror.pk]))
    assert response.status_code == 302
    assert not Juror.objects.filter(pk=juror.pk).exists()
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_juror_with_a_submitted_review_stays(client, call, staff):
    juror = make_juror(call)
    assignment = assign(juror, jury_dossier(call, staff), declared="none")
    Review.objects.create(assignment=assignment, submitted_at=timezone.now())
    refresh_dossier_ranking(assignment.dossier_id)
    client.force_login(staff)
    client.post(reverse("applications:staff_jury_remove", args=[call.pk, juror.pk]))
    assert Juror.objects.filter(pk=juror.pk).exists()
    page = client.get(reverse("applications:staff_jury", args=[call.pk])).content.decode()
    assert "has submitted a review: they stay on the jury." in page
    assert reverse("applications:staff_jury_remove", args=[call.pk, juror.pk]) not in page


def test_a_juror_of_another_call_cannot_be_removed_through_this_call(client, call, staff):
    other = make_juror(factories.make_call())
    client.force_login(staff)
    response = client.post(reverse("applications:staff_jury_remove", args=[call.pk, other.pk]))
    assert response.status_code == 404
    assert Juror.objects.filter(pk=other.pk).exists()


def test_the_staff_jury_page_lists_jurors_with_their_counts(client, call, staff):
    president = make_juror(call, role="president", organisation="France Active")
    pending = make_juror(call, accepted=False, email="attente@jury.example.org")
    dossiers = [jury_dossier(call, staff) for _ in range(2)]
    assign(president, dossiers[0], declared="none")
    assign(president, dossiers[1], declared="financial")
    client.force_login(staff)
    response = client.get(reverse("applications:staff_jury", args=[call.pk]))
    jurors = {j.pk: j for j in response.context["jurors"]}
    assert (jurors[president.pk].assigned_count, jurors[president.pk].conflict_count) == (2, 1)
    assert (jurors[pending.pk].assigned_count, jurors[pending.pk].conflict_count) == (0, 0)
    page = response.content.decode()
    assert "attente@jury.example.org" in page and "Pending" in page and "Accepted" in page
    assert "France Active" in page and "Financial interest" in page


def test_a_jurors_home_page_leads_to_their_juries(client, call):
    juror = make_juror(call)
    client.force_login(juror.user)
    page = client.get(reverse("accelerator:home")).content.decode()
    assert "My juries" in page
    assert reverse("applications:juror_call", args=[call.pk]) in page
    client.force_login(factories.UserFactory())
    assert "My juries" not in client.get(reverse("accelerator:home")).content.decode()
