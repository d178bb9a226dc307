"""Shortened limits that are lawful (urgency, prior information, agreed deadline), the DPS request
period, the PIN window in calendar months, deadlines with a time of day, and the holidays."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.test import override_settings
from django.utils import translation

from tenders import timeline as rules
from tenders.periods import holiday_name, period_end, pin_counts
from tenders.timeline import Circumstances, Kind, Point, check_timeline, standstill_end

DISPATCH = date(2026, 2, 2)  # Monday
INVITATION = date(2026, 3, 16)  # Monday
URGENT = Circumstances(urgent=True)
NORMAL = Circumstances()


@pytest.fixture(autouse=True)
def danish() -> None:
    with translation.override("da"):
        yield


def kinds(procedure: str, circumstances: Circumstances = NORMAL, **days) -> set[str]:
    timeline = {k: v if isinstance(v, Point) else Point(v) for k, v in days.items()}
    return {f.kind for f in check_timeline(procedure, timeline, circumstances)}


def restricted(bid: date | Point, circumstances: Circumstances = NORMAL, **extra) -> set:
    return kinds(
        rules.RESTRICTED,
        circumstances,
        publication=DISPATCH,
        requests_deadline=date(2026, 3, 5),
        invitation=INVITATION,
        bid_deadline=bid,
        **extra,
    )


# --- urgency: udbudsloven § 59, stk. 3 and § 60, stk. 6 -----------------------------------------


def test_urgent_requests_deadline_fifteen_days() -> None:
    # 15 days from 3 February end with 17 February: 18 February 00:00 is the earliest deadline.
    assert (
        kinds(rules.RESTRICTED, URGENT, publication=DISPATCH, requests_deadline=date(2026, 2, 18))
        == set()
    )
    assert kinds(
        rules.RESTRICTED, URGENT, publication=DISPATCH, requests_deadline=date(2026, 2, 17)
    ) == {Kind.REQUESTS_DEADLINE}
    assert kinds(rules.RESTRICTED, publication=DISPATCH, requests_deadline=date(2026, 2, 18)) == {Kind.REQUESTS_DEADLINE}  # fmt: skip


def test_urgent_tender_deadline_ten_days() -> None:
    # 10 days from 17 March end with 26 March.
    assert restricted(date(2026, 3, 27), URGENT) == set()
    assert restricted(date(2026, 3, 26), URGENT) == {Kind.BID_DEADLINE}
    assert restricted(date(2026, 3, 27)) == {Kind.BID_DEADLINE}


def test_open_procedure_in_urgency_fifteen_days() -> None:
    assert kinds(rules.OPEN, URGENT, publication=DISPATCH, bid_deadline=date(2026, 2, 18)) == set()
    assert kinds(rules.OPEN, publication=DISPATCH, bid_deadline=date(2026, 2, 18)) == {Kind.BID_DEADLINE}  # fmt: skip


# --- restricted procedure after a prior information notice: § 60, stk. 3 --------------------------


def test_restricted_tender_deadline_ten_days_after_a_prior_information_notice() -> None:
    assert restricted(date(2026, 3, 27), pin=date(2025, 12, 1)) == set()
    assert restricted(date(2026, 3, 26), pin=date(2025, 12, 1)) == {Kind.BID_DEADLINE}
    # Sent only 20 days before the contract notice: no shortening.
    assert restricted(date(2026, 3, 27), pin=date(2026, 1, 13)) == {Kind.BID_DEADLINE}


# --- agreed deadline: § 60, stk. 5 (not for state authorities) -----------------------------------


def test_agreed_deadline_at_least_ten_days_for_a_non_state_authority() -> None:
    agreed = Circumstances(agreed=True)
    assert restricted(date(2026, 3, 27), agreed) == set()
    assert restricted(date(2026, 3, 26), agreed) == {Kind.BID_DEADLINE}
    state = Circumstances(agreed=True, state_authority=True)
    assert restricted(date(2026, 3, 27), state) == {Kind.BID_DEADLINE}


# --- dynamic purchasing system: requests at least 30 days ---------------------------------------


def test_dynamic_purchasing_system_requests_at_least_thirty_days() -> None:
    assert kinds(rules.DPS, publication=DISPATCH, requests_deadline=date(2026, 3, 5)) == set()
    assert kinds(rules.DPS, publication=DISPATCH, requests_deadline=date(2026, 3, 4)) == {Kind.REQUESTS_DEADLINE}  # fmt: skip
    # Urgency does not shorten it.
    assert kinds(rules.DPS, URGENT, publication=DISPATCH, requests_deadline=date(2026, 2, 20)) == {Kind.REQUESTS_DEADLINE}  # fmt: skip


# --- the PIN window: 35 days to 12 calendar months ------------------------------------------------


def test_prior_information_notice_window_in_calendar_months() -> None:
    notice = date(2028, 3, 1)
    assert pin_counts(date(2027, 3, 1), notice)  # exactly 12 months (366 days: a leap year)
    assert not pin_counts(date(2027, 2, 28), notice)  # 12 months and a day
    assert pin_counts(date(2028, 1, 26), notice)  # 35 days
    assert not pin_counts(date(2028, 1, 27), notice)  # 34 days


# --- deadlines with a time of day (Reg. 1182/71 art. 3(2)(b)) -------------------------------------


def test_deadline_at_noon_on_the_last_day_is_too_early() -> None:
    # 30 days from 3 February end with 4 March.
    noon_last_day = Point(date(2026, 3, 4), at=time(12))
    assert kinds(rules.OPEN, publication=DISPATCH, bid_deadline=noon_last_day) == {
        Kind.BID_DEADLINE
    }
    late_last_day = Point(date(2026, 3, 4), at=time(23, 59))
    assert kinds(rules.OPEN, publication=DISPATCH, bid_deadline=late_last_day) == {
        Kind.BID_DEADLINE
    }
    midnight_after = Point(date(2026, 3, 5), at=time(0))
    assert kinds(rules.OPEN, publication=DISPATCH, bid_deadline=midnight_after) == set()


def test_milestones_on_the_same_day_are_ordered_by_time() -> None:
    found = kinds(
        rules.OPEN,
        award_decision=Point(date(2026, 6, 1), at=time(10)),
        bid_deadline=Point(date(2026, 6, 1), at=time(12)),
    )
    assert Kind.AWARD_DECISION in found


# --- holidays: the safe reading by default, the strict one by setting ------------------------------


def test_grundlovsdag_ends_no_standstill_in_the_safe_reading() -> None:
    # 10 days after 26 May 2026 is Friday 5 June, Grundlovsdag: the standstill runs to Monday.
    assert standstill_end(date(2026, 5, 26)) == date(2026, 6, 8)
    assert holiday_name(date(2026, 6, 5)) == "Grundlovsdag"


@override_settings(TENDERS_HOLIDAY_READING="strict")
def test_strict_reading_counts_only_public_holidays() -> None:
    assert standstill_end(date(2026, 5, 26)) == date(2026, 6, 5)
    assert period_end(date(2026, 12, 14), 10) == date(2026, 12, 24)
    assert holiday_name(date(2026, 6, 5)) == ""


def test_christmas_and_new_years_eve_are_not_working_days_in_the_safe_reading() -> None:
    # 24 December 2026 is a Thursday; 25 and 26 are holidays, 27 a Sunday.
    assert period_end(date(2026, 12, 14), 10) == date(2026, 12, 28)
    # 31 December 2026 is a Thursday; 1 January a holiday, then a weekend.
    assert period_end(date(2026, 12, 21), 10) == date(2027, 1, 4)
