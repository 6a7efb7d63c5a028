"""The BKPSDM group: records discipline sentences (PP 94/2021) for any employee."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="BKPSDM")


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
