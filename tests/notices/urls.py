from django.urls import path

from . import views

urlpatterns = [path("<slug:section>/notices.csv", views.download, name="notices_csv")]
