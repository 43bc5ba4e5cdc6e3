"""Loaded by the extraction pool's forkserver before it forks the workers (pipelines.process.PagePool).

Importing this module loads trafilatura, the language model and the detector's tables and runs them
once; each worker forked afterwards shares those pages with the forkserver and its siblings instead
of loading its own copy (~70 MB per worker). `gc.freeze()` keeps the collector of each worker from
writing to the shared objects, which would copy their pages one by one.
"""

from __future__ import annotations

import gc
import logging

from newswatch.crawling.heap import trim_heap
from pipelines.pool import warm_up_stages

try:
    warm_up_stages()
except Exception:  # noqa: BLE001 - each worker warms up again in its initializer and reports the failure there
    logging.getLogger(__name__).exception("preloading the extraction stages failed")
gc.collect()
gc.freeze()
trim_heap()
