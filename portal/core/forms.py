"""Admin page form that keeps every choice inside the page's own portal."""

from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page, Site


class PortalPageForm(WagtailAdminPageForm):
    """Limits taxonomy, region and company choices, units and currencies to the page's portal.

    Any model choice field whose model has a ``site`` foreign key is filtered to this portal;
    page choice fields are limited to pages under this portal's root.
    """

    choice_settings = {"unit": "unit_choices", "currency": "currency_choices"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self._portal_site()
        if site is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            model = queryset.model
            if any(f.name == "site" for f in model._meta.get_fields()):
                field.queryset = queryset.filter(site=site)
                if any(f.name == "is_active" for f in model._meta.get_fields()):
                    field.queryset = field.queryset.filter(is_active=True)
            elif issubclass(model, Page):
                field.queryset = queryset.descendant_of(site.root_page)
        self._limit_setting_choices(site)

    def _portal_site(self) -> Site | None:
        page = self.instance if self.instance.pk else getattr(self, "parent_page", None)
        return page.get_site() if page is not None and page.pk else None

    def _limit_setting_choices(self, site: Site) -> None:
        from .models import PortalSettings

        settings = PortalSettings.for_site(site)
        for name, method in self.choice_settings.items():
            if name not in self.fields:
                continue
            choices = getattr(settings, method)()
            current = getattr(self.instance, name, "")
            if current and current not in dict(choices):
                choices.append((current, f"{current} (no longer offered)"))
            field = self.fields[name]
            self.fields[name] = forms.ChoiceField(
                choices=[("", "---------"), *choices],
                required=field.required,
                label=field.label,
                help_text=field.help_text,
            )
