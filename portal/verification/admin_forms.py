"""The admin's forms: recording a check, revoking one, deciding a request."""

from django import forms
from django.core.exceptions import ValidationError

from portal.directory.models import RequestStatus, VerificationCheck, VerificationRequest


class CheckForm(forms.ModelForm):
    """A new check; ``company`` offers only the companies of the verifier's portals."""

    class Meta:
        model = VerificationCheck
        fields = [
            "company",
            "scope",
            "checked_by",
            "checked_on",
            "expires_on",
            "registry",
            "registration_number",
            "inspector",
            "note",
        ]
        widgets = {
            "checked_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, for_user=None, companies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies.order_by("title")


class RevokeForm(forms.ModelForm):
    """A check is never changed nor deleted: it may only be revoked, with a reason."""

    class Meta:
        model = VerificationCheck
        fields = ["revoked_on", "revoked_reason"]
        widgets = {"revoked_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, for_user=None, companies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.was_revoked = bool(self.instance.revoked_on)
        self.fields["revoked_on"].required = True
        self.fields["revoked_reason"].required = True

    def clean(self) -> dict:
        if self.was_revoked:
            raise ValidationError("This check is revoked already; a revocation stands.")
        return super().clean()


class DecisionForm(forms.ModelForm):
    """A verifier moves a request on: in review, verified, or rejected with a reason."""

    class Meta:
        model = VerificationRequest
        fields = ["status", "reason"]

    def __init__(self, *args, for_user=None, companies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == RequestStatus.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the request is rejected: the member sees it.")
        return data
