"""The default rule row: typical Perbup figures (DESIGN §2), valid from 2000-01-01.

TL/PSW 1–30 / 31–60 / 61–90 / > 90 minutes; 0.5 / 1 / 1.25 / 1.5 % per occurrence;
TK 3 % per day; monthly cap 100 % of the share the deductions apply to. A regency changes
them with a new row from a date (admin or ``change_rules``), never by editing history.
"""

import datetime
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    RuleSet = apps.get_model("attendance", "RuleSet")
    RuleSet.objects.get_or_create(
        code="BAWAAN",
        defaults={
            "name": "Aturan bawaan (Perbup tipikal)",
            "valid_from": datetime.date(2000, 1, 1),
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
            "note": "Sesuaikan dengan Perbup yang berlaku dengan menambah aturan baru "
            "mulai tanggal tertentu.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0002_punchreview_ruleset_dayrecord")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
