"""The public site's lists cost the same number of queries with one row as with ten: the home
page (news, figures), the news index, the portfolio and the programme page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.domain.portfolio import give_consent
from tests import factories
from tests.cms.agenda_helpers import make_entry, soon
from tests.cms.site_world import (
    accompanied,
    article,
    make_site,
    news_index,
    portfolio_page,
    programme_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return make_site()


def queries(client, url):
    client.get(url)  # the first visit creates the site settings and image renditions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_articles(index, first, count):
    image = Image.objects.create(title="Photo", file=get_test_image_file())
    for n in range(first, first + count):
        article(index, n, tags=["emploi", f"tag-{n}"], image=image, image_alt="Une photo")


@pytest.mark.parametrize("url", ["/", "/actualites/"])
def test_home_and_news_index_cost_the_same_with_one_or_ten_articles(client, home, url):
    index = news_index(home)
    add_articles(index, 1, 1)
    one = queries(client, url)

    add_articles(index, 2, 9)
    ten = queries(client, url)

    assert one == ten, (one, ten)


def test_portfolio_and_home_figures_cost_the_same_with_one_or_several_structures(client, home):
    page = portfolio_page(home)

    def consenting(n):
        accompaniment = accompanied(
            f"Structure publique {n}",
            factories.department("18", "Cher"),
            {"jobs-fte": str(n), "people-reached": "10"},
            public_codes=["jobs-fte", "people-reached"],
        )
        give_consent(accompaniment.structure, accompaniment.editor, f"Description {n}.")

    consenting(1)
    one = (queries(client, page.url), queries(client, "/"))
    for n in range(2, 5):
        consenting(n)
    several = (queries(client, page.url), queries(client, "/"))

    assert one == several, (one, several)


def test_programme_page_costs_the_same_with_one_or_several_points_d_appui(client, home):
    page = programme_page(home)
    factories.SupportPointFactory(department=factories.department("18", "Cher"))
    one = queries(client, page.url)
    for code, name in (("28", "Eure-et-Loir"), ("36", "Indre"), ("45", "Loiret")):
        factories.SupportPointFactory(department=factories.department(code, name))
        factories.SupportPointFactory(department=factories.department(code, name))

    assert queries(client, page.url) == one


def test_home_page_shows_the_upcoming_published_agenda_entries_in_constant_queries(
    client, home, settings
):
    make_entry(title="Forum de l'emploi solidaire", themes=("employment", "digital"))
    make_entry(title="Réunion en attente", state="proposed")
    make_entry(title="Atelier passé", starts_at=soon(days=-10))
    one = queries(client, "/")

    html = client.get("/").content.decode()
    assert 'id="upcoming-agenda"' in html
    assert "Forum de l&#x27;emploi solidaire" in html
    assert "Réunion en attente" not in html and "Atelier passé" not in html

    for days in range(11, 15):
        make_entry(starts_at=soon(days=days), themes=("food", "culture"))
    assert queries(client, "/") == one
