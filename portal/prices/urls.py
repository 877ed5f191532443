from django.urls import path

from . import downloads

urlpatterns = [
    # Under ``data/``, so that other sections' downloads (``<section>/<name>.csv``) are theirs.
    path("<slug:section>/data/<slug:series>.csv", downloads.series_csv, name="price_series_csv"),
    path("<slug:section>/data/<slug:series>.json", downloads.series_json, name="price_series_json"),
]
