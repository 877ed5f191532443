"""After a build: every internal link and asset reference must lead to a file of the build.

The files a build holds are known without walking its folder: the manifest lists the pages
and feeds, and a link to anything else (an asset, an uploaded file) is looked up on disk, once
per distinct link. An incremental build checks the files it rendered: a kept file links to
what it linked to last time, and if any of that went away, the manifest had it rendered again.
"""

import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote


def files_in(folder: Path) -> set[str]:
    found = set()
    for directory, _, names in os.walk(folder):
        relative = os.path.relpath(directory, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names)
    return found


def resolves(path: str, files: set[str]) -> bool:
    relative = unquote(path).lstrip("/")
    if not relative or relative.endswith("/"):
        return relative + "index.html" in files
    return relative in files or relative + "/index.html" in files


def on_disk(path: str, folder: Path) -> bool:
    """Whether ``path`` names a file in ``folder`` (never outside it)."""
    relative = unquote(path).lstrip("/")
    if "\x00" in relative or any(part == ".." for part in relative.split("/")):
        return False
    if not relative or relative.endswith("/"):
        return (folder / relative / "index.html").is_file()
    return (folder / relative).is_file() or (folder / relative / "index.html").is_file()


def broken_links(
    pages: Iterable[tuple[str, list[str]]], files: set[str], folder: Path | None = None
) -> list[tuple[str, str]]:
    """``(page, link)`` for every link of ``pages`` that no file answers: none of ``files``,
    nor, when ``folder`` is given, a file there."""
    answered: dict[str, bool] = {}
    broken = []
    for page, links in pages:
        for link in links:
            found = answered.get(link)
            if found is None:
                found = resolves(link, files) or (folder is not None and on_disk(link, folder))
                answered[link] = found
            if not found:
                broken.append((page, link))
    return sorted(broken)
