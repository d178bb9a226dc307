from __future__ import annotations

from accounts.demo import OFFICER_NAMES
from members.demo import DEMO_MEMBERS


def test_every_demo_member_has_one_demo_officer() -> None:
    assert sorted(OFFICER_NAMES) == sorted(demo.slug for demo in DEMO_MEMBERS)
