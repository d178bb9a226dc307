"""The yearly partitions of the spend lines (migration `0008_partition_spend_lines`).

The migration made one partition per calendar year from 2000 to 2040 and a default one that
takes a line of any other year, so no invoice date is ever refused. What this module adds, each
night and when asked: the partition of this year and of the next, should the fixed range ever
run out, and one for every year of lines that landed in the default partition, moving them in —
a line belongs in its year, where a query that names its date finds it without reading the rest.

Creating a table is the owner's right, not the application role's; the work is done by the
SECURITY DEFINER function `spend_line_partition_add`, which also closes the new partition to
everyone but the owner (row-level security without a policy, no grant): a partition is read
through the parent, under the parent's policies, never directly. It refuses any context but
the consortium's.
"""

from __future__ import annotations

import datetime
import logging

from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def partition_years() -> list[int]:
    """The years that have a partition of their own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substring(c.relname FROM '^spend_spendline_y([0-9]{4})$')::int "
            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'spend_spendline'::regclass "
            "AND c.relname ~ '^spend_spendline_y[0-9]{4}$' ORDER BY 1"
        )
        return [year for (year,) in cursor.fetchall()]


def default_years() -> list[int]:
    """The years of the lines in the default partition (normally none)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT spend_line_default_years()")
        return [year for (year,) in cursor.fetchall()]


def partition_add(year: int) -> bool:
    """Give `year` its partition (moving its lines out of the default one); False if it had one.

    In a transaction of its own: it locks the default partition, and briefly the lines held by
    imports when lines must move."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT spend_line_partition_add(%s)", [year])
        added = bool(cursor.fetchone()[0])
    if added:
        logger.info("Spend lines: partition for %s added", year)
    return added


def partitions_keep(today: datetime.date | None = None) -> list[int]:
    """Make sure this year, the next and every year found in the default partition have a
    partition of their own; return the years added."""
    today = today or timezone.localdate()
    have = set(partition_years())
    wanted = {today.year, today.year + 1, *default_years()}
    return [year for year in sorted(wanted - have) if partition_add(year)]
