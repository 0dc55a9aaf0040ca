"""The signed-in person's home: their structures, their dossiers, what is waiting for them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accelerator.models import Membership


@login_required
def dashboard(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("structure", "structure__department")
        .order_by("structure__name")
    )
    return render(request, "accelerator/dashboard.html", {"memberships": memberships})
