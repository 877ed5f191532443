"""A search engine node of the test's own, to kill and restart: the shared ones stay up."""

import os
import signal
import subprocess
import time
from pathlib import Path

from ..support import free_port

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "scripts" / "search-engine" / "run.sh"


class KillableEngine:
    """An Elasticsearch node on free ports with its data in ``folder``."""

    def __init__(self, folder: Path, kind: str = "elasticsearch") -> None:
        self.kind, self.folder = kind, folder
        self.env = {
            **os.environ,
            "ES_PORT": str(free_port()),
            "ES_TRANSPORT_PORT": str(free_port()),
            "SEARCH_ENGINE_DATA": str(folder),
        }
        self.url = ""

    def start(self) -> str:
        """Start (or restart, on the same data) and wait for a healthy cluster."""
        result = subprocess.run(
            ["bash", str(RUN), "start", self.kind],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"the {self.kind} node did not start: {result.stderr[-2000:]}")
        self.url = result.stdout.strip().splitlines()[-1]
        return self.url

    def pid(self) -> int | None:
        try:
            return int((self.folder / "node.pid").read_text())
        except (OSError, ValueError):
            return None

    def kill(self) -> None:
        """SIGKILL, as an out-of-memory killer or a power cut would: no clean shutdown."""
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        subprocess.run(["bash", str(RUN), "stop", self.kind], env=self.env, capture_output=True)
