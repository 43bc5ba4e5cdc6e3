"""The demo news sites: structure the spiders rely on, conditional GET, encodings and fault paths.

Everything is fetched over HTTP from the real server on 127.0.0.1, as a crawler would.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import require_shared
from servers import faults

from newswatch.demo.content import Article, generate_articles
from newswatch.demo.server import DemoServer, serve
from newswatch.demo.sites import NewsSite

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    sites = [
        NewsSite("journal", 45, "journal", seed=1),
        NewsSite("blog", 45, "blog", seed=2),
        NewsSite("trade", 45, "trade", seed=3, faults=faults.DEFAULT_LINKED_FAULTS),
        NewsSite("regional", 45, "regional", seed=4),
        NewsSite("magazine", 45, "magazine", seed=5),
    ]
    with serve(sites, faults=faults) as running:
        yield running


def get(server: DemoServer, site: str, path: str, **kw: object) -> requests.Response:
    return requests.get(server.url_for(site) + path.lstrip("/"), timeout=10, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("site", ["journal", "blog", "trade"])
def test_article_pages_carry_the_metadata_extractors_read(server: DemoServer, site: str) -> None:
    article = server.site(site).articles[20]
    response = get(server, site, article.path)
    html = response.text
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert f"<title>{_esc(article.title)}" in html
    assert f'<link rel="canonical" href="{server.url_for(site)}{article.path[1:]}">' in html
    assert f'<meta name="author" content="{_esc(article.author)}">' in html
    assert f'<meta property="article:published_time" content="{article.published.isoformat()}">' in html
    assert re.search(
        r'<link rel="alternate" type="application/rss\+xml"[^>]+href="http://127\.0\.0\.1:\d+/feed/"', html
    )
    for paragraph in article.paragraphs:
        assert _esc(paragraph) in html
    # The related block names other articles, so a body extractor has something to leave out.
    others = [a for a in server.site(site).related(article)]
    assert others and all(_esc(a.title) in html for a in others)


def test_the_three_looks_differ_in_their_boilerplate(server: DemoServer) -> None:
    pages = {
        name: get(server, name, server.site(name).articles[10].path).text
        for name in ("journal", "blog", "trade")
    }
    assert "À lire aussi" in pages["journal"] and 'class="breadcrumb"' in pages["journal"]
    assert "comment-form" in pages["journal"] and "cookie-banner" in pages["journal"]
    assert (
        'class="widget-area"' in pages["blog"]
        and "tagcloud" in pages["blog"]
        and "Newsletter" in pages["blog"]
    )
    assert '"@type": "NewsArticle"' in pages["trade"] and "<article" in pages["trade"]
    assert "paywall-teaser" in pages["trade"] and "author-box" in pages["trade"]


AMOUNT = re.compile(
    r"\d+(?:,\d+)? (?:milliards? d'euros|millions d'euros|millions €|M€|Md€)|€\d+(?:\.\d+)?(?:bn|m)\b"
)


def _long_article(site: NewsSite, paragraphs: int = 5) -> Article:
    return next(a for a in site.articles[10:] if len(a.paragraphs) >= paragraphs)


def _long_article_page(server: DemoServer, name: str) -> tuple[NewsSite, Article, str, list[int]]:
    """A site, one of its articles with five paragraphs or more, its page, and where each paragraph
    starts in the page (found in order by its first three words: the second carries a link after them)."""
    site = server.site(name)
    article = _long_article(site)
    html = get(server, name, article.path).text
    starts, at = [], html.index("<h1")
    for paragraph in article.paragraphs:
        at = html.index(_esc(" ".join(paragraph.split(" ")[:3])), at)
        starts.append(at)
    return site, article, html, starts


def test_the_regional_look_puts_a_most_read_box_inside_the_body_and_a_same_topic_list_after_it(
    server: DemoServer,
) -> None:
    site, article, html, starts = _long_article_page(server, "regional")
    body_start, body_end = html.index("<article"), html.index("</article>")
    most_read = html.index("<strong>Les plus lus</strong>")
    same_topic = html.index("<h3>Sur le même sujet</h3>")
    assert body_start < starts[1] < most_read < starts[2] < starts[-1] < same_topic < body_end
    # Both boxes sit in the body field itself, with no class an extractor would know.
    field = html[html.index("field--name-body") : body_end]
    assert "Les plus lus" in field and "Sur le même sujet" in field
    assert re.search(r'<p>\S+ \S+ \S+ <a href="/rubrique/[^"]+">', html)  # a paragraph with an inline link
    teasers = site.teasers(article)
    for box in ("most_read", "same_topic"):
        assert teasers[box]
        for teaser in teasers[box]:
            assert _esc(teaser.title) in html
            assert AMOUNT.search(teaser.title), teaser.title  # read as an announcement if it leaked


def test_the_magazine_look_puts_read_also_and_latest_headlines_in_the_body_and_a_sponsored_widget_after_it(
    server: DemoServer,
) -> None:
    site, article, html, starts = _long_article_page(server, "magazine")
    read_also = html.index("<strong>Lire aussi :</strong>")
    latest = html.index("<h3>Nos dernières actus</h3>")
    widget = html.index('id="tbl-below-article"')
    assert starts[2] < read_also < starts[3] < latest < starts[4]
    assert starts[-1] < widget < html.index("</article>")
    assert "Vous aimerez aussi" in html and "Contenus sponsorisés" in html
    for box in ("read_also", "headlines", "sponsored"):
        for teaser in site.teasers(article)[box]:
            assert _esc(teaser.title) in html and AMOUNT.search(teaser.title), teaser.title


def test_english_magazine_articles_get_the_same_boxes_with_english_headings() -> None:
    from newswatch.demo.render import article_html

    site = NewsSite("mag-en", 12, "magazine", seed=6, languages=("en",))
    article = _long_article(site)
    html = article_html(site, article, "http://127.0.0.1:8000")
    assert '<html lang="en"' in html
    assert (
        "<strong>Read more :</strong>" in html and "<h3>Trending</h3>" in html and "You may also like" in html
    )
    assert all(AMOUNT.search(t.title) for box in site.teasers(article).values() for t in box)


def test_rss_feed_lists_the_50_latest_articles(server: DemoServer) -> None:
    site = server.site("journal")
    root = ET.fromstring(get(server, "journal", "/feed/").content)
    links = [item.findtext("link") for item in root.iter("item")]
    assert len(links) == 45  # the site has fewer than 50
    assert links[0] == server.url_for("journal") + site.newest_first[0].path[1:]
    atom = ET.fromstring(get(server, "journal", "/atom.xml").content)
    assert len(atom.findall(f"{ATOM}entry")) == 45


def test_sitemap_index_lists_monthly_and_news_sitemaps(server: DemoServer) -> None:
    site = server.site("blog")
    index = ET.fromstring(get(server, "blog", "/sitemap_index.xml").content)
    locs = [e.text or "" for e in index.iter(f"{SM}loc")]
    assert any(loc.endswith("/news-sitemap.xml") for loc in locs)
    monthly = [loc for loc in locs if re.search(r"/sitemap-\d{4}-\d{2}\.xml$", loc)]
    assert len(monthly) == len(site.months())
    urls = set()
    for loc in monthly:
        urlset = ET.fromstring(requests.get(loc, timeout=10).content)
        urls |= {urlsplit(e.text or "").path for e in urlset.iter(f"{SM}loc")}
    assert {a.path for a in site.articles} <= urls
    assert site.syndicated_path in urls
    news = ET.fromstring(get(server, "blog", "/news-sitemap.xml").content)
    assert news.find(f"{SM}url/{NEWS}news/{NEWS}title") is not None


def test_robots_names_the_sitemap_and_forbids_the_private_section(server: DemoServer) -> None:
    text = get(server, "trade", "/robots.txt").text
    assert f"Sitemap: {server.url_for('trade')}sitemap_index.xml" in text
    assert "Disallow: /prive/" in text
    home = get(server, "trade", "/").text
    assert 'href="/prive/"' in home and 'href="/a-propos/"' in home


def test_listing_pages_paginate_with_rel_next(server: DemoServer) -> None:
    site = server.site("journal")
    seen: set[str] = set()
    path: str | None = "/actualites/"
    pages = 0
    while path:
        html = get(server, "journal", path).text
        pages += 1
        seen |= {
            urlsplit(h).path.rstrip("/") + "/"
            for h in re.findall(r'class="card__title"><a href="([^"]+)"', html)
        }
        match = re.search(r'<a class="next" rel="next" href="([^"]+)">Page suivante', html)
        path = match.group(1) if match else None
    assert pages == 3
    assert seen == {a.path for a in site.articles}
    page1 = get(server, "journal", "/actualites/").text
    assert "utm_source=" in page1 or "fbclid=" in page1 or "#comments" in page1


def test_tracking_variants_and_missing_slash_serve_the_same_article(server: DemoServer) -> None:
    article = server.site("journal").articles[12]
    plain = get(server, "journal", article.path).text
    assert get(server, "journal", article.path + "?utm_source=twitter&utm_medium=social").text == plain
    assert get(server, "journal", article.path.rstrip("/")).text == plain


def test_repeated_conditional_get_answers_304(server: DemoServer) -> None:
    for path in (
        "/feed/",
        "/atom.xml",
        "/sitemap_index.xml",
        "/robots.txt",
        server.site("blog").articles[3].path,
    ):
        first = get(server, "blog", path)
        assert first.headers["ETag"].startswith('"') and "Last-Modified" in first.headers
        again = get(server, "blog", path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.content == b""
        since = get(server, "blog", path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 304


def test_gzip_only_when_accepted_and_head_has_length(server: DemoServer) -> None:
    url = server.url_for("journal") + "feed/"
    zipped = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    raw = zipped.raw.read()
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) == len(raw)
    assert gzip.decompress(raw).startswith(b"<?xml")
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers
    head = requests.head(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert head.content == b"" and int(head.headers["Content-Length"]) == len(plain.content)


def test_latin1_pages_decode_as_latin1_with_accents(server: DemoServer) -> None:
    site = server.site("journal")
    declared = get(server, "journal", site.latin1_article.path)
    assert declared.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    text = declared.content.decode("latin-1")
    assert '<meta charset="iso-8859-1">' in text and "é" in text
    with pytest.raises(UnicodeDecodeError):
        declared.content.decode("utf-8")
    bare = get(server, "journal", site.nocharset_article.path)
    assert bare.headers["Content-Type"] == "text/html"
    assert b"charset" not in bare.content.lower()
    assert _esc(site.nocharset_article.paragraphs[0]) in _unref(bare.content.decode("latin-1"))


def test_syndicated_copy_has_the_same_body_and_its_own_canonical(server: DemoServer) -> None:
    site = server.site("trade")
    article = site.syndicated_article
    copy = get(server, "trade", site.syndicated_path).text
    assert f'<link rel="canonical" href="{server.url_for("trade")}{site.syndicated_path[1:]}">' in copy
    assert all(_esc(p) in copy for p in article.paragraphs)


def test_add_articles_changes_feed_etag_and_sitemaps(server: DemoServer) -> None:
    site = NewsSite("growing", 25, "blog", seed=9)
    with serve([site], faults=faults) as running:
        first = get(running, "growing", "/feed/")
        new = site.add_articles(3)
        second = get(running, "growing", "/feed/", headers={"If-None-Match": first.headers["ETag"]})
        assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
        links = [i.findtext("link") for i in ET.fromstring(second.content).iter("item")]
        assert links[:3] == [running.url_for("growing") + a.path[1:] for a in reversed(new)]
        assert all(a.published > site.articles[24].published for a in new)
        # Article i is the same whether the site was grown or generated at full size.
        assert [a.title for a in site.articles] == [
            a.title for a in generate_articles(28, seed=9, anchor_index=24)
        ]
        assert running.hits[("growing", "GET", "/feed/")] == 2


def test_status_fault_fails_the_given_number_of_times_then_serves_an_article(server: DemoServer) -> None:
    path = "/_faults/status/503/2025/05/19/reprise/?times=1&k=unit"
    assert get(server, "trade", path).status_code == 503
    second = get(server, "trade", path)
    assert second.status_code == 200 and "<article" in second.text
    assert server.hits.count(site="trade", path=path) == 2
    assert get(server, "trade", "/_faults/status/404").status_code == 404


def test_fault_content_paths(server: DemoServer) -> None:
    pdf = get(server, "journal", "/_faults/pdf/2025/05/19/rapport/")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert get(server, "journal", "/_faults/image").content.startswith(b"\x89PNG")
    truncated = get(server, "journal", "/_faults/truncated/").text
    assert not truncated.rstrip().endswith("</html>") and re.search(r"<a hr$", truncated)
    raw = requests.get(server.url_for("journal") + "_faults/deflate", stream=True, timeout=10)
    assert raw.headers["Content-Encoding"] == "deflate" and b"<html" in zlib.decompress(raw.raw.read())
    assert "<html" in get(server, "journal", "/_faults/gzip").text  # requests undoes the gzip
    xss = get(server, "journal", "/_faults/xss-title/").text
    assert "<script>alert(1)</script>" not in xss and "&lt;script&gt;alert(1)&lt;/script&gt;" in xss
    loop = get(server, "journal", "/_faults/redirect-loop/", allow_redirects=False)
    assert loop.status_code == 302
    with pytest.raises(requests.TooManyRedirects):
        get(server, "journal", "/_faults/redirect-loop/")
    for bad in ("bad-rss.xml", "bad-atom.xml", "bad-sitemap.xml"):
        with pytest.raises(ET.ParseError):
            ET.fromstring(get(server, "journal", f"/_faults/{bad}").content)


def test_big_pages_and_feeds(server: DemoServer) -> None:
    big = get(server, "blog", "/_faults/big?mb=10", headers={"Accept-Encoding": "identity"})
    assert len(big.content) >= 10_000_000
    huge = get(server, "blog", "/_faults/huge-article/").text
    body = re.search(r'<div class="entry-content">(.*?)</div>', huge, re.S)
    assert body and len(re.sub(r"<[^>]+>", " ", body.group(1)).split()) >= 100_000
    items = ET.fromstring(get(server, "blog", "/_faults/feed-5000.xml").content).findall("channel/item")
    assert len(items) == 5000
    assert get(server, "blog", urlsplit(items[-1].findtext("link") or "").path).status_code == 200


def test_drop_and_slow_faults(server: DemoServer) -> None:
    with pytest.raises(requests.ConnectionError):
        get(server, "journal", "/_faults/drop")
    started = time.monotonic()
    assert get(server, "journal", "/_faults/slow?seconds=0.3").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_stop_interrupts_a_slow_answer() -> None:
    running = serve([NewsSite("slow", 5, seed=4)], faults=faults)
    host, port = urlsplit(running.url_for("slow")).netloc.split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(b"GET /_faults/slow?seconds=60 HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.1)
    started = time.monotonic()
    running.stop()
    sock.settimeout(5)
    assert sock.recv(100) == b""  # closed without an answer
    assert time.monotonic() - started < 3
    sock.close()


def test_faults_flag_links_fault_paths_from_listing_and_feed(server: DemoServer) -> None:
    assert "/_faults/pdf/" in get(server, "trade", "/actualites/").text
    assert "/_faults/pdf/" in get(server, "trade", "/feed/").text
    assert "/_faults/" not in get(server, "journal", "/actualites/").text


def test_ground_truth_marks_choose_france_articles() -> None:
    articles = generate_articles(1000, seed=5)
    truth = [a for a in articles if a.announcement]
    assert 0.08 <= len(truth) / len(articles) <= 0.18
    for article in truth:
        ann = article.announcement
        assert ann is not None and ann.amount_text in article.text and ann.investor in article.text
        assert 2018 <= ann.edition <= 2025 and f"Choose France {ann.edition}" in article.text + article.title
        if ann.jobs_text:
            assert ann.jobs_text in article.text
    assert all(300 <= a.word_count <= 960 for a in articles)


def test_generation_is_deterministic_whatever_the_window_asked() -> None:
    # Its speed is bench/crawl's business (it generates 10,000 pages), not a wall-clock test's.
    first = generate_articles(1000, seed=11)
    assert [a.text for a in first[:50]] == [a.text for a in generate_articles(50, seed=11, anchor_index=999)]


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def _unref(text: str) -> str:
    return re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))) if int(m.group(1)) > 255 else m.group(0), text)


@pytest.fixture
def corpus_manifest() -> Path:
    return require_shared("corpus/MANIFEST.tsv")


def test_corpus_site_serves_real_pages_listed_in_its_sitemap(corpus_manifest: Path) -> None:
    from newswatch.demo.corpus import CorpusSite

    files = list(CorpusSite.from_manifest(3, corpus_manifest.parent).paths)[:3]
    site = CorpusSite(files, n_pages=5)  # 5 pages from 3 files: two repeats
    with serve([site], faults=faults) as running:
        base = running.url_for("corpus")
        locs = [
            e.text or ""
            for e in ET.fromstring(requests.get(base + "sitemap.xml", timeout=10).content).iter(f"{SM}loc")
        ]
        assert locs == [f"{base}p/{n}/" for n in range(1, 6)]
        assert f"Sitemap: {base}sitemap.xml" in requests.get(base + "robots.txt", timeout=10).text
        first = requests.get(locs[0], timeout=10)
        assert first.headers["Content-Type"] == "text/html"
        assert first.content == gzip.decompress(files[0].read_bytes())
        repeat = requests.get(locs[3], timeout=10)
        assert repeat.content != first.content and b" [1]" in repeat.content
        again = requests.get(locs[0], headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
        assert again.status_code == 304
        assert requests.get(base + "p/6/", timeout=10).status_code == 404


def test_server_command_writes_its_urls_and_serves_until_killed(tmp_path: Path) -> None:
    port_file = tmp_path / "urls.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newswatch.demo.server",
            "--articles",
            "30",
            "--sites",
            "2",
            "--port-file",
            str(port_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        urls = json.loads(port_file.read_text())
        assert sorted(urls) == ["blog", "journal"]
        assert requests.get(urls["blog"] + "feed/", timeout=10).status_code == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def test_a_bilingual_site_publishes_some_english_articles(tmp_path: Path) -> None:
    site = NewsSite("bilingue", 24, "trade", seed=6, languages=("fr", "en"))
    english = [a for a in site.articles if a.language == "en"]
    assert 0 < len(english) < len(site.articles)
    with serve([site], faults=faults) as running:
        html = get(running, "bilingue", english[0].path).text
        assert '<html lang="en"' in html and _esc(english[0].title) in html


def test_demo_config_points_every_source_at_a_running_site(tmp_path: Path) -> None:
    import yaml

    from newswatch.cli.demo_cmd import demo_config
    from newswatch.config import parse_config

    urls = {
        "journal": "http://127.0.0.1:1111/",
        "blog": "http://127.0.0.1:2222/",
        "trade": "http://127.0.0.1:3333/",
    }
    config = parse_config(
        yaml.safe_dump(demo_config(urls, tmp_path / "demo")), tmp_path / "config.yaml", env={}
    )
    assert [str(s.home) for s in config.sources] == list(urls.values())
    assert [str(u) for u in config.source("demo-blog").feeds] == ["http://127.0.0.1:2222/feed/"]
    assert [str(u) for u in config.source("demo-trade").sitemaps] == [
        "http://127.0.0.1:3333/sitemap_index.xml"
    ]
    assert config.resolved_database_url() == f"sqlite:///{(tmp_path / 'demo' / 'newswatch.db').resolve()}"


@pytest.mark.slow
def test_demo_command_crawls_the_bundled_sites_end_to_end(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newswatch.cli.demo_cmd import demo, newswatch_executable

    data = tmp_path / "demo"
    result = CliRunner().invoke(demo, ["--data-dir", str(data), "--articles", "10"])
    assert result.exit_code == 0, result.output
    assert "demo: 3 sites, 10 articles each" in result.output
    assert (data / "newswatch.db").exists() and (data / "demo-ports.json").exists()
    # It ends with the commands that show its data, the web view's among them, with the config it keeps
    # beside the data (tests/test_demo_commands.py runs them).
    lines = result.output.rstrip().splitlines()
    assert f"demo: the digest sent to analyste-demo is an .eml file in {data / 'outbox'}/" in lines
    assert lines[-1] == "demo: web view over this data: http://127.0.0.1:8000/"
    assert f"  {newswatch_executable(Path.cwd())} --config {data / 'config.yaml'} serve" in lines
    from newswatch.config import load_config

    kept = load_config(data / "config.yaml", env={})
    assert kept.resolved_database_url() == f"sqlite:///{(data / 'newswatch.db').resolve()}"
    assert kept.web.url() == "http://127.0.0.1:8000" and kept.web.secret is not None
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{data / 'newswatch.db'}")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    engine.dispose()
    # 30 articles, one of them also served as a partner copy (stored once).
    assert stored == 30
