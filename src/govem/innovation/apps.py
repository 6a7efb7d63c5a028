from __future__ import annotations

from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "govem.innovation"
    label = "innovation"
    verbose_name = "Laporan inovasi"
