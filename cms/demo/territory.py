"""The demo's territory: the actors of the directory, a month of agenda entries around today and
the portfolio's public descriptions. Plain data and pure functions only; `cms.demo.site` writes
them through the domain."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from cms.demo.data import DEPARTMENTS, PARIS, support_point_name

# The programme, as an organiser that is not an actor of the directory.
PROGRAMME_NAME = "Accélérateur d'innovations sociales Centre-Val de Loire"


@dataclass(frozen=True)
class ActorPlan:
    name: str
    kind: str
    department: str
    themes: tuple
    offers: tuple
    description: str
    website: str = ""
    manager: str = ""  # the e-mail of the demo person who keeps the entry up to date


ACTORS = [
    # Cher
    ActorPlan(
        "Maison de l'emploi du Pays de Bourges",
        "public_body",
        "18",
        ("employment", "territorial_development"),
        ("accompaniment", "expertise"),
        "Accueille les demandeurs d'emploi et les employeurs du Pays de Bourges, anime les clauses "
        "sociales des marchés publics et met en relation les structures d'insertion avec les "
        "entreprises qui recrutent.",
        "https://maison-emploi-bourges.example.org",
    ),
    ActorPlan(
        "Radio Berry Solidaire",
        "media",
        "18",
        ("culture", "territorial_development"),
        ("expertise", "volunteering"),
        "Radio associative du Cher : une émission hebdomadaire donne la parole aux initiatives "
        "solidaires du Berry, et ses bénévoles forment les associations à parler de leur projet "
        "au micro.",
        "https://radio-berry-solidaire.example.org",
    ),
    # Eure-et-Loir
    ActorPlan(
        "Chartres Métropole Initiative",
        "funder",
        "28",
        ("employment", "territorial_development"),
        ("funding", "accompaniment"),
        "Accorde des prêts d'honneur sans intérêt aux créateurs et repreneurs d'entreprise d'Eure-"
        "et-Loir, dont les entreprises de l'économie sociale et solidaire, et les parraine pendant "
        "leurs trois premières années.",
        "https://initiative-chartres.example.org",
    ),
    ActorPlan(
        "Fab'Lab du Perche",
        "association",
        "28",
        ("digital", "education"),
        ("premises", "expertise", "volunteering"),
        "Atelier de fabrication numérique ouvert à tous à Nogent-le-Rotrou : imprimantes 3D, "
        "découpe laser, cafés numériques pour les débutants et prototypage pour les projets des "
        "structures du Perche.",
        "https://fablab-perche.example.org",
    ),
    # Indre
    ActorPlan(
        "La Fabrique du Boischaut",
        "association",
        "36",
        ("territorial_development", "culture"),
        ("premises", "volunteering"),
        "Tiers-lieu rural installé dans une ancienne grange près de La Châtre : espace de travail "
        "partagé, salle de réunion, atelier et programmation culturelle, ouverts aux porteurs de "
        "projets du sud de l'Indre.",
        "https://fabrique-boischaut.example.org",
    ),
    ActorPlan(
        "Claire Dumas, conseil en modèles économiques",
        "expert",
        "36",
        ("other", "circular_economy"),
        ("expertise", "accompaniment"),
        "Consultante indépendante, ancienne directrice d'une entreprise d'insertion : elle aide "
        "les structures à bâtir un modèle économique hybride (ventes, subventions, mécénat) et "
        "à préparer leurs demandes de financement.",
    ),
    # Indre-et-Loire
    ActorPlan(
        "Université de Tours — chaire ESS et territoires",
        "university",
        "37",
        ("education", "territorial_development"),
        ("expertise", "volunteering"),
        "Équipe de recherche et d'enseignement sur l'économie sociale et solidaire : projets "
        "tutorés d'étudiants de master auprès des structures, études d'impact et conférences "
        "ouvertes au public.",
        "https://chaire-ess-tours.example.org",
        manager="juror2@essor.demo",
    ),
    ActorPlan(
        "Touraine Réemploi Réseau",
        "association",
        "37",
        ("circular_economy", "employment"),
        ("expertise", "premises"),
        "Réseau des ressourceries et recycleries de Touraine : mutualise un entrepôt, des "
        "formations de valoriste et des achats, et accompagne les nouveaux lieux de réemploi.",
        "https://touraine-reemploi.example.org",
    ),
    # Loir-et-Cher
    ActorPlan(
        "Agglomération de Blois — mission ESS",
        "public_body",
        "41",
        ("territorial_development", "food"),
        ("funding", "premises"),
        "La mission économie sociale et solidaire de l'agglomération : appel à initiatives "
        "annuel, locaux à loyer modéré pour les jeunes structures et commande publique "
        "responsable.",
        "https://agglo-blois-ess.example.org",
    ),
    ActorPlan(
        "Coopérative numérique du Vendômois",
        "ess_company",
        "41",
        ("digital", "education"),
        ("expertise", "accompaniment"),
        "SCIC de services numériques : sites internet, outils libres et formations pour les "
        "associations et les petites collectivités du Vendômois, et médiation numérique pour les "
        "habitants.",
        "https://numerique-vendomois.example.org",
    ),
    # Loiret
    ActorPlan(
        "France Active Centre-Val de Loire",
        "funder",
        "45",
        ("employment", "territorial_development"),
        ("funding", "accompaniment"),
        "Finance et accompagne les entrepreneurs engagés de la région : garanties de prêts "
        "bancaires, prêts solidaires, primes et conseil financier pour les structures de l'ESS.",
        "https://franceactive-cvl.example.org",
        manager="juror3@essor.demo",
    ),
    ActorPlan(
        "Orléans Mobilités Solidaires",
        "association",
        "45",
        ("mobility", "employment"),
        ("volunteering", "expertise"),
        "Atelier vélo, location solidaire de voitures et de scooters, et conseil en mobilité pour "
        "les personnes en parcours d'insertion de la métropole orléanaise.",
        "https://mobilites-solidaires-orleans.example.org",
    ),
]


@dataclass(frozen=True)
class EntryPlan:
    """An agenda entry, `day` days from today (negative: in the archive). With `hours` it runs
    on that day from the first hour to the second, in Paris; without, over whole days up to
    `last_day`. `organiser` is ("actor" | "structure" | "name", its name)."""

    kind: str
    title: str
    department: str
    themes: tuple
    day: int
    organiser: tuple
    description: str
    hours: tuple = ()
    last_day: int | None = None
    co_organisers: tuple = ()
    place: str = ""
    online_link: str = ""
    registration_link: str = ""
    proposer: str = ""  # an e-mail; empty: the organiser's manager or the département's point
    approved: bool = True

    def when(self, today):
        """(starts_at, ends_at, all_day), aware, as the agenda stores them."""
        first = today + timedelta(days=self.day)
        if self.hours:
            start, end = (time(*map(int, hour.split(":"))) for hour in self.hours)
            return (
                datetime.combine(first, start, tzinfo=PARIS),
                datetime.combine(first, end, tzinfo=PARIS),
                False,
            )
        last = today + timedelta(days=self.last_day if self.last_day is not None else self.day)
        midnight = time(0, 0)
        return (
            datetime.combine(first, midnight, tzinfo=PARIS),
            datetime.combine(last, midnight, tzinfo=PARIS),
            True,
        )


def _actor(name):
    return ("actor", name)


def _structure(name):
    return ("structure", name)


def _named(name):
    return ("name", name)


FORUM = "Forum de l'emploi solidaire"
FORUM_REGISTRATION = "https://maison-emploi-bourges.example.org/forum-emploi-solidaire"

ENTRIES = [
    # --- the coming month
    EntryPlan(
        "event",
        "Apéro-rencontre des acteurs de l'ESS du Cher",
        "18",
        ("territorial_development",),
        1,
        _named(support_point_name("18")),
        "Un moment convivial pour faire connaissance entre associations, coopératives, "
        "collectivités et financeurs du Cher, et repartir avec des contacts utiles.",
        hours=("18:00", "20:00"),
        co_organisers=("Radio Berry Solidaire",),
        place="Halle au Blé, place de la Halle, 18000 Bourges",
    ),
    EntryPlan(
        "event",
        "Atelier : construire un modèle économique hybride",
        "36",
        ("other", "employment"),
        2,
        _actor("Claire Dumas, conseil en modèles économiques"),
        "Ventes, subventions, mécénat, bénévolat : trois heures pour dessiner le modèle "
        "économique de votre projet, à partir de cas réels. Douze places.",
        hours=("09:30", "12:30"),
        co_organisers=("La Fabrique du Boischaut",),
        place="La Fabrique du Boischaut, 36400 La Châtre",
        registration_link="https://fabrique-boischaut.example.org/atelier-modele-economique",
    ),
    EntryPlan(
        "event",
        "Repair café des Tisserands",
        "36",
        ("circular_economy",),
        3,
        _structure("SCOP Les Tisserands de La Châtre"),
        "Apportez vos vêtements et textiles abîmés : les couturières de la coopérative vous "
        "apprennent à les réparer. Gratuit, sans inscription.",
        hours=("14:00", "17:00"),
        place="Atelier des Tisserands, rue des Tanneurs, 36400 La Châtre",
        proposer="accompanied@essor.demo",
    ),
    EntryPlan(
        "action",
        "Collecte solidaire de vélos à réparer",
        "45",
        ("mobility", "circular_economy"),
        4,
        _actor("Orléans Mobilités Solidaires"),
        "Pendant deux semaines, déposez les vélos qui dorment dans votre garage : l'atelier les "
        "remet en état et les prête aux personnes qui reprennent un emploi.",
        last_day=18,
        co_organisers=("Touraine Réemploi Réseau",),
        place="Mairies de quartier d'Orléans, aux heures d'ouverture",
    ),
    EntryPlan(
        "event",
        "Webinaire : financer son projet avec un prêt d'honneur",
        "45",
        ("employment",),
        5,
        _actor("France Active Centre-Val de Loire"),
        "Prêt d'honneur, garantie bancaire, prime : quels outils pour quel projet, et comment "
        "préparer son dossier. Une heure, questions comprises.",
        hours=("12:30", "13:30"),
        co_organisers=("Chartres Métropole Initiative",),
        online_link="https://visio.example.org/franceactive-pret-honneur",
        registration_link="https://franceactive-cvl.example.org/webinaire-pret-honneur",
    ),
    EntryPlan(
        "event",
        "Ciné-débat « Vivre et travailler au pays »",
        "28",
        ("culture", "territorial_development"),
        6,
        _actor("Fab'Lab du Perche"),
        "Projection d'un documentaire sur les tiers-lieux ruraux, suivie d'un débat avec des "
        "porteurs de projets du Perche.",
        hours=("18:30", "21:00"),
        place="Cinéma Le Rex, 28400 Nogent-le-Rotrou",
    ),
    EntryPlan(
        "event",
        "Hackathon « Numérique et inclusion »",
        "41",
        ("digital", "education"),
        7,
        _actor("Coopérative numérique du Vendômois"),
        "Une journée pour imaginer, avec des étudiants, des développeurs et des travailleurs "
        "sociaux, des outils numériques simples pour les personnes éloignées d'internet.",
        hours=("09:00", "17:00"),
        co_organisers=("Université de Tours — chaire ESS et territoires",),
        place="Quartier Rochambeau, 41100 Vendôme",
        registration_link="https://numerique-vendomois.example.org/hackathon",
    ),
    EntryPlan(
        "event",
        "Permanence d'accompagnement des porteurs de projets",
        "41",
        ("employment", "territorial_development"),
        8,
        _actor("Agglomération de Blois — mission ESS"),
        "Sans rendez-vous : présentez votre idée, la mission ESS vous oriente vers les "
        "financements et les accompagnements qui lui conviennent.",
        hours=("10:00", "12:00"),
        place="Hôtel d'agglomération, 1 rue Honoré de Balzac, 41000 Blois",
    ),
    EntryPlan(
        "event",
        FORUM,
        "18",
        ("employment",),
        9,
        _actor("Maison de l'emploi du Pays de Bourges"),
        "Rencontrez les structures d'insertion et les entreprises de l'ESS qui recrutent dans le "
        "Cher : offres d'emploi, ateliers CV et entretiens sur place.",
        hours=("14:00", "18:00"),
        co_organisers=("Radio Berry Solidaire",),
        place="Palais d'Auron, 18000 Bourges",
        registration_link=FORUM_REGISTRATION,
    ),
    EntryPlan(
        "event",
        "Conférence : l'économie circulaire dans les territoires ruraux",
        "37",
        ("circular_economy", "education"),
        10,
        _actor("Université de Tours — chaire ESS et territoires"),
        "Chercheurs et acteurs de terrain croisent leurs regards sur le réemploi, la réparation "
        "et le recyclage loin des grandes villes. Entrée libre.",
        hours=("17:30", "19:30"),
        co_organisers=("Touraine Réemploi Réseau",),
        place="Site Tanneurs, 3 rue des Tanneurs, 37000 Tours",
    ),
    EntryPlan(
        "initiative",
        "Défi « Zéro gaspillage » dans les cantines",
        "41",
        ("food", "education"),
        11,
        _structure("Blois Solidarités Alimentaires"),
        "Deux semaines pendant lesquelles les écoles volontaires pèsent leurs restes, testent "
        "des menus et donnent leurs surplus à l'épicerie solidaire.",
        last_day=25,
        co_organisers=("Agglomération de Blois — mission ESS",),
        place="Écoles volontaires de l'agglomération de Blois",
    ),
    EntryPlan(
        "event",
        "Petit-déjeuner des financeurs solidaires",
        "28",
        ("employment", "territorial_development"),
        12,
        _actor("Chartres Métropole Initiative"),
        "Les financeurs de l'ESS d'Eure-et-Loir présentent leurs outils en dix minutes chacun, "
        "puis rencontrent les porteurs de projets autour d'un café.",
        hours=("08:30", "10:30"),
        co_organisers=("France Active Centre-Val de Loire",),
        place="Pôle universitaire, 21 rue de Loigny-la-Bataille, 28000 Chartres",
        registration_link="https://initiative-chartres.example.org/petit-dejeuner",
    ),
    EntryPlan(
        "event",
        "Atelier de réparation de vélos",
        "45",
        ("mobility",),
        13,
        _actor("Orléans Mobilités Solidaires"),
        "Apprenez à régler vos freins, changer une chambre à air et entretenir votre vélo, avec "
        "les mécaniciens bénévoles de l'atelier.",
        hours=("14:00", "16:30"),
        place="Atelier vélo, 12 rue de la Borde, 45000 Orléans",
    ),
    EntryPlan(
        "event",
        "Marché des producteurs et de l'alimentation durable",
        "18",
        ("food", "culture"),
        14,
        _structure("Le Panier Berrichon"),
        "Une vingtaine de producteurs locaux, une épicerie vrac et des animations pour les "
        "enfants sur la place du marché.",
        hours=("09:00", "13:00"),
        place="Place de la Résistance, 18700 Aubigny-sur-Nère",
    ),
    EntryPlan(
        "event",
        "Émission en public : les initiatives solidaires du Berry",
        "18",
        ("culture",),
        15,
        _actor("Radio Berry Solidaire"),
        "Enregistrement public de l'émission mensuelle, avec trois structures accompagnées par "
        "le programme. Aussi en direct sur le site de la radio.",
        hours=("18:00", "19:30"),
        place="Studio de la radio, 18000 Bourges",
        online_link="https://radio-berry-solidaire.example.org/direct",
    ),
    EntryPlan(
        "event",
        "Formation : mesurer son impact social",
        "37",
        ("other", "education"),
        16,
        _named(PROGRAMME_NAME),
        "Choisir ses indicateurs, collecter les données sans y passer ses soirées, et raconter "
        "ses résultats : une journée de formation ouverte aux structures de la région.",
        hours=("09:30", "16:30"),
        co_organisers=("Université de Tours — chaire ESS et territoires",),
        place="Maison des associations, 37000 Tours",
        online_link="https://visio.example.org/essor-impact",
        registration_link="https://essor.example.org/formation-impact",
        proposer="staff@essor.demo",
    ),
    EntryPlan(
        "action",
        "Chantier participatif au tiers-lieu",
        "36",
        ("territorial_development", "culture"),
        17,
        _actor("La Fabrique du Boischaut"),
        "Trois jours pour isoler l'atelier et aménager la salle de réunion, avec des bénévoles "
        "et un encadrant technique. Repas offerts.",
        last_day=19,
        place="La Fabrique du Boischaut, 36400 La Châtre",
    ),
    EntryPlan(
        "event",
        "Café numérique : premiers pas sur internet",
        "28",
        ("digital", "education"),
        18,
        _actor("Fab'Lab du Perche"),
        "Créer une adresse e-mail, faire une démarche en ligne, se méfier des arnaques : un "
        "après-midi pour les débutants, sur ordinateur ou sur téléphone.",
        hours=("14:00", "17:00"),
        place="Fab'Lab du Perche, 28400 Nogent-le-Rotrou",
    ),
    EntryPlan(
        "event",
        "Rencontre du réemploi en Touraine",
        "37",
        ("circular_economy",),
        20,
        _actor("Touraine Réemploi Réseau"),
        "Les ressourceries de Touraine partagent leurs pratiques de collecte et de vente, et "
        "accueillent les projets de nouveaux lieux de réemploi.",
        hours=("18:00", "20:00"),
        co_organisers=("Université de Tours — chaire ESS et territoires",),
        place="Ressourcerie de Joué-lès-Tours, 37300 Joué-lès-Tours",
    ),
    EntryPlan(
        "event",
        "Visite d'une centrale solaire citoyenne",
        "37",
        ("territorial_development", "other"),
        21,
        _structure("SCIC Loches Énergie Partagée"),
        "Les sociétaires de la coopérative font visiter les toitures solaires financées par les "
        "habitants et expliquent comment entrer au capital.",
        hours=("10:00", "12:00"),
        place="Gymnase municipal, 37600 Loches",
    ),
    EntryPlan(
        "event",
        "Journée régionale de l'innovation sociale",
        "45",
        ("territorial_development", "employment"),
        22,
        _named(PROGRAMME_NAME),
        "La promotion en cours présente ses projets, les financeurs et les collectivités "
        "débattent des besoins du territoire, et les structures de la région se rencontrent.",
        hours=("09:00", "17:30"),
        co_organisers=(
            "France Active Centre-Val de Loire",
            "Université de Tours — chaire ESS et territoires",
            "Agglomération de Blois — mission ESS",
        ),
        place="Centre de conférences, 9 place du 6 Juin 1944, 45000 Orléans",
        registration_link="https://essor.example.org/journee-regionale",
        proposer="staff@essor.demo",
    ),
    EntryPlan(
        "initiative",
        "Portes ouvertes des structures de l'ESS du Loir-et-Cher",
        "41",
        ("territorial_development",),
        23,
        _actor("Agglomération de Blois — mission ESS"),
        "Pendant une semaine, une vingtaine d'associations et de coopératives ouvrent leurs "
        "portes : programme complet sur le site de l'agglomération.",
        last_day=30,
        co_organisers=("Coopérative numérique du Vendômois",),
        place="Dans tout le Loir-et-Cher",
        registration_link="https://agglo-blois-ess.example.org/portes-ouvertes",
    ),
    EntryPlan(
        "event",
        "Atelier : répondre à un appel à projets",
        "18",
        ("employment", "other"),
        24,
        _named(support_point_name("18")),
        "Lire un règlement, présenter son budget, convaincre un jury : le point d'appui vous aide "
        "à préparer votre candidature, en petit groupe.",
        hours=("14:00", "17:00"),
        co_organisers=("Maison de l'emploi du Pays de Bourges",),
        place="Maison des associations, 28 rue Gambon, 18000 Bourges",
    ),
    EntryPlan(
        "event",
        "Concert solidaire pour l'épicerie sociale",
        "28",
        ("culture", "food"),
        26,
        _named("Comité des fêtes de Dreux"),
        "Trois groupes de la région jouent au profit de l'épicerie sociale ; entrée à prix libre "
        "et collecte de denrées à l'entrée.",
        hours=("19:00", "22:30"),
        place="Salle de l'Orangerie, 28100 Dreux",
    ),
    EntryPlan(
        "event",
        "Santé au travail dans les petites structures",
        "45",
        ("health", "employment"),
        27,
        _named("Mutuelle solidaire du Loiret"),
        "Prévenir l'épuisement des salariés et des bénévoles : un atelier d'échanges entre "
        "dirigeants d'associations, avec une médecin du travail.",
        hours=("09:00", "12:00"),
        place="Maison des associations, 46 ter rue Sainte-Catherine, 45000 Orléans",
    ),
    EntryPlan(
        "event",
        "Webinaire : la commande publique responsable",
        "41",
        ("territorial_development", "other"),
        28,
        _actor("Agglomération de Blois — mission ESS"),
        "Clauses sociales, marchés réservés, lots accessibles : comment les structures de l'ESS "
        "peuvent répondre aux marchés des collectivités.",
        hours=("12:00", "13:30"),
        online_link="https://visio.example.org/agglo-blois-commande-publique",
    ),
    EntryPlan(
        "event",
        "Apéro-mobilité : le covoiturage solidaire en milieu rural",
        "18",
        ("mobility",),
        29,
        _structure("Vierzon Solidaire Mobilité"),
        "Comment organiser un covoiturage entre voisins pour aller travailler ou se soigner : "
        "retours d'expérience et lancement d'un groupe à Vierzon.",
        hours=("18:00", "20:00"),
        place="Espace Maurice Ravel, 18100 Vierzon",
    ),
    # --- the archive
    EntryPlan(
        "event",
        "Assemblée des acteurs du réemploi de Touraine",
        "37",
        ("circular_economy",),
        -20,
        _actor("Touraine Réemploi Réseau"),
        "Bilan de l'année du réseau, élection du bureau et ateliers sur la mutualisation des "
        "transports.",
        hours=("14:00", "18:00"),
        co_organisers=("Université de Tours — chaire ESS et territoires",),
        place="Salle Ockeghem, 37000 Tours",
    ),
    EntryPlan(
        "event",
        "Atelier : parler de son projet à la presse locale",
        "18",
        ("culture",),
        -12,
        _actor("Radio Berry Solidaire"),
        "Écrire un communiqué, préparer une interview, choisir ses photos : un atelier pratique "
        "avec des journalistes.",
        hours=("09:30", "12:30"),
        place="Studio de la radio, 18000 Bourges",
    ),
    EntryPlan(
        "action",
        "Semaine du réemploi à Saint-Jean-de-Braye",
        "45",
        ("circular_economy",),
        -8,
        _structure("Les Ateliers du Réemploi Abraysien"),
        "Collectes, ateliers de réparation et vente à petits prix pendant toute la semaine.",
        last_day=-3,
        co_organisers=("Orléans Mobilités Solidaires",),
        place="Les Ateliers du Réemploi, 45800 Saint-Jean-de-Braye",
    ),
    EntryPlan(
        "event",
        "Rencontre des tiers-lieux de l'Indre",
        "36",
        ("territorial_development",),
        -5,
        _actor("La Fabrique du Boischaut"),
        "Les tiers-lieux du département comparent leurs modèles économiques et leurs façons "
        "d'associer les habitants.",
        hours=("10:00", "16:00"),
        co_organisers=("Claire Dumas, conseil en modèles économiques",),
        place="La Fabrique du Boischaut, 36400 La Châtre",
    ),
    # --- waiting for moderation: a likely duplicate of the forum, and a new proposal
    EntryPlan(
        "event",
        FORUM,
        "18",
        ("employment",),
        9,
        _named("Collectif emploi Bourges Nord"),
        "Le forum de l'emploi solidaire de Bourges, avec les structures d'insertion du quartier "
        "nord.",
        hours=("14:00", "18:00"),
        place="Palais d'Auron, 18000 Bourges",
        registration_link=FORUM_REGISTRATION,
        proposer="applicant@essor.demo",
        approved=False,
    ),
    EntryPlan(
        "event",
        "Atelier couture et réemploi textile",
        "36",
        ("circular_economy", "culture"),
        19,
        _structure("SCOP Les Tisserands de La Châtre"),
        "Transformer des chutes de tissu en sacs et en trousses : un atelier pour les familles, "
        "matériel fourni.",
        hours=("14:00", "17:00"),
        place="Atelier des Tisserands, rue des Tanneurs, 36400 La Châtre",
        proposer="accompanied@essor.demo",
        approved=False,
    ),
]

# The accompanied structures that agreed to appear in the public portfolio, with the words
# they chose (never the description they wrote for staff).
PORTFOLIO = {
    "SCOP Bois et Bocage du Cher": (
        "Coopérative d'insertion qui entretient les haies et les bois du bocage du Cher et "
        "transforme le bois en plaquettes de chauffage pour les communes voisines."
    ),
    "Les Jardins d'insertion de l'Yèvre": (
        "Maraîchage biologique et paniers hebdomadaires cultivés par des salariés en parcours "
        "d'insertion, livrés dans les entreprises et les mairies de la vallée de l'Yèvre."
    ),
    "Dreux Emploi Partagé": (
        "Groupement d'employeurs qui partage des salariés à temps plein entre associations, "
        "commerces et artisans du Drouais."
    ),
    "SCOP Les Tisserands de La Châtre": (
        "Atelier coopératif de tissage et de couture qui relance une filière textile locale et "
        "forme des couturières dans le sud de l'Indre."
    ),
    "SCIC Loches Énergie Partagée": (
        "Coopérative d'habitants et de collectivités qui finance et exploite des toitures "
        "solaires dans le Lochois."
    ),
    "Les Ateliers du Réemploi Abraysien": (
        "Ressourcerie et ateliers de réparation de Saint-Jean-de-Braye : collecte, remise en "
        "état et vente à petits prix, avec un chantier d'insertion."
    ),
}

DEPARTMENT_CODES = [code for code, _name, _article in DEPARTMENTS]
