from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from accelerator.domain.impact_publication import publication_changed

        # The room's predicates register with django-rules on import: before any page asks them.
        from cms import permissions  # noqa: F401
        from cms.domain.page_cache import forget_public_pages
        from cms.domain.site_chrome import forget_site_chrome
        from cms.models import Actor, AgendaEntry, PortfolioConsent, SiteSettings

        # The cached menu and footer (cms.domain.site_chrome) link pages: a publication or a
        # withdrawal redraws them. Wagtail tells it by these signals, wherever it happens.
        page_published.connect(forget_site_chrome, dispatch_uid="cms-chrome-published")
        page_unpublished.connect(forget_site_chrome, dispatch_uid="cms-chrome-unpublished")

        # The cached public pages (essor/page_cache.py) show pages, the menu and footer, agenda
        # entries, actors and the portfolio's consents. Wagtail deletes a page by unpublishing it
        # first. Entries, actors and consents change through their domain functions, but staff
        # also edit actors and consents in Wagtail's snippets: a signal hears every one of these.
        for signal, name in (
            (page_published, "published"),
            (page_unpublished, "unpublished"),
            (post_page_move, "moved"),
        ):
            signal.connect(forget_public_pages, dispatch_uid=f"cms-pages-{name}")
        # The portfolio and the home page's figures show the figures structures made public.
        publication_changed.connect(forget_public_pages, dispatch_uid="cms-pages-figures")
        for model in (SiteSettings, AgendaEntry, Actor, PortfolioConsent):
            for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
                signal.connect(
                    forget_public_pages,
                    sender=model,
                    dispatch_uid=f"cms-pages-{model._meta.model_name}-{name}",
                )
