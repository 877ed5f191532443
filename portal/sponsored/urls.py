"""Public endpoints of the sponsored app."""

urlpatterns: list = []
