"""The agenda and the directory in a real browser: each public page type of them at a phone width
and a desktop width, with no serious or critical axe finding and no sideways scroll, and the
proposal form's refusal (error summary) too."""

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.test_accessibility import Checks, switch_to, visit
from tests.cms.agenda_helpers import make_actor, make_entry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_agenda_and_directory_pages(page, live_server):
    partner = make_actor(name="Maison de l'économie sociale et solidaire du Loir-et-Cher")
    actor = make_actor(name="Ressourcerie", offers=["premises", "volunteering"])
    entry = make_entry(
        title="Forum de l'emploi solidaire et des initiatives locales du territoire",
        organiser_actor=actor,
        co_organisers=[partner],
        themes=["employment", "circular_economy"],
        online_link="https://visio.example.org/un-lien-tres-long-pour-voir-s-il-deborde",
        registration_link="https://example.org/inscription",
    )
    make_entry(title="Related", themes=["employment"], department=entry.department)
    checks = Checks(page)
    for name, kwargs in (
        ("cms:agenda", {}),
        ("cms:agenda_archive", {}),
        ("cms:agenda_entry", {"pk": entry.pk}),
        ("cms:actors", {}),
        ("cms:actor", {"pk": actor.pk}),
    ):
        visit(page, live_server.url + reverse(name, kwargs=kwargs))
        checks.check(name)
    switch_to(page, live_server, factories.UserFactory())
    visit(page, live_server.url + reverse("cms:agenda_propose"))
    checks.check("proposal form")
    page.locator("#main form.card button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    checks.check("proposal form refused")
    visit(page, live_server.url + reverse("cms:actor_propose"))
    checks.check("actor form")
    checks.assert_clean()
