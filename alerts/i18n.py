"""Every word newswatch says to people, in French and in English side by side: digests, chat posts,
the web view and the detector's sector names. French typography is applied here, by `typeset`.

An entry is `key: (français, English)`: a missing translation cannot be written, and
tests/test_i18n.py checks that both sides take the same {placeholders}. French strings are written
with an ordinary space where French puts one before ; : ! ? » and after «; `typeset` turns it into
the narrow no-break space (U+202F) that keeps the sign on its word's line. Values filled into the
placeholders (names, URLs, figures from alerts/formatting.py) are never retouched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# Narrow no-break space: before ; : ! ? » and after «, and between groups of digits ("1 200").
NNBSP = "\u202f"
# No-break space: between a figure and its unit ("45 M€", "2 milliards").
NBSP = "\u00a0"
_SPACE_BEFORE_SIGN = re.compile(r" ([;:!?»])")

MESSAGES: dict[str, tuple[str, str]] = {
    # -- digests and chat posts ------------------------------------------------------------------
    "colon": (" :", ":"),
    "quote_open": ("« ", "“"),
    "quote_close": (" »", "”"),
    "subject_one": (
        "newswatch : 1 nouvelle annonce d'investissement",
        "newswatch: 1 new investment announcement",
    ),
    "subject_many": (
        "newswatch : {n} nouvelles annonces d'investissement",
        "newswatch: {n} new investment announcements",
    ),
    "subject_none": ("newswatch : aucune nouvelle annonce", "newswatch: no new announcement"),
    "subject_total": (" ({total})", " ({total})"),
    "heading": ("Nouvelles annonces d'investissement", "New investment announcements"),
    "intro_one": ("1 annonce depuis votre dernier envoi.", "1 announcement since your last digest."),
    "intro_many": ("{n} annonces depuis votre dernier envoi.", "{n} announcements since your last digest."),
    "intro_none": (
        "Aucune nouvelle annonce depuis votre dernier envoi.",
        "No new announcement since your last digest.",
    ),
    "total_amount": ("Montant total annoncé", "Total amount announced"),
    "total_jobs": ("Emplois annoncés", "Jobs announced"),
    "partial_total": ("(sur {k} annonces chiffrées)", "(over {k} announcements with an amount)"),
    "amount": ("Montant", "Amount"),
    "locations": ("Lieux", "Locations"),
    "sector": ("Secteur", "Sector"),
    "jobs": ("Emplois", "Jobs"),
    "edition": ("Édition", "Edition"),
    "edition_value": ("Choose France {year}", "Choose France {year}"),
    "evidence": ("Extrait", "Excerpt"),
    "sources": ("Sources", "Sources"),
    "abandoned": ("abandonné", "abandoned"),
    "original": ("montant d'origine", "original amount"),
    "unknown": ("non précisé", "not stated"),
    "footer_why": (
        "Vous recevez ce message parce que {email} est abonné à newswatch ({frequency}).",
        "You receive this message because {email} subscribes to newswatch ({frequency}).",
    ),
    "footer_change": (
        "Pour changer vos préférences (fréquence, filtres, langue) ou vous désabonner, écrivez à",
        "To change your preferences (frequency, filters, language) or unsubscribe, write to",
    ),
    "footer_unsubscribe": ("Se désabonner en un clic :", "Unsubscribe in one click:"),
    "chat_title_one": ("1 nouvelle annonce d'investissement", "1 new investment announcement"),
    "chat_title_many": ("{n} nouvelles annonces d'investissement", "{n} new investment announcements"),
    "part": (" ({index}/{total})", " ({index}/{total})"),
    "notify_many": (
        "{n} annonces Choose France, dont {lead}",
        "{n} Choose France announcements, including {lead}",
    ),
    "frequency_immediate": ("à chaque nouvelle annonce", "on every new announcement"),
    "frequency_daily": ("chaque jour à {at}", "every day at {at}"),
    "frequency_weekly": ("chaque semaine, le {day} à {at}", "every week, on {day} at {at}"),
    "frequency_cron": ("selon un calendrier personnalisé", "on a custom schedule"),
    "day_mon": ("lundi", "Monday"),
    "day_tue": ("mardi", "Tuesday"),
    "day_wed": ("mercredi", "Wednesday"),
    "day_thu": ("jeudi", "Thursday"),
    "day_fri": ("vendredi", "Friday"),
    "day_sat": ("samedi", "Saturday"),
    "day_sun": ("dimanche", "Sunday"),
    # -- the web view ----------------------------------------------------------------------------
    "site_title": ("newswatch — annonces Choose France", "newswatch — Choose France announcements"),
    "nav_announcements": ("Annonces", "Announcements"),
    "nav_charts": ("Graphiques", "Charts"),
    "nav_status": ("État du crawl", "Crawl health"),
    "nav_feed": ("Flux Atom", "Atom feed"),
    "nav_api": ("API JSON", "JSON API"),
    "switch_language": ("English", "Français"),
    "announcements_title": ("Annonces d'investissement", "Investment announcements"),
    "filters": ("Filtres", "Filters"),
    "filter_edition": ("Édition", "Edition"),
    "filter_region": ("Région", "Region"),
    "filter_sector": ("Secteur", "Sector"),
    "filter_investor": ("Investisseur", "Investor"),
    "filter_min_amount": ("Montant minimum", "Minimum amount"),
    "filter_q": ("Texte libre", "Free text"),
    "filter_any": ("Toutes", "All"),
    "filter_apply": ("Filtrer", "Filter"),
    "filter_reset": ("Effacer les filtres", "Clear filters"),
    "investor": ("Investisseur", "Investor"),
    "places": ("Lieux", "Places"),
    "region": ("Région", "Region"),
    "source_count": ("Sources", "Sources"),
    "first_seen": ("Vue le", "Seen on"),
    "updated": ("Mise à jour", "Updated"),
    "status": ("Statut", "Status"),
    "announced": ("annoncé", "announced"),
    "count_one": ("1 annonce", "1 announcement"),
    "count_many": ("{n} annonces", "{n} announcements"),
    "count_none": ("Aucune annonce ne correspond à ces filtres.", "No announcement matches these filters."),
    "summary_amount": ("montant connu : {amount}", "known amount: {amount}"),
    "summary_jobs": ("{jobs} emplois annoncés", "{jobs} jobs announced"),
    "page_of": ("Page {page} sur {pages}", "Page {page} of {pages}"),
    "previous": ("Précédente", "Previous"),
    "next": ("Suivante", "Next"),
    "feed_of_selection": ("Flux Atom de cette sélection", "Atom feed of this selection"),
    "json_of_selection": ("JSON de cette sélection", "JSON of this selection"),
    "sort_by": ("Trier par {column}", "Sort by {column}"),
    "back": ("Toutes les annonces", "All announcements"),
    "evidence_sentences": ("Phrases relevées", "Sentences found"),
    "source_articles": ("Articles sources", "Source articles"),
    "outlet": ("Média", "Outlet"),
    "published": ("Publié le", "Published"),
    "no_link": ("lien non sûr, non cliquable", "unsafe link, not clickable"),
    "charts_title": ("Graphiques", "Charts"),
    "charts_of_selection": ("Graphiques de la sélection", "Charts of this selection"),
    "chart_edition_amount": ("Montant annoncé par édition", "Amount announced by edition"),
    "chart_edition_count": ("Nombre d'annonces par édition", "Announcements by edition"),
    "chart_region_map": ("Montant annoncé par région", "Amount announced by region"),
    "chart_region_bars": (
        "Montant et nombre d'annonces par région",
        "Amount and number of announcements by region",
    ),
    "chart_sector": ("Montant annoncé par secteur principal", "Amount announced by main sector"),
    "chart_investors": ("Principaux investisseurs (montant cumulé)", "Top investors (total amount)"),
    "chart_empty": ("Rien à représenter pour cette sélection.", "Nothing to chart for this selection."),
    "chart_no_amount": ("montant non précisé", "amount not stated"),
    "chart_count_one": ("1 annonce", "1 announcement"),
    "chart_count_many": ("{n} annonces", "{n} announcements"),
    "map_note": (
        "Carte des régions tracée d'après les départements du paquet pygal_maps_fr ; départements et collectivités d'outre-mer en encadré.",
        "Regions drawn from the départements of the pygal_maps_fr package; overseas départements and collectivities in insets.",
    ),
    "map_legend": ("Montant annoncé", "Amount announced"),
    "map_none": ("aucun montant connu", "no known amount"),
    "no_region": ("sans région", "no region"),
    "no_sector": ("secteur non précisé", "sector not stated"),
    "status_title": ("État du crawl", "Crawl health"),
    "status_articles": ("Articles stockés", "Articles stored"),
    "status_announcements": ("Annonces", "Announcements"),
    "status_last_crawl": ("Dernier crawl par source", "Last crawl per source"),
    "status_source": ("Source", "Source"),
    "status_when": ("Début", "Started"),
    "status_run": ("Exécution", "Run"),
    "status_pages": ("Pages", "Pages"),
    "status_new": ("Nouveaux", "New"),
    "status_known": ("Connus", "Known"),
    "status_failed": ("Échecs", "Failed"),
    "status_errors": ("Erreurs", "Errors"),
    "status_last_error": ("Dernière erreur", "Last error"),
    "status_refused_by_site": ("refusé par le site", "refused by the site"),
    "status_never": ("jamais crawlée", "never crawled"),
    "status_deliveries": ("Envois", "Deliveries"),
    "status_pending": ("En attente", "Pending"),
    "status_failed_deliveries": ("Envois en échec", "Failed deliveries"),
    "status_channel": ("Canal", "Channel"),
    "status_next_attempt": ("Prochain essai", "Next attempt"),
    "status_attempts": ("Essais", "Attempts"),
    "status_scheduled": ("Prochaines exécutions planifiées", "Next scheduled runs"),
    "status_no_scheduler": (
        "Aucun planificateur ne tourne : rien n'est à venir (newswatch schedule)",
        "No scheduler is running: no runs to come (newswatch schedule)",
    ),
    "status_scheduler_running": (
        "Planificateur en marche sur {host} (pid {pid}) depuis {since}",
        "Scheduler running on {host} (pid {pid}) since {since}",
    ),
    "status_times_in": ("Heures en {zone}", "Times in {zone}"),
    "status_none": ("aucun", "none"),
    "unsubscribe_title": ("Désabonnement", "Unsubscribe"),
    "unsubscribe_confirm": (
        "Ne plus envoyer les résumés newswatch « {subscriber} » à {email} ?",
        "Stop sending the newswatch digest “{subscriber}” to {email}?",
    ),
    "unsubscribe_button": ("Me désabonner", "Unsubscribe me"),
    "unsubscribe_done": (
        "C'est fait : {email} ne recevra plus les résumés newswatch « {subscriber} ».",
        "Done: {email} will no longer receive the newswatch digest “{subscriber}”.",
    ),
    "unsubscribe_already": (
        "{email} était déjà désabonné des résumés « {subscriber} ».",
        "{email} had already unsubscribed from the digest “{subscriber}”.",
    ),
    "unsubscribe_invalid": (
        "Ce lien de désabonnement n'est pas valide, ou ne l'est plus (adresse changée, résumé ancien) : "
        "utilisez celui du dernier résumé reçu.",
        "This unsubscribe link is not valid, or no longer is (address changed, older digest): "
        "use the one in the latest digest you received.",
    ),
    "unsubscribe_unavailable": (
        "Le désabonnement en un clic n'est pas configuré sur ce serveur.",
        "One-click unsubscribe is not configured on this server.",
    ),
    "error_title": ("Erreur", "Error"),
    "error_not_found": ("Page introuvable.", "Page not found."),
    "error_bad_request": ("Requête invalide : {detail}", "Bad request: {detail}"),
    "error_internal": (
        "Erreur interne du serveur. L'incident est consigné dans le journal du service.",
        "Internal server error. The incident is in the service's log.",
    ),
    "error_database": (
        "La base de données ne répond pas. Réessayez dans un instant.",
        "The database does not answer. Try again in a moment.",
    ),
    "query_whole_number": (
        "un nombre entier de {low} à {high} est attendu, reçu « {value} »",
        "expected a whole number from {low} to {high}, got '{value}'",
    ),
    "query_amount": (
        "un montant en euros est attendu, par exemple 100000000 ou 1e9, reçu « {value} »",
        "expected an amount in euros such as 100000000 or 1e9, got '{value}'",
    ),
    "query_positive_amount": (
        "un montant positif en euros est attendu, reçu « {value} »",
        "expected a positive amount in euros, got '{value}'",
    ),
    "query_region": (
        "région inconnue « {value} » (un nom comme Hauts-de-France ou un code INSEE comme 32)",
        "unknown région '{value}' (a name such as Hauts-de-France or an INSEE code such as 32)",
    ),
    "query_choice": (
        "une de ces valeurs est attendue : {choices} ; reçu « {value} »",
        "expected one of {choices}, got '{value}'",
    ),
    "footer": (
        "newswatch — veille des annonces d'investissement Choose France. Lecture seule.",
        "newswatch — Choose France investment announcements. Read-only.",
    ),
    "feed_title": (
        "newswatch : annonces d'investissement Choose France",
        "newswatch: Choose France investment announcements",
    ),
    "feed_subtitle_filtered": ("Sélection : {filters}", "Selection: {filters}"),
}

# The detector's sector labels are French (pipelines/detect/data/sectors.yaml); English readers get these.
SECTORS_EN: dict[str, str] = {
    "data centers": "data centres",
    "cloud": "cloud",
    "IA": "AI",
    "informatique quantique": "quantum computing",
    "semi-conducteurs": "semiconductors",
    "batteries": "batteries",
    "automobile": "automotive",
    "hydrogène": "hydrogen",
    "énergie": "energy",
    "pharmacie": "pharmaceuticals",
    "santé": "health",
    "logistique": "logistics",
    "e-commerce": "e-commerce",
    "aéronautique": "aerospace",
    "spatial": "space",
    "chimie": "chemicals",
    "recyclage": "recycling",
    "agroalimentaire": "food industry",
    "cosmétique": "cosmetics",
    "luxe": "luxury goods",
    "sidérurgie": "steel",
    "télécoms": "telecoms",
    "numérique": "digital",
    "tourisme": "tourism",
    "finance": "finance",
    "jeux vidéo": "video games",
    "défense": "defence",
    "industrie": "manufacturing",
    "distribution": "retail",
    "immobilier": "real estate",
}


def typeset(text: str, lang: str) -> str:
    """French spacing around ; : ! ? « » (narrow no-break spaces); other languages as written."""
    if lang != "fr":
        return text
    return _SPACE_BEFORE_SIGN.sub(NNBSP + r"\1", text).replace("« ", "«" + NNBSP)


def language(lang: str | None) -> str:
    """One of LANGUAGES; anything else reads as the default, French."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def labels(lang: str) -> Mapping[str, str]:
    """Every message in `lang` (French for an unknown code), typeset; read-only, shared by every caller."""
    return _typeset_messages(language(lang))


@cache
def _typeset_messages(code: str) -> Mapping[str, str]:
    index = LANGUAGES.index(code)
    return MappingProxyType({key: typeset(pair[index], code) for key, pair in MESSAGES.items()})


def sector_name(label: str, lang: str) -> str:
    """One detector sector label as a reader of `lang` says it: "IA" -> "AI" in English."""
    label = label.strip()
    return SECTORS_EN.get(label, label) if language(lang) == "en" else label


def sectors_text(value: str | None, lang: str) -> str | None:
    """A stored sector ("IA, énergie, logistique": up to three labels) in `lang`."""
    if not value:
        return None
    return ", ".join(sector_name(label, lang) for label in value.split(",") if label.strip())
