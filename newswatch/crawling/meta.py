"""Request meta keys and page kinds: set by the spiders, read by the middlewares and the pipelines."""

from __future__ import annotations

# Request meta keys.
SOURCE = "nw_source"
KIND = "nw_kind"
ORIGINS = "nw_origins"
CONDITIONAL = "nw_conditional"
LINK = "nw_link"
# The date a feed or sitemap gives an article request's page (<lastmod>, <updated>), as written.
LASTMOD = "nw_lastmod"
# Set on a request for a page fetched by an earlier run and not an article (crawler/known.py).
RECHECK = "nw_recheck"
# Set by the home page's callback: the feeds it declares, kept with its validators for a 304 next run.
FOUND = "nw_found"
# Set by a newswatch middleware that drops a request on purpose (budget, not HTML): not a failure.
SKIPPED = "nw_skipped"
# Set (meta key and message prefix) by RedirectGuardMiddleware when a redirect comes back to a URL
# already in its chain.
REDIRECT_LOOP = "redirect loop"

# Request kinds: what a response is expected to be.
KIND_ARTICLE = "article"
KIND_FEED = "feed"
KIND_SITEMAP = "sitemap"
KIND_ROBOTS = "robots"
KIND_LISTING = "listing"
KIND_HOME = "home"
HTML_KINDS = frozenset({KIND_ARTICLE, KIND_LISTING, KIND_HOME})
