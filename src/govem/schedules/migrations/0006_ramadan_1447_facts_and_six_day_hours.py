"""Ramadan as decreed, for every kind of week.

- Ramadan 1447 H: the government's sidang isbat (Kementerian Agama, 17 Feb 2026) set
  1 Ramadan on Thursday 19 Feb 2026; 1 Syawal 1447 H is 21 Mar 2026 (SKB 3 Menteri 2026,
  also in ``holidays``), so Ramadan ran 19 Feb – 20 Mar 2026. The seed had 18 Feb – 19 Mar
  (approximate). Moved and confirmed, unless the IT team had already changed the row.
- Ramadan 1448 H stays approximate (8 Feb – 9 Mar 2027: Idul Fitri 1448 H is expected on
  10 Mar 2027) until the sidang isbat; the admin page confirms or moves it.
- RAMADAN-6H for 6-day units. Perpres 21/2023 art. 4(2): 32 h 30 min a week in Ramadan;
  art. 4(4): starting at 08.00 local time; art. 4(6): breaks 60 min on Friday, 30 min on
  other days. The day-by-day hours are those of the MenPAN-RB circulars for 6-day agencies
  (SE MenPAN-RB 336/2018; SE 6/2023): Senin–Kamis and Sabtu 08.00–14.00 (break 12.00–12.30),
  Jumat 08.00–14.30 (break 11.30–12.30) — 33 h a week, at least the 32.5 h of art. 4(2).
- Both Ramadan periods replace NASIONAL-5H with RAMADAN-5H and NASIONAL-6H with RAMADAN-6H
  (``PeriodSchedule``). Shifts keep their rosters.

Days already computed are not recomputed by the migration: `govem recompute --from
2026-02-18 --to 2026-03-20 --reason "..."` does it (docs/operations.md).
"""

from datetime import date, time

from django.db import migrations

OPENS, CLOSES = time(6, 0), time(18, 0)
DECREE_1447 = (
    "Sidang isbat Kementerian Agama 17-02-2026: 1 Ramadan 1447 H = 19-02-2026; "
    "1 Syawal = 21-03-2026 (SKB 3 Menteri 2026). Jam kerja: Perpres 21/2023 ps. 4 ayat (2), "
    "(4), (6)."
)
DECREE_1448 = (
    "Perkiraan: 1 Ramadan 1448 H ± 08-02-2027, Idul Fitri ± 10-03-2027; konfirmasi setelah "
    "sidang isbat. Jam kerja: Perpres 21/2023 ps. 4 ayat (2), (4), (6)."
)


def seed(apps, schema_editor):
    WorkSchedule = apps.get_model("schedules", "WorkSchedule")
    ScheduleDay = apps.get_model("schedules", "ScheduleDay")
    SpecialPeriod = apps.get_model("schedules", "SpecialPeriod")
    PeriodSchedule = apps.get_model("schedules", "PeriodSchedule")

    six_ramadan, created = WorkSchedule.objects.get_or_create(
        code="RAMADAN-6H",
        defaults={
            "name": "Ramadan 6 hari kerja",
            "description": (
                "Perpres 21/2023 ps. 4 ayat (2), (4), (6); SE MenPAN-RB 336/2018: "
                "Senin–Kamis dan Sabtu 08.00–14.00, Jumat 08.00–14.30."
            ),
        },
    )
    if created:
        rows = [(d, time(14, 0), time(12, 0), time(12, 30)) for d in (0, 1, 2, 3, 5)]
        rows.append((4, time(14, 30), time(11, 30), time(12, 30)))
        for weekday, end, break_start, break_end in rows:
            ScheduleDay.objects.create(
                schedule=six_ramadan, weekday=weekday, start=time(8, 0), end=end,
                break_start=break_start, break_end=break_end,
                check_in_opens=OPENS, check_out_closes=CLOSES,
            )

    p1447 = SpecialPeriod.objects.filter(
        name="Ramadan 1447 H", start_date=date(2026, 2, 18), end_date=date(2026, 3, 19)
    ).first()
    if p1447 is not None:
        p1447.start_date, p1447.end_date = date(2026, 2, 19), date(2026, 3, 20)
        p1447.approximate = False
        p1447.decree = DECREE_1447
        p1447.save()
    p1448 = SpecialPeriod.objects.filter(
        name="Ramadan 1448 H", start_date=date(2027, 2, 8), approximate=True
    ).first()
    if p1448 is not None:
        p1448.decree = DECREE_1448
        p1448.save()

    pairs = []
    for base_code, ramadan_code in (("NASIONAL-5H", "RAMADAN-5H"), ("NASIONAL-6H", "RAMADAN-6H")):
        base = WorkSchedule.objects.filter(code=base_code).first()
        ramadan = WorkSchedule.objects.filter(code=ramadan_code).first()
        if base is not None and ramadan is not None:
            pairs.append((base, ramadan))
    for period in SpecialPeriod.objects.filter(name__in=["Ramadan 1447 H", "Ramadan 1448 H"]):
        for base, ramadan in pairs:
            PeriodSchedule.objects.get_or_create(
                period=period, base_schedule=base, defaults={"schedule": ramadan}
            )


class Migration(migrations.Migration):
    dependencies = [("schedules", "0005_period_replacements")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
