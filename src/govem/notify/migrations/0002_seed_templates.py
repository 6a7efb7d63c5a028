from django.db import migrations

TEMPLATES = [
    (
        "pengingat-masuk",
        "Pengingat presensi masuk",
        "Pengingat presensi masuk {tanggal}",
        "Selamat pagi, {nama}. Hari ini {hari}, {tanggal}, jam masuk Anda {jam_masuk}. "
        "Jangan lupa presensi masuk melalui aplikasi Govem dengan lokasi aktif. "
        "— {instansi}",
    ),
    (
        "pengingat-pulang",
        "Pengingat presensi pulang",
        "Pengingat presensi pulang {tanggal}",
        "{nama}, jam kerja hari ini berakhir pukul {jam_pulang}. Jangan lupa presensi pulang "
        "melalui aplikasi Govem sebelum pulang. — {instansi}",
    ),
    (
        "belum-presensi",
        "Belum presensi masuk",
        "Anda belum presensi masuk {tanggal}",
        "{nama}, sampai saat ini Govem belum mencatat presensi masuk Anda hari ini "
        "(jam masuk {jam_masuk}). Segera lakukan presensi; jika ada kendala, laporkan lewat "
        "menu Lapor Kendala atau hubungi operator unit Anda. — {instansi}",
    ),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for key, name, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            key=key, channel="any", defaults={"name": name, "subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
