"""Published means frozen: direct edits are refused; a corrigendum changes a published tender,
is numbered, kept with the values before and after, re-renders the documents and tells the
participating members."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tenders import lots
from tenders.models import (
    Corrigendum,
    DocumentKind,
    LineItem,
    Milestone,
    MilestoneKind,
    Tender,
    TenderDocument,
    TenderStatus,
)
from tenders.services import (
    CriterionData,
    LotChange,
    award_criteria_set,
    corrigendum_issue,
    tender_documents_render,
    tender_save,
)
from tests.conftest import client_for

from .conftest import criteria, declare, invite, make_tender

pytestmark = pytest.mark.django_db
S = TenderStatus
CPH = ZoneInfo("Europe/Copenhagen")
# 23:30 UTC on 2 December is already 3 December in Denmark.
ISSUED = datetime.datetime(2026, 12, 2, 23, 30, tzinfo=datetime.UTC)
BID_DEADLINE = datetime.datetime(2027, 2, 1, 12, 0, tzinfo=CPH)


@pytest.fixture
def published(cast) -> Tender:
    tender = make_tender(
        cast,
        status=S.PUBLISHED,
        volume_deadline=datetime.datetime(2026, 10, 1, 12, 0, tzinfo=CPH),
        bid_deadline=BID_DEADLINE,
    )
    LineItem.objects.create(
        lot=tender.lots.get(number=1), number=1, description="Kuglepen", unit="stk."
    )
    criteria(tender, 60, 40)
    odense, aarhus = invite(tender, [cast.odense, cast.aarhus])
    declare(odense, 100_000, 20_000)
    declare(aarhus, answer="decline")
    return tender


def weights(tender: Tender) -> list[Decimal]:
    return list(tender.criteria.order_by("position").values_list("weight", flat=True))


SEVENTY_THIRTY = [
    CriterionData("Pris", "price", Decimal(70)),
    CriterionData("Kvalitet", "quality", Decimal(30)),
]


# --- the lock ---------------------------------------------------------------------------------


def test_services_refuse_direct_edits_once_published(cast, published) -> None:
    with pytest.raises(ValidationError, match="rettelsesblad"):
        award_criteria_set(user=cast.staff, tender=published, criteria=SEVENTY_THIRTY)
    with pytest.raises(ValidationError, match="rettelsesblad"):
        tender_save(user=cast.staff, tender=published, fields={"description": "Ny tekst"})
    lot = published.lots.get(number=1)
    with pytest.raises(ValidationError, match="rettelsesblad"):
        lots.lot_save(user=cast.staff, tender=published, lot=lot, title="Nyt navn")
    with pytest.raises(ValidationError, match="rettelsesblad"):
        lots.lot_delete(user=cast.staff, lot=lot)
    published.refresh_from_db()
    assert weights(published) == [60, 40]
    assert published.description == "" and published.lots.get(number=1).title == "Delaftale 1"
    assert published.lots.count() == 2


def test_a_stale_object_does_not_get_past_the_lock(cast, published) -> None:
    stale = Tender.objects.get(pk=published.pk)
    stale.status = S.PREPARATION  # what the caller believed
    with pytest.raises(ValidationError):
        award_criteria_set(user=cast.staff, tender=stale, criteria=SEVENTY_THIRTY)
    assert weights(published) == [60, 40]


@pytest.mark.parametrize("status", [S.EVALUATION, S.AWARDED, S.CONCLUDED])
def test_later_statuses_are_frozen_too(cast, published, status) -> None:
    Tender.objects.filter(pk=published.pk).update(status=status)
    published.refresh_from_db()
    with pytest.raises(ValidationError, match="tilbudsfristen er overskredet"):
        award_criteria_set(user=cast.staff, tender=published, criteria=SEVENTY_THIRTY)


def test_before_publication_the_criteria_are_edited_directly(cast, published) -> None:
    Tender.objects.filter(pk=published.pk).update(status=S.PREPARATION)
    published.refresh_from_db()
    award_criteria_set(user=cast.staff, tender=published, criteria=SEVENTY_THIRTY)
    assert weights(published) == [70, 30]


@pytest.mark.parametrize(
    ("name", "args"),
    [("tenders:criteria", []), ("tenders:edit", []), ("tenders:lot_edit", [1]),
     ("tenders:lot_create", [])],
)  # fmt: skip
def test_edit_pages_refuse_with_a_danish_message(cast, published, name, args) -> None:
    client = client_for(cast.staff)
    url = reverse(name, args=[published.reference, *args])
    response = client.get(url, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#corrigenda")
    assert "Udbuddet er offentliggjort" in html and "rettelsesblad" in html


def test_a_direct_post_of_the_criteria_writes_nothing(cast, published) -> None:
    response = client_for(cast.staff).post(
        reverse("tenders:criteria", args=[published.reference]),
        {
            "criteria-TOTAL_FORMS": 2, "criteria-INITIAL_FORMS": 2,
            "criteria-0-name": "Pris", "criteria-0-kind": "price", "criteria-0-weight": "70",
            "criteria-1-name": "Kvalitet", "criteria-1-kind": "quality", "criteria-1-weight": "30",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert weights(published) == [60, 40]
    response = client_for(cast.staff).post(
        reverse("tenders:lot_delete", args=[published.reference, 2])
    )
    assert published.lots.count() == 2


def test_the_tender_page_offers_a_corrigendum_instead_of_edits(cast, published) -> None:
    html = client_for(cast.staff).get(published.get_absolute_url()).content.decode()
    assert reverse("tenders:corrigendum_create", args=[published.reference]) in html
    assert reverse("tenders:criteria", args=[published.reference]) not in html
    assert reverse("tenders:edit", args=[published.reference]) not in html
    assert reverse("tenders:lot_edit", args=[published.reference, 1]) not in html


# --- the corrigendum --------------------------------------------------------------------------


def test_corrigendum_changes_the_weights_and_records_what_and_why(cast, published) -> None:
    corrigendum = corrigendum_issue(
        user=cast.staff,
        tender=published,
        reason="Kvaliteten vægtes for højt i forhold til markedet.",
        summary="Pris 70 %, kvalitet 30 %.",
        criteria=SEVENTY_THIRTY,
        now=ISSUED,
    )
    assert corrigendum.number == 1 and corrigendum.created_by == cast.staff
    assert weights(published) == [70, 30]
    [change] = corrigendum.changes
    assert change["field"] == "criteria" and change["label"] == "Tildelingskriterier"
    assert "60 %" in change["before"] and "40 %" in change["before"]
    assert "70 %" in change["after"] and "30 %" in change["after"]
    # Kept in the audit trail with who issued it.
    event = corrigendum.events.get(pgh_label="insert")
    assert event.pgh_context.metadata["user"] == cast.staff.pk
    assert event.pgh_context.metadata["action"] == "corrigendum_issue"


def test_corrigenda_are_numbered_per_tender(cast, published) -> None:
    first = corrigendum_issue(
        user=cast.staff, tender=published, reason="a", summary="b", criteria=SEVENTY_THIRTY
    )
    second = corrigendum_issue(
        user=cast.staff, tender=published, reason="c", summary="d", description="Ny beskrivelse"
    )
    other = make_tender(cast, reference="2026-099", status=S.PUBLISHED, bid_deadline=BID_DEADLINE)
    third = corrigendum_issue(
        user=cast.staff, tender=other, reason="e", summary="f", description="Andet udbud"
    )
    assert (first.number, second.number, third.number) == (1, 2, 1)
    published.refresh_from_db()
    assert published.description == "Ny beskrivelse"


def test_corrigendum_that_changes_nothing_is_refused(cast, published) -> None:
    same = [
        CriterionData("Kriterium 1", "quality", Decimal("60.00")),
        CriterionData("Kriterium 2", "quality", Decimal(40)),
    ]
    with pytest.raises(ValidationError, match="ændrer ingenting"):
        corrigendum_issue(
            user=cast.staff, tender=published, reason="a", summary="b", criteria=same,
            description="",
        )  # fmt: skip
    assert not Corrigendum.objects.exists()


def test_corrigendum_needs_reason_and_summary(cast, published) -> None:
    with pytest.raises(ValidationError) as refused:
        corrigendum_issue(
            user=cast.staff, tender=published, reason=" ", summary="", criteria=SEVENTY_THIRTY
        )
    assert set(refused.value.message_dict) == {"reason", "summary"}
    assert weights(published) == [60, 40] and not Corrigendum.objects.exists()


def test_a_refused_change_writes_nothing(cast, published) -> None:
    """The description is fine, the weights are not: neither is written, no corrigendum."""
    with pytest.raises(ValidationError) as refused:
        corrigendum_issue(
            user=cast.staff, tender=published, reason="a", summary="b", description="Ny",
            criteria=[CriterionData("Pris", "price", Decimal(70))],
        )  # fmt: skip
    assert "criteria" in refused.value.message_dict
    published.refresh_from_db()
    assert published.description == "" and weights(published) == [60, 40]
    assert not Corrigendum.objects.exists()


@pytest.mark.parametrize("status", [S.PREPARATION, S.EVALUATION, S.CANCELLED])
def test_corrigendum_only_for_a_published_tender(cast, published, status) -> None:
    Tender.objects.filter(pk=published.pk).update(status=status)
    published.refresh_from_db()
    with pytest.raises(ValidationError):
        corrigendum_issue(
            user=cast.staff, tender=published, reason="a", summary="b", criteria=SEVENTY_THIRTY
        )
    assert not Corrigendum.objects.exists()


def test_corrigendum_moves_the_bid_deadline_milestone(cast, published) -> None:
    later = BID_DEADLINE + datetime.timedelta(days=14)
    corrigendum = corrigendum_issue(
        user=cast.staff, tender=published, reason="Flere spørgsmål end ventet",
        summary="Tilbudsfristen forlænges med 14 dage.", bid_deadline=later, now=ISSUED,
    )  # fmt: skip
    published.refresh_from_db()
    assert published.bid_deadline == later
    assert Milestone.objects.get(tender=published, kind=MilestoneKind.BID_DEADLINE).due == later
    assert corrigendum.changes[0]["before"] == "01.02.2027 12:00"
    assert corrigendum.changes[0]["after"] == "15.02.2027 12:00"


def test_a_bid_deadline_in_the_past_is_refused(cast, published) -> None:
    with pytest.raises(ValidationError) as refused:
        corrigendum_issue(
            user=cast.staff, tender=published, reason="a", summary="b",
            bid_deadline=ISSUED - datetime.timedelta(days=1), now=ISSUED,
        )  # fmt: skip
    assert "bid_deadline" in refused.value.message_dict


def test_corrigendum_changes_lot_texts_and_lines_but_adds_no_lot(cast, published) -> None:
    corrigendum_issue(
        user=cast.staff, tender=published, reason="Fejl i tilbudslisten", summary="Linje 1 rettet",
        lots={1: LotChange("Kontorartikler", "", [
            {"number": 1, "description": "Kuglepen, blå", "unit": "stk.", "quantity": Decimal(500)},
            {"number": 2, "description": "Blyant", "unit": "stk.", "quantity": None},
        ])},
    )  # fmt: skip
    lot = published.lots.get(number=1)
    assert lot.title == "Kontorartikler"
    assert [(i.number, i.description) for i in lot.line_items.all()] == [
        (1, "Kuglepen, blå"),
        (2, "Blyant"),
    ]
    with pytest.raises(ValidationError, match="kan ikke tilføje delaftaler"):
        corrigendum_issue(
            user=cast.staff, tender=published, reason="a", summary="b",
            lots={3: LotChange("Ny", "")},
        )  # fmt: skip


def test_participating_members_are_told_by_email(
    cast, published, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        corrigendum_issue(
            user=cast.staff, tender=published, reason="Markedsdialog", summary="Pris 70 %",
            criteria=SEVENTY_THIRTY, now=ISSUED,
        )  # fmt: skip
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    # Odense participates (its officer and viewer); Aarhus declined.
    assert recipients == sorted([cast.officer.email, cast.viewer.email])
    mail = next(m for m in mailoutbox if m.to == [cast.officer.email])
    assert "rettelsesblad nr. 1" in mail.subject
    assert "03.12.2026" in mail.body and "Markedsdialog" in mail.body
    assert "/tenders/2026-014/#corrigenda" in mail.body


def test_documents_are_rendered_again_and_name_the_corrigendum(
    cast, published, django_capture_on_commit_callbacks
) -> None:
    tender_documents_render(tender=published, user=cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        corrigendum_issue(
            user=cast.staff, tender=published, reason="Markedsdialog", summary="Pris 70 %",
            criteria=SEVENTY_THIRTY, now=ISSUED,
        )  # fmt: skip
    conditions = TenderDocument.objects.filter(
        tender=published, kind=DocumentKind.CONDITIONS
    ).order_by("version")
    assert [d.version for d in conditions] == [1, 2]
    with conditions.last().file.open("rb") as fh:
        text = " ".join(
            page.extract_text() for page in pypdf.PdfReader(io.BytesIO(fh.read())).pages
        )
    text = " ".join(text.split())
    assert "Omfatter rettelsesblad nr. 1 af 03.12.2026" in text
    assert "70 %" in text and "60 %" not in text
    assert conditions.last().data_snapshot["corrigenda"] == [
        {"number": 1, "date_display": "03.12.2026"}
    ]


def test_documents_rendered_before_any_corrigendum_stay_current(cast, published) -> None:
    """No corrigenda, no key: documents made before corrigenda existed keep their digest."""
    from tenders.documents import documents_state, tender_snapshot

    assert "corrigenda" not in tender_snapshot(published)
    tender_documents_render(tender=published, user=cast.staff)
    assert all(state.current for state in documents_state(published))


# --- the pages --------------------------------------------------------------------------------


def page_data(published: Tender, **changes: str) -> dict[str, str]:
    data = {
        "summary": "Vægtningen ændres til pris 70 % og kvalitet 30 %.",
        "reason": "Markedsdialogen viste, at kvaliteten vægtes for højt.",
        "description": "",
        "bid_deadline": "2027-02-01T12:00",
        "criteria-TOTAL_FORMS": "3", "criteria-INITIAL_FORMS": "2",
        "criteria-0-name": "Kriterium 1", "criteria-0-kind": "quality", "criteria-0-weight": "60",
        "criteria-1-name": "Kriterium 2", "criteria-1-kind": "quality", "criteria-1-weight": "40",
        "criteria-2-name": "", "criteria-2-kind": "price", "criteria-2-weight": "",
    }  # fmt: skip
    for lot in published.lots.prefetch_related("line_items"):
        prefix = f"lot{lot.number}"
        data[f"{prefix}-title"] = lot.title
        data[f"{prefix}-description"] = lot.description
        items = list(lot.line_items.all())
        data[f"{prefix}-items-TOTAL_FORMS"] = str(len(items))
        data[f"{prefix}-items-INITIAL_FORMS"] = str(len(items))
        for i, item in enumerate(items):
            data[f"{prefix}-items-{i}-number"] = str(item.number)
            data[f"{prefix}-items-{i}-description"] = item.description
            data[f"{prefix}-items-{i}-unit"] = item.unit
            data[f"{prefix}-items-{i}-quantity"] = ""
    data.update(changes)
    return data


def test_secretariat_issues_a_corrigendum_from_the_page(
    cast, published, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.staff)
    url = reverse("tenders:corrigendum_create", args=[published.reference])
    form = client.get(url)
    assert form.status_code == 200 and "Rettelsesblad nr. 1" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url, page_data(published, **{"criteria-0-weight": "70", "criteria-1-weight": "30"})
        )
    assert response.status_code == 302, response.content.decode()
    assert weights(published) == [70, 30]
    html = client_for(cast.officer).get(published.get_absolute_url()).content.decode()
    assert "Rettelsesblad nr. 1 af" in html
    assert "Markedsdialogen viste, at kvaliteten vægtes for højt." in html


def test_page_refusals_are_shown_at_the_top_and_write_nothing(cast, published) -> None:
    client = client_for(cast.staff)
    url = reverse("tenders:corrigendum_create", args=[published.reference])
    response = client.post(url, page_data(published, reason="", **{"criteria-0-weight": "70"}))
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.index("Ret følgende")
    assert summary < html.index('id="corrigendum-what"')
    assert "100 %" in html[summary:] and "Begrundelse" in html[summary:]
    assert weights(published) == [60, 40] and not Corrigendum.objects.exists()
    # Nothing changed at all: refused, in Danish.
    response = client.post(url, page_data(published))
    assert response.status_code == 400
    assert "ændrer ingenting" in response.content.decode()


def test_members_may_not_issue_corrigenda(cast, published) -> None:
    url = reverse("tenders:corrigendum_create", args=[published.reference])
    for user in (cast.officer, cast.viewer, cast.board_member):
        assert client_for(user).post(url, page_data(published)).status_code == 403
    assert not Corrigendum.objects.exists()


def test_corrigendum_page_of_an_unpublished_tender_sends_back(cast, published) -> None:
    Tender.objects.filter(pk=published.pk).update(status=S.PREPARATION)
    response = client_for(cast.staff).get(
        reverse("tenders:corrigendum_create", args=[published.reference]), follow=True
    )
    assert "kun for et offentliggjort udbud" in response.content.decode()
