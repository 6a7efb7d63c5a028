"""The message an employee gets when a request is decided (Tim IT edits it in the admin)."""

from django.db import migrations

KEY = "pengajuan-diputuskan"
NAME = "Keputusan pengajuan"
SUBJECT = "Pengajuan {jenis} {tanggal} {keputusan}"
BODY = (
    "{nama}, pengajuan {jenis} Anda untuk {tanggal} telah {keputusan} oleh {pemutus}. "
    "Catatan: {catatan}. Rinciannya ada di menu Pengajuan aplikasi Govem. — {instansi}"
)


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    MessageTemplate.objects.get_or_create(
        key=KEY, channel="any", defaults={"name": NAME, "subject": SUBJECT, "body": BODY}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("absences", "0004_clarification"),
        ("notify", "0002_seed_templates"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
