"""A seeded example rule set, "Contoh Banjarmasin", inactive: the rule forms of Kota
Banjarmasin's e-presensi (``asrani27/absensi``), to compare or to copy from.

- TK as a share of the month: 100 % ÷ the month's working days (5.00 % in a 20-day month,
  4.35 % in 23), as the city's recap divides the TPP;
- late and early minutes both rounded down to whole minutes (app/Jobs/HitungTerlambat.php:
  ``floor(diffInSeconds / 60)`` for both);
- a missing check-in or check-out books half the scheduled day for discipline
  (HitungTerlambat.php: 255 minutes Monday–Thursday, 105 on Friday for 5-day staff; 210 /
  105 / 180 for 6-day staff). With the example schedule CONTOH-BJM-5H (Senin–Kamis
  07.30–16.00, Jumat 07.30–11.00 — the Friday inferred from the 105 minutes, half of 210)
  the half day is exactly 255 and 105.
- The bands and percentages per TL/PSW code stay the typical ones (the city's own
  percentages are in its Perwali, not in this code).

Inactive (``active=False``): it is not in force anywhere until the IT team activates it,
dates it and (optionally) gives it a unit.
"""

import datetime
from datetime import time
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    RuleSet = apps.get_model("attendance", "RuleSet")
    WorkSchedule = apps.get_model("schedules", "WorkSchedule")
    ScheduleDay = apps.get_model("schedules", "ScheduleDay")
    RuleSet.objects.get_or_create(
        code="CONTOH-BJM",
        defaults={
            "name": "Contoh Banjarmasin (e-presensi Kota Banjarmasin)",
            "valid_from": datetime.date(2000, 1, 1),
            "active": False,
            "band1_max": 30,
            "band2_max": 60,
            "band3_max": 90,
            "tl1_pct": Decimal("0.5"),
            "tl2_pct": Decimal("1"),
            "tl3_pct": Decimal("1.25"),
            "tl4_pct": Decimal("1.5"),
            "psw1_pct": Decimal("0.5"),
            "psw2_pct": Decimal("1"),
            "psw3_pct": Decimal("1.25"),
            "psw4_pct": Decimal("1.5"),
            "tk_pct": Decimal("3"),
            "monthly_cap_pct": Decimal("100"),
            "tk_mode": "month_share",
            "tk_month_pct": Decimal("100"),
            "late_rounding": "floor",
            "early_rounding": "floor",
            "missing_punch": "half_day",
            "missing_punch_minutes": 0,
            "note": "Contoh, tidak aktif. Sumber: asrani27/absensi app/Jobs/HitungTerlambat.php "
            "(menit dibulatkan ke bawah; tidak presensi = setengah hari: 255 menit, Jumat 105).",
        },
    )
    schedule, created = WorkSchedule.objects.get_or_create(
        code="CONTOH-BJM-5H",
        defaults={
            "name": "Contoh Banjarmasin 5 hari kerja",
            "description": (
                "Contoh: Senin–Kamis 07.30–16.00, Jumat 07.30–11.00 (setengah hari = 255 dan "
                "105 menit, seperti e-presensi Kota Banjarmasin)."
            ),
        },
    )
    if created:
        for weekday in range(4):
            ScheduleDay.objects.create(
                schedule=schedule, weekday=weekday, start=time(7, 30), end=time(16, 0),
                break_start=time(12, 0), break_end=time(13, 0),
                check_in_opens=time(6, 0), check_out_closes=time(18, 0),
            )
        ScheduleDay.objects.create(
            schedule=schedule, weekday=4, start=time(7, 30), end=time(11, 0),
            check_in_opens=time(6, 0), check_out_closes=time(18, 0),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0006_rule_forms"),
        ("schedules", "0006_ramadan_1447_facts_and_six_day_hours"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
