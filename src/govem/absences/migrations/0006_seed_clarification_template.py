"""The notice an employee gets when a day without attendance becomes a clarification case."""

from django.db import migrations

KEY = "klarifikasi-dibuka"
NAME = "Klarifikasi presensi dibuka"
SUBJECT = "Klarifikasi presensi {tanggal}"
BODY = (
    "{nama}, pada {tanggal} tercatat: {masalah}. Bila ada alasan (sakit, dinas, kendala "
    "perangkat), jawab di menu Klarifikasi aplikasi Govem dan lampirkan buktinya; operator "
    "unit juga dapat menghubungi Anda. — {instansi}"
)


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    MessageTemplate.objects.get_or_create(
        key=KEY, channel="any", defaults={"name": NAME, "subject": SUBJECT, "body": BODY}
    )


class Migration(migrations.Migration):
    dependencies = [("absences", "0005_seed_decision_template")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
