"""The content of the demo: a programme in Centre-Val de Loire, its calls, structures and people.

Plain data and pure functions only; `cms.demo.loader` writes it to the database. Everything drawn
at random comes from one `random.Random(SEED)` consumed in a fixed order, so two runs on the same
day build the same plan.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from stdnum import luhn

SEED = 2018
PASSWORD = "essor-demo-2026"
PARIS = ZoneInfo("Europe/Paris")

REGION = ("24", "Centre-Val de Loire")
# (INSEE code, name, the name with its article as in "Point d'appui ESS du Cher")
DEPARTMENTS = [
    ("18", "Cher", "du Cher"),
    ("28", "Eure-et-Loir", "de l'Eure-et-Loir"),
    ("36", "Indre", "de l'Indre"),
    ("37", "Indre-et-Loire", "de l'Indre-et-Loire"),
    ("41", "Loir-et-Cher", "du Loir-et-Cher"),
    ("45", "Loiret", "du Loiret"),
]

PROGRAMME = {
    "slug": "cvl",
    "name": "Accélérateur d'innovations sociales Centre-Val de Loire",
    "description": (
        "Un programme régional qui repère, finance et accompagne pendant dix-huit mois les "
        "structures de l'économie sociale et solidaire porteuses d'innovations sociales en "
        "Centre-Val de Loire, avec un point d'appui dans chaque département."
    ),
}

HOME_PAGE = {
    "title": "Essor",
    "slug": "accueil",
    "hero_heading": "Accélérer l'innovation sociale en Centre-Val de Loire",
    "hero_text": (
        "Un programme de dix-huit mois pour les structures de l'économie sociale et solidaire : "
        "financement d'amorçage, accompagnement et réseau dans les six départements de la région."
    ),
    "intro": (
        "<p>Essor accompagne les structures de l'économie sociale et solidaire du Centre-Val de "
        "Loire qui inventent des réponses nouvelles aux besoins de leur territoire : mobilité, "
        "alimentation, emploi, habitat, réemploi, accès aux droits.</p>"
        "<p>Consultez les appels à projets ouverts, déposez votre candidature avec votre équipe "
        "et suivez votre dossier jusqu'à la décision du jury. Les points d'appui de chaque "
        "département sont là pour vous aider à préparer votre candidature.</p>"
    ),
}

CALL_INDEX_PAGE = {
    "title": "Appels à projets",
    "slug": "appels",
    "intro": (
        "<p>Les appels à projets de l'Accélérateur d'innovations sociales Centre-Val de Loire : "
        "appels ouverts, à venir et clos. Chaque appel précise ses critères d'éligibilité, son "
        "calendrier et la grille d'évaluation du jury.</p>"
    ),
}

# Eligible legal forms of the calls: the social and solidarity economy ("other" is left out).
ESS_LEGAL_FORMS = [
    "association",
    "scop",
    "scic",
    "cooperative",
    "mutual",
    "foundation",
    "esus_company",
]

# --- the application form ---------------------------------------------------------------------

# Choices as the Wagtail admin stores them: each item has an id, the key that answers store, so
# that renaming a choice keeps its answers. {key: label}, in the order offered.
STAGES = {
    "c-stage-idea": "Idée à tester",
    "c-stage-trial": "Expérimentation en cours",
    "c-stage-consolidation": "Consolidation",
    "c-stage-scaling": "Changement d'échelle",
}
SCALING_STAGE = "c-stage-scaling"
PUBLICS = {
    "c-public-youth": "Jeunes de 16 à 25 ans",
    "c-public-elderly": "Personnes âgées",
    "c-public-disability": "Personnes en situation de handicap",
    "c-public-jobseekers": "Demandeurs d'emploi",
    "c-public-single-parents": "Familles monoparentales",
    "c-public-priority-areas": "Habitants des quartiers prioritaires",
    "c-public-rural": "Habitants des zones rurales",
    "c-public-all": "Tous publics",
}
TERRITORIES = {
    "c-territory-town": "Une commune ou un quartier",
    "c-territory-intercommunal": "Une intercommunalité",
    "c-territory-department": "Un département",
    "c-territory-region": "Plusieurs départements de la région",
}


def _choices(choices):
    return [{"type": "item", "value": label, "id": key} for key, label in choices.items()]


def _section(block_id, heading, help_text=""):
    return {
        "type": "section",
        "value": {"heading": heading, "help_text": help_text},
        "id": block_id,
    }


def _question(
    block_type, block_id, label, *, help_text="", required=True, show_if=None, **settings
):
    """One question; `show_if` is (the id of an earlier question, the answer that shows it)."""
    source, answer = show_if or ("", "")
    value = {
        "label": label,
        "help_text": help_text,
        "required": required,
        "show_if_question": source,
        "show_if_operator": "is",
        "show_if_answers": answer,
        **settings,
    }
    return {"type": block_type, "value": value, "id": block_id}


def application_form(coalition_call=False):
    """The raw StreamField data of a call's form: every kind of block, with stable ids."""
    if coalition_call:
        partnership = [
            _question(
                "partners",
                "q-partners",
                "Membres de la coalition",
                help_text="La structure cheffe de file, puis chaque partenaire et son rôle.",
                min_rows=2,
                max_rows=12,
            ),
        ]
    else:
        partnership = [
            _question(
                "yes_no",
                "q-coalition",
                "Projet porté en coalition ?",
                help_text="Répondez oui si plusieurs organisations portent ensemble le projet.",
            ),
            _question(
                "partners",
                "q-partners",
                "Partenaires de la coalition",
                help_text="Pour chaque partenaire : son nom, sa nature, son SIRET s'il en a un "
                "et son rôle dans le projet.",
                show_if=("q-coalition", "yes"),
                min_rows=1,
                max_rows=10,
            ),
        ]
    return [
        _section("s-project", "Votre projet", "Présentez le projet en quelques mots simples."),
        _question("short_text", "q-project-name", "Nom du projet", max_length=120),
        _question(
            "long_text",
            "q-summary",
            "Résumé du projet",
            help_text="Ce résumé sera lu en premier par le jury.",
            limit_unit="words",
            limit=120,
        ),
        _question(
            "long_text",
            "q-social-need",
            "À quel besoin social le projet répond-il ?",
            help_text="Décrivez le besoin, les personnes concernées et la façon dont vous l'avez "
            "identifié.",
            limit_unit="words",
            limit=400,
        ),
        _question("single_choice", "q-stage", "Où en est le projet ?", choices=_choices(STAGES)),
        _question(
            "long_text",
            "q-scaling-plan",
            "Comment envisagez-vous le changement d'échelle ?",
            help_text="Nouveaux territoires, essaimage, partenariats, modèle de duplication.",
            show_if=("q-stage", SCALING_STAGE),
            limit_unit="words",
            limit=300,
        ),
        _question(
            "multiple_choice",
            "q-publics",
            "Publics bénéficiaires",
            help_text="Trois réponses au plus.",
            choices=_choices(PUBLICS),
            max_selected=3,
        ),
        _question(
            "number",
            "q-beneficiaries",
            "Nombre de personnes bénéficiaires visées la première année",
            min_value="1",
            max_value="100000",
            integer_only=True,
        ),
        _section("s-territory", "Ancrage territorial et partenariats"),
        _question(
            "single_choice", "q-territory", "Échelle d'action", choices=_choices(TERRITORIES)
        ),
        *partnership,
        _question(
            "long_text",
            "q-local-anchoring",
            "Avec qui travaillez-vous déjà sur le territoire ?",
            help_text="Collectivités, associations, entreprises, habitants.",
            limit_unit="characters",
            limit=1500,
        ),
        _section(
            "s-economy", "Modèle économique", "Les montants sont en euros, toutes taxes comprises."
        ),
        _question(
            "money",
            "q-budget-total",
            "Budget prévisionnel du projet sur dix-huit mois",
            min_value="5000",
            max_value="2000000",
        ),
        _question(
            "money",
            "q-amount-requested",
            "Financement d'amorçage sollicité",
            help_text="30 000 € au plus.",
            min_value="1000",
            max_value="30000",
        ),
        _question("date", "q-start-date", "Date de démarrage envisagée"),
        _question(
            "long_text",
            "q-revenue-model",
            "Modèle économique",
            help_text="Ventes, subventions, mécénat, contributions des usagers : comment le "
            "projet tiendra-t-il dans la durée ?",
            limit_unit="words",
            limit=300,
        ),
        _question("yes_no", "q-esus", "La structure détient-elle l'agrément ESUS ?"),
        _section("s-team", "Équipe et pièces jointes"),
        _question(
            "long_text",
            "q-team",
            "Présentez l'équipe qui porte le projet",
            limit_unit="characters",
            limit=1500,
        ),
        _question(
            "number",
            "q-fte",
            "Équivalents temps plein consacrés au projet",
            min_value="0",
            max_value="50",
            integer_only=False,
        ),
        _question(
            "file",
            "q-budget-file",
            "Budget prévisionnel détaillé",
            help_text="PDF ou tableur.",
            required=False,
            max_files=1,
            accepted_types=["pdf", "spreadsheets"],
            max_size_mb=5,
        ),
        _question(
            "file",
            "q-other-files",
            "Autres pièces utiles",
            help_text="Statuts, dernier rapport d'activité, lettres de soutien.",
            required=False,
            max_files=5,
        ),
    ]


# (title, description, weight, allows "not applicable")
EVALUATION_CRITERIA = [
    (
        "Utilité sociale",
        "Le projet répond à un besoin social avéré et mesurable du territoire.",
        Decimal("3"),
        False,
    ),
    (
        "Ancrage territorial",
        "Le projet s'appuie sur les acteurs locaux et associe les personnes concernées.",
        Decimal("2"),
        False,
    ),
    (
        "Viabilité économique",
        "Le modèle économique est crédible et diversifié au terme de l'accompagnement.",
        Decimal("2"),
        False,
    ),
    (
        "Capacité de l'équipe",
        "L'équipe a les compétences et le temps nécessaires pour mener le projet.",
        Decimal("2"),
        False,
    ),
    (
        "Potentiel de changement d'échelle",
        "Le projet peut essaimer ou grandir ; « sans objet » pour un projet au stade de l'idée.",
        Decimal("1"),
        True,
    ),
]


def _paris(day, hour):
    return datetime.combine(day, time(hour, 0), tzinfo=PARIS)


def _step(step_id, label, day, description=""):
    return {
        "type": "step",
        "value": {"label": label, "date": day.isoformat(), "description": description},
        "id": step_id,
    }


def _timeline(closes_at):
    closing = closes_at.astimezone(PARIS).date()
    # The call page shows its opening and closing moments itself; these are the steps after.
    return [
        _step(
            "t-eligibility",
            "Instruction de l'éligibilité",
            closing + timedelta(days=14),
            "L'équipe du programme vérifie chaque dossier et peut demander des compléments.",
        ),
        _step(
            "t-jury",
            "Comité de sélection",
            closing + timedelta(days=45),
            "Les dossiers présélectionnés sont auditionnés par le jury.",
        ),
        _step("t-results", "Annonce des lauréats", closing + timedelta(days=55)),
        _step(
            "t-start",
            "Démarrage de l'accompagnement",
            closing + timedelta(days=75),
            "Séminaire de lancement de la promotion à Orléans.",
        ),
    ]


@dataclass
class CallPlan:
    key: str
    slug: str
    title: str
    kind: str
    summary: str
    description: str
    opens_at: datetime
    closes_at: datetime
    form: list
    timeline: list
    eligible_legal_forms: list
    min_age_years: int | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    criteria: list = field(default_factory=lambda: list(EVALUATION_CRITERIA))
    exclude_same_department: bool = False


def call_plans(today):
    """The three calls, dated from `today` (a date in Paris): open, upcoming and closed."""
    open_closes = _paris(today + timedelta(days=30), 12)
    open_opens = _paris(today - timedelta(days=21), 9)
    upcoming_opens = _paris(today + timedelta(days=20), 9)
    upcoming_closes = _paris(today + timedelta(days=80), 12)
    closed_closes = _paris(today - timedelta(days=60), 12)
    closed_opens = _paris(today - timedelta(days=150), 9)
    return [
        CallPlan(
            key="open",
            slug="innovations-sociales",
            title=f"Appel à projets Innovations sociales {open_closes.year}",
            kind="structures",
            summary=(
                "Vous portez une innovation sociale en Centre-Val de Loire ? L'accélérateur "
                "accompagne pendant dix-huit mois une quinzaine de structures de l'ESS : parcours "
                "collectif, expertise, financement d'amorçage jusqu'à 30 000 € et mise en réseau "
                "avec les acteurs du territoire."
            ),
            description=(
                "<p>L'appel s'adresse aux associations, coopératives (SCOP, SCIC), mutuelles, "
                "fondations et entreprises agréées ESUS des six départements de la région qui "
                "portent une réponse nouvelle à un besoin social de leur territoire.</p>"
                "<h2>Ce que propose l'accélérateur</h2>"
                "<ul><li>un parcours collectif de dix-huit mois avec la promotion ;</li>"
                "<li>un accompagnement individuel par un chargé de programme et le point "
                "d'appui de votre département ;</li>"
                "<li>un financement d'amorçage de 10 000 à 30 000 € ;</li>"
                "<li>une préparation à la levée de fonds et à la mesure d'impact.</li></ul>"
                "<h2>Comment candidater ?</h2>"
                "<p>Créez un compte, enregistrez votre structure et invitez vos collègues : vous "
                "pouvez rédiger le dossier à plusieurs. Le brouillon est enregistré au fil de "
                "l'eau. Le dépôt est possible jusqu'à la date de clôture, à midi.</p>"
            ),
            opens_at=open_opens,
            closes_at=open_closes,
            form=application_form(),
            timeline=_timeline(open_closes),
            eligible_legal_forms=list(ESS_LEGAL_FORMS),
            min_age_years=1,
            budget_min=Decimal("10000"),
            budget_max=Decimal("3000000"),
        ),
        CallPlan(
            key="upcoming",
            slug="coalitions-territoriales",
            title=f"Appel à coalitions territoriales {upcoming_closes.year}",
            kind="coalitions",
            summary=(
                "Associations, coopératives, collectivités, entreprises et universités : "
                "construisez ensemble une réponse à un besoin social de votre bassin de vie. "
                "L'appel soutient des coalitions d'au moins trois acteurs autour d'une structure "
                "cheffe de file de l'ESS."
            ),
            description=(
                "<h2>Une réponse collective</h2>"
                "<p>Cet appel finance des coalitions territoriales : une structure de l'ESS "
                "cheffe de file et ses partenaires s'engagent ensemble sur un besoin social "
                "partagé (mobilité, alimentation, santé, logement, emploi).</p>"
                "<h2>Calendrier</h2>"
                "<p>Les candidatures ouvrent bientôt. Les points d'appui départementaux "
                "organisent des réunions d'information pour préparer votre coalition.</p>"
            ),
            opens_at=upcoming_opens,
            closes_at=upcoming_closes,
            form=application_form(coalition_call=True),
            timeline=_timeline(upcoming_closes),
            eligible_legal_forms=list(ESS_LEGAL_FORMS),
            min_age_years=None,
            budget_min=None,
            budget_max=None,
        ),
        CallPlan(
            key="closed",
            slug="acceleration",
            title=f"Appel à projets Accélération {closed_closes.year}",
            kind="structures",
            summary=(
                "L'appel de la promotion précédente : quinze structures accompagnées pour changer "
                "d'échelle, avec un financement d'amorçage et un accompagnement à la levée de "
                "fonds. Les candidatures sont closes ; le jury a rendu ses décisions."
            ),
            description=(
                "<h2>Un appel clos</h2>"
                "<p>Cet appel est clos. Les structures retenues ont commencé leur parcours "
                "d'accompagnement ; les lauréats sont présentés sur le site du programme.</p>"
                "<p>Les critères et la grille d'évaluation restent consultables ci-dessous.</p>"
            ),
            opens_at=closed_opens,
            closes_at=closed_closes,
            form=application_form(),
            timeline=_timeline(closed_closes),
            eligible_legal_forms=list(ESS_LEGAL_FORMS),
            min_age_years=2,
            budget_min=Decimal("20000"),
            budget_max=Decimal("3000000"),
            # The jury of this call never reviews a dossier from its own département.
            exclude_same_department=True,
        ),
    ]


# --- structures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StructureSeed:
    name: str
    legal_form: str
    department: str
    city: str
    postcode: str
    activity: str
    project: str
    idea: str
    need: str


def _s(*args):
    return StructureSeed(*args)


STRUCTURE_SEEDS = [
    # Cher
    _s(
        "La Recyclerie du Berry",
        "association",
        "18",
        "Bourges",
        "18000",
        "Collecte, répare et revend des objets du quotidien ; chantier d'insertion de quatorze "
        "salariés.",
        "Recyclerie mobile des villages",
        "un camion-atelier qui collecte, répare et revend des objets dans les communes rurales "
        "éloignées des déchetteries",
        "Dans le sud du Cher, beaucoup d'habitants vivent à plus de vingt kilomètres d'une "
        "déchetterie et les objets réparables finissent enfouis.",
    ),
    _s(
        "Vierzon Solidaire Mobilité",
        "association",
        "18",
        "Vierzon",
        "18100",
        "Garage solidaire et location de voitures et de scooters à petit prix pour les personnes "
        "en insertion.",
        "Mobilité vers l'emploi",
        "une plateforme de mobilité qui combine location de véhicules à 2 € par jour, auto-école "
        "sociale et covoiturage vers les zones d'activité",
        "Sans permis ni véhicule, de nombreux demandeurs d'emploi du bassin de Vierzon renoncent "
        "à des offres situées à moins de trente kilomètres.",
    ),
    _s(
        "SCOP Bois et Bocage du Cher",
        "scop",
        "18",
        "Saint-Amand-Montrond",
        "18200",
        "Entretien des haies bocagères et production de bois-énergie en circuit court.",
        "Filière bois bocager local",
        "une filière qui transforme l'entretien des haies en plaquettes de chauffage pour les "
        "écoles et les mairies du territoire",
        "Les haies du Boischaut disparaissent faute d'entretien rentable, alors que les communes "
        "achètent leur combustible loin du territoire.",
    ),
    _s(
        "Le Panier Berrichon",
        "association",
        "18",
        "Aubigny-sur-Nère",
        "18700",
        "Épicerie solidaire ouverte aux familles orientées par les services sociaux.",
        "Épicerie solidaire itinérante",
        "une épicerie solidaire itinérante qui dessert chaque semaine douze villages du Pays "
        "Fort et de la Sologne",
        "Les familles modestes des villages n'ont ni commerce de proximité ni aide alimentaire "
        "accessible sans voiture.",
    ),
    _s(
        "SCIC Énergies Citoyennes du Sancerrois",
        "scic",
        "18",
        "Sancerre",
        "18300",
        "Centrales photovoltaïques citoyennes sur les toits publics, trois cent vingt sociétaires.",
        "Toits solaires partagés",
        "des centrales solaires sur les bâtiments publics dont une part de l'électricité est "
        "offerte aux ménages en précarité énergétique",
        "Un ménage sur cinq du Sancerrois consacre plus de 8 % de ses revenus à l'énergie.",
    ),
    _s(
        "Mutuelle des Solidaires du Cher",
        "mutual",
        "18",
        "Bourges",
        "18000",
        "Mutuelle de santé de proximité, neuf mille adhérents.",
        "Santé des aidants",
        "un programme de prévention et de répit pour les proches aidants, avec des ateliers et "
        "des relais dans les maisons de santé",
        "Des milliers d'aidants du Cher s'occupent d'un proche sans soutien et voient leur "
        "propre santé se dégrader.",
    ),
    _s(
        "Les Jardins d'insertion de l'Yèvre",
        "association",
        "18",
        "Mehun-sur-Yèvre",
        "18500",
        "Maraîchage biologique en chantier d'insertion et paniers hebdomadaires.",
        "Légumerie solidaire",
        "une légumerie qui prépare les légumes des maraîchers locaux pour la restauration "
        "collective et crée dix emplois en insertion",
        "Les cantines du territoire peinent à servir des produits locaux faute d'outil de "
        "transformation.",
    ),
    # Eure-et-Loir
    _s(
        "Coopérative Beauce Circuits Courts",
        "cooperative",
        "28",
        "Chartres",
        "28000",
        "Coopérative de producteurs qui livre épiceries et cantines en produits beaucerons.",
        "Plateforme logistique paysanne",
        "une plateforme logistique mutualisée qui regroupe les commandes de quarante fermes vers "
        "les cantines et les épiceries",
        "Les petits producteurs de Beauce n'accèdent pas à la restauration collective, faute de "
        "logistique partagée.",
    ),
    _s(
        "Atelier Vélo Chartrain",
        "association",
        "28",
        "Chartres",
        "28000",
        "Atelier participatif de réparation de vélos et vélo-école.",
        "Vélo-école des quartiers",
        "une vélo-école et un atelier mobile dans les quartiers prioritaires de l'agglomération "
        "chartraine",
        "Dans les quartiers de l'agglomération, beaucoup d'habitantes ne savent pas faire du vélo "
        "et dépendent de lignes de bus peu fréquentes.",
    ),
    _s(
        "Dreux Emploi Partagé",
        "other",
        "28",
        "Dreux",
        "28100",
        "Groupement d'employeurs qui partage des salariés entre associations et petites "
        "entreprises.",
        "Emplois partagés du Drouais",
        "des postes à temps plein partagés entre plusieurs petites associations qui ne peuvent "
        "recruter seules",
        "Les petites associations du Drouais n'offrent que des temps partiels, que les candidats "
        "refusent.",
    ),
    _s(
        "La Fabrique du Perche",
        "scic",
        "28",
        "Nogent-le-Rotrou",
        "28400",
        "Tiers-lieu coopératif : atelier de fabrication, espace de travail partagé et café "
        "associatif.",
        "Fabrique numérique rurale",
        "un atelier de fabrication numérique qui forme des jeunes sortis de l'école sans diplôme",
        "Dans le Perche, les jeunes sortis du système scolaire sans diplôme ont peu de lieux pour "
        "reprendre pied.",
    ),
    _s(
        "Fondation Terres de Beauce",
        "foundation",
        "28",
        "Châteaudun",
        "28200",
        "Fondation qui abrite des projets d'inclusion en milieu rural.",
        "Maisons des familles rurales",
        "des lieux d'accueil pour les familles isolées, animés avec les centres sociaux du Dunois",
        "L'isolement des familles monoparentales rurales s'aggrave avec la fermeture des services "
        "publics.",
    ),
    _s(
        "Repair Café Lucéen",
        "association",
        "28",
        "Lucé",
        "28110",
        "Rencontres mensuelles de réparation bénévole d'objets.",
        "Atelier de réparation permanent",
        "un lieu de réparation ouvert toute la semaine avec deux réparateurs salariés et des "
        "bénévoles",
        "Les habitants jettent des appareils réparables faute de lieu ouvert plus d'une fois par "
        "mois.",
    ),
    _s(
        "Net'Éthic Services",
        "esus_company",
        "28",
        "Vernouillet",
        "28500",
        "Entreprise de nettoyage aux produits écologiques, dont six salariés sur dix en insertion.",
        "Propreté verte en insertion",
        "un pôle de nettoyage écologique des bâtiments publics qui recrute des femmes éloignées "
        "de l'emploi",
        "Le nettoyage des bâtiments publics reste une source d'emploi précaire pour les femmes "
        "du territoire.",
    ),
    # Indre
    _s(
        "La Brenne Réemploi",
        "association",
        "36",
        "Le Blanc",
        "36300",
        "Ressourcerie du Parc naturel régional de la Brenne.",
        "Réemploi des matériaux du bâtiment",
        "une matériauthèque qui récupère les matériaux de chantier et les revend à petit prix "
        "aux particuliers",
        "Les déchets du bâtiment représentent la moitié des tonnages collectés en Brenne, pour "
        "une large part réutilisables.",
    ),
    _s(
        "SCOP Les Tisserands de La Châtre",
        "scop",
        "36",
        "La Châtre",
        "36400",
        "Atelier textile qui relance le tissage du lin berrichon.",
        "Lin berrichon relocalisé",
        "une filière du lin, du champ au vêtement, avec la formation de douze tisserands",
        "Le savoir-faire textile du Boischaut disparaît alors que la demande de vêtements locaux "
        "augmente.",
    ),
    _s(
        "Cuisine Solidaire Castelroussine",
        "esus_company",
        "36",
        "Châteauroux",
        "36000",
        "Traiteur d'insertion qui cuisine des produits locaux pour les entreprises.",
        "Repas solidaires pour les zones d'activité",
        "un service de repas pour les salariés des petites entreprises sans restaurant, préparés "
        "par des personnes en insertion",
        "Les salariés des zones d'activité mangent mal et les cuisines d'insertion manquent de "
        "débouchés stables.",
    ),
    _s(
        "Mobil'Indre",
        "association",
        "36",
        "Issoudun",
        "36100",
        "Transport solidaire assuré par des chauffeurs bénévoles.",
        "Transport solidaire rural",
        "un réseau de chauffeurs bénévoles qui conduisent les personnes âgées à leurs "
        "rendez-vous médicaux",
        "Les personnes âgées sans voiture renoncent à des soins faute de transport.",
    ),
    _s(
        "Coopérative Bio du Boischaut",
        "cooperative",
        "36",
        "Argenton-sur-Creuse",
        "36200",
        "Coopérative de consommateurs et magasin de produits biologiques locaux.",
        "Magasin coopératif itinérant",
        "un magasin coopératif itinérant à prix solidaires pour les bourgs sans commerce",
        "Treize bourgs du sud de l'Indre n'ont plus aucun commerce alimentaire.",
    ),
    _s(
        "Habitat Partagé Berry Sud",
        "scic",
        "36",
        "Déols",
        "36130",
        "Habitat inclusif pour personnes âgées et personnes en situation de handicap.",
        "Colocations inclusives",
        "des colocations accompagnées pour personnes handicapées vieillissantes, au cœur des "
        "bourgs",
        "Les personnes handicapées vieillissantes n'ont souvent d'autre choix qu'un établissement "
        "éloigné de leur village.",
    ),
    _s(
        "Fondation Val de l'Indre Jeunesse",
        "foundation",
        "36",
        "Châteauroux",
        "36000",
        "Soutien aux projets des jeunes de 16 à 25 ans.",
        "Bourses d'initiatives jeunes",
        "un fonds et un accompagnement pour les projets collectifs de jeunes ruraux",
        "Les jeunes ruraux de l'Indre quittent le département faute de perspectives et de "
        "soutien à leurs projets.",
    ),
    # Indre-et-Loire
    _s(
        "Coopérative Terres de Loire",
        "cooperative",
        "37",
        "Tours",
        "37000",
        "Coopérative de maraîchers et d'éleveurs du val de Loire.",
        "Paniers solidaires du val",
        "des paniers de produits frais à prix modulés selon les revenus, distribués dans les "
        "quartiers de Tours",
        "Un quart des habitants des quartiers nord de Tours déclarent ne pas manger de fruits et "
        "légumes frais chaque jour.",
    ),
    _s(
        "La Conciergerie Solidaire de Touraine",
        "esus_company",
        "37",
        "Tours",
        "37000",
        "Conciergerie d'entreprise qui emploie des personnes en reconversion.",
        "Conciergeries de zones d'activité",
        "des conciergeries mutualisées dans les zones d'activité, tenues par des personnes en "
        "parcours d'insertion",
        "Les parcours d'insertion manquent de postes au contact du public et des entreprises.",
    ),
    _s(
        "SCOP Imprimerie Coopérative Tourangelle",
        "scop",
        "37",
        "Joué-lès-Tours",
        "37300",
        "Imprimerie reprise par ses salariés, engagée dans l'impression éco-responsable.",
        "Impression éco-conçue",
        "une offre d'impression éco-conçue pour les associations et les collectivités, sur "
        "papier recyclé local",
        "Les associations impriment loin et cher, sans maîtrise de l'impact environnemental.",
    ),
    _s(
        "La Cantine Partagée du Chinonais",
        "association",
        "37",
        "Chinon",
        "37500",
        "Cantine participative ouverte à tous, repas à prix libre.",
        "Cantine de village",
        "une cantine participative où habitants et bénévoles cuisinent ensemble les invendus des "
        "producteurs",
        "Les personnes seules du Chinonais, notamment âgées, prennent la plupart de leurs repas "
        "sans compagnie.",
    ),
    _s(
        "Amboise Numérique Inclusif",
        "association",
        "37",
        "Amboise",
        "37400",
        "Médiation numérique et ateliers d'accès aux droits.",
        "Permanences numériques itinérantes",
        "des permanences numériques itinérantes dans les mairies pour aider aux démarches en ligne",
        "Un habitant sur cinq du territoire ne parvient pas à faire seul ses démarches "
        "administratives en ligne.",
    ),
    _s(
        "Mutuelle Touraine Entraide",
        "mutual",
        "37",
        "Saint-Pierre-des-Corps",
        "37700",
        "Mutuelle interprofessionnelle engagée dans la prévention.",
        "Santé des travailleurs saisonniers",
        "des bilans de santé et une complémentaire à tarif solidaire pour les travailleurs "
        "saisonniers",
        "Les saisonniers agricoles ont rarement une complémentaire santé et renoncent aux soins.",
    ),
    _s(
        "SCIC Loches Énergie Partagée",
        "scic",
        "37",
        "Loches",
        "37600",
        "Rénovation énergétique accompagnée des logements anciens.",
        "Rénovation accompagnée des passoires thermiques",
        "un accompagnement de bout en bout pour les propriétaires modestes, des devis aux travaux",
        "Dans le Lochois, près d'un logement sur trois est une passoire thermique occupée par un "
        "ménage modeste.",
    ),
    # Loir-et-Cher
    _s(
        "Sologne Insertion Forêt",
        "association",
        "41",
        "Romorantin-Lanthenay",
        "41200",
        "Chantier d'insertion en entretien d'espaces naturels.",
        "Forêt et emploi",
        "une formation qualifiante aux métiers de la forêt pour les personnes en insertion, avec "
        "les propriétaires forestiers",
        "Les exploitants forestiers de Sologne ne trouvent pas de main-d'œuvre formée alors que "
        "le chômage de longue durée reste élevé.",
    ),
    _s(
        "Blois Solidarités Alimentaires",
        "association",
        "41",
        "Blois",
        "41000",
        "Collecte et redistribution de denrées avec quatre-vingts bénévoles.",
        "Cuisine-école de l'aide alimentaire",
        "une cuisine-école qui transforme les invendus et forme des personnes aidées aux métiers "
        "de la restauration",
        "L'aide alimentaire distribue des produits bruts que beaucoup de familles n'ont ni le "
        "temps ni l'équipement de cuisiner.",
    ),
    _s(
        "SCOP Menuiserie Coopérative Vendômoise",
        "scop",
        "41",
        "Vendôme",
        "41100",
        "Menuiserie d'agencement, dix-huit associés salariés.",
        "Mobilier de réemploi",
        "une ligne de mobilier fabriqué en bois de réemploi pour les écoles et les crèches",
        "Les collectivités renouvellent leur mobilier avec des produits importés et jettent "
        "l'ancien.",
    ),
    _s(
        "La Ferme Partagée du Loir",
        "scic",
        "41",
        "Montoire-sur-le-Loir",
        "41800",
        "Ferme collective qui accueille des paysans à l'essai.",
        "Espace-test agricole",
        "un espace-test agricole qui permet à de futurs paysans de s'installer progressivement",
        "Une grande part des agriculteurs du Vendômois partiront à la retraite d'ici dix ans sans "
        "repreneur.",
    ),
    _s(
        "Livres en Partage",
        "esus_company",
        "41",
        "Mer",
        "41500",
        "Collecte et revente de livres d'occasion, emplois en insertion.",
        "Bibliothèques solidaires",
        "des boîtes à livres et des ventes solidaires dans les écoles, financées par la revente "
        "en ligne",
        "Les enfants des familles modestes ont peu de livres à la maison.",
    ),
    _s(
        "Fondation Sologne Avenir",
        "foundation",
        "41",
        "Salbris",
        "41300",
        "Fondation territoriale qui finance l'innovation sociale en Sologne.",
        "Fonds territorial solognot",
        "un fonds territorial qui mobilise les entreprises locales pour les projets d'utilité "
        "sociale",
        "Les entreprises de Sologne veulent soutenir le territoire mais ne savent pas quels "
        "projets financer.",
    ),
    _s(
        "Coopérative d'Activités et d'Emploi Blésoise",
        "cooperative",
        "41",
        "Blois",
        "41000",
        "Coopérative d'activités et d'emploi : quatre-vingt-dix entrepreneurs salariés.",
        "Entreprendre en coopérative",
        "un parcours pour tester une activité comme entrepreneure salariée, destiné aux femmes "
        "des quartiers",
        "Les créatrices d'entreprise des quartiers prioritaires abandonnent souvent faute de "
        "cadre sécurisant.",
    ),
    # Loiret
    _s(
        "Le Hangar Commun",
        "association",
        "45",
        "Orléans",
        "45000",
        "Tiers-lieu associatif : ateliers partagés, café et résidences d'artisans.",
        "Ateliers partagés du Hangar",
        "des ateliers partagés et une matériauthèque ouverts aux artisans débutants et aux "
        "habitants",
        "Les jeunes artisans d'Orléans ne trouvent pas de locaux abordables pour démarrer leur "
        "activité.",
    ),
    _s(
        "SCIC Loire Mobilités Douces",
        "scic",
        "45",
        "Orléans",
        "45000",
        "Location longue durée de vélos à assistance électrique.",
        "Vélos-cargos partagés",
        "un réseau de vélos-cargos partagés pour les commerçants et les familles",
        "Les livraisons et les trajets des familles saturent le centre d'Orléans aux heures de "
        "pointe.",
    ),
    _s(
        "Gâtinais Éco-Construction",
        "scop",
        "45",
        "Montargis",
        "45200",
        "Construction et rénovation en matériaux biosourcés.",
        "Chanvre du Gâtinais",
        "une filière de construction en chanvre local avec les agriculteurs du Gâtinais",
        "Le bâtiment est le premier émetteur de carbone du territoire alors que le chanvre est "
        "cultivé à vingt kilomètres.",
    ),
    _s(
        "La Table Ouverte de Gien",
        "association",
        "45",
        "Gien",
        "45500",
        "Restaurant associatif et ateliers de cuisine pour tous.",
        "Restaurant d'insertion",
        "un restaurant d'insertion qui forme aux métiers de la salle et de la cuisine",
        "Les restaurants du Giennois peinent à recruter alors que les jeunes sans qualification "
        "sont nombreux.",
    ),
    _s(
        "Pithiviers Emploi Services",
        "esus_company",
        "45",
        "Pithiviers",
        "45300",
        "Services à la personne assurés par des salariés en insertion.",
        "Garde de nuit à domicile",
        "un service de garde de nuit à domicile pour les personnes âgées dépendantes",
        "Faute de garde de nuit, des personnes âgées dépendantes entrent en établissement plus "
        "tôt qu'elles ne le souhaitent.",
    ),
    _s(
        "Mutuelle Loiret Prévoyance Solidaire",
        "mutual",
        "45",
        "Fleury-les-Aubrais",
        "45400",
        "Mutuelle de prévoyance des salariés de l'économie sociale et solidaire.",
        "Prévention de l'épuisement associatif",
        "un programme de prévention de l'épuisement pour les salariés et bénévoles des petites "
        "associations",
        "L'épuisement des salariés et des bénévoles fragilise les petites associations du Loiret.",
    ),
    _s(
        "Les Ateliers du Réemploi Abraysien",
        "other",
        "45",
        "Saint-Jean-de-Braye",
        "45800",
        "Démontage et reconditionnement d'appareils électroménagers.",
        "Électroménager reconditionné",
        "un atelier de reconditionnement d'électroménager vendu avec garantie aux familles "
        "modestes",
        "Les familles modestes achètent leur électroménager neuf à crédit faute d'offre "
        "d'occasion fiable.",
    ),
]

APPLICANT_STRUCTURE = "Le Hangar Commun"

STREETS = [
    "rue de la République",
    "avenue de la Libération",
    "rue Victor-Hugo",
    "place du Marché",
    "rue des Tanneurs",
    "rue du Commerce",
    "boulevard Jean-Jaurès",
    "rue de la Gare",
    "chemin des Vignes",
    "rue des Écoles",
    "allée des Tilleuls",
    "rue Jeanne-d'Arc",
]

FIRST_NAMES = [
    "Camille",
    "Julien",
    "Sophie",
    "Nicolas",
    "Léa",
    "Thomas",
    "Manon",
    "Antoine",
    "Chloé",
    "Mathieu",
    "Inès",
    "Hugo",
    "Élise",
    "Karim",
    "Aurélie",
    "Yannick",
    "Fatou",
    "Pierre",
    "Margaux",
    "Samir",
    "Anne",
    "Benoît",
    "Claire",
    "Lucas",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Roux",
    "Fournier",
    "Girard",
    "Bonnet",
    "Mercier",
    "Blanc",
    "Guérin",
    "Chevalier",
    "Renaud",
    "Perrin",
    "Benali",
    "Diallo",
]

# Budgets in euros by legal form: (lowest, highest).
BUDGET_RANGES = {
    "association": (40_000, 900_000),
    "scop": (250_000, 2_400_000),
    "scic": (150_000, 1_500_000),
    "cooperative": (300_000, 2_800_000),
    "mutual": (900_000, 2_900_000),
    "foundation": (200_000, 2_000_000),
    "esus_company": (150_000, 1_800_000),
    "other": (100_000, 1_000_000),
}


def ascii_slug(text, separator="-"):
    """'La Recyclerie du Berry' -> 'la-recyclerie-du-berry' (also for e-mail addresses)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.lower()).split()
    return separator.join(words)


def siren_from_base(base):
    """A valid SIREN from 8 digits: the ninth is the Luhn check digit."""
    return base + luhn.calc_check_digit(base)


def siret_from_siren(siren, establishment="0001"):
    """The SIRET of one establishment of `siren`: NIC of four digits plus a Luhn check digit."""
    body = siren + establishment
    return body + luhn.calc_check_digit(body)


@dataclass
class PersonPlan:
    email: str
    first_name: str
    last_name: str
    role: str = ""
    organisation: str = ""


@dataclass
class StructurePlan:
    seed: StructureSeed
    siret: str
    rna: str
    esus_approved_on: date | None
    address: str
    creation_year: int
    annual_budget: Decimal
    employees: int
    website: str
    owner: PersonPlan

    @property
    def name(self):
        return self.seed.name


def _person(rng, domain):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{ascii_slug(first, '')}.{ascii_slug(last, '')}@{domain}"
    return PersonPlan(email=email, first_name=first, last_name=last)


def structure_plans(rng, today):
    plans, sirens = [], set()
    for seed in STRUCTURE_SEEDS:
        # Associations often have a SIREN starting with 7 or 8; any 8 digits do for the demo.
        while True:
            siren = siren_from_base(f"{rng.randint(30_000_000, 89_999_999):08d}")
            if siren not in sirens:
                sirens.add(siren)
                break
        siret = siret_from_siren(siren, f"{rng.choice([1, 1, 1, 2, 3, 12]):04d}")
        creation_year = rng.randint(1984, today.year - 3)
        low, high = BUDGET_RANGES[seed.legal_form]
        budget = Decimal(rng.randrange(low, high, 500)).quantize(Decimal("0.01"))
        employees = max(0, int(budget / 48_000) + rng.randint(-2, 3))
        esus = seed.legal_form == "esus_company" or (
            seed.legal_form in ("association", "scop", "scic") and rng.random() < 0.35
        )
        esus_on = None
        if esus:
            year = rng.randint(max(creation_year + 1, 2015), today.year - 1)
            esus_on = date(year, rng.randint(1, 12), rng.randint(1, 28))
        rna = (
            f"W{seed.department}{rng.randint(1_000_000, 9_999_999):07d}"
            if seed.legal_form == "association"
            else ""
        )
        slug = ascii_slug(seed.name)
        owner = _person(rng, f"{slug}.example.org")
        if seed.name == APPLICANT_STRUCTURE:
            owner = APPLICANT
        plans.append(
            StructurePlan(
                seed=seed,
                siret=siret,
                rna=rna,
                esus_approved_on=esus_on,
                address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                creation_year=creation_year,
                annual_budget=budget,
                employees=employees,
                website=f"https://{slug}.example.org",
                owner=owner,
            )
        )
    return plans


# --- people ----------------------------------------------------------------------------------

APPLICANT = PersonPlan("applicant@essor.demo", "Camille", "Lefèvre", "owner")
COLLEAGUE = PersonPlan("colleague@essor.demo", "Julien", "Moreau", "editor")
VIEWER = PersonPlan("viewer@essor.demo", "Sophie", "Garnier", "viewer")
# An editor of a structure the programme accompanies: the journey seen from the structure's side.
ACCOMPANIED = PersonPlan("accompanied@essor.demo", "Inès", "Roussel", "editor")
ACCOMPANIED_STRUCTURE = "SCOP Les Tisserands de La Châtre"
STAFF = PersonPlan(
    "staff@essor.demo", "Claire", "Fontaine", organisation="Accélérateur ESS Centre-Val de Loire"
)
ADMIN = PersonPlan("admin@essor.demo", "Alex", "Administrateur", organisation="Essor")
JURORS = [
    PersonPlan("juror@essor.demo", "Hélène", "Marchand", organisation="Banque des Territoires"),
    PersonPlan("juror2@essor.demo", "François", "Lemaire", organisation="Université de Tours"),
    PersonPlan("juror3@essor.demo", "Nadia", "Benhamou", organisation="France Active Centre"),
    PersonPlan("juror4@essor.demo", "Olivier", "Caron", organisation="Région Centre-Val de Loire"),
    PersonPlan("juror5@essor.demo", "Isabelle", "Vasseur", organisation="Fondation de France"),
    PersonPlan("juror6@essor.demo", "Marc", "Delaunay", organisation="CRESS Centre-Val de Loire"),
]
SUPPORT_POINT_PEOPLE = {
    "18": ("point-appui-18@essor.demo", "Agnès", "Pelletier"),
    "28": ("point-appui-28@essor.demo", "Rémi", "Barbier"),
    "36": ("point-appui-36@essor.demo", "Sandrine", "Collin"),
    "37": ("point-appui-37@essor.demo", "Thierry", "Masson"),
    "41": ("point-appui-41@essor.demo", "Laure", "Hubert"),
    "45": ("point-appui@essor.demo", "Mehdi", "Aubert"),
}

STAFF_GROUP = "Programme staff"


def support_point_name(department_code):
    article = next(a for code, _name, a in DEPARTMENTS if code == department_code)
    return f"Point d'appui ESS {article}"


# --- dossiers --------------------------------------------------------------------------------

# The transitions that lead to each demo state, in order (names of Dossier's transitions).
REVIEW = ["submit", "mark_eligible", "start_review"]
PATHS = {
    "draft": [],
    "draft_partial": [],
    "submitted": ["submit"],
    "resubmitted": ["submit", "request_info", "submit"],
    "info_requested": ["submit", "request_info"],
    "eligible": ["submit", "mark_eligible"],
    "ineligible": ["submit", "mark_ineligible"],
    "under_review": REVIEW,
    "shortlisted": [*REVIEW, "shortlist"],
    "selected": [*REVIEW, "shortlist", "select"],
    "selected_from_waitlist": [*REVIEW, "shortlist", "waitlist", "select"],
    "waitlisted": [*REVIEW, "shortlist", "waitlist"],
    "rejected": [*REVIEW, "reject"],
    "rejected_after_shortlist": [*REVIEW, "shortlist", "reject"],
    "withdrawn_draft": ["withdraw"],
    "withdrawn": ["submit", "withdraw"],
}
# Transitions the structure makes; staff make the others.
APPLICANT_TRANSITIONS = {"submit", "withdraw"}
# The transition after which the jury is assigned and reviews, before any deliberation.
JURY_STEP = "start_review"

COMMENTS = {
    "request_info": (
        "Merci de préciser le montant des autres financements déjà obtenus et de joindre votre "
        "dernier rapport d'activité."
    ),
    "mark_eligible": "Dossier complet et conforme aux critères d'éligibilité de l'appel.",
    "mark_ineligible": "Le dossier ne remplit pas les critères d'éligibilité de l'appel.",
    "start_review": "Dossier transmis au jury.",
    "shortlist": "Retenu pour l'audition devant le comité de sélection.",
    "select": "Lauréat : le comité a salué la solidité du projet et son ancrage local.",
    "waitlist": "Placé en liste d'attente : le projet sera retenu si une place se libère.",
    "reject": (
        "Le comité a apprécié la démarche mais juge le modèle économique encore trop fragile "
        "pour cette promotion. Le point d'appui de votre département peut vous aider à préparer "
        "une nouvelle candidature."
    ),
    "withdraw": "Nous retirons notre candidature : le calendrier du projet a changé.",
}

# (call key, structure name, path[, comment of the last staff transition]), oldest call first so
# that references follow the order of the dossiers; the applicant's structure has a decision on
# the closed call and a draft on the open one. Structures whose legal
# form no call accepts ("other") have none: the eligibility pre-check keeps them out.
DOSSIER_PLAN = [
    ("closed", "Le Hangar Commun", "rejected"),
    ("closed", "Vierzon Solidaire Mobilité", "selected"),
    ("closed", "SCOP Les Tisserands de La Châtre", "selected"),
    ("closed", "Coopérative Beauce Circuits Courts", "selected"),
    ("closed", "Blois Solidarités Alimentaires", "selected_from_waitlist"),
    ("closed", "La Conciergerie Solidaire de Touraine", "waitlisted"),
    ("closed", "Fondation Terres de Beauce", "waitlisted"),
    ("closed", "Gâtinais Éco-Construction", "shortlisted"),
    ("closed", "Habitat Partagé Berry Sud", "under_review"),
    ("closed", "La Ferme Partagée du Loir", "under_review"),
    ("closed", "Cuisine Solidaire Castelroussine", "eligible"),
    (
        "closed",
        "Coopérative Bio du Boischaut",
        "ineligible",
        "La structure a déjà été accompagnée lors d'une promotion précédente : le règlement de "
        "l'appel ne permet pas un second accompagnement.",
    ),
    ("closed", "Pithiviers Emploi Services", "rejected_after_shortlist"),
    ("closed", "Mobil'Indre", "rejected"),
    ("closed", "La Table Ouverte de Gien", "withdrawn"),
    ("closed", "Livres en Partage", "draft"),
    ("open", "Le Hangar Commun", "draft_partial"),
    ("open", "La Recyclerie du Berry", "draft"),
    ("open", "Amboise Numérique Inclusif", "draft"),
    ("open", "Coopérative Terres de Loire", "submitted"),
    ("open", "SCIC Énergies Citoyennes du Sancerrois", "submitted"),
    ("open", "Mutuelle des Solidaires du Cher", "submitted"),
    ("open", "La Fabrique du Perche", "submitted"),
    ("open", "Atelier Vélo Chartrain", "resubmitted"),
    ("open", "La Brenne Réemploi", "info_requested"),
    ("open", "La Cantine Partagée du Chinonais", "info_requested"),
    ("open", "Sologne Insertion Forêt", "eligible"),
    ("open", "SCIC Loire Mobilités Douces", "eligible"),
    (
        "open",
        "Net'Éthic Services",
        "ineligible",
        "Le projet prolonge à l'identique une activité déjà financée : il ne présente pas le "
        "caractère d'innovation sociale demandé par l'appel.",
    ),
    ("open", "Repair Café Lucéen", "withdrawn_draft"),
]

PARTNER_POOL = [
    (
        "Mairie de {city}",
        "public_body",
        "Mise à disposition de locaux et relais auprès des habitants",
    ),
    ("Centre social de {city}", "association", "Orientation des publics et co-animation"),
    ("Communauté de communes du territoire", "public_body", "Cofinancement et appui logistique"),
    ("Université d'Orléans", "university", "Évaluation de l'impact social"),
    ("Radio Val de Loire", "media", "Communication locale"),
    ("Cabinet Conseil Solidaire", "expert", "Appui au modèle économique"),
    ("Mission locale du bassin de {city}", "public_body", "Repérage et orientation des jeunes"),
]


@dataclass
class DossierPlan:
    call_key: str
    structure: StructurePlan
    path: str
    answers: dict
    times: list  # [started_at, then one datetime per transition]
    with_budget_file: bool
    comment: str = ""  # for the last staff transition, instead of the usual one

    def comment_for(self, index):
        name = self.transitions[index]
        if self.comment and index == len(self.transitions) - 1:
            return self.comment
        return COMMENTS.get(name, "")

    @property
    def transitions(self):
        return PATHS[self.path]

    def time_of(self, name):
        """When the dossier's first transition `name` happened."""
        return self.times[1 + self.transitions.index(name)]

    @property
    def deliberation_index(self):
        """The index of the first transition after the jury's reviews (the shortlist or a
        decision), or None when the dossier has none: the loader stops the dossier there while
        the jury is assigned and reviews it."""
        if JURY_STEP not in self.transitions:
            return None
        index = self.transitions.index(JURY_STEP) + 1
        return index if index < len(self.transitions) else None

    @property
    def review_window(self):
        """(review started, deliberation started) of a dossier reviewed then deliberated on."""
        index = self.deliberation_index
        return self.time_of(JURY_STEP), self.times[1 + index]

    def audition_at(self, now):
        """When a shortlisted dossier is heard by the jury: between the shortlist and the
        decision, or in a few days while it waits for its audition."""
        index = self.transitions.index("shortlist")
        if index + 1 < len(self.transitions):
            shortlisted, decided = self.times[1 + index], self.times[2 + index]
            middle = shortlisted + (decided - shortlisted) / 2
            return _paris(middle.astimezone(PARIS).date(), 14)
        return _paris(now.astimezone(PARIS).date() + timedelta(days=6), 14)


def _words(text):
    return " ".join(text.split())


def dossier_answers(rng, structure, call, complete=True):
    """Plausible French answers keyed by the form's block ids; valid for every required question."""
    seed = structure.seed
    # Answers store the choices' keys; the texts read their labels.
    stage = rng.choice(list(STAGES))
    publics = rng.sample(list(PUBLICS)[:-1], rng.randint(1, 3))
    beneficiaries = rng.randrange(30, 1500, 10)
    coalition = rng.random() < 0.5
    budget = Decimal(rng.randrange(40_000, 400_000, 500))
    requested = Decimal(rng.randrange(10_000, 30_001, 500))
    start = call.closes_at.astimezone(PARIS).date() + timedelta(days=rng.randint(60, 150))
    fte = Decimal(rng.randrange(5, 60, 5)) / 10
    lead = f"{structure.owner.first_name} {structure.owner.last_name}"
    answers = {
        "q-project-name": seed.project,
        "q-summary": _words(
            f"{seed.project} : {seed.idea}. Le projet est porté par {seed.name} à {seed.city} et "
            f"s'adresse d'abord aux publics suivants : "
            f"{', '.join(PUBLICS[p].lower() for p in publics)}."
        ),
        "q-stage": stage,
        "q-publics": publics,
    }
    if not complete:
        return answers
    answers.update(
        {
            "q-social-need": _words(
                f"{seed.need} Nous l'avons constaté au quotidien dans notre activité : "
                f"{seed.activity[0].lower()}{seed.activity[1:]} Les partenaires sociaux du "
                f"territoire nous confirment une demande qui dépasse nos moyens actuels. "
                f"{rng.choice(NEED_ENDINGS)}"
            ),
            "q-beneficiaries": str(beneficiaries),
            "q-territory": rng.choice(list(TERRITORIES)),
            "q-coalition": "yes" if coalition else "no",
            "q-local-anchoring": _words(
                f"Nous travaillons depuis plusieurs années avec la mairie de {seed.city}, les "
                f"travailleurs sociaux du département et le point d'appui ESS. "
                f"{rng.choice(ANCHORING_ENDINGS)}"
            ),
            "q-budget-total": f"{budget:.2f}",
            "q-amount-requested": f"{requested:.2f}",
            "q-start-date": start.isoformat(),
            "q-revenue-model": _words(rng.choice(REVENUE_MODELS)),
            "q-esus": "yes" if structure.esus_approved_on else "no",
            "q-team": _words(
                f"Le projet est porté par {lead}, "
                f"{rng.choice(TEAM_ROLES)}, avec {rng.randint(2, 6)} salariés et une vingtaine de "
                f"bénévoles. {rng.choice(TEAM_ENDINGS)}"
            ),
            "q-fte": str(fte),
        }
    )
    if stage == SCALING_STAGE:
        answers["q-scaling-plan"] = _words(
            f"Après trois ans d'expérimentation à {seed.city}, nous voulons essaimer dans deux "
            "autres bassins de vie de la région, avec des structures partenaires qui reprendront "
            "la méthode sous licence libre et un outil de formation commun."
        )
    if coalition:
        rows = rng.sample(PARTNER_POOL, rng.randint(1, 3))
        answers["q-partners"] = [
            {"name": name.format(city=seed.city), "kind": kind, "siret": "", "role": role}
            for name, kind, role in rows
        ]
    return answers


NEED_ENDINGS = [
    "Aucune autre structure ne propose aujourd'hui de réponse comparable sur ce territoire.",
    "Les personnes concernées ont participé à la conception du projet lors de trois ateliers.",
    "Une étude menée avec le point d'appui départemental a confirmé ce besoin.",
    "Les listes d'attente de nos activités actuelles montrent l'ampleur de la demande.",
]
ANCHORING_ENDINGS = [
    "Le conseil départemental soutient déjà notre activité principale.",
    "Nous sommes membres du pôle territorial de coopération économique du bassin de vie.",
    "Les habitants siègent à notre conseil d'administration et à notre comité de projet.",
    "Trois entreprises locales se sont engagées par écrit à soutenir le projet.",
]
REVENUE_MODELS = [
    "Le projet combine des ventes de prestations (45 %), des subventions publiques de "
    "fonctionnement (35 %) et du mécénat d'entreprises locales (20 %). L'équilibre est visé "
    "au bout de trois ans, grâce à la montée en charge des ventes.",
    "Les usagers contribuent selon leurs revenus ; les collectivités achètent un service "
    "d'intérêt général par convention pluriannuelle ; une campagne de financement participatif "
    "finance l'investissement de départ.",
    "La vente de produits transformés finance deux tiers des charges ; les aides aux postes en "
    "insertion et une subvention régionale couvrent le reste pendant la phase de lancement.",
    "Nos sociétaires apportent le capital de départ ; les contrats avec les collectivités et "
    "les entreprises du territoire assurent des recettes régulières dès la deuxième année.",
]
TEAM_ROLES = ["directrice", "directeur", "coordinatrice", "coordinateur", "gérante", "gérant"]
TEAM_ENDINGS = [
    "L'équipe a déjà mené deux projets financés par des fonds européens.",
    "Un recrutement de chargé de développement est prévu au démarrage du projet.",
    "Le conseil d'administration compte une experte-comptable et un ancien élu local.",
    "L'équipe suit depuis un an une formation à la mesure d'impact social.",
]


def _times(rng, call, path, now):
    """When the dossier was started and when each of its transitions happened, oldest first."""
    steps = PATHS[path]
    opens, closes = call.opens_at, call.closes_at
    if closes > now:
        # An open call: everything happened between its opening and now.
        start = opens + timedelta(days=rng.uniform(1, 6))
        latest = now - timedelta(hours=2)
        points = sorted(rng.uniform(0, 1) for _ in steps)
        return [start] + [start + (latest - start) * (0.2 + 0.8 * p) for p in points]
    # A closed call: submissions before the closing time, staff decisions after it.
    start = opens + timedelta(days=rng.uniform(3, 40))
    times = [start]
    before_close = closes - timedelta(hours=rng.uniform(2, 200))
    after_close = closes + timedelta(days=rng.uniform(3, 8))
    for name in steps:
        if name in APPLICANT_TRANSITIONS and times[-1] < closes:
            moment = times[-1] + (before_close - times[-1]) * rng.uniform(0.5, 0.95)
        else:
            after_close += timedelta(days=rng.uniform(2, 9))
            moment = min(after_close, now - timedelta(days=1))
        times.append(max(moment, times[-1] + timedelta(minutes=5)))
    return times


# --- the jury of the closed call ----------------------------------------------------------------

# The call whose jury the demo fills: it reviewed and decided; a review phase is open again.
JURY_CALL = "closed"


@dataclass(frozen=True)
class JurorPlan:
    person: PersonPlan
    role: str  # "member" or "president"
    department: str | None  # INSEE code of the département of origin


JURY = [
    JurorPlan(JURORS[0], "member", "45"),
    JurorPlan(JURORS[1], "member", "37"),
    JurorPlan(JURORS[2], "member", "18"),
    JurorPlan(JURORS[3], "president", "45"),
    JurorPlan(JURORS[4], "member", None),
    JurorPlan(JURORS[5], "member", "28"),
]
# The juror a visitor of the demo logs in as: some dossiers still to declare, a review in draft.
DEMO_JUROR = JURORS[0]

# The one typed conflict of the demo: this juror on the first dossier of hers that the jury then
# deliberated on; staff give that dossier another juror by hand.
CONFLICTED_JUROR = JURORS[4]
CONFLICT_KIND = "partner"
CONFLICT_DETAILS = (
    "La Fondation de France a cofinancé en 2024 un programme de cette structure : je ne peux pas "
    "évaluer ce dossier en toute indépendance."
)
# The demo's people share the domain essor.demo, the applicant's team included: Essor suggests
# a conflict for every juror on the applicant's dossier. Staff dismiss the suggestions of the
# jurors who may review it (another département), with this note; the others stay to be seen.
DISMISSED_SUGGESTION_NOTE = (
    "Adresses de démonstration au même domaine que celles de l'équipe de la structure : aucun "
    "lien avec elle."
)


@dataclass(frozen=True)
class PhasePlan:
    name: str
    starts_at: datetime
    ends_at: datetime
    peer_scores: str  # never, after_own, always
    blind: bool = False
    presidents_only: bool = False


def review_phases(dossiers, now):
    """The closed call's review phases: a past one, in which the dossiers since decided were
    reviewed, and one open now for those still under review."""
    reviewed = [d for d in dossiers if d.call_key == JURY_CALL and d.deliberation_index is not None]
    today = now.astimezone(PARIS).date()
    first_start = min(d.review_window[0] for d in reviewed).astimezone(PARIS).date()
    first_end = max(d.review_window[1] for d in reviewed).astimezone(PARIS).date()
    second_start = _paris(today - timedelta(days=3), 9)
    first = PhasePlan(
        name="Première session d'évaluation",
        starts_at=_paris(first_start - timedelta(days=1), 9),
        ends_at=min(_paris(first_end + timedelta(days=1), 12), second_start),
        peer_scores="never",
    )
    second = PhasePlan(
        name="Seconde session d'évaluation",
        starts_at=second_start,
        ends_at=_paris(today + timedelta(days=14), 18),
        peer_scores="after_own",
    )
    return [first, second]


NA = "n/a"  # a criterion marked "not applicable"


@dataclass(frozen=True)
class ReviewPlan:
    """What one juror has done on one dossier. `step`: undeclared (no declaration yet), declared
    (no conflict, no review yet), draft or submitted. `scores` follow EVALUATION_CRITERIA: a
    value, NA, or None (not scored yet, in a draft)."""

    step: str
    scores: tuple = ()
    recommendation: str = ""
    private_note: str = ""


def _submitted(scores, recommendation, private_note=""):
    return ReviewPlan("submitted", scores, recommendation, private_note)


# The reviews of the dossiers the jury reviewed and staff then deliberated on: one per juror, in
# the order of the jurors' e-mail addresses. Their figures agree with the decisions, except on
# the dossier still shortlisted, where the jurors disagree (the ranking flags it).
DELIBERATED_REVIEWS = {
    "Le Hangar Commun": [
        _submitted((3, 3, 2, 3, 2), "maybe"),
        _submitted((2, 3, 1, 2, 2), "no"),
        _submitted((3, 2, 2, 3, 1), "no"),
    ],
    "Vierzon Solidaire Mobilité": [
        _submitted((5, 4, 4, 4, 4), "yes"),
        _submitted((4, 5, 4, 4, 3), "yes"),
        _submitted((5, 4, 3, 4, 4), "yes"),
    ],
    "SCOP Les Tisserands de La Châtre": [
        _submitted((4, 5, 4, 5, 5), "yes"),
        _submitted((4, 4, 4, 4, 4), "yes"),
        _submitted((5, 5, 3, 4, 4), "yes"),
    ],
    "Coopérative Beauce Circuits Courts": [
        _submitted((4, 4, 5, 4, 5), "yes"),
        _submitted((4, 5, 4, 3, 4), "maybe"),
        _submitted((5, 4, 4, 4, 5), "yes"),
    ],
    "Blois Solidarités Alimentaires": [
        _submitted((4, 4, 3, 4, 3), "maybe"),
        _submitted((4, 3, 3, 4, 2), "maybe"),
        _submitted((5, 4, 3, 3, 3), "yes"),
    ],
    "La Conciergerie Solidaire de Touraine": [
        _submitted((3, 4, 4, 3, 3), "maybe"),
        _submitted((4, 3, 3, 4, 2), "maybe"),
        _submitted((3, 3, 4, 3, 3), "maybe"),
    ],
    "Fondation Terres de Beauce": [
        _submitted((4, 4, 2, 3, NA), "maybe"),
        _submitted((4, 3, 3, 3, 2), "maybe"),
        _submitted((3, 4, 3, 3, 3), "maybe"),
    ],
    "Gâtinais Éco-Construction": [
        _submitted((5, 5, 4, 5, 4), "yes"),
        _submitted(
            (2, 1, 2, 2, 1),
            "no",
            "Je connais mal la filière du chanvre : mon avis sur la viabilité est à pondérer. "
            "À creuser pendant l'audition.",
        ),
        _submitted((4, 3, 3, 4, 3), "maybe"),
    ],
    "Pithiviers Emploi Services": [
        _submitted((3, 3, 3, 3, 2), "maybe"),
        _submitted((4, 3, 2, 3, 2), "maybe"),
        _submitted((3, 2, 2, 3, 2), "no"),
    ],
    "Mobil'Indre": [
        _submitted((3, 4, 1, 2, 1), "no"),
        _submitted((2, 3, 2, 2, 1), "no"),
        _submitted((3, 3, 1, 2, 2), "no"),
    ],
}

# The dossiers the jury is reviewing now: what DEMO_JUROR has done (staff give her the dossier
# by hand if the automatic assignment did not), then the other jurors in e-mail order.
IN_REVIEW = {
    "Habitat Partagé Berry Sud": (
        ReviewPlan("draft", (4, 3, None, None, None)),
        [
            _submitted((4, 4, 3, 4, 3), "yes"),
            _submitted(
                (3, 4, 3, 3, 3),
                "maybe",
                "Le budget d'investissement des colocations me semble sous-estimé.",
            ),
            ReviewPlan("declared"),
        ],
    ),
    "La Ferme Partagée du Loir": (
        ReviewPlan("undeclared"),
        [_submitted((4, 3, 4, 4, 4), "yes"), ReviewPlan("declared"), ReviewPlan("undeclared")],
    ),
    "Cuisine Solidaire Castelroussine": (
        ReviewPlan("undeclared"),
        [
            ReviewPlan("draft", (3, 3, None, 4, None)),
            ReviewPlan("undeclared"),
            ReviewPlan("undeclared"),
        ],
    ),
}

# What jurors write on each criterion (in the order of EVALUATION_CRITERIA), by how they scored
# it: 4 or 5 "high", 3 "mid", up to 2 "low"; two wordings each.
SCORE_COMMENTS = [
    {
        "high": [
            "Besoin social clairement établi et chiffré ; les personnes concernées ont été "
            "associées au diagnostic.",
            "Réponse pertinente à un besoin réel du territoire, bien documentée par les "
            "partenaires sociaux.",
        ],
        "mid": [
            "Le besoin est réel mais mériterait d'être mieux quantifié.",
            "Utilité sociale plausible ; les publics visés restent décrits de façon un peu large.",
        ],
        "low": [
            "Le besoin est affirmé plus que démontré : aucune donnée ne vient l'étayer.",
            "Le lien entre l'activité proposée et le besoin décrit n'est pas évident.",
        ],
    },
    {
        "high": [
            "Partenariats locaux solides, déjà engagés par écrit.",
            "Très bon ancrage : collectivités, travailleurs sociaux et habitants sont parties "
            "prenantes.",
        ],
        "mid": [
            "Ancrage réel mais encore concentré sur une seule commune.",
            "Les partenaires sont cités ; leur rôle concret reste à préciser.",
        ],
        "low": [
            "Peu de partenaires identifiés sur le territoire visé.",
            "Le projet semble conçu sans les acteurs locaux qui travaillent déjà sur ce besoin.",
        ],
    },
    {
        "high": [
            "Modèle économique diversifié et crédible, avec une part de recettes propres qui "
            "progresse.",
            "Budget cohérent ; l'équilibre paraît atteignable en trois ans.",
        ],
        "mid": [
            "Modèle hybride réaliste, mais très dépendant des subventions les deux premières "
            "années.",
            "Le budget tient ; les hypothèses de recettes sont optimistes.",
        ],
        "low": [
            "Le modèle économique reste fragile : les recettes propres sont incertaines.",
            "Le plan de financement repose presque entièrement sur l'aide sollicitée.",
        ],
    },
    {
        "high": [
            "Équipe expérimentée, qui a déjà mené des projets de cette taille.",
            "Gouvernance claire et compétences complémentaires.",
        ],
        "mid": [
            "Équipe motivée mais encore réduite au regard de l'ambition du projet.",
            "Le recrutement prévu est indispensable ; son financement doit être sécurisé.",
        ],
        "low": [
            "L'équipe ne dispose pas du temps nécessaire pour porter le projet.",
            "Compétences de gestion à renforcer avant d'envisager le développement.",
        ],
    },
    {
        "high": [
            "Méthode facilement transposable dans d'autres bassins de vie.",
            "Fort potentiel d'essaimage dans la région.",
        ],
        "mid": [
            "Essaimage envisageable à moyen terme, après consolidation.",
            "Potentiel réel, mais la méthode reste à formaliser.",
        ],
        "low": [
            "Projet très lié à son contexte local, difficile à reproduire.",
            "Le changement d'échelle n'est pas encore pensé.",
        ],
    },
]
NOT_APPLICABLE_COMMENT = "Sans objet à ce stade : le projet est encore en expérimentation."
OVERALL_COMMENTS = {
    "yes": [
        "Un projet mûr, porté par une équipe solide : je recommande de le retenir.",
        "Dossier convaincant sur l'ensemble des critères ; l'accompagnement lui sera très utile.",
        "Je soutiens cette candidature : impact social fort et modèle crédible.",
    ],
    "maybe": [
        "Projet intéressant dont le modèle économique doit encore être consolidé.",
        "Des atouts réels ; l'audition permettra de lever les doutes sur l'équipe et le "
        "financement.",
        "Candidature sérieuse, mais moins aboutie que les meilleures de l'appel.",
    ],
    "no": [
        "Le projet n'est pas encore assez mûr pour cette promotion.",
        "L'intention est bonne, mais le dossier ne démontre ni le besoin ni la viabilité.",
        "Je ne recommande pas ce dossier en l'état ; une nouvelle candidature plus tard serait "
        "bienvenue.",
    ],
}
# Criteria whose comments staff share with the structure in its decision letter (first review).
SHARED_CRITERIA = (0, 2)


def score_comment(criterion_index, value, variant):
    """What a juror writes on one criterion given `value` (a score, NA or None)."""
    if value is None:
        return ""
    if value == NA:
        return NOT_APPLICABLE_COMMENT
    level = "high" if value >= 4 else "mid" if value == 3 else "low"
    wordings = SCORE_COMMENTS[criterion_index][level]
    return wordings[variant % len(wordings)]


def overall_comment(recommendation, variant):
    if not recommendation:
        return ""
    wordings = OVERALL_COMMENTS[recommendation]
    return wordings[variant % len(wordings)]


def morning_after(moment, days=1):
    """10 a.m. in Paris, `days` days after `moment`'s day."""
    return _paris(moment.astimezone(PARIS).date() + timedelta(days=days), 10)


def review_moment(start, end, slot):
    """When the `slot`-th juror (0, 1, 2…) worked on a dossier between `start` and `end`."""
    return start + (end - start) * min(0.25 + 0.2 * slot, 0.9)


SHORTLIST_NOTES = (
    "Audition devant le comité de sélection : dix minutes de présentation, puis vingt minutes "
    "d'échange avec le jury."
)

# The decision letters of the closed call, in French, with the placeholders of
# applications.domain.letters ({structure}, {call}, {reference}, {feedback}, {rationale},
# {dossier_url}).
LETTER_TEMPLATES = {
    "selected": (
        "Votre dossier {reference} est retenu — {call}",
        "{structure} — dossier {reference}\n\n"
        "Madame, Monsieur,\n\n"
        "Nous avons le plaisir de vous annoncer que le comité de sélection a retenu votre "
        "dossier pour l'appel « {call} ».\n\n"
        "{rationale}\n\n"
        "{feedback}\n\n"
        "L'équipe du programme vous contactera dans les prochains jours pour organiser le "
        "séminaire de lancement de la promotion. Votre dossier reste consultable ici : "
        "{dossier_url}\n\n"
        "Toutes nos félicitations, et bienvenue dans l'accélérateur !\n"
        "L'équipe de l'Accélérateur d'innovations sociales Centre-Val de Loire",
    ),
    "waitlisted": (
        "Votre dossier {reference} est en liste d'attente — {call}",
        "{structure} — dossier {reference}\n\n"
        "Madame, Monsieur,\n\n"
        "Le comité de sélection a placé votre dossier en liste d'attente pour l'appel "
        "« {call} » : si une place se libère dans la promotion, elle vous sera proposée et nous "
        "vous préviendrons aussitôt.\n\n"
        "{rationale}\n\n"
        "{feedback}\n\n"
        "Votre dossier reste consultable ici : {dossier_url}\n\n"
        "Bien cordialement,\n"
        "L'équipe de l'Accélérateur d'innovations sociales Centre-Val de Loire",
    ),
    "rejected": (
        "La décision sur votre dossier {reference} — {call}",
        "{structure} — dossier {reference}\n\n"
        "Madame, Monsieur,\n\n"
        "Merci d'avoir candidaté à l'appel « {call} ». Après l'examen de l'ensemble des "
        "candidatures, le comité de sélection n'a pas retenu votre dossier pour cette "
        "promotion.\n\n"
        "{rationale}\n\n"
        "{feedback}\n\n"
        "Nous savons le travail que représente une candidature et vous remercions de l'intérêt "
        "que vous portez au programme. Votre dossier reste consultable ici : {dossier_url}\n\n"
        "Avec tous nos encouragements pour votre projet,\n"
        "L'équipe de l'Accélérateur d'innovations sociales Centre-Val de Loire",
    ),
}


@dataclass
class DemoPlan:
    calls: list
    structures: list
    dossiers: list
    phases: list = field(default_factory=list)  # the closed call's review phases


def build_plan(now):
    """The whole demo as plain data: a pure function of SEED and the current time."""
    rng = random.Random(SEED)
    today = now.astimezone(PARIS).date()
    calls = call_plans(today)
    by_key = {call.key: call for call in calls}
    structures = structure_plans(rng, today)
    by_name = {plan.name: plan for plan in structures}
    dossiers = []
    for call_key, name, path, *comment in DOSSIER_PLAN:
        call = by_key[call_key]
        structure = by_name[name]
        answers = dossier_answers(rng, structure, call, complete=path != "draft_partial")
        dossiers.append(
            DossierPlan(
                call_key=call_key,
                structure=structure,
                path=path,
                answers=answers,
                times=_times(rng, call, path, now),
                with_budget_file=path != "draft_partial" and rng.random() < 0.6,
                comment=comment[0] if comment else "",
            )
        )
    return DemoPlan(
        calls=calls,
        structures=structures,
        dossiers=dossiers,
        phases=review_phases(dossiers, now),
    )


# --- the cohort and the accompaniment journey -----------------------------------------------------

# The programme's milestones, opened when a structure enters their stage:
# (stage, title, description, due after N days, who does it, kind).
MILESTONE_TEMPLATES = [
    (
        "sourcing",
        "Diagnostic partagé",
        "Un bilan du projet, de l'équipe et du modèle économique, fait avec le chargé de "
        "programme ; il ouvre la labellisation.",
        21,
        "structure",
        "diagnostic",
    ),
    (
        "sourcing",
        "Rencontre avec le point d'appui",
        "Un premier rendez-vous avec le point d'appui ESS du département, dans les locaux de la "
        "structure.",
        14,
        "structure",
        "other",
    ),
    (
        "labelling",
        "Dossier de labellisation",
        "Le dossier présenté au comité : projet d'innovation sociale, gouvernance, budget "
        "prévisionnel sur trois ans.",
        30,
        "structure",
        "other",
    ),
    (
        "labelling",
        "Passage en comité",
        "Le comité de labellisation entend la structure et rend sa décision.",
        45,
        "staff",
        "other",
    ),
    (
        "seed_funding",
        "Signature de la convention",
        "La convention de financement d'amorçage, signée par la structure et le financeur.",
        15,
        "staff",
        "other",
    ),
    (
        "seed_funding",
        "Plan de trésorerie",
        "Un plan de trésorerie sur dix-huit mois, partagé avec le chargé de programme.",
        30,
        "structure",
        "other",
    ),
    (
        "fundraising",
        "Pitch devant les financeurs",
        "Dix minutes devant le club des financeurs solidaires de la région.",
        30,
        "structure",
        "other",
    ),
    (
        "fundraising",
        "Tour de table",
        "Les engagements des financeurs réunis et le tour de table bouclé.",
        60,
        "structure",
        "other",
    ),
    (
        "impact_measurement",
        "Indicateurs d'impact définis",
        "Trois à cinq indicateurs d'impact social, avec leur valeur de départ.",
        30,
        "structure",
        "other",
    ),
]

# The programme's current cohort: it started ten weeks ago and lasts eighteen months.
COHORT = {"name": "Cohorte {year}", "capacity": 15, "started_days_ago": 70, "months": 18}
# The closed call's selected structures join a few days after the decision letters.
COHORT_FORMED_DAYS_AGO = 24


@dataclass(frozen=True)
class JourneyPlan:
    """A structure's journey in the cohort: where it comes from, when it joined (days ago), and
    what happened since, oldest first, as (days ago, what, details…). Stages change only through
    the transitions of the journey, after what each condition needs was recorded."""

    structure: str
    source: str  # "call" for the closed call's selected dossiers
    joined_days_ago: int
    events: tuple
    reference: str = ""  # where a structure sourced outside any call comes from


SIAE_OBSTACLE = (
    "Code du travail, articles L. 5132-2 et R. 5132-1 et suivants : conventionnement par l'État "
    "des structures d'insertion par l'activité économique, après avis du conseil départemental "
    "de l'insertion par l'activité économique (CDIAE).",
    "Le chantier d'insertion veut ouvrir une légumerie qui livrerait les cantines scolaires de "
    "Bourges. Cette activité relève d'une entreprise d'insertion : il faut un second "
    "conventionnement, instruit seulement à la prochaine réunion du CDIAE, et les aides au poste "
    "ne peuvent pas passer d'un conventionnement à l'autre en cours d'année. Huit parcours "
    "d'insertion attendent l'ouverture.",
    "Permettre à une structure déjà conventionnée d'étendre son conventionnement à une activité "
    "voisine sur simple déclaration, avec un avis du CDIAE a posteriori, et rendre les aides au "
    "poste fongibles entre ses activités en cours d'année.",
)
PAID_ACTIVITY_OBSTACLE = (
    "Code général des impôts, article 206-1 bis (franchise des impôts commerciaux des "
    "associations) et doctrine fiscale de la gestion désintéressée (BOI-IS-CHAMP-10-50).",
    "L'association veut vendre des repas à prix coûtant aux salariés des entreprises voisines "
    "pour financer la distribution gratuite. Au-delà du seuil de la franchise, toute l'activité "
    "devient lucrative et imposable, et la part des bénévoles dans la cuisine fait craindre une "
    "requalification en travail dissimulé : le conseil d'administration a suspendu le projet.",
    "Relever le seuil de la franchise pour les activités accessoires dont les excédents "
    "financent entièrement le projet social, et publier un rescrit type précisant la place des "
    "bénévoles dans une activité payante d'une association d'aide alimentaire.",
)

JOURNEYS = [
    JourneyPlan(
        "Les Jardins d'insertion de l'Yèvre",
        "innovation_lab",
        70,
        reference="Laboratoire d'innovation sociale du Cher, promotion de printemps",
        events=(
            (66, "done", "Rencontre avec le point d'appui"),
            (63, "done", "Diagnostic partagé"),
            (
                62,
                "move",
                "start_labelling",
                "Diagnostic partagé : le projet de légumerie est prêt pour le comité.",
            ),
            (56, "done", "Dossier de labellisation"),
            (
                50,
                "label",
                "Label Accélérateur ESS Centre-Val de Loire",
                "Le comité salue l'ancrage territorial et la qualité de l'accompagnement "
                "socioprofessionnel des salariés en insertion.",
            ),
            (50, "done", "Passage en comité"),
            (49, "move", "start_seed_funding", "Label accordé par le comité."),
            (44, "grant", "25000", "Région Centre-Val de Loire", True),
            (44, "done", "Signature de la convention"),
            (42, "payment", "15000"),
            (40, "obstacle", *SIAE_OBSTACLE),
            (38, "done", "Plan de trésorerie"),
            (36, "move", "start_fundraising", "Convention signée, premier versement reçu."),
            (
                35,
                "obstacle_move",
                "review",
                "Nous avons saisi la DDETS du Cher pour connaître le calendrier du prochain CDIAE.",
            ),
            (34, "round", "120000", ("grant", "honour_loan", "solidarity_loan")),
            (30, "commitment", "France Active Centre-Val de Loire (prêt solidaire)", "50000"),
            (28, "done", "Pitch devant les financeurs"),
            (24, "commitment", "Fondation de France", "30000"),
            (
                21,
                "obstacle_move",
                "escalate",
                "Remonté au comité régional de simplification : trois autres chantiers "
                "d'insertion de la région sont dans le même cas.",
            ),
            (20, "payment", "10000"),
            (18, "commitment", "Initiative Cher (prêt d'honneur)", "15000"),
            (14, "close_round"),
            (14, "done", "Tour de table"),
            (
                12,
                "move",
                "start_impact_measurement",
                "Tour de table bouclé : 95 000 € réunis sur 120 000 € visés.",
            ),
            (
                10,
                "note",
                "staff",
                "staff",
                "Point d'étape avec la directrice : l'équipe encadrante reste fragile (un départ "
                "en congé en janvier). À suivre de près pendant la mesure d'impact.",
            ),
            # The référent proposes the impact plan and agrees to it; the structure has yet to.
            (
                6,
                "impact_plan",
                "staff",
                (
                    ("jobs-fte", "11", "16"),
                    ("insertion-exits", "3", "6"),
                    ("people-reached", "140", "220"),
                ),
            ),
            (6, "agree_plan", "staff"),
        ),
    ),
    JourneyPlan(
        "Le Panier Berrichon",
        "event",
        68,
        reference="Forum régional de l'ESS, Bourges",
        events=(
            (60, "done", "Rencontre avec le point d'appui"),
            (58, "done", "Diagnostic partagé"),
            (57, "move", "start_labelling", ""),
            (45, "done", "Dossier de labellisation"),
            (43, "label", "Label Accélérateur ESS Centre-Val de Loire", ""),
            (43, "done", "Passage en comité"),
            (42, "move", "start_seed_funding", "Label accordé par le comité."),
            (35, "grant", "20000", "Banque des Territoires", True),
            (35, "done", "Signature de la convention"),
            (33, "payment", "12000"),
            (28, "done", "Plan de trésorerie"),
            (27, "move", "start_fundraising", ""),
            (20, "round", "60000", ("donation", "crowdfunding", "honour_loan")),
            (12, "commitment", "Campagne de financement participatif", "8400"),
            (6, "commitment", "Initiative Cher (prêt d'honneur)", "10000"),
            (
                5,
                "note",
                "staff",
                "everyone",
                "Le pitch devant le club des financeurs solidaires a lieu dans deux semaines : "
                "envoyez-nous votre plan de trésorerie à jour d'ici là.",
            ),
        ),
    ),
    JourneyPlan(
        "SCIC Loches Énergie Partagée",
        "partner_network",
        66,
        reference="Réseau France Active Centre-Val de Loire",
        events=(
            (60, "done", "Rencontre avec le point d'appui"),
            (52, "done", "Diagnostic partagé"),
            (51, "move", "start_labelling", ""),
            (
                30,
                "move",
                "pause",
                "Départ du directeur : l'accompagnement reprendra après son remplacement, "
                "prévu au printemps.",
            ),
        ),
    ),
    JourneyPlan(
        "Vierzon Solidaire Mobilité",
        "call",
        COHORT_FORMED_DAYS_AGO,
        events=(
            (22, "done", "Rencontre avec le point d'appui"),
            (20, "done", "Diagnostic partagé"),
            (19, "move", "start_labelling", "Diagnostic partagé avec le point d'appui du Cher."),
            (12, "done", "Dossier de labellisation"),
            (8, "label", "Label Accélérateur ESS Centre-Val de Loire", ""),
            (8, "done", "Passage en comité"),
            (7, "move", "start_seed_funding", "Label accordé par le comité."),
            (
                7,
                "note",
                "staff",
                "everyone",
                "Félicitations pour le label ! La convention de financement d'amorçage vous "
                "parvient cette semaine pour signature.",
            ),
            (4, "grant", "15000", "Région Centre-Val de Loire", False),
        ),
    ),
    JourneyPlan(
        "SCOP Les Tisserands de La Châtre",
        "call",
        COHORT_FORMED_DAYS_AGO,
        events=(
            (21, "done", "Diagnostic partagé"),
            (14, "move", "start_labelling", ""),
        ),
    ),
    JourneyPlan(
        "Blois Solidarités Alimentaires",
        "call",
        COHORT_FORMED_DAYS_AGO,
        events=(
            (18, "done", "Rencontre avec le point d'appui"),
            (
                17,
                "note",
                "support_point",
                "support_point",
                "Rencontre au local de Blois : l'association cherche une seconde chambre "
                "froide ; nous l'avons mise en relation avec la banque alimentaire du "
                "Loir-et-Cher.",
            ),
            (16, "obstacle", *PAID_ACTIVITY_OBSTACLE),
            (
                9,
                "obstacle_move",
                "review",
                "Une question est posée au service des impôts des entreprises de Blois ; "
                "réponse attendue sous deux mois.",
            ),
        ),
    ),
    JourneyPlan(
        "Coopérative Beauce Circuits Courts",
        "call",
        COHORT_FORMED_DAYS_AGO,
        events=(
            (20, "done", "Rencontre avec le point d'appui"),
            (10, "dropped", "Diagnostic partagé"),
            (
                10,
                "exit",
                "La coopérative rejoint l'accompagnement de la chambre d'agriculture, plus "
                "proche de son projet de plateforme logistique ; le point d'appui d'Eure-et-Loir "
                "reste en contact.",
            ),
        ),
    ),
]


def days_ago(now, days, hour=10):
    """`hour` o'clock in Paris, `days` days before `now`'s day."""
    return _paris(now.astimezone(PARIS).date() - timedelta(days=days), hour)


# --- impact measurement (loaded by `cms.demo.impact`) ---------------------------------------------

# Both cohorts report every six months, three reports, the last one final.
REPORTING_SCHEDULE = {"every_months": 6, "reports": 3, "last_is_final": True, "due_within_days": 30}
# The previous cohort, whose structures measure their impact (one has since become alumni).
PREVIOUS_COHORT = {"name": "Cohorte {year}", "capacity": 12, "started_days_ago": 800, "months": 18}
# An editor of the structure with most to show: reports in every state, a correction under way.
IMPACT_STRUCTURE = "SCOP Bois et Bocage du Cher"
IMPACT_REPORTER = PersonPlan("impact@essor.demo", "Hugo", "Perrin", "editor")


def path_to_impact(joined, entered, grant, funder, payment, target, instruments, commitments,
                   comment):  # fmt: skip
    """The events of a journey from sourcing to impact measurement, spread between `joined` and
    `entered` (days ago): the milestones and what each condition needs, in the usual order."""

    def at(share):
        return joined - round((joined - entered) * share)

    events = [
        (at(0.05), "done", "Rencontre avec le point d'appui"),
        (at(0.10), "done", "Diagnostic partagé"),
        (at(0.12), "move", "start_labelling", ""),
        (at(0.25), "done", "Dossier de labellisation"),
        (at(0.32), "label", "Label Accélérateur ESS Centre-Val de Loire", ""),
        (at(0.32), "done", "Passage en comité"),
        (at(0.34), "move", "start_seed_funding", "Label accordé par le comité."),
        (at(0.42), "grant", grant, funder, True),
        (at(0.42), "done", "Signature de la convention"),
        (at(0.46), "payment", payment),
        (at(0.55), "done", "Plan de trésorerie"),
        (at(0.58), "move", "start_fundraising", ""),
        (at(0.62), "round", target, instruments),
    ]
    for number, (funder_name, amount) in enumerate(commitments):
        events.append((at(0.70 + 0.08 * number), "commitment", funder_name, amount))
    events += [
        (at(0.92), "done", "Pitch devant les financeurs"),
        (at(0.97), "close_round"),
        (at(0.97), "done", "Tour de table"),
        (entered, "move", "start_impact_measurement", comment),
    ]
    return tuple(events)


# What the impact events say: (days ago, kind, details…), loaded by `cms.demo.impact`:
#   impact_plan who lines          the plan's lines (code, baseline, target), typed as people do
#   agree_plan who                 "structure" or "staff" agrees to the plan as it stands
#   report number values narrative the structure saves its draft: (code, value) or
#                                  (code, None, why it was not measured)
#   submit_report / validate_report number
#   send_back number comment       staff ask for changes
#   correct_report number reason values   a correction of a validated report, saved as a draft
#   comment number who body        "support_point" or "staff" comments on the report
#   evidence number file name      the structure attaches a file
#   publish codes                  the structure makes those figures in force public
PREVIOUS_JOURNEYS = [
    JourneyPlan(
        "Coopérative Bio du Boischaut",
        "partner_network",
        800,
        reference="Réseau des épiceries coopératives de l'Indre",
        events=path_to_impact(
            800, 640, "20000", "Région Centre-Val de Loire", "20000", "90000",
            ("solidarity_loan", "equity"),
            [("France Active Centre-Val de Loire (prêt solidaire)", "40000"),
             ("Souscription des sociétaires", "35000")],
            "Tour de table bouclé : 75 000 € réunis pour le second magasin.",
        )
        + (
            (630, "impact_plan", "structure", (
                ("jobs-fte", "2,5", "4"),
                ("revenue", "480 000 €", "620 000 €"),
                ("local-partnerships", "6", "12"),
                ("people-reached", "1 200", "1 800"),
            )),
            (630, "agree_plan", "structure"),
            (626, "agree_plan", "staff"),
            (626, "done", "Indicateurs d'impact définis"),
            (440, "report", 1, (
                ("jobs-fte", "3,2"), ("revenue", "520 000 €"), ("local-partnerships", "9"),
                ("people-reached", "1 350"),
            ), "Le second magasin a ouvert à Argenton en mars ; deux producteurs de chèvre du "
               "Boischaut nous livrent désormais chaque semaine."),
            (432, "submit_report", 1),
            (426, "validate_report", 1),
            (258, "report", 2, (
                ("jobs-fte", "3,5"), ("revenue", "580 000 €"), ("local-partnerships", "10"),
                ("people-reached", "1 610"),
            ), "Le rayon vrac et la livraison aux cantines de trois communes ont porté les "
               "ventes."),
            (250, "submit_report", 2),
            (247, "send_back", 2,
             "Le nombre de personnes touchées semble compter deux fois les sociétaires qui sont "
             "aussi clients : pouvez-vous le vérifier avant validation ?"),
            (246, "report", 2, (("people-reached", "1 480"),),
             "Le rayon vrac et la livraison aux cantines de trois communes ont porté les "
             "ventes. Personnes touchées recomptées sans doublons (fichier des cartes de "
             "fidélité)."),
            (246, "submit_report", 2),
            (240, "validate_report", 2),
            (75, "report", 3, (
                ("jobs-fte", "4,5"), ("revenue", "641 000 €"), ("local-partnerships", "12"),
                ("people-reached", "1 790"),
            ), "Dix-huit mois après le tour de table, les deux magasins sont rentables et la "
               "coopérative a embauché une responsable des achats locaux."),
            (75, "evidence", 3, "bilan-2-magasins.pdf"),
            (70, "submit_report", 3),
            (64, "comment", 3, "support_point",
             "Bilan présenté au comité départemental de l'ESS de l'Indre : la coopérative "
             "témoignera à la prochaine rencontre des épiceries solidaires."),
            (62, "validate_report", 3),
            (60, "publish", ("jobs-fte", "local-partnerships")),
            (58, "move", "graduate",
             "Rapport final validé : la coopérative rejoint le réseau des anciens du programme."),
        ),
    ),
    JourneyPlan(
        IMPACT_STRUCTURE,
        "event",
        800,
        reference="Rencontres de l'agroforesterie, Saint-Amand-Montrond",
        events=path_to_impact(
            800, 420, "25000", "Banque des Territoires", "15000", "150000",
            ("grant", "honour_loan", "solidarity_loan"),
            [("Initiative Cher (prêt d'honneur)", "20000"),
             ("France Active Centre-Val de Loire (prêt solidaire)", "60000"),
             ("Fondation de France", "30000")],
            "Tour de table bouclé : la déchiqueteuse et le hangar de séchage sont financés.",
        )
        + (
            (410, "impact_plan", "staff", (
                ("jobs-fte", "4", "7"),
                ("communes-served", "8", "15"),
                ("revenue", "310 000 €", "420 000 €"),
                ("local-partnerships", "3", "6"),
            )),
            (410, "agree_plan", "staff"),
            (405, "agree_plan", "structure"),
            (405, "done", "Indicateurs d'impact définis"),
            (215, "report", 1, (
                ("jobs-fte", "6,1"), ("communes-served", "10"), ("revenue", "352 000 €"),
                ("local-partnerships", "4"),
            ), "Premier hiver de bois-énergie : trois chaufferies communales livrées en "
               "plaquettes issues des haies entretenues."),
            (211, "submit_report", 1),
            (205, "validate_report", 1),
            (32, "report", 2, (
                ("jobs-fte", "6"), ("communes-served", "13"), ("revenue", "371 500 €"),
                ("local-partnerships", None,
                 "La convention avec le syndicat de bassin du Cher est en cours de signature ; "
                 "elle sera comptée au prochain rapport."),
            ), "Quatorze kilomètres de haies replantées avec les agriculteurs du bocage ; "
               "deux communes de plus nous confient l'entretien de leurs chemins."),
            (32, "evidence", 2, "registre-des-chantiers.pdf"),
            (27, "submit_report", 2),
            (20, "comment", 2, "support_point",
             "Visite des chantiers de Saint-Amand : les haies replantées sont bien là, et le "
             "maire de Meillant souhaite rejoindre la démarche."),
            (12, "correct_report", 1,
             "Les ETP du premier semestre comptaient deux saisonniers en double : 5,2 ETP et "
             "non 6,1.",
             (("jobs-fte", "5,2"),)),
        ),
    ),
    JourneyPlan(
        "Les Ateliers du Réemploi Abraysien",
        "innovation_lab",
        790,
        reference="Laboratoire d'innovation sociale du Loiret",
        events=path_to_impact(
            790, 385, "20000", "Région Centre-Val de Loire", "12000", "80000",
            ("grant", "donation", "solidarity_loan"),
            [("Fondation de France", "25000"), ("Orléans Métropole", "30000")],
            "Tour de table bouclé : l'atelier de reconditionnement double sa surface.",
        )
        + (
            (378, "impact_plan", "structure", (
                ("jobs-fte", "9", "12"),
                ("insertion-exits", "2", "4"),
                ("waste-avoided", "40", "60"),
                ("own-revenue-share", "35 %", "45 %"),
            )),
            (376, "agree_plan", "staff"),
            (375, "agree_plan", "structure"),
            (375, "done", "Indicateurs d'impact définis"),
            (185, "report", 1, (
                ("jobs-fte", "10"), ("insertion-exits", "3"), ("waste-avoided", "44,5"),
                ("own-revenue-share", "38,5 %"),
            ), "La nouvelle ligne de reconditionnement des lave-linge tourne depuis avril."),
            (180, "submit_report", 1),
            (172, "validate_report", 1),
            (170, "publish", ("jobs-fte", "waste-avoided")),
            (14, "report", 2, (
                ("jobs-fte", "11"), ("insertion-exits", "3"), ("waste-avoided", "48"),
                ("own-revenue-share", "41 %"),
            ), "Partenariat signé avec deux bailleurs sociaux pour équiper les logements à "
               "petit prix."),
            (12, "submit_report", 2),
            (10, "comment", 2, "support_point",
             "Les bordereaux de la déchetterie de Saint-Jean-de-Braye sont disponibles au point "
             "d'appui si besoin."),
            (8, "send_back", 2,
             "Le tonnage déclaré (48 t) ne correspond pas aux bordereaux joints (41,5 t) : "
             "merci de corriger la valeur ou de joindre les bordereaux manquants."),
        ),
    ),
    JourneyPlan(
        "Dreux Emploi Partagé",
        "partner_network",
        770,
        reference="Réseau des groupements d'employeurs d'Eure-et-Loir",
        events=path_to_impact(
            770, 300, "15000", "Région Centre-Val de Loire", "15000", "50000",
            ("honour_loan", "solidarity_loan"),
            [("Initiative Eure-et-Loir (prêt d'honneur)", "15000"),
             ("France Active Centre-Val de Loire (prêt solidaire)", "30000")],
            "",
        )
        + (
            (292, "impact_plan", "structure", (
                ("jobs-fte", "12", "18"),
                ("insertion-exits", "2", "5"),
                ("local-partnerships", "14", "22"),
            )),
            (290, "agree_plan", "structure"),
            (288, "agree_plan", "staff"),
            (95, "report", 1, (("jobs-fte", "13,5"),),
             "Brouillon : chiffres des adhérents en cours de collecte."),
            (40, "comment", 1, "staff",
             "Le rapport du premier semestre est en retard : pouvons-nous vous aider à "
             "rassembler les chiffres de vos adhérents ?"),
        ),
    ),
    JourneyPlan(
        "Coopérative d'Activités et d'Emploi Blésoise",
        "partner_network",
        760,
        reference="Réseau Coopérer pour entreprendre",
        events=path_to_impact(
            760, 45, "20000", "Banque des Territoires", "10000", "120000",
            ("grant", "quasi_equity"),
            [("ESFIN Gestion (titres participatifs)", "60000"),
             ("Agglopolys", "40000")],
            "Tour de table bouclé après un long travail sur les titres participatifs.",
        )
        + (
            (20, "impact_plan", "structure", (
                ("jobs-fte", "62", "75"),
                ("revenue", "2 100 000 €", "2 500 000 €"),
                ("people-reached", "90", "120"),
            )),
            (20, "agree_plan", "structure"),
        ),
    ),
]  # fmt: skip
