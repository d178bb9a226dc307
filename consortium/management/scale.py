"""The large demo data set: every Danish municipality, millions of spend lines, a national body.

`seed_demo --scale large` runs the ordinary demo seed first (14 members, demo users, tenders,
agreements, articles) and then this module, which adds what a national purchasing body has:

* the other 84 of the 98 municipalities as members, each with an estimated population;
* users up to `Scale.users` (officers and viewers of every member; the demo password);
* `Scale.suppliers` suppliers with valid CVR numbers, and `Scale.lines` spend lines over five
  years (2022-01-01 to 2026-11-30) in two shapes: e-invoice lines (OIOUBL: CPV and UNSPSC code,
  an invoice number, no account) and ERP lines (an account and the UNSPSC code as given, no CPV);
  suppliers repeat as they do in life (a Zipf distribution: the supplier of rank r is drawn with
  probability ∝ 1/r), each sells in a few neighbouring CPV categories, members buy in proportion
  to a weight per municipality, amounts are log-uniform from 50 kr to 100,000 kr, 3 % are
  credit notes;
* `Scale.tenders` tenders spread over every status, with the members' answers once volume
  collection has begun; `Scale.agreements` agreements over the spend's categories, won by
  suppliers that sell in them, bound to a share of the members, in three generations (ended,
  running, starting); `Scale.articles` knowledge articles.

Then the stored figures are recomputed (compliance per agreement × member × month) and the
tables analysed, so every page shows the right figures at once.

Everything is deterministic for a seed: the spend lines come from PostgreSQL itself
(INSERT … SELECT over generate_series, every draw `hashint8extended(line number, seed + k)`),
the rest from `random.Random(seed)`. Row ids depend on what the database held before; the
content does not. The data is written as the owner role (`consortium.db.owner.as_owner`):
bulk writes go past row-level security, which would check every row against the acting
context, and PostgreSQL refuses `COPY FROM` into a table under it altogether. Each part is skipped when it is already there, so running the command again adds
nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from agreements.models import Agreement, AgreementSupplier, ComplianceFigure
from agreements.services.compliance import compliance_recompute
from consortium.db.owner import as_owner
from consortium.procurement import ProcedureType
from cpv.models import CpvCode
from knowledge.models import Aim, Article, ArticleVersion, Kind, Lever, Phase, Status
from knowledge.rendering import render_markdown
from members.demo import POPULATION_SOURCE, demo_gln, official_municipalities
from members.models import Member, Municipality, PopulationFigure
from members.slugs import danish_slugify
from spend.models import SpendImport, SpendLine, Supplier
from tenders.models import Lot, Participation, Tender, TenderStatus

FIRST_DAY = datetime.date(2022, 1, 1)
LAST_DAY = datetime.date(2026, 11, 30)
YEARS = tuple(range(FIRST_DAY.year, LAST_DAY.year + 1))
E_INVOICE_SHARE = 0.45
CREDIT_NOTE_SHARE = 0.03
# Marks what this module made, so a second run can tell it is there.
MARK = "skala"


@dataclass(frozen=True)
class Scale:
    lines: int = 10_000_000
    suppliers: int = 25_000
    tenders: int = 600
    agreements: int = 2_500
    articles: int = 20_000
    users: int = 2_000
    seed: int = 1

    @classmethod
    def large(cls, *, lines: int | None = None, seed: int = 1) -> Scale:
        """The large set, or one with fewer lines where everything else shrinks with them
        (never below what shows every status and shape: 2 tenders per status, 20 agreements…)."""
        full = cls(seed=seed)
        if lines is None or lines >= full.lines:
            return replace(full, lines=lines or full.lines)
        share = lines / full.lines
        return cls(
            lines=lines,
            suppliers=max(300, round(full.suppliers * share)),
            tenders=max(2 * len(TenderStatus.values), round(full.tenders * share)),
            agreements=max(20, round(full.agreements * share)),
            articles=max(40, round(full.articles * share)),
            users=max(120, round(full.users * share)),
            seed=seed,
        )


def _say(out: Callable[[str], None], started: float, text: str) -> None:
    out(f"  {text} ({time.perf_counter() - started:.1f} s)")


def seed_large(scale: Scale, *, password: str, out: Callable[[str], None] = print) -> dict:
    """Add the large set to a database holding the ordinary demo data. Returns the counts."""
    with _as_owner_unless_in_transaction():
        for name, step in (
            ("members", lambda: _members(scale)),
            ("users", lambda: _users(scale, password)),
            ("suppliers", lambda: _suppliers(scale)),
            ("spend lines", lambda: _spend(scale, out)),
            ("tenders", lambda: _tenders(scale)),
            ("agreements", lambda: _agreements(scale)),
            ("articles", lambda: _articles(scale)),
        ):
            started = time.perf_counter()
            with transaction.atomic():
                written = step()
            _say(out, started, f"{name}: {written:,} new")
        started = time.perf_counter()
        figures = compliance_recompute()
        _say(out, started, f"compliance figures recomputed: {figures:,}")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        _say(out, started, "tables analysed")
        return counts()


@contextmanager
def _as_owner_unless_in_transaction() -> Iterator[None]:
    """The owner role, whose bulk writes row-level security does not check row by row; inside a
    transaction (a test's) the connection cannot change role, and the system's acting context,
    which may write every row, does the same more slowly."""
    if connection.in_atomic_block:
        yield
        return
    with as_owner():
        yield


def counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "members": Member.objects.count(),
        "users": User.objects.count(),
        "suppliers": Supplier.objects.count(),
        "spend_lines": SpendLine.objects.count(),
        "tenders": Tender.objects.count(),
        "agreements": Agreement.objects.count(),
        "articles": Article.objects.count(),
        "compliance_figures": ComplianceFigure.objects.count(),
    }


def _draw(*values: object) -> random.Random:
    """A generator for one object, from its own key: the same object gets the same values
    whatever was created before it."""
    return random.Random(":".join(str(v) for v in values))  # noqa: S311 — demo data, not secrets


# --- Members ---------------------------------------------------------------------------------


def member_weight(code: str) -> float:
    """How much a member buys relative to the others (a stand-in for its size: 0.3–3)."""
    return 0.3 + 2.7 * _draw("weight", code).random() ** 2


def _members(scale: Scale) -> int:
    known = set(Municipality.objects.values_list("code", flat=True))
    created = 0
    for code, data in sorted(official_municipalities().items()):
        if code in known:
            continue
        name = data["name"]
        slug = danish_slugify(name)
        if Organisation.objects.filter(slug=slug).exists():
            slug = f"{slug}-{code}"
        organisation = Organisation.objects.create(
            kind=Organisation.Kind.MEMBER, name=f"{name} Kommune", slug=slug
        )
        member = Member.objects.create(
            organisation=organisation, status=Member.Status.MEMBER, joined_on=FIRST_DAY
        )
        municipality = Municipality.objects.create(
            member=member, code=code, name=name, region=data["region"], gln=demo_gln(code)
        )
        population = round(member_weight(code) * 20_000, -2)
        PopulationFigure.objects.create(
            municipality=municipality,
            year=2026,
            population=population,
            is_estimate=True,
            source=POPULATION_SOURCE,
        )
        created += 1
    return created


# --- Users -----------------------------------------------------------------------------------


def _users(scale: Scale, password: str) -> int:
    from allauth.account.models import EmailAddress

    missing = scale.users - User.objects.count()
    if missing <= 0:
        return 0
    organisations = list(
        Organisation.objects.filter(kind=Organisation.Kind.MEMBER).order_by("slug")
    )
    hashed = make_password(password)  # one hash for all: hashing 2,000 times takes minutes
    first = ("Anne", "Bo", "Camilla", "Dorte", "Erik", "Frida", "Gitte", "Hans", "Ida", "Jens")
    last = ("Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Møller")
    users, n = [], 0
    existing = set(User.objects.values_list("email", flat=True))
    while len(users) < missing:
        organisation = organisations[n % len(organisations)]
        number = n // len(organisations) + 1
        role = Role.OFFICER if number % 3 else Role.VIEWER
        prefix = "indkob" if role == Role.OFFICER else "laeser"
        email = f"{prefix}{number}.{MARK}@{organisation.slug}.test"
        n += 1
        if email in existing:
            continue
        users.append(
            User(
                email=email,
                full_name=f"{first[n % len(first)]} {last[(n // 10) % len(last)]}",
                organisation=organisation,
                role=role,
                password=hashed,
            )
        )
    User.objects.bulk_create(users, batch_size=1000)
    created = User.objects.filter(email__in=[u.email for u in users])
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email in created.values_list("pk", "email")
        ],
        batch_size=1000,
    )
    return len(users)


# --- Suppliers and spend ---------------------------------------------------------------------

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
SUPPLIER_WORDS = (
    ("Nordisk", "Dansk", "Jysk", "Fynsk", "Sjællandsk", "Vestkyst", "Østjysk", "Midt", "Syd",
     "Nord", "Kommune", "Skandinavisk", "Grøn", "Hansen &", "Møller &", "Andersen &"),
    ("Kontor", "IT", "Fødevare", "Rengøring", "Møbel", "Bil", "Print", "El", "Hjælpemiddel",
     "Energi", "Arbejdstøj", "Legeplads", "Skilte", "Læremiddel", "Konsulent", "Vikar", "Affald",
     "Sikkerhed", "Kaffe", "Anlæg", "Medico", "Telefoni", "Software", "Bygge", "Transport"),
    ("forsyning", "service", "huset", "partner", "centralen", "gruppen", "teknik", "handel"),
    ("A/S", "ApS", "I/S", "a.m.b.a.", "P/S"),
)  # fmt: skip
UNSPSC_SEGMENTS = (
    "14", "15", "24", "25", "26", "27", "30", "31", "39", "40", "41", "42", "43", "44", "46",
    "47", "48", "49", "50", "51", "52", "53", "55", "56", "60", "72", "76", "78", "80", "81",
    "82", "83", "84", "85", "86", "90", "92", "93",
)  # fmt: skip
ACCOUNTS = ("4410", "4420", "4430", "4510", "4520", "4610", "4710", "4800", "5110", "5120")


def supplier_cvr(number: int) -> str:
    """The `number`-th CVR number of the generated suppliers (valid modulus-11 check digit)."""
    body = 30_000_000 // 10 + number * 3
    while True:
        digits = [int(d) for d in str(body)]
        check = -sum(w * d for w, d in zip(CVR_WEIGHTS, digits, strict=False)) % 11
        if check < 10:
            return f"{body}{check}"
        body += 1


def supplier_name(number: int, seed: int) -> str:
    draw = _draw("supplier", seed, number)
    a, b, c, d = (draw.choice(words) for words in SUPPLIER_WORDS)
    return f"{a} {b}{c} {d}"


def _suppliers(scale: Scale) -> int:
    cvrs = [supplier_cvr(n) for n in range(1, scale.suppliers + 1)]
    known = set(Supplier.objects.filter(cvr__in=cvrs).values_list("cvr", flat=True))
    rows = [
        Supplier(cvr=cvr, name=supplier_name(n, scale.seed))
        for n, cvr in enumerate(cvrs, start=1)
        if cvr not in known
    ]
    Supplier.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def supplier_ids(scale: Scale) -> list[int]:
    """The generated suppliers' ids by rank (rank 1 sells the most)."""
    by_cvr = dict(
        Supplier.objects.filter(
            cvr__in=[supplier_cvr(n) for n in range(1, scale.suppliers + 1)]
        ).values_list("cvr", "pk")
    )
    return [by_cvr[supplier_cvr(n)] for n in range(1, scale.suppliers + 1)]


def category_pool() -> list[str]:
    """The CPV codes spend is classified under: every code of level 4 and 5 of the supplies and
    services divisions, at most 1,200, spread evenly over the vocabulary."""
    codes = list(
        CpvCode.objects.filter(level__in=(4, 5))
        .exclude(code8__startswith="45")  # works are bought by each member, rarely jointly
        .order_by("code")
        .values_list("code", flat=True)
    )
    step = max(1, len(codes) // 1200)
    return codes[::step][:1200]


def unspsc_for(index: int) -> str:
    segment = UNSPSC_SEGMENTS[index % len(UNSPSC_SEGMENTS)]
    rest = index // len(UNSPSC_SEGMENTS)
    return f"{segment}{10 + rest % 80:02d}{15 + (rest // 80) % 80:02d}00"


def member_ids_by_code() -> list[tuple[str, int]]:
    """Every member with the code of its first municipality, in code order."""
    rows = Municipality.objects.filter(member__isnull=False).order_by("code")
    seen: dict[int, str] = {}
    for code, member_id in rows.values_list("code", "member_id"):
        seen.setdefault(member_id, code)
    return sorted((code, member_id) for member_id, code in seen.items())


SPEND_SQL = """
INSERT INTO spend_spendline
    (member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id, unspsc,
     invoice_number, spend_import_id, fingerprint)
SELECT (%(members)s::bigint[])[d.mi + 1],
       (%(suppliers)s::bigint[])[d.rank],
       round(((CASE WHEN d.u_credit < %(credit)s THEN -1 ELSE 1 END)
             * power(10, 1.7 + 3.3 * d.u_amount))::numeric, 2),
       d.day,
       CASE WHEN d.einvoice THEN '' ELSE (%(accounts)s::text[])[1 + (d.rank %% %(naccounts)s)] END,
       CASE WHEN d.einvoice THEN (%(codes)s::text[])[d.ci + 1]
            ELSE (%(unspsc)s::text[])[d.ci + 1] END,
       CASE WHEN d.einvoice THEN (%(codes)s::text[])[d.ci + 1] END,
       CASE WHEN d.einvoice THEN (%(unspsc)s::text[])[d.ci + 1] ELSE '' END,
       CASE WHEN d.einvoice THEN 'OIO-' ELSE 'F' END || d.g,
       (%(imports)s::bigint[])[1 + d.mi * %(nyears)s * 2
                               + (extract(year FROM d.day)::int - %(first_year)s) * 2
                               + CASE WHEN d.einvoice THEN 1 ELSE 0 END],
       'skala-' || %(seed)s || '-' || d.g
FROM (
    SELECT g,
           (%(slots)s::int[])[1 + floor(u1 * %(nslots)s)::int] AS mi,
           least(%(nsuppliers)s, floor(power(%(nsuppliers)s::float8, u2))::int) AS rank,
           %(first_day)s::date + floor(u3 * %(ndays)s)::int AS day,
           u4 < %(einvoice_share)s AS einvoice,
           (least(%(nsuppliers)s, floor(power(%(nsuppliers)s::float8, u2))::int)
            + floor(u5 * 3)::int) %% %(ncodes)s AS ci,
           u6 AS u_amount, u7 AS u_credit
    FROM (
        SELECT g,
               (hashint8extended(g, %(seed)s * 16 + 1) & 2147483647) / 2147483648.0 AS u1,
               (hashint8extended(g, %(seed)s * 16 + 2) & 2147483647) / 2147483648.0 AS u2,
               (hashint8extended(g, %(seed)s * 16 + 3) & 2147483647) / 2147483648.0 AS u3,
               (hashint8extended(g, %(seed)s * 16 + 4) & 2147483647) / 2147483648.0 AS u4,
               (hashint8extended(g, %(seed)s * 16 + 5) & 2147483647) / 2147483648.0 AS u5,
               (hashint8extended(g, %(seed)s * 16 + 6) & 2147483647) / 2147483648.0 AS u6,
               (hashint8extended(g, %(seed)s * 16 + 7) & 2147483647) / 2147483648.0 AS u7
        FROM generate_series(%(low)s::bigint, %(high)s::bigint) g
    ) u
) d
"""
CHUNK = 1_000_000


def _spend_imports(scale: Scale, members: list[tuple[str, int]]) -> list[int]:
    """One standing import per member, year and shape (ERP file, e-invoices): the lines' origin."""
    wanted = []
    for code, member_id in members:
        for year in YEARS:
            for shape in (SpendImport.Format.ERP_CSV, SpendImport.Format.UBL_ZIP):
                name = f"{MARK}-{code}-{year}-{shape}.{'csv' if shape == 'erp_csv' else 'zip'}"
                wanted.append((member_id, year, shape, name))
    existing = dict(
        SpendImport.objects.filter(original_name__startswith=f"{MARK}-").values_list(
            "original_name", "pk"
        )
    )
    now = timezone.now()
    SpendImport.objects.bulk_create(
        [
            SpendImport(
                member_id=member_id,
                file=f"spend/imports/{name}",
                original_name=name,
                sha256=hashlib.sha256(f"{scale.seed}:{name}".encode()).hexdigest(),
                format=shape,
                encoding="utf-8" if shape == SpendImport.Format.UBL_ZIP else "windows-1252",
                status=SpendImport.Status.IMPORTED,
                period_start=max(FIRST_DAY, datetime.date(year, 1, 1)),
                period_end=min(LAST_DAY, datetime.date(year, 12, 31)),
                finished_at=now,
            )
            for member_id, year, shape, name in wanted
            if name not in existing
        ],
        batch_size=1000,
    )
    by_name = dict(
        SpendImport.objects.filter(original_name__startswith=f"{MARK}-").values_list(
            "original_name", "pk"
        )
    )
    return [by_name[name] for _, _, _, name in wanted]


def _spend(scale: Scale, out: Callable[[str], None]) -> int:
    if SpendLine.objects.filter(fingerprint__startswith=f"skala-{scale.seed}-").exists():
        return 0
    members = member_ids_by_code()
    weights = [member_weight(code) for code, _ in members]
    total = sum(weights)
    # 4,000 slots, each member holding slots in proportion to its weight (at least one).
    slots: list[int] = []
    for index, weight in enumerate(weights):
        slots += [index] * max(1, round(4000 * weight / total))
    codes = category_pool()
    params = {
        "members": [member_id for _, member_id in members],
        "suppliers": supplier_ids(scale),
        "nsuppliers": scale.suppliers,
        "slots": slots,
        "nslots": len(slots),
        "codes": codes,
        "unspsc": [unspsc_for(i) for i in range(len(codes))],
        "ncodes": len(codes),
        "accounts": list(ACCOUNTS),
        "naccounts": len(ACCOUNTS),
        "imports": _spend_imports(scale, members),
        "nyears": len(YEARS),
        "first_year": FIRST_DAY.year,
        "first_day": FIRST_DAY,
        "ndays": (LAST_DAY - FIRST_DAY).days + 1,
        "einvoice_share": E_INVOICE_SHARE,
        "credit": CREDIT_NOTE_SHARE,
        "seed": scale.seed,
    }
    written = 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Check the foreign keys as each chunk is written: deferred to the commit (Django makes
        # them DEFERRABLE INITIALLY DEFERRED), ten million pending checks took minutes of their
        # own and their queue grew to gigabytes.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for low in range(1, scale.lines + 1, CHUNK):
            started = time.perf_counter()
            high = min(scale.lines, low + CHUNK - 1)
            cursor.execute(SPEND_SQL, {**params, "low": low, "high": high})
            written += cursor.rowcount
            if scale.lines > CHUNK:
                _say(out, started, f"spend lines {high:,} of {scale.lines:,}")
        # What an import records about its file, from the lines it brought.
        cursor.execute(
            """
            UPDATE spend_spendimport i
               SET lines_total = s.n, lines_valid = s.n, lines_new = s.n,
                   first_date = s.first, last_date = s.last
              FROM (SELECT spend_import_id, count(*) AS n, min(invoice_date) AS first,
                           max(invoice_date) AS last
                      FROM spend_spendline WHERE fingerprint LIKE %s
                     GROUP BY spend_import_id) s
             WHERE i.id = s.spend_import_id
            """,
            [f"skala-{scale.seed}-%"],
        )
    return written


# --- Tenders ---------------------------------------------------------------------------------

TENDER_SUBJECTS = (
    "Kontorartikler", "IT-udstyr", "Fødevarer til institutioner", "Rengøring", "Møbler",
    "Biler og leasing", "Print og kopi", "El-installationer", "Hjælpemidler", "Energi",
    "Arbejdstøj", "Legepladser", "Skilte og trafik", "Læremidler", "Rådgivning", "Vikarer",
    "Affaldshåndtering", "Vagt og sikkerhed", "Kaffeautomater", "Grønne områder",
    "Medicinsk forbrug", "Telefoni og net", "Softwarelicenser", "Busdrift", "Fjernvarme",
)  # fmt: skip


def _aware(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _tenders(scale: Scale) -> int:
    existing = set(
        Tender.objects.filter(reference__startswith="N").values_list("reference", flat=True)
    )
    secretariat = Organisation.objects.get(slug="sekretariat")
    codes = category_pool()
    statuses = list(TenderStatus.values)
    procedures = [
        ProcedureType.OPEN,
        ProcedureType.RESTRICTED,
        ProcedureType.NEGOTIATED,
        ProcedureType.MINI_COMPETITION,
    ]
    today = timezone.localdate()
    # Earlier statuses lie in the future, later ones in the past.
    offset_days = {
        TenderStatus.PLANNED: 300,
        TenderStatus.NEEDS_ANALYSIS: 200,
        TenderStatus.VOLUME_COLLECTION: 20,
        TenderStatus.PREPARATION: -40,
        TenderStatus.PUBLISHED: -90,
        TenderStatus.EVALUATION: -150,
        TenderStatus.AWARDED: -200,
        TenderStatus.CONCLUDED: -500,
        TenderStatus.CANCELLED: -300,
    }
    rows = []
    for n in range(1, scale.tenders + 1):
        reference = f"N{2022 + n % 5}-{n:04d}"
        status = statuses[n % len(statuses)]
        draw = _draw("tender", scale.seed, n)
        if reference in existing:
            continue
        deadline = today + datetime.timedelta(days=offset_days[status] + draw.randint(-30, 30))
        subject = TENDER_SUBJECTS[n % len(TENDER_SUBJECTS)]
        rows.append(
            Tender(
                reference=reference,
                title=f"{subject} {draw.choice(('Øst', 'Vest', 'Nord', 'Syd', 'Land'))} {n}",
                description=f"Fælles udbud af {subject.lower()} for de deltagende kommuner.",
                status=status,
                procedure_type=draw.choice(procedures),
                main_cpv_id=codes[n % len(codes)],
                lead_organisation=secretariat,
                term_years=draw.choice((2, 3, 4)),
                option_years=[1, 1],
                volume_deadline=_aware(deadline),
                bid_deadline=_aware(deadline + datetime.timedelta(days=75)),
                expected_start=deadline + datetime.timedelta(days=180),
                status_changed_at=_aware(min(today, deadline)),
                awarded_at=_aware(deadline + datetime.timedelta(days=130))
                if status in (TenderStatus.AWARDED, TenderStatus.CONCLUDED)
                else None,
                cancel_reason="Ingen egnede tilbud." if status == TenderStatus.CANCELLED else "",
            )
        )
    Tender.objects.bulk_create(rows, batch_size=500)
    created = list(Tender.objects.filter(reference__in=[t.reference for t in rows]))
    Lot.objects.bulk_create(
        [Lot(tender=t, number=1, title=t.title) for t in created], batch_size=1000
    )
    answered_from = statuses.index(TenderStatus.VOLUME_COLLECTION)
    members = [member_id for _, member_id in member_ids_by_code()]
    participations = []
    for tender in created:
        if statuses.index(tender.status) < answered_from:
            continue
        for member_id in members:
            draw = _draw("answer", scale.seed, tender.reference, member_id)
            roll = draw.random()
            if tender.status == TenderStatus.VOLUME_COLLECTION and roll < 0.5:
                answer = Participation.Answer.PENDING
            elif roll < 0.6:
                answer = Participation.Answer.PARTICIPATE
            elif roll < 0.9:
                answer = Participation.Answer.DECLINE
            else:
                answer = Participation.Answer.NO_ANSWER
            decline = answer == Participation.Answer.DECLINE
            participations.append(
                Participation(
                    tender=tender,
                    member_id=member_id,
                    answer=answer,
                    decline_category=draw.choice(("no_need", "own_agreement", "budget"))
                    if decline
                    else "",
                    decline_reason="Vi har en egen aftale." if decline else "",
                    answered_at=tender.volume_deadline
                    if answer != Participation.Answer.PENDING
                    else None,
                )
            )
    Participation.objects.bulk_create(participations, batch_size=5000)
    return len(rows)


# --- Agreements ------------------------------------------------------------------------------


def _agreements(scale: Scale) -> int:
    existing = set(
        Agreement.objects.filter(number__startswith="N-").values_list("number", flat=True)
    )
    codes = category_pool()
    suppliers = supplier_ids(scale)
    members = [member_id for _, member_id in member_ids_by_code()]
    wanted = []
    for n in range(scale.agreements):
        number = f"N-{n + 1:05d}"
        if number in existing:
            continue
        draw = _draw("agreement", scale.seed, n)
        category = n % len(codes)
        generation = (n // len(codes)) % 3  # ended, running, starting
        start = datetime.date(2021 + 2 * generation, 1 + draw.randrange(12), 1)
        end = datetime.date(start.year + 3, start.month, 1) - datetime.timedelta(days=1)
        agreement = Agreement(
            number=number,
            title=f"{TENDER_SUBJECTS[n % len(TENDER_SUBJECTS)]} ({codes[category]})",
            start_date=start,
            base_end_date=end,
            end_date=end,
            expected_annual_value=Decimal(draw.randrange(200, 20_000) * 1000),
            agreement_price_level=Decimal(draw.randrange(85, 98)),
            allocation=Agreement.Allocation.RANKING,
        )
        # Suppliers selling in the category (rank ≡ category mod the pool size), the largest first.
        ranks = [category + k * len(codes) for k in range(3)]
        ranks = [r for r in ranks if 1 <= r <= len(suppliers)][: 1 + draw.randrange(3)]
        national = n % 25 == 0
        bound = members if national else draw.sample(members, max(1, len(members) * 15 // 100))
        wanted.append((agreement, codes[category], [suppliers[r - 1] for r in ranks], bound))
    Agreement.objects.bulk_create([w[0] for w in wanted], batch_size=1000)
    by_number = dict(
        Agreement.objects.filter(number__in=[w[0].number for w in wanted]).values_list(
            "number", "pk"
        )
    )
    through_members = Agreement.members.through
    through_categories = Agreement.categories.through
    through_members.objects.bulk_create(
        [
            through_members(agreement_id=by_number[a.number], member_id=m)
            for a, _, _, bound in wanted
            for m in bound
        ],
        batch_size=5000,
    )
    through_categories.objects.bulk_create(
        [
            through_categories(agreement_id=by_number[a.number], cpvcode_id=c)
            for a, c, _, _ in wanted
        ],
        batch_size=5000,
    )
    AgreementSupplier.objects.bulk_create(
        [
            AgreementSupplier(agreement_id=by_number[a.number], supplier_id=s, rank=rank)
            for a, _, chosen, _ in wanted
            for rank, s in enumerate(chosen, start=1)
        ],
        batch_size=5000,
    )
    return len(wanted)


# --- Knowledge articles ----------------------------------------------------------------------


def _vocabulary() -> list[str]:
    from knowledge.demo import DEMOS

    words: list[str] = []
    for demo in DEMOS:
        for text in (demo.title, demo.summary, demo.body):
            words += [w.strip(".,:;()#*-–'\"").lower() for w in text.split()]
    return sorted({w for w in words if len(w) > 1 and not w.isdigit()})


def _articles(scale: Scale) -> int:
    existing = Article.objects.filter(title__endswith=f" ({MARK})").count()
    missing = scale.articles - existing
    if missing <= 0:
        return 0
    vocabulary = _vocabulary()
    staff = User.objects.filter(email="sekretariat@12by.test").first()
    secretariat = Organisation.objects.get(slug="sekretariat")
    officers = list(User.objects.filter(role=Role.OFFICER).order_by("email")[:200])
    kinds, phases = list(Kind.values), list(Phase.values)
    aims, levers = list(Aim.values), list(Lever.values)
    created = 0
    for start in range(existing, scale.articles, 2000):
        rows = []
        for i in range(start, min(scale.articles, start + 2000)):
            draw = _draw("article", scale.seed, i)

            def sentence(k: int, draw: random.Random = draw) -> str:
                return " ".join(draw.choices(vocabulary, k=k)).capitalize() + "."

            body = "\n\n".join(
                f"## {sentence(3)}\n\n" + " ".join(sentence(draw.randint(8, 16)) for _ in range(4))
                for _ in range(draw.randint(2, 4))
            )
            author = (
                staff if (i % 10 or not officers or staff is None) else officers[i % len(officers)]
            )
            published = i % 10 != 0
            rows.append(
                Article(
                    title=f"{sentence(draw.randint(3, 7))[:-1]} ({MARK})",
                    kind=draw.choice(kinds),
                    summary=sentence(draw.randint(12, 24)),
                    body=body,
                    body_html=render_markdown(body),
                    status=Status.PUBLISHED if published else Status.DRAFT,
                    organisation_id=author.organisation_id if author else secretariat.pk,
                    author=author,
                    owner=author,
                    review_date=datetime.date(2027, 1 + i % 12, 1),
                    published_at=_aware(FIRST_DAY + datetime.timedelta(days=i % 1700))
                    if published
                    else None,
                    phases=draw.sample(phases, draw.randint(1, 2)),
                    aims=draw.sample(aims, 1),
                    levers=draw.sample(levers, draw.randint(1, 2)),
                    view_count=draw.randint(0, 300),
                )
            )
        made = Article.objects.bulk_create(rows, batch_size=500)
        ArticleVersion.objects.bulk_create(
            [
                ArticleVersion(
                    article=a,
                    number=1,
                    title=a.title,
                    summary=a.summary,
                    body=a.body,
                    author=a.author,
                )
                for a in made
            ],
            batch_size=1000,
        )
        created += len(made)
    return created


def digest() -> str:
    """A digest of the generated content without row ids: equal for equal seeds."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT md5(string_agg(concat_ws('|', o.slug, s.cvr, l.amount, l.invoice_date,
                                            l.account, l.category_code, l.cpv_id, l.unspsc,
                                            l.invoice_number, i.original_name, l.fingerprint),
                                  ',' ORDER BY l.fingerprint, o.slug))
            FROM spend_spendline l
            JOIN members_member m ON m.id = l.member_id
            JOIN accounts_organisation o ON o.id = m.organisation_id
            JOIN spend_supplier s ON s.id = l.supplier_id
            LEFT JOIN spend_spendimport i ON i.id = l.spend_import_id
            WHERE l.fingerprint LIKE 'skala-%%'
            """
        )
        return cursor.fetchone()[0] or ""
