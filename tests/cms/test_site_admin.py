"""Staff build the site in the Wagtail admin: every page type's editing form opens where it
belongs, and the site's menus, footer and social defaults are one settings form."""

import pytest

from tests import factories
from tests.cms.site_world import make_site, news_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def editor_client(client, home):
    client.force_login(factories.StaffFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model", ["programmepage", "newsindexpage", "portfoliopage", "standardpage"]
)
def test_each_page_type_opens_under_the_home_page(editor_client, home, model):
    response = editor_client.get(f"/admin/pages/add/cms/{model}/{home.pk}/")

    assert response.status_code == 200


def test_a_news_article_opens_under_the_news_index_with_its_tags(editor_client, home):
    index = news_index(home)

    response = editor_client.get(f"/admin/pages/add/cms/newsarticlepage/{index.pk}/")

    assert response.status_code == 200
    assert 'name="tags"' in response.content.decode()


def test_the_site_settings_form_holds_menus_footer_and_social_defaults(editor_client):
    response = editor_client.get("/admin/settings/cms/sitesettings/", follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("header_links", "footer_links", "id_accessibility_page", "id_social_image"):
        assert field in html, field
