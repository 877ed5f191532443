"""A URL configuration whose links depend on the language (tests/test_speedups.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path


def about(request):
    return HttpResponse("about")


urlpatterns = i18n_patterns(path("about/", about, name="about"))
