"""Cut what a page dump carries besides the article: menus, related-article blocks, comments, share lines.

Detection must only read the main body: a related headline or a reader's comment that names an
investment is not the article reporting one.
"""

from __future__ import annotations

import re

from pipelines.related_headings import SURE_PHRASES

MENU_WORDS = frozenset(
    [
        "accueil",
        "home",
        "menu",
        "rechercher",
        "recherche",
        "connexion",
        "abonnez-vous",
        "s'abonner",
        "abonnés",
        "newsletter",
        "newsletters",
        "contact",
        "économie",
        "economie",
        "tech",
        "technologie",
        "technologies",
        "numérique",
        "startups",
        "start-up",
        "régions",
        "region",
        "régions",
        "politique",
        "international",
        "monde",
        "france",
        "société",
        "sport",
        "sports",
        "culture",
        "vidéos",
        "vidéo",
        "podcasts",
        "podcast",
        "entreprises",
        "entreprise",
        "industrie",
        "innovation",
        "finance",
        "finances",
        "immobilier",
        "emploi",
        "emplois",
        "opinions",
        "opinion",
        "santé",
        "environnement",
        "business",
        "médias",
        "énergie",
        "energie",
        "auto",
        "automobile",
        "data",
        "ia",
        "cloud",
        "actualités",
        "actu",
        "actus",
        "idées",
        "débats",
        "éco",
        "marchés",
        "bourse",
        "patrimoine",
        "high-tech",
        "sciences",
        "science",
        "lifestyle",
        "services",
        "édition",
        "éditions",
        "journal",
        "kiosque",
        "direct",
        "live",
        "infos",
        "info",
        "local",
        "locales",
        "dossiers",
        "dossier",
        "magazine",
        "mobilité",
        "transports",
        "transport",
        "luxe",
        "distribution",
        "agro",
        "agriculture",
        "cyber",
        "cybersécurité",
        "semi-conducteurs",
        "tribunes",
        "tribune",
        "analyses",
        "analyse",
        "enquêtes",
        "enquête",
        "portraits",
        "portrait",
        "interviews",
        "interview",
        "événements",
        "classements",
        "evenements",
        "the",
        "la",
        "le",
        "les",
        "et",
        "de",
        "du",
        "des",
        "en",
        "à",
        "|",
        "›",
        "»",
        ">",
        "/",
        "·",
        "•",
        "-",
        "–",
        "—",
    ]
)
_TOKEN_RE = re.compile(r"\S+")
_SENTENCE_PUNCT_RE = re.compile(r"[.!?;:,«»\"“”()]")

# A reader-comment section starts here; nothing after it is the article.
COMMENTS_RE = re.compile(
    r"^\s*(?:\d+\s+)?(?:commentaires?|comments?|réactions?)\s*(?:\(\d+\))?\s*:?\s*$"
    r"|^\s*(?:no\s+comments|leave\s+a\s+reply|laisser\s+un\s+commentaire|laissez\s+un\s+commentaire|"
    r"ajouter\s+un\s+commentaire|poster\s+un\s+commentaire|écrire\s+un\s+commentaire|votre\s+commentaire|"
    r"réagir(?:\s+à\s+cet\s+article)?|réagissez|commenter(?:\s+cet\s+article)?|les\s+commentaires\s+sont\s+fermés|"
    r"connectez-vous\s+pour\s+(?:commenter|réagir)|vos\s+commentaires|\d+\s+commentaires?\b|"
    r"voir\s+les\s+\d+\s+commentaires|afficher\s+les\s+commentaires|please\s+enter\s+your\s+comment)",
    re.IGNORECASE,
)
# "Jean-Pierre D. — Encore des promesses", "Marc_75 : ...", "Sophie L., le 14 mai à 9 h 12"
COMMENT_ENTRY_RE = re.compile(
    r"^\s*(?:[A-ZÉÈ][\w'-]+\s+[A-Z]\.|(?!\d{1,2}\s*h\s*\d{0,2}\b)[A-Za-z][\w.-]*\d+|[A-Z][a-z]+_\w+)\s*(?:[—–]|-\s|:|,\s*le\s+\d|a\s+écrit)",
)
# "Sophie D., Responsable RSE : Bravo !": a reader's reply signed with a first name, an initial and a role.
# Only the line is dropped: an article may quote an anonymised witness the same way in the middle of its text.
SIGNED_REPLY_RE = re.compile(r"^\s*[A-ZÉÈ][\w'-]+\s+[A-Z]\.,\s*[^:«»\n]{2,60}?\s:\s*(?!«)")
# A line that opens a block of other headlines, or introduces one ("À lire aussi : ..."); `rest` is
# what follows the heading words (pipelines.related_headings).
RELATED_RE = re.compile(
    rf"^\s*(?:[>»•▶►■\-–—]\s*)?(?:{SURE_PHRASES})\b\s*[:.»>\-–—]*\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
NOISE_RE = re.compile(
    r"quitter\s+la\s+version\s+mobile|cookies?|consentement|accepter\s+et\s+fermer|newsletter|inscrivez-vous|"
    r"abonnez-vous|s['’]abonner|déjà\s+abonné|partager\s+(?:cet\s+article|sur)|^partager$|tweet(?:er)?\b|"
    r"envoyer\s+par\s+(?:e-?mail|courriel)|imprimer\s+l['’]article|^\s*(?:publié|mis\s+à\s+jour|modifié)\s+le\b|"
    r"temps\s+de\s+lecture|lecture\s*:\s*\d+\s*min|^\s*\d+\s*min(?:utes)?\s+de\s+lecture|^\s*(?:tags?|mots-clés|thèmes?|sujets?)\s*:|"
    r"^\s*(?:crédits?\s+photo|photo\s*:|©)|tous\s+droits\s+réservés|publicité|suivez-nous|retrouvez-nous|"
    r"^\s*(?:facebook|twitter|linkedin|whatsapp|e-?mail|x)(?:\s+(?:facebook|twitter|linkedin|whatsapp|e-?mail|x))*\s*$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING_RE = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_SHORT_LINE_TOKENS = 4
_HEADING_MAX_TOKENS = 8
_ELIDED_RE = re.compile(r"^[LlDd]['’]\w")
_NOISE_MAX_LEN = 220
_PROSE_MIN_LEN = 160
_TEASER_PREFIX = 60


def normalise(text: str) -> str:
    """Undo the entity and space debris of page dumps ("&nbsp:", non-breaking spaces)."""
    text = re.sub(r"&nbsp;?", " ", text)
    text = text.replace("&amp;", "&").replace("&#8217;", "’").replace("\r\n", "\n").replace("\r", "\n")
    text = _MARKDOWN_HEADING_RE.sub("", text)
    return re.sub(r"[ \t\u00a0\u202f]+", " ", text)


def strip_menu_prefix(line: str) -> str:
    """Drop leading navigation words glued to a title: "Home Technologie Microsoft, Amazon…" -> "Microsoft, Amazon…"."""
    tokens = line.split(" ")
    i = 0
    while i < len(tokens) - 1 and tokens[i].lower() in MENU_WORDS and tokens[i][:1].isupper():
        i += 1
    if i and tokens[i - 1].lower() in {"la", "le", "les", "de", "du", "des", "en", "à", "et"}:
        i -= 1
    # One capitalised word is a title's first word ("France 2030 : ..."); a menu has several.
    return " ".join(tokens[i:]) if i >= 2 else line


_LINKING_WORDS = frozenset({"la", "le", "les", "de", "du", "des", "en", "à", "et", "d'", "l'"})


def is_menu_line(line: str) -> bool:
    """A navigation bar: several capitalised words or menu words, no sentence punctuation."""
    tokens = _TOKEN_RE.findall(line)
    if len(tokens) < 3 or len(line) > 300 or _SENTENCE_PUNCT_RE.search(line.replace("›", "")):
        return False
    menuish = sum(1 for t in tokens if t.lower() in MENU_WORDS or t[:1].isupper() or not t[:1].isalnum())
    if len(tokens) <= _SHORT_LINE_TOKENS and not any(
        t.lower() in MENU_WORDS and t.lower() not in _LINKING_WORDS for t in tokens
    ):
        # "Nordvik Wind Energy", "LEVÉES DE FONDS": a heading naming a company or a section, not a menu
        return False
    if len(tokens) <= _HEADING_MAX_TOKENS and _ELIDED_RE.match(tokens[0]):
        return False  # "L'essentiel de Choose France": an elided article opens a heading; menus list nouns
    return menuish / len(tokens) >= 0.85


def _is_prose(line: str) -> bool:
    return len(line) >= _PROSE_MIN_LEN and bool(re.search(r"[.!?»”]\s*$", line))


# A table row rewritten as a list item (pipelines.detect.tables): "- Brightmoor (Royaume-Uni) : 75 millions d'euros à X."
_TABLE_ITEM_RE = re.compile(r"^- [^:|]{2,80}? : [^|]*\d[^|]*\.$")


def _table_row(line: str) -> bool:
    """A row of a table the article goes on with after a box of other headlines: four cells or more, one
    of them a sentence or a figure (a menu's cells are single words), or such a row already rewritten."""
    cells = [c.strip() for c in line.split("|")]
    return bool(_TABLE_ITEM_RE.match(line)) or (
        len(cells) >= 4 and any(len(c) > 40 or re.search(r"\d", c) for c in cells)
    )


def _is_noise(line: str) -> bool:
    stripped = line.strip()
    if not stripped or re.fullmatch(r"[\d\s|•·\-–—]+", stripped):
        return True
    return len(stripped) <= _NOISE_MAX_LEN and bool(NOISE_RE.search(stripped))


def main_body_lines(text: str, title: str | None = None) -> list[str]:
    """The article's own lines, in order, with blank lines kept as paragraph breaks ("")."""
    lines = normalise(text).split("\n")
    out: list[str] = []
    in_related = False
    seen: set[str] = set()
    title_key = (title or "").strip().lower()
    body_seen = False
    for raw in lines:
        line = raw.strip()
        if not line:
            out.append("")
            continue
        if body_seen and (COMMENTS_RE.match(line) or (COMMENT_ENTRY_RE.match(line) and len(line) < 600)):
            break
        if SIGNED_REPLY_RE.match(line):
            continue
        related = RELATED_RE.match(line)
        if related and len(line) < _NOISE_MAX_LEN + 100:
            # Inline "À lire aussi : <headline>" is one item; a bare header opens a block of headlines.
            in_related = not related.group("rest").strip()
            continue
        if in_related:
            if not _is_prose(line) and not _table_row(line):
                continue
            in_related = False
        if _is_noise(line) or is_menu_line(line):
            continue
        key = line.lower()
        if key in seen or (title_key and key == title_key):
            continue
        seen.add(key)
        out.append(line)
        body_seen = body_seen or len(line) > 80
    return _drop_teasers(out)


def _drop_teasers(lines: list[str]) -> list[str]:
    """Remove truncated excerpts ("… vise à attirer …") whose text reappears in full later."""
    full = [ln for ln in lines if ln and not ln.endswith(("…", "..."))]
    result = []
    for ln in lines:
        if ln.endswith(("…", "...")) and len(ln) > _TEASER_PREFIX:
            prefix = ln[:_TEASER_PREFIX]
            if any(other.startswith(prefix) for other in full if other is not ln):
                continue
        result.append(ln)
    return result


def clean_text(text: str, title: str | None = None) -> str:
    """The main body as paragraphs separated by blank lines."""
    paragraphs: list[list[str]] = [[]]
    for line in main_body_lines(text, title):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def clean_title(title: str | None) -> str | None:
    if title is None:
        return None
    cleaned = strip_menu_prefix(normalise(title).strip())
    if cleaned and is_menu_line(cleaned):
        return None  # the page's first line was its navigation bar, not a headline
    return cleaned or None
