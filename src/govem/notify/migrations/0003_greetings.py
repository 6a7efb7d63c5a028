"""Seeded messages greet by the hour ({salam}) instead of "Selamat pagi" at any time.

Only templates still worded as seeded are rewritten: a text Tim IT edited stays theirs.
"""

from django.db import migrations, models

REWORDED = {
    "pengingat-masuk": (
        "Selamat pagi, {nama}. Hari ini {hari}, {tanggal}, jam masuk Anda {jam_masuk}. "
        "Jangan lupa presensi masuk melalui aplikasi Govem dengan lokasi aktif. "
        "— {instansi}",
        "{salam}, {nama}. Hari ini {hari}, {tanggal}, jam masuk Anda {jam_masuk}. "
        "Jangan lupa presensi masuk melalui aplikasi Govem dengan lokasi aktif. "
        "— {instansi}",
    ),
    "pengingat-pulang": (
        "{nama}, jam kerja hari ini berakhir pukul {jam_pulang}. Jangan lupa presensi pulang "
        "melalui aplikasi Govem sebelum pulang. — {instansi}",
        "{salam}, {nama}. Jam kerja hari ini berakhir pukul {jam_pulang}. Jangan lupa presensi "
        "pulang melalui aplikasi Govem sebelum pulang. — {instansi}",
    ),
    "belum-presensi": (
        "{nama}, sampai saat ini Govem belum mencatat presensi masuk Anda hari ini "
        "(jam masuk {jam_masuk}). Segera lakukan presensi; jika ada kendala, laporkan lewat "
        "menu Lapor Kendala atau hubungi operator unit Anda. — {instansi}",
        "{salam}, {nama}. Sampai saat ini Govem belum mencatat presensi masuk Anda hari ini "
        "(jam masuk {jam_masuk}). Segera lakukan presensi; jika ada kendala, laporkan lewat "
        "menu Lapor Kendala atau hubungi operator unit Anda. — {instansi}",
    ),
    "pengajuan-diputuskan": (
        "{nama}, pengajuan {jenis} Anda untuk {tanggal} telah {keputusan} oleh {pemutus}. "
        "Catatan: {catatan}. Rinciannya ada di menu Pengajuan aplikasi Govem. — {instansi}",
        "{salam}, {nama}. Pengajuan {jenis} Anda untuk {tanggal} telah {keputusan} oleh "
        "{pemutus}. Catatan: {catatan}. Rinciannya ada di menu Pengajuan aplikasi Govem. "
        "— {instansi}",
    ),
    "klarifikasi-dibuka": (
        "{nama}, pada {tanggal} tercatat: {masalah}. Bila ada alasan (sakit, dinas, kendala "
        "perangkat), jawab di menu Klarifikasi aplikasi Govem dan lampirkan buktinya; operator "
        "unit juga dapat menghubungi Anda. — {instansi}",
        "{salam}, {nama}. Pada {tanggal} tercatat: {masalah}. Bila ada alasan (sakit, dinas, "
        "kendala perangkat), jawab di menu Klarifikasi aplikasi Govem dan lampirkan buktinya; "
        "operator unit juga dapat menghubungi Anda. — {instansi}",
    ),
}


def reword(apps, schema_editor, *, forward=True):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for key, (seeded, greeting) in REWORDED.items():
        old, new = (seeded, greeting) if forward else (greeting, seeded)
        MessageTemplate.objects.filter(key=key, channel="any", body=old).update(body=new)


def unreword(apps, schema_editor):
    reword(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0002_seed_templates"),
        ("absences", "0006_seed_clarification_template"),
    ]

    operations = [
        migrations.AlterField(
            model_name="messagetemplate",
            name="body",
            field=models.TextField(
                help_text=(
                    "Tempat isian: {salam} (Selamat pagi/siang/sore/malam menurut jam setempat), "
                    "{nama}, {nip}, {tanggal}, {hari}, {jam_masuk}, {jam_pulang}, {unit}, "
                    "{instansi}. Isian yang tidak dikenal dibiarkan apa adanya."
                ),
                verbose_name="isi",
            ),
        ),
        migrations.RunPython(reword, unreword),
    ]
