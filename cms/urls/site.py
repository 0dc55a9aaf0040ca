"""The public site's files for robots: the sitemap of every live page, and robots.txt."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from cms.views.site import robots_txt

urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
