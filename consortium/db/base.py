"""Django's PostgreSQL backend, plus the acting context (consortium/tenancy.py) as
transaction-local settings.

* Entering a transaction (an outermost `atomic` block) hands the current context to PostgreSQL
  before the block's first statement.
* A statement outside any transaction (Django's autocommit) runs in a transaction of its own that
  starts the same way, so it sees exactly what the context may see. Not for the owner role, which
  the policies do not bind (and which runs statements that cannot be in a transaction).

The settings are transaction-local (`set_config(…, true)`): they end with the transaction, so a
pooled connection never carries one request's context into the next.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus

from consortium import tenancy


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._in_own_transaction)

    def hand_over_acting(self, acting: tenancy.Acting) -> None:
        if self.connection.info.transaction_status == TransactionStatus.INERROR:
            return  # the transaction is lost anyway: nothing more runs in it
        statement, params = tenancy.settings_sql(acting)
        self.connection.execute(statement, params)

    def _set_autocommit(self, autocommit: bool) -> None:
        super()._set_autocommit(autocommit)
        acting = tenancy.current()
        # A transaction without settings is nobody's already: nothing to hand over.
        if not autocommit and acting != tenancy.NOBODY:
            self.hand_over_acting(acting)

    def _in_own_transaction(
        self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        if self.in_atomic_block or not self.get_autocommit() or self._is_owner():
            return execute(sql, params, many, context)
        if tenancy.current() == tenancy.NOBODY:
            # A transaction without settings is nobody's already: no need to open one.
            return execute(sql, params, many, context)
        self.set_autocommit(False)  # hands the context over
        try:
            result = execute(sql, params, many, context)
        except BaseException:
            if self.connection is not None and not self.connection.closed:
                self.rollback()
            raise
        else:
            self.commit()
        finally:
            if self.connection is not None and not self.connection.closed:
                self.set_autocommit(True)
        return result

    def _is_owner(self) -> bool:
        """The owner role is not under the policies (it runs migrations, creates databases,
        statements that cannot run in a transaction): its statements stay as they are."""
        owner = getattr(settings, "DATABASE_OWNER", {}).get("USER")
        return self.settings_dict.get("USER") == owner
