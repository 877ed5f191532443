"""The static search index: Pagefind over the pages marked ``data-pagefind-body``."""

import shutil
import subprocess
from pathlib import Path

from pagefind_bin import get_executable

BUNDLE = "pagefind"


class PagefindError(RuntimeError):
    pass


def index(folder: Path) -> None:
    """(Re)write ``folder/pagefind/``; filters come from ``data-pagefind-filter`` in the pages."""
    shutil.rmtree(folder / BUNDLE, ignore_errors=True)
    result = subprocess.run(
        [str(get_executable()), "--site", str(folder), "--output-subdir", BUNDLE, "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise PagefindError(lines[-1] if lines else f"pagefind exited with {result.returncode}")
