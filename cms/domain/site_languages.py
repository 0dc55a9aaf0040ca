"""The public site in two languages: which addresses exist once per language, and where the
language switch leads from a page (its translation, else the same address in the other language,
where the page is drawn with the interface in that language)."""

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.translation import get_language, get_language_from_path, override

from applications.models.page_languages import in_language


def is_public_site_match(match):
    """Whether a resolved address is a page of the public site: Wagtail's pages and the site's
    own views (namespace "cms")."""
    return match.url_name == "wagtail_serve" or match.namespaces[:1] == ["cms"]


def is_public_site_path(path):
    """`is_public_site_match` for a path, with or without its language prefix."""
    if get_language_from_path(path):
        return True  # only the public site's addresses have a language prefix
    try:
        with override(settings.LANGUAGE_CODE):
            return is_public_site_match(resolve(path))
    except Resolver404:
        return True  # the public site's "not found" page


def address_in(url, language):
    """A local `url` (path and query) as it reads in `language`: the public site's addresses
    change with the language, the application's do not."""
    path, mark, query = url.partition("?")
    if is_public_site_path(path):
        path = in_language(path, language)
    return path + mark + query


def other_languages(request, page=None):
    """[(language code, name, url)] of the site's other languages for the page `request` shows:
    a Wagtail `page`'s live translation when there is one, else the same address in that
    language."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    translations = {}
    if page is not None:
        translations = {
            translation.locale.language_code: translation
            for translation in page.get_translations().live().select_related("locale")
        }
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        translation = translations.get(code)
        if translation is None:
            url = address_in(request.path + (f"?{query}" if query else ""), code)
        else:
            with override(code):
                url = translation.get_url(request)
        links.append((code, name, url))
    return links
