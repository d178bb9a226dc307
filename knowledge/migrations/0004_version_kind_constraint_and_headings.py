"""A restored version names the version it restored; and articles whose level-one headings the
old renderer dropped are rendered again (knowledge/rendering.py keeps them, as <h2>)."""

from django.db import migrations, models


def rerender_bodies(apps, schema_editor):
    from knowledge.rendering import render_markdown

    Article = apps.get_model("knowledge", "Article")
    changed = []
    for article in Article.objects.only("pk", "body", "body_html").iterator(chunk_size=500):
        html = render_markdown(article.body)
        if html != article.body_html:
            article.body_html = html
            changed.append(article)
    Article.objects.bulk_update(changed, ["body_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0003_version_kind"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="articleversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "restored"), ("restored_from__isnull", False)),
                    models.Q(
                        models.Q(("kind", "restored"), _negated=True),
                        ("restored_from__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="article_version_restored_from_iff_restored",
            ),
        ),
        migrations.RunPython(rerender_bodies, migrations.RunPython.noop),
    ]
