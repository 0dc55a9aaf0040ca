"""URLs of each role's landing: the page after log-in, the role switch, the staff's "today" and
the support point's territory (included in accelerator.urls, namespace "accelerator")."""

from django.urls import path

from accelerator.views.applicant import landing
from accelerator.views.staff import today
from accelerator.views.support_point import territory

urlpatterns = [
    path("welcome/", landing.landing, name="landing"),
    path("role/", landing.role_switch, name="role_switch"),
    path("staff/today/", today.staff_today, name="staff_today"),
    path("territory/", territory.territory, name="territory"),
]
