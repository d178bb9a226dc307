from __future__ import annotations

from django.core.management import call_command
from django.db.models import Count

from knowledge.models import Article, Status


def test_demo_articles_are_many_varied_and_idempotent(db, settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Article.objects.count(), Article.objects.aggregate(n=Count("versions"))["n"])
    call_command("seed_demo")
    assert counts == (Article.objects.count(), Article.objects.aggregate(n=Count("versions"))["n"])
    assert counts[0] >= 40
    assert Article.objects.values("kind").distinct().count() == 6
    assert Article.objects.annotate(n=Count("versions")).filter(n__gt=1).count() >= 4
    assert Article.objects.stale().count() >= 5
    assert Article.objects.filter(status=Status.IN_REVIEW).exists()
    phases = {p for a in Article.objects.all() for p in a.phases}
    levers = {lv for a in Article.objects.all() for lv in a.levers}
    assert len(phases) == 5 and len(levers) == 7
