"""The member's product form: plain text, the portal's categories, units and currencies, the
specification as "name: value" lines, and up to ``MAX_IMAGES`` pictures."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from portal.core.images import readable
from portal.core.models import PortalSettings
from portal.core.page_forms import NewPageFormMixin, leaf_categories
from portal.core.text import control_character_error
from portal.defences.forms import PlainTextMixin, reject_html

from .models import MAX_IMAGES, MAX_SPEC_ROWS, ProductPage

PRODUCT_FIELDS = [
    "title",
    "category",
    "summary",
    "specification",
    "moq",
    "unit",
    "price_min",
    "price_max",
    "currency",
]
SPEC_SEPARATORS = re.compile(r"[\r\n;]+")


def parse_specification(text: str) -> list[list[str]]:
    """``"Grade: S355JR; Width: 1500 mm"`` (or one pair a line) as ``[[name, value], ...]``;
    ValidationError naming the first part that is no "name: value" pair."""
    rows = []
    for part in SPEC_SEPARATORS.split(text or ""):
        if not part.strip():
            continue
        if error := control_character_error(part, single_line=True):
            raise ValidationError(error)
        name, colon, value = part.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise ValidationError(f"Write “{part.strip()[:40]}” as “name: value”.")
        rows.append([name.strip(), value.strip()])
    if len(rows) > MAX_SPEC_ROWS:
        raise ValidationError(f"At most {MAX_SPEC_ROWS} rows of specification.")
    return rows


def specification_text(rows: list) -> str:
    """The specification as the form (and a products file) writes it: one pair a line."""
    return "\n".join(f"{name}: {value}" for name, value in rows or [])


class SpecificationField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value: Any) -> Any:
        return specification_text(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[list[str]]:
        text = super().to_python(value)
        reject_html(text)
        return parse_specification(text)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Several image files from one input, each checked as Wagtail checks an image."""

    widget = MultipleImageInput

    def clean(self, data: Any, initial: Any = None) -> list:
        uploads = data if isinstance(data, list | tuple) else [data]
        check = WagtailImageField(required=False)
        check.to_python = readable(check.to_python)
        return [check.clean(upload) for upload in uploads if upload]


class ProductForm(PlainTextMixin, NewPageFormMixin, forms.ModelForm):
    """A product as a member types it; choices come from one portal."""

    specification = SpecificationField(
        required=False,
        help_text="One “name: value” a line, e.g. “Grade: S355JR”.",
    )

    class Meta:
        model = ProductPage
        fields = PRODUCT_FIELDS
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        labels = {"title": "Product name", "moq": "Minimum order"}
        help_texts = {
            "price_min": "Leave the price empty for “price on request”.",
            "unit": "The unit of the minimum order and the price.",
        }

    def __init__(self, *args: Any, portal: PortalSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.portal = portal
        self.fields["category"].queryset = leaf_categories(portal.site)
        self.fields["unit"] = forms.ChoiceField(
            choices=[("", "—"), *portal.unit_choices()],
            required=False,
            help_text=self.fields["unit"].help_text,
        )
        self.fields["currency"] = forms.ChoiceField(
            choices=[("", "—"), *portal.currency_choices()], required=False
        )

    def page_errors(self) -> dict[str, str]:
        return self.instance.product_errors()


class ProductImagesForm(forms.Form):
    """New pictures for a product (and, when editing, which of its pictures to drop)."""

    images = ImagesField(
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=f"Up to {MAX_IMAGES} pictures (JPEG, PNG or WebP).",
    )
    remove = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Remove these pictures"
    )

    def __init__(self, *args: Any, current: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current or []
        self.fields["remove"].choices = [(str(image.pk), image.title) for image in self.current]
        if not self.current:
            del self.fields["remove"]

    def clean(self) -> dict:
        cleaned = super().clean()
        kept = len(self.current) - len(cleaned.get("remove") or [])
        if kept + len(cleaned.get("images") or []) > MAX_IMAGES:
            self.add_error("images", f"A product has at most {MAX_IMAGES} pictures.")
        return cleaned

    def gallery(self, collection, user, title: str) -> list:
        """The product's pictures after this form: those kept, then the new ones, stored in
        the portal's ``collection``."""
        removed = set(self.cleaned_data.get("remove") or [])
        kept = [image for image in self.current if str(image.pk) not in removed]
        image_model = get_image_model()
        added = []
        for number, upload in enumerate(self.cleaned_data.get("images") or [], start=1):
            image = image_model(
                title=f"{title} ({len(kept) + number})"[:255],
                file=upload,
                collection=collection,
                uploaded_by_user=user,
            )
            image.save()
            added.append(image)
        return kept + added
