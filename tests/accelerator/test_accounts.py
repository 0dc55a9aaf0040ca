import re
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accelerator.domain import members
from accelerator.models import MemberRole, Membership, User
from tests import factories
from workers import outbox
from workers.models import OutboxMessage

PASSWORD = "un-jardin-partagé-2026"


def _link(message, pattern):
    """The path of the first link of `message` that matches `pattern`."""
    text, _ = outbox.recipient_bodies(message)
    match = re.search(rf"https?://[^\s\"<>]*{pattern}[^\s\"<>]*", text)
    assert match, text
    return urlparse(match.group(0)).path


def _sign_up(client, email="camille@example.org", **extra):
    data = {
        "first_name": "Camille",
        "last_name": "Durand",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "fr",
    }
    data.update(extra)
    return client.post(reverse("account_signup"), data)


@pytest.mark.django_db
def test_sign_up_then_verify_the_address_through_the_outbox(client):
    assert client.get(reverse("account_signup")).status_code == 200
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="camille@example.org")
    assert (user.first_name, user.last_name, user.language) == ("Camille", "Durand", "fr")
    # Nobody gets in before the address is confirmed.
    assert client.get(reverse("accelerator:home")).status_code == 302

    message = OutboxMessage.objects.get(to="camille@example.org")
    assert message.language == "fr"
    confirm = _link(message, "/accounts/confirm-email/")
    # Plain text and HTML, in the person's language, with the link in both.
    assert 'lang="fr"' in message.body_html
    _, html = outbox.recipient_bodies(message)
    assert f'href="{confirm}' in html or confirm in html
    assert confirm not in message.body_text + message.body_html
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:landing")
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accelerator:home")).status_code == 200


@pytest.mark.django_db
def test_sign_up_keeps_what_was_typed_when_passwords_differ(client):
    response = _sign_up(client, password2="autre-chose-123456")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Camille"' in page
    assert 'value="camille@example.org"' in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_log_in_and_log_out(client):
    user = factories.UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:landing")
    assert client.get(reverse("accelerator:home")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("accelerator:home")).status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_place(client):
    user = factories.UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("accelerator:home")).status_code == 302


@pytest.mark.django_db
def test_an_unverified_address_gets_a_new_confirmation_mail_at_log_in(client):
    user = factories.UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert OutboxMessage.objects.filter(to=user.email).exists()
    assert client.get(reverse("accelerator:home")).status_code == 302


@pytest.mark.django_db
def test_password_reset_through_the_outbox(client):
    user = factories.UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    message = OutboxMessage.objects.get(to=user.email)
    reset = _link(message, "/accounts/password/reset/key/")
    response = client.get(reset, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else reset
    response = client.post(form_path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert (
        client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        ).status_code
        == 302
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "french"),
    [
        ("account_login", "Mot de passe"),
        ("account_signup", "Mot de passe"),
        ("account_reset_password", "Réinitialisation du mot de passe"),
    ],
)
def test_account_pages_are_served_in_french_by_default(client, settings, url_name, french):
    settings.LANGUAGE_CODE = "fr"
    response = client.get(reverse(url_name))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert french in page
    # They are drawn in Essor's layout.
    assert 'class="site-header"' in page


@pytest.mark.django_db
def test_an_invitation_survives_sign_up_and_email_verification(client, structure, owner):
    invitation = members.invite_member(structure, owner, "alex@example.org", MemberRole.EDITOR)
    invitation_url = reverse("accelerator:invitation", args=[invitation.token])
    page = client.get(invitation_url).content.decode()
    signup_url = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', page).group(1)
    response = client.post(
        signup_url.replace("&amp;", "&"),
        {
            "first_name": "Alex",
            "last_name": "Petit",
            "email": "alex@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "language": "en",
        },
    )
    assert response.status_code == 302
    confirmation = OutboxMessage.objects.filter(
        to="alex@example.org", key__startswith="account:"
    ).get()
    response = client.post(_link(confirmation, "/accounts/confirm-email/"))
    assert response["Location"] == invitation_url
    response = client.post(invitation_url, {"answer": "accept"})
    assert response["Location"] == reverse("accelerator:structure", args=[structure.pk])
    assert Membership.objects.get(user__email="alex@example.org").role == MemberRole.EDITOR


@pytest.mark.django_db
def test_an_invitation_opened_before_logging_in_is_shown_after_log_in(client, structure, owner):
    invitee = factories.UserFactory(email="alex@example.org")
    invitation = members.invite_member(structure, owner, invitee.email, MemberRole.VIEWER)
    client.get(reverse("accelerator:invitation", args=[invitation.token]))
    # Logging in from the site's own log-in link (no `next`) still comes back to the invitation.
    response = client.post(
        reverse("account_login"), {"login": invitee.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("accelerator:invitation", args=[invitation.token])
