from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("listings/<int:pk>/inquiry/", views.send_inquiry, name="inquiry"),
    path("listings/<int:pk>/quote/", views.send_quote, name="quote"),
    path("form-token/", views.form_token, name="form_token"),
]
