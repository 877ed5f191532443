"""Per-portal settings: look (theme, palette, logo) and listing rules (units, currencies...)."""

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from themes.registry import theme_choices

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")

INCOTERMS = [
    ("EXW", "EXW: Ex Works"),
    ("FCA", "FCA: Free Carrier"),
    ("CPT", "CPT: Carriage Paid To"),
    ("CIP", "CIP: Carriage and Insurance Paid To"),
    ("DAP", "DAP: Delivered at Place"),
    ("DPU", "DPU: Delivered at Place Unloaded"),
    ("DDP", "DDP: Delivered Duty Paid"),
    ("FAS", "FAS: Free Alongside Ship"),
    ("FOB", "FOB: Free on Board"),
    ("CFR", "CFR: Cost and Freight"),
    ("CIF", "CIF: Cost, Insurance and Freight"),
]


def _made_by_launch(model: str) -> models.ForeignKey:
    """A link to something launch_portal created for the portal; not edited in the admin."""
    return models.ForeignKey(
        model, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    theme = models.CharField(max_length=60, default="base", choices=theme_choices)
    tagline = models.CharField(max_length=255, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    colour_primary = models.CharField(
        "primary colour", max_length=7, default="#1f3b57", validators=[hex_colour]
    )
    colour_accent = models.CharField(
        "accent colour", max_length=7, default="#c45a12", validators=[hex_colour]
    )
    colour_background = models.CharField(
        "background colour", max_length=7, default="#ffffff", validators=[hex_colour]
    )
    colour_text = models.CharField(
        "text colour", max_length=7, default="#1b1f24", validators=[hex_colour]
    )
    units = models.JSONField(default=list, blank=True, help_text="[{code, name}, ...]")
    currencies = models.JSONField(default=list, blank=True, help_text='["USD", "EUR", ...]')
    sell_offer_days = models.PositiveIntegerField(default=60)
    buy_request_days = models.PositiveIntegerField(default=30)
    quote_cap = models.PositiveIntegerField(default=20)
    # What launch_portal made for this portal, so a renamed industry keeps its groups and media.
    collection = _made_by_launch("wagtailcore.Collection")
    editors_group = _made_by_launch("auth.Group")
    moderators_group = _made_by_launch("auth.Group")

    panels = [
        MultiFieldPanel(
            [FieldPanel("theme"), FieldPanel("tagline"), FieldPanel("logo")], heading="Look"
        ),
        MultiFieldPanel(
            [
                FieldPanel("colour_primary"),
                FieldPanel("colour_accent"),
                FieldPanel("colour_background"),
                FieldPanel("colour_text"),
            ],
            heading="Palette",
        ),
        MultiFieldPanel(
            [
                FieldPanel("sell_offer_days"),
                FieldPanel("buy_request_days"),
                FieldPanel("quote_cap"),
            ],
            heading="Listing rules",
        ),
    ]

    class Meta:
        verbose_name = "portal settings"
        verbose_name_plural = "portal settings"

    def unit_choices(self) -> list[tuple[str, str]]:
        return [(unit["code"], f"{unit['name']} ({unit['code']})") for unit in self.units]

    def currency_choices(self) -> list[tuple[str, str]]:
        return [(code, code) for code in self.currencies]

    def palette_css(self) -> str:
        """CSS custom properties for the palette, for a ``<style>`` in the page head."""
        return (
            f":root{{--colour-primary:{self.colour_primary};--colour-accent:{self.colour_accent};"
            f"--colour-background:{self.colour_background};--colour-text:{self.colour_text}}}"
        )
