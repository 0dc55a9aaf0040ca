"""The default catalogue of impact indicators a new programme starts from, in the vocabulary of
the French ESS (Avise's impact guidance, VISES), with the UN SDG targets they serve and, where
one matches, the IRIS+ metric. Staff change or extend it in the admin."""

# code, name, definition, unit, value type, direction, aggregation, category, IRIS+, SDG targets
INDICATORS = [
    (
        "jobs-fte",
        "Emplois créés",
        "Emplois créés par la structure depuis son entrée dans le programme, en équivalents "
        "temps plein (ETP) à la fin de la période.",
        "ETP",
        "decimal", "higher", "sum", "employment", "", "8.5",
    ),
    (
        "insertion-exits",
        "Sorties vers l'emploi durable",
        "Personnes en parcours d'insertion en emploi durable (CDI, CDD ou intérim de six mois "
        "et plus, création d'entreprise) six mois après leur sortie.",
        "personnes",
        "integer", "higher", "sum", "employment", "", "8.5, 8.6",
    ),
    (
        "people-reached",
        "Personnes touchées",
        "Personnes distinctes ayant bénéficié des activités ou services de la structure pendant "
        "la période.",
        "personnes",
        "integer", "higher", "sum", "people", "PI2476", "10.2",
    ),
    (
        "volunteers",
        "Bénévoles",
        "Bénévoles actifs (au moins une action dans la période).",
        "bénévoles",
        "integer", "higher", "sum", "governance", "", "17.17",
    ),
    (
        "revenue",
        "Chiffre d'affaires",
        "Produits d'exploitation de la période, subventions comprises.",
        "€",
        "money", "higher", "sum", "economic", "", "8.3",
    ),
    (
        "own-revenue-share",
        "Part des ressources propres",
        "Part du chiffre d'affaires tirée de l'activité propre (ventes, prestations), hors "
        "subventions et dons.",
        "%",
        "percentage", "higher", "mean", "economic", "", "8.3",
    ),
    (
        "funds-raised",
        "Fonds levés",
        "Montants obtenus pendant la période : prêts d'honneur, prêts solidaires, fonds propres "
        "et quasi-fonds propres, dons et financement participatif.",
        "€",
        "money", "higher", "sum", "economic", "", "8.10",
    ),
    (
        "local-partnerships",
        "Partenariats avec des acteurs locaux",
        "Partenariats formalisés (convention, contrat, charte) avec des acteurs du territoire.",
        "partenariats",
        "integer", "higher", "sum", "territory", "", "17.17",
    ),
    (
        "communes-served",
        "Communes desservies",
        "Communes où la structure a mené une activité pendant la période.",
        "communes",
        "integer", "higher", "sum", "territory", "", "11.a",
    ),
    (
        "waste-avoided",
        "Déchets évités",
        "Tonnes de déchets évitées par le réemploi, la réparation ou le recyclage pendant la "
        "période.",
        "t",
        "decimal", "higher", "sum", "environment", "", "12.5",
    ),
]  # fmt: skip


def load(indicator_model):
    """Create the default indicators that are not in the catalogue yet (by code)."""
    existing = set(indicator_model.objects.values_list("code", flat=True))
    indicator_model.objects.bulk_create(
        indicator_model(
            code=code,
            name=name,
            definition=definition,
            unit=unit,
            value_type=value_type,
            direction=direction,
            aggregation=aggregation,
            category=category,
            iris_code=iris_code,
            sdg_targets=sdg_targets,
            position=position,
        )
        for position, (
            code, name, definition, unit, value_type, direction, aggregation, category,
            iris_code, sdg_targets,
        ) in enumerate(INDICATORS)
        if code not in existing
    )  # fmt: skip
