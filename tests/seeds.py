"""Re-run the data migrations' seeds (roles, rules, schedules, absence types, templates).

A transactional test flushes the database when it ends, seeded rows included; a later
transactional test that needs them calls :func:`reseed` first. Every seed is idempotent.
"""

from __future__ import annotations

import importlib

from django.apps import apps

SEEDS = (
    ("govem.accounts.migrations.0002_roles", "create_roles"),
    ("govem.attendance.migrations.0003_default_rule_set", "seed"),
    ("govem.schedules.migrations.0002_national_default", "seed"),
    ("govem.absences.migrations.0002_seed_types", "seed"),
    ("govem.notify.migrations.0002_seed_templates", "seed"),
    ("govem.absences.migrations.0005_seed_decision_template", "seed"),
    ("govem.absences.migrations.0006_seed_clarification_template", "seed"),
)


def reseed() -> None:
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
