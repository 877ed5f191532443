"""Fragments carried from one build of a portal to the next: the cards of its lists.

A build after one change renders again every list page whose items moved (an unpublished
listing shifts every later page of its section), and those pages show cards that did not
change. Each card is kept under what it is made of (``portal.rendering.kept_fragment``): its
template (by name), its page and that page's stamp (revision, publication, title, state, URL
path). The store itself holds the portal stamp it was made under and the day: any change to
the product's code, the portal's settings or taxonomy, the build options, or the date starts
an empty store, so a card never outlives what it was rendered with.

The store is one file beside the build folders (``fragments.bin``), written once a build has
rendered and checked its files; a build with ``--full`` renders every card and writes a new
store. Cards showing an image are not stored (see ``Cards.gather``).
"""

import logging
import os
from datetime import date
from pathlib import Path

import orjson
from django.conf import settings

from portal.rendering import ExportMemo

from .stamps import digest
from .targets import Target

logger = logging.getLogger(__name__)

FILE = "fragments.bin"
FORMAT = 1


def item_stamps(targets: list[Target]) -> dict[int, str]:
    """What a card of each page of the build is made of, by page id."""
    return {t.page_id: digest(t.link_stamp, t.path) for t in targets if t.detail and t.page_id}


def store_stamp(portal: str) -> str:
    return digest(FORMAT, portal, date.today().isoformat())


def load(folder: Path, stamp: str) -> dict[str, str]:
    """The fragments stored in ``folder`` under ``stamp`` (none when the store was made under
    another, or cannot be read)."""
    try:
        data = orjson.loads((folder / FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("stamp") != stamp:
        return {}
    fragments = data.get("fragments")
    return fragments if isinstance(fragments, dict) else {}


def save(folder: Path, stamp: str, fragments: dict[str, str]) -> None:
    """Store ``fragments`` for the next build. The store only saves work: a build whose
    store cannot be written (a full disk) goes on, and the next one renders its cards."""
    partial = folder / (FILE + ".tmp")
    try:
        partial.write_bytes(orjson.dumps({"stamp": stamp, "fragments": fragments}))
        os.replace(partial, folder / FILE)
    except OSError as error:
        partial.unlink(missing_ok=True)
        (folder / FILE).unlink(missing_ok=True)
        logger.warning("cards not stored for the next build: %s", error)


class Cards:
    """The fragments of one build: those carried from earlier builds, lent to each renderer,
    and those the renderers made, gathered to be stored."""

    def __init__(self, stamps: dict[int, str], carried: dict[str, str]) -> None:
        self.stamps, self.carried = stamps, carried
        self.made: dict[str, str] = {}

    def lend(self, memo: ExportMemo) -> None:
        memo.stamps, memo.carried = self.stamps, self.carried

    def gather(self, made: dict[str, str]) -> None:
        """Keep the cards a renderer made, but those showing an image: its renditions may be
        replaced without a new revision of the page (a new file for the image), and a card
        linking to a deleted rendition would fail the build's link check."""
        media = settings.MEDIA_URL
        self.made.update((name, html) for name, html in made.items() if media not in html)

    def kept(self) -> dict[str, str]:
        return {**self.carried, **self.made}

    def unchanged(self) -> bool:
        """Whether the store read at the start holds every card to keep: nothing was made
        since (a build after an edit whose cards were all carried, or after no change)."""
        return bool(self.carried) and not self.made
