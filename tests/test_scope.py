"""Which URLs a source may fetch (crawler/scope.py), decided without a crawl, and which error tells
that a host cannot be reached at all (crawler/reach.py)."""

from __future__ import annotations

import asyncio
from ipaddress import ip_address

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError
from scrapy.http import Request
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError, NoRouteError, TCPTimedOutError

from crawler import settings as crawler_settings
from crawler.reach import unreachable_reason
from crawler.scope import local_block, refusal
from crawler.spiders.base import SourceSpec

NEWS = SourceSpec.from_settings({"name": "news", "home": "https://www.lejournal.example/"})
LOCAL = SourceSpec.from_settings(
    {
        "name": "local",
        "home": "http://127.0.0.1:8000/",
        "allowed_domains": ["127.0.0.1", "127.0.0.2", "localhost"],
    }
)
INTRANET = SourceSpec.from_settings(
    {
        "name": "intranet",
        "home": "http://10.1.2.3/",
        "allowed_domains": ["10.1.2.3", "10.9.9.9", "192.168.1.1", "veille.corp"],
    }
)
PUBLIC = ip_address("93.184.215.14")


@pytest.mark.parametrize(
    "url, scheme",
    [
        ("file:///etc/passwd", "file"),
        ("file:///dev/zero", "file"),
        ("ftp://www.lejournal.example/feed.xml", "ftp"),
        ("s3://bucket/feed.xml", "s3"),
        ("data:application/rss+xml,<rss/>", "data"),
        ("javascript:alert(1)", "javascript"),
    ],
)
def test_only_http_and_https_urls_are_fetched(url: str, scheme: str) -> None:
    assert refusal(url, NEWS) == f"scheme {scheme}: is not http(s)"


def test_a_url_off_the_sources_allowed_domains_is_refused_and_its_subdomains_are_not() -> None:
    assert refusal("https://www.lejournal.example/feed/", NEWS) is None
    assert refusal("http://flux.lejournal.example/rss", NEWS) is None  # a subdomain of the home's domain
    assert refusal("https://lejournal.example.evil.test/feed/", NEWS) == (
        "host lejournal.example.evil.test is outside allowed_domains (lejournal.example)"
    )
    assert refusal("http://127.0.0.2:8000/feed/", NEWS) == (
        "host 127.0.0.2 is outside allowed_domains (lejournal.example)"
    )


@pytest.mark.parametrize(
    "address, block",
    [
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "shared"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("255.255.255.255", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("192.0.2.1", "reserved"),
    ],
)
def test_local_network_addresses_are_told_from_public_ones(address: str, block: str) -> None:
    found = local_block(ip_address(address))
    assert found is not None and found[0] == block
    assert local_block(PUBLIC) is None and local_block(ip_address("2606:4700::1111")) is None


def test_a_host_name_that_resolves_to_the_cloud_metadata_address_is_refused() -> None:
    url = "http://metadata.lejournal.example/latest/meta-data/"
    resolved = {"metadata.lejournal.example": ip_address("169.254.169.254"), "www.lejournal.example": PUBLIC}
    assert refusal(url, NEWS, resolved) == (
        "link-local address 169.254.169.254, and the source's home is not in 169.254.0.0/16"
    )
    # A home that cannot be resolved is not "there" either.
    assert refusal(url, NEWS, {"metadata.lejournal.example": ip_address("169.254.169.254")}) is not None
    # Public answers, and names not looked up yet (their download fails on DNS), pass on their domain.
    assert refusal(url, NEWS, {"metadata.lejournal.example": PUBLIC}) is None
    assert refusal(url, NEWS) is None


def test_literal_local_addresses_are_refused_for_a_source_whose_home_is_elsewhere() -> None:
    far = SourceSpec.from_settings(
        {
            "name": "far",
            "home": "http://93.184.215.14/",
            "allowed_domains": ["93.184.215.14", "169.254.169.254", "127.0.0.1", "::1"],
        }
    )
    assert refusal("http://93.184.215.14/feed/", far) is None
    assert refusal("http://169.254.169.254/latest/", far) == (
        "link-local address 169.254.169.254, and the source's home is not in 169.254.0.0/16"
    )
    assert refusal("http://127.0.0.1:6379/", far) is not None
    assert refusal("http://[::1]:8080/", far) is not None


def test_a_source_whose_home_is_on_a_local_network_may_fetch_in_that_block_only() -> None:
    # The demo and the tests serve sites on 127.0.0.1: loopback stays open to a loopback home.
    assert refusal("http://127.0.0.2:9000/feed/", LOCAL) is None
    assert refusal("http://localhost:9000/feed/", LOCAL, {"localhost": ip_address("127.0.0.1")}) is None
    assert refusal("http://10.9.9.9/rss", INTRANET) is None  # the home's private block
    assert refusal("http://192.168.1.1/", INTRANET) == (
        "private address 192.168.1.1, and the source's home is not in 192.168.0.0/16"
    )
    assert (
        refusal("http://veille.corp/", INTRANET, {"veille.corp": ip_address("169.254.169.254")}) is not None
    )


def test_the_file_ftp_s3_and_data_download_handlers_are_off() -> None:
    from scrapy.core.downloader.handlers import DownloadHandlers

    crawler = get_crawler(settings_dict={"DOWNLOAD_HANDLERS": crawler_settings.DOWNLOAD_HANDLERS})
    handlers = DownloadHandlers(crawler)
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "s3://bucket/key", "data:,hello"):
        with pytest.raises(Exception, match=r"Unsupported URL scheme"):
            asyncio.run(handlers.download_request_async(Request(url)))


@pytest.mark.parametrize(
    "error, reason",
    [
        (
            CannotResolveHostError(
                "DNS lookup failed: no results for hostname lookup: www.lejournal.example."
            ),
            "host name not found (DNS lookup failed)",
        ),
        (DNSLookupError("www.lejournal.example"), "host name not found (DNS lookup failed)"),
        (DownloadConnectionRefusedError("Connection was refused by other side: 111"), "connection refused"),
        (TCPTimedOutError(), "connection timed out"),
        (NoRouteError(), "no route to host"),
    ],
)
def test_errors_that_mean_the_host_cannot_be_reached(error: Exception, reason: str) -> None:
    assert unreachable_reason(error) == reason


def test_a_timeout_once_connected_is_a_page_failure_not_an_unreachable_host() -> None:
    assert (
        unreachable_reason(DownloadTimeoutError("Getting https://x/ took longer than 30.0 seconds.")) is None
    )
    assert unreachable_reason(ValueError("boom")) is None
