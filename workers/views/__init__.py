"""The notification pages, by who uses them: `people` (the bell, the list, preferences,
unsubscribing) and `staff` (what was sent about a dossier, a structure or a person)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# A person's notices, or the messages about one structure, grow without end: pages are counted up
# to this many rows, so a page's time does not grow with years of history (the last page listed
# is the cap's; older rows stay in the database and in the Django admin).
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (a COUNT over a LIMIT), so counting costs the same at a
    thousand rows and at a million."""

    @cached_property
    def count(self):
        return self.object_list[:COUNT_CAP].count()
