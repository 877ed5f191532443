"""Static assets with fingerprinted names, and the media files the pages use."""

import fcntl
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
DOCUMENT_LINK = re.compile(r"^/documents/(\d+)/")


@contextmanager
def export_settings(static_root: Path) -> Iterator[None]:
    """Render as production does: no debug pages, assets under fingerprinted names (collected
    into ``static_root`` from the themes), any host the exporter asks for."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        STATIC_ROOT=str(static_root),
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES=storages,
    ):
        static_root.parent.mkdir(parents=True, exist_ok=True)
        with open(static_root.parent / ".static.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # builds of other portals may be collecting too
            call_command("collectstatic", interactive=False, verbosity=0)
        yield


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def copy_static(static_root: Path, folder: Path) -> int:
    """Every collected theme asset under ``static/`` (hashed names and the originals)."""
    count = 0
    prefix = settings.STATIC_URL.strip("/")
    shutil.rmtree(folder / prefix, ignore_errors=True)  # no assets of older builds
    for directory, _, names in os.walk(static_root):
        for name in names:
            if name == "staticfiles.json":
                continue
            source = Path(directory) / name
            link_or_copy(source, folder / prefix / source.relative_to(static_root))
            count += 1
    return count


UPLOADS = ("media", "documents")


def copy_media(links: Iterable[str], folder: Path) -> int:
    """The uploaded files (image renditions, public documents) that ``links`` point at, and
    none other: files no page links to any more leave the build."""
    media_url = settings.MEDIA_URL
    media_root = Path(settings.MEDIA_ROOT).resolve()
    uploads = {link for link in set(links) if link.startswith((media_url, "/documents/"))}
    documents = public_document_files(
        {int(match.group(1)) for link in uploads if (match := DOCUMENT_LINK.match(link))}
    )
    wanted: set[Path] = set()
    count = 0
    for link in uploads:
        if ".." in link.split("/"):
            continue
        target = folder / link.lstrip("/")
        source: Path | None = None
        if link.startswith(media_url):
            source = media_root / link[len(media_url) :]
        elif match := DOCUMENT_LINK.match(link):
            source = documents.get(int(match.group(1)))
        if source is None or not source.resolve().is_relative_to(media_root):
            continue
        wanted.add(target)
        if not target.exists() and source.is_file():
            link_or_copy(source, target)
            count += 1
    for name in UPLOADS:
        for directory, _, names in os.walk(folder / name):
            for file in (Path(directory) / n for n in names):
                if file not in wanted:
                    file.unlink()
    return count


def public_document_files(pks: set[int]) -> dict[int, Path]:
    """The files of the documents at ``pks`` that anyone may download (those not in a
    restricted collection, nor below one), in two queries."""
    from wagtail.documents import get_document_model
    from wagtail.models import CollectionViewRestriction

    if not pks:
        return {}
    model = get_document_model()
    storage = model._meta.get_field("file").storage
    # A restriction holds for its collection and the collections below it (their tree paths
    # start with its path).
    restricted = tuple(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    rows = model.objects.filter(pk__in=pks).values_list("pk", "file", "collection__path")
    return {
        pk: Path(storage.path(name))
        for pk, name, collection in rows
        if not (restricted and collection.startswith(restricted))
    }
