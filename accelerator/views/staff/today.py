"""The programme staff's "today" page: what is due now, section by section, each with its count,
its first few items and a link to the full list."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.staff_today import due_today
from accelerator.permissions import is_programme_staff


@login_required
def staff_today(request):
    if not is_programme_staff(request.user):
        raise PermissionDenied
    sections = [
        {
            "name": section.name,
            "title": section.title,
            "count": figures.count,
            "day_label": section.day_label,
            "link": reverse(section.url_name),
            "items": figures.items,
        }
        for section, figures in due_today(timezone.now())
    ]
    return render(
        request,
        "accelerator/staff/today.html",
        {"sections": sections, "total": sum(section["count"] for section in sections)},
    )
