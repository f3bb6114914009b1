"""The demo world: organisations of the seed articles, their departments, competences and staff.

Data only (codes, names, roles); `seed_demo` turns it into rows through the services.
Territories are referred to by their HCP code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = {
    # slug: (is_collectivity, ar, fr, en)
    "commune-council": (True, "مجلس جماعة", "Conseil communal", "Commune council"),
    "province-council": (
        True,
        "مجلس عمالة أو إقليم",
        "Conseil préfectoral ou provincial",
        "Prefecture or province council",
    ),
    "region-council": (True, "مجلس جهة", "Conseil régional", "Region council"),
    "urban-agency": (False, "وكالة حضرية", "Agence urbaine", "Urban agency"),
    "investment-centre": (
        False,
        "مركز جهوي للاستثمار",
        "Centre régional d'investissement",
        "Regional investment centre",
    ),
    "concession-company": (False, "شركة مفوض لها", "Société délégataire", "Concession company"),
    "civil-protection": (False, "الوقاية المدنية", "Protection civile", "Civil protection"),
    "ministry": (False, "وزارة", "Ministère", "Ministry"),
    "international-partner": (
        False,
        "شريك دولي",
        "Partenaire international",
        "International partner",
    ),
    "joint-fund": (False, "صندوق مشترك", "Fonds commun", "Joint fund"),
}

DOMAINS = {
    # slug: (ar, fr, en)
    "cleanliness": ("النظافة", "Propreté", "Cleanliness"),
    "waste-collection": ("جمع النفايات", "Collecte des déchets", "Waste collection"),
    "public-lighting": ("الإنارة العمومية", "Éclairage public", "Public lighting"),
    "green-spaces": ("المساحات الخضراء", "Espaces verts", "Green spaces"),
    "roads": ("الطرق والأرصفة", "Voirie et trottoirs", "Roads and pavements"),
    "urban-transport": ("النقل الحضري", "Transport urbain", "Urban transport"),
    "water-sanitation": ("الماء والتطهير", "Eau et assainissement", "Water and sanitation"),
    "urbanism-notes": (
        "مذكرات المعلومات التعميرية",
        "Notes de renseignements urbanistiques",
        "Urbanism information notes",
    ),
    "building-permits": ("رخص البناء", "Permis de construire", "Building permits"),
    "civil-status": ("الحالة المدنية", "État civil", "Civil status"),
    "investment-support": (
        "مواكبة المستثمرين",
        "Accompagnement des investisseurs",
        "Investor support",
    ),
}

DEPARTMENTS = {
    # slug: (ar, fr, en)
    "cleanliness": ("قسم النظافة", "Service de la propreté", "Cleanliness department"),
    "public-lighting": (
        "قسم الإنارة العمومية",
        "Service de l'éclairage public",
        "Public lighting department",
    ),
    "green-spaces": (
        "قسم المساحات الخضراء",
        "Service des espaces verts",
        "Green spaces department",
    ),
    "urbanism": ("قسم التعمير", "Service de l'urbanisme", "Urbanism department"),
    "civil-status": ("مكتب الحالة المدنية", "Bureau de l'état civil", "Civil status office"),
    "roads": ("قسم الطرق", "Service de la voirie", "Roads department"),
    "programmes": (
        "قسم البرامج والمشاريع",
        "Direction des programmes et projets",
        "Programmes and projects department",
    ),
    "studies": ("قسم الدراسات", "Département des études", "Studies department"),
    "permits": (
        "قسم التدبير الحضري",
        "Département de la gestion urbaine",
        "Urban management department",
    ),
    "investors": (
        "قطب مواكبة المستثمرين",
        "Pôle accompagnement des investisseurs",
        "Investor support unit",
    ),
    "collection": ("مصلحة الجمع", "Service de collecte", "Collection service"),
}


@dataclass
class DemoOrganisation:
    slug: str | None  # None: a council, whose slug comes from its seat
    kind: str
    names: tuple[str, str, str]  # ar, fr, en
    territories: list[str]  # HCP codes covered
    seat: str | None = None
    colour: str = "#0b6e4f"
    departments: list[str] = field(default_factory=list)
    description: tuple[str, str, str] = ("", "", "")


ORGANISATIONS = [
    DemoOrganisation(
        None,
        "commune-council",
        ("جماعة تطوان", "Commune de Tétouan", "Commune of Tétouan"),
        ["01.571.01.11"],
        seat="01.571.01.11",
        colour="#1d4e89",
        departments=["cleanliness", "public-lighting", "green-spaces", "urbanism", "civil-status"],
        description=(
            "الجماعة الترابية لتطوان: خدمات القرب، النظافة، الإنارة العمومية والمساحات الخضراء.",
            "La commune de Tétouan : services de proximité, propreté, éclairage public et espaces verts.",
            "The commune of Tétouan: local services, cleanliness, public lighting and green spaces.",
        ),
    ),
    DemoOrganisation(
        None,
        "commune-council",
        ("جماعة سيدي قاسم", "Commune de Sidi Kacem", "Commune of Sidi Kacem"),
        ["04.481.01.11"],
        seat="04.481.01.11",
        colour="#7a3b00",
        departments=["cleanliness", "public-lighting", "green-spaces", "civil-status"],
    ),
    DemoOrganisation(
        None,
        "commune-council",
        ("جماعة الرشيدية", "Commune d'Errachidia", "Commune of Errachidia"),
        ["08.201.01.05"],
        seat="08.201.01.05",
        colour="#8a1c1c",
        departments=["cleanliness", "public-lighting", "green-spaces", "urbanism", "civil-status"],
    ),
    DemoOrganisation(
        None,
        "province-council",
        ("مجلس إقليم تطوان", "Conseil provincial de Tétouan", "Tétouan Province Council"),
        ["01.571"],
        seat="01.571",
        colour="#2f5d50",
        departments=["roads", "programmes"],
    ),
    DemoOrganisation(
        None,
        "region-council",
        (
            "مجلس جهة درعة تافيلالت",
            "Conseil de la région Drâa-Tafilalet",
            "Drâa-Tafilalet Regional Council",
        ),
        ["08"],
        seat="08",
        colour="#9c5a00",
        departments=["programmes", "investors"],
    ),
    DemoOrganisation(
        "agence-urbaine-kenitra-sidi-kacem-sidi-slimane",
        "urban-agency",
        (
            "الوكالة الحضرية للقنيطرة سيدي قاسم سيدي سليمان",
            "Agence urbaine de Kénitra–Sidi Kacem–Sidi Slimane",
            "Urban agency of Kénitra–Sidi Kacem–Sidi Slimane",
        ),
        ["04.281", "04.481", "04.491"],
        colour="#00607a",
        departments=["studies", "permits"],
        description=(
            "رقمنة جميع خدمات الوكالة عبر بوابة تفاعلية وتطبيق للهواتف الذكية.",
            "Tous les services de l'agence, numérisés sur un portail interactif et une application mobile.",
            "All of the agency's services, digitised on an interactive portal and a mobile app.",
        ),
    ),
    DemoOrganisation(
        "cri-draa-tafilalet",
        "investment-centre",
        (
            "المركز الجهوي للاستثمار درعة تافيلالت",
            "Centre régional d'investissement Drâa-Tafilalet",
            "Drâa-Tafilalet Regional Investment Centre",
        ),
        ["08"],
        colour="#4b3f72",
        departments=["investors"],
    ),
    DemoOrganisation(
        "tetouan-proprete",
        "concession-company",
        (
            "شركة تطوان للنظافة (مفوض لها)",
            "Tétouan Propreté (délégataire)",
            "Tétouan Propreté (concession company)",
        ),
        ["01.571.01.11"],
        colour="#2e7d32",
        departments=["collection"],
    ),
]

# (organisation slug or council seat code, domain, territory code, department slug)
COMPETENCES = [
    ("01.571.01.11", "public-lighting", "01.571.01.11", "public-lighting"),
    ("01.571.01.11", "green-spaces", "01.571.01.11", "green-spaces"),
    ("01.571.01.11", "cleanliness", "01.571.01.11", "cleanliness"),
    ("tetouan-proprete", "waste-collection", "01.571.01.11", "collection"),
    ("01.571", "roads", "01.571", "roads"),
    ("01.571.01.11", "civil-status", "01.571.01.11", "civil-status"),
    ("04.481.01.11", "public-lighting", "04.481.01.11", "public-lighting"),
    ("04.481.01.11", "cleanliness", "04.481.01.11", "cleanliness"),
    ("04.481.01.11", "waste-collection", "04.481.01.11", "cleanliness"),
    ("04.481.01.11", "green-spaces", "04.481.01.11", "green-spaces"),
    ("agence-urbaine-kenitra-sidi-kacem-sidi-slimane", "urbanism-notes", "04.281", "studies"),
    ("agence-urbaine-kenitra-sidi-kacem-sidi-slimane", "urbanism-notes", "04.481", "studies"),
    ("agence-urbaine-kenitra-sidi-kacem-sidi-slimane", "urbanism-notes", "04.491", "studies"),
    ("08.201.01.05", "public-lighting", "08.201.01.05", "public-lighting"),
    ("08.201.01.05", "cleanliness", "08.201.01.05", "cleanliness"),
    ("08.201.01.05", "waste-collection", "08.201.01.05", "cleanliness"),
    ("08.201.01.05", "green-spaces", "08.201.01.05", "green-spaces"),
    ("08.201.01.05", "building-permits", "08.201.01.05", "urbanism"),
    ("cri-draa-tafilalet", "investment-support", "08", "investors"),
]


@dataclass
class DemoStaff:
    email: str
    full_name: str
    organisation: str  # slug or council seat code
    role: str
    department: str | None = None
    limited_to: list[str] = field(default_factory=list)  # HCP codes


STAFF = [
    DemoStaff("admin.tetouan@demo.jamaati.ma", "Samira El Idrissi", "01.571.01.11", "org_admin"),
    DemoStaff(
        "head.lighting.tetouan@demo.jamaati.ma",
        "Youssef Bennani",
        "01.571.01.11",
        "department_head",
        "public-lighting",
    ),
    DemoStaff(
        "agent.lighting.tetouan@demo.jamaati.ma",
        "Khadija Amrani",
        "01.571.01.11",
        "agent",
        "public-lighting",
    ),
    DemoStaff(
        "agent.cleanliness.tetouan@demo.jamaati.ma",
        "Omar Tazi",
        "01.571.01.11",
        "agent",
        "cleanliness",
    ),
    DemoStaff("moderator.tetouan@demo.jamaati.ma", "Nadia Chraibi", "01.571.01.11", "moderator"),
    DemoStaff(
        "elected.tetouan@demo.jamaati.ma", "Mustapha Alaoui", "01.571.01.11", "elected_official"
    ),
    DemoStaff(
        "agent.tetouan-proprete@demo.jamaati.ma",
        "Hicham Berrada",
        "tetouan-proprete",
        "agent",
        "collection",
    ),
    DemoStaff(
        "agent.roads.province-tetouan@demo.jamaati.ma",
        "Rachid Ouazzani",
        "01.571",
        "agent",
        "roads",
    ),
    DemoStaff(
        "agent.roads.oued-laou@demo.jamaati.ma",
        "Fatima Zahra Lahlou",
        "01.571",
        "agent",
        "roads",
        limited_to=["01.571.01.07"],
    ),
    DemoStaff("admin.sidi-kacem@demo.jamaati.ma", "Abdelilah Naciri", "04.481.01.11", "org_admin"),
    DemoStaff(
        "agent.sidi-kacem@demo.jamaati.ma", "Salma Kettani", "04.481.01.11", "agent", "cleanliness"
    ),
    DemoStaff("admin.errachidia@demo.jamaati.ma", "Hassan Ait Ouarab", "08.201.01.05", "org_admin"),
    DemoStaff(
        "agent.errachidia@demo.jamaati.ma",
        "Zineb Ouchen",
        "08.201.01.05",
        "agent",
        "public-lighting",
    ),
    DemoStaff("admin.draa-tafilalet@demo.jamaati.ma", "Lahcen Amzil", "08", "org_admin"),
    DemoStaff(
        "official.draa-tafilalet@demo.jamaati.ma", "Aicha Boutaleb", "08", "elected_official"
    ),
    DemoStaff(
        "reviewer.urban-agency@demo.jamaati.ma",
        "Karim Sebti",
        "agence-urbaine-kenitra-sidi-kacem-sidi-slimane",
        "reviewer",
        "studies",
    ),
    DemoStaff(
        "admin.urban-agency@demo.jamaati.ma",
        "Meryem Fassi",
        "agence-urbaine-kenitra-sidi-kacem-sidi-slimane",
        "org_admin",
    ),
    DemoStaff(
        "agent.cri@demo.jamaati.ma", "Driss Haddou", "cri-draa-tafilalet", "agent", "investors"
    ),
]

PLATFORM_ADMIN = ("platform.admin@demo.jamaati.ma", "Platform Admin")
CITIZEN = ("citizen@demo.jamaati.ma", "أمينة المواطنة")
