"""Indexes for reading the audit trail on every event table (see audit/indexes.py)."""

from django.db import migrations

from audit.indexes import drop_indexes, ensure_indexes


def forwards(apps, schema_editor):
    ensure_indexes(schema_editor.connection)


def backwards(apps, schema_editor):
    drop_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("agreements", "0003_audit_links"),
        ("api", "0001_initial"),
        ("knowledge", "0004_version_kind_constraint_and_headings"),
        ("members", "0004_friendly_constraint_messages"),
        ("reports", "0001_initial"),
        ("spend", "0004_spend_line_unspsc"),
        ("tenders", "0009_small_lots_and_shortened_limits"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
