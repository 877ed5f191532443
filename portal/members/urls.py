from django.urls import path

from . import views

# Included under /members/ with the board's member pages (see portal/urls.py).
urlpatterns = [
    path("join/", views.join, name="join"),
    path("alerts/", views.alert_settings, name="alerts"),
]
