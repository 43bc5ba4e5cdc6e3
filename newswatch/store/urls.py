"""URL canonicalisation: one article, one key, however many ways a link spells it.

`clean_url` gives the URL to fetch and store (tracking parameters and fragment gone, host lower-case);
`url_key` folds it further (trailing slash, scheme) into the identity that `url_hash` is taken of, so
`/a/b`, `/a/b/`, `https://` and `http://` variants collapse to one article without rewriting the URL
we fetch (WordPress sites would answer every slash-less URL with a redirect).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from newswatch.store.models import url_hash

# Query parameters that only say where a click came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "ref_src",
        "ref_url",
        "xtor",
        "xtref",
        "ncid",
        "sr_share",
        "cmpid",
        "ito",
        "s_cid",
        "wt_mc",
        "spm",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "matomo_", "at_")
DEFAULT_PORTS = {"http": 80, "https": 443}
HOST_PORT = re.compile(r"^(?P<host>\[[^\]]+\]|[^:]+)(?::(?P<port>\d+))?$")


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def clean_url(url: str, base: str | None = None) -> str | None:
    """The URL to fetch and store: http(s) only, no fragment, no tracking parameters, sorted query,
    lower-case scheme and host, no default port. None when it is not a web URL."""
    if not url:
        return None
    url = url.strip()
    if base is not None:
        url = urljoin(base, url)
    return _clean(url)


# One URL is cleaned several times on its way (link, known-URL check, store): remember recent ones.
@lru_cache(maxsize=16384)
def _clean(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        return None
    netloc = _clean_netloc(parts.netloc, scheme)
    if netloc is None:
        return None
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)],
        doseq=True,
    )
    rebuilt = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    try:
        return canonicalize_url(rebuilt, keep_fragments=False)
    except ValueError:
        return None


def url_key(url: str) -> str | None:
    """Identity of an article URL: the clean URL without scheme and trailing slash."""
    cleaned = clean_url(url)
    if cleaned is None:
        return None
    parts = urlsplit(cleaned)
    path = parts.path
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return parts.netloc + path + (f"?{parts.query}" if parts.query else "")


def key_hash(url: str) -> str | None:
    """The `url_hash` column value for any spelling of an article URL."""
    key = url_key(url)
    return url_hash(key) if key is not None else None


def key_hashes(urls: Iterable[str]) -> dict[str, str]:
    """hash -> first URL with that identity, for a batch of URLs (invalid ones left out)."""
    out: dict[str, str] = {}
    for url in urls:
        digest = key_hash(url)
        if digest is not None and digest not in out:
            out[digest] = url
    return out


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def in_domains(url: str, domains: Iterable[str]) -> bool:
    """True when the URL's host is one of the domains or a subdomain of one (www. included)."""
    host = host_of(url)
    if host is None:
        return False
    for domain in domains:
        domain = domain.lower().strip().lstrip(".")
        if domain.startswith("www."):
            domain = domain[4:]
        if host == domain or host.endswith("." + domain):
            return True
    return False


def _clean_netloc(netloc: str, scheme: str) -> str | None:
    userinfo, _, hostport = netloc.rpartition("@")
    match = HOST_PORT.match(hostport)
    if match is None:
        return None
    host = match.group("host").lower().rstrip(".")
    if not host:
        return None
    port = match.group("port")
    if port is not None and int(port) == DEFAULT_PORTS[scheme]:
        port = None
    return (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port else "")
