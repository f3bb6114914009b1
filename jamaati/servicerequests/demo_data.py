"""Demo data for service requests: the categories, response templates and reports of the demo world.

Data only; `seed_servicerequests` turns it into rows through the services. Organisations are
named by slug (see `jamaati/organisations/demo.py`), territories by their HCP code, domains
by the slugs of `organisations.demo.DOMAINS`. Texts are (ar, fr, en).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCE = "demo"  # ServiceRequest.source of the demo reports; external_id "demo-001"...
SEED = 20241101  # the RNG seed: the same points and dates on every machine

# The commune councils that get the whole commune catalogue, and the communes they serve.
COMMUNE_COUNCILS = {
    "tetouan": "01.571.01.11",
    "sidi-kacem": "04.481.01.11",
    "errachidia": "08.201.01.05",
}
PROVINCE_COUNCIL = "province-tetouan"


@dataclass(frozen=True)
class Question:
    code: str
    kind: str  # text, number, date, single, multiple
    labels: tuple[str, str, str]
    required: bool = False
    choices: tuple[tuple[str, str, str, str], ...] = ()  # (key, ar, fr, en)


@dataclass(frozen=True)
class CategorySpec:
    code: str
    group: str
    domain: str | None  # competence domain used for routing; None: the commune council (fallback)
    department: str | None  # department slug in the owning organisation, when it has one
    names: tuple[str, str, str]
    help_texts: tuple[str, str, str]
    acknowledge_days: int
    resolve_days: int
    allow_anonymous: bool = True
    questions: tuple[Question, ...] = ()


SINCE_WHEN = Question(
    "since",
    "single",
    ("منذ متى؟", "Depuis quand ?", "Since when?"),
    choices=(
        ("today", "اليوم", "Aujourd'hui", "Today"),
        ("week", "منذ أقل من أسبوع", "Moins d'une semaine", "Less than a week"),
        ("month", "منذ أقل من شهر", "Moins d'un mois", "Less than a month"),
        ("longer", "منذ أكثر من شهر", "Plus d'un mois", "More than a month"),
    ),
)

COMMUNE_CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "waste-not-collected",
        "cleanliness",
        "waste-collection",
        "cleanliness",
        (
            "حاوية ممتلئة أو نفايات لم تُجمع",
            "Conteneur plein ou déchets non collectés",
            "Overflowing bin or uncollected waste",
        ),
        (
            "حاوية تفيض أو أكياس نفايات متروكة في الشارع بعد موعد المرور.",
            "Un conteneur déborde ou des sacs restent dans la rue après le passage prévu.",
            "A bin is overflowing or bags are left in the street after the collection round.",
        ),
        1,
        2,
        questions=(
            Question(
                "waste_kind",
                "single",
                ("نوع النفايات", "Type de déchets", "Kind of waste"),
                required=True,
                choices=(
                    ("household", "نفايات منزلية", "Ordures ménagères", "Household waste"),
                    ("green", "نفايات خضراء", "Déchets verts", "Green waste"),
                    ("bulky", "متلاشيات كبيرة", "Encombrants", "Bulky items"),
                ),
            ),
        ),
    ),
    CategorySpec(
        "illegal-dumping",
        "cleanliness",
        "cleanliness",
        "cleanliness",
        ("رمي عشوائي للنفايات أو الأتربة", "Dépôt sauvage ou gravats", "Illegal dumping or rubble"),
        (
            "نقطة سوداء: أتربة بناء أو نفايات مرمية في أرض خالية أو على الرصيف.",
            "Un point noir : gravats ou déchets abandonnés sur un terrain vague ou un trottoir.",
            "A dumping spot: rubble or waste left on waste ground or a pavement.",
        ),
        2,
        7,
    ),
    CategorySpec(
        "dirty-street",
        "cleanliness",
        "cleanliness",
        "cleanliness",
        ("شارع أو ساحة متسخة", "Rue ou place sale", "Dirty street or square"),
        (
            "شارع أو ساحة عمومية تحتاج إلى الكنس أو الغسل.",
            "Une rue ou une place publique à balayer ou à laver.",
            "A street or public square that needs sweeping or washing.",
        ),
        1,
        3,
    ),
    CategorySpec(
        "streetlight-out",
        "lighting",
        "public-lighting",
        "public-lighting",
        ("عمود إنارة مطفأ", "Lampadaire éteint", "Streetlight out"),
        (
            "مصباح أو أكثر من الإنارة العمومية لا يشتغل ليلا، أو يشتغل نهارا.",
            "Un ou plusieurs lampadaires ne s'allument pas la nuit, ou restent allumés le jour.",
            "One or more streetlights stay dark at night, or stay on during the day.",
        ),
        1,
        5,
        questions=(
            Question(
                "lamps",
                "number",
                ("كم عدد المصابيح المطفأة؟", "Combien de lampadaires ?", "How many lamps?"),
                required=True,
            ),
            SINCE_WHEN,
        ),
    ),
    CategorySpec(
        "damaged-pole",
        "lighting",
        "public-lighting",
        "public-lighting",
        (
            "عمود إنارة متضرر أو أسلاك مكشوفة",
            "Poteau endommagé ou câbles à nu",
            "Damaged pole or exposed wires",
        ),
        (
            "خطر كهربائي: ابتعدوا عن الأسلاك. نحتاج رقم هاتفكم للاتصال بكم بسرعة.",
            "Danger électrique : ne touchez pas les câbles. Nous avons besoin de votre numéro pour vous rappeler vite.",
            "Electrical danger: keep away from the wires. We need your number to call you back quickly.",
        ),
        1,
        2,
        allow_anonymous=False,
    ),
    CategorySpec(
        "park-maintenance",
        "green_spaces",
        "green-spaces",
        "green-spaces",
        (
            "حديقة أو مساحة خضراء مهملة",
            "Jardin ou espace vert mal entretenu",
            "Neglected park or garden",
        ),
        (
            "عشب غير مسقي، تجهيزات لعب مكسورة، كراسي متضررة.",
            "Pelouse non arrosée, jeux d'enfants cassés, bancs abîmés.",
            "Unwatered lawns, broken play equipment, damaged benches.",
        ),
        3,
        15,
    ),
    CategorySpec(
        "dangerous-tree",
        "green_spaces",
        "green-spaces",
        "green-spaces",
        ("شجرة ساقطة أو خطيرة", "Arbre tombé ou dangereux", "Fallen or dangerous tree"),
        (
            "شجرة سقطت أو أغصان مهددة بالسقوط على الطريق أو المارة.",
            "Un arbre tombé ou des branches qui menacent la chaussée ou les passants.",
            "A fallen tree, or branches threatening the road or passers-by.",
        ),
        1,
        3,
    ),
    CategorySpec(
        "pothole",
        "roads",
        "roads",
        "roads",
        ("حفرة في الطريق", "Nid-de-poule", "Pothole"),
        (
            "حفرة أو تشقق في قارعة الطريق.",
            "Un trou ou une fissure dans la chaussée.",
            "A hole or crack in the road surface.",
        ),
        2,
        15,
        questions=(
            Question(
                "size",
                "single",
                ("حجم الحفرة", "Taille", "Size"),
                choices=(
                    ("small", "صغيرة", "Petit", "Small"),
                    ("medium", "متوسطة", "Moyen", "Medium"),
                    ("large", "كبيرة وخطيرة", "Grand et dangereux", "Large and dangerous"),
                ),
            ),
        ),
    ),
    CategorySpec(
        "pavement",
        "roads",
        "roads",
        "roads",
        ("رصيف متضرر أو محتل", "Trottoir abîmé ou encombré", "Damaged or obstructed pavement"),
        (
            "رصيف مكسور أو محتل يجبر الراجلين على المشي في الطريق.",
            "Un trottoir cassé ou occupé qui oblige les piétons à marcher sur la chaussée.",
            "A broken or occupied pavement that forces pedestrians onto the road.",
        ),
        3,
        20,
    ),
    CategorySpec(
        "bus-stop",
        "transport",
        "urban-transport",
        None,
        ("محطة حافلات متضررة", "Arrêt de bus endommagé", "Damaged bus stop"),
        (
            "مظلة مكسورة، لوحة المعلومات مفقودة، محطة غير مضاءة.",
            "Abri cassé, plan absent, arrêt non éclairé.",
            "Broken shelter, missing timetable, unlit stop.",
        ),
        3,
        15,
    ),
    CategorySpec(
        "bus-service",
        "transport",
        "urban-transport",
        None,
        ("مشكل في خدمة الحافلات", "Problème de service de bus", "Bus service problem"),
        (
            "تأخر كبير، حافلة لم تتوقف، اكتظاظ، سلوك غير لائق.",
            "Grand retard, arrêt non desservi, surcharge, comportement inapproprié.",
            "Long delay, skipped stop, overcrowding, improper behaviour.",
        ),
        2,
        10,
        questions=(
            Question("line", "text", ("رقم الخط", "Numéro de ligne", "Line number")),
            Question("trip_date", "date", ("تاريخ الرحلة", "Date du trajet", "Date of the trip")),
        ),
    ),
    CategorySpec(
        "sewer-overflow",
        "water",
        "water-sanitation",
        None,
        ("فيضان مجاري الصرف الصحي", "Débordement d'égout", "Sewer overflow"),
        (
            "بالوعة مسدودة أو مياه عادمة تسيل في الشارع.",
            "Un regard bouché ou des eaux usées qui coulent dans la rue.",
            "A blocked drain or waste water running in the street.",
        ),
        1,
        3,
    ),
    CategorySpec(
        "water-leak",
        "water",
        "water-sanitation",
        None,
        (
            "تسرب الماء في الشبكة العمومية",
            "Fuite d'eau sur le réseau public",
            "Water leak on the public network",
        ),
        (
            "ماء صالح للشرب يتسرب من قناة أو عداد في الملك العمومي.",
            "De l'eau potable fuit d'une conduite ou d'un compteur sur la voie publique.",
            "Drinking water leaking from a pipe or meter on public ground.",
        ),
        1,
        3,
    ),
    CategorySpec(
        "stray-dogs",
        "animals",
        None,
        "cleanliness",
        ("كلاب ضالة", "Chiens errants", "Stray dogs"),
        (
            "كلاب ضالة في حي أو قرب مدرسة. في حالة عضة، توجهوا فورا إلى المركز الصحي.",
            "Des chiens errants dans un quartier ou près d'une école. En cas de morsure, allez tout de suite au centre de santé.",
            "Stray dogs in a neighbourhood or near a school. After a bite, go to the health centre at once.",
        ),
        2,
        10,
        questions=(
            Question(
                "count",
                "number",
                ("كم عددها تقريبا؟", "Combien environ ?", "About how many?"),
            ),
        ),
    ),
    CategorySpec(
        "noise",
        "noise",
        None,
        None,
        ("إزعاج وضجيج", "Nuisances sonores", "Noise nuisance"),
        (
            "أشغال أو محل تجاري أو حفل يسبب ضجيجا متكررا.",
            "Travaux, commerce ou fête qui font un bruit répété.",
            "Works, a business or a party causing repeated noise.",
        ),
        3,
        15,
        allow_anonymous=False,
        questions=(
            Question(
                "when",
                "multiple",
                ("متى يحدث ذلك؟", "À quels moments ?", "When does it happen?"),
                choices=(
                    ("day", "بالنهار", "En journée", "During the day"),
                    ("evening", "في المساء", "Le soir", "In the evening"),
                    ("night", "في الليل", "La nuit", "At night"),
                ),
            ),
        ),
    ),
    CategorySpec(
        "building-violation",
        "building",
        "building-permits",
        "urbanism",
        (
            "بناء بدون ترخيص أو مخالفة تعميرية",
            "Construction sans autorisation",
            "Unauthorised building works",
        ),
        (
            "أشغال بناء بدون رخصة أو غير مطابقة للرخصة، أو احتلال للملك العمومي.",
            "Travaux sans permis ou non conformes, ou occupation du domaine public.",
            "Building works without a permit or not as permitted, or occupation of public land.",
        ),
        3,
        30,
        allow_anonymous=False,
        questions=(
            Question(
                "ongoing",
                "single",
                (
                    "هل الأشغال جارية الآن؟",
                    "Les travaux sont-ils en cours ?",
                    "Are the works under way now?",
                ),
                choices=(
                    ("yes", "نعم", "Oui", "Yes"),
                    ("no", "لا", "Non", "No"),
                ),
            ),
        ),
    ),
    CategorySpec(
        "other",
        "other",
        None,
        None,
        ("مشكل آخر", "Autre problème", "Something else"),
        (
            "مشكل في الفضاء العمومي لا يدخل في الفئات الأخرى.",
            "Un problème dans l'espace public qui n'entre dans aucune autre catégorie.",
            "A problem in a public space that fits no other category.",
        ),
        3,
        15,
    ),
)

# The province council of Tétouan maintains the provincial and rural roads of its communes.
PROVINCE_CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "rural-road",
        "roads",
        "roads",
        "roads",
        (
            "طريق أو مسلك قروي متضرر",
            "Route ou piste rurale dégradée",
            "Damaged rural road or track",
        ),
        (
            "طريق إقليمية أو مسلك قروي متضرر يعيق التنقل إلى الدواوير.",
            "Une route provinciale ou une piste rurale dégradée qui gêne l'accès aux douars.",
            "A provincial road or rural track in a state that hinders access to villages.",
        ),
        3,
        30,
        questions=(SINCE_WHEN,),
    ),
    CategorySpec(
        "landslide",
        "roads",
        "roads",
        "roads",
        (
            "انهيار أو تساقط صخور على الطريق",
            "Éboulement sur la route",
            "Landslide or rockfall on a road",
        ),
        (
            "أتربة أو صخور تقطع الطريق بعد الأمطار.",
            "De la terre ou des rochers coupent la route après la pluie.",
            "Earth or rocks blocking the road after rain.",
        ),
        1,
        5,
    ),
)

CATEGORIES: dict[str, tuple[CategorySpec, ...]] = {
    **dict.fromkeys(COMMUNE_COUNCILS, COMMUNE_CATEGORIES),
    PROVINCE_COUNCIL: PROVINCE_CATEGORIES,
}

# Response templates: (title, body), each (ar, fr, en); every organisation that handles reports gets them.
RESPONSE_TEMPLATES: tuple[tuple[tuple[str, str, str], tuple[str, str, str]], ...] = (
    (
        ("تم التوصل بالطلب", "Signalement reçu", "Report received"),
        (
            "شكرا على تبليغكم. تم تسجيل الطلب وإحالته على المصلحة المختصة، وسنخبركم بكل جديد.",
            "Merci pour votre signalement. Il a été enregistré et confié au service compétent ; nous vous tiendrons informé.",
            "Thank you for your report. It has been recorded and passed to the team in charge; we will keep you informed.",
        ),
    ),
    (
        ("تمت برمجة التدخل", "Intervention programmée", "Work scheduled"),
        (
            "تمت برمجة تدخل الفرقة التقنية خلال الأيام القادمة.",
            "L'intervention de l'équipe technique est programmée dans les prochains jours.",
            "The technical team's visit is scheduled in the coming days.",
        ),
    ),
    (
        ("تمت المعالجة", "Problème résolu", "Resolved"),
        (
            "تمت معالجة المشكل. إذا لم يتم حله فعلا، يمكنكم إعادة فتح الطلب.",
            "Le problème a été traité. S'il ne l'est pas vraiment, vous pouvez rouvrir le signalement.",
            "The problem has been dealt with. If it is not really solved, you can reopen the report.",
        ),
    ),
    (
        ("خارج اختصاصنا", "Hors de notre compétence", "Not within our remit"),
        (
            "هذا الطلب لا يدخل في اختصاصنا، وقد تمت إحالته على الجهة المختصة.",
            "Cette demande ne relève pas de notre compétence ; elle a été transmise à l'organisme compétent.",
            "This request is outside our remit; it has been passed to the competent body.",
        ),
    ),
    (
        ("ملك خاص", "Propriété privée", "Private property"),
        (
            "المكان المشار إليه ملك خاص، ويعود لمالكه التدخل.",
            "Le lieu signalé est une propriété privée : l'intervention revient à son propriétaire.",
            "The place reported is private property: it is for its owner to act.",
        ),
    ),
)
TEMPLATE_ORGANISATIONS = (*COMMUNE_COUNCILS, PROVINCE_COUNCIL, "tetouan-proprete")


@dataclass(frozen=True)
class DemoRequest:
    """One demo report. `commune` is an HCP code; `status` is where the staff take it."""

    organisation: str  # the organisation whose category is chosen
    category: str
    commune: str
    description: str
    language: str  # the reporter's interface language (ar, fr, en)
    status: str = "new"
    days_ago: int = 3
    anonymous: bool = False
    answers: dict = field(default_factory=dict)
    note: str = ""  # a public update on the way, or the reason for a rejection


T, SK, ER = "01.571.01.11", "04.481.01.11", "08.201.01.05"
OUED_LAOU, AZLA, ZAITOUNE, AL_HAMRA = "01.571.01.07", "01.571.05.07", "01.571.05.23", "01.571.05.01"

REQUESTS: tuple[DemoRequest, ...] = (
    # --- Tétouan: waste (routed to the concession company) and cleanliness
    DemoRequest(
        "tetouan",
        "waste-not-collected",
        T,
        "الحاوية ممتلئة منذ ثلاثة أيام والروائح كريهة جدا قرب المدرسة الابتدائية.",
        "ar",
        "resolved",
        20,
        answers={"waste_kind": "household"},
    ),
    DemoRequest(
        "tetouan",
        "waste-not-collected",
        T,
        "الزبل عامر فالحاوية من نهار الجمعة و الريحة خانزة، الدراري كيلعبو حداه 😷",
        "ar",
        "in_progress",
        4,
        answers={"waste_kind": "household"},
    ),
    DemoRequest(
        "tetouan",
        "waste-not-collected",
        T,
        "l'poubelle 3amra mn 3 iyam w ri7a khayba bzaf, 3afakom jiw 7iydouha",
        "fr",
        "acknowledged",
        2,
        True,
        {"waste_kind": "household"},
    ),
    DemoRequest(
        "tetouan",
        "waste-not-collected",
        T,
        "Conteneur débordant au coin de la rue depuis lundi, les chats éventrent les sacs.",
        "fr",
        "new",
        1,
        answers={"waste_kind": "household"},
    ),
    DemoRequest(
        "tetouan",
        "waste-not-collected",
        T,
        "Des branches coupées et des déchets verts laissés sur le trottoir après l'élagage.",
        "fr",
        "resolved",
        35,
        answers={"waste_kind": "green"},
    ),
    DemoRequest(
        "tetouan",
        "waste-not-collected",
        T,
        "شي واحد لاح ماطلة قديمة وثلاجة حدا الحاوية، بقاو سيمانة",
        "ar",
        "rejected",
        12,
        answers={"waste_kind": "bulky"},
        note="المتلاشيات الكبيرة تُجمع يوم الأربعاء بعد الاتصال بالرقم الأخضر، وليس من الحاويات.",
    ),
    DemoRequest(
        "tetouan",
        "illegal-dumping",
        T,
        "أتربة البناء مرمية في الأرض الخالية خلف السوق منذ أسابيع.",
        "ar",
        "in_progress",
        18,
    ),
    DemoRequest(
        "tetouan",
        "illegal-dumping",
        T,
        "Dépôt sauvage de gravats à l'entrée du quartier, il grossit chaque semaine.",
        "fr",
        "acknowledged",
        6,
        True,
    ),
    DemoRequest(
        "tetouan",
        "dirty-street",
        T,
        "Zan9a kamla m3amra b lmika w lkartoun mn ba3d sou9 l7ad",
        "fr",
        "resolved",
        9,
        True,
    ),
    DemoRequest(
        "tetouan",
        "dirty-street",
        T,
        "The square near the old medina gate has not been swept for days; plastic everywhere.",
        "en",
        "new",
        0,
    ),
    # --- Tétouan: lighting
    DemoRequest(
        "tetouan",
        "streetlight-out",
        T,
        "انطفاء أعمدة الإنارة العمومية بالشارع الرئيسي منذ أسبوع، مما يشكل خطرا على المارة ليلا.",
        "ar",
        "resolved",
        15,
        answers={"lamps": "4", "since": "week"},
    ),
    DemoRequest(
        "tetouan",
        "streetlight-out",
        T,
        "الضو ديال الزنقة طافي هادي سيمانة والبنات كيخافو يدوزو فالليل",
        "ar",
        "in_progress",
        5,
        answers={"lamps": "2", "since": "week"},
        note="الفرقة التقنية ستتدخل يوم الخميس لتغيير المصابيح.",
    ),
    DemoRequest(
        "tetouan",
        "streetlight-out",
        T,
        "dow dial zan9a ma5damch mn simana, kolchi dlam 🌑",
        "fr",
        "acknowledged",
        2,
        True,
        {"lamps": "1", "since": "week"},
    ),
    DemoRequest(
        "tetouan",
        "streetlight-out",
        T,
        "Lampadaire éteint devant l'école primaire depuis une semaine, la rue est complètement noire le soir.",
        "fr",
        "new",
        1,
        answers={"lamps": "1", "since": "week"},
    ),
    DemoRequest(
        "tetouan",
        "streetlight-out",
        T,
        "Les lampadaires restent allumés en plein jour sur tout le boulevard.",
        "fr",
        "resolved",
        40,
        answers={"lamps": "12", "since": "month"},
    ),
    DemoRequest(
        "tetouan",
        "damaged-pole",
        T,
        "عمود كهربائي مائل وأسلاك مكشوفة قرب باب الإعدادية، خطر على التلاميذ ⚠️",
        "ar",
        "in_progress",
        1,
    ),
    DemoRequest(
        "tetouan",
        "streetlight-out",
        T,
        "Three streetlights out on the road up to the hospital.",
        "en",
        "rejected",
        25,
        answers={"lamps": "3", "since": "month"},
        note="Ces lampadaires appartiennent à l'hôpital (domaine privé) : nous avons prévenu sa direction.",
    ),
    # --- Tétouan: green spaces, roads (the province), transport, water, animals, noise, other
    DemoRequest(
        "tetouan",
        "park-maintenance",
        T,
        "الحديقة العمومية مهملة: العشب يابس وألعاب الأطفال مكسورة.",
        "ar",
        "acknowledged",
        10,
    ),
    DemoRequest(
        "tetouan",
        "dangerous-tree",
        T,
        "Un gros arbre penche dangereusement au-dessus de l'arrêt de bus après la tempête.",
        "fr",
        "resolved",
        8,
    ),
    DemoRequest(
        "tetouan",
        "pothole",
        T,
        "حفرة كبيرة وسط الطريق، السيارات كتدور عليها وكاين خطر",
        "ar",
        "acknowledged",
        7,
        answers={"size": "large"},
    ),
    DemoRequest(
        "tetouan",
        "pothole",
        T,
        "kayn wa7ed l7ofra kbira f triq, tomobilat kayt9ar9bo 3liha",
        "fr",
        "new",
        2,
        True,
        {"size": "medium"},
    ),
    DemoRequest(
        "tetouan",
        "pavement",
        T,
        "Le trottoir est entièrement occupé par les terrasses de café, les poussettes passent sur la route.",
        "fr",
        "in_progress",
        14,
    ),
    DemoRequest(
        "tetouan", "bus-stop", T, "مظلة المحطة مكسورة والزجاج مرمي على الرصيف.", "ar", "new", 3
    ),
    DemoRequest(
        "tetouan",
        "bus-service",
        T,
        "Le bus de la ligne 5 ne s'arrête plus à l'arrêt du lycée le matin.",
        "fr",
        "acknowledged",
        6,
        answers={"line": "5"},
    ),
    DemoRequest(
        "tetouan",
        "sewer-overflow",
        T,
        "الواد الحار خارج فالزنقة من البارح، الريحة ماتطاقش",
        "ar",
        "resolved",
        30,
        True,
    ),
    DemoRequest(
        "tetouan",
        "water-leak",
        T,
        "تسرب الماء من قناة تحت الرصيف منذ يومين، الماء كيضيع",
        "ar",
        "new",
        1,
    ),
    DemoRequest(
        "tetouan",
        "stray-dogs",
        T,
        "مجموعة من الكلاب الضالة قرب المدرسة كتخلع الأطفال فالصباح",
        "ar",
        "in_progress",
        11,
        answers={"count": "6"},
    ),
    DemoRequest(
        "tetouan",
        "noise",
        T,
        "Chantier qui travaille avec un marteau-piqueur après 22 h tous les soirs.",
        "fr",
        "acknowledged",
        4,
        answers={"when": ["night"]},
    ),
    DemoRequest(
        "tetouan",
        "other",
        T,
        "Banc public arraché devant la bibliothèque municipale.",
        "fr",
        "new",
        5,
    ),
    # --- Sidi Kacem
    DemoRequest(
        "sidi-kacem",
        "waste-not-collected",
        SK,
        "شاحنة النظافة لم تمر منذ أربعة أيام في الحي.",
        "ar",
        "resolved",
        22,
        answers={"waste_kind": "household"},
    ),
    DemoRequest(
        "sidi-kacem",
        "waste-not-collected",
        SK,
        "lmazbala mabqatch kat douz 3ndna, kolchi 3amer",
        "fr",
        "acknowledged",
        3,
        True,
        {"waste_kind": "household"},
    ),
    DemoRequest(
        "sidi-kacem",
        "illegal-dumping",
        SK,
        "Décharge sauvage le long de la voie ferrée, on y brûle des pneus le soir.",
        "fr",
        "in_progress",
        16,
    ),
    DemoRequest(
        "sidi-kacem",
        "streetlight-out",
        SK,
        "الإنارة مقطوعة فالشارع كامل من نهار الشتا",
        "ar",
        "resolved",
        28,
        answers={"lamps": "7", "since": "month"},
    ),
    DemoRequest(
        "sidi-kacem",
        "streetlight-out",
        SK,
        "Plus aucun lampadaire ne fonctionne dans l'allée du stade.",
        "fr",
        "new",
        2,
        answers={"lamps": "5", "since": "week"},
    ),
    DemoRequest(
        "sidi-kacem",
        "park-maintenance",
        SK,
        "الحديقة قرب البلدية بلا سقي والأشجار كتموت",
        "ar",
        "acknowledged",
        9,
    ),
    DemoRequest(
        "sidi-kacem",
        "pothole",
        SK,
        "حفر كثيرة في الطريق المؤدية إلى المستشفى الإقليمي.",
        "ar",
        "in_progress",
        19,
        answers={"size": "large"},
    ),
    DemoRequest(
        "sidi-kacem",
        "sewer-overflow",
        SK,
        "Les eaux usées remontent par la bouche d'égout à chaque pluie.",
        "fr",
        "acknowledged",
        5,
    ),
    DemoRequest(
        "sidi-kacem",
        "stray-dogs",
        SK,
        "klab dayrin f l7ay w kay hajmo 3la nas f lil",
        "fr",
        "new",
        1,
        True,
        {"count": "10"},
    ),
    DemoRequest(
        "sidi-kacem",
        "dirty-street",
        SK,
        "السوق الأسبوعي خلا الزبل فالساحة كاملة",
        "ar",
        "resolved",
        12,
    ),
    DemoRequest(
        "sidi-kacem",
        "building-violation",
        SK,
        "Un voisin construit un étage supplémentaire sans panneau de permis.",
        "fr",
        "acknowledged",
        8,
        answers={"ongoing": "yes"},
    ),
    DemoRequest(
        "sidi-kacem",
        "noise",
        SK,
        "صوت مكبرات الصوت من المقهى حتى الثانية صباحا.",
        "ar",
        "rejected",
        17,
        answers={"when": ["evening", "night"]},
        note="الضجيج الصادر عن المحلات التجارية من اختصاص السلطة المحلية، وقد أحلنا شكايتكم عليها.",
    ),
    # --- Errachidia
    DemoRequest(
        "errachidia",
        "waste-not-collected",
        ER,
        "النفايات متراكمة قرب السوق المركزي مع الحرارة المرتفعة.",
        "ar",
        "resolved",
        18,
        answers={"waste_kind": "household"},
    ),
    DemoRequest(
        "errachidia",
        "waste-not-collected",
        ER,
        "Bacs pleins dans tout le quartier depuis la fête, odeurs insupportables.",
        "fr",
        "in_progress",
        3,
        answers={"waste_kind": "household"},
    ),
    DemoRequest(
        "errachidia",
        "streetlight-out",
        ER,
        "الضو طافي فالطريق ديال الحي الجامعي، الطلبة كيرجعو فالظلام",
        "ar",
        "acknowledged",
        4,
        answers={"lamps": "6", "since": "week"},
    ),
    DemoRequest(
        "errachidia",
        "streetlight-out",
        ER,
        "Lampadaire qui clignote toute la nuit devant la pharmacie.",
        "fr",
        "resolved",
        26,
        answers={"lamps": "1", "since": "month"},
    ),
    DemoRequest(
        "errachidia",
        "damaged-pole",
        ER,
        "Poteau d'éclairage renversé par un camion, câbles au sol.",
        "fr",
        "resolved",
        33,
    ),
    DemoRequest(
        "errachidia",
        "park-maintenance",
        ER,
        "Les palmiers du jardin public ne sont plus arrosés, plusieurs sont secs.",
        "fr",
        "in_progress",
        21,
    ),
    DemoRequest(
        "errachidia",
        "dangerous-tree",
        ER,
        "شجرة كبيرة سقطت على السور بعد العاصفة الرملية.",
        "ar",
        "resolved",
        6,
    ),
    DemoRequest(
        "errachidia",
        "pothole",
        ER,
        "l7fra li f lmadkhal dial lmdina kbrat bzaf, 3ndkom chi 7al?",
        "fr",
        "new",
        2,
        True,
        {"size": "large"},
    ),
    DemoRequest(
        "errachidia",
        "sewer-overflow",
        ER,
        "بالوعة مسدودة والماء العادم واصل للدار",
        "ar",
        "in_progress",
        2,
    ),
    DemoRequest(
        "errachidia",
        "building-violation",
        ER,
        "بناء فوق الرصيف بدون رخصة أمام المسجد.",
        "ar",
        "acknowledged",
        13,
        answers={"ongoing": "yes"},
    ),
    DemoRequest(
        "errachidia",
        "stray-dogs",
        ER,
        "Meute de chiens errants près du lycée, les élèves ont peur.",
        "fr",
        "acknowledged",
        7,
        answers={"count": "8"},
    ),
    DemoRequest(
        "errachidia",
        "other",
        ER,
        "Fontaine publique cassée sur la place, l'eau coule jour et nuit.",
        "fr",
        "rejected",
        24,
        note="La fontaine relève de la régie de distribution : signalement transmis à l'ONEE.",
    ),
    DemoRequest(
        "errachidia",
        "bus-stop",
        ER,
        "محطة الحافلات بلا ظل والناس كيستناو تحت الشمس 🥵",
        "ar",
        "new",
        1,
    ),
    # --- Tétouan province: rural roads in the communes of the province
    DemoRequest(
        "province-tetouan",
        "rural-road",
        AZLA,
        "المسلك المؤدي إلى الدوار تقطع بعد الأمطار، التلاميذ لا يصلون إلى المدرسة.",
        "ar",
        "in_progress",
        27,
        answers={"since": "month"},
    ),
    DemoRequest(
        "province-tetouan",
        "rural-road",
        ZAITOUNE,
        "La piste vers le douar est impraticable, les ambulances ne passent plus.",
        "fr",
        "acknowledged",
        10,
        answers={"since": "week"},
    ),
    DemoRequest(
        "province-tetouan",
        "rural-road",
        AL_HAMRA,
        "triq dial douar m9ta3a b l7jar mn chta, khasna ntrakto",
        "fr",
        "new",
        3,
        True,
        {"since": "week"},
    ),
    DemoRequest(
        "province-tetouan",
        "landslide",
        OUED_LAOU,
        "انهيار صخري على الطريق الساحلية قرب واد لاو، الطريق نصف مغلقة.",
        "ar",
        "resolved",
        45,
    ),
    DemoRequest(
        "province-tetouan",
        "landslide",
        AZLA,
        "Éboulement sur la route de la corniche après l'orage, une seule voie ouverte.",
        "fr",
        "resolved",
        38,
    ),
    DemoRequest(
        "province-tetouan",
        "rural-road",
        OUED_LAOU,
        "قنطرة صغيرة متضررة على الطريق الإقليمية، الشاحنات تمر بصعوبة.",
        "ar",
        "rejected",
        29,
        answers={"since": "longer"},
        note="هذه القنطرة تابعة للطريق الوطنية: تمت إحالة الملف على المديرية الإقليمية للتجهيز.",
    ),
)

# Who reports (not anonymous): demo names, on example.* addresses so no mail can reach anyone.
REPORTERS = (
    ("Amina Berrada", "amina.berrada@example.ma"),
    ("Youssef Alami", "youssef.alami@example.ma"),
    ("Salma El Fassi", "salma.elfassi@example.ma"),
    ("Mehdi Ouali", "mehdi.ouali@example.ma"),
    ("Hajar Bennis", "hajar.bennis@example.ma"),
    ("Ali Tahiri", "ali.tahiri@example.ma"),
)
