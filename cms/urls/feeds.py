"""URLs of the agenda's feeds: iCalendar for calendar applications, RSS and Atom for readers."""

from django.urls import path

from cms.views.public import agenda, feeds

urlpatterns = [
    path("agenda/agenda.ics", agenda.agenda_ical, name="agenda_ical"),
    path("agenda/<int:pk>/entry.ics", agenda.agenda_entry_ical, name="agenda_entry_ical"),
    path("agenda/rss/", feeds.AgendaFeed(), name="agenda_rss"),
    path("agenda/atom/", feeds.AgendaAtomFeed(), name="agenda_atom"),
]
