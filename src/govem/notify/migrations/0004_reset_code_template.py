"""The message that carries a password reset code (Tim IT edits it in the admin)."""

from django.db import migrations

KEY = "kode-reset-sandi"
NAME = "Kode atur ulang kata sandi"
SUBJECT = "Kode atur ulang kata sandi Govem: {kode}"
BODY = (
    "{salam}, {nama}. Kode untuk mengatur ulang kata sandi Govem Anda: {kode} (berlaku sampai "
    "pukul {berlaku}, sekali pakai). Jangan berikan kode ini kepada siapa pun, termasuk "
    "petugas. Bila Anda tidak memintanya, abaikan pesan ini. — {instansi}"
)


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    MessageTemplate.objects.get_or_create(
        key=KEY, channel="any", defaults={"name": NAME, "subject": SUBJECT, "body": BODY}
    )


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_greetings")]

    operations = [migrations.RunPython(seed, unseed)]
