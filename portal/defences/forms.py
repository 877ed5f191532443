"""Defences every public form shares: a honeypot, a minimum fill time, plain text only, and a
key that spots the same submission sent twice."""

import hashlib
import re
import secrets
import time
from datetime import timedelta
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.core.text import refuse_control_characters

from .models import SpentFormToken

SIGNER_SALT = "guildhall.form-started"
FORM_MAX_AGE = 24 * 3600
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def duplicate_key(*parts: object) -> str:
    """A digest of normalised text, equal for submissions that differ only in case or spacing."""
    text = "\x1f".join(" ".join(str(part).lower().split()) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def reject_html(value: str) -> None:
    """Refuse markup in user text: it is shown as plain text, so tags would only confuse."""
    if value and HTML_TAG.search(value):
        raise forms.ValidationError("Plain text only: please remove the HTML tags.")


def spend(nonce: str) -> bool:
    """Record a start token's nonce as used; False if it was used before."""
    try:
        with transaction.atomic():
            SpentFormToken.objects.create(nonce=nonce[:32])
    except IntegrityError:
        return False
    return True


def forget_spent_tokens() -> int:
    """Drop the record of tokens past their life (they are refused as stale anyway)."""
    cutoff = timezone.now() - timedelta(seconds=FORM_MAX_AGE)
    return SpentFormToken.objects.filter(spent_at__lt=cutoff).delete()[0]


class PlainTextMixin(forms.Form):
    """Every text field of the form refuses HTML tags (see ``reject_html``), and control
    characters: line breaks in one-line fields, anything but line breaks and tabs in others."""

    not_text_fields = ("website", "started")

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)
            if (
                isinstance(value, str)
                and isinstance(field, forms.CharField)
                and name not in self.not_text_fields
            ):
                try:
                    reject_html(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        refuse_control_characters(
            self, {k: v for k, v in cleaned.items() if k not in self.not_text_fields}
        )
        return cleaned


class HumanCheckMixin(forms.Form):
    """A honeypot field people never see, and a signed start token: when the form was shown,
    for which form (``token_form``), and a nonce that makes it good for one submission only.
    Bots fill forms too fast, and cannot fetch one token and send it many times.

    Render ``form.human_check()`` inside the ``<form>``.
    """

    token_form: ClassVar[str] = "form"  # which form a start token is good for

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    bot_message = "Your message could not be sent. Please try again in a moment."

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = self.start_token()

    @classmethod
    def start_token(cls) -> str:
        """A signed start token for this form: the time it was shown, its name, a nonce."""
        return signing.dumps(
            [time.time(), cls.token_form, secrets.token_urlsafe(12)], salt=SIGNER_SALT
        )

    def human_check(self):
        """The two hidden fields, with a fresh start time whenever the form is shown."""
        from markupsafe import Markup

        token = self.start_token()
        trap, started = self.add_prefix("website"), self.add_prefix("started")
        return Markup(
            '<div class="hp-field" aria-hidden="true">'
            f'<label for="id_{trap}">Leave this field empty</label>'
            f'<input type="text" name="{trap}" id="id_{trap}" autocomplete="off" tabindex="-1">'
            "</div>"
            f'<input type="hidden" name="{started}" value="{token}">'
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(self.bot_message, code="honeypot")
        stale = forms.ValidationError(
            "This form was open too long or came from elsewhere. Please send it again.",
            code="stale",
        )
        try:
            started, form, nonce = signing.loads(
                cleaned.get("started") or "", salt=SIGNER_SALT, max_age=FORM_MAX_AGE
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise stale from None
        if form != self.token_form:
            raise stale
        if time.time() - float(started) < settings.FORM_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                "That was quicker than a person types. Please check the form and send it again.",
                code="too_fast",
            )
        # Spent by a submission without errors only: one with mistakes is sent again.
        if not self._errors and not spend(str(nonce)):
            raise forms.ValidationError(
                "This form was already sent once. Please check the form and send it again.",
                code="reused",
            )
        return cleaned
