"""URLs of dossiers: the applicant's side and the staff's side, each in its own module."""

from applications.urls_applicant import urlpatterns as applicant_patterns
from applications.urls_staff import urlpatterns as staff_patterns

app_name = "applications"

urlpatterns = applicant_patterns + staff_patterns
