"""URLs of the staff side of calls and dossiers (under /staff/)."""

urlpatterns = []
