"""URL canonicalisation: the spellings of one article URL collapse to one key."""

from __future__ import annotations

import pytest

from newswatch.store.urls import clean_url, in_domains, key_hash, key_hashes, url_key


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.fr/2025/05/19/usine-a-dunkerque/",
        "https://www.example.fr/2025/05/19/usine-a-dunkerque",
        "https://WWW.Example.FR/2025/05/19/usine-a-dunkerque/",
        "https://www.example.fr:443/2025/05/19/usine-a-dunkerque/",
        "http://www.example.fr/2025/05/19/usine-a-dunkerque/",
        "https://www.example.fr/2025/05/19/usine-a-dunkerque/#comments",
        "https://www.example.fr/2025/05/19/usine-a-dunkerque/?utm_source=twitter&utm_medium=social",
        "https://www.example.fr/2025/05/19/usine-a-dunkerque/?fbclid=IwAR0abc",
        "https://www.example.fr/2025/05/19/usine-a-dunkerque/?gclid=x&mc_cid=y&mc_eid=z",
        "https://www.example.fr/2025/05/19/usine-a-dunkerque/?UTM_Campaign=matin&xtor=RSS-1#top",
        "  https://www.example.fr/2025/05/19/usine-a-dunkerque/ ",
    ],
)
def test_tracking_parameters_fragments_slash_case_and_port_collapse_to_one_key(variant: str) -> None:
    assert url_key(variant) == "www.example.fr/2025/05/19/usine-a-dunkerque"
    assert key_hash(variant) == key_hash("https://www.example.fr/2025/05/19/usine-a-dunkerque")


def test_clean_url_keeps_the_trailing_slash_the_site_uses() -> None:
    # Removing it would cost a redirect per article on WordPress sites.
    assert clean_url("https://Ex.com/a/b/?utm_source=x#c") == "https://ex.com/a/b/"
    assert clean_url("https://ex.com/a/b?utm_source=x") == "https://ex.com/a/b"
    assert clean_url("https://ex.com") == "https://ex.com/"


def test_meaningful_query_parameters_stay_and_are_sorted() -> None:
    assert (
        clean_url("https://ex.com/article.php?id=42&utm_source=x&page=2")
        == "https://ex.com/article.php?id=42&page=2"
    )
    assert url_key("https://ex.com/a?b=2&a=1") == url_key("https://ex.com/a?a=1&b=2")
    assert url_key("https://ex.com/a?id=1") != url_key("https://ex.com/a?id=2")


def test_relative_links_resolve_against_their_page() -> None:
    assert (
        clean_url("../2025/x/?fbclid=1", base="https://ex.com/rubrique/tech/")
        == "https://ex.com/rubrique/2025/x/"
    )


def test_accented_paths_are_percent_encoded_once() -> None:
    assert clean_url("https://ex.com/économie/") == "https://ex.com/%C3%A9conomie/"
    assert url_key("https://ex.com/%C3%A9conomie/") == url_key("https://ex.com/économie")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "mailto:redaction@example.fr",
        "javascript:void(0)",
        "ftp://ex.com/x",
        "https://",
        "tel:+33123456789",
    ],
)
def test_non_web_urls_have_no_key(bad: str) -> None:
    assert clean_url(bad) is None
    assert url_key(bad) is None
    assert key_hash(bad) is None


def test_key_hashes_maps_each_identity_once() -> None:
    hashes = key_hashes(
        ["https://ex.com/a/", "https://ex.com/a?utm_source=x", "https://ex.com/b", "mailto:x@y"]
    )
    assert len(hashes) == 2
    assert list(hashes.values()) == ["https://ex.com/a/", "https://ex.com/b"]


def test_domains_match_their_subdomains_only() -> None:
    assert in_domains("https://www.lesechos.fr/tech", ["lesechos.fr"])
    assert in_domains("https://business.lesechos.fr/x", ["www.lesechos.fr"])
    assert not in_domains("https://notlesechos.fr/x", ["lesechos.fr"])
    assert not in_domains("https://lesechos.fr.evil.com/x", ["lesechos.fr"])
    assert in_domains("http://127.0.0.1:8080/x", ["127.0.0.1"])
