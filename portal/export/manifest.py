"""The record of a build: for every output path, what it was built from and what it links to.

A target needs rendering again when its own stamp changed or when a page it linked to last
time changed (its title, its URL, or whether it still exists), which is how "the pages that
list or link a changed page" are found without rendering them.

Every path that entries link to is listed once (``Manifest.paths``), with what a page linking
to it showed of it when the build was made (``Manifest.linked``: its link stamp, "-" for what
is not a page of the build). An entry names its links by their place in that list. A build
compares the list's stamps with the current ones once, and keeps every entry whose own stamp
is the same and whose links are none of the changed places: no entry's links are read one
by one, and the entries a build keeps are written back as they were read.
"""

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .targets import Target

# 3: the stamps of the linked paths are kept once for the build (``Manifest.linked``), an
# entry's stamp is its target's own; 2 listed each link's path once, 1 every link as a path.
FORMAT = 3
NOT_BUILT = "-"  # the link stamp of a path that is not a page of the build (an asset, a 404)


@dataclass
class Entry:
    file: str
    stamp: str  # the target's own stamp when it was rendered
    links: list[int] = field(default_factory=list)  # places in the manifest's ``paths``
    digest: str = ""


@dataclass
class Manifest:
    settings: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    search: dict[str, str] = field(default_factory=dict)  # stamps of the search index's shards
    paths: list[str] = field(default_factory=list)  # what entries link to, by place
    linked: list[str] = field(default_factory=list)  # each path's link stamp in this build
    _places: dict[str, int] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None) -> "Manifest":
        """The manifest at ``path``; an empty one when there is none that this code reads."""
        return (cls.read(path) if path is not None else None) or cls()

    @classmethod
    def read(cls, path: Path) -> "Manifest | None":
        """The manifest at ``path``, or None when there is none that this code reads."""
        with _collector_paused():
            return cls._read(path)

    @classmethod
    def _read(cls, path: Path) -> "Manifest | None":
        try:
            data = orjson.loads(path.read_bytes())  # a few MB: several times faster than json
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        try:
            paths, linked = list(map(str, data["paths"])), list(map(str, data["linked"]))
            entries = {
                key: Entry(file, stamp, links, digest)
                for key, (file, stamp, digest, links) in data["entries"].items()
            }
            if len(linked) != len(paths) or any(
                max(entry.links, default=0) >= len(paths) or min(entry.links, default=0) < 0
                for entry in entries.values()
            ):
                return None
        except (KeyError, TypeError, ValueError):
            return None
        return cls(data.get("settings", ""), entries, data.get("search", {}), paths, linked)

    def successor(self, settings: str, keep: dict[str, Entry]) -> "Manifest":
        """The manifest of the next build, holding the entries of this one in ``keep``
        (their links name places in the same list of paths; a build keeping nothing starts
        a list of its own)."""
        return Manifest(settings, dict(keep), paths=list(self.paths) if keep else [])

    def add(self, key: str, file: str, stamp: str, links: list[str], digest: str) -> None:
        """An entry rendered by this build, linking to ``links`` (paths)."""
        if self._places is None:
            self._places = {path: place for place, path in enumerate(self.paths)}
        places = self._places
        for link in links:
            if link not in places:
                places[link] = len(self.paths)
                self.paths.append(link)
        self.entries[key] = Entry(file, stamp, [places[link] for link in links], digest)

    def links_of(self, entry: Entry) -> list[str]:
        return [self.paths[place] for place in entry.links]

    def linked_paths(self) -> set[str]:
        """Every path that an entry links to."""
        return {self.paths[place] for place in self._used_places()}

    def _used_places(self) -> set[int]:
        used: set[int] = set()
        for entry in self.entries.values():
            used.update(entry.links)
        return used

    def save(self, path: Path, link_stamps: dict[str, str]) -> None:
        """Write the manifest, with the link stamps of the build (``link_stamps``)."""
        self._compact()
        self.linked = [link_stamps.get(link, NOT_BUILT) for link in self.paths]
        data = {
            "format": FORMAT,
            "settings": self.settings,
            "search": self.search,
            "paths": self.paths,
            "linked": self.linked,
            "entries": {
                key: [entry.file, entry.stamp, entry.digest, entry.links]
                for key, entry in sorted(self.entries.items())
            },
        }
        partial = path.with_name(path.name + ".tmp")
        partial.write_bytes(orjson.dumps(data))
        os.replace(partial, path)

    def _compact(self) -> None:
        """Paths no entry links to any more are dropped once they are a third of the list."""
        used = self._used_places()
        if len(self.paths) - len(used) <= len(self.paths) // 3:
            return
        order = sorted(used)
        moved = {old: new for new, old in enumerate(order)}
        self.paths = [self.paths[old] for old in order]
        self.entries = {  # new entries: the previous manifest's are left as they were
            key: Entry(entry.file, entry.stamp, [moved[old] for old in entry.links], entry.digest)
            for key, entry in self.entries.items()
        }
        self._places = None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading a manifest makes hundreds of thousands of objects and no reference cycles: the
    cyclic garbage collector, walking them again and again meanwhile, doubled the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def link_stamps(targets: list[Target]) -> dict[str, str]:
    return {t.path: t.link_stamp for t in targets}


@dataclass
class Plan:
    render: list[Target]
    keep: dict[str, Entry]
    remove: list[Entry]
    linked: dict[str, str]  # link_stamps of the targets, for the new manifest


def plan(targets: list[Target], previous: Manifest, settings: str, full: bool) -> Plan:
    """Which targets to render, which files of the previous build to keep, which to delete."""
    linked = link_stamps(targets)
    current = {t.path for t in targets}
    remove = [entry for path, entry in previous.entries.items() if path not in current]
    if full or previous.settings != settings:
        return Plan(render=list(targets), keep={}, remove=remove, linked=linked)
    # The places of the paths that a page linking to them would show differently now.
    changed = {
        place
        for place, (path, then) in enumerate(zip(previous.paths, previous.linked, strict=True))
        if linked.get(path, NOT_BUILT) != then
    }
    render, keep = [], {}
    for target in targets:
        entry = previous.entries.get(target.path)
        if entry is not None and entry.stamp == target.stamp and changed.isdisjoint(entry.links):
            keep[target.path] = entry
        else:
            render.append(target)
    return Plan(render=render, keep=keep, remove=remove, linked=linked)
