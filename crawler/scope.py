"""Every request stays with its source: http(s) only, inside its allowed domains, and never on a
local network address (loopback, LAN, cloud metadata at 169.254.169.254...) unless the source's own
home is in that same block.

`refusal` decides, as a pure function of the URL, the source and what the host names resolved to;
ScopeMiddleware applies it to every request the downloader is given: feeds, sitemaps, robots.txt
(newswatch's and Scrapy's own), article and listing pages, and each redirect hop.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Any, NoReturn
from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from crawler.spiders.base import SourceSpec
from newswatch.crawling.meta import HTML_KINDS, KIND, SKIPPED, SOURCE
from newswatch.crawling.stats import bump
from newswatch.store.urls import host_of, in_domains

logger = logging.getLogger(__name__)

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
WEB_SCHEMES = frozenset({"http", "https"})
# Blocks a crawl stays out of unless the source's home is in the same one. Any other address that is
# not globally routable (documentation, benchmarking ranges...) is a block of its own.
LOCAL_BLOCKS: tuple[tuple[str, IPNetwork], ...] = tuple((label, ip_network(net)) for label, net in (
    ("loopback", "127.0.0.0/8"), ("loopback", "::1/128"),
    ("link-local", "169.254.0.0/16"), ("link-local", "fe80::/10"),
    ("private", "10.0.0.0/8"), ("private", "172.16.0.0/12"), ("private", "192.168.0.0/16"),
    ("private", "fc00::/7"), ("shared", "100.64.0.0/10"),
    ("multicast", "224.0.0.0/4"), ("multicast", "ff00::/8"),
    ("unspecified", "0.0.0.0/8"), ("unspecified", "::/128"), ("reserved", "240.0.0.0/4"),
))  # fmt: skip
# The reason given for a request whose source cannot be told (none of the configured ones covers it).
NO_SOURCE = "it belongs to no configured source"

Resolver = Callable[[str], Awaitable[IPAddress]]


def literal_address(host: str | None) -> IPAddress | None:
    """The address a host names literally ("127.0.0.1", "::1"), None for a host name."""
    if not host:
        return None
    try:
        return ip_address(host.strip("[]"))
    except ValueError:
        return None


def local_block(address: IPAddress) -> tuple[str, IPNetwork] | None:
    """The local block an address is in, None for a public address."""
    if isinstance(address, IPv6Address):
        # ::ffff:169.254.169.254 and 2002:a9fe:a9fe:: reach the IPv4 address they carry.
        address = address.ipv4_mapped or address.sixtofour or address
    for label, network in LOCAL_BLOCKS:
        if address.version == network.version and address in network:
            return label, network
    if not address.is_global:
        return "reserved", ip_network(address)
    return None


def url_refusal(url: str, spec: SourceSpec) -> str | None:
    """Why `spec` may not fetch `url` whatever its host resolves to (scheme, host, domains), or None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        return f"scheme {scheme}: is not http(s)" if scheme else "no scheme"
    if not host:
        return "no host"
    if not in_domains(url, spec.allowed_domains):
        return f"host {host} is outside allowed_domains ({', '.join(spec.allowed_domains)})"
    return None


def address_refusal(address: IPAddress, home: IPAddress | None) -> str | None:
    """Why an address is off limits for a source whose home is at `home` (None: unknown), or None."""
    block = local_block(address)
    if block is None:
        return None
    label, network = block
    if home is not None and local_block(home) == block:
        return None
    return f"{label} address {address}, and the source's home is not in {network}"


def refusal(url: str, spec: SourceSpec, resolved: Mapping[str, IPAddress] | None = None) -> str | None:
    """Why source `spec` may not fetch `url`, or None when it may.

    `resolved` maps host names to the address the crawl's DNS resolver gave for them (the URL's host
    and the home's); a literal IP needs no entry. A URL whose host has no address yet is judged on
    its scheme and domain only: its download fails on the DNS lookup anyway.
    """
    reason = url_refusal(url, spec)
    if reason is not None:
        return reason
    resolved = resolved or {}
    host, home_host = host_of(url) or "", host_of(spec.home) or ""
    address = literal_address(host) or resolved.get(host)
    if address is None:
        return None
    return address_refusal(address, literal_address(home_host) or resolved.get(home_host))


async def resolve_with_reactor(host: str) -> IPAddress:
    """The address Scrapy will connect to: its DNS resolver (DNS_RESOLVER, cached) answers both this
    lookup and the download's, so what is checked here is what is connected to."""
    from twisted.internet import reactor  # the reactor Scrapy installed, not a default one

    try:
        answer = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[arg-type]
    except DNSLookupError as exc:
        # What the download itself would raise: retried, then reported once per host by the spider.
        raise CannotResolveHostError(str(exc)) from exc
    return ip_address(answer)


class ScopeMiddleware:
    """Downloader middleware, before robots.txt (100): a request off its source is never sent.

    Redirect hops keep their request's source (Scrapy copies the meta); Scrapy's robots.txt requests
    carry none and belong to the source whose domains hold the URL they were made for. A refused URL
    is logged once per run with its reason and counted per source (`refused`; an article, listing or
    home page is also `skipped`).
    """

    def __init__(
        self, specs: Iterable[SourceSpec], stats: Any, resolve: Resolver = resolve_with_reactor
    ) -> None:
        self.specs = {spec.name: spec for spec in specs}
        self.stats = stats
        self.resolve = resolve
        self.homes: dict[str, IPAddress | None] = {}
        self.refused: set[tuple[str | None, str]] = set()
        self.logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ScopeMiddleware:
        specs = [SourceSpec.from_settings(d) for d in crawler.settings.getlist("NEWSWATCH_SOURCES")]
        return cls(specs, crawler.stats)

    def source_of(self, request: Request) -> SourceSpec | None:
        name = request.meta.get(SOURCE)
        if name is not None:
            return self.specs.get(name)
        first = [*request.meta.get("redirect_urls", ()), request.url][0]
        return next((s for s in self.specs.values() if in_domains(first, s.allowed_domains)), None)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        spec = self.source_of(request)
        if spec is None:
            self.refuse(request, None, NO_SOURCE)
        reason = url_refusal(request.url, spec)
        if reason is None:
            resolved: dict[str, IPAddress] = {}
            host, home_host = host_of(request.url) or "", host_of(spec.home) or ""
            if literal_address(host) is None:
                resolved[host] = await self.resolve(host)
            if literal_address(home_host) is None and (home := await self.home_address(home_host)):
                resolved[home_host] = home
            reason = refusal(request.url, spec, resolved)
        if reason is not None:
            self.refuse(request, spec, reason)

    async def home_address(self, host: str) -> IPAddress | None:
        """A home's address, looked up once per run; None when it does not resolve (then no local
        address is allowed for its source)."""
        if host not in self.homes:
            try:
                self.homes[host] = await self.resolve(host)
            except CannotResolveHostError:
                self.homes[host] = None
        return self.homes[host]

    def refuse(self, request: Request, spec: SourceSpec | None, reason: str) -> NoReturn:
        source = spec.name if spec is not None else None
        url = request.url
        if (source, url) not in self.refused:
            self.refused.add((source, url))
            bump(self.stats, "scope/refused", source, "refused")
            if source is not None:
                self.stats.set_value(f"source/{source}/last_refused", f"{url} ({reason})")
            if request.meta.get(KIND) in HTML_KINDS:
                bump(self.stats, "scope/skipped_page", source, "skipped")
        hops = request.meta.get("redirect_urls", ())
        what = f"redirect {hops[0]} -> {url}" if hops else f"{request.meta.get(KIND, 'robots.txt')} {url}"
        level = logging.DEBUG if url in self.logged else logging.WARNING
        self.logged.add(url)
        logger.log(level, "source %s: refused %s (%s)", source or "-", what, reason)
        request.meta[SKIPPED] = "refused"
        raise IgnoreRequest(f"refused: {reason}")
