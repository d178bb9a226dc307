"""Who is acting, told to PostgreSQL: the second wall between tenants (row-level security).

accounts/access.py decides what a user may see; the database holds the same line on its own, so a
queryset that forgets `visible_to` still returns no other member's rows. Each request and each
Celery task runs in an *acting context* — a scope, the acting organisation and its member — which
the database backend (consortium/db) hands to PostgreSQL as transaction-local settings
(`set_config(name, value, true)`) at the start of every transaction. The policies, made by
`sync_policies` from each tenant model's `tenant_path`, read them back through three SQL functions.

Scopes:

* ``consortium`` — the secretariat, and the system (beat tasks, management commands): every row.
* ``board`` — reads every member's rows, since its aggregates are computed from them (which
  aggregates it is shown is accounts/access.py's rule), and writes only its own organisation's.
* ``member`` — an officer or viewer: only its own member's and organisation's rows.
* ``authenticate`` — only while an API token is looked up by its hash.
* ``across_members`` — a block that computes, from every member's rows, what the application's
  rules let its user see: a count of answers, a pooled sum, the public OCDS release. It reads
  like the board and writes no more than before; `across_members()` marks each such block, so
  they can be listed (grep for it) and reviewed.
* ``none`` — anonymous requests and tasks that carry no context: no tenant row at all.

Rows that are public by nature (a published article) say so in `tenant_public_sql`; a model
kept outside on purpose says `tenant_rls = False` and why.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from typing import Any

CONSORTIUM = "consortium"
BOARD = "board"
MEMBER = "member"
AUTHENTICATE = "authenticate"
ACROSS_MEMBERS = "across_members"
NONE = "none"
SCOPES = frozenset({CONSORTIUM, BOARD, MEMBER, AUTHENTICATE, ACROSS_MEMBERS, NONE})


@dataclass(frozen=True)
class Acting:
    scope: str = NONE
    organisation_id: int | None = None
    member_id: int | None = None

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"Unknown scope {self.scope!r}")

    def as_header(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_header(cls, value: Any) -> Acting:
        """A context carried by a task message; anything malformed is no context at all."""
        if not isinstance(value, dict):
            return NOBODY
        try:
            return cls(
                scope=str(value.get("scope", NONE)),
                organisation_id=_int_or_none(value.get("organisation_id")),
                member_id=_int_or_none(value.get("member_id")),
            )
        except (TypeError, ValueError):
            return NOBODY


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


NOBODY = Acting()
SYSTEM = Acting(scope=CONSORTIUM)

# The header a task message carries its acting context in (consortium/celery.py).
TASK_HEADER = "portal_acting"

_acting: contextvars.ContextVar[Acting] = contextvars.ContextVar("acting", default=NOBODY)


def current() -> Acting:
    return _acting.get()


def settings_sql(acting: Acting) -> tuple[str, list[str]]:
    """The statement that hands `acting` to PostgreSQL for the rest of the transaction."""
    return (
        "SELECT set_config('portal.scope', %s, true), "
        "set_config('portal.organisation', %s, true), "
        "set_config('portal.member', %s, true)",
        [
            acting.scope,
            "" if acting.organisation_id is None else str(acting.organisation_id),
            "" if acting.member_id is None else str(acting.member_id),
        ],
    )


def _apply_now(acting: Acting) -> None:
    """Inside a transaction the settings change at once (they were set at its start)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        hand_over = getattr(connection, "hand_over_acting", None)
        if hand_over is not None and connection.in_atomic_block:
            hand_over(acting)


@contextmanager
def acting_as(acting: Acting) -> Iterator[Acting]:
    """Run the block in `acting`'s context, and return to the one before afterwards."""
    token = _acting.set(acting)
    _apply_now(acting)
    try:
        yield acting
    finally:
        _acting.reset(token)
        _apply_now(_acting.get())


@contextmanager
def across_members() -> Iterator[Acting]:
    """Read every member's rows for the block (see ``across_members`` above)."""
    acting = current()
    if acting.scope in (CONSORTIUM, BOARD):
        yield acting
        return
    with acting_as(replace(acting, scope=ACROSS_MEMBERS)) as wider:
        yield wider


def switch_to(acting: Acting) -> None:
    """Change the context for the rest of the enclosing `acting_as` block (an API token is
    only known once the request's view authenticates it)."""
    _acting.set(acting)
    _apply_now(acting)


# --- The policies ---------------------------------------------------------------------------

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION portal_scope() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT coalesce(nullif(current_setting('portal.scope', true), ''), 'none') $$;
CREATE OR REPLACE FUNCTION portal_organisation() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT nullif(current_setting('portal.organisation', true), '')::bigint $$;
CREATE OR REPLACE FUNCTION portal_member() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT nullif(current_setting('portal.member', true), '')::bigint $$;
"""


@dataclass(frozen=True)
class Policy:
    table: str
    own_sql: str  # the acting tenant's own rows: what it may read and write
    read_sql: tuple[str, ...] = ()  # further rows it may read

    def statements(self) -> list[str]:
        reads = " OR ".join(
            [
                "portal_scope() = 'consortium'",
                f"({self.own_sql})",
                *(f"({r})" for r in self.read_sql),
            ]
        )
        writes = f"portal_scope() = 'consortium' OR ({self.own_sql})"
        table = f'"{self.table}"'
        return [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS tenant_read ON {table}",
            f"DROP POLICY IF EXISTS tenant_write ON {table}",
            f"CREATE POLICY tenant_read ON {table} FOR SELECT USING ({reads})",
            f"CREATE POLICY tenant_write ON {table} FOR ALL USING ({writes}) WITH CHECK ({writes})",
        ]


BOARD_READS = "portal_scope() IN ('board', 'across_members')"


def _policy_for(model: Any) -> Policy:
    """Follow `tenant_path` one step: a member's row by its member (the board reads them all), an
    organisation's by its organisation, a user's by the user's organisation, and a row of a row
    (a declaration of a participation) by its parent: its own where the parent is the tenant's
    own. What the parent shares more widely (a participation's answer, a published article) the
    child shares only where it says so itself in `tenant_public_sql`."""
    path = model.tenant_path
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    column = field.column
    reads: list[str] = []
    if not rest:
        own = f"{column} = portal_organisation()"
    elif rest == "organisation" and field.related_model._meta.label == "members.Member":
        own = f"{column} = portal_member()"
        reads.append(BOARD_READS)
    elif rest == "organisation" and field.related_model._meta.label == "accounts.User":
        own = (
            f"{column} IN (SELECT id FROM accounts_user "  # noqa: S608 (names from models)
            "WHERE organisation_id = portal_organisation())"
        )
    elif getattr(field.related_model, "tenant_path", None) == rest and getattr(
        field.related_model, "tenant_rls", True
    ):
        parent = _policy_for(field.related_model)
        # Names from the models' metadata, never from input.
        own = f'{column} IN (SELECT id FROM "{parent.table}" WHERE {parent.own_sql})'  # noqa: S608
        if BOARD_READS in parent.read_sql:
            reads.append(BOARD_READS)
    else:
        raise TypeError(f"{model._meta.label}.tenant_path {path!r}: no policy for this path")
    for extra in ("tenant_public_sql", "tenant_read_also_sql"):
        if getattr(model, extra, None):
            reads.append(getattr(model, extra))
    return Policy(table=model._meta.db_table, own_sql=own, read_sql=tuple(reads))


def protected_models() -> list[Any]:
    """Every model whose rows are a tenant's: those naming a `tenant_path`, except those that
    say `tenant_rls = False` with their reason (the member register is read by everyone)."""
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if getattr(m, "tenant_path", None) and getattr(m, "tenant_rls", True)
    ]


def _history_policies(policies: dict[str, Policy]) -> list[Policy]:
    """A tracked tenant model's history rows (django-pghistory's event tables) are as private as
    the rows they copy; they carry the same owning column."""
    from django.apps import apps

    extra = []
    for model in apps.get_models():
        tracked = getattr(model, "pgh_tracked_model", None)
        if tracked is None or tracked._meta.db_table not in policies:
            continue
        policy = policies[tracked._meta.db_table]
        first = tracked.tenant_path.partition("__")[0]
        if first not in {f.name for f in model._meta.fields}:
            continue
        # History is read by those who read the tenant's rows, not by the public or a token
        # lookup: a published article's drafts stay its organisation's.
        wider = {getattr(tracked, a, None) for a in ("tenant_public_sql", "tenant_read_also_sql")}
        reads = tuple(r for r in policy.read_sql if r not in wider)
        extra.append(Policy(model._meta.db_table, policy.own_sql, reads))
    return extra


def policies() -> list[Policy]:
    main = {m._meta.db_table: _policy_for(m) for m in protected_models()}
    return [*main.values(), *_history_policies(main)]


# Every partition of a partitioned table in the schema (the spend lines' years).
PARTITIONS_SQL = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relispartition "
    "ORDER BY 1"
)


def sync_policies(connection: Any, app_role: str | None) -> int:
    """Create the functions and (re)create every table's policies; grant the application role
    what it needs and nothing more. Returns the number of tables under row-level security.

    A partition is read and written through its parent, under the parent's policies; read
    directly, only its own would apply. So the partitions get no grant, and row-level security
    without a policy besides: should a grant come back, they still show the role nothing (the
    partitions a nightly task adds later are closed the same way, spend/partitions.py)."""
    all_policies = policies()
    with connection.cursor() as cursor:
        cursor.execute(FUNCTIONS_SQL)
        for policy in all_policies:
            for statement in policy.statements():
                cursor.execute(statement)
        cursor.execute(PARTITIONS_SQL)
        partitions = [connection.ops.quote_name(name) for (name,) in cursor.fetchall()]
        for partition in partitions:
            cursor.execute(f"ALTER TABLE {partition} ENABLE ROW LEVEL SECURITY")
        if app_role:
            role = connection.ops.quote_name(app_role)
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            cursor.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
            )
            if partitions:
                cursor.execute(f"REVOKE ALL ON {', '.join(partitions)} FROM {role}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
            cursor.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}")
    return len(all_policies)
