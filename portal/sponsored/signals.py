"""A sponsorship or house ad saved or deleted changes what its portal's lists show."""

from django.db.models.signals import post_delete, post_save

from portal.core import changes
from portal.core.models.shared import changed as shared_values_changed

from .models import HouseAd, Sponsorship


def _changed(sender, instance, **kwargs) -> None:
    changes.note(instance.site_id)
    shared_values_changed()  # the slots each process keeps (``slots.running``)


def connect() -> None:
    for model in (Sponsorship, HouseAd):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"sponsored-{model.__name__}")
