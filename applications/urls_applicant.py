"""URLs of the applicant side of dossiers."""

urlpatterns = []
