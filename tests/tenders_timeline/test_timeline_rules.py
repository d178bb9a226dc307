"""The minimum time limits, each rule on its own, with weekend and holiday roll-over."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tenders import timeline as rules
from tenders.timeline import Kind, Point, check_timeline, period_end, standstill_end


@pytest.fixture(autouse=True)
def danish() -> None:
    with translation.override("da"):
        yield


def findings_for(procedure: str, **days: date | Point) -> dict[str, str]:
    timeline = {k: v if isinstance(v, Point) else Point(v) for k, v in days.items()}
    return {f.kind: f.message for f in check_timeline(procedure, timeline)}


# 2 February 2026 is a Monday.
DISPATCH = date(2026, 2, 2)


def test_open_procedure_30_days_with_electronic_submission() -> None:
    # 30 days from 3 February: the period runs to the end of 4 March; the deadline may be set
    # from 5 March 00:00 (a date without a time is read as the start of the day).
    assert findings_for(rules.OPEN, publication=DISPATCH, bid_deadline=date(2026, 3, 5)) == {}
    refused = findings_for(rules.OPEN, publication=DISPATCH, bid_deadline=date(2026, 3, 4))
    assert "05.03.2026" in refused[Kind.BID_DEADLINE]
    assert "30" in refused[Kind.BID_DEADLINE]


def test_open_procedure_35_days_without_electronic_submission() -> None:
    paper = Point(date(2026, 3, 9), electronic=False)
    assert Kind.BID_DEADLINE in findings_for(rules.OPEN, publication=DISPATCH, bid_deadline=paper)
    assert (
        findings_for(
            rules.OPEN,
            publication=DISPATCH,
            bid_deadline=Point(date(2026, 3, 10), electronic=False),
        )
        == {}
    )


def test_open_procedure_15_days_after_prior_information_notice() -> None:
    pin = date(2025, 12, 1)  # 63 days before the contract notice
    assert (
        findings_for(rules.OPEN, pin=pin, publication=DISPATCH, bid_deadline=date(2026, 2, 18))
        == {}
    )
    assert Kind.BID_DEADLINE in findings_for(
        rules.OPEN, pin=pin, publication=DISPATCH, bid_deadline=date(2026, 2, 17)
    )


def test_prior_information_notice_sent_too_late_does_not_shorten() -> None:
    pin = date(2026, 1, 10)  # only 23 days before: the notice cannot shorten the limit
    assert Kind.BID_DEADLINE in findings_for(
        rules.OPEN, pin=pin, publication=DISPATCH, bid_deadline=date(2026, 2, 18)
    )


def test_open_limit_ending_on_a_holiday_moves_to_next_working_day() -> None:
    # 35 days after 2 March 2026 is Monday 6 April, 2. påskedag: the limit ends Tuesday 7 April.
    assert period_end(date(2026, 3, 2), 35) == date(2026, 4, 7)
    paper = Point(date(2026, 4, 7), electronic=False)
    assert Kind.BID_DEADLINE in findings_for(
        rules.OPEN, publication=date(2026, 3, 2), bid_deadline=paper
    )


def test_restricted_requests_30_days() -> None:
    assert (
        findings_for(rules.RESTRICTED, publication=DISPATCH, requests_deadline=date(2026, 3, 5))
        == {}
    )
    assert Kind.REQUESTS_DEADLINE in findings_for(
        rules.RESTRICTED, publication=DISPATCH, requests_deadline=date(2026, 3, 4)
    )


def test_restricted_tenders_30_days_or_25_electronic() -> None:
    invitation = date(2026, 3, 16)  # Monday
    base = {
        "publication": DISPATCH,
        "requests_deadline": date(2026, 3, 5),
        "invitation": invitation,
    }
    # 25 days from 17 March end with 10 April; 30 days with 15 April.
    assert findings_for(rules.RESTRICTED, **base, bid_deadline=date(2026, 4, 11)) == {}
    assert Kind.BID_DEADLINE in findings_for(
        rules.RESTRICTED, **base, bid_deadline=date(2026, 4, 10)
    )
    assert Kind.BID_DEADLINE in findings_for(
        rules.RESTRICTED, **base, bid_deadline=Point(date(2026, 4, 15), electronic=False)
    )
    assert (
        findings_for(
            rules.RESTRICTED, **base, bid_deadline=Point(date(2026, 4, 16), electronic=False)
        )
        == {}
    )


def test_standstill_10_days_from_day_after_electronic_notification() -> None:
    assert standstill_end(date(2026, 6, 1)) == date(2026, 6, 11)
    assert (
        findings_for(rules.OPEN, award_decision=date(2026, 6, 1), standstill_end=date(2026, 6, 11))
        == {}
    )
    assert Kind.STANDSTILL_END in findings_for(
        rules.OPEN, award_decision=date(2026, 6, 1), standstill_end=date(2026, 6, 10)
    )


def test_standstill_15_days_by_letter() -> None:
    assert standstill_end(date(2026, 6, 1), electronic=False) == date(2026, 6, 16)
    letter = Point(date(2026, 6, 1), electronic=False)
    assert Kind.STANDSTILL_END in findings_for(
        rules.OPEN, award_decision=letter, standstill_end=date(2026, 6, 11)
    )


def test_standstill_ending_on_saturday_runs_to_monday() -> None:
    assert standstill_end(date(2026, 6, 10)) == date(2026, 6, 22)  # Sat 20 June → Mon 22 June


def test_standstill_ending_in_easter_runs_past_the_holidays() -> None:
    # Sat 4 April, Easter Sunday 5 April, 2. påskedag 6 April 2026 → Tuesday 7 April.
    assert standstill_end(date(2026, 3, 25)) == date(2026, 4, 7)
    assert rules.holiday_name(date(2026, 4, 6)) == "Anden påskedag"


def test_no_standstill_for_call_offs_under_a_framework_agreement() -> None:
    award = date(2026, 6, 1)
    assert (
        findings_for(rules.MINI_COMPETITION, award_decision=award, contract_start=date(2026, 6, 2))
        == {}
    )
    assert Kind.CONTRACT_START in findings_for(
        rules.OPEN, award_decision=award, contract_start=date(2026, 6, 2)
    )


def test_contract_cannot_start_during_standstill() -> None:
    found = findings_for(
        rules.OPEN, award_decision=date(2026, 6, 1), contract_start=date(2026, 6, 11)
    )
    assert "standstill" in found[Kind.CONTRACT_START]


def test_milestones_must_be_in_order() -> None:
    found = findings_for(rules.OPEN, volume_deadline=date(2026, 3, 1), publication=date(2026, 2, 1))
    assert Kind.PUBLICATION in found


def test_answers_sent_six_full_days_before_the_bid_deadline() -> None:
    # Bid deadline 20 March: 14–19 March are the 6 full days, so answers go out by 13 March.
    base = {"publication": DISPATCH, "bid_deadline": date(2026, 3, 20)}
    assert rules.last_answer_day(date(2026, 3, 20)) == date(2026, 3, 13)
    assert findings_for(rules.OPEN, **base, questions_deadline=date(2026, 3, 13)) == {}
    assert Kind.QUESTIONS_DEADLINE in findings_for(
        rules.OPEN, **base, questions_deadline=date(2026, 3, 14)
    )


def test_every_rule_names_its_source() -> None:
    for rule in rules.RULES:
        assert rule.source and ("§" in rule.source or "art." in rule.source), rule.code


def test_quarters_wrap_into_next_year() -> None:
    assert rules.quarters((2026, 3), 3) == [(2026, 3), (2026, 4), (2027, 1)]


def test_prior_information_notice_may_come_before_the_participation_deadline() -> None:
    # The notice goes out months ahead, typically while the members are still answering.
    found = findings_for(
        rules.OPEN,
        needs_analysis=date(2025, 10, 1),
        pin=date(2025, 11, 3),
        volume_deadline=date(2025, 12, 1),
        publication=DISPATCH,
        bid_deadline=date(2026, 2, 18),
    )
    assert found == {}


def test_prior_information_notice_after_the_contract_notice_is_refused() -> None:
    found = findings_for(rules.OPEN, pin=date(2026, 2, 10), publication=DISPATCH)
    assert "forhåndsmeddelelse" in found[Kind.PIN]
