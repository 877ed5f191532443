"""The plans pages of the member area, served under /members/ (see portal/urls.py)."""

from django.urls import path

from . import member_views

urlpatterns = [path("plan/", member_views.your_plan, name="your_plan")]
