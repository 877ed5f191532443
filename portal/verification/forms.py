"""The member's request form: the registration to check, a note, and evidence files."""

from django import forms
from django.core.exceptions import ValidationError

from portal.directory.models import VerificationRequest

from .evidence import MAX_FILES, SIGNATURES, check_upload, max_bytes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Up to ``MAX_FILES`` files, each checked for size and type."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError("Attach at least one document, e.g. a registry extract.")
        if len(files) > MAX_FILES:
            raise ValidationError(f"At most {MAX_FILES} files.")
        errors = []
        for upload in files:
            try:
                check_upload(super().clean(upload, initial))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return list(files)


class VerificationRequestForm(forms.ModelForm):
    files = EvidenceField(
        label="Evidence",
        help_text=(
            f"A registry extract and any other documents: PDF, PNG or JPEG, at most "
            f"{MAX_FILES} files of {max_bytes() // (1024 * 1024)} MB each. Only the portal's "
            "verifiers see them."
        ),
        widget=MultipleFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in SIGNATURES)}
        ),
    )

    class Meta:
        model = VerificationRequest
        fields = ["registry", "registration_number", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
