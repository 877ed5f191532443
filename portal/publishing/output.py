"""Where builds go, and the atomic switch from one build to the next.

``<out>/<hostname>`` is a symbolic link to the current build in ``<out>/.builds/<hostname>/``.
A build is written beside it (starting from hard links to the previous build's files, so
unchanged files cost nothing), and the link is replaced in one rename: visitors see the old
build or the new one, never a mix, and a failed build leaves the old one in place. The
previous build is kept for a quick rollback.
"""

import os
import shutil
import time
from pathlib import Path

KEEP_BUILDS = 2
MANIFEST_SUFFIX = ".manifest.json"


class BuildFolders:
    def __init__(self, out: Path, hostname: str) -> None:
        self.out = out
        self.link = out / hostname
        self.builds = out / ".builds" / hostname

    def current(self) -> Path | None:
        """The folder the site link points to now, if any."""
        if self.link.is_symlink():
            target = self.link.resolve()
            return target if target.is_dir() else None
        return None

    def manifest_of(self, build: Path) -> Path:
        return build.with_name(build.name + MANIFEST_SUFFIX)

    def start(self, reuse: Path | None) -> Path:
        """A new, private build folder, filled with hard links to ``reuse``'s files."""
        self.builds.mkdir(parents=True, exist_ok=True)
        self._adopt_plain_folder()
        staging = self.builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.partial"
        if reuse is not None:
            shutil.copytree(reuse, staging, copy_function=os.link, symlinks=True)
        else:
            staging.mkdir()
        return staging

    def publish(self, staging: Path) -> Path:
        """Make ``staging`` the live build in one atomic rename of the site link."""
        final = staging.with_name(staging.name.removesuffix(".partial"))
        staging.rename(final)
        partial_manifest = self.manifest_of(staging)
        if partial_manifest.exists():
            partial_manifest.rename(self.manifest_of(final))
        swap = self.out / f".{self.link.name}.swap"
        swap.unlink(missing_ok=True)
        swap.symlink_to(os.path.relpath(final, self.out))
        os.replace(swap, self.link)
        self._prune(keep=final)
        return final

    def abandon(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)
        self.manifest_of(staging).unlink(missing_ok=True)

    def _prune(self, keep: Path) -> None:
        builds = sorted(
            (p for p in self.builds.iterdir() if p.is_dir() and not p.name.endswith(".partial")),
            key=lambda p: p.stat().st_mtime,
        )
        for old in builds[:-KEEP_BUILDS]:
            if old != keep:
                shutil.rmtree(old, ignore_errors=True)
                self.manifest_of(old).unlink(missing_ok=True)

    def _adopt_plain_folder(self) -> None:
        """A real folder where the link belongs (copied there by hand) becomes a build."""
        if self.link.is_dir() and not self.link.is_symlink():
            self.link.rename(self.builds / f"adopted-{int(time.time())}")
