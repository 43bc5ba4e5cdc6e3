"""The web view in a real headless browser (Debian's Chromium through Playwright) against `newswatch
serve` on 127.0.0.1: filters change the table, an announcement shows its sources, charts render, and
the pages speak French and English. One browser for the module; the table works with JavaScript off."""

from __future__ import annotations

import base64
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_support import database, dispose_all
from web_support import CHROMIUM_ARGS, EDITIONS, View, require_chromium, seed, serving, write_view_config


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Iterator[View]:
    require_chromium()
    folder = tmp_path_factory.mktemp("web-browser")
    url = f"sqlite:///{folder / 'newswatch.db'}"
    database(url).migrate()
    seed(url)
    dispose_all()
    with serving(write_view_config(folder, url), url, folder / "serve.log") as running:
        yield running


@pytest.fixture(scope="module")
def browser(view: View) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A French reader's tab, with JavaScript off: every page must work without it."""
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    tab = context.new_page()
    yield tab
    context.close()


def column(tab: Any, name: str) -> list[str]:
    return [c.strip() for c in tab.locator(f"#announcements tbody td.{name}").all_inner_texts()]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def bar_pixels(browser: Any, png: bytes) -> int:
    """Pixels of the bars' colour (#2563eb) in a PNG, counted by the browser itself on a canvas."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content("<canvas></canvas>")
    count = tab.evaluate(
        """async (data) => {
        const image = new Image();
        image.src = "data:image/png;base64," + data;
        await image.decode();
        const canvas = document.querySelector("canvas");
        canvas.width = image.width; canvas.height = image.height;
        const ctx = canvas.getContext("2d");
        ctx.drawImage(image, 0, 0);
        const pixels = ctx.getImageData(0, 0, image.width, image.height).data;
        let n = 0;
        for (let i = 0; i < pixels.length; i += 4) {
            if (Math.abs(pixels[i] - 37) < 8 && Math.abs(pixels[i + 1] - 99) < 8 && Math.abs(pixels[i + 2] - 235) < 8) n++;
        }
        return n;
    }""",
        base64.b64encode(png).decode("ascii"),
    )
    context.close()
    return int(count)


def test_filters_change_the_table(view: View, page: Any) -> None:
    page.goto(view.url)
    assert len(column(page, "investor")) == 8
    page.select_option("#f-region", "32")
    page.click("#f-apply")
    page.wait_for_url("**/?*region=32*")
    assert sorted(column(page, "investor")) == ["Brookfield", "ProLogium"]
    assert all("Hauts-de-France" in places for places in column(page, "places"))

    page.select_option("#f-region", "")
    page.select_option("#f-min-amount", "1000000000")
    page.fill("#f-q", "pharmacie")
    page.click("#f-apply")
    page.wait_for_url("**q=pharmacie*")
    assert column(page, "investor") == ["Eli Lilly"]
    assert page.inner_text("#summary").startswith("1 annonce")

    page.click("text=Effacer les filtres")
    # Sorting is a link: by amount, biggest first, then reversed.
    page.click("#announcements thead >> text=Montant")
    assert column(page, "amount")[:3] == ["15\u00a0Md€", "5,2\u00a0Md€", "4\u00a0Md€"]
    page.click("#announcements thead >> text=Montant")
    assert column(page, "amount")[0] == "50\u00a0M€"


def test_an_announcement_page_shows_its_sources(view: View, page: Any) -> None:
    page.goto(view.url)
    page.click("#announcements >> text=Pfizer")
    page.wait_for_url("**/announcements/*")
    assert page.inner_text("#investor") == "Pfizer"
    assert page.inner_text("#jobs") == "200" and page.inner_text("#regions") == "Centre-Val de Loire"
    sources = page.locator("#sources li.source")
    assert sources.count() == 2
    titles = sources.locator("a.title")
    assert titles.all_inner_texts() == ["Pfizer renforce Amboise", "Amboise : 200 emplois chez Pfizer"]
    assert [titles.nth(i).get_attribute("href") for i in range(2)] == [
        "https://www.lesechos.example/2025/pfizer-amboise/",
        "https://www.lanouvellerepublique.example/2025/pfizer-200-emplois/",
    ]
    meta = sources.locator(".meta").all_inner_texts()
    assert meta == ["lesechos · 13\u00a0mai 2024", "lanouvellerepublique · 14\u00a0mai 2024"]
    assert page.locator("#evidence li").count() == 2  # the record's sentence and the second article's


def test_charts_render_one_mark_per_edition(view: View, browser: Any, page: Any, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(view.url + "charts")
    for chart in ("#chart-edition-amount", "#chart-edition-count"):
        marks = page.locator(f"{chart} rect.mark")
        assert [marks.nth(i).get_attribute("data-key") for i in range(marks.count())] == [
            str(e) for e in EDITIONS
        ]
        assert all(marks.nth(i).bounding_box()["height"] > 0 for i in range(marks.count()))
    assert page.locator("#chart-region-map g.region").count() >= 18
    assert page.locator('#chart-region-map g[data-region="32"]').get_attribute("class") == "region q4"

    shot = page.locator("#chart-edition-amount").screenshot(path=str(tmp_path / "editions.png"))
    box = page.locator("#chart-edition-amount").bounding_box()
    width, height = png_size(shot)
    assert (
        abs(width - box["width"]) <= 1 and abs(height - box["height"]) <= 1 and width > 100 and height > 100
    )
    # What the screenshot shows: the bars' blue, over a good part of the picture (one bar per edition).
    assert bar_pixels(browser, shot) > 0.04 * width * height
    whole = page.screenshot(full_page=True)
    assert png_size(whole)[1] > 1500 and bar_pixels(browser, whole) > 0


def test_pages_in_french_and_english(view: View, browser: Any) -> None:
    english = browser.new_context(locale="en-US")
    tab = english.new_page()
    tab.goto(view.url)
    assert tab.inner_text("h1") == "Investment announcements"
    assert tab.get_attribute("html", "lang") == "en"
    assert "€4bn" in column(tab, "amount") and "data centres, AI" in column(tab, "sector")
    # The switch is remembered: the next page stays in French.
    tab.click("#lang-switch")
    assert tab.inner_text("h1") == "Annonces d'investissement" and "4\u00a0Md€" in column(tab, "amount")
    tab.click("nav >> text=Graphiques")
    assert tab.inner_text("h1") == "Graphiques" and tab.get_attribute("html", "lang") == "fr"
    english.close()

    french = browser.new_context(locale="fr-FR")
    tab = french.new_page()
    tab.goto(view.url + "status")
    assert tab.inner_text("h1") == "État du crawl"
    assert "jamais crawlée" in tab.content() or "Aucun planificateur ne tourne" in tab.content()
    french.close()


def test_every_filter_of_the_form_narrows_the_table_and_the_pages_cover_it(view: View, page: Any) -> None:
    page.goto(view.url)
    page.select_option("#f-edition", "2022")
    page.click("#f-apply")
    page.wait_for_url("**edition=2022*")
    assert sorted(column(page, "investor")) == ["Airbus Atlantic", "Eli Lilly"]
    page.select_option("#f-edition", "")
    page.select_option("#f-sector", "pharmacie")
    page.click("#f-apply")
    page.wait_for_url("**sector=pharmacie*")
    assert sorted(column(page, "investor")) == ["Eli Lilly", "Pfizer"]
    page.fill("#f-investor", "lilly")
    page.click("#f-apply")
    page.wait_for_url("**investor=lilly*")
    assert column(page, "investor") == ["Eli Lilly"] and page.input_value("#f-sector") == "pharmacie"

    # Three rows a page: following "next" shows every announcement once, in the table's order.
    page.goto(view.url + "?per_page=3&sort=amount")
    seen = column(page, "investor")
    while page.locator("nav.pager a[rel=next]").count():
        page.click("nav.pager a[rel=next]")
        seen += column(page, "investor")
    assert len(seen) == 8 == len(set(seen)) and seen[0] == "Brookfield" and seen[-1] == "Digital Realty"

    # The charts take the same filters: one edition chosen, one mark.
    page.goto(view.url + "charts?edition=2023")
    marks = page.locator("#chart-edition-count rect.mark")
    assert [marks.nth(i).get_attribute("data-key") for i in range(marks.count())] == ["2023"]
