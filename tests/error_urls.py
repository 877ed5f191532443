"""The project's URLs plus one that fails, to see the 500 page (tests/test_bad_input.py)."""

from django.urls import path

from portal.urls import handler404, handler500
from portal.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project_urls]

__all__ = ["handler404", "handler500", "urlpatterns"]
