"""The public site's files for robots (the sitemap of every live page, robots.txt), and the
language switch."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from cms.views.site import robots_txt, switch_language

urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("language/<str:language>/", switch_language, name="switch_language"),
]
