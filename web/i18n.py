"""Words of the web view, French first, and the reader's language: ?lang=, then a cookie, then
Accept-Language. Shares the digest's words (alerts/i18n.py) and adds the pages' own."""

from __future__ import annotations

from typing import Any

from alerts.i18n import labels as digest_labels

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LANG_COOKIE = "lang"

WEB_LABELS: dict[str, dict[str, Any]] = {
    "fr": {
        "site_title": "newswatch — annonces Choose France",
        "nav_announcements": "Annonces",
        "nav_charts": "Graphiques",
        "nav_status": "État du crawl",
        "nav_feed": "Flux Atom",
        "nav_api": "API JSON",
        "switch_language": "English",
        "announcements_title": "Annonces d'investissement",
        "filters": "Filtres",
        "filter_edition": "Édition",
        "filter_region": "Région",
        "filter_sector": "Secteur",
        "filter_investor": "Investisseur",
        "filter_min_amount": "Montant minimum",
        "filter_q": "Texte libre",
        "filter_any": "Toutes",
        "filter_apply": "Filtrer",
        "filter_reset": "Effacer les filtres",
        "investor": "Investisseur",
        "places": "Lieux",
        "region": "Région",
        "source_count": "Sources",
        "first_seen": "Vue le",
        "updated": "Mise à jour",
        "status": "Statut",
        "announced": "annoncé",
        "count_one": "1 annonce",
        "count_many": "{n} annonces",
        "count_none": "Aucune annonce ne correspond à ces filtres.",
        "summary_amount": "montant connu : {amount}",
        "summary_jobs": "{jobs} emplois annoncés",
        "page_of": "Page {page} sur {pages}",
        "previous": "Précédente",
        "next": "Suivante",
        "feed_of_selection": "Flux Atom de cette sélection",
        "json_of_selection": "JSON de cette sélection",
        "sort_by": "Trier par {column}",
        "back": "Toutes les annonces",
        "evidence_sentences": "Phrases relevées",
        "source_articles": "Articles sources",
        "outlet": "Média",
        "published": "Publié le",
        "no_link": "lien non sûr, non cliquable",
        "charts_title": "Graphiques",
        "charts_of_selection": "Graphiques de la sélection",
        "chart_edition_amount": "Montant annoncé par édition",
        "chart_edition_count": "Nombre d'annonces par édition",
        "chart_region_map": "Montant annoncé par région",
        "chart_region_bars": "Montant et nombre d'annonces par région",
        "chart_sector": "Montant annoncé par secteur principal",
        "chart_investors": "Principaux investisseurs (montant cumulé)",
        "chart_empty": "Rien à représenter pour cette sélection.",
        "chart_no_amount": "montant non précisé",
        "chart_count_one": "1 annonce",
        "chart_count_many": "{n} annonces",
        "map_note": "Carte des régions tracée d'après les départements du paquet pygal_maps_fr ; "
                    "départements et collectivités d'outre-mer en encadré.",
        "map_legend": "Montant annoncé",
        "map_none": "aucun montant connu",
        "no_region": "sans région",
        "no_sector": "secteur non précisé",
        "status_title": "État du crawl",
        "status_articles": "Articles stockés",
        "status_announcements": "Annonces",
        "status_last_crawl": "Dernier crawl par source",
        "status_source": "Source",
        "status_when": "Début",
        "status_run": "Exécution",
        "status_pages": "Pages",
        "status_new": "Nouveaux",
        "status_known": "Connus",
        "status_failed": "Échecs",
        "status_errors": "Erreurs",
        "status_last_error": "Dernière erreur",
        "status_never": "jamais crawlée",
        "status_deliveries": "Envois",
        "status_pending": "En attente",
        "status_failed_deliveries": "Envois en échec",
        "status_channel": "Canal",
        "status_next_attempt": "Prochain essai",
        "status_attempts": "Essais",
        "status_scheduled": "Prochaines exécutions planifiées",
        "status_no_scheduler": "Aucune tâche planifiée enregistrée (newswatch schedule tourne-t-il ?)",
        "status_none": "aucun",
        "unsubscribe_title": "Désabonnement",
        "unsubscribe_confirm": "Ne plus envoyer les résumés newswatch « {subscriber} » à {email} ?",
        "unsubscribe_button": "Me désabonner",
        "unsubscribe_done": "C'est fait : {email} ne recevra plus les résumés newswatch « {subscriber} ».",
        "unsubscribe_already": "{email} était déjà désabonné des résumés « {subscriber} ».",
        "unsubscribe_invalid": "Ce lien de désabonnement n'est pas valide.",
        "unsubscribe_unavailable": "Le désabonnement en un clic n'est pas configuré sur ce serveur.",
        "error_title": "Erreur",
        "error_not_found": "Page introuvable.",
        "error_bad_request": "Requête invalide : {detail}",
        "error_internal": "Erreur interne du serveur. L'incident est consigné dans le journal du service.",
        "error_database": "La base de données ne répond pas. Réessayez dans un instant.",
        "footer": "newswatch — veille des annonces d'investissement Choose France. Lecture seule.",
        "feed_title": "newswatch : annonces d'investissement Choose France",
        "feed_subtitle_filtered": "Sélection : {filters}",
    },
    "en": {
        "site_title": "newswatch — Choose France announcements",
        "nav_announcements": "Announcements",
        "nav_charts": "Charts",
        "nav_status": "Crawl health",
        "nav_feed": "Atom feed",
        "nav_api": "JSON API",
        "switch_language": "Français",
        "announcements_title": "Investment announcements",
        "filters": "Filters",
        "filter_edition": "Edition",
        "filter_region": "Region",
        "filter_sector": "Sector",
        "filter_investor": "Investor",
        "filter_min_amount": "Minimum amount",
        "filter_q": "Free text",
        "filter_any": "All",
        "filter_apply": "Filter",
        "filter_reset": "Clear filters",
        "investor": "Investor",
        "places": "Places",
        "region": "Region",
        "source_count": "Sources",
        "first_seen": "Seen on",
        "updated": "Updated",
        "status": "Status",
        "announced": "announced",
        "count_one": "1 announcement",
        "count_many": "{n} announcements",
        "count_none": "No announcement matches these filters.",
        "summary_amount": "known amount: {amount}",
        "summary_jobs": "{jobs} jobs announced",
        "page_of": "Page {page} of {pages}",
        "previous": "Previous",
        "next": "Next",
        "feed_of_selection": "Atom feed of this selection",
        "json_of_selection": "JSON of this selection",
        "sort_by": "Sort by {column}",
        "back": "All announcements",
        "evidence_sentences": "Sentences found",
        "source_articles": "Source articles",
        "outlet": "Outlet",
        "published": "Published",
        "no_link": "unsafe link, not clickable",
        "charts_title": "Charts",
        "charts_of_selection": "Charts of this selection",
        "chart_edition_amount": "Amount announced by edition",
        "chart_edition_count": "Announcements by edition",
        "chart_region_map": "Amount announced by region",
        "chart_region_bars": "Amount and number of announcements by region",
        "chart_sector": "Amount announced by main sector",
        "chart_investors": "Top investors (total amount)",
        "chart_empty": "Nothing to chart for this selection.",
        "chart_no_amount": "amount not stated",
        "chart_count_one": "1 announcement",
        "chart_count_many": "{n} announcements",
        "map_note": "Regions drawn from the départements of the pygal_maps_fr package; overseas départements "
                    "and collectivities in insets.",
        "map_legend": "Amount announced",
        "map_none": "no known amount",
        "no_region": "no region",
        "no_sector": "sector not stated",
        "status_title": "Crawl health",
        "status_articles": "Articles stored",
        "status_announcements": "Announcements",
        "status_last_crawl": "Last crawl per source",
        "status_source": "Source",
        "status_when": "Started",
        "status_run": "Run",
        "status_pages": "Pages",
        "status_new": "New",
        "status_known": "Known",
        "status_failed": "Failed",
        "status_errors": "Errors",
        "status_last_error": "Last error",
        "status_never": "never crawled",
        "status_deliveries": "Deliveries",
        "status_pending": "Pending",
        "status_failed_deliveries": "Failed deliveries",
        "status_channel": "Channel",
        "status_next_attempt": "Next attempt",
        "status_attempts": "Attempts",
        "status_scheduled": "Next scheduled runs",
        "status_no_scheduler": "No scheduled job stored (is newswatch schedule running?)",
        "status_none": "none",
        "unsubscribe_title": "Unsubscribe",
        "unsubscribe_confirm": "Stop sending the newswatch digest “{subscriber}” to {email}?",
        "unsubscribe_button": "Unsubscribe me",
        "unsubscribe_done": "Done: {email} will no longer receive the newswatch digest “{subscriber}”.",
        "unsubscribe_already": "{email} had already unsubscribed from the digest “{subscriber}”.",
        "unsubscribe_invalid": "This unsubscribe link is not valid.",
        "unsubscribe_unavailable": "One-click unsubscribe is not configured on this server.",
        "error_title": "Error",
        "error_not_found": "Page not found.",
        "error_bad_request": "Bad request: {detail}",
        "error_internal": "Internal server error. The incident is in the service's log.",
        "error_database": "The database does not answer. Try again in a moment.",
        "footer": "newswatch — Choose France investment announcements. Read-only.",
        "feed_title": "newswatch: Choose France investment announcements",
        "feed_subtitle_filtered": "Selection: {filters}",
    },
}

# The detector's sector labels are French; English pages show these.
SECTORS_EN: dict[str, str] = {
    "data centers": "data centres", "cloud": "cloud", "IA": "AI", "informatique quantique": "quantum computing",
    "semi-conducteurs": "semiconductors", "batteries": "batteries", "automobile": "automotive",
    "hydrogène": "hydrogen", "énergie": "energy", "pharmacie": "pharmaceuticals", "santé": "health",
    "logistique": "logistics", "e-commerce": "e-commerce", "aéronautique": "aerospace", "spatial": "space",
    "chimie": "chemicals", "recyclage": "recycling", "agroalimentaire": "food industry",
    "cosmétique": "cosmetics", "luxe": "luxury goods", "sidérurgie": "steel", "télécoms": "telecoms",
    "numérique": "digital", "tourisme": "tourism", "finance": "finance", "jeux vidéo": "video games",
    "défense": "defence", "industrie": "manufacturing", "distribution": "retail", "immobilier": "real estate",
}


def labels(lang: str) -> dict[str, Any]:
    """The digest's words with the pages' own on top."""
    code = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return {**digest_labels(code), **WEB_LABELS[code]}


def sector_label(label: str, lang: str) -> str:
    return SECTORS_EN.get(label, label) if lang == "en" else label


def accepted_language(header: str | None) -> str | None:
    """The first of our languages in an Accept-Language header, by its q weight; None if none is there."""
    if not header:
        return None
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower().split("-")[0]
        if code in LANGUAGES and weight > 0 and (best is None or (weight, -position) > (best[0], -best[1])):
            best = (weight, position, code)
    return best[2] if best else None


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return accepted_language(accept) or DEFAULT_LANGUAGE
