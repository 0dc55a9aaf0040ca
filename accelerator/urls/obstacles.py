"""URLs of the journey: regulatory obstacles (included in accelerator.urls, namespace
"accelerator")."""

from django.urls import path

from accelerator.views.staff import obstacles

urlpatterns = [
    path("obstacles/", obstacles.obstacle_list, name="obstacle_list"),
    path("obstacles/export/", obstacles.obstacle_export, name="obstacle_export"),
    path("obstacles/<int:pk>/", obstacles.obstacle_detail, name="obstacle"),
    path("obstacles/<int:pk>/move/", obstacles.obstacle_move, name="obstacle_move"),
    path(
        "accompaniments/<int:pk>/obstacles/new/",
        obstacles.obstacle_report,
        name="obstacle_report",
    ),
]
