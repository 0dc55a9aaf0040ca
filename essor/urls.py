"""Root URLs: accounts, the applicant and staff spaces, the Wagtail admin, then the public site."""

from django.conf import settings
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
    path("", include("cms.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# Error pages in the site's layout and in the visitor's language (essor/errors.py);
# allauth's rate limits look up handler429 here too.
handler400 = "essor.errors.bad_request"
handler403 = "essor.errors.permission_denied"
handler404 = "essor.errors.page_not_found"
handler429 = "essor.errors.too_many_requests"
handler500 = "essor.errors.server_error"
