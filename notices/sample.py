"""A synthetic joint tender as notice data (no database): the benchmark and the tests use it to
build notices of any size (`sample_data(subtype, lots=20)`)."""

from __future__ import annotations

from typing import Any

TOWNS = [("DK031", "Flakhaven 2", "5000", "Odense C"), ("DK042", "Rådhuspladsen 2", "8000", "Aarhus C"),
         ("DK032", "Akseltorv 1", "6000", "Kolding"), ("DK041", "Torvet 5", "7400", "Herning")]  # fmt: skip


def _buyer(index: int) -> dict[str, Any]:
    nuts, street, postcode, city = TOWNS[(index - 1) % len(TOWNS)]
    return {
        "id": f"ORG-{index:04d}", "municipality": f"{400 + index}", "name": f"Kommune {index}",
        "cvr": "29189587", "legal_type": "la", "nuts": nuts, "street": street,
        "postcode": postcode, "city": city, "email": f"udbud{index}@kommune.test",
        "phone": "+45 70 10 10 00", "lead": index == 1,
    }  # fmt: skip


def sample_data(subtype: str, *, lots: int = 2, buyers: int = 3) -> dict[str, Any]:
    lot_ids = [f"LOT-{n:04d}" for n in range(1, lots + 1)]
    data: dict[str, Any] = {
        "kind": {"4": "pin", "16": "contract", "29": "award"}[subtype],
        "subtype": subtype,
        "reference": "2026-099",
        "notice_id": "5a0e1b0c-3f7e-4c55-9b2a-0c1d2e3f4a5b",
        "procedure_id": "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d",
        "issued": "2026-12-01T10:00:00+01:00",
        "version": 1,
        "planned_publication": "2027-02-01T00:00:00+01:00",
        "procedure": "open",
        "accelerated": False,
        "accelerated_reason": "",
        "contract_nature": "supplies",
        "buyers": [_buyer(i) for i in range(1, buyers + 1)],
        "central_purchasing": buyers > 1,
        "lead_buyer_id": "ORG-0001",
        "organisations": [
            {
                "id": "ORG-0900",
                "name": "Klagenævnet for Udbud",
                "street": "Toldboden 2",
                "postcode": "8800",
                "city": "Viborg",
                "nuts": "DK041",
                "email": "klfu@naevneneshus.dk",
                "cvr": "37795526",
            },
            {
                "id": "ORG-1001",
                "name": "Leverandør A/S",
                "cvr": "12345674",
                "street": "Vej 1",
                "postcode": "8000",
                "city": "Aarhus C",
                "nuts": "DK042",
                "size": "large",
                "email": "salg@leverandor.test",
                "supplier": True,
            },
        ],
        "review_body_id": "ORG-0900",
        "nuts": ["DK031", "DK032", "DK041", "DK042"],
        "project": {
            "internal_id": "2026-099",
            "title": "Kontorartikler",
            "description": "Fællesudbud",
            "estimated_value": f"{lots * 500000}.00",
            "main_cpv": "30192000",
            "additional_cpv": ["30197630"],
        },
        "documents_url": "https://udbud.12-by.test/2026-099",
        "submission_url": "https://udbud.12-by.test/2026-099",
        "bid_validity_days": 90,
        "bid_deadline": "2027-03-05T12:00:00+01:00",
        "questions_deadline": "2027-02-25T12:00:00+01:00",
        "requests_deadline": None,
        "criteria": [
            {"type": "price", "name": "Pris", "weight": "60"},
            {"type": "quality", "name": "Kvalitet", "weight": "40"},
        ],
        "lots": [
            {
                "id": lot_id,
                "pk": n,
                "number": n,
                "internal_id": f"2026-099-{n}",
                "title": f"Delaftale {n}",
                "description": "Beskrivelse",
                "estimated_value": "500000.00",
                "main_cpv": "30192000",
                "framework": "fa-wo-rc",
                "max_participants": 1,
                "max_value": "600000.00",
                "duration_months": 24,
                "start": "2027-06-01T00:00:00+02:00",
                "renewals": 2,
                "renewal_description": "2 + 1 + 1 år",
                "duration_justification": "",
            }
            for n, lot_id in enumerate(lot_ids, start=1)
        ],
    }
    if subtype != "29":
        data["organisations"] = data["organisations"][:1]  # the supplier only wins in 29
    if subtype == "29":
        received = {
            "tenders": 3,
            "sme": 2,
            "large": 1,
            "other_eea": 0,
            "non_eea": 0,
            "electronic": 3,
        }
        data["award"] = {
            "award_date": "2026-11-01+01:00",
            "total": None,
            "framework_total": f"{lots * 600000}.00",
            "lot_results": [
                {"id": f"RES-{n:04d}", "lot_id": lot_id, "tenders": [f"TEN-{n:04d}"],
                 "contracts": [f"CON-{n:04d}"], "max_value": "600000.00", "received": received}
                for n, lot_id in enumerate(lot_ids, start=1)
            ],
            "tenders": [
                {"id": f"TEN-{n:04d}", "rank": 1, "value": "450000.00", "party_id": "TPA-0001",
                 "lot_id": lot_id, "reference": f"T{n}"}
                for n, lot_id in enumerate(lot_ids, start=1)
            ],
            "contracts": [
                {"id": f"CON-{n:04d}", "signed": "2026-11-20+01:00", "number": f"RA-{n}",
                 "tenders": [f"TEN-{n:04d}"]}
                for n in range(1, lots + 1)
            ],
            "parties": [{"id": "TPA-0001", "org_id": "ORG-1001"}],
        }  # fmt: skip
    return data
