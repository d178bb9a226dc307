"""Acting as the owner role: for the commands that change the schema or empty tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def as_owner(alias: str = "default") -> Iterator[None]:
    """Connect `alias` as DATABASE_OWNER_URL's role for the block, then as the application again.

    The database keeps its name (a test database stays the test database)."""
    connection = connections[alias]
    owner = settings.DATABASE_OWNER
    before = {key: connection.settings_dict.get(key) for key in CREDENTIALS}
    wanted = {key: owner.get(key) for key in CREDENTIALS}
    if wanted == before:
        yield
        return
    connection.close()
    connection.settings_dict.update(wanted)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(before)
