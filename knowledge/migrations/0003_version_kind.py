"""Version notes the portal writes become a kind, shown in the reader's language."""

import re

from django.conf import settings
from django.db import migrations, models

# The notes the portal itself wrote before it stored a kind, in each language it has spoken.
CREATED_NOTES = {"Created", "Oprettet"}
RESTORED_NOTE = re.compile(r"^(?:Restored from version|Gendannet fra version) (\d+)$")


def notes_to_kinds(apps, schema_editor):
    """Turn the stored "Created"/"Restored from version N" texts into kinds, shown translated."""
    ArticleVersion = apps.get_model("knowledge", "ArticleVersion")
    # Every first version was written by article_create; its note was the author's or "Created".
    for version in ArticleVersion.objects.filter(number=1).exclude(kind="created"):
        version.kind = "created"
        if version.note in CREATED_NOTES:
            version.note = ""
        version.save(update_fields=["kind", "note"])
    restored = ArticleVersion.objects.filter(
        note__regex=r"^(Restored from version|Gendannet fra version) [0-9]+$"
    )
    for version in restored:
        version.kind = "restored"
        version.restored_from = int(RESTORED_NOTE.match(version.note).group(1))
        version.note = ""
        version.save(update_fields=["kind", "restored_from", "note"])


def kinds_to_notes(apps, schema_editor):
    ArticleVersion = apps.get_model("knowledge", "ArticleVersion")
    ArticleVersion.objects.filter(kind="created", note="").update(note="Created")
    for version in ArticleVersion.objects.filter(kind="restored", note=""):
        version.note = f"Restored from version {version.restored_from}"
        version.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_search_head"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="articleversion",
            name="kind",
            field=models.CharField(
                choices=[("edit", "Edited"), ("created", "Created"), ("restored", "Restored")],
                default="edit",
                max_length=10,
                verbose_name="kind of change",
            ),
        ),
        migrations.AddField(
            model_name="articleversion",
            name="restored_from",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="restored from version"
            ),
        ),
        migrations.RunPython(notes_to_kinds, kinds_to_notes),
    ]
