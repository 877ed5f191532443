"""How the chunks of a parallel static build are dealt to its worker processes in runs."""

import multiprocessing

from hypothesis import given
from hypothesis import strategies as st

from portal.export.runs import Runs

FORK = multiprocessing.get_context("fork")


def claim_all(runs: Runs, run: int) -> list[int]:
    claimed = []
    while (index := runs.claim(run)) is not None:
        claimed.append(index)
    return claimed


def test_each_worker_renders_its_own_run_in_order_then_helps_from_the_far_end():
    runs = Runs(10, 2, FORK)
    first, second = runs.join(), runs.join()
    assert (first, second) == (0, 1)
    assert [runs.claim(first) for _ in range(3)] == [0, 1, 2]
    assert [runs.claim(second) for _ in range(5)] == [5, 6, 7, 8, 9]
    # The second run is done: its worker takes what the first would have reached last.
    assert [runs.claim(second) for _ in range(2)] == [4, 3]
    assert runs.claim(first) is None
    assert runs.claim(second) is None


def test_a_worker_helps_the_run_with_the_most_left():
    runs = Runs(9, 3, FORK)
    assert [runs.claim(0) for _ in range(3)] == [0, 1, 2]
    runs.claim(1)  # the second run has 4 and 5 left, the third 6, 7 and 8
    assert runs.claim(0) == 8


@given(
    chunks=st.integers(min_value=0, max_value=60),
    workers=st.integers(min_value=1, max_value=5),
    order=st.lists(st.integers(min_value=0, max_value=4), max_size=80),
)
def test_every_chunk_is_rendered_once_whoever_asks_when(chunks, workers, order):
    runs = Runs(chunks, workers, FORK)
    claimed = [runs.claim(run % workers) for run in order]
    taken = [index for index in claimed if index is not None]
    assert len(taken) == len(set(taken))
    assert len(taken) == min(len(order), chunks)  # nobody is sent away while chunks are left
    rest = [index for run in range(workers) for index in claim_all(runs, run)]
    assert sorted(taken + rest) == list(range(chunks))


def _worker(runs: Runs, results) -> None:
    results.put(claim_all(runs, runs.join()))


def test_worker_processes_share_out_the_chunks_between_them():
    runs, results = Runs(200, 2, FORK), FORK.Queue()
    workers = [FORK.Process(target=_worker, args=(runs, results)) for _ in range(2)]
    for process in workers:
        process.start()
    claimed = [results.get(timeout=30) for _ in workers]
    for process in workers:
        process.join(timeout=30)
    assert sorted(claimed[0] + claimed[1]) == list(range(200))
