"""The alerts pages of the member area, served under /members/ (see portal/urls.py)."""

from django.urls import path

from . import member_views

urlpatterns = [
    path("saved-alerts/", member_views.alert_list, name="saved_alerts"),
    path("saved-alerts/new/", member_views.create, name="saved_alert_create"),
    path("saved-alerts/<id:pk>/", member_views.edit, name="saved_alert"),
    path("saved-alerts/<id:pk>/pause/", member_views.pause, name="saved_alert_pause"),
    path("saved-alerts/<id:pk>/delete/", member_views.delete, name="saved_alert_delete"),
]
