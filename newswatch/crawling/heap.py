"""glibc heap settings of the crawl process and its extraction workers: pages pass through them by the
megabyte, and glibc would otherwise keep the high-water mark of the largest. Elsewhere than glibc: no-ops.

The crawler sets the crawl process's heap before its threads start (crawler/runner.py); the page pool
(pipelines/pool.py) sets its workers'.
"""

from __future__ import annotations

import contextlib
from typing import Any

# glibc's mallopt parameter for the size from which blocks are mmapped (malloc.h).
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
BIG_BLOCK_BYTES = 1 << 20
# The crawl process only passes pages on (bodies, texts, pickles of 100 KB to a few MB): each goes
# straight back to the system when freed. Workers keep 1 MiB: they allocate and free such blocks
# many times per page while parsing, and mapping each afresh costs them CPU.
CRAWL_BLOCK_BYTES = 128 << 10
# Heaps of the crawl process's threads (reactor, DNS, the pool's feeder and manager threads): glibc's
# default of 8 per core keeps a freed high-water mark in each.
CRAWL_ARENAS = 2


def _libc() -> Any:
    import ctypes
    import ctypes.util

    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def release_big_blocks(threshold: int = BIG_BLOCK_BYTES) -> None:
    """Have glibc mmap blocks of `threshold` bytes (1 MiB) and more, so they go back to the OS when freed.

    Its default threshold rises each time such a block is freed; after a few multi-megabyte pages
    (their text, lxml tree and pickled copies) big blocks come from the heap and the process keeps
    the high-water mark of its largest pages for the rest of the crawl. Elsewhere than glibc: no-op.
    """
    with contextlib.suppress(OSError, AttributeError):
        _libc().mallopt(M_MMAP_THRESHOLD, threshold)


def lean_crawl_heap() -> None:
    """glibc settings for the crawl process, which holds every page on its way to a worker: big
    blocks mapped (CRAWL_BLOCK_BYTES), two arenas for its threads. Called before its threads start
    (crawler.runner): an arena, once made, stays. Measured at 2,000 pages: peak 172 -> 141 MB."""
    release_big_blocks(CRAWL_BLOCK_BYTES)
    with contextlib.suppress(OSError, AttributeError):
        _libc().mallopt(M_ARENA_MAX, CRAWL_ARENAS)


_TRIM: Any = None


def trim_heap() -> None:
    """glibc's malloc_trim(0): free pages in the middle of the heap go back to the system too."""
    global _TRIM
    if _TRIM is None:
        try:
            _TRIM = _libc().malloc_trim
        except (OSError, AttributeError):
            _TRIM = False
    if _TRIM:
        _TRIM(0)
