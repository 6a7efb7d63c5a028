"""Absence types of DESIGN §2 (cuti per PP 11/2017 as amended; sakit, izin, DL, TB, AT, WFH).

Cuti besar is ``CBS``: ``CB`` is cuti bersama in the day codes.
"""

from django.db import migrations

TYPES = [
    ("CT", "Cuti tahunan", False, False),
    ("CS", "Cuti sakit", False, True),
    ("CM", "Cuti melahirkan", False, True),
    ("CAP", "Cuti karena alasan penting", False, True),
    ("CBS", "Cuti besar", False, True),
    ("CLTN", "Cuti di luar tanggungan negara", False, True),
    ("S", "Sakit", False, False),
    ("I", "Izin", True, False),
    ("DL", "Dinas luar", False, True),
    ("TB", "Tugas belajar", False, True),
    ("AT", "Alasan teknis", False, False),
    ("WFH", "Bekerja dari rumah / FWA", False, False),
]


def seed(apps, schema_editor):
    AbsenceType = apps.get_model("absences", "AbsenceType")
    for order, (code, name, part, evidence) in enumerate(TYPES, start=1):
        AbsenceType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "allows_part_of_day": part,
                "needs_evidence": evidence,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("absences", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
