"""The project's URLs with no `applications:start_dossier`: the call page must still render."""

from django.urls import URLPattern, URLResolver, include, path

from essor import urls as root


def _without_start_dossier(patterns):
    kept = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "start_dossier":
            continue
        if isinstance(pattern, URLResolver) and pattern.namespace == "applications":
            pattern = path(
                "", include((_without_start_dossier(pattern.url_patterns), "applications"))
            )
        kept.append(pattern)
    return kept


urlpatterns = _without_start_dossier(root.urlpatterns)
