"""URLs of a structure's consent to the public portfolio, beside its page in the applicant
space (namespace "portfolio"): pages of the application, at one address in every language, so
outside the public site's per-language addresses (essor/urls.py)."""

from django.urls import path

from cms.views.applicant import portfolio_consent

app_name = "portfolio"

urlpatterns = [
    path("structures/<int:pk>/portfolio/", portfolio_consent.consent, name="consent"),
    path(
        "structures/<int:pk>/portfolio/withdraw/",
        portfolio_consent.withdraw,
        name="withdraw",
    ),
]
