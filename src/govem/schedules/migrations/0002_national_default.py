"""The national 5-day schedule (Perpres 21/2023): the default for units without their own."""

from datetime import time

from django.db import migrations


def seed(apps, schema_editor):
    WorkSchedule = apps.get_model("schedules", "WorkSchedule")
    ScheduleDay = apps.get_model("schedules", "ScheduleDay")
    schedule, created = WorkSchedule.objects.get_or_create(
        code="NASIONAL-5H",
        defaults={
            "name": "Nasional 5 hari kerja",
            "description": "Perpres 21/2023: Senin–Kamis 07.30–16.00, Jumat 07.30–16.30.",
            "is_default": True,
        },
    )
    if not created:
        return
    for weekday in range(4):
        ScheduleDay.objects.create(
            schedule=schedule, weekday=weekday, start=time(7, 30), end=time(16, 0),
            break_start=time(12, 0), break_end=time(13, 0),
            check_in_opens=time(6, 0), check_out_closes=time(18, 0),
        )
    ScheduleDay.objects.create(
        schedule=schedule, weekday=4, start=time(7, 30), end=time(16, 30),
        break_start=time(11, 30), break_end=time(13, 0),
        check_in_opens=time(6, 0), check_out_closes=time(18, 0),
    )


class Migration(migrations.Migration):
    dependencies = [("schedules", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
