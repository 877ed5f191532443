"""The chunks of a parallel build dealt to its worker processes in contiguous runs.

Neighbouring targets are pages of one section, its filtered lists, its feeds: they show the
same items, cards and lookups, which a worker makes once and keeps (``rendering.ExportMemo``).
Chunks handed out in turn to whichever worker is free made every worker make nearly all of
them: the two workers of a full build spent about a sixth more CPU time than one process
rendering everything. Here each worker renders its own run of chunks in order and, once its
run is done, takes the last chunk of the run with the most left (the one its owner would
have reached last), so the workers still finish together.
"""

from multiprocessing.context import BaseContext


class Runs:
    """Chunks ``0 .. chunks - 1`` split into ``workers`` runs, in memory shared by the
    processes forked after it is made."""

    def __init__(self, chunks: int, workers: int, context: BaseContext) -> None:
        self.workers = workers
        # Run ``w`` has chunks ``bounds[2w] .. bounds[2w + 1] - 1`` left.
        self.bounds = context.Array("i", 2 * workers)
        for run in range(workers):
            self.bounds[2 * run] = chunks * run // workers
            self.bounds[2 * run + 1] = chunks * (run + 1) // workers
        self.joined = context.Value("i", 0)

    def join(self) -> int:
        """The run of the worker process asking (each worker asks once, when it starts)."""
        with self.joined.get_lock():
            run = self.joined.value % self.workers
            self.joined.value += 1
        return run

    def claim(self, run: int) -> int | None:
        """The next chunk for the worker of ``run``; None when every chunk is taken."""
        with self.bounds.get_lock():
            bounds = self.bounds.get_obj()
            if bounds[2 * run] < bounds[2 * run + 1]:
                bounds[2 * run] += 1
                return bounds[2 * run] - 1
            longest = max(range(self.workers), key=lambda r: bounds[2 * r + 1] - bounds[2 * r])
            if bounds[2 * longest] < bounds[2 * longest + 1]:
                bounds[2 * longest + 1] -= 1
                return bounds[2 * longest + 1]
            return None
