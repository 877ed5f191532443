"""The catalogue's Wagtail hooks: what it adds to company pages (see ``page_context.py``)."""

from wagtail import hooks

from portal.core.models import PAGE_CONTEXT_HOOK

from .page_context import company_context

hooks.register(PAGE_CONTEXT_HOOK, company_context)
