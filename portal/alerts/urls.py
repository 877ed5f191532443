from django.urls import path

from . import views
from .feeds import AlertFeed

app_name = "alerts"

urlpatterns = [
    path("new/", views.new_alert, name="new"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("form-token/", views.form_token, name="form_token"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:token>/atom.xml", AlertFeed(), name="feed"),  # tokens are URL-safe base64
]
