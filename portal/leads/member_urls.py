"""The leads pages of the member area, served under /members/ (see portal/urls.py)."""

urlpatterns: list = []
