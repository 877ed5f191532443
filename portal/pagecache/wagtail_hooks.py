from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page


@hooks.register("before_serve_page", order=-100)
def mark_page_request(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """A portal page may be shared (see ``policy.shares_view``); the 410 of a closed listing
    and the 404 page too, which other hooks answer after this one."""
    request.serves_page = True
