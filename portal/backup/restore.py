"""Restoring a portal from an archive, in one transaction: into a fresh install, beside other
portals (every row gets a new key here), or in place of the same portal (``replace``)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from wagtail.models import Site

from portal.board.models import Inquiry
from portal.core import changes
from portal.core.models import PortalHomePage
from portal.leads.models import Enquiry
from search.sync import reindex_tree

from .archive import Archive, BackupError
from .keys import KeyMap
from .references import base_label
from .removal import portal_in_the_way, remove_portal
from .savers import Restore, saver_for

# What records that do not fit this install's models raise while they are restored.
UNRESTORABLE = (
    KeyError,
    TypeError,
    ValueError,
    DatabaseError,
    DeserializationError,
    ObjectDoesNotExist,
    ValidationError,
)


@dataclass
class Restored:
    home: PortalHomePage
    site: Site
    replaced: bool


def _tables(data: dict[str, Any]) -> list[tuple[Any, list[dict[str, Any]]]]:
    tables = []
    for table in data.get("tables", []):
        try:
            model = apps.get_model(table["model"])
        except (LookupError, ValueError, KeyError):
            raise BackupError(
                f"the archive holds {table.get('model')!r}, which this install does not have"
            ) from None
        tables.append((model, table.get("records", [])))
    return tables


def restore_portal(
    archive: Archive,
    replace: bool = False,
    progress: Callable[[int], None] = lambda _done: None,
) -> Restored:
    """Restore the archive's portal; raises BackupError (and leaves everything as it was) when
    the portal exists and ``replace`` is not given, or when the archive cannot be restored."""
    tables = _tables(archive.data())
    group_names = [
        record["fields"]["name"]
        for model, records in tables
        if model is Group
        for record in records
    ]
    home_record = next(
        (records[0] for model, records in tables if model is PortalHomePage and records), None
    )
    if home_record is None:
        raise BackupError(f"{archive.path}: the archive holds no portal home page")
    restore = Restore(archive, KeyMap(base_label(model) for model, _ in tables))
    try:
        with transaction.atomic():
            existing = portal_in_the_way(archive.portal, group_names)
            if existing is not None:
                if not replace:
                    raise BackupError(
                        f"the portal {archive.portal['slug']!r} already exists here "
                        f"({existing.title}); pass --replace to replace it"
                    )
                remove_portal(existing)
            for position, (model, records) in enumerate(tables):
                save = saver_for(model)
                for record in records:
                    save(restore, model, record)
                    progress(1)
                later = {base_label(m) for m, _ in tables[position + 1 :]}
                restore.keys.pending = later
            restore.keys.apply_fixups()
            home = PortalHomePage.objects.get(
                pk=restore.keys("wagtailcore.page", home_record["pk"])
            )
            site = Site.objects.get(root_page=home)
            for message in [*Inquiry.objects.filter(site=site), *Enquiry.objects.filter(site=site)]:
                message.save(update_fields=["digest"])  # its duplicate key names the page
            reindex_tree(home)
            changes.note(site.pk)  # page caches forget whatever they kept of this host
    except BaseException as error:
        restore.remove_written()
        if isinstance(error, UNRESTORABLE):  # a damaged or hand-edited archive
            reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise BackupError(
                f"{archive.path}: cannot be restored ({type(error).__name__}: {reason})"
            ) from error
        raise
    return Restored(home=home, site=site, replaced=existing is not None)
