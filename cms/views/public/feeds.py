"""RSS and Atom feeds of the agenda (django.contrib.syndication): the latest published entries,
filtered as the agenda page was."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cms.domain import agenda_listing
from cms.domain.text import plain_text
from cms.forms.agenda import AgendaFilterForm

FEED_SIZE = 30


class AgendaFeed(Feed):
    title = _("Territorial agenda")
    description = _("Events, actions and initiatives of the territory's actors.")

    def get_object(self, request):
        form = AgendaFilterForm(request.GET or None)
        return form.agenda_filter() if form.is_bound else None

    def link(self):
        return reverse("cms:agenda")

    def items(self, agenda_filter):
        return agenda_listing.upcoming(agenda_filter).order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return plain_text(entry.description)

    def item_link(self, entry):
        return reverse("cms:agenda_entry", kwargs={"pk": entry.pk})

    def item_pubdate(self, entry):
        return entry.published_at

    def item_updateddate(self, entry):
        return entry.updated_at

    def item_guid(self, entry):
        return f"agenda-entry-{entry.pk}"

    item_guid_is_permalink = False

    def item_categories(self, entry):
        return [str(t.get_theme_display()) for t in entry.themes.all()]


class AgendaAtomFeed(AgendaFeed):
    feed_type = Atom1Feed
    subtitle = AgendaFeed.description
