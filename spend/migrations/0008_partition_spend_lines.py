"""The spend lines become a table partitioned by invoice year (docs/performance.md, "Partitioning
the spend lines by year").

A partitioned table's primary key and unique constraints must contain the partition key, so in
the database the key becomes (id, invoice_date) and the unique constraint (member, fingerprint,
invoice_date); Django keeps `id` as the model's primary key (ids still come from one sequence,
so they stay unique). `SpendLineImport.line` can no longer be a plain foreign key on `id`: it
gets `line_date` and a composite foreign key written here.

PostgreSQL cannot turn a table into a partitioned one in place: a new partitioned table is
made, the rows copied, the old table dropped and the new one renamed. Everything else the old
table carried — indexes, foreign keys, the statement triggers of `SpendMonth` and
`SupplierSpend` (0006, 0007) and the figure store's, row-level security, its policies and
grants — is read from the catalogue before the drop and made again on the new table, so nothing
added to the table by hand is lost either. The same procedure runs backwards.
"""

import django.db.models.deletion
from django.db import migrations, models

# One partition per calendar year of this range, and a default one for any other date; later
# years are added by `spend_line_partition_add` (spend/partitions.py, nightly).
FIRST_YEAR, LAST_YEAR = 2000, 2040

TABLE = "spend_spendline"
NEW = "spend_spendline_new"
DEFAULT_PARTITION = "spend_spendline_default"
LINE_FK = "spend_line_import_line_fk"
# The name Django gave the foreign key of SpendLineImport.line (0003), made again on the way back.
DJANGO_LINE_FK = "spend_spendlineimport_line_id_84566749_fk_spend_spendline_id"

# Adds a year's partition. SECURITY DEFINER: the partitions are the owner's, and the application
# role (a nightly task of the consortium) may not create tables. Lines of that year that landed
# in the default partition are moved into the new one; the foreign key from SpendLineImport is
# set aside for the move (deleting them from the default partition would otherwise cascade to
# the imports that hold them) and checked again once they are back.
PARTITION_FUNCTIONS = """
CREATE OR REPLACE FUNCTION spend_line_partition_add(for_year int) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    partition_name text := format('spend_spendline_y%s', for_year);
    first_day date;
    next_first_day date;
    line_fk text;
BEGIN
    IF session_user <> current_user AND portal_scope() <> 'consortium' THEN
        RAISE EXCEPTION 'only the consortium adds partitions of the spend lines'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF for_year NOT BETWEEN 1900 AND 2999 THEN
        RAISE EXCEPTION 'no partition for the year %', for_year USING ERRCODE = 'data_exception';
    END IF;
    first_day := make_date(for_year, 1, 1);
    next_first_day := make_date(for_year + 1, 1, 1);
    -- One caller at a time: whoever waited finds the partition made.
    LOCK TABLE spend_spendline_default IN ACCESS EXCLUSIVE MODE;
    IF to_regclass(partition_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM spend_spendline_default
                   WHERE invoice_date >= first_day AND invoice_date < next_first_day) THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF spend_spendline FOR VALUES FROM (%L) TO (%L)',
                       partition_name, first_day, next_first_day);
    ELSE
        SELECT pg_get_constraintdef(oid) INTO line_fk FROM pg_constraint
         WHERE conrelid = 'spend_spendlineimport'::regclass
           AND conname = 'spend_line_import_line_fk';
        ALTER TABLE spend_spendlineimport DROP CONSTRAINT spend_line_import_line_fk;
        EXECUTE format('CREATE TABLE %I (LIKE spend_spendline INCLUDING DEFAULTS)', partition_name);
        -- Direct on the partitions: the parent's statement triggers do not fire, and the sums
        -- they keep stay right, since the lines only move.
        EXECUTE format('WITH moved AS (DELETE FROM spend_spendline_default '
                       'WHERE invoice_date >= %L AND invoice_date < %L RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved',
                       first_day, next_first_day, partition_name);
        EXECUTE format('ALTER TABLE spend_spendline ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       partition_name, first_day, next_first_day);
        EXECUTE format('ALTER TABLE spend_spendlineimport ADD CONSTRAINT %I %s',
                       'spend_line_import_line_fk', line_fk);
    END IF;
    PERFORM spend_line_partition_close(partition_name);
    RETURN true;
END $$;

-- A partition is read and written through the parent only, whose policies then apply; read
-- directly, a partition's own (none) would. So row-level security without a policy — nothing to
-- see for any role but the owner — and no grant to anyone but the owner.
CREATE OR REPLACE FUNCTION spend_line_partition_close(partition_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    grantee text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = partition_name::regclass
                   AND inhparent = 'spend_spendline'::regclass) THEN
        RAISE EXCEPTION '% is no partition of the spend lines', partition_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', partition_name);
    FOR grantee IN
        SELECT DISTINCT CASE a.grantee WHEN 0 THEN 'PUBLIC'
                        ELSE quote_ident(pg_get_userbyid(a.grantee)) END
          FROM pg_class c, aclexplode(c.relacl) a
         WHERE c.oid = partition_name::regclass AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON %I FROM %s', partition_name, grantee);
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION spend_line_partition_close(text) FROM PUBLIC;

-- The years of the lines in the default partition (normally none), which the application role
-- may not read directly.
CREATE OR REPLACE FUNCTION spend_line_default_years() RETURNS SETOF int
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT extract(year FROM invoice_date)::int FROM spend_spendline_default ORDER BY 1
$$;
"""
DROP_PARTITION_FUNCTIONS = """
DROP FUNCTION IF EXISTS spend_line_partition_add(int);
DROP FUNCTION IF EXISTS spend_line_partition_close(text);
DROP FUNCTION IF EXISTS spend_line_default_years();
"""


def _carried(cursor, table):
    """The statements that give a successor of `table` (by the same name) what `table` carries
    besides its columns, primary key and unique constraints: indexes, foreign keys and checks,
    triggers, row-level security with its policies, and the grants."""
    statements = []
    # A partitioned table's index reads "ON ONLY table"; on the successor it must not.
    cursor.execute(
        """
        SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') FROM pg_index i
        WHERE i.indrelid = %s::regclass AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY i.indexrelid
        """,
        [table],
    )
    statements += [row[0] for row in cursor.fetchall()]
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', conrelid::regclass::text, conname,
                      pg_get_constraintdef(oid))
        FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('f', 'c')
        ORDER BY conname
        """,
        [table],
    )
    statements += [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
        [table],
    )
    statements += [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass",
        [table],
    )
    enabled, forced = cursor.fetchone()
    if enabled:
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    if forced:
        statements.append(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    cursor.execute(
        """
        SELECT format('CREATE POLICY %%I ON %%I AS %%s FOR %%s TO %%s', policyname, tablename,
                      permissive, cmd,
                      (SELECT string_agg(quote_ident(r), ', ') FROM unnest(roles) r))
               || coalesce(' USING (' || qual || ')', '')
               || coalesce(' WITH CHECK (' || with_check || ')', '')
        FROM pg_policies WHERE schemaname = current_schema() AND tablename = %s
        ORDER BY policyname
        """,
        [table],
    )
    statements += [row[0] for row in cursor.fetchall()]
    cursor.execute(
        """
        SELECT format('GRANT %%s ON %%I TO %%s', a.privilege_type, c.relname,
                      CASE a.grantee WHEN 0 THEN 'PUBLIC'
                      ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = %s::regclass AND a.grantee <> c.relowner
        ORDER BY 1
        """,
        [table],
    )
    statements += [row[0] for row in cursor.fetchall()]
    return statements


def _swap(cursor, *, partitioned):
    """Copy the lines into NEW (made by the caller), drop the table and give NEW its name, its
    sequence's position and everything the old table carried."""
    carried = _carried(cursor, TABLE)
    cursor.execute(f"INSERT INTO {NEW} SELECT * FROM {TABLE}")  # same columns, same order
    cursor.execute(
        f"SELECT pg_get_serial_sequence('{TABLE}', 'id'), pg_get_serial_sequence('{NEW}', 'id')"
    )
    old_sequence, new_sequence = cursor.fetchone()
    cursor.execute(f"SELECT last_value, is_called FROM {old_sequence}")
    last_value, is_called = cursor.fetchone()
    cursor.execute("SELECT setval(%s, %s, %s)", [new_sequence, last_value, is_called])
    cursor.execute(f"DROP TABLE {TABLE}")
    cursor.execute(f"ALTER TABLE {NEW} RENAME TO {TABLE}")
    cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {TABLE}_id_seq")
    key = "id, invoice_date" if partitioned else "id"
    unique = "member_id, fingerprint, invoice_date" if partitioned else "member_id, fingerprint"
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY ({key})")
    cursor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT spend_line_unique_per_member UNIQUE ({unique})"
    )
    for statement in carried:
        cursor.execute(statement)


def partition(cursor):
    """Make the spend lines a table partitioned by invoice year, its rows and all kept."""
    cursor.execute(f"LOCK TABLE {TABLE}, spend_spendlineimport IN ACCESS EXCLUSIVE MODE")
    # The lines also held by an import name their line's date too (the partition key).
    cursor.execute("ALTER TABLE spend_spendlineimport ADD COLUMN line_date date")
    cursor.execute(
        f"UPDATE spend_spendlineimport h SET line_date = l.invoice_date FROM {TABLE} l "
        "WHERE l.id = h.line_id"
    )
    cursor.execute("ALTER TABLE spend_spendlineimport ALTER COLUMN line_date SET NOT NULL")
    cursor.execute(f"ALTER TABLE spend_spendlineimport DROP CONSTRAINT {DJANGO_LINE_FK}")
    cursor.execute(
        f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY "
        "INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS) "
        "PARTITION BY RANGE (invoice_date)"
    )
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        cursor.execute(
            f"CREATE TABLE {TABLE}_y{year} PARTITION OF {NEW} "
            f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
        )
    cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {NEW} DEFAULT")
    _swap(cursor, partitioned=True)
    cursor.execute(
        f"ALTER TABLE spend_spendlineimport ADD CONSTRAINT {LINE_FK} "
        f"FOREIGN KEY (line_id, line_date) REFERENCES {TABLE} (id, invoice_date) "
        "ON UPDATE CASCADE ON DELETE CASCADE"
    )
    cursor.execute(PARTITION_FUNCTIONS)
    cursor.execute(
        "SELECT spend_line_partition_close(inhrelid::regclass::text) FROM pg_inherits "
        f"WHERE inhparent = '{TABLE}'::regclass"
    )
    cursor.execute(f"ANALYZE {TABLE}")


def unpartition(cursor):
    """Back to one plain table of spend lines, its rows kept."""
    cursor.execute(f"LOCK TABLE {TABLE}, spend_spendlineimport IN ACCESS EXCLUSIVE MODE")
    cursor.execute(DROP_PARTITION_FUNCTIONS)
    cursor.execute(f"ALTER TABLE spend_spendlineimport DROP CONSTRAINT {LINE_FK}")
    cursor.execute(
        f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY "
        "INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS)"
    )
    _swap(cursor, partitioned=False)
    cursor.execute("ALTER TABLE spend_spendlineimport DROP COLUMN line_date")
    cursor.execute(
        f"ALTER TABLE spend_spendlineimport ADD CONSTRAINT {DJANGO_LINE_FK} "
        f"FOREIGN KEY (line_id) REFERENCES {TABLE} (id) DEFERRABLE INITIALLY DEFERRED"
    )
    cursor.execute(f"ANALYZE {TABLE}")


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        partition(cursor)


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        unpartition(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("spend", "0007_supplier_spend"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="spendline",
                    name="spend_line_unique_per_member",
                ),
                migrations.AddConstraint(
                    model_name="spendline",
                    constraint=models.UniqueConstraint(
                        fields=("member", "fingerprint", "invoice_date"),
                        name="spend_line_unique_per_member",
                    ),
                ),
                migrations.AlterField(
                    model_name="spendlineimport",
                    name="line",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="held_by",
                        to="spend.spendline",
                    ),
                ),
                migrations.AddField(
                    model_name="spendlineimport",
                    name="line_date",
                    field=models.DateField(verbose_name="invoice date of the line"),
                    preserve_default=False,
                ),
            ],
        ),
    ]
