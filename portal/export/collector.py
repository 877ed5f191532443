"""Python's cyclic garbage collector, set for a build.

A build allocates millions of short-lived objects (querysets, template contexts, rendered
strings) over a heap of about 250,000 long-lived ones: models, compiled templates, the
memo of what every page shares. With the default thresholds (700, 10, 10) the collector
walks that heap again and again: an eighth to a fifth of a worker's CPU. During a build
the long-lived heap is frozen (never walked, in the workers forked from this process
either) and the young objects are collected in larger, rarer batches. The garbage of one
page still goes in the next collection of the young generations; only the full collection
of everything is put off.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BUILD_THRESHOLDS = (20_000, 50, 1_000)


@contextmanager
def set_for_build() -> Iterator[None]:
    """Within: what exists now is frozen and collections are rarer; both undone after."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def freeze_before_fork() -> None:
    """What the workers inherit (the warmed renderer) is never walked by their collector."""
    gc.freeze()
