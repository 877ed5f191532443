"""The archive file: one ``.tar.gz`` holding ``manifest.json`` (what it is), ``data.json`` (the
records) and ``media/<storage name>`` (the files of images and documents).

``manifest.json``::

    {"format": "guildhall-portal", "version": 1, "created_at": "…",
     "portal": {"slug": "steel", "name": "…", "hostname": "steel.example.org", "port": 443},
     "with_members": false, "counts": {"wagtailcore.page": 69, …},
     "media": [{"name": "original_images/a.png", "size": 1234, "sha256": "…"}, …]}

``data.json``: ``{"tables": [{"model": "core.category", "records": [{"pk": 1, "fields": {…}},
…]}, …]}`` in the order they are restored (see ``collect.py``).
"""

import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "guildhall-portal"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media"


class ArchiveEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """Bad input or a portal in the way: the message is one line for the operator."""


@dataclass(frozen=True)
class MediaFile:
    name: str  # the storage name, e.g. "original_images/a.png"
    open: Callable[[], IO[bytes]]


def write_archive(
    path: Path,
    manifest: dict[str, Any],
    data: dict[str, Any],
    media: Iterable[MediaFile],
    progress: Callable[[int], None] = lambda _done: None,
) -> dict[str, Any]:
    """Write the archive to ``path`` (through a temporary file, renamed when complete); return
    the manifest as written, with the media files' sizes and digests."""
    temporary = path.with_name(f".{path.name}.partial")
    listed: list[dict[str, Any]] = []
    try:
        with tarfile.open(temporary, "w:gz") as tar:
            _add_bytes(tar, DATA, json.dumps(data, cls=ArchiveEncoder).encode())
            for item in media:
                with item.open() as source:
                    content = source.read()
                _add_bytes(tar, f"{MEDIA}/{item.name}", content)
                listed.append(
                    {
                        "name": item.name,
                        "size": len(content),
                        "sha256": hashlib.sha256(content).hexdigest(),
                    }
                )
                progress(1)
            manifest = {**manifest, "media": listed}
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    tar.addfile(info, io.BytesIO(content))


class Archive:
    """An archive opened for reading: its manifest, its data and its media files."""

    def __init__(self, path: Path):
        self.path = path
        if not path.is_file():
            raise BackupError(f"{path}: no such file")
        try:
            self._tar = tarfile.open(path, "r:*")  # noqa: SIM115 (closed by __exit__)
        except (tarfile.TarError, OSError):
            raise BackupError(f"{path}: not a portal archive (not a tar file)") from None
        self.manifest = self._json(MANIFEST)
        if self.manifest.get("format") != FORMAT:
            raise BackupError(f"{path}: not a portal archive (no {FORMAT} manifest)")
        version = self.manifest.get("version")
        if version != VERSION:
            raise BackupError(
                f"{path}: archive format version {version} is not supported "
                f"(this install reads version {VERSION})"
            )
        self.listed_media = {item["name"]: item for item in self.manifest.get("media", [])}
        portal = self.manifest.get("portal")
        if not isinstance(portal, dict) or not {"slug", "hostname", "port"} <= portal.keys():
            raise BackupError(f"{path}: the manifest does not say which portal it holds")

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self._tar.close()

    @property
    def portal(self) -> dict[str, Any]:
        return self.manifest["portal"]

    def data(self) -> dict[str, Any]:
        return self._json(DATA)

    def _json(self, name: str) -> dict[str, Any]:
        try:
            member = self._tar.extractfile(name)
            if member is None:
                raise KeyError(name)
            value = json.load(member)
        except KeyError:
            raise BackupError(f"{self.path}: not a portal archive (no {name})") from None
        except (tarfile.TarError, OSError, EOFError, ValueError) as error:
            raise BackupError(f"{self.path}: {name} cannot be read ({error})") from None
        if not isinstance(value, dict):
            raise BackupError(f"{self.path}: {name} is not a JSON object")
        return value

    def media(self, name: str) -> bytes:
        """The bytes of a media file, checked against the manifest's digest."""
        listed = self.listed_media
        path = PurePosixPath(name)
        if name not in listed or path.is_absolute() or ".." in path.parts:
            raise BackupError(f"{self.path}: media file {name!r} is not listed in the manifest")
        try:
            member = self._tar.extractfile(f"{MEDIA}/{name}")
            content = member.read() if member else None
        except (KeyError, tarfile.TarError, OSError, EOFError):
            content = None
        if content is None or hashlib.sha256(content).hexdigest() != listed[name]["sha256"]:
            raise BackupError(f"{self.path}: media file {name!r} is missing or damaged")
        return content
