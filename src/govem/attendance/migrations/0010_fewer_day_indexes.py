"""Three indexes fewer on every check-in's writes: the punch's and the day record's employee
index (each table has a composite index that leads with the employee) and the day record's
status index with its PostgreSQL ``_like`` twin (every status query names the date or the
employee too).

Only the indexes are dropped. Django's own AlterField would also drop and re-add the foreign
keys, and re-adding one checks every row of the punches, which takes long on a year of them.
"""

import django.db.models.deletion
from django.db import migrations, models

# (table, index, column, PostgreSQL operator class or "") as Django named them in 0001.
INDEXES = (
    ("attendance_punch", "attendance_punch_employee_id_911958c5", "employee_id", ""),
    ("attendance_dayrecord", "attendance_dayrecord_employee_id_722c0ec5", "employee_id", ""),
    ("attendance_dayrecord", "attendance_dayrecord_status_2d7d3ae1", "status", ""),
    (
        "attendance_dayrecord",
        "attendance_dayrecord_status_2d7d3ae1_like",
        "status",
        "varchar_pattern_ops",
    ),
)


def drop(apps, schema_editor):
    for _table, name, _column, _ops in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, name, column, ops in INDEXES:
        if ops and not postgres:
            continue
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ("{column}" {ops})')


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0009_ruleset_tpp_shares"),
        ("people", "0007_employee_job_class"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, create)],
            state_operations=[
                migrations.AlterField(
                    model_name="dayrecord",
                    name="employee",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="day_records",
                        to="people.employee",
                        verbose_name="pegawai",
                    ),
                ),
                migrations.AlterField(
                    model_name="dayrecord",
                    name="status",
                    field=models.CharField(blank=True, max_length=8, verbose_name="status"),
                ),
                migrations.AlterField(
                    model_name="punch",
                    name="employee",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="punches",
                        to="people.employee",
                        verbose_name="pegawai",
                    ),
                ),
            ],
        )
    ]
