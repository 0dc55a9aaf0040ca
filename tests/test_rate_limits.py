"""Rate limits: allauth's on log-in, sign-up, password reset and confirmation e-mails, Essor's on
invitations and join requests; each client counted by its own address behind the proxy."""

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accelerator.models import Invitation, JoinRequest
from accelerator.views.ratelimits import client_ip
from applications.models import Juror
from tests import factories
from tests.test_settings import settings_in
from workers.models import OutboxMessage

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches Essor from it
CLIENT_A, CLIENT_B = "203.0.113.1", "203.0.113.2"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


@pytest.fixture
def behind_one_proxy(settings):
    settings.ESSOR_TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def no_trusted_proxy(settings):
    settings.ESSOR_TRUSTED_PROXY_COUNT = 0


def via_proxy(forwarded_for):
    """A browser whose requests come through the proxy with this X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def log_in(client, email="camille@example.org"):
    return client.post(reverse("account_login"), {"login": email, "password": "wrong"})


# --- allauth: log-in, sign-up, password reset, confirmation e-mail -----------------------------


@pytest.mark.django_db
def test_too_many_log_ins_get_the_429_page_in_french(client, settings):
    settings.LANGUAGE_CODE = "fr"
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}

    statuses = [log_in(client, f"person{n}@example.org").status_code for n in range(3)]

    assert statuses == [200, 200, 429]
    response = log_in(client)
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert "Trop de tentatives en peu de temps" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_too_many_sign_ups_from_one_address_get_the_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    url = reverse("account_signup")

    client.post(url, {"email": "one@example.org"})
    response = client.post(url, {"email": "two@example.org"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert "Too many attempts in a short time" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,1/m/key"}
    user = factories.UserFactory()
    url = reverse("account_reset_password")

    first = client.post(url, {"email": user.email})
    second = client.post(url, {"email": user.email})

    assert first.status_code == 302
    assert second.status_code == 429
    assert OutboxMessage.objects.filter(to=user.email).count() == 1


@pytest.mark.django_db
def test_a_confirmation_mail_is_sent_again_at_most_once_in_three_minutes(client):
    user = factories.UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    for _ in range(3):
        client.post(
            reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
        )

    assert OutboxMessage.objects.filter(to=user.email).count() == 1


# --- Essor: invitations and join requests ------------------------------------------------------


@pytest.mark.django_db
def test_too_many_structure_invitations_keep_what_was_typed(client, settings, structure, owner):
    settings.ESSOR_RATE_LIMITS = {
        **settings.ESSOR_RATE_LIMITS,
        "structure_invitation": ("2/h", "100/h"),
    }
    client.force_login(owner)
    url = reverse("accelerator:invite", args=[structure.pk])

    for n in range(2):
        assert (
            client.post(url, {"email": f"new{n}@example.org", "role": "editor"}).status_code == 302
        )
    response = client.post(url, {"email": "third@example.org", "role": "viewer"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent many invitations in a short time" in page
    assert 'value="third@example.org"' in page
    assert not Invitation.objects.filter(email="third@example.org").exists()


@pytest.mark.django_db
def test_a_mistyped_invitation_does_not_count(client, settings, structure, owner):
    settings.ESSOR_RATE_LIMITS = {
        **settings.ESSOR_RATE_LIMITS,
        "structure_invitation": ("1/h", "100/h"),
    }
    client.force_login(owner)
    url = reverse("accelerator:invite", args=[structure.pk])

    client.post(url, {"email": "not-an-address", "role": "editor"})
    response = client.post(url, {"email": "right@example.org", "role": "editor"})

    assert response.status_code == 302
    assert Invitation.objects.filter(email="right@example.org").exists()


@pytest.mark.django_db
def test_too_many_jury_invitations_keep_what_was_typed(client, settings, staff):
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "jury_invitation": ("1/h", "100/h")}
    call = factories.make_call()
    client.force_login(staff)
    url = reverse("applications:staff_jury", args=[call.pk])

    first = client.post(url, {"invite-email": "one@jury.example.org", "invite-role": "member"})
    response = client.post(
        url,
        {
            "invite-email": "two@jury.example.org",
            "invite-role": "member",
            "invite-organisation": "Cress",
        },
    )

    assert first.status_code == 302
    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent many invitations in a short time" in page
    assert 'value="two@jury.example.org"' in page
    assert 'value="Cress"' in page
    assert not Juror.objects.filter(email="two@jury.example.org").exists()


def _join(client, structure, message="Je suis la trésorière."):
    url = reverse("accelerator:join_request", args=[structure.siret])
    return client.post(url, {"message": message})


@pytest.mark.django_db
def test_too_many_join_requests_keep_the_message(client, settings):
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "join_request": ("1/h", "100/h")}
    requester = factories.UserFactory()
    client.force_login(requester)

    first = _join(client, factories.StructureFactory())
    response = _join(client, factories.StructureFactory(), "Bonjour, je voudrais aider.")

    assert first.status_code == 302
    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent many requests to join in a short time" in page
    assert "Bonjour, je voudrais aider." in page
    assert JoinRequest.objects.filter(user=requester).count() == 1


REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
}


@pytest.mark.django_db
def test_a_redis_outage_does_not_lock_anyone_out_of_joining(client, settings):
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "join_request": ("0/h", "0/h")}
    requester = factories.UserFactory()
    client.force_login(requester)

    with override_settings(CACHES=REDIS_DOWN):
        response = _join(client, factories.StructureFactory())

    assert response.status_code == 302
    assert JoinRequest.objects.filter(user=requester).exists()


# --- the client's address behind the proxy -----------------------------------------------------


def _request(remote_addr=PROXY, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, f"{CLIENT_A}", PROXY),  # no trusted proxy: the header is the client's own words
        (1, None, PROXY),  # a request that did not come through the proxy
        (1, f"{CLIENT_A}", CLIENT_A),
        (1, f"198.51.100.7, {CLIENT_A}", CLIENT_A),  # the left-most value is forged
        (2, f"198.51.100.7, {CLIENT_A}, 10.0.0.9", CLIENT_A),  # a CDN, then our proxy
        (2, f"{CLIENT_A}", PROXY),  # shorter than the proxy chain
        (1, "not-an-address", PROXY),
    ],
)
def test_the_client_address_is_read_from_the_right_of_x_forwarded_for(
    settings, count, forwarded_for, expected
):
    settings.ESSOR_TRUSTED_PROXY_COUNT = count

    assert client_ip(_request(forwarded_for=forwarded_for)) == expected


@pytest.mark.django_db
def test_behind_the_proxy_two_clients_are_throttled_separately_at_log_in(
    settings, behind_one_proxy
):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    first, second = via_proxy(CLIENT_A), via_proxy(CLIENT_B)

    assert [log_in(first).status_code for _ in range(3)] == [200, 200, 429]
    assert log_in(second).status_code == 200


@pytest.mark.django_db
def test_a_forged_left_most_address_does_not_escape_the_log_in_limit(settings, behind_one_proxy):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    for _ in range(2):
        log_in(via_proxy(CLIENT_A))

    # The client writes an address of its choosing; the proxy appends the real one.
    forged = via_proxy(f"198.51.100.7, {CLIENT_A}")

    assert log_in(forged).status_code == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored_at_log_in(settings, no_trusted_proxy):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    for _ in range(2):
        log_in(via_proxy(CLIENT_A))

    assert log_in(via_proxy(CLIENT_B)).status_code == 429


def _join_from(forwarded_for):
    client = via_proxy(forwarded_for)
    client.force_login(factories.UserFactory())
    return _join(client, factories.StructureFactory()).status_code


@pytest.mark.django_db
def test_behind_the_proxy_join_requests_are_counted_per_client(settings, behind_one_proxy):
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "join_request": ("100/h", "1/h")}

    assert _join_from(CLIENT_A) == 302
    assert _join_from(CLIENT_A) == 429  # another account, the same client
    assert _join_from(f"198.51.100.7, {CLIENT_A}") == 429  # forged left-most address
    assert _join_from(CLIENT_B) == 302


@pytest.mark.django_db
def test_without_a_trusted_proxy_join_requests_count_the_connecting_address(
    settings, no_trusted_proxy
):
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "join_request": ("100/h", "1/h")}

    assert _join_from(CLIENT_A) == 302
    assert _join_from(CLIENT_B) == 429


def test_the_proxy_count_comes_from_the_environment_for_essor_and_allauth(tmp_path):
    names = ("ESSOR_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_PROXY_COUNT", "RATELIMIT_FAIL_OPEN")

    default = settings_in(tmp_path, *names)
    behind = settings_in(tmp_path, *names, ESSOR_TRUSTED_PROXY_COUNT="1")

    assert default == {names[0]: 0, names[1]: 0, names[2]: True}
    assert behind == {names[0]: 1, names[1]: 1, names[2]: True}


def test_the_compose_stack_trusts_its_one_https_proxy_and_says_so():
    yaml = pytest.importorskip("yaml", reason="PyYAML reads docker-compose.yml")
    root = Path(__file__).resolve().parent.parent
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())

    web = compose["services"]["web"]["environment"]
    assert web["ESSOR_TRUSTED_PROXY_COUNT"] == "${ESSOR_TRUSTED_PROXY_COUNT:-1}"
    assert "ESSOR_TRUSTED_PROXY_COUNT=1" in (root / ".env.example").read_text().splitlines()
    # The README's settings table says so too: tests/test_deploy.py checks that it lists every
    # ESSOR_* variable the settings read.
