"""Word lists the entity finder needs: words that are capitalised without being companies, first names,
media, and what descriptors such as "la firme de Redmond" point at."""

from __future__ import annotations

# Lower-cased, accent-free words that start sentences or are proper nouns of no investor.
STOP_WORDS = frozenset(
    """le la les l un une des de du d dans selon en au aux ce cet cette ces son sa ses leur leurs pour par avec
    apres avant lors outre ainsi enfin mais et ou il elle ils elles on c ca cela ceci celui celle ceux qui que
    quoi dont ou quand comme si sur sous chez entre vers depuis pendant contre sans plus moins tres deja aussi
    encore toujours jamais alors donc or car puis ensuite d'abord surtout notamment egalement cependant
    pourtant toutefois neanmoins desormais aujourd'hui hier demain objectif cote concretement resultat fin
    debut mi lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet
    aout septembre octobre novembre decembre france francais francaise francaises europe europeen europeenne
    europeens etat gouvernement president presidente premier premiere ministre ministere ministres elysee
    matignon bercy senat assemblee parlement commission ue ia ai pme eti cnil pdg ceo dg directeur directrice
    patron patronne fondateur covid cac bourse choose versailles chateau sommet forum plan projet projets
    groupe societe entreprise firme usine site region departement ville commune metropole hexagone territoire
    nord sud est ouest national nationale cloud data tech americain americaine americains japonais japonaise
    chinois chinoise allemand allemande britannique suisse suedois suedoise coreen coreenne indien indienne
    italien italienne espagnol espagnole neerlandais belge canadien canadienne danois norvegien finlandais
    finlandaise taiwanais emirien emirienne saoudien qatari singapourien australien israelien autrichien
    irlandais luxembourgeois turc bresilien mexicain etats-unis allemagne espagne chine japon inde royaume-uni
    italie cette ceux nous vous je tu mon ma mes ton ta tes notre nos votre vos y a est sont sera seront ont
    avait etait fut tout tous toute toutes chaque autre autres meme memes quelques plusieurs certains
    certaines aucun aucune nul oui non bref enfin voila voici ici la-bas parmi face grace afin malgre hormis
    sauf via selon monsieur madame mme m mm mr dr pr prof actualite actualites info infos economie politique
    international sport culture societe emmanuel macron bruno maire gabriel attal elisabeth borne edouard
    philippe jean castex michel barnier francois bayrou roland lescure marc ferracci antoine armand eric
    lombard thierry breton christophe bechu agnes pannier-runacher business bpifrance atout invest insee ocde
    fmi bce bei banque mondiale caisse depots cdc reuters afp bloomberg echos figaro monde tribune usine
    nouvelle bfm bfmtv challenges express parisien ouest-france franceinfo capital point liberation ouest voix
    progres depeche maddyness numerama frandroid journal ft wsj cnbc cnn politico mediapart linkedin twitter x
    youtube instagram tiktok informe lsa ile-de-france paris marseille lyon toulouse cet ete hiver printemps
    automne md mds mrd mrds i ii iii iv v vi vii viii ix x xi xii xiii station vivatech fr edition sommets republique co2 h2
    pourquoi comment combien quand quel quelle quels quelles est-ce voici voila bilan montant total
    ecole universite institut insa cnrs cea inria inserm inrae ademe cnes onera ifpen chu iut lycee
    polytechnique centrale mines agence prefecture prefet conseil academie laboratoires""".split()  # noqa: SIM905
)

# Multi-word names that are not investors (institutions, events, media).
STOP_PHRASES = frozenset(
    """business france|choose france|france 2030|station f|team france invest|caisse des depots|
    banque publique d'investissement|les echos|le figaro|le monde|la tribune|l'usine nouvelle|
    le parisien|ouest-france|la voix du nord|la depeche|le point|l'express|financial times|
    wall street journal|new york times|france info|france inter|france 24|radio france|la poste|
    conseil regional|union europeenne|commission europeenne|maison blanche|tech for good|
    one planet summit|sommet pour l'action sur l'ia|assemblee nationale|cour des comptes|conseil d'etat|
    agence france-presse|le journal du dimanche|journal du dimanche|premier ministre|
    chateau de versailles|grand palais|palais de l'elysee|choose france for science""".replace(
        "\n    ", ""
    ).split("|")  # noqa: SIM905
)

FIRST_NAMES = frozenset(
    """adam adrien agnes alain alexandre alexis alice amelie andre andrea andy anne antoine arnaud arthur
    aurelien axel bernard bertrand brad benjamin benoit bill bruno camille carlos caroline catherine cedric
    celine charles charlotte christian christine christophe claire claude clement daniel david delphine denis
    didier dominique edouard elisabeth elon emilie emma emmanuel eric etienne fabien fabrice florence florian
    francis francois frederic gabriel gerard gilles guillaume helene henri herve hugo isabelle jacques jean
    jean-pierre jean-luc jean-marc jean-francois jeff jensen jerome joe john jonathan julie julien justin
    karine kevin laurent lea louis luc lucas marc marie marine mark martin mathieu matthieu maxime michel
    mickael nathalie nicolas olivier pascal patrick paul philippe pierre remi richard robert roland romain sam
    samuel sandrine sarah satya sebastien sophie stephane sundar sylvie thierry thomas tim valerie vincent
    virginie xavier yann yves agnes arvind ursula donald joe akio tim sheryl ruth marc-antoine ahmed mohamed
    mohammed sultan khaldoon hiroshi takeshi kenji masayoshi yoshihiro li wang zhang liu chen lee kim park
    jaehyun pat patricia jennifer michael james william george peter steve steven brian chris christopher kate
    laura anna maria giovanni marco luca hans klaus wolfgang stefan jurgen lars henrik pekka jose juan miguel
    pedro rafael sergio rishi narendra mukesh ratan gautam olaf friedrich giorgia pedro justin clara lucie
    manon ines chloe jade louise""".split()  # noqa: SIM905
)
# Surnames and titles that make a capitalised sequence a person.
PERSON_TITLE_RE = (
    r"(?:M\.|Mme|Monsieur|Madame|PDG|patron|patronne|président|présidente|directeur|directrice|dirigeant|dirigeante|"
    r"fondateur|fondatrice|ministre|secrétaire|porte-parole|vice-président|vice-présidente|CEO|DG|chef|cheffe|maire|député|"
    r"sénateur|préfet|préfète|numéro\s+deux|responsable|délégué|déléguée|administrateur)"
)

# "la firme de Redmond" -> Microsoft: headquarters and themes reporters use in place of a name.
DESCRIPTOR_HINTS: dict[str, tuple[str, ...]] = {
    "redmond": ("Microsoft",),
    "seattle": ("Amazon", "Microsoft"),
    "mountain view": ("Google",),
    "cupertino": ("Apple",),
    "menlo park": ("Meta",),
    "walldorf": ("SAP",),
    "armonk": ("IBM",),
    "santa clara": ("Nvidia", "Intel"),
    "austin": ("Tesla",),
    "bâle": ("Novartis", "Roche"),
    "vevey": ("Nestlé",),
    "wolfsburg": ("Volkswagen",),
    "atlanta": ("Coca-Cola",),
    "cincinnati": ("Procter & Gamble",),
    "eindhoven": ("Philips",),
    "e-commerce": ("Amazon",),
    "commerce en ligne": ("Amazon",),
    "moteur de recherche": ("Google",),
    "réseau social": ("Meta", "Facebook"),
    "iphone": ("Apple",),
    "windows": ("Microsoft",),
    "cartes graphiques": ("Nvidia",),
    "puces graphiques": ("Nvidia",),
}

NATIONALITIES = (
    "américain|américaine|américains|états-unien|japonais|japonaise|chinois|chinoise|allemand|allemande|britannique|suisse|"
    "suédois|suédoise|coréen|coréenne|sud-coréen|sud-coréenne|indien|indienne|italien|italienne|espagnol|espagnole|"
    "néerlandais|néerlandaise|belge|canadien|canadienne|danois|danoise|norvégien|norvégienne|finlandais|finlandaise|"
    "taïwanais|taïwanaise|émirien|émirienne|émirati|saoudien|saoudienne|qatari|qatarien|qatarienne|singapourien|"
    "singapourienne|australien|australienne|israélien|israélienne|autrichien|autrichienne|irlandais|irlandaise|"
    "luxembourgeois|luxembourgeoise|turc|turque|brésilien|brésilienne|mexicain|mexicaine|polonais|polonaise|"
    "portugais|portugaise|tchèque|hongrois|hongroise|européen|européenne|asiatique|nippon|nippone|helvétique|"
    "scandinave|nord-américain|nord-américaine|français|française|tricolore|hexagonal"
)
DESCRIPTOR_HEADS = (
    "géant|géants|groupe|firme|société|entreprise|laboratoire|labo|industriel|constructeur|équipementier|fabricant|fonds|"
    "opérateur|spécialiste|leader|numéro\\s+un|champion|acteur|chimiste|pétrolier|sidérurgiste|énergéticien|assureur|"
    "distributeur|logisticien|éditeur|fournisseur|start-up|startup|licorne|mastodonte|multinationale|compagnie|"
    "conglomérat|investisseur|gestionnaire|promoteur|major|motoriste|avionneur|brasseur|cimentier|verrier|papetier|"
    "transporteur|armateur|hébergeur|concepteur|développeur|producteur|exploitant|marque|enseigne|pure\\s+player|"
    "poids\\s+lourd|mammouth|fleuron|titan|colosse|cador|holding|family\\s+office|cabinet|banque|chaîne|réseau|studio|"
    "consortium|coentreprise|joint-venture|filiale|sous-traitant|pionnier|biotech|medtech|fintech|scale-up|pétrochimiste|"
    "agrochimiste|semencier|chocolatier|confiseur|sucrier|négociant|armateur|loueur|voyagiste|hôtelier|géant|"
    "établissement|maison|câblier|industriel|électricien|spécialiste|acteur|forestier|scieur|minier|électronicien|"
    "caisse|"
    f"{NATIONALITIES}"
)
