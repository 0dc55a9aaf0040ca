"""Root URLs: accounts, the applicant and staff spaces, the Wagtail admin, then the public site,
whose addresses exist once per language (French without a prefix, English under /en/)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from essor.health import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accelerator.urls")),
    path("", include("applications.urls")),
    path("", include("workers.urls")),
    path("", include("cms.urls.portfolio")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The site's own views (agenda, directory, feeds), then Wagtail's pages, which catch the rest.
urlpatterns += i18n_patterns(
    path("", include("cms.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# Error pages in the site's layout and in the visitor's language (essor/errors.py);
# allauth's rate limits look up handler429 here too.
handler400 = "essor.errors.bad_request"
handler403 = "essor.errors.permission_denied"
handler404 = "essor.errors.page_not_found"
handler429 = "essor.errors.too_many_requests"
handler500 = "essor.errors.server_error"
