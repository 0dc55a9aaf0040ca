"""Who may enter the staff side: programme staff only."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def staff_required(view):
    """Anonymous people are sent to log in; signed-in people who are not staff get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("applications.manage_dossiers"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
