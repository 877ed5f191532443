from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("join/", views.join, name="join"),
    path("post/<slug:kind>/", views.post_listing, name="post"),
    path("listings/<int:pk>/edit/", views.edit_listing, name="edit"),
    path("listings/<int:pk>/renew/", views.renew_listing, name="renew"),
    path("listings/<int:pk>/close/", views.close_listing, name="close"),
    path("quotes/<int:pk>/accept/", views.accept_quote, name="accept_quote"),
    path("alerts/", views.alert_settings, name="alerts"),
]
