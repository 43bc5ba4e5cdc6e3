"""Places: French regions, départements, cities and industrial sites, and places abroad.

One big alternation per family keeps lookups at regex speed; the longest name wins ("Paris-Saclay"
before "Paris").
"""

from __future__ import annotations

import re
import unicodedata

REGIONS = """Auvergne-Rhône-Alpes|Bourgogne-Franche-Comté|Bretagne|Centre-Val de Loire|Corse|Grand Est|Hauts-de-France|
Île-de-France|Ile-de-France|Normandie|Nouvelle-Aquitaine|Occitanie|Pays de la Loire|Provence-Alpes-Côte d'Azur|
Provence-Alpes-Côte d’Azur|PACA|Région Sud|Guadeloupe|Martinique|Guyane|La Réunion|Mayotte|Alsace|Lorraine|Champagne-Ardenne|
Picardie|Nord-Pas-de-Calais|Aquitaine|Limousin|Poitou-Charentes|Midi-Pyrénées|Languedoc-Roussillon|Rhône-Alpes|Auvergne|
Bourgogne|Franche-Comté|Haute-Normandie|Basse-Normandie|Provence|Côte d'Azur|Côte d’Azur|Savoie|Pays basque|Pays Basque|
Vendée|Dauphiné|Alpes|Pyrénées|Outre-mer|Nouvelle-Calédonie|Polynésie française"""

DEPARTEMENTS = """Ain|Aisne|Allier|Alpes-de-Haute-Provence|Hautes-Alpes|Alpes-Maritimes|Ardèche|Ardennes|Ariège|Aube|Aude|Aveyron|
Bouches-du-Rhône|Calvados|Cantal|Charente|Charente-Maritime|Cher|Corrèze|Corse-du-Sud|Haute-Corse|Côte-d'Or|Côte-d’Or|
Côtes-d'Armor|Côtes-d’Armor|Creuse|Dordogne|Doubs|Drôme|Eure|Eure-et-Loir|Finistère|Gard|Haute-Garonne|Gers|Gironde|Hérault|
Ille-et-Vilaine|Indre|Indre-et-Loire|Isère|Jura|Landes|Loir-et-Cher|Loire|Haute-Loire|Loire-Atlantique|Loiret|Lot|
Lot-et-Garonne|Lozère|Maine-et-Loire|Manche|Marne|Haute-Marne|Mayenne|Meurthe-et-Moselle|Meuse|Morbihan|Moselle|Nièvre|Nord|
Oise|Orne|Pas-de-Calais|Puy-de-Dôme|Pyrénées-Atlantiques|Hautes-Pyrénées|Pyrénées-Orientales|Bas-Rhin|Haut-Rhin|Rhône|
Haute-Saône|Saône-et-Loire|Sarthe|Haute-Savoie|Seine-Maritime|Seine-et-Marne|Yvelines|Deux-Sèvres|Somme|Tarn|
Tarn-et-Garonne|Var|Vaucluse|Vienne|Haute-Vienne|Vosges|Yonne|Territoire de Belfort|Essonne|Hauts-de-Seine|Seine-Saint-Denis|
Val-de-Marne|Val-d'Oise|Val-d’Oise"""

CITIES = """Paris|Marseille|Lyon|Toulouse|Nice|Nantes|Montpellier|Strasbourg|Bordeaux|Lille|Rennes|Reims|Toulon|Saint-Étienne|
Saint-Etienne|Le Havre|Grenoble|Dijon|Angers|Nîmes|Villeurbanne|Clermont-Ferrand|Le Mans|Aix-en-Provence|Brest|Tours|Amiens|
Limoges|Annecy|Perpignan|Boulogne-Billancourt|Metz|Besançon|Orléans|Rouen|Mulhouse|Caen|Nancy|Argenteuil|Montreuil|Roubaix|
Tourcoing|Dunkerque|Avignon|Poitiers|Pau|La Rochelle|Calais|Cannes|Antibes|Béziers|Colmar|Bourges|Valence|Quimper|
Troyes|Lorient|Vannes|Chartres|Niort|Chambéry|Belfort|Cherbourg|Saint-Nazaire|Saint-Malo|Bayonne|Biarritz|Arras|Douai|
Valenciennes|Lens|Béthune|Maubeuge|Compiègne|Beauvais|Creil|Laval|Saint-Brieuc|Évreux|Evreux|Vernon|Chalon-sur-Saône|
Mâcon|Nevers|Auxerre|Sens|Montluçon|Vichy|Moulins|Roanne|Albi|Rodez|Tarbes|Lourdes|Agen|Montauban|Castres|Carcassonne|
Narbonne|Sète|Alès|Arles|Martigues|Istres|Fos-sur-Mer|Gardanne|Rousset|Sophia Antipolis|Sophia-Antipolis|Saclay|
Paris-Saclay|Plateau de Saclay|Massy|Évry|Evry|Corbeil-Essonnes|Les Ulis|Orsay|Palaiseau|Saint-Quentin-en-Yvelines|
Versailles|Saint-Denis|Nanterre|La Défense|Courbevoie|Issy-les-Moulineaux|Rueil-Malmaison|Vélizy|Vélizy-Villacoublay|
Roissy|Roissy-Charles-de-Gaulle|Marne-la-Vallée|Sénart|Melun|Meaux|Cergy|Pontoise|Poissy|Flins|Mantes-la-Jolie|Sandouville|
Le Bourget|Gennevilliers|Crolles|Bernin|Amboise|Huningue|Sisteron|Vitry-sur-Seine|Fos|Lacq|Pessac|Mérignac|Blagnac|
Colomiers|Saint-Nazaire|Douvrin|Billy-Berclau|Hordain|Maubeuge|Bruay-la-Buissière|Ruitz|Gravelines|Loon-Plage|Bourgbarré|
Molsheim|Fessenheim|Illkirch|Haguenau|Sarreguemines|Thionville|Florange|Hambach|Épinal|Saint-Dié|Dole|Montbéliard|Sochaux|
Mulhouse|Ensisheim|Vendôme|Blois|Châteauroux|Vierzon|Angoulême|Cognac|Périgueux|Brive|Tulle|Guéret|Aurillac|Le Puy-en-Velay|
Annemasse|Chamonix|Aix-les-Bains|Voiron|Vienne|Bourgoin-Jallieu|Saint-Priest|Vénissieux|Feyzin|Pierre-Bénite|Gerland|
Villefranche-sur-Saône|Bourg-en-Bresse|Oyonnax|Montélimar|Pierrelatte|Tricastin|Cadarache|Marcoule|Flamanville|Penly|
Gravelines|Chinon|Tricastin|Bayeux|Lisieux|Alençon|Granville|Saint-Lô|Fécamp|Dieppe|Le Tréport|Vannes|Lannion|Morlaix|
Landerneau|Concarneau|Saint-Avold|Carling|Forbach|Sarrebourg|Toul|Bar-le-Duc|Verdun|Charleville-Mézières|Sedan|Épernay|
Châlons-en-Champagne|Saint-Quentin|Soissons|Laon|Abbeville|Le Touquet|Boulogne-sur-Mer|Saint-Omer|Hazebrouck|Armentières|
Villeneuve-d'Ascq|Villeneuve-d’Ascq|Lesquin|Marcq-en-Barœul|Seclin|Cambrai|Denain|Aulnoye-Aymeries|Ajaccio|Bastia|
Pointe-à-Pitre|Fort-de-France|Cayenne|Kourou|Saint-Pierre|Nouméa|Papeete|Tours|Joué-lès-Tours|Bretteville|Carpiquet|
Mont-Saint-Michel|Cestas|Saint-Jean-de-Luz|Lacq|Mourenx|Tarnos|Le Creusot|Montceau-les-Mines|Digoin|Saint-Vulbas|Bugey|
Saint-Alban|Pont-de-Claix|Jarrie|Le Pont-de-Claix|Salaise-sur-Sanne|Roussillon|Chasse-sur-Rhône|Bollène|Orange|Carpentras|
Cavaillon|Manosque|Digne|Gap|Briançon|Fréjus|Saint-Raphaël|Hyères|La Seyne-sur-Mer|Draguignan|Grasse|Menton|Vitrolles|
Marignane|Aubagne|La Ciotat|Salon-de-Provence|Port-Saint-Louis-du-Rhône|Port-la-Nouvelle|Lannemezan|Figeac|Cahors|
Villefranche-de-Rouergue|Decazeville|Millau|Mende|Ussel|Saint-Jean-Brévelay|Ploërmel|Pontivy|Loudéac|Fougères|Vitré|
Châteaubriant|Ancenis|Cholet|Saumur|La Roche-sur-Yon|Les Sables-d'Olonne|Saint-Herblain|Rezé|Bouguenais|Montoir-de-Bretagne"""

FRENCH_GENERIC = """région parisienne|Grand Paris|banlieue parisienne|Ile de France|Île de France|Hexagone|France métropolitaine|
métropole lilloise|métropole lyonnaise|métropole de Lyon|métropole de Lille|métropole toulousaine|métropole bordelaise|
métropole nantaise|Dunkerquois|vallée de la chimie|Vallée de la chimie|vallée de la Seine|vallée du Rhône|Vallée de la batterie|
vallée de la batterie|Silicon Valley à la française|Grand Ouest|Sud-Ouest|Sud-Est|Nord-Est|nord de la France|sud de la France|
est de la France|ouest de la France|centre de la France|grand port maritime de Marseille|port de Marseille|port du Havre|
port de Dunkerque|Haropa|Euroméditerranée"""

# Places abroad: a project located there is not an investment in France.
FOREIGN = """Allemagne|Espagne|Italie|Portugal|Belgique|Pays-Bas|Luxembourg|Suisse|Autriche|Pologne|Hongrie|Roumanie|Bulgarie|
Grèce|Irlande|Royaume-Uni|Angleterre|Écosse|Ecosse|Suède|Norvège|Danemark|Finlande|Islande|Tchéquie|République tchèque|
Slovaquie|Slovénie|Croatie|Serbie|Ukraine|Russie|Turquie|Estonie|Lettonie|Lituanie|États-Unis|Etats-Unis|Canada|Mexique|
Brésil|Argentine|Chili|Colombie|Pérou|Chine|Japon|Corée du Sud|Corée|Taïwan|Taiwan|Inde|Vietnam|Viêt Nam|Thaïlande|
Indonésie|Malaisie|Singapour|Philippines|Australie|Nouvelle-Zélande|Maroc|Algérie|Tunisie|Égypte|Egypte|Sénégal|
Côte d'Ivoire|Côte d’Ivoire|Nigeria|Kenya|Afrique du Sud|Éthiopie|Arabie saoudite|Émirats arabes unis|Emirats arabes unis|
Émirats|Emirats|Qatar|Koweït|Oman|Bahreïn|Israël|Jordanie|Liban|Iran|Irak|Pakistan|Bangladesh|Kazakhstan|Ouzbékistan|
Texas|Californie|Floride|Ohio|Arizona|Nevada|Géorgie|Caroline du Nord|Caroline du Sud|Michigan|Indiana|Tennessee|Kentucky|
Illinois|Pennsylvanie|Virginie|Alabama|Mississippi|Louisiane|Wisconsin|Minnesota|Colorado|Utah|Oregon|Massachusetts|
New Jersey|Iowa|Kansas|Missouri|Oklahoma|Nebraska|Caroline|Detroit|Chicago|Boston|Atlanta|Houston|Dallas|Seattle|
San Francisco|Los Angeles|Silicon Valley|Pays de Galles|Irlande du Nord|Bavière|Rhénanie|Basse-Saxe|Brandebourg|
Aragon|Castille|Galice|Pays basque espagnol|Piémont|Vénétie|Toscane|Silésie|Hesse|Écosse|
Québec|Ontario|Bavière|Saxe|Catalogne|Andalousie|Lombardie|Wallonie|Flandre|New York|Londres|Berlin|Munich|Francfort|
Hambourg|Düsseldorf|Cologne|Dresde|Magdebourg|Madrid|Barcelone|Valence en Espagne|Milan|Rome|Turin|Lisbonne|Porto|
Bruxelles|Anvers|Amsterdam|Rotterdam|Eindhoven|Dublin|Genève|Zurich|Bâle|Lausanne|Vienne en Autriche|Varsovie|Cracovie|
Budapest|Prague|Bucarest|Stockholm|Oslo|Copenhague|Helsinki|Shanghai|Pékin|Shenzhen|Tokyo|Osaka|Séoul|Bombay|Mumbai|
New Delhi|Delhi|Bangalore|Dubaï|Dubai|Abou Dhabi|Abu Dhabi|Riyad|Doha|Montréal|Toronto|Casablanca|Tanger|Rabat|Tunis|
Alger|Le Caire|Lagos|Nairobi|Johannesburg|Sydney|Melbourne|São Paulo|Mexico|outre-Rhin|outre-Manche|outre-Atlantique|
à l'étranger|à l’étranger|hors de France|hors d'Europe|hors d’Europe|Asie|Afrique|Amérique|Amérique du Nord|
Amérique du Sud|Amérique latine|Océanie|Moyen-Orient|Proche-Orient|Maghreb|Scandinavie|Benelux|Europe de l'Est|
Europe centrale|Pittsburgh|Philadelphie|Minneapolis|Denver|Phoenix|Miami|Washington|Baltimore|Cleveland|
Indianapolis|Nashville|Memphis|San Diego|San José|Palo Alto|Cambridge|Oxford|Manchester|Birmingham|Édimbourg|
Glasgow|Stuttgart|Leverkusen|Darmstadt|Mannheim|Nuremberg|Hanovre|Brême|Leipzig|Essen|Dortmund|Bonn|Graz|Linz|
Salzbourg|Bilbao|Séville|Saragosse|Gênes|Bologne|Naples|Venise|Vérone|Utrecht|La Haye|Delft|Gand|Liège|Louvain|
Berne|Lugano|Zoug|Gdansk|Wroclaw|Poznan|Brno|Bratislava|Ljubljana|Zagreb|Belgrade|Sofia|Athènes|Istanbul|Ankara|
Tel-Aviv|Tel Aviv|Jérusalem|Haïfa|Djeddah|Karachi|Lahore|Dacca|Bangkok|Hanoï|Kuala Lumpur|Jakarta|Manille|Busan|
Incheon|Canton|Hangzhou|Nankin|Wuhan|Chengdu|Tianjin|Chongqing|Xiamen|Ningde|Hefei|Taipei|Hsinchu|Kaohsiung|Kyoto|
Yokohama|Kobe|Nagoya|Hamamatsu|Sapporo|Fukuoka|Brisbane|Auckland|Le Cap|Accra|Abidjan|Dakar|Alexandrie|
Buenos Aires|Santiago|Lima|Bogota|Rio de Janeiro|Brasilia|Monterrey|Guadalajara|Vancouver|Calgary|Ottawa|
Hyderabad|Chennai|Pune|Göteborg|Malmö|Aarhus|Bergen|Stavanger|Espoo|Tampere|Reykjavik|Copenhague|Hong Kong|
Sheffield|Leeds|Liverpool|Bristol|Ingolstadt|Walldorf|Eindhoven|Redmond|Cupertino|Mountain View|Menlo Park"""


def _alternation(*blocks: str) -> str:
    names = {n.strip() for block in blocks for n in block.replace("\n", "").split("|") if n.strip()}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


# The place must start a word and not run into another capitalised word ("Lyon" but not "Lyonnaise des Eaux").
FRENCH_PLACE_RE = re.compile(
    rf"(?<![\w-])(?:{_alternation(REGIONS, DEPARTEMENTS, CITIES, FRENCH_GENERIC)})(?![\w-])(?!\s+(?:Inc|SA|SAS|Group|Groupe)\b)"
)
FOREIGN_PLACE_RE = re.compile(rf"(?<![\w-])(?:{_alternation(FOREIGN)})(?![\w-])")
# Where a sentence puts a project: "en Allemagne", "aux États-Unis", "au Texas", "à Berlin", "dans l'Ohio".
FOREIGN_LOCATIVE_RE = re.compile(
    rf"(?:\b(?:en|au|aux|à|dans\s+l['’]|dans\s+le|dans\s+la|outre|hors\s+de|sur\s+le\s+sol\s+(?:américain|allemand|espagnol|chinois|indien|britannique|italien|japonais))\s*|\s)"
    rf"(?:{_alternation(FOREIGN)})(?![\w-])"
)
IN_FRANCE_RE = re.compile(
    r"\b(?:en\s+France|dans\s+l['’]Hexagone|sur\s+le\s+sol\s+français|sur\s+le\s+territoire(?:\s+national|\s+français)?|"
    r"(?:sites?|usines?|implantations?|activités|filiales?|centres?|entrepôts?)\s+(?:français|hexagona)\w*)\b",
    re.IGNORECASE,
)
# Words that look like places inside organisation names or figures of speech.
_NOT_LOCATION = {"Hexagone", "Nord", "Manche", "Loire", "Var", "Lot", "Orange", "Vienne", "Cher", "Indre", "Eure", "Marne",
                 "Somme", "Ain", "Jura", "Gard", "Tarn", "Aude", "Oise", "Orne", "Meuse", "Doubs", "Versailles"}  # fmt: skip
_LOCATIVE_BEFORE_RE = re.compile(
    r"(?:\b(?:à|en|au|aux|dans|près\s+de|proche\s+de|de|d['’]|du|sur|vers|abords\s+de)\s*(?:la\s+|le\s+|l['’])?)$"
)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def french_places(text: str) -> list[str]:
    """French places named in `text`, in order, without duplicates (ambiguous short names need a locative)."""
    found: list[str] = []
    for m in FRENCH_PLACE_RE.finditer(text):
        name = m.group(0)
        # "Beauvais (Oise)": an ambiguous name in brackets after a place is its département.
        bracketed = (
            text[max(0, m.start() - 2) : m.start()].endswith("(") and text[m.end() : m.end() + 1] == ")"
        )
        if (
            name in _NOT_LOCATION
            and not bracketed
            and not _LOCATIVE_BEFORE_RE.search(text[max(0, m.start() - 14) : m.start()])
        ):
            continue
        if name in ("Hexagone", "Versailles"):
            continue
        if name in _NOT_LOCATION and _inside_foreign(text, m.start(), m.end()):
            continue  # "Caroline du Nord", "Basse-Saxe": a French word inside a place abroad
        if name not in found:
            found.append(name)
    # "Fos" after "Fos-sur-Mer" is the same place.
    return [p for p in found if not any(o != p and o.startswith(p + "-") for o in found)]


def _inside_foreign(text: str, start: int, end: int) -> bool:
    window_start = max(0, start - 30)
    return any(
        f.start() + window_start <= start and end <= f.end() + window_start
        for f in FOREIGN_PLACE_RE.finditer(text[window_start : end + 30])
    )


def foreign_places(text: str) -> list[str]:
    """Places abroad where `text` situates something ("en Allemagne", "au Texas")."""
    return [m.group(0).strip() for m in FOREIGN_LOCATIVE_RE.finditer(text)]


def is_french_place(name: str) -> bool:
    return FRENCH_PLACE_RE.fullmatch(name) is not None


def is_foreign_place(name: str) -> bool:
    return FOREIGN_PLACE_RE.fullmatch(name) is not None


# "à Chalampé", "près de Fouju", "sur la commune d'Illange": small places no list can hold.
LOCATIVE_NAME_RE = re.compile(
    r"\b(?:à|près\s+d['’]|près\s+de|commune\s+d['’]|commune\s+de|site\s+d['’]|site\s+de|usine\s+d['’]|usine\s+de)\s*"
    r"(?P<name>(?-i:[A-ZÉÈÎ][a-zéèêëîïôûüç]+)(?:[- ](?:sur|sous|en|le|la|lès|les|de|du|d['’]|aux?)[- ](?-i:[A-ZÉÈ][\w]+)|-(?-i:[A-ZÉÈ][\w]+))*)"
    r"(?=\s*(?:\(|,|\.|;|$|\s+(?:en|dans|et|pour|où|qui|\(|sur|de|du|des|d['’]|avec|afin|à|au|aux|dès|grâce)\b))",
    re.IGNORECASE,
)


# "Grigny (Essonne)", "Brumath (67)": a town no list holds, known by the département in brackets after it.
BRACKETED_TOWN_RE = re.compile(
    r"(?P<name>(?-i:[A-ZÉÈÎÔ][\w’'-]+)(?:[- ](?:sur|sous|en|le|la|lès|les|de|du|d['’]|aux?)[- ](?-i:[A-ZÉÈ][\w’'-]+))*)"
    r"\s*\((?P<dep>\d{2,3}|[^()]{3,30})\)"
)
# "basé à Kingsport": where the company comes from, not where it invests.
_HOME_BEFORE_RE = re.compile(
    r"(?:basée?s?|siège\s+(?:social\s+)?(?:est\s+)?|originaires?|établie?s?|installée?s?\s+depuis\s+\d+\s+ans)\s*à?$",
    re.I,
)
_ABROAD_AFTER_RE = re.compile(
    rf"\s*,?\s*\(?(?:en|au|aux|dans\s+l['’]|dans\s+le|dans\s+la)?\s*(?:{_alternation(FOREIGN)})(?![\w-])"
)
# "du Havre", "au Mans": the article of the town's name merged with a preposition.
_ARTICLE_TOWN_RE = re.compile(
    r"\b(?:du|au)\s+(?P<name>Havre|Mans|Creusot|Bourget|Touquet|Tréport|Puy-en-Velay|Teil|Pontet)\b"
)


def places_near(text: str, exclude: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Known French places plus unknown capitalised names after a locative or before a bracketed
    département, minus foreign ones and `exclude`."""
    found = french_places(text)
    for m in _ARTICLE_TOWN_RE.finditer(text):
        name = f"Le {m.group('name')}"
        if name not in found:
            found.insert(0, name)
    candidates = [
        m.group("name")
        for m in LOCATIVE_NAME_RE.finditer(text)
        if not _HOME_BEFORE_RE.search(text, max(0, m.start() - 25), m.start() + 1)
        and not _ABROAD_AFTER_RE.match(text, m.end())  # "son usine d'Arlon, en Belgique"
    ]
    candidates += [
        m.group("name")
        for m in BRACKETED_TOWN_RE.finditer(text)
        if m.group("dep").isdigit() or FRENCH_PLACE_RE.fullmatch(m.group("dep").strip())
    ]
    for name in candidates:
        if (
            name in exclude
            or is_foreign_place(name)
            or FRENCH_PLACE_RE.search(name)
            or any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", f) for f in found)
        ):
            continue  # known, foreign, or part of a known place ("Antipolis" of "Sophia Antipolis")
        found.append(name)
    return found


# Where a company comes from, said in passing: "le fonds d'Abou Dhabi", "le groupe de Séoul", "dont le siège
# est à Lyon", "basé à Sheffield". Such a place locates the company, never its project.
_HOME_PLACE = r"(?-i:[A-ZÀ-Ý][\w'’-]*)(?:[\s-]+(?-i:[A-ZÀ-Ý][\w'’-]*)){0,2}"
HOME_PHRASE_RE = re.compile(
    r"\b(?:(?:le|la|l['’]|du|au|ce|cet|cette)\s*(?:fonds|groupe|société|firme|géant|industriel|fabricant|laboratoire|"
    r"constructeur|entreprise|start-up|spécialiste|opérateur|équipementier|investisseur|conglomérat|holding|chimiste|"
    r"énergéticien|sidérurgiste|pétrolier)\s+(?:[a-zà-ÿ-]+\s+){0,2}?(?:de|d['’])\s*"
    r"|dont\s+le\s+siège\s+(?:social\s+)?(?:est\s+)?(?:situé\s+|installé\s+|établi\s+)?(?:à|en|au|aux|près\s+de|près\s+d['’])\s*"
    r"|(?:basée?s?|domiciliée?s?|originaires?|siégeant|headquartered)\s+(?:à|en|au|aux|de|d['’]|du|in)\s*)"
    rf"{_HOME_PLACE}",
    re.IGNORECASE,
)


def strip_home_places(text: str) -> str:
    """`text` with the companies' home places blanked out (same length, so offsets still hold)."""
    return HOME_PHRASE_RE.sub(lambda m: " " * len(m.group(0)), text)
