"""Wagtail's image form, answering an upload that is no readable image with a form error (the
file field's own checks let the imaging library's errors through, which was a 500)."""

import struct
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.forms import BaseImageForm

UNREADABLE = "This file could not be read as an image; it may be damaged. Please upload another."
DECODE_ERRORS = (OSError, SyntaxError, ValueError, struct.error, PILImage.DecompressionBombError)


def readable(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check(data: Any) -> Any:
        try:
            return to_python(data)
        except DECODE_ERRORS:
            raise ValidationError(UNREADABLE, code="invalid_image") from None

    return check


class ImageForm(BaseImageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].to_python = readable(self.fields["file"].to_python)
