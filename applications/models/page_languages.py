"""The public site's pages in two languages (WAGTAIL_I18N_ENABLED, essor/urls.py): French at /,
English under /en/. A page is drawn in the interface's language at that language's address even
before staff translate it (wagtail-localize): calls in particular are never copied per language,
since a call's dossiers, jury and decisions are one."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from wagtail.models import Site


def _content_language():
    try:
        return translation.get_supported_language_variant(translation.get_language())
    except LookupError:
        return settings.LANGUAGE_CODE


def in_language(path, language):
    """`path` (an address of the public site, with or without its language prefix) at
    `language`'s address: the default language has no prefix (prefix_default_language=False)."""
    prefix = translation.get_language_from_path(path)
    if prefix:
        path = path[len(prefix) + 1 :]
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def page_url(page, request=None):
    """A page's address in the interface's language, whatever its class (a page chooser or a
    parent gives a plain Page, whose address Wagtail gives in the page's own locale)."""
    url = page.get_url(request)
    if not url or not url.startswith("/"):
        return url
    return in_language(url, _content_language())


def source_locale_id(request):
    """The locale the site's pages are written in: that of the site's root page (the one
    Wagtail's routing has already read for this request)."""
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page.locale_id if site is not None else None


class SiteLanguagesMixin:
    """For the site's page models (before Page in the bases)."""

    def original(self, request):
        """This page as written in the site's language (itself, unless it is a translation):
        what lists its children (calls, news) reads, since those are not all translated."""
        locale_id = source_locale_id(request)
        if locale_id is None or self.locale_id == locale_id:
            return self
        return (
            type(self)
            .objects.live()
            .filter(translation_key=self.translation_key, locale_id=locale_id)
            .first()
        ) or self

    def get_url_parts(self, request=None):
        # Wagtail gives a page the address of its own locale; a link drawn in English goes to
        # the English address, where the translation, or else this page, is shown.
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, page_path = parts
        return site_id, root_url, in_language(page_path, _content_language())

    def route(self, request, path_components):
        # Under a translated page, the children not translated yet are found under the page as
        # written in the site's language.
        try:
            return super().route(request, path_components)
        except Http404:
            original = self.original(request) if path_components else self
            if original is self:
                raise
            return original.specific.route(request, path_components)
