"""Public endpoints of the leads app."""

urlpatterns: list = []
