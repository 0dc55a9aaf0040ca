"""Regulatory obstacles: the addresses of their pages, and their states by a short name."""

from django.urls import reverse

from accelerator.models import ObstacleState

O = ObstacleState  # noqa: E741


def report_url(accompaniment):
    return reverse("accelerator:obstacle_report", kwargs={"pk": accompaniment.pk})


def obstacle_url(obstacle):
    return reverse("accelerator:obstacle", kwargs={"pk": obstacle.pk})


def move_url(obstacle):
    return reverse("accelerator:obstacle_move", kwargs={"pk": obstacle.pk})


LIST_URL = reverse("accelerator:obstacle_list")
EXPORT_URL = reverse("accelerator:obstacle_export")
