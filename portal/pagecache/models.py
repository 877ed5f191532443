from django.db import models
from wagtail.models import Site


class PurgeSnapshot(models.Model):
    """What a portal's public URLs showed when its cache was last purged: each path's stamp
    and link stamp (see ``portal/export/targets.py``), and the stamp of what every page shows.
    The next change is compared with it to find the paths to purge."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="purge_snapshots")
    # Which page cache was purged from it (PAGE_CACHE): a process configured for another
    # cache keeps its own snapshot instead of using up this one.
    cache = models.CharField(max_length=20)
    portal_stamp = models.CharField(max_length=64)
    stamps = models.JSONField(default=dict)  # {path: [stamp, link stamp, page id]}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "cache"], name="one_purge_snapshot_per_cache")
        ]

    def __str__(self) -> str:
        return f"purge snapshot of {self.site}"
