from django.urls import path, re_path

from .api import api, unknown_endpoint
from .docs import docs

urlpatterns = [
    path("v1/docs", docs, name="api_docs"),
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
