"""French common words that a page capitalises without naming anyone: heading labels ("Investissement :",
"Tourisme :"), section names, sentence-initial nouns, adjectives and adverbs, and the fields of ministries
("ministre délégué à l'Industrie"). A "name" made only of such words is never an investor.

Company names that are also common words (Orange, Total, Carrefour, Mistral...) are deliberately absent:
the list holds the words a reporter uses as labels and topics, not every noun of the language.
"""

from __future__ import annotations

import re

from pipelines.gazetteer import strip_accents

# Lower-cased, accent-free. Grouped by what they are on a page, so that a missing word is easy to place.
COMMON_WORDS = frozenset(
    # Heading labels of briefs, fact boxes and live blogs.
    """investissement investissements montant montants enveloppe budget financement financements cout couts
    somme sommes emploi emplois embauches recrutements effectifs postes calendrier echeance echeances date dates
    duree delai delais lieu lieux localisation implantation site sites usine usines projet projets
    annonce annonces contexte enjeu enjeux objectif objectifs ambition ambitions perspective perspectives
    chiffre chiffres repere reperes cle cles point points detail details precision precisions nouveaute
    nouveautes essentiel resume recap recapitulatif synthese decryptage analyse analyses eclairage
    zoom focus portrait entretien interview temoignage temoignages reportage enquete editorial edito
    opinion tribune chronique verdict coulisses decodage explication explications question questions
    reponse reponses reaction reactions critique critiques polemique controverse debat debats bilan
    mise avancee etape etapes suite suites prochaine prochaines direct live alerte breaking flash
    urgent exclusif exclusive video videos photo photos diaporama infographie carte graphique podcast
    newsletter abonnement abonnes commentaire commentaires partager lire voir aussi sommaire accueil
    rubrique rubriques dossier dossiers theme themes sujet sujets lecture source sources credit credits
    mots tags categorie categories publication mise-a-jour maj mise-a-jour update""".split()  # noqa: SIM905
    # Sectors, policy fields and departments of ministries.
    + """industrie industries tourisme economie finances finance budget commerce artisanat agriculture
    alimentation agroalimentaire peche energie energies environnement ecologie climat transition
    transports transport mobilite mobilites logistique sante numerique innovation recherche
    enseignement education formation travail emploi solidarites logement ville villes territoires
    ruralite culture communication sports jeunesse justice interieur defense armees affaires etrangere
    etrangeres exterieur europe outre-mer amenagement cohesion souverainete attractivite competitivite
    relance reindustrialisation decarbonation intelligence artificielle cybersecurite spatial aeronautique
    automobile chimie pharmacie biotechnologies semiconducteurs batteries hydrogene nucleaire
    renouvelables eolien solaire luxe banque assurance immobilier distribution telecoms medias
    technologie technologies tech startups start-up start-ups entreprises industriels investisseurs
    marches marche bourse fiscalite impots emplois salaries syndicats social sociale""".split()  # noqa: SIM905
    # Words that open sentences or lines capitalised: determiners aside, nouns, adjectives, adverbs.
    + """premier premiere premiers premieres deuxieme troisieme dernier derniere derniers dernieres nouveau
    nouvelle nouveaux nouvelles grand grande grands grandes petit petite gros grosse autre autres seul seule
    principal principale principaux principales important importante majeur majeure record historique
    officiel officielle officiellement concret concrete concretement finalement clairement evidemment
    seulement simplement surtout notamment justement parallelement recemment actuellement initialement
    auparavant desormais prochainement bientot dorenavant aujourd'hui demain hier ailleurs autrement
    pourtant neanmoins toutefois cependant certes bref enfin ensuite puis alors ainsi aussi mais donc
    reste restent rappel rappelons precisons notons signe signes preuve exemple cas fait faits chose
    choses part parts partie parties moitie tiers quart totaux ensemble resultat resultats
    consequence consequences raison raisons cause but pari defi defis risque risques menace menaces
    espoir espoirs crainte craintes doute doutes succes echec victoire revers coup tournant virage
    sommet sommets edition editions journee journees semaine semaines mois annee annees matin soir
    midi soiree veille lendemain demain heure heures minute minutes jour jours fois moment moments
    pendant depuis avant apres selon face outre hors malgre grace quant cote cotes cote-la
    gouvernement etat executif ministere ministeres ministre ministres secretariat administration
    prefecture mairie region regions departement departements collectivite collectivites
    pays nation republique patronat patrons dirigeants salaries ouvriers habitants elus riverains
    experts economistes analystes observateurs specialistes associations""".split()  # noqa: SIM905
)

# A capitalised word after these is the field of a public office ("ministre délégué à l'Industrie",
# "secrétaire d'État chargée du Numérique", "ministère de la Transition écologique"), never a company.
PUBLIC_ROLE_BEFORE_RE = re.compile(
    r"\b(?:ministres?|ministère|secrétaire\s+d['’]État|secrétariat\s+d['’]État|haut[-\s]commissa\w+|commissaire|"
    r"délégation|direction\s+générale|conseil\s+national|agence\s+nationale|observatoire|comité\s+interministériel)"
    r"(?:\s+(?:délégué|déléguée|chargée?|adjointe?|d['’]État|européen|européenne))*"
    r"\s+(?:(?:de|à|du|au|aux|des|d['’]|l['’]|la|le|les|et)\s*)+$",
    re.IGNORECASE,
)


def is_common_word(surface: str) -> bool:
    """ "Investissement", "Tourisme", "l'Industrie", "Souveraineté Numérique": a name made only of common
    French words (a label or a topic). One word that is not common ("Hélix IA", "Crédit Agricole") saves it."""
    tokens = surface.replace("’", "'").split()
    if not tokens or len(tokens) > 3:
        return False
    words = [strip_accents(re.sub(r"^[LlDd]'", "", t).strip(" .,;:!?")).lower() for t in tokens]
    return all(w in COMMON_WORDS for w in words)
