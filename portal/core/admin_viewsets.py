"""Admin viewsets of rows that belong to portals, kept inside each user's portals: a URL
naming another portal's row answers 404, whatever the view."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet


class ScopedViewSet(ModelViewSet):
    """Every URL naming an object answers 404 unless :meth:`visible` (the rows ``user`` may
    see) holds it; the views named in ``refuse`` answer 403 with ``refused_message``.
    Copying is off."""

    refuse: tuple[str, ...] = ()
    refused_message = "This is not done here."
    copy_view_enabled = False

    def visible(self, user) -> QuerySet:
        raise NotImplementedError

    def get_urlpatterns(self) -> list:
        patterns = []
        for pattern in super().get_urlpatterns():
            view = self.refused if pattern.name in self.refuse else pattern.callback
            patterns.append(path(str(pattern.pattern), self.guard(view), name=pattern.name))
        return patterns

    def refused(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        raise PermissionDenied(self.refused_message)

    def guard(self, view: Callable) -> Callable:
        """``view``, answering 404 for an object ``pk`` the user may not see."""
        visible = self.visible

        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            pk = kwargs.get("pk")
            if pk is not None and not visible(request.user).filter(pk=pk).exists():
                raise Http404("No such record.")
            return view(request, *args, **kwargs)

        return guarded
