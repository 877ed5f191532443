"""Public endpoints of the sponsored app: its counters (under ``/sponsored/``)."""

from django.urls import path

from . import views

app_name = "sponsored"

urlpatterns = [
    path("seen/<str:token>.gif", views.seen, name="seen"),
    path("go/<str:token>/", views.go, name="go"),
]
