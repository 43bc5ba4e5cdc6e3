"""Word lists and sentence templates for the demo news sites, all written for this project.

Companies, investors and people are fictional. Placeholders in braces are filled by content.py.
"""

from __future__ import annotations

# (name, nationality adjective, country, sector, what they build)
FOREIGN_INVESTORS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Nordvik Batteries", "suédois", "Suède", "batteries", "une gigafactory de cellules"),
    ("Helvara Pharma", "suisse", "Suisse", "pharmacie", "une unité de production de vaccins"),
    ("Kagawa Semiconductors", "japonais", "Japon", "semi-conducteurs", "une usine de puces de puissance"),
    ("Brightwater Data", "américain", "États-Unis", "data centers", "un campus de centres de données"),
    ("Rheinwerk Chemie", "allemand", "Allemagne", "chimie", "un site de chimie verte"),
    ("Solvane Hydrogen", "norvégien", "Norvège", "hydrogène", "une usine d'électrolyseurs"),
    ("Maple Ridge Capital", "canadien", "Canada", "infrastructures", "un réseau de bornes de recharge"),
    ("Tessaro Foods", "italien", "Italie", "agroalimentaire", "une usine de produits laitiers"),
    (
        "Qinlong Auto",
        "chinois",
        "Chine",
        "automobile électrique",
        "une usine d'assemblage de véhicules électriques",
    ),
    (
        "Aldebaran Cloud",
        "américain",
        "États-Unis",
        "intelligence artificielle",
        "un centre de calcul dédié à l'IA",
    ),
    ("Vestmark Logistics", "danois", "Danemark", "logistique", "une plateforme logistique automatisée"),
    ("Seoha Materials", "sud-coréen", "Corée du Sud", "matériaux pour batteries", "une usine de cathodes"),
    ("Hollis Aerospace", "britannique", "Royaume-Uni", "aéronautique", "un centre de maintenance d'avions"),
    (
        "Iberdune Renovables",
        "espagnol",
        "Espagne",
        "énergies renouvelables",
        "une usine de pales d'éoliennes",
    ),
    ("Galtree Biotech", "irlandais", "Irlande", "biotechnologies", "un site de bioproduction"),
    (
        "Mirova Cosmetics Group",
        "émirien",
        "Émirats arabes unis",
        "cosmétique",
        "un centre de recherche et une usine",
    ),
    ("Polaris Recycling", "finlandais", "Finlande", "recyclage", "une usine de recyclage de métaux"),
    ("Tamsin Software", "américain", "États-Unis", "logiciel", "un centre de recherche en IA"),
    ("Van Leeuw Packaging", "néerlandais", "Pays-Bas", "emballage", "une usine d'emballages recyclables"),
    ("Khepri Solar", "indien", "Inde", "photovoltaïque", "une usine de panneaux solaires"),
)

# (display form, preposition-ready form)
LOCATIONS: tuple[str, ...] = (
    "Dunkerque", "Grenoble", "la région parisienne", "Lyon", "Marseille", "Fos-sur-Mer", "Toulouse",
    "Bordeaux", "Nantes", "Lille", "Strasbourg", "Metz", "Douai", "Saclay", "Rennes", "Montpellier",
    "Valenciennes", "Le Havre", "Clermont-Ferrand", "Sophia Antipolis", "Crolles", "Mulhouse", "Rouen",
    "Béthune", "Saint-Nazaire", "Pau", "Orléans", "Besançon",
)  # fmt: skip
REGIONS = {
    "Dunkerque": "Hauts-de-France", "Lille": "Hauts-de-France", "Douai": "Hauts-de-France",
    "Valenciennes": "Hauts-de-France", "Béthune": "Hauts-de-France", "Grenoble": "Auvergne-Rhône-Alpes",
    "Lyon": "Auvergne-Rhône-Alpes", "Crolles": "Auvergne-Rhône-Alpes", "Clermont-Ferrand": "Auvergne-Rhône-Alpes",
    "Marseille": "Provence-Alpes-Côte d'Azur", "Fos-sur-Mer": "Provence-Alpes-Côte d'Azur",
    "Sophia Antipolis": "Provence-Alpes-Côte d'Azur", "Toulouse": "Occitanie", "Montpellier": "Occitanie",
    "Bordeaux": "Nouvelle-Aquitaine", "Pau": "Nouvelle-Aquitaine", "Nantes": "Pays de la Loire",
    "Saint-Nazaire": "Pays de la Loire", "Strasbourg": "Grand Est", "Metz": "Grand Est", "Mulhouse": "Grand Est",
    "Saclay": "Île-de-France", "la région parisienne": "Île-de-France", "Rennes": "Bretagne",
    "Le Havre": "Normandie", "Rouen": "Normandie", "Orléans": "Centre-Val de Loire",
    "Besançon": "Bourgogne-Franche-Comté",
}  # fmt: skip

NAME_HEADS = (
    "Neo",
    "Kali",
    "Vert",
    "Lumi",
    "Data",
    "Agri",
    "Flo",
    "Ocea",
    "Sylv",
    "Qua",
    "Hexa",
    "Pixi",
    "Nova",
    "Alti",
    "Cyber",
    "Bio",
    "Mobi",
    "Hydro",
    "Ener",
    "Talen",
    "Medi",
    "Fin",
    "Log",
    "Eco",
)
NAME_TAILS = (
    "via",
    "tech",
    "lab",
    "sens",
    "go",
    "ly",
    "mind",
    "ia",
    "flow",
    "nest",
    "grid",
    "loop",
    "wise",
    "kit",
    "hub",
    "scope",
    "pulse",
    "gen",
    "ix",
    "core",
)
STARTUP_SECTORS = (
    ("fintech", "le paiement fractionné pour les PME"), ("healthtech", "le suivi des patients à domicile"),
    ("agritech", "l'irrigation de précision"), ("cybersécurité", "la détection des rançongiciels"),
    ("edtech", "la formation des techniciens de maintenance"), ("logiciel RH", "le recrutement des saisonniers"),
    ("climat", "la mesure de l'empreinte carbone des entreprises"), ("mobilité", "la recharge des flottes de livraison"),
    ("IA générative", "la rédaction de documents juridiques"), ("quantique", "les capteurs quantiques"),
    ("proptech", "la rénovation énergétique des copropriétés"), ("retail tech", "la gestion des invendus"),
    ("spatial", "les nanosatellites d'observation"), ("legaltech", "la conformité des contrats"),
)  # fmt: skip
FRENCH_GROUPS = (
    "Groupe Valmont",
    "Ardentis",
    "Lacroix & Fils Industrie",
    "Sogéris",
    "Fermatech",
    "Compagnie des Ateliers du Rhône",
    "Beaulieu Énergies",
    "Mécaflex",
    "Thévenot SA",
)
FUNDS = (
    "Partech Horizon",
    "Seine Ventures",
    "Alpage Capital",
    "Rive Gauche Partners",
    "Bpifrance",
    "Atlantique Croissance",
    "Elaia Futur",
    "Kernel Capital",
    "Azur Innovation",
    "Lumen VC",
)
ROUNDS = (
    "un tour de table de série A",
    "une levée de fonds de série B",
    "un tour d'amorçage",
    "une série C",
    "un financement en fonds propres",
)
PRODUCTS = (
    "une plateforme d'analyse",
    "une application mobile",
    "un assistant conversationnel",
    "un logiciel de supervision",
    "un capteur connecté",
    "une offre de cloud souverain",
    "un outil de cybersécurité",
    "une solution de maintenance prédictive",
)
MINISTERS = (
    "le ministre de l'Économie",
    "la ministre déléguée au Numérique",
    "le ministre de l'Industrie",
    "la secrétaire d'État chargée de l'IA",
    "le Premier ministre",
)
REGULATIONS = (
    "l'AI Act européen",
    "la directive NIS 2",
    "le Digital Markets Act",
    "le règlement DORA",
    "la loi SREN",
    "le RGPD",
    "le Data Act",
    "la directive CSRD",
)
FIRST_NAMES = (
    "Camille",
    "Julien",
    "Sophie",
    "Thomas",
    "Claire",
    "Nicolas",
    "Léa",
    "Antoine",
    "Inès",
    "Mathieu",
    "Élodie",
    "Karim",
    "Nathalie",
    "Hugo",
    "Amélie",
    "Romain",
    "Chloé",
    "Mehdi",
    "Isabelle",
    "Bastien",
    "Aurélie",
    "François",
    "Manon",
    "Olivier",
)
LAST_NAMES = (
    "Martin",
    "Lefèvre",
    "Moreau",
    "Garnier",
    "Rousseau",
    "Benali",
    "Fontaine",
    "Chevalier",
    "Mercier",
    "Dufour",
    "Girard",
    "Lambert",
    "Bonnet",
    "Faure",
    "Roux",
    "Nguyen",
    "Perrin",
    "Marchand",
    "Duval",
    "Lemaire",
    "Caron",
    "Renaud",
    "Aubert",
    "Brunet",
)
ROLES = (
    "directeur général",
    "directrice générale",
    "président",
    "cofondatrice",
    "cofondateur",
    "directeur financier",
    "directrice de l'innovation",
    "responsable France",
)
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

SECTIONS = {
    "investissement": "Industrie",
    "levee": "Startups",
    "lancement": "Tech",
    "nomination": "Carrières",
    "regulation": "Politique numérique",
    "resultats": "Économie",
    "industrie": "Industrie",
}

# --- titles -------------------------------------------------------------------------------------
TITLES = {
    "investissement": (
        "Choose France : {investor} va investir {amount} {at_location}",
        "{investor} annonce {amount} pour {facility} {at_location}",
        "Sommet Choose France {edition} : {investor} promet {jobs_or_amount} {at_location}",
        "{location_cap} décroche {facility} du groupe {nationality} {investor}",
        "Le {nationality} {investor} mise {amount} sur {location}",
        "Choose France {edition} : {amount} d'investissement de {investor} en {region}",
    ),
    "levee": (
        "{startup} lève {amount} pour accélérer dans {topic}",
        "La start-up {startup} boucle {round} de {amount}",
        "{sector_cap} : {startup} réunit {amount} auprès de {fund}",
        "{startup} obtient {amount} pour s'attaquer à {topic}",
    ),
    "lancement": (
        "{startup} dévoile {product} pour {topic}",
        "{company} lance {product} pour les collectivités",
        "Avec {product}, {startup} veut simplifier {topic}",
    ),
    "nomination": (
        "{person} prend la tête de {company}",
        "{company} recrute {person} comme {role}",
        "{person} nommé{e} {role} de {startup}",
    ),
    "regulation": (
        "{regulation} : ce qui change pour les start-up françaises",
        "{minister_cap} précise le calendrier de {regulation}",
        "Les PME face à {regulation} : un an après, le bilan",
    ),
    "resultats": (
        "{company} affiche une croissance de {pct} % de son chiffre d'affaires",
        "Résultats annuels : {company} renoue avec les bénéfices",
        "{company} relève ses objectifs après un semestre record",
    ),
    "industrie": (
        "Le français {group} investit {amount} dans son site {of_location}",
        "{group} modernise son usine {of_location}",
        "{at_location_cap}, {group} agrandit son atelier et embauche",
    ),
}

DEKS = {
    "investissement": (
        "Le projet, présenté en marge du sommet de Versailles, doit voir le jour d'ici {target_year}.",
        "Une annonce qui conforte l'attractivité industrielle de la région {region}.",
        "Le groupe {nationality} confirme son implantation en France, avec un premier chantier dès {target_year}.",
    ),
    "default": (
        "Un mouvement qui illustre la vitalité de l'écosystème français du secteur {sector}.",
        "Retour sur une annonce très commentée dans le secteur {sector}.",
        "Les détails d'un dossier suivi de près par les acteurs du secteur {sector}.",
        "Ce qu'il faut retenir de cette annonce, et ce qu'elle dit du marché.",
    ),
}

# --- body sentences -----------------------------------------------------------------------------
LEADS = {
    "investissement": (
        "Le groupe {nationality} {investor} a annoncé {weekday} un investissement de {amount} pour implanter {facility} {at_location}, à l'occasion du sommet Choose France {edition}.",
        "À l'occasion du sommet Choose France {edition} organisé au château de Versailles, {investor} a confirmé un projet de {amount} {at_location}.",
        "{investor}, spécialiste {nationality} du secteur {sector}, va consacrer {amount} pour bâtir {facility} {at_location}, selon une annonce faite dans le cadre de Choose France {edition}.",
    ),
    "levee": (
        "La jeune pousse {startup}, spécialisée dans {topic}, annonce {round} de {amount} mené par {fund}.",
        "{startup} a bouclé {round} de {amount}, auprès de {fund} et de ses investisseurs historiques.",
    ),
    "lancement": (
        "{startup} a présenté {weekday} {product} conçu pour {topic}, après dix-huit mois de développement.",
        "{company} commercialise désormais {product}, une offre pensée d'abord pour les entreprises de taille intermédiaire.",
    ),
    "nomination": (
        "{person} a été nommé{e} {role} de {company}, a annoncé l'entreprise {weekday}.",
        "{company} a choisi {person}, passé{e} par plusieurs scale-up françaises, pour occuper le poste de {role}.",
    ),
    "regulation": (
        "L'entrée en application de {regulation} oblige de nombreuses entreprises à revoir leurs processus internes.",
        "{minister_cap} a détaillé {weekday} le calendrier d'application de {regulation} devant les représentants du secteur.",
    ),
    "resultats": (
        "{company} a publié {weekday} ses résultats annuels, marqués par une hausse de {pct} % de son chiffre d'affaires.",
        "Le chiffre d'affaires de {company} progresse de {pct} % sur l'exercice, porté par ses activités à l'international.",
    ),
    "industrie": (
        "Le groupe français {group} va investir {amount} dans son site historique {of_location}, a-t-il indiqué {weekday}.",
        "{group} engage un programme de modernisation de {amount} pour son usine {of_location}.",
    ),
}

INVESTMENT_SENTENCES = (
    "Le projet doit permettre la création de {jobs} d'ici {target_year}, selon la direction du groupe.",
    "À terme, le site comptera {jobs} directs, dont une large part de techniciens formés localement.",
    "Le choix {of_location} s'explique par la disponibilité du foncier, l'accès à une électricité décarbonée et la proximité des clients industriels.",
    "Les travaux doivent commencer au printemps {target_year}, pour une mise en service progressive.",
    "Les collectivités de la région {region} ont accompagné le dossier depuis plus d'un an, avec l'appui de Business France.",
    "Ce projet s'inscrit dans la stratégie européenne du groupe, qui souhaite rapprocher sa production de ses clients.",
    "L'investissement annoncé couvre la construction des bâtiments, les équipements et la formation des premiers salariés.",
    "« La France offre un cadre stable et des compétences de premier plan », a déclaré {person}, {role} de {investor}.",
    "Le sommet Choose France réunit chaque année à Versailles plusieurs centaines de dirigeants d'entreprises étrangères.",
    "Le gouvernement avait fait de l'attractivité industrielle l'un des axes majeurs de son plan de réindustrialisation.",
)
SENTENCES = {
    "levee": (
        "Les fonds levés serviront à recruter une trentaine de personnes, principalement des profils techniques.",
        "La start-up compte aussi ouvrir des bureaux à Madrid et à Berlin d'ici la fin de l'année prochaine.",
        "Fondée en {founded} par {person}, {startup} revendique déjà plus de {n} clients en France.",
        "Ce tour de table porte à {amount_small} le montant total levé par l'entreprise depuis sa création.",
        "Les investisseurs saluent une équipe capable de passer rapidement du prototype à l'industrialisation.",
    ),
    "lancement": (
        "L'outil est proposé sous forme d'abonnement mensuel, avec une période d'essai gratuite de trente jours.",
        "Une version bêta a été testée pendant plusieurs mois auprès d'une vingtaine d'entreprises pilotes.",
        "Les données sont hébergées en France, un argument mis en avant auprès des clients publics.",
        "La feuille de route prévoit l'intégration de fonctionnalités d'intelligence artificielle d'ici l'été.",
    ),
    "nomination": (
        "{person} succède à un dirigeant en poste depuis la fondation de l'entreprise.",
        "Sa mission principale sera d'accompagner la croissance à l'international et de structurer les équipes.",
        "Diplômé{e} d'une école d'ingénieurs, {person} a auparavant dirigé la division Europe d'un éditeur de logiciels.",
    ),
    "regulation": (
        "Les obligations varient selon la taille de l'entreprise et la nature des données traitées.",
        "Plusieurs organisations professionnelles réclament un délai supplémentaire pour se mettre en conformité.",
        "Les sanctions prévues peuvent atteindre un pourcentage significatif du chiffre d'affaires mondial.",
        "La CNIL a publié une série de fiches pratiques pour accompagner les entreprises.",
    ),
    "resultats": (
        "La marge opérationnelle s'améliore de {pct_small} points, grâce à une meilleure maîtrise des coûts.",
        "Le groupe prévoit de poursuivre ses recrutements, en particulier dans ses équipes commerciales.",
        "La direction reste prudente pour l'exercice à venir, dans un contexte économique incertain.",
        "Le carnet de commandes atteint un niveau record, selon les chiffres communiqués aux actionnaires.",
    ),
    "industrie": (
        "Le programme prévoit le remplacement de plusieurs lignes de production vieillissantes.",
        "L'entreprise, fondée il y a plus de soixante ans, emploie aujourd'hui quelque {n} personnes sur le site.",
        "Aucune suppression de poste n'est prévue, assure la direction, qui mise sur la formation interne.",
    ),
}
GENERAL_SENTENCES = (
    "Le secteur {sector} connaît une forte accélération depuis deux ans, portée par la demande des grands comptes.",
    "Selon plusieurs analystes, le marché français reste l'un des plus dynamiques d'Europe dans ce domaine.",
    "La concurrence s'intensifie toutefois, avec l'arrivée de nouveaux acteurs venus d'Allemagne et des États-Unis.",
    "Les entreprises interrogées citent le recrutement d'ingénieurs comme leur principale difficulté.",
    "« Nous voulons prouver qu'il est possible de bâtir un champion européen depuis la France », explique {person}.",
    "« Le marché est prêt, nos clients nous le disent depuis des mois », souligne {person}, {role} de {company}.",
    "« Nous avons pris le temps de construire une base solide avant d'accélérer », résume {person}.",
    "L'écosystème de {city} compte désormais plusieurs centaines de jeunes entreprises innovantes.",
    "Les collectivités multiplient les dispositifs d'accompagnement pour attirer les projets industriels.",
    "Le contexte de financement reste plus exigeant qu'en 2021, lorsque les valorisations atteignaient des sommets.",
    "Les investisseurs privilégient désormais les modèles rentables et les trajectoires de croissance maîtrisées.",
    "L'entreprise indique avoir doublé ses effectifs en dix-huit mois, pour atteindre {n} salariés.",
    "La question de la souveraineté numérique revient régulièrement dans les échanges avec les clients publics.",
    "Plusieurs partenariats avec des laboratoires universitaires ont été signés ces derniers mois.",
    "Les premiers retours des clients sont jugés encourageants par la direction, qui reste toutefois prudente.",
    "Le groupe n'a pas souhaité communiquer sur sa valorisation ni sur la répartition de son capital.",
    "Cette annonce intervient alors que le gouvernement multiplie les signaux en faveur de l'innovation.",
    "La transition énergétique constitue un moteur important pour les entreprises du secteur {sector}.",
    "Les exportations représentent déjà près de {pct} % de l'activité, une part appelée à progresser.",
    "Le salon VivaTech, organisé chaque année à Paris, sert souvent de vitrine à ce type d'annonces.",
    "Les syndicats ont salué une décision qui pérennise l'activité sur le territoire.",
    "Les élus locaux évoquent un dossier structurant pour l'économie du bassin d'emploi.",
    "Le calendrier reste ambitieux, reconnaissent les porteurs du projet, qui évoquent plusieurs étapes administratives.",
    "L'enjeu de la formation est central : il faudra former des opérateurs, des techniciens et des ingénieurs.",
    "Les données publiées par l'Insee montrent une reprise progressive de l'investissement des entreprises.",
    "Pour {person}, « la clé reste la capacité à convaincre les clients européens de changer leurs habitudes ».",
    "La société prévoit d'ouvrir un second site d'ici deux ans si la demande se confirme.",
    "Le recours à l'intelligence artificielle s'étend désormais à l'ensemble de la chaîne de valeur.",
    "Les acteurs historiques observent ces nouveaux entrants avec attention, voire avec une certaine inquiétude.",
    "Des discussions sont en cours avec plusieurs grands groupes industriels pour des projets pilotes.",
    "Les fondateurs disent vouloir garder le contrôle de l'entreprise à moyen terme.",
    "La Banque publique d'investissement accompagne de nombreux projets similaires à travers le pays.",
    "Le prix de l'énergie reste une préoccupation majeure pour les industriels installés en Europe.",
    "La filière a publié une feuille de route commune pour structurer la montée en compétences.",
    "Les appels d'offres publics représentent une part croissante du chiffre d'affaires des acteurs du secteur.",
    "La société assure que ses solutions sont compatibles avec les exigences européennes de sécurité.",
    "Ce type d'opération reste rare dans la région, ce qui explique l'attention des élus.",
    "Les équipes travaillent déjà sur la prochaine génération de produits, attendue dans les prochains mois.",
    "Le projet a reçu le soutien du plan France 2030, selon les informations communiquées par la préfecture.",
    "À plus long terme, l'objectif affiché est de figurer parmi les trois leaders européens du marché.",
)

# Reader comments (boilerplate that must stay out of the extracted body).
COMMENTS = (
    "Très bon article, merci pour ces précisions sur le calendrier.",
    "Encore une annonce... on verra combien d'emplois seront réellement créés.",
    "Intéressant, mais quid du coût de l'énergie pour ce type de projet ?",
    "Bravo à toute l'équipe, j'ai testé la version bêta et c'est prometteur.",
    "Il serait utile de comparer avec ce qui se fait en Allemagne.",
    "On attend surtout de voir les premiers résultats concrets sur le terrain.",
    "Merci pour le suivi, votre couverture du sujet est toujours très complète.",
)
COOKIE_TEXT = (
    "Nous utilisons des cookies pour mesurer l'audience et améliorer votre expérience. "
    "Vous pouvez accepter, refuser ou personnaliser vos choix à tout moment."
)
NEWSLETTER_TEXT = "Recevez chaque matin l'essentiel de l'actualité tech et business dans votre boîte mail."
PAYWALL_TEXT = (
    "Cet article vous est offert. Pour lire nos enquêtes exclusives et nos analyses de marché, "
    "abonnez-vous dès 1 € le premier mois, sans engagement."
)

# Headlines of the "most read", "on the same topic" and sponsored boxes of the regional and magazine
# looks: Choose France announcements that no article of the site carries, so that one leaking into a
# stored body would show up as an announcement nobody made.
TEASER_TITLES = (
    "Choose France : {investor} va investir {amount} {at_location}",
    "{investor} annonce {amount} pour {facility} {at_location}",
    "Choose France {edition} : {amount} d'investissement de {investor} en {region}",
    "Le groupe {nationality} {investor} mise {amount} sur {location}, {jobs} à la clé",
)
EN_TEASER_TITLES = (
    "Choose France: {investor} to invest {amount_en} in {location}",
    "{investor} pledges {amount_en} for a new plant in {location} at Choose France {edition}",
)

# --- English articles (for sites that publish in several languages) ----------------------------
EN_TITLES = (
    "{startup} raises {amount_en} to expand across Europe",
    "{company} unveils a new platform for industrial customers",
    "Why French startups are betting on {sector_en}",
    "{person} joins {company} as chief executive",
)
EN_SENTENCES = (
    "The company said the new funding would be used to hire engineers and open offices abroad.",
    "Investors have become more selective, favouring businesses with a clear path to profitability.",
    "The French startup ecosystem has grown steadily over the past decade, according to industry groups.",
    "Customers in the public sector remain cautious, but interest is rising among mid-sized firms.",
    '"We want to show that a European leader can be built from Paris," said {person}.',
    "The market is expected to double over the next five years, analysts estimate.",
    "Competition is intensifying as American and German rivals enter the segment.",
    "The founders say they intend to keep control of the business for the foreseeable future.",
    "Energy prices remain a major concern for manufacturers operating in Europe.",
    "The firm plans to launch a second product line before the end of next year.",
    "Regulation is both a constraint and an opportunity, according to several executives.",
    "Training technicians and engineers is seen as the main bottleneck for the sector.",
)
EN_SECTORS = ("climate tech", "quantum computing", "generative AI", "cybersecurity", "healthtech")
