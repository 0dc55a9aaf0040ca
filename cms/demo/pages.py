"""The demo's public pages: the programme, the news, the portfolio, the legal pages, and the
menus and footer that point at them. Plain data only; `cms.demo.site` writes them.

A link is ("page", key of a page below or "calls" or "call:<slug>") or ("url", URL name of
the public site's own views, such as the agenda)."""


def paragraph(*texts):
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in texts)}


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def button(label, link):
    return {"type": "call_to_action", "value": {"label": label, "link": link}}


PROGRAMME_PAGE = {
    "key": "programme",
    "title": "Le programme",
    "slug": "programme",
    "search_description": (
        "Dix-huit mois de financement, d'accompagnement et de réseau pour les structures de "
        "l'ESS qui innovent en Centre-Val de Loire."
    ),
    "intro": (
        "<p>L'Accélérateur d'innovations sociales Centre-Val de Loire repère, finance et "
        "accompagne pendant dix-huit mois les structures de l'économie sociale et solidaire qui "
        "inventent des réponses nouvelles aux besoins de leur territoire.</p>"
    ),
    "journey": [
        (
            "sourcing",
            "Les points d'appui repèrent les projets dans chaque département, par les appels à "
            "projets, les réseaux partenaires et les événements du territoire.",
        ),
        (
            "labelling",
            "Le comité de labellisation examine chaque projet : la structure labellisée entre "
            "dans la promotion et choisit son référent.",
        ),
        (
            "seed_funding",
            "Une subvention d'amorçage de 10 000 à 30 000 euros, versée en deux fois, finance "
            "les premiers mois de l'expérimentation.",
        ),
        (
            "fundraising",
            "Le programme prépare la levée de fonds avec la structure et la présente aux "
            "financeurs solidaires de la région.",
        ),
        (
            "impact_measurement",
            "La structure mesure son impact tous les six mois avec des indicateurs choisis avec "
            "elle ; elle décide des chiffres qu'elle rend publics.",
        ),
    ],
    "partners": [
        (
            "Région Centre-Val de Loire",
            "https://www.centre-valdeloire.fr",
            "Finance les subventions d'amorçage et l'animation du programme.",
        ),
        (
            "Banque des Territoires",
            "https://www.banquedesterritoires.fr",
            "Cofinance l'accompagnement et les études d'impact.",
        ),
        (
            "France Active Centre-Val de Loire",
            "",
            "Apporte garanties et prêts solidaires au moment de la levée de fonds.",
        ),
        (
            "CRESS Centre-Val de Loire",
            "",
            "Anime le réseau des points d'appui et les rencontres régionales.",
        ),
    ],
    "body": [
        heading("Qui peut candidater ?"),
        paragraph(
            "Les associations, coopératives, mutuelles, fondations et entreprises agréées ESUS "
            "dont le siège ou l'activité est en Centre-Val de Loire, et dont le projet répond à "
            "un besoin social mal couvert sur leur territoire.",
        ),
        button("Voir les appels à projets", ("page", "calls")),
    ],
}

# The pages the demo has in English too (cms/demo/site.py `load_translations`): the fields a
# translator rewrites; the rest (the journey, partners, body) stays as copied.
HOME_PAGE_EN = {
    "title": "Essor",
    "hero_heading": "Speeding up social innovation in Centre-Val de Loire",
    "hero_text": (
        "An eighteen-month programme for social and solidarity economy organisations: seed "
        "funding, support and a network in the region's six départements."
    ),
    "intro": (
        "<p>Essor supports the social and solidarity economy organisations of Centre-Val de "
        "Loire that invent new answers to the needs of their area: mobility, food, employment, "
        "housing, reuse, access to rights.</p>"
        "<p>Read the open calls, apply with your team and follow your application until the "
        "jury's decision. The support points of each département help you prepare it.</p>"
    ),
}

PROGRAMME_PAGE_EN = {
    "title": "The programme",
    "search_description": (
        "Eighteen months of funding, support and networking for the social economy "
        "organisations that innovate in Centre-Val de Loire."
    ),
    "intro": (
        "<p>The Centre-Val de Loire social innovation accelerator finds, funds and supports for "
        "eighteen months the social and solidarity economy organisations that invent new "
        "answers to the needs of their area.</p>"
    ),
}

NEWS_INDEX_PAGE = {
    "key": "news",
    "title": "Actualités",
    "slug": "actualites",
    "search_description": "Les nouvelles du programme, de ses appels et de ses promotions.",
    "intro": (
        "<p>Les nouvelles du programme : appels à projets, décisions du jury, vie de la "
        "promotion et rendez-vous du territoire.</p>"
    ),
}

# (days ago, title, slug, summary, tags, body)
NEWS_ARTICLES = [
    (
        2,
        "L'agenda partagé des acteurs du territoire est en ligne",
        "agenda-partage-en-ligne",
        "Événements, actions et initiatives des six départements réunis en un seul agenda, "
        "auquel chacun peut proposer un rendez-vous et s'abonner depuis son calendrier.",
        ("agenda", "territoire"),
        [
            paragraph(
                "Les acteurs réunis lors des rencontres départementales l'avaient demandé : un "
                "seul endroit pour annoncer leurs rendez-vous et découvrir ceux des autres.",
                "Toute personne inscrite peut proposer un événement, une action ou une "
                "initiative ; l'équipe du programme le relit avant publication. L'agenda se "
                "filtre par département, par thème et par type, et chaque recherche peut être "
                "suivie dans votre calendrier.",
            ),
            button("Consulter l'agenda", ("url", "cms:agenda")),
        ],
    ),
    (
        9,
        "Douze acteurs rejoignent l'annuaire du territoire",
        "annuaire-des-acteurs",
        "Financeurs, tiers-lieux, universités, collectivités : l'annuaire aide les structures à "
        "trouver qui peut les aider, près de chez elles.",
        ("annuaire", "territoire"),
        [
            paragraph(
                "L'annuaire présente les acteurs qui soutiennent l'économie sociale et solidaire "
                "dans la région, avec ce qu'ils proposent : accompagnement, financement, locaux, "
                "expertise ou bénévolat.",
                "Vous êtes un acteur du territoire ? Proposez votre fiche : une fois validée, "
                "vous la tenez à jour vous-même.",
            ),
            button("Parcourir l'annuaire", ("url", "cms:actors")),
        ],
    ),
    (
        16,
        "Appel « Innovations sociales » : les candidatures sont ouvertes",
        "appel-innovations-sociales-ouvert",
        "Les structures de l'ESS de la région ont jusqu'à la date de clôture pour déposer leur "
        "projet, avec l'aide du point d'appui de leur département.",
        ("appel à projets",),
        [
            paragraph(
                "Le nouvel appel s'adresse aux projets qui expérimentent une réponse nouvelle à "
                "un besoin social de leur territoire. Les dossiers se remplissent en ligne, à "
                "plusieurs, et peuvent être enregistrés à tout moment avant le dépôt.",
            ),
            button("Lire l'appel", ("page", "call:innovations-sociales")),
        ],
    ),
    (
        24,
        "Une nouvelle promotion rejoint le programme",
        "nouvelle-promotion",
        "Après la délibération du jury, les structures retenues ont commencé leur parcours de "
        "dix-huit mois avec leur référent.",
        ("promotion", "jury"),
        [
            paragraph(
                "Le jury de l'appel « Accélération » a examiné les dossiers en deux temps, puis "
                "délibéré. Chaque candidate a reçu un courrier motivé et les commentaires du "
                "jury.",
                "Les structures retenues rejoignent celles repérées par les points d'appui et "
                "les réseaux partenaires : la promotion compte des projets des six départements.",
            ),
        ],
    ),
    (
        45,
        "Mesure d'impact : les premiers chiffres publiés",
        "premiers-chiffres-impact",
        "Les structures de la promotion précédente ont choisi les chiffres qu'elles rendent "
        "publics : emplois créés, déchets évités, partenariats locaux.",
        ("mesure d'impact", "portfolio"),
        [
            paragraph(
                "Tous les six mois, chaque structure accompagnée fait le point sur ses "
                "indicateurs avec son point d'appui. Elle seule décide des chiffres qui "
                "paraissent sur le site.",
            ),
            button("Voir le portfolio", ("page", "portfolio")),
        ],
    ),
]

PORTFOLIO_PAGE = {
    "key": "portfolio",
    "title": "Les structures accompagnées",
    "slug": "portfolio",
    "search_description": "Les structures accompagnées par le programme qui ont choisi de se "
    "présenter, et les chiffres d'impact qu'elles rendent publics.",
    "intro": (
        "<p>Les structures accompagnées qui ont accepté de paraître ici, avec leur description "
        "et les chiffres d'impact qu'elles ont choisi de rendre publics.</p>"
    ),
}

STANDARD_PAGES = [
    {
        "key": "legal",
        "title": "Mentions légales",
        "slug": "mentions-legales",
        "intro": "Qui édite et qui héberge ce site.",
        "body": [
            heading("Éditeur"),
            paragraph(
                "Association Essor Centre-Val de Loire, 12 rue de la République, 45000 Orléans. "
                "Directrice de la publication : la présidente de l'association.",
            ),
            heading("Hébergement"),
            paragraph(
                "Le site est hébergé en France par un hébergeur certifié, dont les coordonnées "
                "sont disponibles sur demande à l'éditeur.",
            ),
            heading("Propriété intellectuelle"),
            paragraph(
                "Les textes du site sont publiés sous licence Creative Commons BY-SA 4.0 ; le "
                "logiciel Essor est un logiciel libre.",
            ),
        ],
    },
    {
        "key": "privacy",
        "title": "Données personnelles",
        "slug": "donnees-personnelles",
        "intro": "Quelles données le programme traite, pourquoi, combien de temps, et vos droits.",
        "body": [
            heading("Responsable du traitement"),
            paragraph(
                "L'association Essor Centre-Val de Loire traite les données des candidates, des "
                "juré·es, des structures accompagnées et des personnes qui proposent un "
                "rendez-vous à l'agenda.",
            ),
            heading("Finalités et durées"),
            paragraph(
                "Instruire les candidatures aux appels à projets (trois ans après la décision), "
                "accompagner les structures retenues (cinq ans après la fin du parcours), "
                "publier l'agenda et l'annuaire (tant que la fiche est en ligne).",
            ),
            heading("Vos droits"),
            paragraph(
                "Vous pouvez accéder à vos données, les rectifier, les effacer ou vous opposer à "
                "leur traitement en écrivant à dpo@essor.example.org. Vous pouvez aussi saisir "
                "la CNIL.",
            ),
        ],
    },
    {
        "key": "accessibility",
        "title": "Déclaration d'accessibilité",
        "slug": "accessibilite",
        "intro": "Le niveau de conformité du site au RGAA, et comment nous signaler un obstacle.",
        "conformity_level": "partial",
        "audited_days_ago": 60,
        "body": [
            heading("État de conformité"),
            paragraph(
                "Ce site est partiellement conforme au référentiel général d'amélioration de "
                "l'accessibilité (RGAA 4.1) : l'audit interne relève 82 % de critères "
                "respectés.",
            ),
            heading("Contenus non accessibles"),
            paragraph(
                "Certains documents joints aux appels à projets ne sont pas encore balisés ; "
                "ils sont disponibles en version accessible sur demande.",
            ),
            heading("Retour d'information et voies de recours"),
            paragraph(
                "Si vous ne parvenez pas à accéder à un contenu, écrivez à "
                "accessibilite@essor.example.org. Si vous n'obtenez pas de réponse, vous pouvez "
                "saisir le Défenseur des droits.",
            ),
        ],
    },
]

SITE_SETTINGS = {
    # The calls come first in every header already.
    "header_links": [
        ("Le programme", ("page", "programme")),
        ("Agenda", ("url", "cms:agenda")),
        ("Annuaire des acteurs", ("url", "cms:actors")),
        ("Portfolio", ("page", "portfolio")),
        ("Actualités", ("page", "news")),
    ],
    "footer_links": [
        ("Proposer un rendez-vous à l'agenda", ("url", "cms:agenda_propose")),
        ("Référencer un acteur", ("url", "cms:actor_propose")),
        ("Archives de l'agenda", ("url", "cms:agenda_archive")),
        ("S'abonner à l'agenda (iCalendar)", ("url", "cms:agenda_ical")),
    ],
    "footer_text": (
        "Essor, l'Accélérateur d'innovations sociales Centre-Val de Loire, avec la Région et ses "
        "partenaires."
    ),
    "default_description": (
        "Appels à projets, accompagnement, agenda et annuaire des acteurs de l'innovation "
        "sociale en Centre-Val de Loire."
    ),
}
