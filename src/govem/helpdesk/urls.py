from django.urls import path

from govem.helpdesk import views

app_name = "helpdesk"

urlpatterns = [
    path("kendala/", views.report, name="report"),
    path("kendala/<int:ticket_id>/tangkapan-layar/", views.screenshot, name="screenshot"),
    path("monitor/kendala/", views.queue, name="queue"),
    path("monitor/kendala/<int:ticket_id>/", views.detail, name="detail"),
    path("monitor/kendala/<int:ticket_id>/<slug:action>/", views.act, name="act"),
]
