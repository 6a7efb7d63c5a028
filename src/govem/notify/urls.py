from django.urls import path

from govem.notify import views

app_name = "notify"

urlpatterns = [
    path("notifikasi/push/", views.push_subscription, name="push"),
]
