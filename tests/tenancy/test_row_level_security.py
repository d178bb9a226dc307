"""The database's own wall between tenants: row-level security, tested as the application role.

Each test runs SQL the way a forgotten `visible_to` would — raw queries and unscoped querysets —
in one acting context, and shows that PostgreSQL returns only what that context may see.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from accounts.access import acting_for
from consortium import tenancy
from consortium.tenancy import Acting
from jobs.models import Job
from spend.models import SpendLine, Supplier

pytestmark = pytest.mark.django_db


def member_context(member) -> Acting:
    return Acting(scope=tenancy.MEMBER, organisation_id=member.organisation_id, member_id=member.pk)


@pytest.fixture
def lines(cast):
    supplier = Supplier.objects.create(name="Lyreco Danmark A/S")
    for member, amount in ((cast.odense, "100.00"), (cast.aarhus, "250.00")):
        SpendLine.objects.create(
            member=member,
            supplier=supplier,
            amount=Decimal(amount),
            invoice_date=datetime.date(2026, 3, 1),
        )
    return supplier


def raw_member_ids(table: str = "spend_spendline") -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT member_id FROM {table} ORDER BY member_id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_the_tests_connect_as_the_application_role() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, bypass = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user"
        )
        owned = cursor.fetchone()[0]
    assert user == settings.DATABASES["default"]["USER"] != settings.DATABASE_OWNER["USER"]
    assert (superuser, bypass, owned) == (False, False, 0)


def test_a_raw_query_in_one_members_context_returns_none_of_anothers(cast, lines) -> None:
    with tenancy.acting_as(member_context(cast.odense)):
        assert raw_member_ids() == [cast.odense.pk]
        assert list(SpendLine.objects.values_list("member_id", flat=True)) == [cast.odense.pk]
    with tenancy.acting_as(member_context(cast.aarhus)):
        assert raw_member_ids() == [cast.aarhus.pk]


def test_the_secretariat_and_the_board_read_every_members_rows(cast, lines) -> None:
    both = sorted([cast.odense.pk, cast.aarhus.pk])
    with tenancy.acting_as(acting_for(cast.staff)):
        assert raw_member_ids() == both
    with tenancy.acting_as(acting_for(cast.board_member)):
        assert raw_member_ids() == both


def test_no_context_sees_nothing(cast, lines) -> None:
    with tenancy.acting_as(tenancy.NOBODY):
        assert raw_member_ids() == []
        assert SpendLine.objects.count() == 0


def test_a_member_cannot_write_another_members_rows(cast, lines) -> None:
    with tenancy.acting_as(member_context(cast.odense)):
        # Aarhus's line is not there to change or delete...
        assert SpendLine.objects.filter(member=cast.aarhus).update(amount=Decimal("1.00")) == 0
        assert SpendLine.objects.filter(member=cast.aarhus).delete()[0] == 0
        # ...and a new row in Aarhus's name is refused by the policy's check.
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            SpendLine.objects.create(
                member=cast.aarhus,
                supplier=lines,
                amount=Decimal("5.00"),
                invoice_date=datetime.date(2026, 3, 2),
            )
    assert SpendLine.objects.get(member=cast.aarhus).amount == Decimal("250.00")


def test_the_board_reads_but_does_not_write_members_rows(cast, lines) -> None:
    with tenancy.acting_as(acting_for(cast.board_member)):
        assert SpendLine.objects.update(amount=Decimal("0.00")) == 0
    assert sorted(SpendLine.objects.values_list("amount", flat=True)) == [
        Decimal("100.00"),
        Decimal("250.00"),
    ]


def test_a_declaration_follows_its_participation(cast) -> None:
    """A row of a row (a volume declaration) is read where its parent is."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy p "
            "JOIN pg_class c ON c.oid = p.polrelid "
            "WHERE c.relname = 'tenders_volumedeclaration' AND polname = 'tenant_read'"
        )
        (qual,) = cursor.fetchone()
    assert "tenders_participation" in qual


def test_organisation_rows_are_their_organisations(cast) -> None:
    odense_job = Job.objects.create(organisation=cast.odense.organisation, kind="spend_import")
    Job.objects.create(organisation=cast.aarhus.organisation, kind="spend_import")
    with tenancy.acting_as(acting_for(cast.officer)):
        assert list(Job.objects.values_list("pk", flat=True)) == [odense_job.pk]
    with tenancy.acting_as(acting_for(cast.board_member)):
        assert Job.objects.count() == 0  # the board's own jobs only
    with tenancy.acting_as(acting_for(cast.admin)):
        assert Job.objects.count() == 2


def test_a_context_lasts_only_for_its_transaction(cast, lines) -> None:
    """The settings are transaction-local: after the block, the transaction's context is back."""
    with tenancy.acting_as(member_context(cast.odense)):
        assert len(raw_member_ids()) == 1
    assert len(raw_member_ids()) == 2  # the tests' own context: the whole consortium
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('portal.scope', true)")
        assert cursor.fetchone()[0] == tenancy.CONSORTIUM


def test_a_partition_is_read_and_written_through_its_parent_only(cast, lines) -> None:
    """The spend lines' yearly partitions: read directly, a partition would be governed by its
    own policies (none), not its parent's — so the application role may not touch one."""
    for statement in (
        "SELECT member_id FROM spend_spendline_y2026",
        "SELECT member_id FROM spend_spendline_default",
        "INSERT INTO spend_spendline_y2026 SELECT * FROM spend_spendline",
        "UPDATE spend_spendline_y2026 SET amount = 0",
        "DELETE FROM spend_spendline_y2026",
    ):
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    # Through the parent the policies hold, also when the date leaves one partition to read.
    with tenancy.acting_as(member_context(cast.odense)), connection.cursor() as cursor:
        assert raw_member_ids() == [cast.odense.pk]
        cursor.execute(
            "SELECT member_id FROM spend_spendline "
            "WHERE invoice_date >= '2026-01-01' AND invoice_date < '2027-01-01'"
        )
        assert [row[0] for row in cursor.fetchall()] == [cast.odense.pk]
        cursor.execute("UPDATE spend_spendline SET amount = 0 WHERE invoice_date = '2026-03-01'")
        assert cursor.rowcount == 1
    # Every partition: no privilege for the application role, row-level security without a
    # policy should one be granted again.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, "
            "has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'), "
            "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
            "FROM pg_class c WHERE c.relispartition AND c.relkind IN ('r', 'p') "
            "AND c.relnamespace = 'public'::regnamespace"
        )
        partitions = {name: rest for name, *rest in cursor.fetchall()}
    assert len(partitions) >= 42
    assert set(map(tuple, partitions.values())) == {(True, False, 0)}


def test_every_tenant_table_is_under_row_level_security() -> None:
    expected = {p.table for p in tenancy.policies()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relkind IN ('r', 'p') "
            "AND relnamespace = 'public'::regnamespace"
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert expected <= protected
    for table in (
        "spend_spendline",
        "spend_spendimport",
        "tenders_participation",
        "tenders_volumedeclaration",
        "agreements_compliancefigure",
        "climate_climatefigure",
        "climate_supplierclimatefigure",
        "climate_agreementclimatefigure",
        "climate_meteredconsumption",
        "insight_volumekeptfigure",
        "insight_offcontractfigure",
        "insight_offcontractsupplierfigure",
        "insight_entereddeclaration",
        "members_feestatement",
        "api_apitoken",
        "jobs_job",
        "knowledge_attachment",
    ):
        assert table in protected


def test_every_table_with_a_members_or_organisations_key_is_decided() -> None:
    """A new table holding a member's or an organisation's rows must either name its
    `tenant_path` (and so get policies) or be listed here with the reason it is shared."""
    from django.apps import apps

    shared = {
        "members.Member": "the register of members, read by everyone",
        "members.Municipality": "the municipalities of Denmark (reference data)",
        "members.Commitment": "the consortium's commitments, read by every member",
        "accounts.User": "read to sign in, before anyone acts",
        "accounts.Invitation": "read by the invitee, before they have an account",
        "accounts.IdentityProvider": "read at sign-in, before anyone acts (its secret encrypted)",
        "tenders.Tender": "tenders are the consortium's, led by the secretariat",
        "agreements.Agreement": "agreements are the consortium's",
        "agreements.AgreementMember": "which members an agreement binds, read by every member",
    }
    protected = {m._meta.label for m in tenancy.protected_models()}
    undecided = []
    for model in apps.get_models():
        if getattr(model, "pgh_tracked_model", None) is not None:
            continue
        keys = {
            f.related_model._meta.label
            for f in model._meta.fields
            if f.is_relation and f.related_model is not None
        }
        if keys & {"members.Member", "accounts.Organisation"}:
            label = model._meta.label
            if label not in protected and label not in shared:
                undecided.append(label)
    assert undecided == []
