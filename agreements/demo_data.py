"""The demo agreements' data: suppliers, agreements, those made from demo tenders, the knowledge
articles about each, and where members' generated demo spend goes (used by `demo.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Agreement


@dataclass(frozen=True)
class DemoSupplier:
    n: int
    name: str
    contact: str = ""


S = {
    "kontor": DemoSupplier(1, "Kontorleverancen Danmark A/S", "Mette Holm"),
    "papir": DemoSupplier(2, "Papirhuset ApS", "Jens Lund"),
    "data": DemoSupplier(3, "DataDanmark A/S", "Sara Beck"),
    "nordic_it": DemoSupplier(4, "Nordic IT Supply ApS", "Ali Demir"),
    "moebler": DemoSupplier(5, "Møbelværkstedet A/S", "Karen Juhl"),
    "rengoering": DemoSupplier(6, "Rent & Grønt A/S", "Peter Friis"),
    "storkoekken": DemoSupplier(7, "Storkøkkenet A/S", "Lone Vestergaard"),
    "foedevaregros": DemoSupplier(8, "Jysk Fødevaregros A/S", "Hans Bach"),
    "stroem": DemoSupplier(9, "Grøn Strøm Danmark A/S", "Ida Kjær"),
    "medicare": DemoSupplier(10, "MediCare Nordic A/S", "Omar Nasser"),
    "braendstof": DemoSupplier(11, "Brændstofcentralen A/S", "Bo Rasmussen"),
    # Suppliers on no agreement: spend that leaks past agreements, and the next tender candidates.
    "kontorgros": DemoSupplier(20, "Kontorgrossisten Fyn ApS"),
    "pc_butik": DemoSupplier(21, "PC-Butikken Vejle ApS"),
    "lokal_rengoering": DemoSupplier(22, "Lokal Rengøring ApS"),
    "slagter": DemoSupplier(23, "Slagter Mortensen I/S"),
    "byggemarked": DemoSupplier(24, "Byggemarked Syd A/S"),
    "vikar": DemoSupplier(25, "Vikarservice Danmark ApS"),
    "konsulent": DemoSupplier(26, "Konsulenthuset Aros ApS"),
    "autovaerksted": DemoSupplier(27, "Autoværkstedet Midt I/S"),
    "moebelhus": DemoSupplier(28, "Møbelhuset Kolding ApS"),
    "apotek": DemoSupplier(29, "Sygeplejeartikler Engros ApS"),
}


@dataclass(frozen=True)
class DemoAgreement:
    number: str
    title: str
    categories: tuple[str, ...]
    suppliers: tuple[str, ...]  # keys of S, in rank order
    start: tuple[int, int]  # (years from this year, month)
    years: int
    options: tuple[int, ...]  # months
    used: int  # options used
    price_level: str  # agreement price level against a baseline of 100
    annual_value: int
    allocation: str = Agreement.Allocation.SINGLE
    climate: str = ""
    successor: str = ""  # reference of the demo tender that renews it


AGREEMENTS: tuple[DemoAgreement, ...] = (
    DemoAgreement(
        "2023-004",
        "Kontorartikler og papir",
        ("30192000-1", "30199000-0"),
        ("kontor", "papir"),
        (-2, 4),
        2,
        (12, 12),
        1,
        "91.5",
        14_000_000,
        Agreement.Allocation.RANKING,
    ),
    DemoAgreement(
        "2022-011",
        "Pc'er, skærme og it-udstyr",
        ("30200000-1",),
        ("data", "nordic_it"),
        (-3, 1),
        3,
        (12,),
        1,
        "88",
        32_000_000,
        Agreement.Allocation.MINI_COMPETITION,
        "Energimærkning TCO Certified; returordning for brugt udstyr.",
        "2026-008",
    ),
    DemoAgreement(
        "2024-002",
        "Møbler til skoler og kontorer",
        ("39100000-3",),
        ("moebler",),
        (-2, 2),
        4,
        (12, 12),
        0,
        "93",
        9_500_000,
        Agreement.Allocation.SINGLE,
        "Svanemærket eller tilsvarende; FSC-certificeret træ; reservedele i 10 år.",
    ),
    DemoAgreement(
        "2023-009",
        "Rengøringsartikler",
        ("90910000-9", "39830000-9"),
        ("rengoering",),
        (-3, 10),
        2,
        (12, 12),
        1,
        "90",
        6_000_000,
        Agreement.Allocation.SINGLE,
        "Svanemærkede produkter; koncentrater for at mindske transport.",
    ),
    DemoAgreement(
        "2024-006",
        "Fødevarer til storkøkkener",
        ("15000000-8",),
        ("storkoekken", "foedevaregros"),
        (-2, 6),
        3,
        (12,),
        0,
        "94",
        48_000_000,
        Agreement.Allocation.RANKING,
        "Mindst 60 % økologi; klimavenlige menuer med mindre oksekød.",
    ),
    DemoAgreement(
        "2021-003",
        "El-levering",
        ("09310000-5",),
        ("stroem",),
        (-2, 1),
        4,
        (12,),
        0,
        "97",
        55_000_000,
        Agreement.Allocation.SINGLE,
        "100 % vedvarende energi dokumenteret med oprindelsesgarantier.",
        "2025-022",
    ),
    DemoAgreement(
        "2025-001",
        "Medicinsk forbrugsmateriale",
        ("33140000-3",),
        ("medicare",),
        (-1, 3),
        2,
        (12, 12),
        0,
        "92",
        21_000_000,
        Agreement.Allocation.SINGLE,
        "Latexfri handsker; emballage af genanvendt plast.",
        "2026-005",
    ),
    DemoAgreement(
        "2026-003",
        "Brændstof til kommunale køretøjer",
        ("09134200-9",),
        ("braendstof",),
        (1, 1),
        2,
        (12,),
        0,
        "96",
        12_000_000,
        Agreement.Allocation.SINGLE,
        "Mindst 30 % HVO-diesel fra 2027.",
    ),
)


@dataclass(frozen=True)
class TenderAgreement:
    """The agreement a concluded demo tender ends in, as the secretariat completes it."""

    tender: str
    renews: str  # the demo agreement it follows; it starts the day after that one ends
    suppliers: tuple[str, ...]  # keys of S, in rank order
    price_level: str
    annual_value: int
    climate: str


FROM_TENDERS: tuple[TenderAgreement, ...] = (
    TenderAgreement(
        "2025-022",
        "2021-003",
        ("stroem",),
        "95",
        58_000_000,
        "100 % vedvarende energi dokumenteret med oprindelsesgarantier; timeafregning, så "
        "forbruget kan flyttes til timer med grøn strøm.",
    ),
)

# Knowledge articles (by title, as the knowledge demo names them) about each agreement.
ARTICLES: dict[str, tuple[str, ...]] = {
    "2023-004": ("Analyse: forbrug af kontorartikler 2025", "Skabelon: kontrakt for rammeaftale"),
    "2022-011": (
        "Metode: totalomkostninger (TCO) i evalueringen",
        "Metode: miniudbud på rammeaftaler",
    ),
    "2024-002": ("Vejle: standardsortiment af kontormøbler",),
    "2023-009": ("Metode: grønne krav i udbud", "Analyse: markedet for rengøringsydelser"),
    "2024-006": ("Analyse: aftaleanvendelse på fødevareaftalen",),
    "2021-003": ("Analyse: potentiale ved fælles indkøb af el",),
    "2025-022-1": (
        "Analyse: potentiale ved fælles indkøb af el",
        "Vejledning: implementering af en ny aftale",
    ),
}

# Where members' demo spend goes: (category, agreement suppliers, leaking suppliers, weight).
SPEND_AREAS = (
    ("15000000-8", ("storkoekken", "foedevaregros"), ("slagter",), 30),
    ("09310000-5", ("stroem",), (), 22),
    ("30213000-5", ("data", "nordic_it"), ("pc_butik",), 14),
    ("33140000-3", ("medicare",), ("apotek",), 9),
    ("30192000-1", ("kontor", "papir"), ("kontorgros",), 6),
    ("39100000-3", ("moebler",), ("moebelhus",), 5),
    ("90910000-9", ("rengoering",), ("lokal_rengoering",), 4),
    ("44111000-1", (), ("byggemarked",), 4),
    ("79500000-9", (), ("vikar",), 3),
    ("79410000-1", (), ("konsulent",), 2),
    ("50110000-9", (), ("autovaerksted",), 1),
)
