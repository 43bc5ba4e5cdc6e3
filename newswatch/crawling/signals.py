"""newswatch's own Scrapy signals."""

from __future__ import annotations

# Sent with `origins=(url, ...)` when a page found through those feeds or sitemaps was not stored
# for a reason that may pass (timeout, 5xx, page budget, database error): their validators are not
# saved, so the next run fetches them in full instead of getting a 304 and missing the page.
origin_incomplete = object()
