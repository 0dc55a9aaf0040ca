"""What every public page shares and staff edit in the Wagtail admin (Settings → Site):
the header and footer menus, the footer's text and legal pages, and the social card's defaults."""

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField

from cms.blocks import LinkBlock


@register_setting(icon="list-ul")
class SiteSettings(BaseGenericSetting):
    """One row for the whole site. Its menu and footer are kept in the cache
    (cms.domain.site_chrome) under CHROME_CACHE_KEY, forgotten when the row is saved."""

    CHROME_CACHE_KEY = "cms:site-chrome"

    header_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("main menu"),
        help_text=_("Shown to visitors in the header, before the sign-in links."),
    )
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("footer menu"))
    footer_text = models.CharField(
        _("footer text"),
        max_length=300,
        blank=True,
        help_text=_("One line about the programme and who runs it."),
    )
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("legal notices page"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice page"),
    )
    # A standard page: the footer reads its conformity level, which the law asks to show there.
    accessibility_page = models.ForeignKey(
        "cms.StandardPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accessibility statement page"),
    )
    default_description = models.CharField(
        _("default description"),
        max_length=300,
        blank=True,
        help_text=_("For search engines and social networks, when a page has none of its own."),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("social network image"),
        help_text=_("Shown when a page is shared, when it has no image of its own."),
    )

    panels = [
        FieldPanel("header_links"),
        MultiFieldPanel(
            [
                FieldPanel("footer_links"),
                FieldPanel("footer_text"),
                FieldPanel("legal_notice_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Footer"),
        ),
        MultiFieldPanel(
            [FieldPanel("default_description"), FieldPanel("social_image")],
            heading=_("Search engines and social networks"),
        ),
    ]

    class Meta:
        verbose_name = _("site")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # What every page shows of these settings is cached: forget it once the change is kept.
        transaction.on_commit(self.forget_chrome)

    @classmethod
    def forget_chrome(cls):
        cache.delete_many([f"{cls.CHROME_CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])
