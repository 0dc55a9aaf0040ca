"""When the public site's kept pages (essor/page_cache.py) are forgotten: every key carries a
generation stored in the cache, and forgetting them all is writing a new generation; the old pages
expire on their own. cms/apps.py forgets them when a page, the site's settings, an agenda entry or
an actor changes."""

import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "cms:public-pages:generation"


def page_generation():
    """The current generation, or None when the cache is out of reach."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add: two first requests at once agree on one generation.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def forget_public_pages(**_signal):
    """Every public page is drawn again at its next request. Again once the transaction commits:
    a visitor's request during the transaction may have kept the old page under the new
    generation."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
