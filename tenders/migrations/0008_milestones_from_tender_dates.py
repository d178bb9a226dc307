"""Give every tender a milestone for each date it keeps on itself.

From now on the milestones are the one source of a tender's participation deadline, bid
deadline and contract start (the tender's own fields are copies written by the timeline
service). Tenders saved before that may have a date without its milestone: create it, so the
calendar, the documents and the workflow see the same date.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

CPH = ZoneInfo("Europe/Copenhagen")


def forwards(apps, schema_editor):
    Tender = apps.get_model("tenders", "Tender")
    Milestone = apps.get_model("tenders", "Milestone")
    for tender in Tender.objects.all().iterator():
        have = set(Milestone.objects.filter(tender=tender).values_list("kind", flat=True))
        dates = {
            "volume_deadline": tender.volume_deadline,
            "bid_deadline": tender.bid_deadline,
            "contract_start": (
                datetime.datetime.combine(tender.expected_start, datetime.time(), tzinfo=CPH)
                if tender.expected_start
                else None
            ),
        }
        for kind, due in dates.items():
            if due is not None and kind not in have:
                Milestone.objects.create(tender=tender, kind=kind, due=due, electronic=True)


class Migration(migrations.Migration):
    dependencies = [("tenders", "0007_pooling_inputs_digest")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
