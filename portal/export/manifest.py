"""The record of a build: for every output path, what it was built from and what it links to.

A target needs rendering again when its own stamp changed or when a page it linked to last
time changed (its title, its URL, or whether it still exists), which is how "the pages that
list or link a changed page" are found without rendering them.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .stamps import digest
from .targets import Target

# 2: the paths entries link to are listed once, entries name them by their place in that list
# (a third of the size, faster to read and write: two are read and one written per build).
FORMAT = 2


@dataclass
class Entry:
    file: str
    stamp: str
    links: list[str] = field(default_factory=list)
    digest: str = ""


@dataclass
class Manifest:
    settings: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    search: dict[str, str] = field(default_factory=dict)  # stamps of the search index's shards

    @classmethod
    def load(cls, path: Path | None) -> "Manifest":
        """The manifest at ``path``; an empty one when there is none that this code reads."""
        return (cls.read(path) if path is not None else None) or cls()

    @classmethod
    def read(cls, path: Path) -> "Manifest | None":
        """The manifest at ``path``, or None when there is none that this code reads."""
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        try:
            paths = data["paths"]
            entries = {
                key: Entry(file, stamp, [paths[i] for i in links], digest)
                for key, (file, stamp, digest, links) in data["entries"].items()
            }
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        return cls(
            settings=data.get("settings", ""), entries=entries, search=data.get("search", {})
        )

    def save(self, path: Path) -> None:
        places: dict[str, int] = {}
        entries = {
            key: [
                entry.file,
                entry.stamp,
                entry.digest,
                [places.setdefault(link, len(places)) for link in entry.links],
            ]
            for key, entry in sorted(self.entries.items())
        }
        data = {
            "format": FORMAT,
            "settings": self.settings,
            "search": self.search,
            "paths": list(places),
            "entries": entries,
        }
        partial = path.with_name(path.name + ".tmp")
        partial.write_text(json.dumps(data, separators=(",", ":")))
        os.replace(partial, path)


def link_stamps(targets: list[Target]) -> dict[str, str]:
    return {t.path: t.link_stamp for t in targets}


def entry_stamp(target: Target, links: list[str], linked: dict[str, str]) -> str:
    """The target's stamp with what it shows of the pages it links to folded in (``linked``
    from ``link_stamps``; a link to something no longer built counts as a change)."""
    return digest(target.stamp, *(linked.get(link, "-") for link in links))


@dataclass
class Plan:
    render: list[Target]
    keep: dict[str, Entry]
    remove: list[Entry]
    linked: dict[str, str]  # link_stamps of the targets, for the new entries. stamps


def plan(targets: list[Target], previous: Manifest, settings: str, full: bool) -> Plan:
    """Which targets to render, which files of the previous build to keep, which to delete."""
    linked = link_stamps(targets)
    current = {t.path for t in targets}
    remove = [entry for path, entry in previous.entries.items() if path not in current]
    if full or previous.settings != settings:
        return Plan(render=list(targets), keep={}, remove=remove, linked=linked)
    render, keep = [], {}
    for target in targets:
        entry = previous.entries.get(target.path)
        if entry is not None and entry.stamp == entry_stamp(target, entry.links, linked):
            keep[target.path] = entry
        else:
            render.append(target)
    return Plan(render=render, keep=keep, remove=remove, linked=linked)
