"""Each portal's verifiers (a group) and evidence collection (private: see ``evidence.py``).
The requests and checks themselves are the directory's (``portal/directory/requests.py``,
``checks.py``)."""

from django.contrib.auth.models import Group
from django.db import models
from wagtail.models import Collection, Site


class Verifiers(models.Model):
    """The people who check a portal's companies, as a Wagtail group, and the collection
    that holds the evidence members upload (only they, and superusers, may read it)."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="+")
    collection = models.OneToOneField(
        Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "verifiers"

    def __str__(self) -> str:
        return self.group.name
