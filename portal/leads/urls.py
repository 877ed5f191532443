"""Public endpoints of the leads app: enquiries from franchise and investment pages."""

from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("<id:pk>/", views.send_enquiry, name="enquiry"),
    path("form-token/", views.form_token, name="form_token"),
]
