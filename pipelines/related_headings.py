"""What blocks of other headlines are called: the heading words of "À lire aussi", "Les plus lus",
"Related"... boxes, and the class and id words sites give them. Data, in one table, for the HTML
judge (pipelines.related) and the line filters (pipelines.boilerplate).
"""

from __future__ import annotations

import re

# What a block of other headlines is called. "label": also written on one line before a single
# headline ("Lire aussi : ..."); "block": heads a list of headlines and nothing else; "hint": heads
# other headlines on some sites and the article's own content on others ("L'essentiel" is often a
# summary of the article), so it counts only in the HTML, when linked headlines follow it.
LABEL, BLOCK, HINT = "label", "block", "hint"
HEADINGS: tuple[tuple[str, str], ...] = (
    (r"[àa]\s+lire\s+(?:aussi|également|egalement)", LABEL),
    (r"lire\s+(?:aussi|également|egalement)", LABEL),
    (r"(?:[àa]\s+)?voir\s+aussi", LABEL),
    (r"[ée]galement\s+sur", LABEL),
    (r"lire\s+la\s+suite", LABEL),
    (r"read\s+(?:more|also)", LABEL),
    (r"see\s+also", LABEL),
    (r"related(?:\s+(?:posts?|articles?|stories|content|coverage|reading))?", LABEL),
    (r"sur\s+le\s+m[êe]me\s+(?:sujet|thème|theme)", LABEL),
    (r"dans\s+la\s+m[êe]me\s+rubrique", BLOCK),
    (r"articles?\s+(?:similaires|liés|associés|connexes|recommandés)", BLOCK),
    (r"vous\s+aimerez\s+(?:aussi|également|egalement)", BLOCK),
    (r"vous\s+pourriez\s+(?:aussi|également|egalement)\s+aimer", BLOCK),
    (r"[àa]\s+d[ée]couvrir(?:\s+aussi)?", BLOCK),
    (r"pour\s+aller\s+plus\s+loin", BLOCK),
    (r"les\s+plus\s+(?:lus|partagés|commentés|consultés|populaires)", BLOCK),
    (r"nos\s+articles", BLOCK),
    (r"ces\s+articles\s+peuvent\s+vous\s+intéresser", BLOCK),
    (r"s[ée]lectionn[ée]s?\s+pour\s+vous", BLOCK),
    (r"recommand[ée]s?\s+pour\s+vous", BLOCK),
    (r"(?:les\s+|nos\s+)?derni[èe]res\s+(?:actualités|actus|infos|nouvelles)", BLOCK),
    (r"derniers\s+articles", BLOCK),
    (r"autres\s+articles", BLOCK),
    (r"plus\s+d['’]actualités", BLOCK),
    (r"[àa]\s+la\s+une", BLOCK),
    (r"en\s+continu", BLOCK),
    (r"notre\s+dossier", BLOCK),
    (r"contenus?\s+(?:sponsorisés|partenaires)", BLOCK),
    (r"(?:the\s+)?most\s+(?:read|popular|viewed|shared)", BLOCK),
    (r"you\s+(?:may|might)\s+also\s+(?:like|enjoy)", BLOCK),
    (r"recommended\s+(?:for\s+you|stories|reading)", BLOCK),
    (r"more\s+(?:stories|from|on\s+this)", BLOCK),
    (r"trending\s+(?:now|stories|news)", BLOCK),
    (r"l['’]essentiel", HINT),
    (r"populaires?", HINT),
    (r"popular", HINT),
    (r"trending", HINT),
    (r"recommended", HINT),
    (r"top\s+stories", HINT),
    (r"latest(?:\s+news)?", HINT),
    (r"fil\s+info", HINT),
    (r"en\s+ce\s+moment", HINT),
    (r"[àa]\s+suivre", HINT),
    (r"sponsoris[ée]s?", HINT),
)
# Class and id words of such blocks, matched as whole words of a class or id ("Reco_root__b5Nn8",
# "encadre-plus-lus", "tbl-feed"), including the widgets of the recommendation vendors.
NAME_HINT_RE = re.compile(
    r"(?:^|[-_\s])(?:related|relatedposts|most-?read|mostread|most-?popular|most-?viewed|popular|trending|"
    r"read-?also|readalso|read-?more|a-?lire|alire|lire-?aussi|sur-le-meme-sujet|meme-sujet|same-?topic|"
    r"inline-related|recirc|recirculation|more-?stories|outbrain|ob-widget|taboola|tbl|trc|plista|ligatus|"
    r"recommend\w*|reco|plus-?lus|les-?plus-?lus|en-?continu|fil-?info)(?=$|[-_\s])",
    re.IGNORECASE,
)
_BULLETS = r"[>»›•▶►■→\-–—]"
_SEPARATORS = r"[:.»›>|\-–—]"
_PHRASES = {kind: "|".join(p for p, k in HEADINGS if k == kind) for kind in (LABEL, BLOCK, HINT)}
# A heading: the phrase, maybe a few more words ("Les plus lus de la semaine"), no sentence.
HEADING_RE = re.compile(
    rf"^\s*(?:{_BULLETS}\s*)?(?:{_PHRASES[LABEL]}|{_PHRASES[BLOCK]}|{_PHRASES[HINT]})\b[^.!?]{{0,30}}$",
    re.IGNORECASE,
)
# A heading that is never the article's own: the text backstop trusts it without seeing links.
SURE_HEADING_RE = re.compile(
    rf"^\s*(?:{_BULLETS}\s*)?(?:{_PHRASES[LABEL]}|{_PHRASES[BLOCK]})\s*{_SEPARATORS}*\s*$", re.IGNORECASE
)
# "Lire aussi : <headline>" on one line; `rest` is the headline.
INLINE_LABEL_RE = re.compile(
    rf"^\s*(?:{_BULLETS}\s*)?(?:{_PHRASES[LABEL]})\s*(?:{_SEPARATORS}+|(?=\S))\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# The phrases of labels and block headings, for pipelines.boilerplate's line filter.
SURE_PHRASES = f"{_PHRASES[LABEL]}|{_PHRASES[BLOCK]}"
