"""The security headers of every page (Content-Security-Policy, Permissions-Policy), and the
templates that the policy needs: no inline style or script, so the policy can stay strict."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from accelerator.domain.board_stages import STAGE_COLOURS
from accelerator.models import Accompaniment, Cohort
from tests import factories

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]

SITE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'self'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def page_urls():
    """One URL of each kind of page, and who asks for it."""
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    call = factories.make_call()
    dossier = factories.make_dossier(call=call, structure=structure, created_by=owner)
    manager = factories.ManagerFactory()
    cohort = Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name="Cohorte 2026", year=2026, capacity=20
    )
    accompaniment = Accompaniment.objects.create(cohort=cohort, structure=structure, source="call")
    return [
        (None, "/"),
        (None, call.url),
        (None, reverse("account_login")),
        (None, reverse("account_signup")),
        (None, "/no-such-page/"),
        (owner, reverse("accelerator:home")),
        (owner, reverse("accelerator:structure", args=[structure.pk])),
        (owner, reverse("accelerator:members", args=[structure.pk])),
        (owner, reverse("applications:dossier", args=[dossier.pk])),
        (owner, reverse("account_email")),
        (manager, reverse("applications:staff_calls")),
        (manager, reverse("accelerator:cohort_board", args=[cohort.pk])),
        (manager, reverse("accelerator:accompaniment", args=[accompaniment.pk])),
    ]


@pytest.mark.django_db
def test_every_kind_of_page_answers_with_the_strict_policy(client):
    for user, url in page_urls():
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == (404 if url == "/no-such-page/" else 200), url
        assert directives(response) == SITE_POLICY, url
        assert "unsafe" not in response["Content-Security-Policy"], url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
        client.logout()


@pytest.mark.django_db
def test_the_django_admin_keeps_the_strict_policy(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/django-admin/workers/outboxmessage/")
    assert response.status_code == 200
    assert directives(response) == SITE_POLICY


@pytest.mark.django_db
def test_only_the_wagtail_admin_may_run_inline_scripts_and_styles(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    # Wagtail writes inline <script> (inline panels, date pickers, choosers) without a nonce.
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert {k: v for k, v in policy.items() if not k.endswith("-src")} == {
        k: v for k, v in SITE_POLICY.items() if not k.endswith("-src")
    }
    assert policy["connect-src"] == "'self'"
    assert "Permissions-Policy" in response


def test_every_powerful_feature_is_turned_off():
    from essor.middleware import PermissionsPolicyMiddleware

    header = PermissionsPolicyMiddleware(lambda request: None).header
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header.split(", ")


def page_templates():
    """Every template that draws a page; e-mails keep their inline styles (mail clients need
    them, and no browser policy applies to them)."""
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            if "email" not in path.relative_to(folder).parts:
                yield path


INLINE = {
    "a <style> element": re.compile(r"<style\b", re.I),
    "a <script> without src": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
    ),
    "an on…= event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=\s*[\"']", re.I),
}


def test_no_page_template_holds_inline_styles_or_scripts():
    templates = list(page_templates())
    assert len(templates) > 50  # the scan sees the rooms' templates, not an empty folder
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []


def test_the_scan_finds_what_the_policy_blocks():
    assert INLINE["a <style> element"].search("<style>.a { color: red }</style>")
    assert INLINE["a <script> without src"].search("<script>alert(1)</script>")
    assert not INLINE["a <script> without src"].search('<script src="/static/a.js" defer>')
    assert INLINE["an on…= event handler"].search('<button onclick="go()">')
    assert INLINE["a style attribute"].search('<div class="card" style="max-width: 40rem">')
    assert not INLINE["a style attribute"].search('<link rel="stylesheet" href="a.css">')


def test_every_stage_colour_of_the_chart_is_the_one_of_the_board_stylesheet():
    css = Path(finders.find("accelerator/css/journey-board.css")).read_text()
    for stage, colour in STAGE_COLOURS.items():
        rule = (
            rf'\.board-column\[data-stage="{stage}"\], \.stage-colour--{stage} '
            rf"\{{ --stage-colour: {colour}; \}}"
        )
        assert re.search(rule, css), stage


def test_every_whole_percent_has_a_progress_bar_width():
    css = Path(finders.find("css/progress.css")).read_text()
    widths = dict(re.findall(r"\.progress__bar--(\d+) \{ width: (\d+)%; \}", css))
    assert widths == {str(n): str(n) for n in range(101)}


@pytest.mark.django_db
def test_the_dossier_completeness_bar_has_its_width_as_a_class(client, dossier, owner):
    client.force_login(owner)
    html = client.get(reverse("applications:dossier", args=[dossier.pk])).content.decode()
    bar = re.search(r'<span data-completeness-bar class="progress__bar--(\d+)"></span>', html)
    assert bar and 0 <= int(bar.group(1)) <= 100


def test_every_stylesheet_a_template_links_exists():
    linked = {
        match
        for path in page_templates()
        for match in re.findall(
            r"<link rel=\"stylesheet\" href=\"\{% static '([^']+)' %\}\"", path.read_text()
        )
    }
    assert "css/essor.css" in linked
    assert [name for name in sorted(linked) if not finders.find(name)] == []
