from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        # The room's predicates register with django-rules on import: before any page asks them.
        from cms import permissions  # noqa: F401
        from cms.domain.site_chrome import forget_site_chrome

        # The cached menu and footer (cms.domain.site_chrome) link pages: a publication or a
        # withdrawal redraws them. Wagtail tells it by these signals, wherever it happens.
        page_published.connect(forget_site_chrome, dispatch_uid="cms-chrome-published")
        page_unpublished.connect(forget_site_chrome, dispatch_uid="cms-chrome-unpublished")
