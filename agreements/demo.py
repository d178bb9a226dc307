"""Demo agreements for the demo suppliers, and — when no spend has been loaded — generated spend.

Suppliers are fictional companies with made-up CVR numbers that pass the modulus-11 check
(python-stdnum); they are fetched or created by CVR so the spend app's own demo suppliers and
these meet. A concluded demo tender gets its agreement the way the portal makes one (concluding
it, then the secretariat completing suppliers, price levels and climate requirements), so the
OCDS feed shows its award and contract; the older agreement it renews names it as its
successor. The spend app's demo runs first (INSTALLED_APPS order) and loads three years of
spend; only on a database without spend in the period does this module generate its own —
deterministic (a fixed random seed), under 50,000 lines, few suppliers carrying most of the
spend, 30 % of lines without a category as in real ERP exports. The knowledge base's demo runs
after this one: agreements are linked to its articles (by title) when they exist, and otherwise
once the seeding transaction commits. After seeding, every compliance figure is recomputed.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from stdnum.dk import cvr as cvr_number

from cpv.models import CpvCode, significant_prefix
from knowledge.models import Article
from members.models import Member
from spend import demo as spend_demo
from spend.models import SpendLine, Supplier
from tenders.models import Tender, TenderStatus

from .demo_data import AGREEMENTS, ARTICLES, FROM_TENDERS, SPEND_AREAS, S
from .models import Agreement, AgreementSupplier, ExtensionOption
from .services import (
    SupplierEntry,
    agreement_suppliers_set,
    agreement_update,
    agreements_create_for_tender,
    compliance_recompute,
    compliance_recompute_deferred,
)

MAX_LINES = 50_000
SEED = 2026


def demo_cvr(n: int) -> str:
    """The n-th demo CVR number: 8 digits passing the modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    base = 41_000_000 + 37 * n
    while True:
        prefix = str(base)[:7]
        check = -sum(w * int(d) for w, d in zip(weights, prefix, strict=True)) % 11
        if check < 10 and cvr_number.is_valid(prefix + str(check)):
            return prefix + str(check)
        base += 10


def suppliers() -> dict[str, Supplier]:
    result = {}
    for key, demo in S.items():
        supplier, _ = Supplier.objects.get_or_create(
            cvr=demo_cvr(demo.n), defaults={"name": demo.name}
        )
        result[key] = supplier
    return result


def _spend_demo_suppliers(categories: tuple[str, ...]) -> list[Supplier]:
    """The spend demo's suppliers to put on an agreement in these categories: the largest one and
    any other large one (weight ≥ 5).

    The spend app's demo invents its own suppliers; without this they would all be spend outside
    agreements. Its small suppliers stay off, so some spend still leaks past the agreements.
    """
    prefixes = [significant_prefix(code) for code in categories]
    matching = [
        (weight, index, name)
        for index, (name, _alias, code8, weight) in enumerate(spend_demo.DEMO_SUPPLIERS)
        if any(code8.startswith(p) for p in prefixes)
    ]
    matching.sort(reverse=True)
    chosen = [
        row for n, row in enumerate(matching) if n == 0 or row[0] >= spend_demo.LARGE_SUPPLIER
    ]
    return [
        Supplier.objects.get_or_create(cvr=spend_demo.demo_cvr(index), defaults={"name": name})[0]
        for _weight, index, name in chosen
    ]


def seed_agreements(today: datetime.date | None = None) -> list[Agreement]:
    today = today or timezone.localdate()
    by_key = suppliers()
    members = list(Member.objects.active())

    result = []
    for demo in AGREEMENTS:
        start = datetime.date(today.year + demo.start[0], demo.start[1], 1)
        base_end = start + relativedelta(years=demo.years, days=-1)
        end = base_end + relativedelta(months=sum(demo.options[: demo.used]))
        ranked = [by_key[key] for key in demo.suppliers] + _spend_demo_suppliers(demo.categories)
        # The suppliers page enforces it too: several suppliers need a rule for sharing orders.
        allocation = demo.allocation
        if allocation == Agreement.Allocation.SINGLE and len(ranked) > 1:
            allocation = Agreement.Allocation.RANKING
        agreement, _ = Agreement.objects.update_or_create(
            number=demo.number,
            defaults={
                "title": demo.title,
                "allocation": allocation,
                "start_date": start,
                "base_end_date": base_end,
                "end_date": end,
                "expected_annual_value": Decimal(demo.annual_value),
                "baseline_price_level": Decimal(100),
                "agreement_price_level": Decimal(demo.price_level),
                "climate_requirements": demo.climate,
                "successor_tender": (
                    Tender.objects.filter(reference=demo.successor).first()
                    if demo.successor
                    else None
                ),
            },
        )
        agreement.members.set(members)
        agreement.categories.set(CpvCode.objects.filter(code__in=demo.categories))
        agreement.supplier_links.exclude(supplier__in=ranked).delete()
        keys = {by_key[key].pk: key for key in demo.suppliers}
        ranks = {
            supplier.pk: rank if allocation == Agreement.Allocation.RANKING else None
            for rank, supplier in enumerate(ranked, start=1)
        }
        if dict(agreement.supplier_links.values_list("supplier_id", "rank")) != ranks:
            # Ranks are unique per agreement: clear them before a new order is written.
            agreement.supplier_links.update(rank=None)
        for supplier in ranked:
            key = keys.get(supplier.pk)
            AgreementSupplier.objects.update_or_create(
                agreement=agreement,
                supplier=supplier,
                defaults={
                    "rank": ranks[supplier.pk],
                    "contact_name": S[key].contact if key else "",
                    "contact_email": f"udbud@{key.replace('_', '')}.test" if key else "",
                },
            )
        for sequence, months in enumerate(demo.options, start=1):
            used_on = base_end - relativedelta(months=3) if sequence <= demo.used else None
            ExtensionOption.objects.update_or_create(
                agreement=agreement,
                sequence=sequence,
                defaults={"months": months, "used_on": used_on},
            )
        result.append(agreement)
    return result


def seed_from_tenders() -> list[Agreement]:
    """The agreements of the concluded demo tenders, made and completed through the services."""
    by_key = suppliers()
    result = []
    for demo in FROM_TENDERS:
        tender = Tender.objects.filter(reference=demo.tender, status=TenderStatus.CONCLUDED).first()
        if tender is None:
            continue
        predecessor = Agreement.objects.filter(number=demo.renews).first()
        start = (
            predecessor.end_date + datetime.timedelta(days=1)
            if predecessor
            else tender.expected_start or timezone.localdate()
        )
        for created in agreements_create_for_tender(tender=tender):
            codes = tuple(created.categories.values_list("code", flat=True))
            ranked = [by_key[key] for key in demo.suppliers] + _spend_demo_suppliers(codes)
            several = len(ranked) > 1
            agreement = agreement_update(
                agreement=created,
                user=None,
                fields={
                    "allocation": (
                        Agreement.Allocation.RANKING if several else Agreement.Allocation.SINGLE
                    ),
                    "start_date": start,
                    "base_end_date": start + relativedelta(years=tender.term_years, days=-1),
                    "expected_annual_value": Decimal(demo.annual_value),
                    "agreement_price_level": Decimal(demo.price_level),
                    "climate_requirements": demo.climate,
                },
            )
            keys = {by_key[key].pk: key for key in demo.suppliers}
            agreement_suppliers_set(
                agreement=agreement,
                user=None,
                entries=[
                    SupplierEntry(
                        cvr=supplier.cvr,
                        rank=rank if several else None,
                        contact_name=S[keys[supplier.pk]].contact if supplier.pk in keys else "",
                        contact_email=(
                            f"udbud@{keys[supplier.pk].replace('_', '')}.test"
                            if supplier.pk in keys
                            else ""
                        ),
                    )
                    for rank, supplier in enumerate(ranked, start=1)
                ],
            )
            result.append(agreement)
    return result


def link_articles() -> int:
    """Link the demo agreements to the knowledge demo's articles that exist (added, never
    removed, so links the secretariat made stay). Returns the number of links made."""
    made = 0
    for number, titles in ARTICLES.items():
        agreement = Agreement.objects.filter(number=number).first()
        if agreement is None:
            continue
        articles = list(Article.objects.filter(title__in=titles).exclude(agreements=agreement))
        agreement.related_articles.add(*articles)
        made += len(articles)
    return made


def generate_spend(today: datetime.date | None = None, lines_per_member_month: int = 80) -> int:
    """Deterministic demo spend for every active member over the last 36 months (≤ 50k lines)."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 — demo data, deterministic on purpose
    by_key = suppliers()
    members = list(Member.objects.active().order_by("organisation__slug"))
    first = today.replace(day=1) - relativedelta(months=35)
    per_month = min(lines_per_member_month, MAX_LINES // max(1, len(members) * 36))
    weights = [area[3] for area in SPEND_AREAS]
    batch: list[SpendLine] = []
    for m_index, member in enumerate(members):
        size = 0.5 + (m_index % 5) * 0.4  # some members buy more than others
        loyalty = 0.55 + (m_index % 4) * 0.12  # and some keep to the agreements better
        for month_index in range(36):
            month = first + relativedelta(months=month_index)
            for i in range(per_month):
                cpv, agreed, leaking, _w = rng.choices(SPEND_AREAS, weights=weights)[0]
                use_agreement = agreed and (not leaking or rng.random() < loyalty)
                pool = agreed if use_agreement else (leaking or agreed)
                # The first-ranked supplier carries most of an agreement's spend.
                key = pool[0] if len(pool) == 1 or rng.random() < 0.75 else rng.choice(pool[1:])
                amount = Decimal(str(round(rng.lognormvariate(8.5, 1.1) * size, 2)))
                if rng.random() < 0.02:
                    amount = -(amount / 5).quantize(Decimal("0.01"))  # credit notes
                day = month + datetime.timedelta(days=rng.randrange(28))
                fingerprint = hashlib.sha256(
                    f"demo:{member.pk}:{month_index}:{i}".encode()
                ).hexdigest()
                batch.append(
                    SpendLine(
                        member=member, supplier=by_key[key], amount=amount, invoice_date=day,
                        cpv_id=cpv if rng.random() < 0.7 else None,
                        category_code="", account=f"{4000 + SPEND_AREAS.index((cpv, agreed, leaking, _w))}",
                        invoice_number=f"D{m_index:02d}{month_index:02d}{i:04d}",
                        fingerprint=fingerprint,
                    )
                )  # fmt: skip
    SpendLine.objects.bulk_create(batch, batch_size=5000, ignore_conflicts=True)
    return len(batch)


def spend_exists(today: datetime.date | None = None) -> bool:
    """Whether any member has spend in the 36 months the generated demo spend would cover."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - relativedelta(months=35)
    return SpendLine.objects.filter(invoice_date__gte=first, invoice_date__lte=today).exists()


def seed() -> list[Agreement]:
    """Create or refresh the demo agreements, generate spend only when there is none, and
    recompute compliance.

    The spend app's demo suppliers are put on the agreements in their categories; the small ones
    stay off, and their spend is the leakage that keeps compliance below 100 %. Generated lines
    have fixed fingerprints, so seeding again adds nothing.
    """
    agreements = seed_agreements()
    with compliance_recompute_deferred():  # everything is recomputed below, in one go
        agreements += seed_from_tenders()
    if not spend_exists():
        generate_spend()
    compliance_recompute()
    link_articles()
    # seed_demo runs the knowledge demo after this one, in the same transaction: link its
    # articles when that transaction commits (at once when there is no transaction).
    transaction.on_commit(link_articles)
    return agreements
