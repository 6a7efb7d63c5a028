from __future__ import annotations

from django.urls import path

from govem.events import views

app_name = "events"

urlpatterns = [
    path("acara/", views.event_list, name="list"),
    path("acara/<int:event_id>/", views.detail, name="detail"),
    path("acara/<int:event_id>/hadir", views.checkin, name="checkin"),
    path("acara/<int:event_id>/tinjau/<int:checkin_id>", views.review, name="review"),
]
