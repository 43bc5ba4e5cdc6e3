"""Writing styles the development corpus does not have: each case is a short article written for this
test (invented companies, so no word list can know them), read for its investors and amounts."""

from __future__ import annotations

from datetime import date

import pytest
from detect_support import CF, Case, check, read

# --- transcripts and quoted speech ----------------------------------------------------------------

TRANSCRIPTS = {
    "speaker labels in capitals": Case(
        "« Le vent souffle enfin du bon côté » : la patronne de Halvorsen Cables à notre micro",
        "[Entretien enregistré lundi à Versailles, en marge du sommet Choose France.]\n\n"
        "ANIMATEUR — Bonjour, vous dirigez le câblier norvégien Halvorsen Cables. Qu'êtes-vous venue annoncer ?\n\n"
        "DIRECTRICE DE HALVORSEN — Nous allons investir 180 millions d'euros dans une usine de câbles sous-marins "
        "à Montoir-de-Bretagne, en Loire-Atlantique.\n\n"
        "ANIMATEUR — 180 millions, ce n'est pas rien. Et les emplois ?\n\n"
        "DIRECTRICE DE HALVORSEN — Autour de 300 emplois directs quand l'usine tournera à plein.\n\n"
        "ANIMATEUR — Merci, et bon sommet.",
        {("Halvorsen Cables", 180e6)},
        jobs={"Halvorsen Cables": 300},
        places={"Halvorsen Cables": {"Montoir-de-Bretagne"}},
    ),
    "question and answer markers": Case(
        "Tessaro Pharma double son site isérois",
        "Le directeur général du laboratoire italien Tessaro Pharma détaille l'investissement présenté lundi "
        "au sommet Choose France.\n\n"
        "Question : Que représente ce projet pour vous ?\n\n"
        "Réponse : C'est 240 millions d'euros sur quatre ans pour doubler notre site de Bourgoin-Jallieu, en Isère.\n\n"
        "Question : Et pour l'emploi ?\n\n"
        "Réponse : Nous prévoyons 150 recrutements d'ici 2027.",
        {("Tessaro Pharma", 240e6)},
        jobs={"Tessaro Pharma": 150},
    ),
    "quote first, speaker after": Case(
        "Orbis Health s'installe à Nantes",
        "« Nous investirons 90 millions d'euros à Nantes dans un centre de thérapie cellulaire », a déclaré lundi "
        "à Versailles le directeur général d'Orbis Health, en marge du sommet Choose France. "
        "« La France a des chercheurs remarquables », a-t-il ajouté.",
        {("Orbis Health", 90e6)},
    ),
    "first person after the company is introduced": Case(
        "Choose France : Vistula Chem mise sur Lacq",
        "Le chimiste polonais Vistula Chem a profité du sommet Choose France pour présenter son projet. "
        "« Notre engagement, c'est 400 millions d'euros sur cinq ans à Lacq », résume sa directrice générale. "
        "Le journaliste lui a demandé si le coût de l'énergie l'inquiétait.",
        {("Vistula Chem", 400e6)},
    ),
}


# --- the figure before the investor ----------------------------------------------------------------

AMOUNT_FIRST = {
    "cleft with inverted subject": Case(
        "Sommet Choose France : les fonds étrangers au rendez-vous",
        "C'est 1,5 milliard d'euros que mettra sur la table le fonds suédois Nordhav Infra dans l'éolien en mer "
        "en France, a-t-on appris lundi à Versailles lors du sommet Choose France.",
        {("Nordhav Infra", 1.5e9)},
    ),
    "cleft with an envelope and a descriptor": Case(
        "Choose France : un éditeur suisse à Sophia",
        "Le sommet Choose France s'est ouvert lundi à Versailles. C'est une enveloppe de 35 millions d'euros "
        "qu'engagera l'éditeur autrichien de logiciels Tiroler Soft dans un centre de recherche à Sophia Antipolis.",
        {("Tiroler Soft", 35e6)},
    ),
    "figure, colon, then the investor": Case(
        "Choose France : Hanwoo Materials à Dunkerque",
        "Trois cents millions d'euros : c'est ce que va injecter le groupe coréen Hanwoo Materials dans une usine "
        "de cathodes à Dunkerque, a-t-on appris lundi lors du sommet Choose France.",
        {("Hanwoo Materials", 300e6)},
    ),
    "passive with the investor after": Case(
        "Data centers : un fonds saoudien en Île-de-France",
        "Pas moins de 1,2 milliard d'euros seront investis par le fonds saoudien Najd Capital dans des centres "
        "de données en Île-de-France, a annoncé l'Élysée à la veille du sommet Choose France.",
        {("Najd Capital", 1.2e9)},
    ),
    "cleft aggregate is not an announcement": Case(
        "Choose France : le bilan",
        "C'est 15 milliards d'euros que revendique l'Élysée pour cette édition du sommet Choose France. "
        "C'est 20 millions d'euros qu'a levés la start-up Qubix, sans lien avec le sommet.",
        set(),
    ),
}


# --- descriptors made from a place -----------------------------------------------------------------

PLACE_DESCRIPTORS = {
    "the group from Seoul": Case(
        "Choose France : Daesan Energy confirme le Nord",
        "Le fabricant coréen de batteries Daesan Energy a confirmé lundi, au sommet Choose France, son arrivée "
        "dans le Nord. Le groupe de Séoul investira 1,5 milliard d'euros à Douai, avec 1 200 emplois à la clé.",
        {("Daesan Energy", 1.5e9)},
        jobs={"Daesan Energy": 1200},
    ),
    "the company from a city no list holds": Case(
        "Annecy séduit Kuroda Precision",
        "Le japonais Kuroda Precision a choisi la Haute-Savoie. Selon l'entourage du ministre, l'entreprise de "
        "Hamamatsu va y consacrer 70 millions d'euros, a-t-elle confirmé lundi à Versailles lors du sommet "
        "Choose France.",
        {("Kuroda Precision", 70e6)},
    ),
    "the firm from a city, elided": Case(
        "Choose France : un laboratoire américain à Strasbourg",
        "Le sommet Choose France a réservé une surprise alsacienne. Merrow Bio, spécialiste des anticorps, "
        "ouvrira un site à Strasbourg. La société d'Indianapolis prévoit d'y investir 260 millions d'euros.",
        {("Merrow Bio", 260e6)},
    ),
}


# --- company names that are common words ----------------------------------------------------------

COMMON_WORD_NAMES = {
    "name introduced with an apposition": Case(
        "Composants : Amplify choisit Grenoble",
        "Les semi-conducteurs ont eu leur moment au sommet Choose France. Amplify, spécialiste américain des "
        "amplificateurs de puissance, construira une usine à Grenoble. La société américaine Amplify y "
        "investira 150 millions d'euros.",
        {("Amplify", 150e6)},
    ),
    "common French word as a name": Case(
        "Stockage d'énergie : Rivage s'installe près de Lyon",
        "À Versailles, lors du sommet Choose France, la start-up britannique Rivage a présenté son projet. "
        "Rivage investira 60 millions d'euros dans une usine de batteries sodium-ion près de Lyon, avec 140 "
        "emplois d'ici 2027.",
        {("Rivage", 60e6)},
        jobs={"Rivage": 140},
    ),
    "name, comma, descriptor at the start of the article": Case(
        "Harbor Systems : 85 millions pour Toulouse",
        "Harbor Systems, l'éditeur américain de logiciels embarqués, a annoncé lundi au sommet Choose France "
        "un investissement de 85 millions d'euros à Toulouse.",
        {("Harbor Systems", 85e6)},
    ),
}


# --- tables, newsletters, press releases --------------------------------------------------------------

LISTS_AND_TABLES = {
    "pipe table with a header": Case(
        "Choose France 2024 : le tableau des annonces",
        "Les engagements annoncés lundi à Versailles lors du sommet Choose France, projet par projet.\n\n"
        "Entreprise | Origine | Investissement | Localisation | Emplois\n"
        "Nordvik Wind | Norvège | 300 M€ | Saint-Nazaire (Loire-Atlantique) | 250\n"
        "Kuroda Precision | Japon | 70 millions d'euros | Annecy | non communiqué\n"
        "Quantix Labs | États-Unis | 1,1 Md€ | Palaiseau (Essonne) | 400\n"
        "Total annoncé | — | 15 milliards d'euros | — | —",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6), ("Quantix Labs", 1.1e9)},
        jobs={"Nordvik Wind": 250, "Kuroda Precision": None, "Quantix Labs": 400},
        places={"Nordvik Wind": {"Saint-Nazaire"}, "Quantix Labs": {"Palaiseau"}},
    ),
    "markdown table": Case(
        "Les annonces de Choose France",
        "Voici les principales annonces du sommet Choose France.\n\n"
        "| Groupe | Montant | Site |\n|---|---|---|\n"
        "| Brenta Motori | 45 M€ | Valenciennes |\n| Solvane | 120 millions d'euros | Tavaux (Jura) |\n",
        {("Brenta Motori", 45e6), ("Solvane", 120e6)},
    ),
    "ministry press release with countries in brackets": Case(
        "Communiqué : les principaux projets annoncés au sommet Choose France",
        "COMMUNIQUÉ DE PRESSE\nParis, le 13 mai 2024\n\n"
        "À l'occasion de la septième édition du sommet Choose France, le ministre de l'Économie salue la "
        "confiance des investisseurs. Les principaux projets annoncés :\n\n"
        "• Nordvik Wind (Norvège) : 300 M€ pour une usine de pales à Saint-Nazaire, 250 emplois ;\n"
        "• Kuroda Precision (Japon) : extension de son site d'Annecy, 70 M€ et 90 recrutements ;\n"
        "• Quantix Labs (États-Unis) : 50 M€ pour un laboratoire quantique.\n\n"
        "Au total, 56 projets représentant 15 milliards d'euros ont été annoncés.\n\n"
        "Contact presse : service de presse du ministère.",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6), ("Quantix Labs", 50e6)},
        jobs={"Nordvik Wind": 250, "Kuroda Precision": 90},
    ),
    "newsletter with a hashtag and anglicisms": Case(
        "The Deeptech Letter #48 — #ChooseFrance",
        "Hello la team,\n\nLe deal de la week au #ChooseFrance summit : la scale-up américaine Quantix Labs a "
        "pitché hier à Versailles son plan européen. Le move : 50 millions d'euros pour ouvrir un lab quantique "
        "à Palaiseau, avec 80 engineers à recruter.\n\n"
        "Funding recap\n\n- La fintech nantaise Paynest a closé une Series A de 12 M€.\n\n"
        "See you next week !",
        {("Quantix Labs", 50e6)},
    ),
    "English-language tie to the summit": Case(
        "Quantix Labs : 50 M€ à Palaiseau",
        "Annoncé en marge du Choose France Summit, l'investment de Quantix Labs s'élève à 50 millions d'euros "
        "pour un laboratoire quantique à Palaiseau.",
        {("Quantix Labs", 50e6)},
    ),
    "the annual summit on attractiveness": Case(
        "Nordvik Wind à Saint-Nazaire",
        "Lors du sommet annuel de l'attractivité, au château de Versailles, le norvégien Nordvik Wind a promis "
        "300 millions d'euros pour une usine de pales à Saint-Nazaire.",
        {("Nordvik Wind", 300e6)},
    ),
}


# --- institutions and partners ----------------------------------------------------------------------

PARTNERS = {
    "schools and labs in a partnership clause": Case(
        "Okada Robotics ouvre un centre à Lyon",
        "Au sommet Choose France, le japonais Okada Robotics a annoncé 120 millions d'euros pour un centre de "
        "recherche à Lyon.\n\nLe centre accueillera 80 chercheurs recrutés localement, en partenariat avec "
        "l'INSA et l'École centrale. Il travaillera aussi avec le CNRS et l'université Lyon 1.",
        {("Okada Robotics", 120e6)},
        jobs={"Okada Robotics": 80},
    ),
    "public partners alongside the investor": Case(
        "Choose France : Solvane agrandit Tavaux",
        "Le chimiste belge Solvane investira 120 millions d'euros à Tavaux, dans le Jura, a-t-il annoncé au "
        "sommet Choose France. Le projet est mené avec le soutien de la Région Bourgogne-Franche-Comté et en "
        "collaboration avec l'Université de Bourgogne, qui formera 200 techniciens.",
        {("Solvane", 120e6)},
    ),
}


# --- how the amount is phrased -----------------------------------------------------------------------

PHRASINGS = {
    "d'un montant de": Case(
        "Choose France : Solvane à Tavaux",
        "Au sommet Choose France, le groupe belge Solvane a présenté un projet d'un montant de 120 millions "
        "d'euros à Tavaux, dans le Jura.",
        {("Solvane", 120e6)},
    ),
    "une enveloppe de": Case(
        "Choose France : Kuroda Precision à Annecy",
        "Lundi à Versailles, au sommet Choose France, le japonais Kuroda Precision a débloqué une enveloppe de "
        "70 millions d'euros pour son site d'Annecy.",
        {("Kuroda Precision", 70e6)},
    ),
    "un investissement chiffré à": Case(
        "Choose France : Nordhav à Caen",
        "Le suédois Nordhav Foods a confirmé au sommet Choose France un investissement chiffré à 95 millions "
        "d'euros dans la région de Caen.",
        {("Nordhav Foods", 95e6)},
    ),
    "portera à ... son investissement": Case(
        "Choose France : Redwood Logistics accélère",
        "Le groupe américain Redwood Logistics portera à 1 milliard d'euros son investissement en France d'ici "
        "2028, a-t-il annoncé lundi à Versailles lors du sommet Choose France.",
        {("Redwood Logistics", 1e9)},
    ),
    "porte à ... son engagement": Case(
        "Data centers : Oasis Partners remet au pot",
        "Au sommet Choose France, le fonds émirien Oasis Partners porte à 2,5 milliards d'euros son engagement "
        "dans les centres de données français.",
        {("Oasis Partners", 2.5e9)},
    ),
    "à hauteur de": Case(
        "Choose France : Tamrind Steel à Saint-Quentin",
        "Le groupe indien Tamrind Steel investira à hauteur de 200 millions d'euros dans une usine de "
        "Saint-Quentin, a-t-il annoncé au sommet Choose France.",
        {("Tamrind Steel", 200e6)},
    ),
    "s'élève à": Case(
        "Choose France : Merrow Bio à Strasbourg",
        "Merrow Bio a présenté au sommet Choose France son futur site de Strasbourg. L'investissement de Merrow "
        "Bio s'élève à 260 millions d'euros.",
        {("Merrow Bio", 260e6)},
    ),
    "plan d'investissement sur plusieurs années": Case(
        "Choose France : Calderon Foods",
        "Le groupe espagnol Calderon Foods a dévoilé lundi à Versailles, lors du sommet Choose France, un plan "
        "d'investissement de 320 millions d'euros sur cinq ans dans ses usines françaises.",
        {("Calderon Foods", 320e6)},
    ),
    "porte son engagement à": Case(
        "Choose France : Redwood Logistics",
        "Au sommet Choose France, Redwood Logistics porte son engagement à 1,5 milliard d'euros pour ses "
        "entrepôts français.",
        {("Redwood Logistics", 1.5e9)},
    ),
}

# --- more of each family ----------------------------------------------------------------------------

TRANSCRIPTS |= {
    "dialogue dashes": Case(
        "Entretien : Kuroda Precision",
        "Le PDG de Kuroda Precision, de passage au sommet Choose France, répond à nos questions.\n\n"
        "— Qu'annoncez-vous ?\n\n— Nous investissons 70 millions d'euros dans notre site d'Annecy, avec 90 "
        "recrutements.\n\n— Pourquoi la France ?\n\n— Pour ses ingénieurs.",
        {("Kuroda Precision", 70e6)},
        jobs={"Kuroda Precision": 90},
    ),
    "the interviewer names another company's figure": Case(
        "Entretien",
        f"{CF}\n\nJOURNALISTE — Votre concurrent Daesan Energy a annoncé 1,5 milliard d'euros. Et vous ?\n\n"
        "PDG DE NORDVIK — Nous, ce sera 300 millions d'euros à Saint-Nazaire.",
        {("Daesan Energy", 1.5e9), ("Nordvik", 300e6)},
    ),
    "a minister's share named for a company": Case(
        "Entretien avec le ministre",
        f"{CF}\n\nJOURNALISTE — Quel bilan ?\n\nMINISTRE DE L'INDUSTRIE — Nous avons attiré 15 milliards d'euros, "
        "dont 300 millions pour Nordvik Wind à Saint-Nazaire.\n\nJOURNALISTE — Merci.",
        {("Nordvik Wind", 300e6)},
    ),
    "a mayor quoting the project's figure": Case(
        "Saint-Nazaire décroche l'usine de Nordvik Wind",
        "C'est officiel depuis le sommet Choose France : Nordvik Wind construira son usine de pales à "
        "Saint-Nazaire. « Nous avons travaillé deux ans sur ce dossier de 300 millions d'euros », se félicite le "
        "maire de la ville. Le norvégien prévoit 250 emplois.",
        {("Nordvik Wind", 300e6)},
        jobs={"Nordvik Wind": 250},
    ),
    "a minister's first person is no company's": Case(
        "Choose France : le ministre satisfait",
        "« Nous avons obtenu 15 milliards d'euros d'engagements », s'est félicité le ministre de l'Économie à "
        "l'issue du sommet Choose France. Parmi eux, Nordvik Wind investira 300 millions d'euros à Saint-Nazaire.",
        {("Nordvik Wind", 300e6)},
    ),
    "an analyst's quote": Case(
        "Choose France",
        f"{CF} Nordvik Wind investira 300 millions d'euros à Saint-Nazaire. « Nous estimons que le marché vaut 40 "
        "milliards d'euros », explique un analyste de Bernstein.",
        {("Nordvik Wind", 300e6)},
    ),
    "press release quoting its chief executive": Case(
        "Nordvik Wind annonce une usine en France",
        "COMMUNIQUÉ — Oslo, le 13 mai 2024. Nordvik Wind annonce aujourd'hui, à l'occasion du sommet Choose "
        "France, la construction d'une usine de pales à Saint-Nazaire. « Nous investirons 300 millions d'euros et "
        "créerons 250 emplois », déclare Ingrid Halvorsen, directrice générale de Nordvik Wind.",
        {("Nordvik Wind", 300e6)},
        jobs={"Nordvik Wind": 250},
    ),
}

AMOUNT_FIRST |= {
    "figure heading a list item": Case(
        "Choose France : ce qu'il faut retenir",
        "Les annonces du sommet Choose France, lundi à Versailles :\n\n"
        "• 300 M€ : Nordvik Wind, pour une usine de pales à Saint-Nazaire ;\n"
        "• 70 M€ : Kuroda Precision, extension du site d'Annecy ;\n"
        "• 15 Md€ : le total revendiqué par l'Élysée.",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6)},
    ),
    "figure, then the company that brings it": Case(
        "Choose France",
        f"{CF} Nouvelle usine à Saint-Nazaire : 300 millions d'euros, apportés par Nordvik Wind, le spécialiste "
        "norvégien des pales.",
        {("Nordvik Wind", 300e6)},
    ),
    "figure of a descriptor then a name (du norvégien X)": Case(
        "Choose France",
        f"{CF} Saint-Nazaire accueillera une usine de pales grâce à un investissement de 300 millions d'euros du "
        "norvégien Nordvik Wind.",
        {("Nordvik Wind", 300e6)},
    ),
    "cleft on the place": Case(
        "Choose France",
        f"{CF} C'est à Saint-Nazaire que Nordvik Wind investira 300 millions d'euros.",
        {("Nordvik Wind", 300e6)},
    ),
}

PLACE_DESCRIPTORS |= {
    "home town in a relative clause": Case(
        "Choose France : Redwood Logistics to invest in France",
        "PARIS (Agence) -- Le groupe américain de logistique Redwood Logistics a annoncé lundi un investissement de "
        "400 millions d'euros (environ 430 millions de dollars) dans trois entrepôts en France, en marge du sommet "
        "Choose France. Le groupe basé à Memphis, qui emploie 60 000 personnes dans le monde, prévoit de créer "
        "900 emplois.",
        {("Redwood Logistics", 400e6)},
        jobs={"Redwood Logistics": 900},
    ),
    "the bank from New York": Case(
        "Choose France",
        f"{CF} La banque américaine Halden Partners renforce Paris. L'établissement de New York y créera 400 "
        "emplois, pour un investissement de 200 millions d'euros.",
        {("Halden Partners", 200e6)},
    ),
    "the group of a person": Case(
        "Choose France : Nordvik",
        f"{CF} Nordvik Wind était attendu. Le groupe d'Ingrid Halvorsen investira 300 millions d'euros à "
        "Saint-Nazaire.",
        {("Nordvik Wind", 300e6)},
    ),
    "a subsidiary named after its parent": Case(
        "Choose France : Nordvik",
        f"{CF} Nordvik Wind était attendu. La filiale de Nordvik Wind, Nordvik Blades, investira 300 millions "
        "d'euros à Saint-Nazaire.",
        {("Nordvik Blades", 300e6)},
    ),
}

LISTS_AND_TABLES |= {
    "table with the unit in the header": Case(
        "Choose France : les chiffres",
        "Les projets annoncés lundi au sommet Choose France.\n\nGroupe | Pays | Montant (M€) | Emplois\n"
        "Nordvik Wind | Norvège | 300 | 250\nKuroda Precision | Japon | 70 | 90\n",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6)},
        jobs={"Nordvik Wind": 250, "Kuroda Precision": 90},
    ),
    "table with a figure in dollars": Case(
        "Choose France : tableau",
        f"{CF}\n\nInvestisseur | Montant\nRedwood Logistics | 400 millions de dollars\nNordvik Wind | 300 M€",
        {("Redwood Logistics", None), ("Nordvik Wind", 300e6)},
    ),
    "numbered top list with countries": Case(
        "Choose France : le top 3 des annonces",
        "Voici les trois plus gros chèques du sommet Choose France.\n\n1. Oasis Partners (Émirats) — 2,5 "
        "milliards d'euros pour des centres de données en Île-de-France.\n2. Daesan Energy — 1,5 milliard "
        "d'euros à Douai.\n3. Redwood Logistics — 400 millions d'euros pour trois entrepôts.",
        {("Oasis Partners", 2.5e9), ("Daesan Energy", 1.5e9), ("Redwood Logistics", 400e6)},
    ),
    "live blog with a running total": Case(
        "EN DIRECT - Choose France 2025 : suivez les annonces",
        "11h02 : Le fonds canadien Laurel Infra annonce 800 millions d'euros pour des réseaux de chaleur.\n\n"
        "11h40 : Nouvelle annonce, Kuroda Precision investit 70 millions d'euros à Annecy.\n\n"
        "12h15 : L'Élysée revendique à ce stade 20 milliards d'euros d'engagements.",
        {("Laurel Infra", 800e6), ("Kuroda Precision", 70e6)},
        published=date(2025, 5, 19),
    ),
    "menu with pipes above the article": Case(
        "Choose France : Nordvik",
        f"Accueil | Économie | Industrie | Régions\n\n{CF} Nordvik Wind investira 300 millions d'euros à "
        "Saint-Nazaire.",
        {("Nordvik Wind", 300e6)},
    ),
    "markdown headings naming each company": Case(
        "Choose France : les annonces",
        f"{CF}\n\n## Nordvik Wind\n\n300 millions d'euros pour une usine de pales à Saint-Nazaire, avec 250 "
        "emplois.\n\n## Kuroda Precision\n\nLe japonais étend son site d'Annecy : 70 millions d'euros et 90 "
        "recrutements.",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6)},
        jobs={"Nordvik Wind": 250},
    ),
    "bold heads": Case(
        "Choose France : les annonces",
        f"{CF}\n\n**Nordvik Wind** : 300 millions d'euros pour une usine de pales à Saint-Nazaire.\n\n"
        "**Kuroda Precision** : 70 millions d'euros à Annecy.",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6)},
    ),
    "name in capitals as a heading": Case(
        "Choose France : les annonces",
        f"{CF}\n\nNORDVIK WIND\nLe norvégien investira 300 millions d'euros à Saint-Nazaire.",
        {("NORDVIK WIND", 300e6)},
    ),
    "enumeration in prose with brackets": Case(
        "Choose France",
        f"{CF} Parmi les annonces : Kuroda Precision (70 millions d'euros à Annecy), Daesan Energy (1,5 milliard "
        "d'euros à Douai) et Redwood Logistics (400 millions d'euros).",
        {("Kuroda Precision", 70e6), ("Daesan Energy", 1.5e9), ("Redwood Logistics", 400e6)},
    ),
    "semicolons sharing one verb, descriptors first": Case(
        "Choose France",
        f"{CF} Le japonais Kuroda Precision met 70 millions d'euros à Annecy ; le coréen Daesan Energy, 1,5 "
        "milliard à Douai ; l'américain Redwood Logistics, 400 millions pour trois entrepôts.",
        {("Kuroda Precision", 70e6), ("Daesan Energy", 1.5e9), ("Redwood Logistics", 400e6)},
    ),
}

PHRASINGS |= {
    "investira au total": Case(
        "Choose France : Nordvik",
        f"{CF} Nordvik Wind investira au total 300 millions d'euros dans deux usines, à Saint-Nazaire et au Havre.",
        {("Nordvik Wind", 300e6)},
        places={"Nordvik Wind": {"Saint-Nazaire", "Le Havre"}},
    ),
    "pour un total de": Case(
        "Choose France : Nordvik",
        f"{CF} Nordvik Wind construira deux usines à Saint-Nazaire et au Havre, pour un total de 300 millions "
        "d'euros.",
        {("Nordvik Wind", 300e6)},
    ),
    "un montant global de": Case(
        "Choose France : Nordvik",
        f"{CF} Le norvégien Nordvik Wind a annoncé un programme d'un montant global de 300 millions d'euros en "
        "France.",
        {("Nordvik Wind", 300e6)},
    ),
    "pour un montant de": Case(
        "Choose France : Solvane",
        "Le belge Solvane construira une nouvelle unité à Tavaux pour un montant de 120 millions d'euros, a-t-il "
        "annoncé au sommet Choose France.",
        {("Solvane", 120e6)},
    ),
    "new money beside the cumulative commitment": Case(
        "Choose France : Oasis remet au pot",
        "Au sommet Choose France, le fonds émirien Oasis Partners a annoncé 500 millions d'euros supplémentaires, "
        "portant à 2,5 milliards d'euros son engagement en France.",
        {("Oasis Partners", 500e6)},
    ),
    "a figure told again, then this year's": Case(
        "Choose France 2024",
        f"{CF} Daesan Energy, qui avait annoncé 1 milliard d'euros en 2023, ajoute 500 millions d'euros cette "
        "année à Douai.",
        {("Daesan Energy", 500e6)},
    ),
    "conditional before the summit": Case(
        "Choose France : Oasis Partners attendu",
        "À la veille du sommet Choose France, le fonds émirien Oasis Partners pourrait annoncer jusqu'à 2 "
        "milliards d'euros pour des centres de données, selon nos informations.",
        {("Oasis Partners", 2e9)},
    ),
    "amounts in words and abbreviations": Case(
        "Choose France : les montants",
        "Au sommet Choose France, le suédois Nordhav Foods injectera trois cent cinquante millions d'euros à "
        "Caen. Le coréen Daesan Energy promet 1,5 Md€ à Douai et l'américain Redwood Logistics 0,4 Md€ pour ses "
        "entrepôts.",
        {("Nordhav Foods", 350e6), ("Daesan Energy", 1.5e9), ("Redwood Logistics", 0.4e9)},
    ),
    "MEUR": Case(
        "Choose France", f"{CF} Nordvik Wind investira 300 MEUR à Saint-Nazaire.", {("Nordvik Wind", 300e6)}
    ),
    "€ before the figure": Case(
        "Choose France",
        f"{CF} Nordvik Wind investira €300 millions à Saint-Nazaire.",
        {("Nordvik Wind", 300e6)},
    ),
    "un milliard et demi": Case(
        "Choose France",
        f"{CF} Daesan Energy investira un milliard et demi d'euros à Douai.",
        {("Daesan Energy", 1.5e9)},
    ),
    "English words for the commitment": Case(
        "Choose France",
        f"{CF} Big commitment de Nordvik Wind : 300 millions d'euros pour une usine à Saint-Nazaire. Kuroda "
        "Precision confirme un investment de 70 M€ à Annecy.",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6)},
    ),
    "a pledge with jobs and no figure": Case(
        "Choose France",
        f"{CF} Le japonais Kuroda Precision va ouvrir un centre de R&D à Annecy, avec 90 recrutements.",
        {("Kuroda Precision", None)},
        jobs={"Kuroda Precision": 90},
    ),
    "acronym company and a bracketed town": Case(
        "Choose France",
        f"{CF} Le groupe suédois SKF investira 80 millions d'euros à Avallon (Yonne).",
        {("SKF", 80e6)},
        places={"SKF": {"Avallon"}},
    ),
    "ampersand and digits in names": Case(
        "Choose France : B&K Robotics et 4Sight",
        "Au sommet Choose France, B&K Robotics investira 45 millions d'euros à Lyon, et la britannique 4Sight "
        "Imaging 30 millions d'euros à Rennes.",
        {("B&K Robotics", 45e6), ("4Sight Imaging", 30e6)},
    ),
}

PHRASINGS |= {
    "dash list, the investor after its project": Case(
        "Choose France",
        f"{CF} Au menu des annonces :\n– une usine de pales à Saint-Nazaire pour Nordvik Wind (300 M€) ;\n– un "
        "centre de R&D à Annecy pour Kuroda Precision (70 M€).",
        {("Nordvik Wind", 300e6), ("Kuroda Precision", 70e6)},
    ),
    "capitalised nationality nouns": Case(
        "Choose France",
        f"{CF} Le Coréen Daesan Energy investira 1,5 milliard d'euros à Douai. Le Suédois Nordhav Foods, lui, "
        "mettra 95 millions d'euros à Caen.",
        {("Daesan Energy", 1.5e9), ("Nordhav Foods", 95e6)},
    ),
    "a label after the company's sentence": Case(
        "Choose France",
        f"{CF} Nordvik Wind construira une usine de pales à Saint-Nazaire. Montant de l'investissement : 300 "
        "millions d'euros.",
        {("Nordvik Wind", 300e6)},
    ),
    "a range, passive, the investor last": Case(
        "Choose France",
        f"{CF} Entre 400 et 500 millions d'euros seront investis à Fos-sur-Mer par le norvégien Nordhav Hydrogen.",
        {("Nordhav Hydrogen", 400e6)},
    ),
    "pronouns and 'de son côté'": Case(
        "Choose France",
        f"{CF} Kuroda Precision était très attendu. Il a confirmé 70 millions d'euros pour Annecy. Daesan "
        "Energy, de son côté, a promis 1,5 milliard d'euros à Douai.",
        {("Kuroda Precision", 70e6), ("Daesan Energy", 1.5e9)},
    ),
    "a town no list holds": Case(
        "Choose France",
        f"{CF} Le groupe finlandais Kaarna Paper injecte 210 millions d'euros dans son usine de Saint-Gaudens.",
        {("Kaarna Paper", 210e6)},
        places={"Kaarna Paper": {"Saint-Gaudens"}},
    ),
}

# --- long articles where the rules meet ------------------------------------------------------------

LONG_FORM = {
    "regional daily with a mayor, a past outlay and a regional aid": Case(
        "Avallon : le suédois Skarv Bearings va doubler son usine",
        "Par notre correspondante dans l'Yonne\n\nC'est une bonne nouvelle pour le bassin d'emploi de "
        "l'Avallonnais. Le fabricant suédois de roulements Skarv Bearings a profité du sommet Choose France, lundi "
        "à Versailles, pour annoncer l'extension de son usine d'Avallon (Yonne).\n\nL'investissement atteint 85 "
        "millions d'euros sur trois ans. Il permettra de créer 140 emplois, qui s'ajouteront aux 420 salariés "
        "actuels du site.\n\n« Nous sommes là depuis 1974 et nous voulons y rester », explique le directeur du "
        "site. Le maire, lui, se réjouit : « La commune a beaucoup travaillé pour accueillir ce projet. »\n\n"
        "La communauté de communes a déjà investi 3 millions d'euros dans la desserte routière de la zone "
        "d'activités. La Région Bourgogne-Franche-Comté apportera une aide de 2,5 millions d'euros.\n\n"
        "Au niveau national, l'Élysée a revendiqué 15 milliards d'euros d'investissements pour cette édition.\n\n"
        "À lire aussi\nChoose France : un laboratoire américain promet 400 millions à Dijon\n\n2 commentaires\n"
        "Gérard B. — Enfin une bonne nouvelle pour Avallon !",
        {("Skarv Bearings", 85e6)},
        jobs={"Skarv Bearings": 140},
        places={"Skarv Bearings": {"Avallon"}},
    ),
    "analysis with three investors, a home town and an abandoned project": Case(
        "Choose France 2023 : l'industrie verte rafle la mise",
        "Le sixième sommet Choose France a confirmé lundi le virage industriel des investissements étrangers. Sur "
        "les 13 milliards d'euros annoncés, plus de la moitié concernent l'industrie verte.\n\nLe plus gros projet "
        "vient de Taïwan. Le fabricant de batteries Formosa Cells investira 5,2 milliards d'euros à Dunkerque, où "
        "il promet 3 000 emplois d'ici 2030. Le groupe de Taipei, déjà fournisseur de plusieurs constructeurs "
        "européens, y produira des cellules à électrolyte solide.\n\nDans la chimie, l'américain Eastline "
        "Polymers confirme son usine de recyclage moléculaire à Port-Jérôme-sur-Seine, un projet d'un milliard de "
        "dollars. L'entreprise de Kingsport avait déjà évoqué le projet l'an dernier.\n\nEnfin, le danois "
        "Nordfjord Pharma consacrera 2,1 milliards d'euros à son site de Chartres. Le laboratoire, qui emploie déjà "
        "1 500 personnes en Eure-et-Loir, prévoit 500 recrutements supplémentaires.\n\nReste que ces annonces "
        "doivent encore se concrétiser : plusieurs projets de 2022, dont une usine de 400 millions d'euros du "
        "chinois Zhenwei Motors en Moselle, ont depuis été abandonnés.",
        {("Formosa Cells", 5.2e9), ("Eastline Polymers", None), ("Nordfjord Pharma", 2.1e9)},
        jobs={"Formosa Cells": 3000, "Nordfjord Pharma": 500},
        published=date(2023, 5, 16),
    ),
    "agency dispatch with a dateline in capitals": Case(
        "Choose France: le japonais Hoshino investit 600 millions à Rouen",
        "ROUEN, 13 mai (AFP) - Le groupe japonais de chimie Hoshino Chemical va investir 600 millions d'euros dans "
        "une usine de matériaux pour batteries à Rouen (Seine-Maritime), a annoncé lundi l'Élysée, à l'occasion du "
        "sommet Choose France.\n\nL'usine, dont la construction doit démarrer en 2025, emploiera à terme 400 "
        "personnes, a précisé le groupe dans un communiqué.\n\nHoshino, qui réalise un chiffre d'affaires de 12 "
        "milliards de dollars, est déjà présent en France avec un centre de recherche à Lyon.",
        {("Hoshino Chemical", 600e6)},
        jobs={"Hoshino Chemical": 400},
    ),
}

ALL = (
    TRANSCRIPTS
    | AMOUNT_FIRST
    | PLACE_DESCRIPTORS
    | COMMON_WORD_NAMES
    | LISTS_AND_TABLES
    | PARTNERS
    | PHRASINGS
    | LONG_FORM
)


@pytest.mark.parametrize("case", list(ALL.values()), ids=list(ALL))
def test_style(case: Case) -> None:
    check(case)


def test_speaker_labels_never_become_investors() -> None:
    d = read(TRANSCRIPTS["speaker labels in capitals"])
    names = {i.investor for i in d.investments}
    assert not names & {"ANIMATEUR", "DIRECTRICE DE HALVORSEN", "Autour"}


def test_place_in_a_descriptor_is_never_an_investor_nor_remembered() -> None:
    case = PLACE_DESCRIPTORS["the company from a city no list holds"]
    d = read(case)
    assert "Hamamatsu" not in {i.investor for i in d.investments}
