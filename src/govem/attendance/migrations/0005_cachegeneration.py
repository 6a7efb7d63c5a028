from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("attendance", "CacheGeneration").objects.get_or_create(pk=1, defaults={"value": 1})


class Migration(migrations.Migration):
    dependencies = [("attendance", "0004_dayrecord_counted_checkout_case")]

    operations = [
        migrations.CreateModel(
            name="CacheGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=1)),
            ],
            options={"verbose_name": "generasi cache presensi", "verbose_name_plural": "generasi cache presensi"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
