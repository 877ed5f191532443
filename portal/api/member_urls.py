"""The api pages of the member area, served under /members/ (see portal/urls.py)."""

from django.urls import path

from . import member_views as views

urlpatterns = [
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<id:pk>/revoke/", views.revoke_token, name="api_token_revoke"),
]
