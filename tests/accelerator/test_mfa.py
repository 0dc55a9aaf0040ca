import time
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from tests import factories


def _totp(secret, at=None):
    return format_hotp_value(hotp_value(secret, int(at or time.time()) // 30))


def _give_totp(user):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "not-used-here"}
    )


# The staff requirement --------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_without_totp_are_sent_to_turn_it_on(settings, client_for, staff):
    settings.ESSOR_REQUIRE_STAFF_MFA = True
    response = client_for(staff).get(reverse("accelerator:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_the_activation_pages_stay_reachable_for_staff_without_totp(settings, client_for, staff):
    settings.ESSOR_REQUIRE_STAFF_MFA = True
    client = client_for(staff)
    assert client.get(reverse("mfa_index")).status_code == 200
    # allauth asks for the password again before activation; that page is not blocked either.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


@pytest.mark.django_db
def test_staff_with_totp_work_normally(settings, client_for, staff):
    settings.ESSOR_REQUIRE_STAFF_MFA = True
    _give_totp(staff)
    assert client_for(staff).get(reverse("accelerator:home")).status_code == 200


@pytest.mark.django_db
def test_applicants_are_not_required_to_use_totp(settings, client_for, owner):
    settings.ESSOR_REQUIRE_STAFF_MFA = True
    assert client_for(owner).get(reverse("accelerator:home")).status_code == 200


@pytest.mark.django_db
def test_without_the_setting_staff_are_not_required(settings, client_for, staff):
    settings.ESSOR_REQUIRE_STAFF_MFA = False
    assert client_for(staff).get(reverse("accelerator:home")).status_code == 200


# Turning TOTP on and logging in with it ---------------------------------------------------------


def _log_in(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )


def _start_activation(client, user):
    """Log in, confirm the password again as allauth asks, and open the activation page."""
    _log_in(client, user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert 'class="site-header"' in page.content.decode()
    response = client.post(response["Location"], {"password": "correct-horse-battery"})
    assert response["Location"] == reverse("mfa_activate_totp")
    return client.get(reverse("mfa_activate_totp"))


@pytest.mark.django_db
@pytest.mark.parametrize("is_staff", [False, True])
def test_anyone_turns_on_totp_then_logs_in_with_a_code(client, settings, is_staff):
    settings.ESSOR_REQUIRE_STAFF_MFA = True
    user = factories.UserFactory(is_staff=is_staff)
    page = _start_activation(client, user)
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert (
        "Authentication using an authenticator app is active."
        in client.get(reverse("mfa_index")).content.decode()
    )

    client.post(reverse("account_logout"))
    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        response = _log_in(client, user)
        assert response["Location"] == reverse("mfa_authenticate")
        assert client.get(reverse("accelerator:home")).status_code == 302
        page = client.get(reverse("mfa_authenticate"))
        assert page.status_code == 200
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
        response = client.post(
            reverse("mfa_authenticate"), {"code": _totp(secret, later.timestamp())}
        )
        assert response.status_code == 302
        assert client.get(reverse("accelerator:home")).status_code == 200


@pytest.mark.django_db
def test_recovery_codes_and_deactivation_pages_render(client):
    user = factories.UserFactory()
    _start_activation(client, user)
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": _totp(secret)})
    for name in ("mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_deactivate_totp"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'class="site-header"' in response.content.decode()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
