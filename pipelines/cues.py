"""The words that decide what a money figure is: an investment, or a total, a turnover, a fine,
a valuation, an acquisition, a fundraising, a grant; and what event a sentence is about."""

from __future__ import annotations

import re

_I = re.IGNORECASE

# --- events -----------------------------------------------------------------------------------
# Uses of the name that are not the investment summit: removed before looking for the summit.
CF_OTHER_USES_RE = re.compile(
    r"choose\s+(?:france|europe)\s+(?:for|pour\s+la)\s+(?:science|research|recherche)|choose\s+europe\b|"
    r"(?:campagne|programme|plateforme|label|salon|opération|dispositif|site|initiative|marque|appel)\s+(?:de\s+\w+\s+)?[«\"“]?\s*choose\s+france"
    # "une campagne de promotion baptisée « Choose France »", "« Choose France », une campagne pour ...": the name
    # given to something else than the summit, in either order.
    r"|(?:campagne|programme|plateforme|label|salon|dispositif|initiative|opération|slogan|marque)\b[^.;«»\"“”]{0,50}?"
    r"\b(?:baptisée?|intitulée?|nommée?|appelée?|dénommée?|sous\s+le\s+nom\s+(?:de\s+)?|(?:sous\s+)?la\s+bannière)\s*[«\"“]?\s*choose\s+france"
    r"|[«\"“]\s*choose\s+france\s*[»\"”]\s*,\s*(?:une?|le|la)\s+(?:nouvelle\s+|vaste\s+|grande\s+)?(?:campagne|programme|plateforme|label|dispositif|initiative|opération|marque)"
    r"|choose\s+france\s+(?:tourism\w*|tourisme|destination|job\w*|emplois?|talents?|careers?|carrières?|salon|recrutement|"
    r"santé|health|éducation|education|études|study|sport|culture|for\s+(?:science|research|talents?|students?|education))\b",
    _I,
)
CF_RE = re.compile(
    r"choose[\s-]*france|(?:sommet|grand[-\s]messe|rendez-vous|forum)\s+(?:[\w-]+\s+){0,2}?(?:de\s+|pour\s+|sur\s+)?l['’]attractivité|"
    r"(?:patrons|dirigeants|investisseurs|PDG|grands\s+patrons|chefs\s+d['’]entreprise)\s+(?:de\s+multinationales\s+)?étrangers\s+(?:\w+\s+){0,3}?(?:à|au\s+château\s+de)\s+Versailles|"
    r"Versailles\s+(?:investment\s+)?summit|summit\s+(?:in|at)\s+Versailles|"
    r"(?:sommet|investisseurs|patrons|dirigeants|chefs\s+d['’]entreprise|multinationales)\b[^.;]{0,60}?\bau\s+château\s+de\s+Versailles|sommet\s+(?:économique\s+|international\s+)?(?:de|à)\s+Versailles|"
    r"(?:grand[-\s]messe|rendez-vous|forum|réunion|dîner|déjeuner)\s+(?:annuel(?:le)?\s+)?(?:des\s+investisseurs\s+)?(?:de|à)\s+Versailles|"
    r"\b(?:lundi|mardi|hier|ce\s+lundi|ce\s+jour|aujourd['’]hui|soir|matin)\s+(?:soir\s+|matin\s+)?(?:à|au\s+château\s+de)\s+Versailles|"
    r"(?:patrons|dirigeants|investisseurs|PDG|grands\s+patrons)\s+(?:étrangers\s+)?(?:réunis|reçus|accueillis|attendus|conviés|invités)\s+(?:lundi\s+|ce\s+lundi\s+)?(?:à|au\s+château\s+de)\s+Versailles",
    _I,
)
OTHER_EVENT_RE = re.compile(
    r"viva\s*tech\w*|viva\s+technology|sommet\s+(?:pour\s+l['’]action\s+)?(?:sur|de)\s+l['’](?:IA|intelligence\s+artificielle)|"
    r"sommet\s+(?:mondial\s+|international\s+)?(?:sur\s+|de\s+)?l['’]intelligence\s+artificielle|AI\s+Action\s+Summit|"
    r"sommet\s+(?:de\s+l['’]|pour\s+l['’]action\s+sur\s+l['’])IA|sommet\s+IA\b|sommet\s+(?:de|du\s+mois\s+de)\s+(?:février|mars|avril|septembre|octobre|novembre|décembre)\b|One\s+Planet\s+Summit|Tech\s+for\s+Good|"
    r"salon\s+du\s+Bourget|Paris\s+Air\s+Show|forum\s+(?:économique\s+)?de\s+Davos|\bDavos\b|\bG7\b|\bG20\b|Web\s+Summit|"
    r"(?-i:\bCES\b)|SelectUSA|Mondial\s+de\s+l['’]auto\w*|salon\s+de\s+l['’]auto\w*|sommet\s+(?:Afrique|franco-\w+|bilatéral)|"
    r"visite\s+d['’]État|Choose\s+Europe|Station\s+F|salon\s+Big|Innovation\s+Makers|Sommet\s+de\s+la\s+Francophonie|"
    r"Forum\s+de\s+Paris\s+sur\s+la\s+Paix|sommet\s+Ambition\s+France|Ambition\s+France\s+Transition",
    _I,
)

# --- what makes a figure an investment ----------------------------------------------------------
TRIGGER_RE = re.compile(
    r"investi\w*|inject\w*|consacr\w*|engag\w*|débours\w*|débloqu\w*|allou\w*|mobilis\w*|"
    r"mett(?:re|ra|ront|rait)\s+(?:sur\s+la\s+table|au\s+pot)|met\s+sur\s+la\s+table|sur\s+la\s+table|enveloppe|projet|dossier|programme|invest\w*|"
    r"construi\w*|construction|implant\w*|usines?|\bsites?\b|extension|étendre|agrandi\w*|ouvr\w*|ouverture|développ\w*|"
    r"renforc\w*|mis(?:er|era|e)\s+sur|déploi\w*|déployer|modernis\w*|financer|capex|dépenser|dépensera|annonc\w*|promet|"
    r"promis|placer|apport\w*|injection|\bmet(?:tre|tra|tront|trait|tent)?\s+(?:sur\s+la\s+table\s+)?(?:près\s+de\s+|plus\s+de\s+|environ\s+|quelque\s+)?(?:\d|une?\b|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|cent)|campus|centres?\b|entrepôts?|gigafactor\w*|data\s*cent\w*|création|créer|créera|"
    r"accroître|augmenter\s+(?:sa|ses)\s+capacit\w*|pour\s+(?:son|sa|ses)\s|dans\s+(?:son|sa|ses|un|une|des|le|la)\s|"
    r"prévoi\w*|compte\s+investir|plan\b|\bà\s+[A-Z]|\bpour\s+(?-i:[A-ZÉ])|confirm\w*|chèque|\bmise\s+de|\bticket|pledg\w*|\bcommitt?(?:é|ed|ment)\w*",
    _I,
)
# A list item that gives an investor and a figure without a verb: "- Pfizer : 500 M€ à Amboise".
LIST_ITEM_RE = re.compile(r"^\s*(?:[-–—•*▪►·]\s*)?[^\s:]{2,}[^:]{0,60}?\s*[:(–—]")
# "- Mars : 100 M€ ...", "• JPMorgan — 200 postes": the head of a list item names the investor.
LIST_HEAD_RE = re.compile(
    r"^\s*(?:[-–—•*▪►·]|\d{1,2}[.)])\s*(?P<head>[A-ZÀ-Ý0-9][^:–—(]{0,50}?)\s*(?::|–|—|\()"
)
# A figure restated after another: "soit 920 millions d'euros", "(environ 1,1 milliard d'euros)".
CONVERSION_BEFORE_RE = re.compile(
    r"(?:\bsoit|\(|,)\s*(?:environ|près\s+de|quelque|plus\s+de|l['’]équivalent\s+de)?\s*$", _I
)
# A part of a figure already counted: "dont 500 millions pour ...".
SUBPART_BEFORE_RE = re.compile(
    r"(?:\bdont|\by\s+compris|sur\s+(?:un\s+)?(?:total|enveloppe|montant|budget)\s+(?:global\s+)?de|parmi\s+les|sur\s+les|"
    r"(?:financ|cofinanc|particip|contribu|soutenu|soutiendr|subventionn|accompagn|abond|pris\w*\s+en\s+charge)\w*\s+(?:[\w'’-]+\s+){0,3}?à\s+hauteur\s+de|portant\s+(?:le\s+total\s+)?à|porté\s+à|après\s+(?:les|des|ses)?)\s*"
    r"(?:environ|près\s+de|quelque|plus\s+de|moins\s+de)?\s*$",
    _I,
)
# Figures of the whole summit or of many companies: no one investor's jobs or places.
CROSS_COMPANY_RE = re.compile(
    r"\b(?:les|des|aux)\s+(?:\w+\s+)?(?:annonces|investisseurs|engagements)\b|"
    r"\b(?:les|des)\s+(?:projets|entreprises|groupes)\s+(?:annoncés|présents|présentés|étrangers|du\s+sommet|de\s+la\s+journée)|"
    r"\b\d+\s+(?:projets|investissements|annonces|entreprises|groupes|engagements|sociétés)\b|"
    r"\bbilan\b|l['’]Élysée\s+(?:revendique|recense|annonce|avance)|édition\s+précédente|l['’]an\s+dernier|"
    r"tous\s+(?:secteurs|projets)\s+confondus|à\s+eux\s+(?:deux|tous)|ensemble\s+des",
    _I,
)
# A site the company already has: "déjà présent à Lyon", "qui possède déjà une usine à Douai".
EXISTING_SITE_RE = re.compile(
    r"\bdéjà\s+(?:présente?s?|implantée?s?|installée?s?|établie?s?)|\b(?:dispose|possède|exploite|compte)\s+déjà\b|"
    r"\bdéjà\s+(?:une?|des|deux|trois|plusieurs)\s+(?:usines?|sites?|centres?)",
    _I,
)
SHARE_BEFORE_RE = re.compile(
    r"(?:\bdont|parmi\s+lesquels|parmi\s+eux)\s*(?:environ|près\s+de|quelque|plus\s+de)?\s*$", _I
)

# --- what makes a figure something else ---------------------------------------------------------
# Each family: a pattern searched between the investor and the figure, and one for just after it.
NEGATIVE_CUES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "aggregate",
        re.compile(
            r"\bau\s+total\b|\ben\s+tout\b|\bau\s+global\b|\bcumul\w*|\btotalis\w*|\btotal\s+(?:de|d['’])|montant\s+(?:total|global|cumulé)|"
            r"somme\s+(?:totale|globale)|\b\d+\s+(?:projets|investissements|annonces|entreprises|groupes|engagements|sociétés)\b|"
            r"(?:vingt|trente|quarante|cinquante|soixante|cent|dizaine|quinzaine|vingtaine|trentaine|cinquantaine|centaine)s?\s+(?:de\s+)?"
            r"(?:nouveaux\s+)?(?:projets|annonces|entreprises|groupes|investisseurs)|ensemble\s+des\s+(?:projets|investissements|annonces|engagements)|"
            r"collectivement|\b\w+(?:ont|aient)\s+(?:ensemble|conjointement)\b|à\s+eux\s+(?:deux|trois|tous|seuls)|(?:les|des|ces)\s+investissements\s+(?:annoncés|étrangers|promis)|"
            r"bilan|enveloppe\s+globale|(?:les|des|ces|ses)\s+(?:\w+\s+)?(?:sommets|éditions)\b|depuis\s+(?:la\s+)?(?:première|1re)\s+édition|promesses\s+d['’]investissements|(?:les|des)\s+annonces\s+d['’]investissement|"
            r"l['’]an\s+dernier,?\s+\d+|édition\s+précédente|(?:le|un)\s+record|(?:les|des|ces)\s+annonces\b|tous\s+(?:secteurs|projets)\s+confondus",
            _I,
        ),
        re.compile(
            r"^.{0,25}?\b(?:au\s+total|en\s+tout|attendus|cumulés|à\s+eux\s+(?:deux|tous)|d['’]investissements\s+(?:étrangers|cumulés|attendus))|"
            r"^\s*d['’]annonces\b|^.{0,60}?\btous\s+(?:secteurs|projets)\s+confondus",
            _I,
        ),
    ),
    (
        "revenue",
        re.compile(
            r"chiffre\s+d['’]affaires|\bCA\b|\brevenus?\b|\brecettes\b|\bbénéfices?\b|\brésultats?\s+(?:net|opérationnel|annuel)|\bventes\b|"
            r"(?<!en )\bmarges?\b|\bEbitda\b|\bexcédent|\ba\s+réalisé|\ba\s+généré|\bdégag\w+|\bpèse\b|\bpesait\b|\bpertes?\b|\bdéficit|\bdettes?\b|"
            r"\bendettement|\ba\s+perdu|\bdividendes?\b|\brachats?\s+d['’]actions|\bsalaires?\b|\brémunération|\bbonus\b|\bimpôts?\b|\btaxes?\b|"
            r"\bbudget\s+(?:annuel|de\s+l['’]État)|\bloyers?\b|\bcoût\s+de\s+la\s+crise|\bexportations?\b|\bimportations?\b|\bfactures?\b",
            _I,
        ),
        re.compile(
            r"^\s*(?:de|d['’])\s*(?:chiffre|revenus?|ventes|pertes?|bénéfices?|dettes?|dividendes?|recettes|CA\b|excédent|marge)",
            _I,
        ),
    ),
    (
        "fine",
        re.compile(
            r"amendes?|sanction\w*|condamn\w*|pénalit\w*|redressement|astreinte|indemni\w+|dommages", _I
        ),
        re.compile(r"^\s*(?:d['’]amende|de\s+pénalités|de\s+dommages)", _I),
    ),
    (
        "valuation",
        re.compile(
            r"capitalisation|valoris\w+|valeur\s+(?:de\s+marché|boursière|de\s+l['’]entreprise)|vaut\b|valait|\bvalue\b",
            _I,
        ),
        re.compile(r"^\s*(?:de\s+(?:valorisation|capitalisation)|en\s+bourse)", _I),
    ),
    (
        "acquisition",
        re.compile(
            r"\brach[eè]t\w*|\bracheter|\brachat|\bacqu(?:ier|iert|érir|erra|is|ise)\b|acquisition\s+(?:de|du|d['’])\s*(?:[A-ZÀ-Ý]|la\s+société|"
            r"l['’]entreprise|la\s+start-up|sa\s+participation|son\s+concurrent|son\s+rival|l['’]activité|\d)|\bOPA\b|offre\s+publique|"
            r"prise\s+de\s+(?:participation|contrôle)|\bpren\w*\s+le\s+contrôle|\bprend\s+la\s+majorité|\bfusion|reprise\s+(?:de|du|d['’])|reprendre\s+(?:le|la|l['’])|"
            r"entr(?:er|e|era)\s+au\s+capital|montée\s+au\s+capital|participation\s+(?:majoritaire|minoritaire)|\bcession|\bcèd\w*|\bcéd\w*|"
            r"mettre\s+la\s+main\s+sur|met\s+la\s+main\s+sur|s['’]offr\w+|s['’]emparer",
            _I,
        ),
        re.compile(r"^\s*(?:pour\s+(?:racheter|acquérir|s['’]offrir|reprendre)|pour\s+le\s+rachat)", _I),
    ),
    (
        "fundraising",
        re.compile(
            r"lev[ée]\w*\s+de\s+fonds|\ba\s+levé|\blève\b|\blever\b|\blèvera|\blevée|tour\s+de\s+table|série\s+[A-F]\b|\bseed\b|"
            r"amorçage|s[ée]ries?\s+[A-F]\b|\bclos[ée]\w*\s+(?:un|une|son|sa)|introduction\s+en\s+bourse|\bIPO\b|augmentation\s+de\s+capital|financement\s+(?:de\s+)?série",
            _I,
        ),
        re.compile(
            r"^\s*(?:lors\s+d['’]un\s+tour|auprès\s+(?:d['’]|de)\s*(?:investisseurs|fonds)|en\s+série)", _I
        ),
    ),
    (
        "grant-or-loan",
        re.compile(
            r"prêts?\b|prête\w*|emprunt\w*|subvention\w*|aides?\s+(?:publiques?|de\s+l['’]État|d['’]État|de\s+la\s+région)|"
            r"soutien\s+(?:public|de\s+l['’]État)|France\s+2030|crédit\s+d['’]impôt|plan\s+de\s+relance|appel\s+à\s+projets|lauréat\w*|"
            r"dotation|guichet|\bBEI\b|garanti\w*|reçoi\w+|recevr\w+|bénéficie\w*|toucher\w*|obtenu",
            _I,
        ),
        re.compile(
            r"^\s*(?:de\s+subventions?|d['’]aides?|de\s+prêts?|d['’]argent\s+public|de\s+fonds\s+publics|de\s+France\s+2030)",
            _I,
        ),
    ),
    (
        "market-or-contract",
        re.compile(
            r"marché\s+(?:de|estimé|mondial|français|européen|évalué)|\bcontrats?\b|\bcommandes?\b|appel\s+d['’]offres|carnet\s+de",
            _I,
        ),
        re.compile(r"^\s*(?:de\s+commandes?|de\s+contrats?)", _I),
    ),
)
# Shares changing hands or a price put on the company: no money goes into a project, whoever pays.
SHARE_SALE_RE = re.compile(
    r"opérations?\s+secondaires?|\bsecondaire\b[^.;]{0,40}\b(?:titres|actions|parts)\b|"
    r"cessions?\s+(?:de|d['’])\s*(?:titres|parts|actions|participations?)|"
    r"revend\w*\s+(?:[\w'’-]+\s+){0,4}?(?:titres|parts|actions|participations?)\b|"
    r"rachats?\s+(?:de\s+ses\s+propres\s+|d['’])actions|programme\s+de\s+rachat",
    _I,
)
# "... valorise désormais la start-up à 3 milliards": the figure after "valoriser ... à" is a price.
VALUED_AT_BEFORE_RE = re.compile(
    r"\bvaloris\w*\s+(?:[\w'’-]+\s+){0,5}?(?:à|de)\s*(?:plus\s+de\s+|près\s+de\s+|environ\s+)?$", _I
)
# "Une enveloppe de 10 millions d'euros est mobilisée ..., avec le soutien de régions": a public or
# collective budget put in the passive, with no company that pays it.
PASSIVE_ENVELOPE_RE = re.compile(
    r"^\s*(?:[^,;:]{0,30},\s*)?(?:une|l['’]|cette)\s*(?:nouvelle\s+)?(?:enveloppe|somme|budget|dotation|fonds)\b[^.;]{0,80}?"
    r"\b(?:est|sera|a\s+été|seront|sont|ont\s+été)\s+(?:\w+\s+)?(?:mobilisée?s?|débloquée?s?|allouée?s?|dégagée?s?|prévue?s?|"
    r"consacrée?s?|réservée?s?|affectée?s?|mise?s?\s+sur\s+la\s+table)\b"
    r"(?=[^.;]*?\b(?:avec\s+le\s+(?:soutien|concours|appui)\s+(?:de|des|du|d['’])|cofinancée?|par\s+l['’]État|"
    r"par\s+les\s+pouvoirs\s+publics|par\s+(?:la|les)\s+régions?|par\s+les\s+collectivités))",
    _I,
)
# A live blog's entry starts with its time ("10h05 –", "14 h 20 :"): it speaks of its own subject.
TIMESTAMP_RE = re.compile(r"^\s*\d{1,2}\s?h\s?\d{2}\s*(?:[-–—:|]|\s)")

# Money already spent ("a déjà investi 120 millions depuis 2016"): a record, not an announcement.
PAST_INVESTMENT_RE = re.compile(
    r"\b(?:a|ont|avons|avait|avaient)\s+(?:(?:déjà|pourtant|ainsi|au\s+total|en\s+tout)\s+)*"
    r"(?:investi|injecté|consacré|dépensé|mobilisé)\b(?P<rest>.*)",
    _I,
)
_PAST_TIME_RE = re.compile(
    r"\bdéjà\b|\bdepuis\b|au\s+cours\s+des|ces\s+(?:\w+\s+)?dernières\s+années|l['’](?:an|année)\s+(?:dernier|dernière|passé|passée)|"
    r"il\s+y\s+a\s+\w+\s+ans|\ben\s+(?:19\d\d|20[0-2]\d)\b|\bjusqu['’]ici\b|\bà\s+ce\s+jour\b",
    _I,
)


def past_investment(text: str) -> bool:
    m = PAST_INVESTMENT_RE.search(text)
    return bool(m and (_PAST_TIME_RE.search(m.group(0))))


# A company bought: "l'acquisition du lyonnais Biosphère", "rachète X". Its name is a target, never an investor.
ACQUISITION_TARGET_BEFORE_RE = re.compile(
    r"(?:\brach[eè]t\w*|\bracheter|\bacquisition|\bacqu(?:iert|érir|erra|is|ise)|\breprise|\breprendre|\bOPA|"
    r"mettre\s+la\s+main|met\s+la\s+main|prise\s+de\s+contrôle|s['’]offr\w+)\s+(?:sur\s+|de\s+|du\s+|des\s+|d['’])?"
    r"(?:(?:l['’]|le\s+|la\s+|son\s+|sa\s+)?[\w-]+\s+){0,3}$",
    _I,
)

# Words between a figure and a later name that make the figure a total the name is only part of.
AGGREGATE_HINT_RE = re.compile(
    r"\bdont\b|parmi|notamment|comme|total|ensemble|projets|entreprises|groupes|annonces", _I
)
NEGATION_RE = re.compile(
    r"\b(?:ne|n['’])\s*(?:\w+\s+){0,2}?(?:pas|plus|jamais|guère)\b|\baucun\w*\b|\bdément\w*|\bdémenti|\bexclu\w*\s+d['’]investir|"
    r"\bpas\s+(?:de|d['’])\s*(?:nouvel|nouveaux|investissement)",
    _I,
)
_PROJECT = r"(?:projet|investissement|usine|implantation|construction|extension|chantier|plan|site|gigafactory|centre|entrepôt|campus|annonce)s?"
ABANDON_RE = re.compile(
    rf"(?:abandonn\w*|renonc\w*\s+à|annul\w*|suspend\w*|gel(?:é|ée|er|le)?|gèle|mis\w*\s+en\s+pause|reporté\w*|enterr\w*|stopp\w*|arrêt\w*)"
    rf"\s+(?:(?:définitivement|finalement|officiellement)\s+)?(?:son|sa|ses|le|la|l['’]|les|ce|cette|cet|leur)\s*(?:\w+\s+)?{_PROJECT}\b|"
    rf"\b{_PROJECT}\b[^.;]{{0,60}}?\b(?:a|ont|est|sont|sera|seront)\s+(?:été\s+)?(?:(?:définitivement|finalement|officiellement)\s+)?"
    r"(?:abandonné|annulé|suspendu|gelé|enterré|stoppé|arrêté|reporté\s+sine\s+die|mis\s+en\s+pause)\w*|"
    r"jet\w*\s+l['’]éponge|ne\s+verra\s+(?:pas|jamais)\s+le\s+jour|n['’]a\s+jamais\s+vu\s+le\s+jour|fait\s+machine\s+arrière|"
    r"tir\w*\s+un\s+trait\s+sur|renonc\w*\s+à\s+(?:investir|construire|implanter|s['’]implanter)|ne\s+se\s+fera\s+pas|"
    r"(?:a|ont)\s+(?:finalement\s+)?renoncé|(?:a|ont)\s+(?:finalement\s+)?abandonné|n['’]aura\s+pas\s+lieu|"
    r"\b(?:abandon|annulation|gel|suspension|report)\s+(?:définitif\s+)?(?:du|de\s+(?:son|ce|cet|cette|l['’]))\s*(?:\w+\s+)?"
    rf"{_PROJECT}\b",
    _I,
)
# An announcement of an earlier edition told again: "annoncée en 2018", "avaient été annoncés".
RETRO_RE = re.compile(
    r"\bav(?:ait|aient)\s+(?:été\s+)?(?:(?:déjà|pourtant|bien|aussi|alors|ainsi|\w+ment)\s+)?(?:annoncé|promis|investi|présenté|dévoilé|engagé|officialisé|confirmé)\w*|"
    r"\b(?:annoncé|promis|présenté|dévoilé|investi)e?s?\s+(?:en|lors\s+de|l['’]an|l['’]année)",
    _I,
)
LAST_YEAR_RE = re.compile(
    r"\bl['’](?:an|année)\s+(?:dernier|dernière|passé|passée)\b|\b(?:précédente|dernière)\s+édition|édition\s+précédente",
    _I,
)
YEAR_RE = re.compile(r"\b(20[1-3]\d)\b")


def earlier_edition(text: str, edition: int | None, published_year: int | None) -> bool:
    """An announcement told again from an edition before the article's ("annoncée en 2018")."""
    if edition is None or not RETRO_RE.search(text):
        return False
    years = {int(y) for y in YEAR_RE.findall(text)}
    if LAST_YEAR_RE.search(text):
        years.add((published_year or edition) - 1)
    return any(2017 <= y < edition for y in years)


# Project anaphors: a sentence opening with one speaks of the investor of the sentence before.
PROJECT_ANAPHOR_RE = re.compile(
    r"^\s*(?:[^,.;:]{0,25},\s*)?(?:[A-ZÉ][\w’']*\s+){0,3}?(?:Cet|Ce|Cette|L['’]|Le|La|Son|Sa|Ses|Un|Une)\s*(?:nouvel\s+|nouveau\s+|nouvelle\s+)?"
    r"(?:investissement|projet|enveloppe|usine|site|chantier|montant|campus|centre|programme|extension|implantation|plan)\b",
    _I,
)
POSSESSIVE_RE = re.compile(r"\b(?:son|sa|ses|leur|leurs)\b", _I)
COORDINATED_BEFORE_RE = re.compile(r"^\s*(?:,\s*|\s+et\s+|\s+ainsi\s+que\s+|\s+ou\s+)$", _I)


# A company's own total: "investira au total", "pour un total de", "un montant global de".
_OWN_TOTAL_RE = re.compile(
    r"\bau\s+total\b|\ben\s+tout\b|\bau\s+global\b|\btotal\s+(?:de|d['’])|montant\s+(?:total|global|cumulé)|"
    r"somme\s+(?:totale|globale)|\bcumul\w*|enveloppe\s+globale",
    re.IGNORECASE,
)


def own_total(between: str, after: str) -> bool:
    """The only sign of a total is one a single company can give its own figure, and nothing says several."""
    if not _OWN_TOTAL_RE.search(between) and not re.match(r"^.{0,25}?\b(?:au\s+total|en\s+tout)", after):
        return False
    rest = _OWN_TOTAL_RE.sub(" ", between)
    return not NEGATIVE_CUES[0][1].search(rest) and not CROSS_COMPANY_RE.search(between + " " + after)


def negative_family(between: str, after: str) -> str | None:
    """The family of non-investment figure that the words around a figure point to, or None."""
    for family, before_re, after_re in NEGATIVE_CUES:
        if before_re.search(between) or after_re.search(after):
            return family
    return None
