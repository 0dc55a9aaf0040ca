"""A juror's journey in a real browser: log in, the jury space, the call, "no conflict" on the
dossier, the review scored on the grid (one criterion not applicable), a draft, then the
submission; then staff, logged in with their second factor, find the dossier in the ranking with
the weighted score worked out by hand below."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.domain.assignment import assign
from applications.domain.blind import neutral_code
from applications.domain.jury_invitations import accept_invitation, invite_juror
from applications.domain.review_phases import save_phase
from applications.models import (
    ConflictDeclaration,
    ConflictKind,
    EvaluationCriterion,
    Review,
    ReviewPhase,
)
from tests import factories
from tests.applications.full_form import ensure_wagtail_tree
from tests.applications.jury.helpers import jury_dossier

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data; the restored rows are the migrations' régions,
    # départements and Wagtail tree, which the flush of an earlier transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"  # the factories' password
CALL_TITLE = "Tiers-lieux nourriciers 2026"

# The grid, every criterion on the same 0–5 scale so that the ranking reads the values as given.
# Title, weight, "not applicable" allowed, the juror's score ("na": not applicable).
GRID = [
    ("Social impact", 2, False, "4"),
    ("Local roots", 1, True, "na"),
    ("Economic viability", 1, False, "3"),
]
# Worked out by hand: "not applicable" leaves both sums and the other weights are renormalised,
# (2 × 4 + 1 × 3) / (2 + 1) = 11 / 3 = 3.67. (Counting N/A as 0 would give 2.75, ignoring the
# weights 3.50.) With one review the median is the same and the spread is 0.
WEIGHTED_SCORE = "3.67"
COMMENTS = {
    "Social impact": "Feeds sixty families a week, with the neighbours.",
    "Economic viability": "The kitchen's rent is covered for two years only.",
}
OVERALL_COMMENT = "A sound project, well rooted in its district."
PRIVATE_NOTE = "I met the team once at a regional fair."


def totp_code(secret):
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def log_in(page, email):
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def criterion_group(page, title):
    """A criterion of the review form: its fieldset, named by its legend."""
    return page.get_by_role("group", name=title, exact=True)


def test_a_juror_scores_a_dossier_and_staff_see_it_in_the_ranking(
    page, browser, live_server, settings
):
    # As in production (.env.example): staff work with a second factor. One step of tolerance
    # keeps a code typed at the end of its 30 seconds valid when the server checks it.
    settings.ESSOR_REQUIRE_STAFF_MFA = True
    settings.MFA_TOTP_TOLERANCE = 1
    ensure_wagtail_tree()
    staff = factories.StaffFactory(first_name="Sophie", last_name="Lambert")
    call = factories.make_call(title=CALL_TITLE, criteria=0)
    for order, (title, weight, not_applicable, _score) in enumerate(GRID):
        EvaluationCriterion.objects.create(
            call=call,
            title=title,
            weight=weight,
            scale_min=0,
            scale_max=5,
            allow_not_applicable=not_applicable,
            sort_order=order,
        )
    dossier = jury_dossier(call, staff)
    structure_name = dossier.structure.name

    # The juror was invited by staff and accepted; the dossier is assigned to them; the review
    # phase, blind, is open now.
    juror_user = factories.UserFactory(first_name="Hélène", last_name="Roux")
    juror = invite_juror(call, juror_user.email, "member", actor=staff)
    juror = accept_invitation(juror, juror_user)
    assign(juror, dossier, staff)
    now = timezone.now()
    save_phase(
        call,
        {
            "name": "First reading",
            "starts_at": now - timedelta(days=1),
            "ends_at": now + timedelta(days=14),
            "presidents_only": False,
            "peer_scores": "never",
            "blind": True,
        },
        staff,
    )
    assert ReviewPhase.objects.filter(call=call).count() == 1
    code = neutral_code(dossier)

    # 1. The juror logs in and opens their jury space, then the call.
    log_in(page, juror_user.email)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(reverse("applications:juror_home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My juries")
    juries = page.get_by_role("region", name="My juries")
    expect(juries).to_contain_text("1 dossier assigned")
    expect(juries).to_contain_text("1 conflict question to answer")
    with page.expect_navigation():
        juries.get_by_role("link", name=CALL_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jury of “{CALL_TITLE}”")
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Conflict question to answer")
    # Blind review: the structure's name appears nowhere.
    expect(page.get_by_text(structure_name)).to_have_count(0)

    # 2. "No conflict", which opens the dossier.
    with page.expect_navigation():
        row.get_by_role("link", name="Answer the conflict question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {code}")
    page.get_by_role("radio", name="No conflict").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you. You can now read the dossier.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {code}")
    declaration = ConflictDeclaration.objects.get(juror=juror, dossier=dossier)
    assert (declaration.kind, declaration.declared_by) == (ConflictKind.NONE, juror_user)

    # 3. The review form: each criterion scored (one not applicable), comments, a draft.
    with page.expect_navigation():
        page.get_by_role("link", name="Review this dossier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Review of dossier {code}")
    for title, _weight, _not_applicable, score in GRID:
        group = criterion_group(page, title)
        choice = "Not applicable" if score == "na" else score
        group.get_by_role("radio", name=choice, exact=True).check()
        if title in COMMENTS:
            group.get_by_label("Comment", exact=True).fill(COMMENTS[title])
    # "Not applicable" is offered only where the grid allows it.
    expect(
        criterion_group(page, "Social impact").get_by_role("radio", name="Not applicable")
    ).to_have_count(0)
    page.get_by_role("radio", name="Yes", exact=True).check()
    page.get_by_label("Overall comment").fill(OVERALL_COMMENT)
    page.get_by_label("Private note for the staff").fill(PRIVATE_NOTE)
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    review = Review.objects.get(assignment__juror=juror, assignment__dossier=dossier)
    assert review.submitted_at is None
    assert (review.recommendation, review.comment, review.private_note) == (
        "yes",
        OVERALL_COMMENT,
        PRIVATE_NOTE,
    )
    scores = {score.criterion.title: score for score in review.scores.select_related("criterion")}
    assert (scores["Social impact"].value, scores["Social impact"].not_applicable) == (4, False)
    assert scores["Local roots"].not_applicable and scores["Local roots"].value is None
    assert scores["Economic viability"].value == 3
    assert scores["Economic viability"].comment == COMMENTS["Economic viability"]
    # The draft comes back as it was typed.
    expect(
        criterion_group(page, "Local roots").get_by_role("radio", name="Not applicable")
    ).to_be_checked()
    expect(
        criterion_group(page, "Social impact").get_by_label("Comment", exact=True)
    ).to_have_value(COMMENTS["Social impact"])

    # 4. The submission.
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my review").click()
    expect(page.get_by_text("Your review is submitted.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    expect(page.get_by_role("button", name="Submit my review")).to_have_count(0)
    review.refresh_from_db()
    assert review.submitted_at is not None
    page.goto(reverse("applications:juror_call", args=[call.pk]))
    expect(page.get_by_role("row").filter(has_text=code)).to_contain_text("Review submitted")

    # 5. Staff, in their own browser context, log in with their second factor and open the
    # ranking: the dossier, its one review and its weighted score.
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    staff_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        staff_page = staff_context.new_page()
        staff_page.set_default_timeout(15_000)
        log_in(staff_page, staff.email)
        staff_page.get_by_label("Code").fill(totp_code(secret))
        with staff_page.expect_navigation():
            staff_page.get_by_role("button", name=re.compile("Sign In|Confirm")).click()
        expect(staff_page.get_by_role("button", name="Log out")).to_be_visible()
        staff_page.goto(reverse("applications:staff_ranking", args=[call.pk]))
        expect(staff_page.get_by_role("heading", level=1)).to_have_text(
            f"Ranking of “{CALL_TITLE}”"
        )
        ranking = staff_page.get_by_role("table")
        headers = ranking.get_by_role("columnheader")
        expect(headers).to_have_text(
            [
                "Rank",
                re.compile(r"Reference"),
                "Structure",
                "State",
                re.compile(r"Weighted mean"),
                re.compile(r"Median"),
                re.compile(r"Reviews"),
                re.compile(r"Spread"),
                "Yes",
                "Maybe",
                "No",
            ]
        )
        line = ranking.get_by_role("row").filter(
            has=staff_page.get_by_role("rowheader", name=dossier.reference)
        )
        expect(line).to_have_count(1)
        # Rank, structure, state, weighted mean, median, reviews, spread, yes, maybe, no.
        expect(line.get_by_role("cell")).to_have_text(
            [
                "1",
                structure_name,
                "Under review",
                WEIGHTED_SCORE,
                WEIGHTED_SCORE,
                "1",
                "0.00",
                "1",
                "0",
                "0",
            ]
        )
    finally:
        staff_context.close()
