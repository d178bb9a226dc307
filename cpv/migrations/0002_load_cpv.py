from django.db import migrations


def load(apps, schema_editor):
    from cpv.loading import load_cpv

    load_cpv(apps.get_model("cpv", "CpvCode"))


class Migration(migrations.Migration):
    dependencies = [("cpv", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
