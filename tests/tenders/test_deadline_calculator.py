"""The deadline calculator (fristberegner): the `deadlines` command and the secretariat's page,
both answering from the rules the tender timelines are checked against."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import client_for

URL = reverse("tenders:deadlines")


def run(*args: str) -> str:
    out = StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue()


def as_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def test_open_procedure_earliest_bid_deadline_is_the_day_after_the_period() -> None:
    result = as_json("tender", "--procedure", "open", "--dispatch", "2026-02-02")
    assert result["earliest_request_deadline"] is None
    assert result["earliest_tender_deadline"] == "2026-03-05"
    (rule,) = result["rules"]
    assert rule["days"] == 30 and "§ 57" in rule["rule"] and rule["last_day"] == "2026-03-04"


def test_not_electronic_and_prior_information_notice() -> None:
    paper = as_json("tender", "--procedure", "open", "--dispatch", "2026-02-02", "--not-electronic")
    assert paper["earliest_tender_deadline"] == "2026-03-10"  # 35 days end with Monday 9 March
    pin = as_json(
        "tender", "--procedure", "open", "--dispatch", "2026-02-02", "--pin", "2025-12-01"
    )
    assert pin["earliest_tender_deadline"] == "2026-02-18"
    assert "§ 57, stk. 3" in pin["rules"][0]["rule"]


def test_restricted_counts_the_tender_deadline_from_the_invitation() -> None:
    args = ("tender", "--procedure", "restricted", "--dispatch", "2026-02-02")
    normal = as_json(*args, "--invitation", "2026-03-16")
    assert normal["earliest_request_deadline"] == "2026-03-05"
    assert normal["earliest_tender_deadline"] == "2026-04-11"  # 25 days end with 10 April
    urgent = as_json(*args, "--invitation", "2026-03-16", "--urgent")
    assert urgent["earliest_request_deadline"] == "2026-02-18"
    assert urgent["earliest_tender_deadline"] == "2026-03-27"
    assert [r["rule"].split(";")[0] for r in urgent["rules"]] == [
        "Udbudsloven § 59, stk. 3",
        "Udbudsloven § 60, stk. 6",
    ]
    agreed = as_json(*args, "--invitation", "2026-03-16", "--agreed")
    assert agreed["earliest_tender_deadline"] == "2026-03-27"
    assert "§ 60, stk. 5" in agreed["rules"][1]["rule"]


def test_dynamic_purchasing_system() -> None:
    result = as_json(
        "tender", "--procedure", "dps", "--dispatch", "2026-02-02", "--invitation", "2026-03-05"
    )
    assert result["earliest_request_deadline"] == "2026-03-05"
    # 10 days end with Sunday 15 March, so with Monday 16 March: the deadline from 17 March.
    assert result["earliest_tender_deadline"] == "2026-03-17"
    assert [r["days"] for r in result["rules"]] == [30, 10]


def test_standstill_and_letter() -> None:
    assert as_json("standstill", "--notified", "2026-06-01") == {
        "last_day": "2026-06-11",
        "contract_from": "2026-06-12",
        "rules": [
            {
                "milestone": "standstill",
                "rule": "Klagenævnsloven § 3, stk. 1; direktiv 2007/66/EF art. 2a, stk. 2; "
                "forordning 1182/71 art. 3, stk. 4",
                "days": 10,
                "reason": "tildelingsbeslutningen er meddelt elektronisk",
                "from": "2026-06-01",
                "last_day": "2026-06-11",
            }
        ],
    }
    assert as_json("standstill", "--notified", "2026-06-01", "--letter")["last_day"] == "2026-06-16"


def test_questions_last_answer_day_is_seven_days_before() -> None:
    assert as_json("questions", "--bid-deadline", "2026-10-28") == {"last_answer_day": "2026-10-21"}


def test_readable_danish_text_without_json() -> None:
    text = run("standstill", "--notified", "2026-05-26")
    assert "Standstill-periodens sidste dag: 08.06.2026" in text
    assert "grundlovsdag" in text


@pytest.mark.parametrize(
    "args",
    [
        ("tender", "--procedure", "competitive", "--dispatch", "2026-02-02"),
        ("tender", "--procedure", "open", "--dispatch", "2026-02-30"),
        ("tender", "--procedure", "restricted", "--dispatch", "2026-02-02"),
        ("standstill", "--notified", "1. juni"),
        ("questions", "--bid-deadline", "2026-13-01"),
    ],
)
def test_bad_input_is_a_clear_error_with_exit_code_2(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert str(error.value)  # a message, in Danish


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_shows_the_same_result_for_the_secretariat(cast) -> None:
    response = client_for(cast.staff).get(
        URL,
        {
            "calc": "tender",
            "tender-procedure": "restricted",
            "tender-dispatch": "2026-02-02",
            "tender-invitation": "2026-03-16",
            "tender-urgent": "on",
        },
        headers={"Accept-Language": "da"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tidligste tilbudsfrist" in html and "27.03.2026 kl. 00:00" in html
    assert "Udbudsloven § 60, stk. 6" in html
    assert "den sikre læsning" in html


@pytest.mark.django_db
def test_page_standstill_and_questions(cast) -> None:
    client = client_for(cast.staff)
    standstill = client.get(URL, {"calc": "standstill", "standstill-notified": "2026-05-26"})
    assert standstill.context["standstill_calc"]["result"].last_day.isoformat() == "2026-06-08"
    questions = client.get(URL, {"calc": "questions", "questions-bid_deadline": "2026-10-28"})
    assert questions.context["questions_calc"]["result"].last_answer_day.isoformat() == "2026-10-21"


@pytest.mark.django_db
def test_page_refuses_bad_input_with_a_danish_message(cast) -> None:
    response = client_for(cast.staff).get(
        URL,
        {"calc": "tender", "tender-procedure": "restricted", "tender-dispatch": "2026-02-02"},
        headers={"Accept-Language": "da"},
    )
    assert response.status_code == 200
    assert "angiv datoen for afsendelse af opfordringen" in response.content.decode()
    assert response.context["tender_calc"]["result"] is None
    bad = client_for(cast.staff).get(URL, {"calc": "tender", "tender-dispatch": "i går"})
    assert bad.status_code == 200 and bad.context["tender_calc"]["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "viewer", "board_member"])
def test_page_is_for_the_secretariat_only(cast, role: str) -> None:
    assert client_for(getattr(cast, role)).get(URL).status_code == 403
