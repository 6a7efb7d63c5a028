from django.urls import path

from govem.schedules import views

app_name = "schedules"

urlpatterns = [
    path("kalender/<int:year>/", views.year_view, name="year"),
]
