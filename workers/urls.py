"""The notification pages: the bell's list, opening one notice, preferences, unsubscribing, and
the staff's delivery history."""

from django.urls import path

from workers.views import choices, people, staff

app_name = "workers"

urlpatterns = [
    path("notifications/", people.notification_list, name="notifications"),
    path("notifications/latest/", people.latest, name="notifications_latest"),
    path("notifications/read-all/", people.read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", people.open_notification, name="notification_open"),
    path("notifications/preferences/", choices.preferences_page, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", choices.unsubscribe, name="unsubscribe"),
    # Staff: what was sent about a dossier ("dossier:<id>"), within a structure, to a person.
    path(
        "staff/notifications/dossier/<int:pk>/",
        staff.dossier_history,
        name="deliveries_dossier",
    ),
    path(
        "staff/notifications/structure/<int:pk>/",
        staff.structure_history,
        name="deliveries_structure",
    ),
    path(
        "staff/notifications/person/<int:pk>/",
        staff.person_history,
        name="deliveries_person",
    ),
    path("staff/notifications/messages/<int:pk>/retry/", staff.retry, name="delivery_retry"),
]
