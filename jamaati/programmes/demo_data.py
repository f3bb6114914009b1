"""The demo's programmes and projects, from the seed articles (data only).

- Drâa-Tafilalet (article 003): the memorandum of understanding of 4 June 2022 between the
  region, the Ministry of Industry and Trade, the Ministry of Digital Transition and
  Administrative Reform, the Wilaya and the regional investment centre: five industrial zones
  in the five provinces, an integrated offshoring park in Errachidia with two centres
  (Tafilalet Shore and Draa Shore, 180 M MAD), 50 M MAD for investment initiatives and about
  60 M MAD for regional coding schools.
- Drâa-Tafilalet (article 004): the social and solidarity economy projects of the regional
  development programme adopted in March 2022: craft activity zones, a digital platform for
  local products, provincial exhibitions of national and international reach.
- Tétouan (article 001): the smart-city programme of the commune's action programme, with
  UNDP; a small committee with UNDP sets the priorities.
Every figure not in the articles (costs of the zones, tranches, dates, progress) is invented
to look plausible. `seed_programmes` turns this into rows through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

REGION = "draa-tafilalet"
TETOUAN = "tetouan"
REGION_ADMIN = "admin.draa-tafilalet@demo.jamaati.ma"
TETOUAN_ADMIN = "admin.tetouan@demo.jamaati.ma"

M = Decimal("1000000")

T3 = tuple[str, str, str]  # ar, fr, en

# slug: (kind, ar, fr, en, acronym, organisation slug or "", IATI identifier or "")
PARTNERS: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "region-draa-tafilalet": (
        "collectivity",
        "مجلس جهة درعة تافيلالت",
        "Conseil de la région Drâa-Tafilalet",
        "Drâa-Tafilalet Regional Council",
        "",
        REGION,
        "",
    ),
    "cri-draa-tafilalet": (
        "public_agency",
        "المركز الجهوي للاستثمار درعة تافيلالت",
        "Centre régional d'investissement Drâa-Tafilalet",
        "Drâa-Tafilalet Regional Investment Centre",
        "CRI",
        "cri-draa-tafilalet",
        "",
    ),
    "ministry-industry-trade": (
        "state",
        "وزارة الصناعة والتجارة",
        "Ministère de l'Industrie et du Commerce",
        "Ministry of Industry and Trade",
        "MIC",
        "",
        "",
    ),
    "ministry-digital-transition": (
        "state",
        "وزارة الانتقال الرقمي وإصلاح الإدارة",
        "Ministère de la Transition numérique et de la Réforme de l'administration",
        "Ministry of Digital Transition and Administrative Reform",
        "MTNRA",
        "",
        "",
    ),
    "wilaya-draa-tafilalet": (
        "state",
        "ولاية جهة درعة تافيلالت",
        "Wilaya de la région Drâa-Tafilalet",
        "Wilaya of the Drâa-Tafilalet region",
        "",
        "",
        "",
    ),
    "ministry-tourism-crafts-sse": (
        "state",
        "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
        "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire",
        "Ministry of Tourism, Handicrafts and the Social and Solidarity Economy",
        "MTAESS",
        "",
        "",
    ),
    "commune-tetouan": (
        "collectivity",
        "جماعة تطوان",
        "Commune de Tétouan",
        "Commune of Tétouan",
        "",
        TETOUAN,
        "",
    ),
    "undp": (
        "international",
        "برنامج الأمم المتحدة الإنمائي",
        "Programme des Nations unies pour le développement",
        "United Nations Development Programme",
        "UNDP",
        "",
        "XM-DAC-41114",
    ),
}


@dataclass
class DemoProgramme:
    organisation: str
    slug: str
    kind: str
    title: T3
    description: T3
    start: date
    end: date
    axes: list[tuple[str, T3]]


PROGRAMMES = [
    DemoProgramme(
        REGION,
        "pdr-2022-2027",
        "pdr",
        (
            "برنامج التنمية الجهوية 2022-2027",
            "Programme de développement régional 2022-2027",
            "Regional development programme 2022-2027",
        ),
        (
            "برنامج التنمية الجهوية لدرعة تافيلالت، المصادق عليه في الدورة العادية لشهر مارس 2022.",
            "Le PDR de Drâa-Tafilalet, adopté à la session ordinaire de mars 2022.",
            "The Drâa-Tafilalet regional development programme, adopted at the March 2022 session.",
        ),
        date(2022, 1, 1),
        date(2027, 12, 31),
        [
            (
                "1",
                (
                    "جاذبية الاستثمار والمناطق الصناعية",
                    "Attractivité de l'investissement et zones industrielles",
                    "Investment attractiveness and industrial zones",
                ),
            ),
            (
                "2",
                (
                    "الاقتصاد الرقمي والمهارات",
                    "Économie numérique et compétences",
                    "Digital economy and skills",
                ),
            ),
            (
                "3",
                (
                    "الاقتصاد الاجتماعي والتضامني والمنتجات المجالية",
                    "Économie sociale et solidaire et produits du terroir",
                    "Social and solidarity economy and local products",
                ),
            ),
        ],
    ),
    DemoProgramme(
        TETOUAN,
        "pac-2023-2028",
        "pac",
        (
            "برنامج عمل جماعة تطوان 2023-2028",
            "Programme d'action de la commune de Tétouan 2023-2028",
            "Tétouan commune action programme 2023-2028",
        ),
        (
            "رقمنة الخدمات الإدارية والمرفقية ودخول تطوان إلى نادي المدن الذكية.",
            "Numériser les services administratifs et publics et faire entrer Tétouan dans le club des villes intelligentes.",
            "Digitising administrative and public services and bringing Tétouan into the smart-cities club.",
        ),
        date(2023, 1, 1),
        date(2028, 12, 31),
        [
            (
                "1",
                ("المدينة الذكية", "Ville intelligente", "Smart city"),
            ),
            (
                "2",
                ("الإدارة الرقمية", "Administration numérique", "Digital administration"),
            ),
        ],
    ),
]

# (stage, planned start, planned end, actual start, actual end)
Stage = tuple[str, date | None, date | None, date | None, date | None]
# (title, OC4IDS milestone type, planned date, actual date)
DemoMilestone = tuple[T3, str, date, date | None]


@dataclass
class DemoProject:
    organisation: str
    programme: str
    axis: str
    code: str
    sector: str
    title: T3
    description: T3
    territories: list[str]  # HCP codes; a missing one falls back to the next, then the region
    point: tuple[float, float]
    total_cost: Decimal
    status: str
    planned_start: date
    planned_end: date
    stages: list[Stage] = field(default_factory=list)
    milestones: list[DemoMilestone] = field(default_factory=list)
    funding: list[tuple[str, Decimal]] = field(default_factory=list)
    # (kind, date, amount, partner slug or "", reference)
    transactions: list[tuple[str, date, Decimal, str, str]] = field(default_factory=list)
    progress: list[tuple[date, Decimal]] = field(default_factory=list)


PROVINCES = {
    # code: (ar, fr, en, lat, lon)
    "08.201": ("الرشيدية", "Errachidia", "Errachidia", 31.931, -4.424),
    "08.401": ("ورزازات", "Ouarzazate", "Ouarzazate", 30.919, -6.893),
    "08.363": ("ميدلت", "Midelt", "Midelt", 32.685, -4.745),
    "08.577": ("تنغير", "Tinghir", "Tinghir", 31.515, -5.533),
    "08.587": ("زاكورة", "Zagora", "Zagora", 30.332, -5.838),
}

# Industrial zones: (province code, cost in M MAD, status, physical progress, late studies?)
ZONES = [
    ("08.201", Decimal("95"), "works", Decimal("45"), False),
    ("08.401", Decimal("80"), "works", Decimal("20"), False),
    ("08.363", Decimal("70"), "tendering", Decimal("0"), True),
    ("08.577", Decimal("65"), "studies", Decimal("0"), True),
    ("08.587", Decimal("60"), "studies", Decimal("0"), False),
]


def _zone(index: int, code: str, cost_m: Decimal, status: str, progress: Decimal, late: bool):
    ar, fr, en, lat, lon = PROVINCES[code]
    cost = cost_m * M
    stages: list[Stage] = [
        ("studies", date(2022, 9, 1), date(2023, 6, 30), date(2022, 10, 1), date(2023, 9, 30)),
    ]
    milestones: list[DemoMilestone] = [
        (
            (
                "المصادقة على الدراسات التقنية",
                "Validation des études techniques",
                "Technical studies approved",
            ),
            "approval",
            date(2023, 6, 30),
            date(2023, 9, 30) if status != "studies" else None,
        )
    ]
    transactions = [
        (
            "disbursement",
            date(2022, 12, 15),
            cost * Decimal("0.10"),
            "region-draa-tafilalet",
            f"ZI{index}-V1",
        ),
        (
            "expenditure",
            date(2023, 3, 31),
            cost * Decimal("0.02"),
            "region-draa-tafilalet",
            f"ZI{index}-E1",
        ),
    ]
    progress_rows: list[tuple[date, Decimal]] = []
    if status in ("tendering", "works"):
        stages.append(
            (
                "tendering",
                date(2023, 7, 1),
                date(2023, 12, 31),
                date(2023, 10, 15),
                None if status == "tendering" else date(2024, 3, 31),
            )
        )
        milestones.append(
            (
                ("إعلان طلب العروض", "Lancement de l'appel d'offres", "Call for tenders published"),
                "procurement",
                date(2023, 9, 1),
                date(2023, 10, 15),
            )
        )
    if status == "tendering":
        milestones.append(
            (
                (
                    "إسناد صفقة الأشغال",
                    "Attribution du marché de travaux",
                    "Works contract awarded",
                ),
                "procurement",
                date(2025, 3, 31),
                None,  # late: the tender had to be relaunched
            )
        )
    if status == "works":
        stages.append(("works", date(2024, 1, 1), date(2026, 6, 30), date(2024, 4, 15), None))
        milestones.append(
            (
                ("الأمر بالشروع في الأشغال", "Ordre de service de démarrage", "Notice to proceed"),
                "delivery",
                date(2024, 1, 15),
                date(2024, 4, 15),
            )
        )
        milestones.append(
            (
                ("تهيئة شبكة الطرق الداخلية", "Voirie interne achevée", "Internal roads completed"),
                "delivery",
                date(2025, 12, 31),
                None,
            )
        )
        # 42 % spent: in line with Errachidia's works (45 %), well ahead of Ouarzazate's (20 %).
        spent_share = Decimal("0.42")
        transactions += [
            (
                "disbursement",
                date(2024, 2, 1),
                cost * Decimal("0.30"),
                "ministry-industry-trade",
                f"ZI{index}-V2",
            ),
            (
                "disbursement",
                date(2024, 6, 1),
                cost * Decimal("0.20"),
                "region-draa-tafilalet",
                f"ZI{index}-V3",
            ),
            (
                "expenditure",
                date(2024, 9, 30),
                cost * (spent_share - Decimal("0.02")) / 2,
                "",
                f"ZI{index}-E2",
            ),
            (
                "expenditure",
                date(2025, 6, 30),
                cost * (spent_share - Decimal("0.02")) / 2,
                "",
                f"ZI{index}-E3",
            ),
        ]
        progress_rows = [(date(2024, 12, 31), progress / 2), (date(2025, 9, 30), progress)]
    if late:
        milestones.append(
            (
                ("اقتناء العقار", "Mobilisation du foncier", "Land made available"),
                "preProcurement",
                date(2024, 12, 31),
                None,
            )
        )
    return DemoProject(
        REGION,
        "pdr-2022-2027",
        "1",
        f"PDR-ZI-{index + 1:02d}",
        "economy",
        (f"المنطقة الصناعية ب{ar}", f"Zone industrielle de {fr}", f"{en} industrial zone"),
        (
            f"تهيئة منطقة صناعية بإقليم {ar} في إطار مذكرة التفاهم الموقعة في 4 يونيو 2022.",
            f"Aménagement d'une zone industrielle dans la province de {fr}, dans le cadre du mémorandum d'entente du 4 juin 2022.",
            f"Developing an industrial zone in the province of {en}, under the memorandum of understanding of 4 June 2022.",
        ),
        [code],
        (lat, lon),
        cost,
        status,
        date(2022, 9, 1),
        date(2026, 12, 31),
        stages,
        milestones,
        [
            ("region-draa-tafilalet", cost * Decimal("0.50")),
            ("ministry-industry-trade", cost * Decimal("0.40")),
            ("cri-draa-tafilalet", cost * Decimal("0.10")),
        ],
        transactions,
        progress_rows,
    )


PROJECTS: list[DemoProject] = [_zone(index, *zone) for index, zone in enumerate(ZONES)] + [
    DemoProject(
        REGION,
        "pdr-2022-2027",
        "2",
        "PDR-OFF-01",
        "communications",
        (
            "الفضاء الصناعي المندمج لترحيل الخدمات بالرشيدية (تافيلالت شور ودرعة شور)",
            "Parc intégré d'offshoring d'Errachidia (centres Tafilalet Shore et Draa Shore)",
            "Errachidia integrated offshoring park (Tafilalet Shore and Draa Shore centres)",
        ),
        (
            "إحداث فضاء صناعي مندمج خاص بالخدمات المرحلة بالرشيدية بمركزين: تافيلالت شور ودرعة شور، بغلاف مالي قدره 180 مليون درهم.",
            "Un parc intégré dédié aux services délocalisés à Errachidia, avec deux centres, Tafilalet Shore et Draa Shore, pour 180 millions de dirhams.",
            "An integrated park for offshored services in Errachidia, with two centres, Tafilalet Shore and Draa Shore, for 180 million dirhams.",
        ),
        ["08.201.01.05", "08.201"],
        (31.9314, -4.4249),
        Decimal("180") * M,
        "works",
        date(2022, 10, 1),
        date(2026, 9, 30),
        [
            ("studies", date(2022, 10, 1), date(2023, 3, 31), date(2022, 10, 1), date(2023, 4, 30)),
            ("tendering", date(2023, 4, 1), date(2023, 7, 31), date(2023, 5, 2), date(2023, 9, 15)),
            ("works", date(2023, 9, 1), date(2026, 3, 31), date(2023, 10, 2), None),
        ],
        [
            (
                (
                    "تسليم مركز تافيلالت شور",
                    "Livraison du centre Tafilalet Shore",
                    "Tafilalet Shore centre delivered",
                ),
                "delivery",
                date(2025, 6, 30),
                date(2025, 7, 21),
            ),
            (
                (
                    "تسليم مركز درعة شور",
                    "Livraison du centre Draa Shore",
                    "Draa Shore centre delivered",
                ),
                "delivery",
                date(2026, 3, 31),
                None,
            ),
        ],
        [
            ("region-draa-tafilalet", Decimal("120") * M),
            ("ministry-digital-transition", Decimal("60") * M),
        ],
        [
            (
                "disbursement",
                date(2023, 1, 10),
                Decimal("40") * M,
                "region-draa-tafilalet",
                "OFF-V1",
            ),
            (
                "disbursement",
                date(2024, 1, 15),
                Decimal("30") * M,
                "ministry-digital-transition",
                "OFF-V2",
            ),
            (
                "disbursement",
                date(2025, 1, 15),
                Decimal("40") * M,
                "region-draa-tafilalet",
                "OFF-V3",
            ),
            ("expenditure", date(2023, 6, 30), Decimal("4500000"), "", "OFF-E1"),
            ("expenditure", date(2024, 6, 28), Decimal("41250000.50"), "", "OFF-E2"),
            ("expenditure", date(2025, 7, 31), Decimal("52000000"), "", "OFF-E3"),
        ],
        [
            (date(2024, 6, 30), Decimal("30")),
            (date(2025, 7, 31), Decimal("55")),
            (date(2025, 12, 31), Decimal("62")),
        ],
    ),
    DemoProject(
        REGION,
        "pdr-2022-2027",
        "1",
        "PDR-INV-01",
        "economy",
        (
            "دعم وإنجاح مبادرات الاستثمار",
            "Soutien aux initiatives d'investissement",
            "Support for investment initiatives",
        ),
        (
            "ميزانية لدعم مبادرات الاستثمار في مجال ترحيل الخدمات وفي قطاعات أخرى: 50 مليون درهم.",
            "Un budget de 50 millions de dirhams pour soutenir les initiatives d'investissement dans l'offshoring et d'autres secteurs.",
            "A budget of 50 million dirhams to support investment initiatives in offshoring and other sectors.",
        ),
        ["08"],
        (31.20, -5.60),
        Decimal("50") * M,
        "works",
        date(2022, 7, 1),
        date(2027, 6, 30),
        [("works", date(2023, 1, 1), date(2027, 6, 30), date(2023, 2, 1), None)],
        [
            (
                (
                    "أول دفعة من المنح للمستثمرين",
                    "Première vague de subventions aux investisseurs",
                    "First round of investor grants",
                ),
                "payment",
                date(2023, 12, 31),
                date(2023, 12, 20),
            ),
        ],
        [("region-draa-tafilalet", Decimal("35") * M), ("cri-draa-tafilalet", Decimal("15") * M)],
        [
            (
                "disbursement",
                date(2023, 2, 1),
                Decimal("20") * M,
                "region-draa-tafilalet",
                "INV-V1",
            ),
            (
                "expenditure",
                date(2023, 12, 20),
                Decimal("8750000"),
                "region-draa-tafilalet",
                "INV-E1",
            ),
            (
                "expenditure",
                date(2024, 12, 19),
                Decimal("9125000"),
                "region-draa-tafilalet",
                "INV-E2",
            ),
        ],
        [(date(2024, 12, 31), Decimal("36"))],
    ),
    DemoProject(
        REGION,
        "pdr-2022-2027",
        "2",
        "PDR-COD-01",
        "education",
        (
            "المدارس الجهوية للتشفير والبرمجة",
            "Écoles régionales de codage",
            "Regional coding schools",
        ),
        (
            "إحداث مدارس جهوية للتشفير والبرمجة لتخريج موارد بشرية متخصصة من مختلف أقاليم الجهة (حوالي 60 مليون درهم).",
            "Des écoles régionales de codage pour former des développeurs issus des cinq provinces (environ 60 millions de dirhams).",
            "Regional coding schools to train developers from the five provinces (about 60 million dirhams).",
        ),
        list(PROVINCES),
        (31.93, -4.43),
        Decimal("60") * M,
        "studies",
        date(2023, 1, 1),
        date(2026, 12, 31),
        [("studies", date(2023, 1, 1), date(2024, 6, 30), date(2023, 3, 1), None)],
        [
            (
                ("اختيار مقرات المدارس", "Choix des sites des écoles", "School sites chosen"),
                "approval",
                date(2024, 6, 30),
                None,
            ),
        ],
        [
            ("region-draa-tafilalet", Decimal("45") * M),
            ("ministry-digital-transition", Decimal("15") * M),
        ],
        [
            (
                "expenditure",
                date(2023, 11, 30),
                Decimal("1200000"),
                "region-draa-tafilalet",
                "COD-E1",
            )
        ],
        [(date(2024, 6, 30), Decimal("5"))],
    ),
    DemoProject(
        REGION,
        "pdr-2022-2027",
        "3",
        "PDR-ESS-01",
        "economy",
        ("مناطق أنشطة الصناعة التقليدية", "Zones d'activités artisanales", "Craft activity zones"),
        (
            "خلق مناطق أنشطة للصناعة التقليدية بأقاليم الجهة الخمسة.",
            "Créer des zones d'activités artisanales dans les cinq provinces de la région.",
            "Creating craft activity zones in the region's five provinces.",
        ),
        list(PROVINCES),
        (31.51, -5.53),
        Decimal("40") * M,
        "tendering",
        date(2023, 1, 1),
        date(2026, 12, 31),
        [
            ("studies", date(2023, 1, 1), date(2023, 12, 31), date(2023, 2, 1), date(2024, 2, 29)),
            ("tendering", date(2024, 1, 1), date(2024, 6, 30), date(2024, 3, 1), None),
        ],
        [
            (
                (
                    "توقيع اتفاقية الشراكة مع الوزارة",
                    "Signature de la convention avec le ministère",
                    "Agreement signed with the ministry",
                ),
                "approval",
                date(2024, 9, 30),
                None,
            ),
        ],
        [
            ("region-draa-tafilalet", Decimal("24") * M),
            ("ministry-tourism-crafts-sse", Decimal("16") * M),
        ],
        [("expenditure", date(2024, 2, 29), Decimal("950000"), "", "ESS1-E1")],
        [(date(2024, 6, 30), Decimal("3"))],
    ),
    DemoProject(
        REGION,
        "pdr-2022-2027",
        "3",
        "PDR-ESS-02",
        "communications",
        (
            "منصة رقمية لترويج المنتجات المحلية",
            "Plateforme numérique de promotion des produits locaux",
            "Digital platform for local products",
        ),
        (
            "إنشاء منصة رقمية لترويج المنتجات المحلية للتعاونيات.",
            "Une plateforme numérique pour promouvoir les produits du terroir des coopératives.",
            "A digital platform to promote cooperatives' local products.",
        ),
        ["08"],
        (31.9314, -4.4249),
        Decimal("6500000"),
        "provisional_reception",
        date(2023, 1, 1),
        date(2024, 12, 31),
        [
            ("studies", date(2023, 1, 1), date(2023, 3, 31), date(2023, 1, 15), date(2023, 3, 31)),
            ("tendering", date(2023, 4, 1), date(2023, 6, 30), date(2023, 4, 3), date(2023, 7, 14)),
            ("works", date(2023, 7, 1), date(2024, 6, 30), date(2023, 7, 17), date(2024, 10, 31)),
            (
                "provisional_reception",
                date(2024, 7, 1),
                date(2024, 12, 31),
                date(2024, 11, 4),
                None,
            ),
        ],
        [
            (
                ("إطلاق المنصة للعموم", "Mise en ligne de la plateforme", "Platform launched"),
                "delivery",
                date(2024, 6, 30),
                date(2024, 10, 31),
            ),
        ],
        [
            ("region-draa-tafilalet", Decimal("4500000")),
            ("ministry-tourism-crafts-sse", Decimal("2000000")),
        ],
        [
            (
                "disbursement",
                date(2023, 7, 20),
                Decimal("2000000"),
                "ministry-tourism-crafts-sse",
                "ESS2-V1",
            ),
            ("expenditure", date(2023, 12, 29), Decimal("1950000"), "", "ESS2-E1"),
            ("expenditure", date(2024, 11, 29), Decimal("3900000.75"), "", "ESS2-E2"),
        ],
        [(date(2024, 6, 30), Decimal("70")), (date(2024, 11, 4), Decimal("100"))],
    ),
    DemoProject(
        REGION,
        "pdr-2022-2027",
        "3",
        "PDR-ESS-03",
        "cultureSportsAndRecreation",
        (
            "المعارض الإقليمية للمنتجات المجالية",
            "Salons provinciaux des produits du terroir",
            "Provincial local-product exhibitions",
        ),
        (
            "معارض إقليمية ذات إشعاع وطني ودولي للترويج للمنتجات المجالية.",
            "Des salons provinciaux de rayonnement national et international pour les produits du terroir.",
            "Provincial exhibitions of national and international reach for local products.",
        ),
        list(PROVINCES),
        (30.92, -6.89),
        Decimal("12") * M,
        "works",
        date(2023, 1, 1),
        date(2027, 12, 31),
        [("works", date(2023, 9, 1), date(2027, 12, 31), date(2023, 10, 1), None)],
        [
            (
                (
                    "المعرض الجهوي بالرشيدية",
                    "Salon régional d'Errachidia",
                    "Errachidia regional exhibition",
                ),
                "delivery",
                date(2024, 10, 15),
                date(2024, 10, 20),
            ),
            (
                (
                    "المعرض الإقليمي بزاكورة",
                    "Salon provincial de Zagora",
                    "Zagora provincial exhibition",
                ),
                "delivery",
                date(2025, 11, 15),
                None,
            ),
        ],
        [("region-draa-tafilalet", Decimal("12") * M)],
        [
            (
                "expenditure",
                date(2024, 10, 31),
                Decimal("2400000"),
                "region-draa-tafilalet",
                "ESS3-E1",
            ),
        ],
        [(date(2024, 10, 31), Decimal("20"))],
    ),
]

# Tétouan's smart-city projects: (code, sector, ar, fr, en, cost, status, progress, spent share)
SMART_CITY = [
    (
        "PAC-SC-01",
        "governance",
        "بوابة الخدمات الرقمية للمواطن",
        "Portail des services numériques au citoyen",
        "Citizen digital services portal",
        Decimal("8500000"),
        "works",
        Decimal("60"),
        Decimal("0.55"),
    ),
    (
        "PAC-SC-02",
        "energy",
        "الإنارة العمومية الذكية",
        "Éclairage public intelligent",
        "Smart public lighting",
        Decimal("24000000"),
        "tendering",
        Decimal("0"),
        Decimal("0"),
    ),
    (
        "PAC-SC-03",
        "waterAndWaste",
        "التتبع الرقمي لجمع النفايات",
        "Suivi numérique de la collecte des déchets",
        "Digital tracking of waste collection",
        Decimal("5200000"),
        "works",
        Decimal("25"),
        Decimal("0.48"),
    ),
    (
        "PAC-SC-04",
        "transport.urban",
        "معلومات النقل الحضري في الوقت الحقيقي",
        "Information voyageurs en temps réel",
        "Real-time urban transport information",
        Decimal("6800000"),
        "studies",
        Decimal("0"),
        Decimal("0.03"),
    ),
    (
        "PAC-SC-05",
        "naturalResources",
        "السقي الذكي للمساحات الخضراء",
        "Arrosage intelligent des espaces verts",
        "Smart irrigation of green spaces",
        Decimal("3900000"),
        "identification",
        Decimal("0"),
        Decimal("0"),
    ),
    (
        "PAC-SC-06",
        "economy",
        "رقمنة القطب الغذائي",
        "Numérisation du pôle alimentaire",
        "Digitising the food market hub",
        Decimal("4600000"),
        "identification",
        Decimal("0"),
        Decimal("0"),
    ),
]
TETOUAN_POINT = (35.5785, -5.3684)


def _smart_city(row) -> DemoProject:
    code, sector, ar, fr, en, cost, status, progress, spent = row
    index = int(code[-2:])
    lat, lon = TETOUAN_POINT
    point = (lat + 0.004 * (index - 3), lon + 0.005 * ((index % 3) - 1))
    stages: list[Stage] = []
    milestones: list[DemoMilestone] = []
    transactions: list[tuple[str, date, Decimal, str, str]] = []
    progress_rows: list[tuple[date, Decimal]] = []
    if status != "identification":
        stages.append(
            (
                "studies",
                date(2024, 6, 1),
                date(2024, 12, 31),
                date(2024, 7, 1),
                None if status == "studies" else date(2025, 1, 31),
            )
        )
        milestones.append(
            (
                (
                    "المصادقة على دفتر التحملات",
                    "Validation du cahier des charges",
                    "Specifications approved",
                ),
                "approval",
                date(2025, 3, 31),
                date(2025, 1, 31) if status != "studies" else None,
            )
        )
    if status in ("tendering", "works"):
        stages.append(
            (
                "tendering",
                date(2025, 2, 1),
                date(2025, 5, 31),
                date(2025, 2, 10),
                None if status == "tendering" else date(2025, 5, 20),
            )
        )
    if status == "works":
        stages.append(("works", date(2025, 6, 1), date(2026, 6, 30), date(2025, 6, 2), None))
        milestones.append(
            (
                (
                    "تشغيل النسخة الأولى",
                    "Mise en service de la première version",
                    "First version in service",
                ),
                "delivery",
                date(2026, 1, 31),
                date(2026, 2, 16) if index == 1 else None,
            )
        )
        progress_rows = [
            (date(2025, 12, 31), progress * Decimal("0.6")),
            (date(2026, 6, 30), progress),
        ]
    undp_share = (cost * Decimal("0.30")).quantize(Decimal("0.01"))
    if spent:
        transactions = [
            ("disbursement", date(2025, 1, 15), undp_share, "undp", f"{code}-V1"),
            (
                "expenditure",
                date(2025, 6, 30),
                (cost * spent / 2).quantize(Decimal("0.01")),
                "",
                f"{code}-E1",
            ),
            (
                "expenditure",
                date(2026, 6, 30),
                (cost * spent / 2).quantize(Decimal("0.01")),
                "",
                f"{code}-E2",
            ),
        ]
    return DemoProject(
        TETOUAN,
        "pac-2023-2028",
        "1",
        code,
        sector,
        (ar, fr, en),
        (
            f"{ar}: مشروع من برنامج المدينة الذكية لجماعة تطوان بشراكة مع برنامج الأمم المتحدة الإنمائي.",
            f"{fr} : un projet du programme ville intelligente de la commune de Tétouan, avec le PNUD.",
            f"{en}: a project of the Tétouan commune's smart-city programme, with UNDP.",
        ),
        ["01.571.01.11"],
        point,
        cost,
        status,
        date(2024, 6, 1),
        date(2026, 12, 31),
        stages,
        milestones,
        [("commune-tetouan", cost - undp_share), ("undp", undp_share)],
        transactions,
        progress_rows,
    )


PROJECTS += [_smart_city(row) for row in SMART_CITY]


@dataclass
class DemoConvention:
    organisation: str
    reference: str
    kind: str
    title: T3
    signed_on: date
    duration_months: int
    projects: list[str]
    # (partner slug, role, [(kind, amount or None, description, [(due, amount, paid_on)])])
    parties: list[
        tuple[
            str, str, list[tuple[str, Decimal | None, str, list[tuple[date, Decimal, date | None]]]]
        ]
    ]


CONVENTIONS = [
    DemoConvention(
        REGION,
        "MOU-2022-ZI-OFF",
        "mou",
        (
            "مذكرة تفاهم حول تهيئة المناطق الصناعية بأقاليم جهة درعة تافيلالت وإحداث فضاء صناعي مندمج خاص بالخدمات المرحلة بالرشيدية",
            "Mémorandum d'entente pour l'aménagement des zones industrielles des provinces de Drâa-Tafilalet et la création d'un parc intégré d'offshoring à Errachidia",
            "Memorandum of understanding on industrial zones in the Drâa-Tafilalet provinces and an integrated offshoring park in Errachidia",
        ),
        date(2022, 6, 4),
        60,
        ["PDR-ZI-01", "PDR-ZI-02", "PDR-ZI-03", "PDR-ZI-04", "PDR-ZI-05", "PDR-OFF-01"],
        [
            (
                "region-draa-tafilalet",
                "lead",
                [
                    (
                        "money",
                        Decimal("305") * M,
                        "",
                        [
                            (date(2022, 12, 31), Decimal("85") * M, date(2022, 12, 15)),
                            (date(2024, 6, 30), Decimal("110") * M, date(2024, 6, 1)),
                            (date(2025, 12, 31), Decimal("110") * M, None),
                        ],
                    ),
                ],
            ),
            (
                "ministry-industry-trade",
                "funder",
                [
                    (
                        "money",
                        Decimal("148") * M,
                        "",
                        [
                            (date(2024, 1, 31), Decimal("52.5") * M, date(2024, 2, 1)),
                            (date(2025, 6, 30), Decimal("95.5") * M, None),
                        ],
                    )
                ],
            ),
            (
                "ministry-digital-transition",
                "funder",
                [
                    (
                        "money",
                        Decimal("60") * M,
                        "",
                        [
                            (date(2024, 1, 15), Decimal("30") * M, date(2024, 1, 15)),
                            (date(2025, 9, 30), Decimal("30") * M, None),
                        ],
                    )
                ],
            ),
            (
                "wilaya-draa-tafilalet",
                "support",
                [
                    (
                        "land",
                        None,
                        "تعبئة العقار العمومي للمناطق الصناعية / Mobilisation du foncier public",
                        [],
                    )
                ],
            ),
            (
                "cri-draa-tafilalet",
                "implementer",
                [
                    (
                        "technical",
                        None,
                        "مواكبة المستثمرين والتسويق / Accompagnement des investisseurs et commercialisation",
                        [],
                    ),
                    (
                        "money",
                        Decimal("37") * M,
                        "",
                        [(date(2023, 6, 30), Decimal("37") * M, date(2023, 7, 10))],
                    ),
                ],
            ),
        ],
    ),
    DemoConvention(
        TETOUAN,
        "CONV-2024-PNUD-SC",
        "convention",
        (
            "اتفاقية شراكة بين جماعة تطوان وبرنامج الأمم المتحدة الإنمائي حول المدينة الذكية",
            "Convention de partenariat entre la commune de Tétouan et le PNUD pour la ville intelligente",
            "Partnership agreement between the commune of Tétouan and UNDP on the smart city",
        ),
        date(2024, 10, 15),
        36,
        ["PAC-SC-01", "PAC-SC-02", "PAC-SC-03", "PAC-SC-04", "PAC-SC-05", "PAC-SC-06"],
        [
            (
                "commune-tetouan",
                "lead",
                [("money", Decimal("37100000"), "", [])],
            ),
            (
                "undp",
                "funder",
                [
                    (
                        "money",
                        Decimal("15900000"),
                        "",
                        [
                            (date(2025, 1, 15), Decimal("8000000"), date(2025, 1, 15)),
                            (date(2026, 1, 15), Decimal("7900000"), None),
                        ],
                    ),
                    (
                        "technical",
                        None,
                        "دعم القدرات التقنية والبشرية للجماعة / Renforcement des capacités techniques et humaines",
                        [],
                    ),
                ],
            ),
        ],
    ),
]

# The smart-city committee: members, weighted criteria, one score per member × criterion × project.
COMMITTEE = {
    "organisation": TETOUAN,
    "slug": "smart-city-priorities",
    "name": (
        "اللجنة المصغرة لتحديد أولويات المدينة الذكية",
        "Comité restreint des priorités de la ville intelligente",
        "Smart-city priorities steering committee",
    ),
    "members": [
        ("Rapporteur du conseil communal", "commune-tetouan"),
        ("Représentant résident du PNUD", "undp"),
        ("Cheffe du service numérique", "commune-tetouan"),
    ],
    "criteria": [
        (("الأثر على المواطن", "Impact sur les citoyens", "Impact on citizens"), Decimal("3")),
        (("قابلية الإنجاز", "Faisabilité", "Feasibility"), Decimal("2")),
        (("الكلفة", "Coût maîtrisé", "Cost"), Decimal("1")),
        (("الأثر البيئي", "Impact environnemental", "Environmental impact"), Decimal("2")),
    ],
    # project code: scores per member (rows) and criterion (columns), out of 10
    "scores": {
        "PAC-SC-01": [[9, 8, 7, 5], [9, 7, 7, 6], [8, 9, 8, 5]],
        "PAC-SC-02": [[7, 6, 4, 9], [8, 6, 5, 9], [7, 5, 4, 8]],
        "PAC-SC-03": [[8, 7, 7, 8], [7, 8, 6, 9], [8, 8, 7, 8]],
        "PAC-SC-04": [[7, 5, 6, 7], [6, 5, 6, 7], [7, 4, 5, 6]],
        "PAC-SC-05": [[5, 8, 8, 9], [5, 7, 8, 9], [4, 8, 9, 8]],
        "PAC-SC-06": [[6, 6, 7, 5], [7, 5, 6, 5], [6, 6, 6, 4]],
    },
    "rationale": (
        "رتبت اللجنة المشاريع حسب المعدل المرجح: الأثر على المواطن (×3) والقابلية للإنجاز (×2) والأثر البيئي (×2) والكلفة (×1).",
        "Le comité a classé les projets selon la moyenne pondérée : impact sur les citoyens (×3), faisabilité (×2), impact environnemental (×2) et coût (×1).",
        "The committee ranked the projects by weighted average: impact on citizens (×3), feasibility (×2), environmental impact (×2) and cost (×1).",
    ),
}
