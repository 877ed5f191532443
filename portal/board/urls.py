from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("listings/<id:pk>/inquiry/", views.send_inquiry, name="inquiry"),
    path("listings/<id:pk>/quote/", views.send_quote, name="quote"),
    path("form-token/", views.form_token, name="form_token"),
]
