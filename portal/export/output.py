"""Where builds go, and the atomic switch from one build to the next.

``<out>/<hostname>`` is a symbolic link to one of two build folders, ``a`` and ``b``, in
``<out>/.builds/<hostname>/``. A build updates the folder the link does not point to (which
holds the build before last): it writes what was rendered, brings over from the current build
the files that changed since, deletes what went away, and then replaces the link in one atomic
rename. Visitors see the old build or the new one, never a mix; a failed build leaves the
current one in place, and the other folder, the previous build, stays for a rollback until
the next build. A manifest beside each folder records exactly what it holds; a folder without
one (a build that failed half way) is first made a copy of the current build (hard links).
"""

import fcntl
import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .manifest import Manifest

SLOTS = ("a", "b")
MANIFEST_SUFFIX = ".manifest.json"


_removals: list[subprocess.Popen] = []


def remove_later(folder: Path) -> None:
    """Delete ``folder`` without waiting (``rm -rf`` is much faster than Python's rmtree)."""
    _removals[:] = [p for p in _removals if p.poll() is None]
    try:
        _removals.append(subprocess.Popen(["rm", "-rf", "--", str(folder)]))
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def discard(folder: Path, build: Path) -> None:
    """Move ``folder`` (``build`` or a folder inside it) out of the way at once, beside
    ``build`` and hidden, and delete it in the background: a build does not wait for a
    thousand files to go."""
    if not folder.exists():
        return
    doomed = build.with_name(f".{build.name}.deleting.{os.getpid()}.{next(_discarded)}")
    folder.rename(doomed)
    remove_later(doomed)


_discarded = itertools.count()


class BuildBusy(RuntimeError):
    """Another process is building the same portal into the same folder."""


class BuildFolders:
    def __init__(self, out: Path, hostname: str) -> None:
        self.out = out
        self.link = out / hostname
        self.builds = out / ".builds" / hostname

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One build of a portal at a time (a cron run may overlap a slow one)."""
        self.builds.mkdir(parents=True, exist_ok=True)
        with open(self.builds / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildBusy(str(self.link)) from None
            yield

    def current(self) -> Path | None:
        """The folder the site link points to now, if any."""
        if self.link.is_symlink():
            target = self.link.resolve()
            return target if target.is_dir() else None
        return None

    def manifest_of(self, build: Path) -> Path:
        return build.with_name(build.name + MANIFEST_SUFFIX)

    def spare(self) -> Path:
        """The build folder visitors are not being served from."""
        current = self.current()
        name = "b" if current is not None and current.name == "a" else "a"
        if current is not None and current.name not in SLOTS:
            name = "a"
        return self.builds / name

    def start(self, reuse: Path | None) -> tuple[Path, Manifest | None]:
        """The spare folder, ready to be updated. Returns it and what it holds (its manifest)
        while that still describes it; if not (None), it was made a copy of ``reuse`` (or
        emptied)."""
        self.builds.mkdir(parents=True, exist_ok=True)
        self._adopt_plain_folder()
        spare = self.spare()
        manifest = self.manifest_of(spare)
        held = Manifest.read(manifest) if spare.is_dir() and reuse is not None else None
        if held is not None:
            os.replace(manifest, manifest.with_suffix(".previous"))  # stale until published
            return spare, held
        manifest.unlink(missing_ok=True)
        if spare.exists():
            discard(spare, spare)
        if reuse is not None:
            link_tree(reuse, spare)
        else:
            spare.mkdir()
        return spare, None

    def previous_manifest(self, spare: Path) -> Path:
        """Where ``start`` set aside what the spare folder held before this build."""
        return self.manifest_of(spare).with_suffix(".previous")

    def publish(self, spare: Path) -> Path:
        """Make ``spare`` the live build in one atomic rename of the site link."""
        swap = self.out / f".{self.link.name}.swap"
        swap.unlink(missing_ok=True)
        swap.symlink_to(os.path.relpath(spare, self.out))
        os.replace(swap, self.link)
        self.previous_manifest(spare).unlink(missing_ok=True)
        for old in self.builds.iterdir():  # folders of older versions of this layout
            if old.is_dir() and old.name not in SLOTS and not old.name.startswith("."):
                discard(old, old)
        return spare

    def abandon(self, spare: Path) -> None:
        """The spare folder no longer matches any manifest: the next build starts it afresh."""
        self.manifest_of(spare).unlink(missing_ok=True)
        self.previous_manifest(spare).unlink(missing_ok=True)

    def _adopt_plain_folder(self) -> None:
        """A real folder where the link belongs (copied there by hand) becomes a build."""
        if self.link.is_dir() and not self.link.is_symlink():
            target = self.builds / "a"
            if target.exists():
                discard(target, target)
            self.link.rename(target)
            self.link.symlink_to(os.path.relpath(target, self.out))


def link_tree(source: Path, target: Path) -> None:
    """A copy of ``source`` made of hard links (``cp -al`` where there is one)."""
    try:
        subprocess.run(["cp", "-al", str(source), str(target)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, copy_function=os.link, symlinks=True)
