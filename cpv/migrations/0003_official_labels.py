"""Replace the CPV labels loaded by 0002 with the Publications Office's official English and
Danish labels (133 Danish labels differed, e.g. division 34). Only the labels change."""

from django.db import migrations


def update_labels(apps, schema_editor):
    from cpv.loading import update_cpv_labels

    update_cpv_labels(apps.get_model("cpv", "CpvCode"))


class Migration(migrations.Migration):
    dependencies = [("cpv", "0002_load_cpv")]

    operations = [migrations.RunPython(update_labels, migrations.RunPython.noop)]
