"""The applicant's whole journey in a real browser: sign-up and e-mail verification, a structure,
the eligibility pre-check, a dossier with a file saved as a draft, reload, submit, the receipt."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accelerator.models import Structure, User
from applications.models import Attachment, Dossier, DossierState
from tests import factories
from workers.models import OutboxMessage, OutboxStatus

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data; the restored rows are the migrations' régions,
    # départements and Wagtail tree, which the flush of an earlier transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "claire.morel@example.org"
PASSWORD = "Tiers-lieu du Berry 2026!"

JOURNEY_FORM = [
    {"type": "section", "value": {"heading": "The project", "help_text": ""}, "id": "s-project"},
    {
        "type": "short_text",
        "value": {
            "label": "Project name",
            "help_text": "A few words.",
            "required": True,
            "max_length": 80,
        },
        "id": "q-name",
    },
    {
        "type": "long_text",
        "value": {
            "label": "Description of the project",
            "help_text": "What, for whom, where.",
            "required": True,
            "limit_unit": "words",
            "limit": 200,
        },
        "id": "q-desc",
    },
    {
        "type": "file",
        "value": {
            "label": "Provisional budget",
            "help_text": "The budget of the project, as a PDF.",
            "required": True,
            "max_files": 1,
        },
        "id": "q-budget-file",
    },
]

PROJECT_NAME = "Tiers-lieu nourricier de Vierzon"
DESCRIPTION = "A shared kitchen and a market garden run with the neighbours of the district."


def small_pdf():
    """A real, tiny one-page PDF: its content, not its name, makes it a PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


def label(text):
    """A field found by its label, with or without the “*” that marks a required one."""
    return re.compile(rf"^\s*{re.escape(text)}(\s*\*)?\s*$")


def autosave_of(page):
    return page.expect_response(
        lambda response: response.url.endswith("/autosave/") and response.request.method == "POST"
    )


def test_an_applicant_signs_up_registers_applies_and_submits(page, live_server):
    # Staff published an open call for two départements of the région, before the applicant came.
    call = factories.make_call(form=JOURNEY_FORM, title="Tiers-lieux nourriciers 2026")
    call.eligible_departments.set([factories.department("18", "Cher"), factories.department()])
    call.save()  # a page's many-to-many relations are written when it is saved

    # 1. Sign-up, then the verification link of the e-mail found in the outbox.
    page.goto(reverse("account_signup"))
    page.get_by_label(label("First name")).fill("Claire")
    page.get_by_label(label("Last name")).fill("Morel")
    page.get_by_label(label("Email")).fill(EMAIL)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_label(label("Password (again)")).fill(PASSWORD)
    page.get_by_label(label("Language of the e-mails you receive")).select_option(label="English")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    user = User.objects.get(email=EMAIL)
    assert (user.first_name, user.last_name, user.language) == ("Claire", "Morel", "en")
    # The eager worker has delivered it: the link is in the recipient's mail, never in the outbox.
    verification = OutboxMessage.objects.get(to=EMAIL)
    assert "/accounts/confirm-email/" not in verification.body_text
    text = next(message.body for message in mail.outbox if EMAIL in message.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", text)
    assert link, text
    page.goto(urlsplit(link.group(0)).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    # Confirming in the browser that signed up logs the person in.
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert user.emailaddress_set.get(email=EMAIL).verified

    # 2. The structure, registered from the applicant's space.
    page.goto(reverse("accelerator:home"))
    page.get_by_role("link", name="Register a structure").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a structure")
    siret = factories.valid_siret()
    page.get_by_label(label("Name")).fill("La Fabrique du Berry")
    page.get_by_label(label("Legal form")).select_option(label="Association (loi 1901)")
    # Typed as people copy it from their papers, with spaces.
    page.get_by_label(label("SIREN or SIRET")).fill(" ".join([siret[:9], siret[9:]]))
    page.get_by_label(label("Creation year")).fill("2016")
    page.get_by_label(label("Postcode")).fill("18100")
    page.get_by_label(label("City")).fill("Vierzon")
    page.get_by_label(label("Département")).select_option(label="18 — Cher")
    page.get_by_label(label("Annual budget (€)")).fill("85 000")
    page.get_by_label(label("Employees")).fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Register the structure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of La Fabrique du Berry")
    page.get_by_role("link", name="La Fabrique du Berry").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("La Fabrique du Berry")
    structure = Structure.objects.get(siret=siret)
    assert structure.memberships.get().user == user

    # 3. The call's public page, "Apply", the eligibility pre-check, the dossier started.
    page.goto(call.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiers-lieux nourriciers 2026")
    who_can_apply = page.get_by_role("region", name="Who can apply")
    expect(who_can_apply).to_contain_text("Cher (18)")
    expect(who_can_apply).to_contain_text("Loiret (45)")
    page.get_by_role("link", name="Apply").first.click()
    expect(page.get_by_text("Your structure meets the call's criteria.")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Start the dossier").click()
    dossier = Dossier.objects.get(call=call, structure=structure)
    assert page.url.endswith(reverse("applications:dossier", args=[dossier.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiers-lieux nourriciers 2026")

    # 4. One answer typed and saved while typing, a PDF added with "Save draft", then a reload.
    status = page.locator("#save-status")
    with autosave_of(page) as autosave:
        page.get_by_label(label("Project name")).fill(PROJECT_NAME)
    assert autosave.value.ok
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d"))
    page.get_by_label(label("Provisional budget")).set_input_files(
        {"name": "budget prévisionnel.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("“budget prévisionnel.pdf” is attached.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Draft saved at \d\d:\d\d"))).to_be_visible()

    page.reload()
    expect(page.get_by_label(label("Project name"))).to_have_value(PROJECT_NAME)
    expect(page.get_by_role("link", name="budget prévisionnel.pdf")).to_be_visible()
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d"))
    attachment = Attachment.objects.get(dossier=dossier)
    assert attachment.content_type == "application/pdf"
    assert attachment.file.open("rb").read().startswith(b"%PDF-1.4")

    # 5. The last required answer, then submit: the page turns read-only.
    with autosave_of(page) as autosave:
        page.get_by_label(label("Description of the project")).fill(DESCRIPTION)
    assert autosave.value.ok
    expect(page.get_by_text("Every required answer is given.")).to_be_visible()
    page.on("dialog", lambda dialog: dialog.accept())  # should the page ever ask to confirm
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the dossier").click()
    expect(page.get_by_text("Your dossier is submitted.")).to_be_visible()
    expect(page.locator(".hero .badge")).to_have_text("Submitted")
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    answers = page.get_by_role("region", name="Answers")
    expect(answers).to_contain_text(PROJECT_NAME)
    expect(answers).to_contain_text(DESCRIPTION)
    expect(answers.get_by_role("link", name="budget prévisionnel.pdf")).to_be_visible()
    page.screenshot(path="/tmp/journey.png", full_page=True)

    # 6. The database and the receipt in the outbox.
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    assert dossier.answers["q-name"] == PROJECT_NAME
    assert dossier.answers["q-desc"] == DESCRIPTION
    transition = dossier.transitions.get(target=DossierState.SUBMITTED)
    assert (transition.name, transition.source, transition.actor) == ("submit", "draft", user)
    assert [block["id"] for block in dossier.form_snapshot] == [b["id"] for b in JOURNEY_FORM]
    receipt = OutboxMessage.objects.get(
        key=f"dossier:{dossier.pk}:transition:{transition.pk}:{user.pk}"
    )
    assert receipt.to == EMAIL
    assert receipt.status == OutboxStatus.SENT  # delivered by the (eager) worker
    assert receipt.subject == f"Receipt: dossier {dossier.reference} submitted"
    assert "Hello Claire," in receipt.body_text
    assert reverse("applications:dossier", args=[dossier.pk]) in receipt.body_text
    assert OutboxMessage.objects.filter(to=EMAIL).count() == 2  # verification and receipt
