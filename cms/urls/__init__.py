"""URLs of the public site's own views: the territorial agenda, its feeds, the directory of actors,
the sitemap and robots.txt (namespace "cms"). Wagtail's catch-all serves the pages, after these."""

from django.urls import include, path

app_name = "cms"

urlpatterns = [
    path("", include("cms.urls.agenda")),
    path("", include("cms.urls.feeds")),
    path("", include("cms.urls.actors")),
    path("", include("cms.urls.site")),
]
