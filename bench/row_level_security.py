"""Row-level security: how many tables it guards, and what telling the database who is acting
costs per statement.

Builds a scratch database as the owner role (migrations and policies as in production), then, as
the application role, runs the same primary-key lookup N times three ways:

* in one transaction (the context is handed over once, at its start),
* each statement on its own, as Django's autocommit runs it (the backend wraps each statement in a
  transaction of its own that starts with the context: consortium/db/base.py),
* as the owner role, which the policies do not bind (the baseline without row-level security).

    .venv/bin/python bench/row_level_security.py [--statements 5000]

Prints `figure: rls_tables N`, `figure: rls_statement_in_transaction_us`,
`figure: rls_statement_autocommit_us` and `figure: no_rls_statement_autocommit_us`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=5000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    from consortium import tenancy
    from consortium.db.owner import as_owner

    original = connection.settings_dict["NAME"]
    with as_owner():
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from members.models import Member
        from spend.models import SpendLine, Supplier
        from tests.conftest import build_cast

        with tenancy.acting_as(tenancy.SYSTEM):
            cast = build_cast()
            supplier = Supplier.objects.create(name="Bench A/S")
            line = SpendLine.objects.create(
                member=cast.odense,
                supplier=supplier,
                amount=Decimal("1.00"),
                invoice_date=datetime.date(2026, 1, 1),
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relrowsecurity "
                "AND relnamespace = 'public'::regnamespace"
            )
            tables = cursor.fetchone()[0]
        odense = tenancy.Acting(
            scope=tenancy.MEMBER,
            organisation_id=cast.odense.organisation_id,
            member_id=cast.odense.pk,
        )
        assert Member.objects.count() == 2

        def lookups() -> float:
            start = time.perf_counter()
            for _ in range(args.statements):
                assert SpendLine.objects.filter(pk=line.pk).exists()
            return (time.perf_counter() - start) / args.statements * 1e6

        with tenancy.acting_as(odense):
            lookups()  # warm up
            with transaction.atomic():
                in_transaction = lookups()
            autocommit = lookups()
        with as_owner():
            baseline = lookups()
    finally:
        with as_owner():
            connection.creation.destroy_test_db(original, verbosity=0)

    print(f"figure: rls_tables {tables} tables")
    print(f"figure: rls_statement_in_transaction_us {in_transaction:.0f} us")
    print(f"figure: rls_statement_autocommit_us {autocommit:.0f} us")
    print(f"figure: no_rls_statement_autocommit_us {baseline:.0f} us")


if __name__ == "__main__":
    main()
