"""Exporting a portal: collect its records, write them and its media files to an archive."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import wagtail

from .archive import FORMAT, VERSION, MediaFile, write_archive
from .collect import Snapshot


@dataclass
class Exported:
    manifest: dict[str, Any]
    missing_media: list[str]  # files the records name that storage does not have


def export_portal(
    snapshot: Snapshot,
    path: Path,
    progress: Callable[[int], None] = lambda _done: None,
) -> Exported:
    site = snapshot.site
    media, missing = [], []
    for file_field, name in snapshot.media:
        if file_field.storage.exists(name):
            media.append(MediaFile(name, lambda s=file_field.storage, n=name: s.open(n, "rb")))
        else:
            missing.append(name)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "wagtail": wagtail.__version__,
        "portal": {
            "slug": snapshot.home.industry_slug,
            "name": site.site_name,
            "hostname": site.hostname,
            "port": site.port,
        },
        "with_members": snapshot.with_members,
        "counts": snapshot.counts(),
    }
    data = {"tables": [table.as_data() for table in snapshot.tables]}
    written = write_archive(path, manifest, data, media, progress)
    return Exported(manifest=written, missing_media=missing)
