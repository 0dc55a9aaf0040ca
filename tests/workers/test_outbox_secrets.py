"""Nobody but its recipient reads a secret that an e-mail carries (issue 8, point 1).

The attack: a plain staff member asks a password reset for an administrator, then looks
everywhere staff can look in the admin for the link. The outbox keeps placeholders; the link
exists only in the delivered mail.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from accelerator.domain import members
from applications.domain import jury_invitations
from tests import factories
from workers import outbox, sealing
from workers.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-verger-partagé-2026"
CHANGELIST = reverse("admin:workers_outboxmessage_changelist")


def _delivered_link(to, path):
    """The recipient's copy: deliver what is due, then read the link in the mail they got."""
    outbox.flush()
    bodies = [m.body + "".join(a[0] for a in m.alternatives) for m in mail.outbox if to in m.to]
    links = {
        match.group(0)
        for body in bodies
        for match in re.finditer(rf"https?://[^\s\"<>]*{path}[^\s\"<>]*", body)
    }
    assert len(links) == 1, bodies
    return links.pop()


def _everything_staff_can_read(client):
    """Every admin page a staff member can open: the index, each model list they may see,
    each outbox message's page, and a search of the outbox."""
    pages = [client.get(reverse("admin:index"))]
    for model in apps.get_models():
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except Exception:
            continue
        pages.append(client.get(url))
    for pk in OutboxMessage.objects.values_list("pk", flat=True):
        pages.append(client.get(reverse("admin:workers_outboxmessage_change", args=[pk])))
    pages.append(client.get(CHANGELIST, {"q": "reset"}))
    pages.append(client.get(CHANGELIST, {"status__exact": "pending"}))
    return "\n".join(page.content.decode() for page in pages if page.status_code == 200)


def _stored_text():
    return "\n".join(
        f"{m.key} {m.subject} {m.body_text} {m.body_html} {m.sealed_secrets} {m.last_error}"
        for m in OutboxMessage.objects.all()
    )


def test_plain_staff_cannot_take_over_an_administrator_through_the_outbox(client, staff):
    admin = factories.UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    # The attacker asks a reset for the administrator, as anybody can.
    client.post(reverse("account_reset_password"), {"email": admin.email})
    client.force_login(staff)

    before_sending = _everything_staff_can_read(client)
    assert "/accounts/password/reset/key/" not in before_sending
    assert OutboxMessage.objects.filter(to=admin.email).count() == 1
    assert "/accounts/password/reset/key/" not in _stored_text()

    link = _delivered_link(admin.email, "/accounts/password/reset/key/")
    key = link.rsplit("/key/", 1)[1].strip("/")
    after_sending = _everything_staff_can_read(client)
    # No trace of the link or its key anywhere staff look, nor in the table itself.
    assert key not in before_sending + after_sending
    assert key not in _stored_text()
    assert OutboxMessage.objects.get(to=admin.email).sealed_secrets == ""
    # Staff still follow the delivery: recipient, subject, status.
    assert admin.email in after_sending
    assert "Sent" in after_sending

    # The recipient's link works: only the administrator can set the new password.
    recipient = Client()
    response = recipient.get(link, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = recipient.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.check_password(NEW_PASSWORD)


def test_confirmation_and_invitation_links_are_sealed_too(client, staff, owner, structure):
    # An e-mail confirmation (sign-up), a structure invitation and a jury invitation.
    Client().post(
        reverse("account_signup"),
        {
            "first_name": "Lou",
            "last_name": "Martin",
            "email": "lou@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "fr",
        },
    )
    members.invite_member(structure, owner, "guest@example.org", "editor")
    call = factories.make_call()
    jury_invitations.invite_juror(call, "juror@example.org", "member", actor=staff)
    client.force_login(staff)

    readable = _everything_staff_can_read(client) + _stored_text()

    links = [
        _delivered_link("lou@example.org", "/accounts/confirm-email/"),
        _delivered_link("guest@example.org", "/invitations/"),
        _delivered_link("juror@example.org", "/jury/invitations/"),
    ]
    for link in links:
        secret = link.rstrip("/").rsplit("/", 1)[1]
        assert len(secret) > 20
        assert secret not in readable
        assert secret not in _everything_staff_can_read(client) + _stored_text()


def test_plain_staff_see_deliveries_but_no_body(client, staff):
    message = outbox.queue_rendered(
        key="notice:1",
        to="someone@example.org",
        language="fr",
        subject="Votre dossier",
        body_text="Le texte confidentiel du message.",
    )
    client.force_login(staff)

    page = client.get(reverse("admin:workers_outboxmessage_change", args=[message.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "someone@example.org" in text
    assert "Votre dossier" in text
    assert "Le texte confidentiel" not in text
    # No export or other bulk action that could carry bodies out.
    changelist = client.get(CHANGELIST)
    assert list(changelist.context["action_form"].fields["action"].choices)[1:] == [
        ("retry_failed", "Try the selected failed messages again")
    ]


def test_the_body_permission_shows_bodies_with_secrets_masked(client, staff):
    staff.user_permissions.add(Permission.objects.get(codename="view_outboxmessage_body"))
    message = outbox.queue_rendered(
        key="account:reset:1",
        to="someone@example.org",
        language="fr",
        subject="Réinitialisation",
        body_text="Suivez https://essor.example/reset/abc-SECRET-TOKEN/ pour continuer.",
        body_html='<a href="https://essor.example/reset/abc-SECRET-TOKEN/">lien</a>',
        secrets=["https://essor.example/reset/abc-SECRET-TOKEN/"],
    )
    client.force_login(staff)

    text = client.get(
        reverse("admin:workers_outboxmessage_change", args=[message.pk])
    ).content.decode()

    assert "pour continuer" in text
    assert sealing.HIDDEN in text
    assert "SECRET-TOKEN" not in text


def test_a_retry_after_a_failure_still_sends_the_working_link(unreachable_mail_server, settings):
    secret = "https://essor.example/invitations/TOKEN-123456789/"
    message = outbox.queue_rendered(
        key="invitation:1",
        to="guest@example.org",
        language="fr",
        subject="Invitation",
        body_text=f"Répondez : {secret}",
        body_html=f'<a href="{secret}">Répondre</a>',
        secrets=[secret],
    )
    assert outbox.deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.sealed_secrets

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(pk=message.pk).update(send_after=message.created_at)
    assert outbox.deliver(message.pk) is True

    sent = mail.outbox[-1]
    assert secret in sent.body
    assert f'href="{secret}"' in sent.alternatives[0][0]
    message.refresh_from_db()
    assert secret not in message.body_text + message.body_html
    assert message.sealed_secrets == ""


def test_sealed_secrets_survive_a_key_rotation_and_refuse_tampering(settings):
    text, html, sealed = sealing.redact("lien : S3CRET", "<b>S3CRET</b>", ["S3CRET"])
    assert "S3CRET" not in text + html + sealed

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "y" * 40
    assert sealing.reveal(text, html, sealed) == ("lien : S3CRET", "<b>S3CRET</b>")

    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(RuntimeError):
        sealing.reveal(text, html, sealed)


def test_a_placeholder_written_by_someone_else_is_not_filled_in():
    text, html, sealed = sealing.redact("a SECRET b [[secret-000000000000-0]]", "", ["SECRET"])
    revealed, _ = sealing.reveal(text, html, sealed)
    assert revealed == "a SECRET b [[secret-000000000000-0]]"


def test_the_migration_seals_messages_queued_before_sealing_existed():
    pending = OutboxMessage.objects.create(
        key="account:password_reset_key:a@example.org:1",
        to="a@example.org",
        language="fr",
        subject="Reset",
        body_text="https://essor.example/accounts/password/reset/key/1-abc/",
        body_html='<a href="https://essor.example/accounts/password/reset/key/1-abc/">x</a>',
    )
    sent = OutboxMessage.objects.create(
        key="invitation:9:1",
        to="b@example.org",
        language="fr",
        subject="Invitation",
        body_text="https://essor.example/invitations/TOKEN/",
        status=OutboxStatus.SENT,
    )
    other = OutboxMessage.objects.create(
        key="stage:1", to="c@example.org", language="fr", subject="Étape", body_text="Bonjour"
    )
    migration = importlib.import_module("workers.migrations.0002_sealed_secrets")

    migration.seal_existing(apps, None)

    pending.refresh_from_db()
    sent.refresh_from_db()
    other.refresh_from_db()
    assert "reset/key" not in pending.body_text + pending.body_html
    assert sealing.reveal(pending.body_text, pending.body_html, pending.sealed_secrets)[0] == (
        "https://essor.example/accounts/password/reset/key/1-abc/"
    )
    assert "TOKEN" not in sent.body_text
    assert other.body_text == "Bonjour"
