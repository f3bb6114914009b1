"""The demo's e-services: four real procedures of Tétouan, their forms, a demo urban plan's zoning
layer, and a few applications in different states.

Data only; `manage.py seed_procedures` turns it into rows through the services (idempotent).
The zoning layer is a *demo*: zones drawn over the real commune of Tétouan with rules typical
of a Moroccan plan d'aménagement, not the official plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COMMUNE_CODE = "01.571.01.11"  # Tétouan (HCP)
COUNCIL = "tetouan"  # the commune council's slug (organisations.services.council_slug)

# Organisations the procedures need that organisations/demo.py does not have yet: created by
# seed_procedures when missing (slug, kind, names ar/fr/en, departments).
EXTRA_ORGANISATIONS = [
    (
        "agence-urbaine-tetouan",
        "urban-agency",
        ("الوكالة الحضرية لتطوان", "Agence urbaine de Tétouan", "Urban agency of Tétouan"),
        ["studies", "permits"],
    ),
    (
        "protection-civile-tetouan",
        "civil-protection",
        (
            "المديرية الإقليمية للوقاية المدنية بتطوان",
            "Direction provinciale de la protection civile de Tétouan",
            "Provincial civil protection directorate of Tétouan",
        ),
        [],
    ),
]
EXTRA_DEPARTMENTS = {
    # organisation slug: [department slug, ...] (names from organisations.demo.DEPARTMENTS)
    COUNCIL: ["urbanism", "civil-status"],
}


@dataclass
class DemoStaff:
    email: str
    full_name: str
    organisation: str
    role: str
    department: str | None = None


STAFF = [
    DemoStaff(
        "agent.urbanism.tetouan@demo.jamaati.ma", "Imane Bakkali", COUNCIL, "agent", "urbanism"
    ),
    DemoStaff(
        "agent.civil-status.tetouan@demo.jamaati.ma",
        "Anas Khattabi",
        COUNCIL,
        "agent",
        "civil-status",
    ),
    DemoStaff(
        "agent.urban-agency-tetouan@demo.jamaati.ma",
        "Houda Temsamani",
        "agence-urbaine-tetouan",
        "agent",
        "studies",
    ),
    DemoStaff(
        "reviewer.urban-agency-tetouan@demo.jamaati.ma",
        "Yassine Azzouzi",
        "agence-urbaine-tetouan",
        "reviewer",
        "permits",
    ),
    DemoStaff(
        "reviewer.civil-protection-tetouan@demo.jamaati.ma",
        "Said Ouaryaghli",
        "protection-civile-tetouan",
        "reviewer",
    ),
]

# The catalogue of documents an administration may ask for (law 55-19): code → (ar, fr, en).
DOCUMENTS = {
    "cin-copy": (
        "نسخة من البطاقة الوطنية للتعريف الإلكترونية",
        "Copie de la carte nationale d'identité électronique",
        "Copy of the national identity card",
    ),
    "site-plan": ("تصميم الموقع", "Plan de situation", "Site plan"),
    "property-certificate": (
        "شهادة الملكية أو عقد الملكية",
        "Certificat de propriété ou acte de propriété",
        "Property certificate or title deed",
    ),
    "architect-plans": (
        "التصاميم المعمارية الموقعة من طرف مهندس معماري",
        "Plans architecturaux signés par un architecte",
        "Architectural plans signed by an architect",
    ),
    "topographic-plan": (
        "التصميم الطبوغرافي المنجز من طرف مهندس مساح طبوغرافي",
        "Plan topographique établi par un ingénieur géomètre-topographe",
        "Topographic survey by a licensed surveyor",
    ),
    "residence-proof": (
        "ما يثبت السكنى (عقد كراء أو فاتورة الماء أو الكهرباء)",
        "Justificatif de domicile (bail ou facture d'eau ou d'électricité)",
        "Proof of address (lease or water or electricity bill)",
    ),
    "document-to-legalise": (
        "الوثيقة المراد تصحيح الإمضاء عليها",
        "Document dont la signature est à légaliser",
        "Document whose signature is to be legalised",
    ),
}


def _t(ar: str, fr: str, en: str) -> dict[str, str]:
    return {"ar": ar, "fr": fr, "en": en}


def _field(
    key: str, kind: str, label: dict[str, str], *, required: bool = False, **options
) -> dict[str, Any]:
    return {"key": key, "type": kind, "label": label, "required": required, **options}


def _choice(key: str, ar: str, fr: str, en: str) -> dict[str, Any]:
    return {"key": key, "label": _t(ar, fr, en)}


def _file(
    key: str, document: str, label: dict[str, str], *, required: bool = True
) -> dict[str, Any]:
    return _field(
        key,
        "file",
        label,
        required=required,
        document=document,
        allowed_types=["document", "image"],
    )


APPLICANT_SECTION = {
    "key": "applicant",
    "title": _t("مقدم الطلب", "Demandeur", "Applicant"),
    "fields": [
        _field("full_name", "text", _t("الاسم الكامل", "Nom complet", "Full name"), required=True),
        _field(
            "cin",
            "cin",
            _t("رقم البطاقة الوطنية للتعريف", "Numéro de la CIN", "National ID card number"),
            required=True,
            help=_t("مثال: AB123456", "Exemple : AB123456", "For example AB123456"),
        ),
        _field("phone", "phone", _t("رقم الهاتف", "Téléphone", "Phone"), required=True),
        _field("email", "email", _t("البريد الإلكتروني", "Courriel", "E-mail")),
    ],
}

USE_CHOICES = [
    _choice("housing", "سكن", "Habitation", "Housing"),
    _choice("commerce", "تجارة", "Commerce", "Shops"),
    _choice("offices", "مكاتب", "Bureaux", "Offices"),
    _choice("crafts", "صناعة تقليدية", "Artisanat", "Crafts"),
    _choice("industry", "نشاط صناعي", "Activité industrielle", "Industry"),
]

URBANISM_NOTE_FORM = {
    "sections": [
        APPLICANT_SECTION,
        {
            "key": "parcel_section",
            "title": _t("العقار", "Terrain", "Parcel"),
            "help": _t(
                "ارسموا حدود العقار على الخريطة: تُستخرج المذكرة من تنطيق تصميم التهيئة.",
                "Dessinez le terrain sur la carte : la note est établie à partir du zonage du plan d'aménagement.",
                "Draw the parcel on the map: the note is drawn from the zoning of the urban plan.",
            ),
            "fields": [
                _field("commune", "commune", _t("الجماعة", "Commune", "Commune"), required=True),
                _field(
                    "parcel",
                    "parcel",
                    _t("حدود العقار", "Contour du terrain", "Parcel outline"),
                    required=True,
                    max_area_m2=50000,
                ),
                _field(
                    "land_title",
                    "text",
                    _t("رقم الرسم العقاري", "Numéro du titre foncier", "Land title number"),
                    help=_t("مثال: 12345/19", "Exemple : 12345/19", "For example 12345/19"),
                ),
                _field(
                    "is_titled",
                    "yes_no",
                    _t(
                        "هل العقار محفظ؟",
                        "Le terrain est-il immatriculé ?",
                        "Is the land registered?",
                    ),
                    required=True,
                ),
                _field(
                    "intended_use",
                    "multiple_choice",
                    _t("الاستعمال المزمع", "Usage envisagé", "Intended use"),
                    choices=USE_CHOICES,
                ),
            ],
        },
        {
            "key": "documents",
            "title": _t("الوثائق", "Pièces", "Documents"),
            "fields": [
                _file(
                    "cin_copy",
                    "cin-copy",
                    _t("نسخة من البطاقة الوطنية", "Copie de la CIN", "Copy of the ID card"),
                ),
                _file(
                    "site_plan", "site-plan", _t("تصميم الموقع", "Plan de situation", "Site plan")
                ),
                _file(
                    "property_certificate",
                    "property-certificate",
                    _t("شهادة الملكية", "Certificat de propriété", "Property certificate"),
                    required=False,
                ),
            ],
        },
    ]
}

BUILDING_PERMIT_FORM = {
    "sections": [
        APPLICANT_SECTION,
        {
            "key": "project",
            "title": _t("المشروع", "Projet", "Project"),
            "fields": [
                _field("commune", "commune", _t("الجماعة", "Commune", "Commune"), required=True),
                _field(
                    "parcel",
                    "parcel",
                    _t("حدود العقار", "Contour du terrain", "Parcel outline"),
                    required=True,
                ),
                _field(
                    "floors",
                    "single_choice",
                    _t("عدد الطوابق", "Nombre de niveaux", "Number of storeys"),
                    required=True,
                    choices=[
                        _choice("r0", "طابق أرضي", "Rez-de-chaussée", "Ground floor"),
                        _choice("r1", "طابق أرضي + 1", "R+1", "Ground + 1"),
                        _choice("r2", "طابق أرضي + 2", "R+2", "Ground + 2"),
                    ],
                ),
                _field(
                    "floor_area",
                    "number",
                    _t(
                        "المساحة المغطاة الإجمالية (م²)",
                        "Surface plancher totale (m²)",
                        "Total floor area (m²)",
                    ),
                    required=True,
                    min=1,
                    max=500,
                ),
                _field(
                    "has_basement",
                    "yes_no",
                    _t(
                        "هل يتضمن المشروع طابقا تحت أرضي؟",
                        "Le projet comporte-t-il un sous-sol ?",
                        "Is there a basement?",
                    ),
                ),
                _field(
                    "basement_use",
                    "text",
                    _t("استعمال الطابق تحت الأرضي", "Usage du sous-sol", "Use of the basement"),
                    required=True,
                    condition={"field": "has_basement", "op": "equals", "value": True},
                ),
                _field(
                    "architect",
                    "text",
                    _t("اسم المهندس المعماري", "Nom de l'architecte", "Architect's name"),
                    required=True,
                ),
            ],
        },
        {
            "key": "co_owners_section",
            "title": _t("الشركاء في الملك", "Copropriétaires", "Co-owners"),
            "fields": [
                _field(
                    "has_co_owners",
                    "yes_no",
                    _t(
                        "هل للعقار مالكون آخرون؟",
                        "Le terrain a-t-il d'autres propriétaires ?",
                        "Are there other owners?",
                    ),
                ),
                _field(
                    "co_owners",
                    "group",
                    _t("المالكون الآخرون", "Autres propriétaires", "Other owners"),
                    required=True,
                    condition={"field": "has_co_owners", "op": "equals", "value": True},
                    max_items=10,
                    fields=[
                        _field(
                            "name",
                            "text",
                            _t("الاسم الكامل", "Nom complet", "Full name"),
                            required=True,
                        ),
                        _field(
                            "cin",
                            "cin",
                            _t("رقم البطاقة الوطنية", "Numéro de la CIN", "ID card number"),
                            required=True,
                        ),
                    ],
                ),
            ],
        },
        {
            "key": "documents",
            "title": _t("الوثائق", "Pièces", "Documents"),
            "fields": [
                _file(
                    "cin_copy",
                    "cin-copy",
                    _t("نسخة من البطاقة الوطنية", "Copie de la CIN", "Copy of the ID card"),
                ),
                _file(
                    "property_certificate",
                    "property-certificate",
                    _t("شهادة الملكية", "Certificat de propriété", "Property certificate"),
                ),
                _file(
                    "architect_plans",
                    "architect-plans",
                    _t("التصاميم المعمارية", "Plans architecturaux", "Architectural plans"),
                ),
                _file(
                    "topographic_plan",
                    "topographic-plan",
                    _t("التصميم الطبوغرافي", "Plan topographique", "Topographic survey"),
                ),
            ],
        },
    ]
}

RESIDENCE_FORM = {
    "sections": [
        APPLICANT_SECTION,
        {
            "key": "residence",
            "title": _t("السكن", "Résidence", "Residence"),
            "fields": [
                _field("commune", "commune", _t("الجماعة", "Commune", "Commune"), required=True),
                _field(
                    "address",
                    "long_text",
                    _t("العنوان الكامل", "Adresse complète", "Full address"),
                    required=True,
                ),
                _field(
                    "since",
                    "date",
                    _t(
                        "تاريخ بداية السكن بهذا العنوان",
                        "Résident à cette adresse depuis",
                        "Living at this address since",
                    ),
                    required=True,
                    min="1930-01-01",
                ),
                _field(
                    "purpose",
                    "single_choice",
                    _t("الغرض من الشهادة", "Motif de la demande", "Purpose"),
                    required=True,
                    choices=[
                        _choice(
                            "administrative",
                            "ملف إداري",
                            "Dossier administratif",
                            "Administrative file",
                        ),
                        _choice("bank", "ملف بنكي", "Dossier bancaire", "Bank file"),
                        _choice(
                            "school", "تسجيل مدرسي", "Inscription scolaire", "School enrolment"
                        ),
                        _choice("other", "غرض آخر", "Autre", "Other"),
                    ],
                ),
                _field(
                    "purpose_other",
                    "text",
                    _t("حددوا الغرض", "Précisez le motif", "State the purpose"),
                    required=True,
                    condition={"field": "purpose", "op": "equals", "value": "other"},
                ),
            ],
        },
        {
            "key": "documents",
            "title": _t("الوثائق", "Pièces", "Documents"),
            "fields": [
                _file(
                    "cin_copy",
                    "cin-copy",
                    _t("نسخة من البطاقة الوطنية", "Copie de la CIN", "Copy of the ID card"),
                ),
                _file(
                    "residence_proof",
                    "residence-proof",
                    _t("ما يثبت السكنى", "Justificatif de domicile", "Proof of address"),
                ),
            ],
        },
    ]
}

LEGALISATION_FORM = {
    "sections": [
        APPLICANT_SECTION,
        {
            "key": "legalisation",
            "title": _t("الوثيقة", "Document", "Document"),
            "help": _t(
                "يوقع المعني بالأمر أمام الموظف المختص بمكتب تصحيح الإمضاءات.",
                "Le signataire signe devant l'agent du bureau de légalisation.",
                "The signatory signs in front of the legalisation officer.",
            ),
            "fields": [
                _field(
                    "document_kind",
                    "single_choice",
                    _t("نوع الوثيقة", "Nature du document", "Kind of document"),
                    required=True,
                    choices=[
                        _choice("contract", "عقد", "Contrat", "Contract"),
                        _choice("commitment", "التزام", "Engagement", "Commitment"),
                        _choice("power_of_attorney", "وكالة", "Procuration", "Power of attorney"),
                        _choice("other", "وثيقة أخرى", "Autre document", "Other document"),
                    ],
                ),
                _field(
                    "copies",
                    "number",
                    _t("عدد النسخ", "Nombre d'exemplaires", "Number of copies"),
                    required=True,
                    min=1,
                    max=20,
                ),
            ],
        },
        {
            "key": "documents",
            "title": _t("الوثائق", "Pièces", "Documents"),
            "fields": [
                _file(
                    "cin_copy",
                    "cin-copy",
                    _t("نسخة من البطاقة الوطنية", "Copie de la CIN", "Copy of the ID card"),
                ),
                _file(
                    "document",
                    "document-to-legalise",
                    _t(
                        "الوثيقة المراد تصحيح إمضائها",
                        "Document à légaliser",
                        "Document to legalise",
                    ),
                ),
            ],
        },
    ]
}


@dataclass
class DemoProcedure:
    organisation: str
    slug: str
    department: str
    titles: tuple[str, str, str]
    summaries: tuple[str, str, str]
    eligibility: tuple[str, str, str]
    legal_basis: tuple[str, str, str]
    fee: str
    processing_days: int
    channel: str
    decision_kind: str
    documents: list[tuple[str, bool]]
    form: dict[str, Any]
    silence_means_approval: bool = False
    position: int = 0


PROCEDURES = [
    DemoProcedure(
        organisation="agence-urbaine-tetouan",
        slug="urbanism-information-note",
        department="studies",
        titles=(
            "مذكرة المعلومات التعميرية",
            "Note de renseignements urbanistiques",
            "Urbanism information note",
        ),
        summaries=(
            "وثيقة تبين الضوابط التعميرية المطبقة على عقار حسب تصميم التهيئة: التخصيص، الاستعمالات المسموح بها، العلو الأقصى ومعامل استغلال الأرض.",
            "Document indiquant les règles d'urbanisme applicables à un terrain selon le plan d'aménagement : affectation, usages autorisés, hauteur maximale et coefficient d'occupation du sol.",
            "A document stating the planning rules that apply to a parcel under the urban plan: zoning, allowed uses, maximum height and plot ratio.",
        ),
        eligibility=(
            "كل مالك أو صاحب حق عيني أو من ينوب عنه، وكل مستثمر أو مهندس معماري.",
            "Tout propriétaire ou titulaire d'un droit réel, son mandataire, tout investisseur ou architecte.",
            "Any owner or holder of a real right, their representative, any investor or architect.",
        ),
        legal_basis=(
            "القانون رقم 12.90 المتعلق بالتعمير، والظهير رقم 1.93.51 المحدث للوكالات الحضرية.",
            "Loi n° 12-90 relative à l'urbanisme ; dahir n° 1-93-51 instituant les agences urbaines.",
            "Law 12-90 on urbanism; dahir 1-93-51 establishing the urban agencies.",
        ),
        fee="100.00",
        processing_days=5,
        channel="online",
        decision_kind="note",
        documents=[("cin-copy", True), ("site-plan", True), ("property-certificate", False)],
        form=URBANISM_NOTE_FORM,
        position=1,
    ),
    DemoProcedure(
        organisation=COUNCIL,
        slug="building-permit-small-dwelling",
        department="urbanism",
        titles=(
            "رخصة البناء لسكن فردي صغير",
            "Permis de construire d'une petite habitation",
            "Building permit for a small dwelling",
        ),
        summaries=(
            "رخصة بناء مسكن فردي لا يتجاوز طابقين فوق الطابق الأرضي، بعد دراسة الملف من طرف الوكالة الحضرية والوقاية المدنية.",
            "Permis de construire une habitation individuelle jusqu'à R+2, après avis de l'agence urbaine et de la protection civile.",
            "Permit to build a single-family house up to ground + 2 storeys, after the opinions of the urban agency and civil protection.",
        ),
        eligibility=(
            "مالك العقار أو من له حق البناء عليه.",
            "Le propriétaire du terrain ou le titulaire du droit de construire.",
            "The owner of the parcel or the holder of the right to build.",
        ),
        legal_basis=(
            "القانون رقم 12.90 المتعلق بالتعمير (المادة 48: يعتبر السكوت بعد شهرين موافقة)، والمرسوم رقم 2.18.577 بالموافقة على ضابط البناء العام.",
            "Loi n° 12-90 relative à l'urbanisme (article 48 : le silence vaut accord après deux mois) ; décret n° 2-18-577 approuvant le règlement général de construction.",
            "Law 12-90 on urbanism (article 48: silence for two months means approval); decree 2-18-577 approving the general building regulation.",
        ),
        fee="0.00",
        processing_days=40,
        channel="both",
        decision_kind="authorisation",
        documents=[
            ("cin-copy", True),
            ("property-certificate", True),
            ("architect-plans", True),
            ("topographic-plan", True),
        ],
        form=BUILDING_PERMIT_FORM,
        silence_means_approval=True,
        position=2,
    ),
    DemoProcedure(
        organisation=COUNCIL,
        slug="certificate-of-residence",
        department="civil-status",
        titles=("شهادة السكنى", "Certificat de résidence", "Certificate of residence"),
        summaries=(
            "شهادة تثبت أن المعني بالأمر يسكن بعنوان داخل تراب الجماعة.",
            "Certificat attestant que le demandeur réside à une adresse de la commune.",
            "A certificate stating that the applicant lives at an address in the commune.",
        ),
        eligibility=(
            "كل شخص يسكن بتراب الجماعة.",
            "Toute personne résidant sur le territoire de la commune.",
            "Anyone living in the commune.",
        ),
        legal_basis=(
            "القانون التنظيمي رقم 113.14 المتعلق بالجماعات.",
            "Loi organique n° 113-14 relative aux communes.",
            "Organic law 113-14 on communes.",
        ),
        fee="0.00",
        processing_days=2,
        channel="both",
        decision_kind="certificate",
        documents=[("cin-copy", True), ("residence-proof", True)],
        form=RESIDENCE_FORM,
        position=3,
    ),
    DemoProcedure(
        organisation=COUNCIL,
        slug="signature-legalisation",
        department="civil-status",
        titles=("تصحيح الإمضاء", "Légalisation de signature", "Signature legalisation"),
        summaries=(
            "الإشهاد على صحة إمضاء شخص على وثيقة، بحضوره شخصيا أمام الموظف المختص.",
            "Certification de l'authenticité de la signature d'une personne sur un document, en sa présence devant l'agent habilité.",
            "Certifying a person's signature on a document, signed in person in front of the authorised officer.",
        ),
        eligibility=(
            "صاحب الإمضاء شخصيا، مع بطاقته الوطنية.",
            "Le signataire en personne, muni de sa CIN.",
            "The signatory in person, with their national ID card.",
        ),
        legal_basis=(
            "القانون التنظيمي رقم 113.14 المتعلق بالجماعات (المادة 102).",
            "Loi organique n° 113-14 relative aux communes (article 102).",
            "Organic law 113-14 on communes (article 102).",
        ),
        fee="20.00",
        processing_days=1,
        channel="counter",
        decision_kind="legalisation",
        documents=[("cin-copy", True), ("document-to-legalise", True)],
        form=LEGALISATION_FORM,
        position=4,
    ),
]


# --- The demo urban plan of Tétouan ---------------------------------------------------------------

ZONING_PLAN = {
    "slug": "tetouan-demo-plan",
    "organisation": "agence-urbaine-tetouan",
    "names": _t(
        "تصميم تهيئة تطوان (طبقة تنطيق تجريبية)",
        "Plan d'aménagement de Tétouan (couche de zonage de démonstration)",
        "Tétouan urban plan (demo zoning layer)",
    ),
    "source": "Demo data drawn for Jamaati over the commune of Tétouan; not the official plan.",
}


def _box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


@dataclass
class DemoZone:
    code: str
    names: tuple[str, str, str]
    allowed_uses: list[str]
    max_height_m: str | None
    max_floors: int | None
    plot_ratio: str | None
    land_coverage: str | None
    rules: tuple[str, str, str]
    geometry: dict[str, Any] = field(default_factory=dict)


ZONES = [
    DemoZone(
        "MED",
        ("المدينة العتيقة", "Médina (secteur sauvegardé)", "Medina (protected area)"),
        ["housing", "commerce", "crafts", "tourism"],
        "9.00",
        2,
        "1.50",
        "100.00",
        (
            "كل ترميم أو بناء يخضع لرأي مسبق للمصالح المكلفة بالتراث.",
            "Toute restauration ou construction est soumise à l'avis préalable des services du patrimoine.",
            "Any restoration or building needs the prior opinion of the heritage services.",
        ),
        _box(-5.3650, 35.5700, -5.3580, 35.5750),
    ),
    DemoZone(
        "D1",
        ("منطقة العمارات (ط.أ+4)", "Zone d'immeubles (R+4)", "Apartment blocks (ground + 4)"),
        ["housing", "commerce", "offices"],
        "17.00",
        5,
        "3.20",
        "80.00",
        (
            "الطابق الأرضي مخصص للتجارة على الشوارع الرئيسية.",
            "Rez-de-chaussée commercial obligatoire sur les voies principales.",
            "Shops are required on the ground floor along main streets.",
        ),
        _box(-5.3750, 35.5700, -5.3650, 35.5780),
    ),
    DemoZone(
        "D3",
        (
            "منطقة السكن الاقتصادي (ط.أ+2)",
            "Habitat économique (R+2)",
            "Low-cost housing (ground + 2)",
        ),
        ["housing", "commerce"],
        "11.50",
        3,
        "2.00",
        "70.00",
        (
            "مسافة ارتداد لا تقل عن 3 أمتار عن الحدود الخلفية.",
            "Recul minimal de 3 mètres par rapport aux limites de fond.",
            "A set-back of at least 3 metres from the rear boundary.",
        ),
        _box(-5.3850, 35.5700, -5.3750, 35.5800),
    ),
    DemoZone(
        "VIL",
        ("منطقة الفيلات", "Zone de villas", "Villa zone"),
        ["housing"],
        "8.50",
        2,
        "0.60",
        "30.00",
        (
            "مساحة القطعة الدنيا 300 م²، وارتداد 5 أمتار عن الطريق.",
            "Superficie minimale du lot 300 m² ; recul de 5 mètres sur voie.",
            "Minimum plot 300 m²; a 5-metre set-back from the street.",
        ),
        _box(-5.3950, 35.5700, -5.3850, 35.5800),
    ),
    DemoZone(
        "ZV",
        ("منطقة خضراء", "Espace vert", "Green space"),
        ["green", "facilities"],
        None,
        None,
        None,
        None,
        (
            "يمنع البناء باستثناء التجهيزات الخفيفة للترفيه.",
            "Inconstructible, sauf équipements légers de loisirs.",
            "No building, except light leisure facilities.",
        ),
        _box(-5.3650, 35.5750, -5.3580, 35.5790),
    ),
    DemoZone(
        "ZA",
        ("منطقة الأنشطة", "Zone d'activités", "Business zone"),
        ["industry", "crafts", "offices"],
        "12.00",
        2,
        "1.20",
        "60.00",
        (
            "يمنع السكن باستثناء سكن الحراسة.",
            "Habitat interdit, sauf logement de gardiennage.",
            "No housing, except a caretaker's lodging.",
        ),
        _box(-5.3560, 35.5800, -5.3440, 35.5880),
    ),
]


# --- Demo applications ---------------------------------------------------------------------------------

DEMO_PARCEL = _box(-5.3820, 35.5740, -5.3816, 35.5744)  # inside the D3 zone, about 1,450 m²
DEMO_PARCEL_ACROSS = _box(-5.3755, 35.5740, -5.3745, 35.5744)  # across D1 and D3

APPLICANT_ANSWERS = {
    "full_name": "أمينة المواطنة",
    "cin": "L123456",
    "phone": "0612345678",
    "email": "citizen@demo.jamaati.ma",
}


@dataclass
class DemoApplication:
    procedure: str
    answers: dict[str, Any]
    # Staff moves after submission, in order: ("in_instruction",), ("completion", message),
    # ("opinions", [organisation slugs]), ("opinion", organisation slug, verdict, comment),
    # ("decide", approved, reasons)
    steps: list[tuple] = field(default_factory=list)
    counter: bool = False


APPLICATIONS = [
    DemoApplication(
        "urbanism-information-note",
        {
            **APPLICANT_ANSWERS,
            "commune": COMMUNE_CODE,
            "parcel": DEMO_PARCEL,
            "is_titled": True,
            "land_title": "45871/19",
            "intended_use": ["housing"],
        },
    ),
    DemoApplication(
        "urbanism-information-note",
        {
            **APPLICANT_ANSWERS,
            "commune": COMMUNE_CODE,
            "parcel": DEMO_PARCEL_ACROSS,
            "is_titled": False,
            "intended_use": ["housing", "commerce"],
        },
        steps=[("in_instruction",), ("decide", True, "")],
    ),
    DemoApplication(
        "building-permit-small-dwelling",
        {
            **APPLICANT_ANSWERS,
            "commune": COMMUNE_CODE,
            "parcel": DEMO_PARCEL,
            "floors": "r1",
            "floor_area": "180",
            "has_basement": False,
            "architect": "Rachid Benjelloun",
            "has_co_owners": True,
            "co_owners": [{"name": "Karim El Fassi", "cin": "LA98765"}],
        },
        steps=[
            ("in_instruction",),
            ("opinions", ["agence-urbaine-tetouan", "protection-civile-tetouan"]),
            (
                "opinion",
                "agence-urbaine-tetouan",
                "reserved",
                "Respecter un recul de 3 m sur la limite de fond.",
            ),
        ],
    ),
    DemoApplication(
        "building-permit-small-dwelling",
        {
            **APPLICANT_ANSWERS,
            "commune": COMMUNE_CODE,
            "parcel": DEMO_PARCEL,
            "floors": "r2",
            "floor_area": "240",
            "has_basement": True,
            "basement_use": "Garage",
            "architect": "Salma Tazi",
            "has_co_owners": False,
        },
        steps=[
            ("in_instruction",),
            (
                "completion",
                "Le plan topographique n'est pas signé par le géomètre. Merci de le remplacer.",
            ),
        ],
    ),
    DemoApplication(
        "certificate-of-residence",
        {
            **APPLICANT_ANSWERS,
            "commune": COMMUNE_CODE,
            "address": "12، زنقة محمد الخامس، تطوان",
            "since": "2015-09-01",
            "purpose": "bank",
        },
        steps=[("in_instruction",)],
    ),
    DemoApplication(
        "certificate-of-residence",
        {
            **APPLICANT_ANSWERS,
            "commune": COMMUNE_CODE,
            "address": "Avenue Hassan II, Tétouan",
            "since": "2024-01-15",
            "purpose": "other",
            "purpose_other": "Dossier de bourse",
        },
        steps=[
            ("in_instruction",),
            (
                "decide",
                False,
                "L'adresse indiquée ne correspond pas au justificatif de domicile fourni.",
            ),
        ],
    ),
    DemoApplication(
        "signature-legalisation",
        {
            "full_name": "Mohamed Alami",
            "cin": "LB445566",
            "phone": "0661234567",
            "document_kind": "commitment",
            "copies": "2",
        },
        counter=True,
    ),
]

COUNTER_CONSENT = (
    "أوافق على أن يودع الموظف هذا الطلب باسمي وعلى معالجة معطياتي الشخصية لهذا الغرض (القانون 09.08).",
    "J'accepte que l'agent dépose cette demande en mon nom et que mes données soient traitées à cette fin (loi 09-08).",
)
