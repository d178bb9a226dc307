"""The database connection dropped in the middle of a request: the user gets the error page, the
database keeps nothing of the half-done write, and the next request works."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tenders.models import LineItem, Lot
from tests.conftest import client_for
from tests.tenders.conftest import make_tender

pytestmark = pytest.mark.django_db(transaction=True)


def lot_post(number: int) -> dict[str, object]:
    return {
        "number": number, "title": "Kopipapir", "description": "",
        "items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 0,
        "items-0-number": 1, "items-0-description": "A4 80 g", "items-0-unit": "pakke",
        "items-0-quantity": "1.000",
        "items-1-number": 2, "items-1-description": "A3 80 g", "items-1-unit": "pakke",
        "items-1-quantity": "50",
    }  # fmt: skip


class DropOnLineItemInsert:
    """Terminate this connection's server process when the first price-schedule line is
    inserted — after the lot itself was written in the same transaction."""

    def __init__(self) -> None:
        self.dropped = False

    def __call__(self, execute, sql, params, many, context):
        if not self.dropped and sql.startswith('INSERT INTO "tenders_lineitem"'):
            self.dropped = True
            pid = context["connection"].connection.info.backend_pid
            db = context["connection"].settings_dict
            with psycopg.connect(
                dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"],
                autocommit=True,
            ) as admin:  # fmt: skip
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)


def test_connection_dropped_mid_write_gives_the_error_page_and_keeps_nothing(cast) -> None:
    tender = make_tender(cast)
    lots_before = Lot.objects.filter(tender=tender).count()
    client: Client = client_for(cast.staff)
    client.raise_request_exception = False
    drop = DropOnLineItemInsert()
    with connection.execute_wrapper(drop):
        response = client.post(reverse("tenders:lot_create", args=[tender.reference]), lot_post(7))
    assert drop.dropped, "the request never reached the line items"
    assert response.status_code == 500
    page = response.content.decode()
    assert "Der opstod en fejl" in page and "Traceback" not in page
    connection.close()  # the test's handle on the killed connection; the next query reconnects
    assert Lot.objects.filter(tender=tender).count() == lots_before
    assert not Lot.objects.filter(tender=tender, number=7).exists()
    assert not LineItem.objects.filter(lot__tender=tender, description="A4 80 g").exists()
    # The portal carries on: the same form, sent again, is saved whole.
    again = client.post(reverse("tenders:lot_create", args=[tender.reference]), lot_post(7))
    assert again.status_code == 302
    assert LineItem.objects.filter(lot__tender=tender, lot__number=7).count() == 2
