"""After a build: every internal link and asset reference must lead to a file of the build."""

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


def broken_links(pages: Iterable[tuple[str, list[str]]], files: set[str]) -> list[tuple[str, str]]:
    """``(page, link)`` for every link of ``pages`` that no file in ``files`` answers."""
    return sorted(
        (page, link) for page, links in pages for link in links if not resolves(link, files)
    )
