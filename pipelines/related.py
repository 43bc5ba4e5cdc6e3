"""Blocks that point to other articles ("À lire aussi", "Les plus lus", related lists, recommendation
widgets), found in the page's HTML and cut from the text trafilatura took out of it.

A headline in such a block names an investment the article does not report; left in the stored text,
the detector would read it as an announcement. A line of trafilatura's text that is mostly a linked
headline of the page is checked where that link sits: in a list or box of such headlines under a
heading of pipelines.related_headings, in a box made mostly of link text, in a "Lire aussi : ..."
paragraph, or in a block the site names related, most read, recommended... The line goes, with the
heading above it. A paragraph of prose is never cut, whatever links it holds.

The page itself is left as it is: trafilatura decides on page-wide measures (how much text a
cleaning pass would take, which container holds the most), and a page with its sidebars taken out
beforehand can lose half its article to them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from pipelines.related_headings import HEADING_RE, INLINE_LABEL_RE, NAME_HINT_RE, SURE_HEADING_RE

# Below these, a link's text is a menu entry or a button, not a headline.
HEADLINE_MIN_CHARS = 20
HEADLINE_MIN_WORDS = 3
# A line is the headline's when the headline is at least this share of it (a date, a rank or
# "Lire aussi :" around it); a sentence that merely links to an article keeps its words.
LINE_HEADLINE_SHARE = 0.6
# Non-link text of one run from which it is prose: a reporter's paragraph, not a teaser's dek.
PROSE_MIN_CHARS = 200
HEADING_MAX_CHARS = 80
INLINE_MAX_CHARS = 300
# A box after a heading: half its text is headline links. A box with no heading: three quarters,
# and at least three headlines.
BOX_LINK_SHARE = 0.5
BARE_LIST_LINK_SHARE = 0.75
BARE_LIST_MIN_HEADLINES = 3
# A box the site names "related" or "popular": a share of link text, or very little besides it.
NAMED_LINK_SHARE = 0.4
NAMED_MAX_OTHER_CHARS = 150
# Elements that may be a box of headlines; and all those that break a run of text.
_BOX_TAGS = frozenset(
    (
        "p",
        "div",
        "li",
        "td",
        "th",
        "dd",
        "dt",
        "blockquote",
        "section",
        "article",
        "aside",
        "ul",
        "ol",
        "table",
        "form",
        "nav",
        "footer",
        "header",
    )
)
_BLOCK_TAGS = _BOX_TAGS | {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "main",
    "figure",
    "dl",
    "pre",
    "tr",
    "tbody",
    "thead",
    "address",
    "body",
    "html",
    "hr",
    "br",
}
# Containers of the whole page, never a box.
_PAGE_LEVEL = frozenset(("html", "body", "main", "head"))
# The elements trafilatura makes lines of.
_LINE_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "blockquote", "figcaption")
# Text no reader sees.
_INVISIBLE = frozenset(
    ("script", "style", "noscript", "template", "svg", "head", "title", "select", "option")
)
_OWN_URL_XPATH = "//link[@rel='canonical']/@href|//meta[@property='og:url']/@content"
# Links with enough text to be a headline, found by lxml rather than one by one.
_LONG_LINKS = etree.XPath(f".//a[@href][string-length(normalize-space(.)) >= {HEADLINE_MIN_CHARS}]")
# The article's own headline, which a "most read" box on its page may list too.
_OWN_TITLE_XPATH = "//h1|//title|//meta[@property='og:title']/@content"
_NON_WORD_RE = re.compile(r"[\W_]+")
_SPACE_RE = re.compile(r"\s+")


def cut_related(text: str, tree: HtmlElement, url: str | None = None) -> str:
    """trafilatura's `text` of the page `tree` without the lines that came from its blocks of other
    headlines, and without the heading right above such lines."""
    lines = text.split("\n")
    short = [
        (i, key)
        for i, line in enumerate(lines)
        if len(line) <= INLINE_MAX_CHARS and len(key := text_key(line)) >= HEADLINE_MIN_CHARS // 2
    ]
    headings = [
        i for i, line in enumerate(lines) if len(line) <= HEADING_MAX_CHARS and HEADING_RE.match(line.strip())
    ]
    if not short and not headings:
        return text
    page = _Page(tree, url)
    links = page.headline_links()
    cut = {i for i, key in short if _from_related_block(page, links, key)}
    # A heading whose list trafilatura dropped, left alone.
    cut |= {i for i in headings if any(map(page.heads_box, page.elements_saying(text_key(lines[i]))))}
    for i in sorted(cut):
        above = i - 1
        while above >= 0 and not lines[above].strip():
            above -= 1
        if (
            above >= 0
            and above not in cut
            and len(lines[above]) <= HEADING_MAX_CHARS
            and HEADING_RE.match(lines[above].strip())
        ):
            cut.add(above)
    return "\n".join(line for i, line in enumerate(lines) if i not in cut)


def _from_related_block(page: _Page, links: list[tuple[str, HtmlElement]], key: str) -> bool:
    """Whether the line whose key is `key` is mostly a linked headline that a block of other headlines
    shows. When elements of the page have that very text, every one of them must be in such a block:
    the same words may also be the article's own subheading."""
    # Several teasers may run together on one line: their headlines, together, make most of it.
    found = {
        link_key: link for link_key, link in links if link_key in key and page.other_article(link, link_key)
    }
    if sum(map(len, found)) < LINE_HEADLINE_SHARE * len(key):
        return False
    link = found[max(found, key=len)]
    sources = page.elements_saying(key)
    if sources:
        return all(page.in_related_block(element) for element in sources)
    parent = link.getparent()
    return parent is not None and page.in_related_block(parent)


def text_key(text: str) -> str:
    """Letters and digits only, case folded: the same text however spaces, bullets and quotes came out."""
    return _NON_WORD_RE.sub("", text.casefold())


@dataclass(slots=True)
class _Stats:
    """Measures of an element's subtree, in characters of whitespace-folded text."""

    chars: int = 0
    link_chars: int = 0
    headlines: int = 0
    prose: int = 0
    has_h1: bool = False
    # Non-link text this element adds to the run of text it sits in: its own words, the tails of its
    # children and the words of its inline children (a <div> of text and <br>s is one run).
    run_chars: int = 0


# Shared by every element with no visible text.
_EMPTY = _Stats()
# What a box around a link is: part of a block of other headlines, the article's container, or neither.
_RELATED, _ARTICLE, _PASS = "related", "article", "pass"


class _Page:
    """One page's links and the measures of the parts of it that are looked at, computed once."""

    def __init__(self, tree: HtmlElement, url: str | None) -> None:
        self.tree = tree
        self.url = url
        self.stats: dict[HtmlElement, _Stats] = {}
        self.verdicts: dict[HtmlElement, str] = {}
        self.by_key: dict[str, list[HtmlElement]] | None = None

    def headline_links(self) -> list[tuple[str, HtmlElement]]:
        """(key, link) of the links whose text may be a headline (long enough, a few words)."""
        out = []
        for link in _LONG_LINKS(self.tree):
            text = link.text_content()
            if len(text.split()) >= HEADLINE_MIN_WORDS:
                out.append((text_key(text), link))
        return out

    @functools.cached_property
    def own(self) -> frozenset[str]:
        """The paths the page answers to: its URL, its canonical and og:url."""
        candidates = [self.url, *self.tree.xpath(_OWN_URL_XPATH)]
        return frozenset(path for c in candidates if c and (path := _path(str(c))))

    @functools.cached_property
    def titles(self) -> frozenset[str]:
        """The keys of the article's own headline, which a "most read" box on its page may list too."""
        return frozenset(
            text_key(t if isinstance(t, str) else t.text_content()) for t in self.tree.xpath(_OWN_TITLE_XPATH)
        )

    def other_article(self, link: HtmlElement, key: str) -> bool:
        """A link to another article: not to the page itself, not named like the page's headline."""
        return key not in self.titles and self.real_link(link)

    def real_link(self, link: HtmlElement) -> bool:
        """A link to another page: not "#section", not the page's own URL, not a script."""
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "?", "javascript:", "JavaScript:")):
            return False
        lowered = href.lower()
        # urlsplit only for the few links that may be the page's own.
        return not (any(path in lowered for path in self.own) and _path(href) in self.own)

    def in_related_block(self, element: HtmlElement) -> bool:
        """Whether the element sits in a block of other headlines: it and the boxes around it, up to
        the first one that holds the article's prose, are judged by the four rules."""
        box: HtmlElement | None = element
        while box is not None and box.tag not in _PAGE_LEVEL:
            verdict = self.verdicts.get(box)
            if verdict is None:
                verdict = self.verdicts[box] = self._judge(box)
            if verdict is not _PASS:
                return verdict is _RELATED
            box = box.getparent()
        return False

    def elements_saying(self, key: str) -> list[HtmlElement]:
        """The paragraphs, items and headings of the page whose text has this key."""
        if self.by_key is None:
            self.by_key = {}
            for element in self.tree.iter(*_LINE_TAGS):
                text = element.text_content()
                if len(text) <= 2 * INLINE_MAX_CHARS:
                    self.by_key.setdefault(text_key(text), []).append(element)
        return self.by_key.get(key, [])

    def heads_box(self, heading: HtmlElement) -> bool:
        """Whether a heading stands right above a box of linked headlines."""
        top = heading  # the outermost wrapper holding nothing but the heading
        chars = self.measure(heading).chars
        while (
            (parent := top.getparent()) is not None
            and parent.tag not in _PAGE_LEVEL
            and self.measure(parent).chars == chars
        ):
            top = parent
        sibling = top.getnext()
        while sibling is not None:
            if isinstance(sibling.tag, str) and (st := self.measure(sibling)).chars:
                return _teaser_box(st)
            sibling = sibling.getnext()
        return False

    def _judge(self, box: HtmlElement) -> str:
        st = self.measure(box)
        if st.has_h1 or st.prose >= 2:
            return _ARTICLE  # the article's container: nothing above it is a box of headlines
        if (
            _bare_headline_list(box, st)
            or _inline_label(box, st)
            or _named_related(box, st)
            or self.after_heading(box, st)
        ):
            return _RELATED
        return _PASS

    def after_heading(self, box: HtmlElement, st: _Stats) -> bool:
        """A box of headlines under a heading such as "Les plus lus", maybe after other such boxes."""
        if not _teaser_box(st):
            return False
        sibling = box.getprevious()
        while sibling is not None:
            if isinstance(sibling.tag, str):
                sib = self.measure(sibling)
                if sib.chars and not _teaser_box(sib):
                    return (
                        sib.chars <= HEADING_MAX_CHARS
                        and not sib.headlines
                        and bool(HEADING_RE.match(_folded(sibling.text_content())))
                    )
            sibling = sibling.getprevious()
        return False

    def measure(self, root: HtmlElement) -> _Stats:
        """_Stats of `root`, from those of its descendants (reversed document order: children first)."""
        stats = self.stats
        known = stats.get(root)
        if known is not None:
            return known
        for element in reversed(list(root.iter(etree.Element))):  # elements only, no comments
            if element not in stats:
                stats[element] = self._one(element)
        return stats[root]

    def _one(self, element: HtmlElement) -> _Stats:
        """An element's _Stats, its children's being known."""
        tag = element.tag
        if tag in _INVISIBLE:
            return _EMPTY
        get = self.stats.get
        chars = run = _folded_len(element.text)
        link = headlines = prose = 0
        has_h1 = False
        for child in element:
            tail = _folded_len(child.tail)
            chars += tail
            run += tail
            child_st = get(child)
            if child_st is None or child_st is _EMPTY:  # a comment, a script, an empty element
                continue
            chars += child_st.chars
            link += child_st.link_chars
            headlines += child_st.headlines
            prose += child_st.prose
            has_h1 = has_h1 or child_st.has_h1
            if child.tag not in _BLOCK_TAGS:
                run += child_st.run_chars
        if not chars and not has_h1:
            return _EMPTY
        if tag == "a":
            if self.real_link(element):
                link, run = chars, 0
                headlines = int(
                    chars >= HEADLINE_MIN_CHARS and len(element.text_content().split()) >= HEADLINE_MIN_WORDS
                )
        elif tag == "h1":
            has_h1 = True
        elif run >= PROSE_MIN_CHARS and tag in _BOX_TAGS:
            prose += 1
        return _Stats(chars, link, headlines, prose, has_h1, run)


# --- the rules ---------------------------------------------------------------------------------
def _teaser_box(st: _Stats) -> bool:
    """Headlines and little else: no prose, half of it link text."""
    return bool(st.headlines) and not st.prose and st.link_chars >= BOX_LINK_SHARE * st.chars


def _bare_headline_list(box: HtmlElement, st: _Stats) -> bool:
    """A list or box of three or more linked headlines and little else, with no heading at all."""
    return (
        box.tag in _BOX_TAGS
        and not st.prose
        and st.headlines >= BARE_LIST_MIN_HEADLINES
        and st.link_chars >= BARE_LIST_LINK_SHARE * st.chars
    )


def _inline_label(box: HtmlElement, st: _Stats) -> bool:
    """A "Lire aussi : <a>headline</a>" paragraph: a label and a link, nothing else."""
    if box.tag not in _BOX_TAGS or not st.headlines or st.chars > INLINE_MAX_CHARS:
        return False
    match = INLINE_LABEL_RE.match(_folded(box.text_content()))
    return match is not None and st.link_chars >= 0.7 * len(match.group("rest"))


def _named_related(box: HtmlElement, st: _Stats) -> bool:
    """A block the site itself names related, most read, recommended...: unless it holds the article."""
    names = " ".join(n for n in (box.get("class"), box.get("id")) if n)
    if not names or not _related_name(names) or st.prose >= 2:
        return False
    # Headlines and a little else (dates, sponsors' names); a body that merely links is mostly words.
    return st.link_chars >= NAMED_LINK_SHARE * st.chars or st.chars - st.link_chars <= NAMED_MAX_OTHER_CHARS


@functools.lru_cache(maxsize=4096)
def _related_name(names: str) -> bool:
    """Pages repeat the same few class names: each is matched once."""
    return bool(NAME_HINT_RE.search(names))


# --- helpers -----------------------------------------------------------------------------------
def _path(href: str) -> str:
    return urlsplit(href.strip()).path.rstrip("/").lower()


def _folded(text: str | None) -> str:
    return _SPACE_RE.sub(" ", text).strip() if text else ""


def _folded_len(text: str | None) -> int:
    """len(_folded(text)), without building the string: most text nodes of a page are indentation."""
    if not text:
        return 0
    words = text.split()
    return sum(map(len, words)) + len(words) - 1 if words else 0


# The text-level backstop: lines that survive extraction once their HTML is gone.
_RELATED_HEADING_MAX_CHARS = 80
_HEADLINE_MAX_CHARS = 320
_PROSE_MIN_LEN = 160
_SENTENCE_END_RE = re.compile(r"[.!?…»”\"]\s*$")


def strip_related_lines(text: str) -> str:
    """What a block of other headlines left in an extracted text once its HTML was gone: a line that
    is only a sure heading ("Sur le même sujet") goes with the headline-like lines after it, and a
    "Lire aussi : <headline>" line goes alone. A line of prose ends a block.
    """
    out: list[str] = []
    in_block = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            out.append(line)
            continue
        if len(stripped) <= _RELATED_HEADING_MAX_CHARS and SURE_HEADING_RE.match(stripped):
            in_block = True
            continue
        if in_block and _headline_like(stripped) and not HEADING_RE.match(stripped):
            continue  # another heading ("L'essentiel") opens what may be the article's own list
        in_block = False
        inline = INLINE_LABEL_RE.match(stripped)
        if inline and len(stripped) <= _HEADLINE_MAX_CHARS and _headline_like(inline.group("rest")):
            continue
        out.append(line)
    return "\n".join(out)


def _headline_like(line: str) -> bool:
    """A list item, or a short line that does not end a sentence."""
    if line.startswith(("- ", "• ", "* ")):
        return len(line) <= _HEADLINE_MAX_CHARS
    return len(line) < _PROSE_MIN_LEN and not _SENTENCE_END_RE.search(line)
