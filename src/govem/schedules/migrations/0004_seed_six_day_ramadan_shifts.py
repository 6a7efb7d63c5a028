"""Seed the national 6-day schedule, the Ramadan hours and periods, and common roster shifts.

- NASIONAL-6H (Keppres 68/1995, 37.5 h/week, no break), starting at the regency's 07.30
  like the 5-day schedule: Senin–Kamis 07.30–14.30, Jumat 07.30–11.30, Sabtu 07.30–13.00.
  (Keppres 68/1995 itself writes 07.00–14.00 / 07.00–11.00 / 07.00–12.30; the durations
  are the same, the IT team edits the times in the admin if the regency starts at 07.00.)
- RAMADAN-5H (MenPAN-RB circulars, 32.5 h/week): Senin–Kamis 08.00–15.00 (break
  12.00–12.30), Jumat 08.00–15.30 (break 11.30–12.30).
- Special periods Ramadan 1447 H and 1448 H replacing NASIONAL-5H; the dates are
  approximate until the government's decree (marked ``approximate``).
- Shifts for 24-hour services (RSUD, Damkar): PAGI, SIANG, MALAM (3 × 8 h style) and the
  12-hour JAGA-SIANG / JAGA-MALAM pair.
"""

from datetime import date, time

from django.db import migrations

OPENS, CLOSES = time(6, 0), time(18, 0)


def _days(ScheduleDay, schedule, rows):
    for weekday, start, end, break_start, break_end in rows:
        ScheduleDay.objects.get_or_create(
            schedule=schedule,
            weekday=weekday,
            defaults={
                "start": start, "end": end, "break_start": break_start, "break_end": break_end,
                "check_in_opens": OPENS, "check_out_closes": CLOSES,
            },
        )


def seed(apps, schema_editor):
    WorkSchedule = apps.get_model("schedules", "WorkSchedule")
    ScheduleDay = apps.get_model("schedules", "ScheduleDay")
    SpecialPeriod = apps.get_model("schedules", "SpecialPeriod")
    Shift = apps.get_model("schedules", "Shift")

    six, _ = WorkSchedule.objects.get_or_create(
        code="NASIONAL-6H",
        defaults={
            "name": "Nasional 6 hari kerja",
            "description": (
                "Keppres 68/1995 (37,5 jam/minggu): Senin–Kamis 07.30–14.30, "
                "Jumat 07.30–11.30, Sabtu 07.30–13.00."
            ),
        },
    )
    _days(ScheduleDay, six, [(d, time(7, 30), time(14, 30), None, None) for d in range(4)]
          + [(4, time(7, 30), time(11, 30), None, None), (5, time(7, 30), time(13, 0), None, None)])

    ramadan, _ = WorkSchedule.objects.get_or_create(
        code="RAMADAN-5H",
        defaults={
            "name": "Ramadan 5 hari kerja",
            "description": (
                "Surat Edaran MenPAN-RB (32,5 jam/minggu): Senin–Kamis 08.00–15.00, "
                "Jumat 08.00–15.30."
            ),
        },
    )
    _days(ScheduleDay, ramadan,
          [(d, time(8, 0), time(15, 0), time(12, 0), time(12, 30)) for d in range(4)]
          + [(4, time(8, 0), time(15, 30), time(11, 30), time(12, 30))])

    five = WorkSchedule.objects.filter(code="NASIONAL-5H").first()
    for name, start, end in [
        ("Ramadan 1447 H", date(2026, 2, 18), date(2026, 3, 19)),
        ("Ramadan 1448 H", date(2027, 2, 8), date(2027, 3, 9)),
    ]:
        period, created = SpecialPeriod.objects.get_or_create(
            name=name,
            defaults={
                "start_date": start, "end_date": end, "schedule": ramadan, "approximate": True,
                "decree": "Perkiraan; tanggal dan jam dikonfirmasi dengan Surat Edaran MenPAN-RB.",
            },
        )
        if created and five is not None:
            period.base_schedules.add(five)

    for code, name, start, end in [
        ("PAGI", "Shift Pagi", time(7, 0), time(14, 0)),
        ("SIANG", "Shift Siang", time(14, 0), time(21, 0)),
        ("MALAM", "Shift Malam", time(21, 0), time(7, 0)),
        ("JAGA-SIANG", "Jaga Siang 12 jam", time(7, 0), time(19, 0)),
        ("JAGA-MALAM", "Jaga Malam 12 jam", time(19, 0), time(7, 0)),
    ]:
        Shift.objects.get_or_create(code=code, defaults={"name": name, "start": start, "end": end})


class Migration(migrations.Migration):
    dependencies = [("schedules", "0003_shifts_periods_calendar")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
