from django.urls import path

from govem.monitor import review_views, views

app_name = "monitor"

urlpatterns = [
    path("monitor/", views.dashboard, name="dashboard"),
    path("monitor/feed", views.feed, name="feed"),
    path("monitor/peta/", views.map_view, name="map"),
    path("monitor/belum-presensi/", views.not_yet, name="not-yet"),
    path(
        "monitor/pegawai/<int:employee_id>/<str:day>/",
        views.employee_day,
        name="employee-day",
    ),
    path("monitor/tinjauan/", review_views.queue, name="review-queue"),
    path("monitor/tinjauan/<int:punch_id>/", review_views.decide, name="review-decide"),
]
