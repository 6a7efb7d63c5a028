"""Stored files in the database (PostgreSQL): one row per file, its bytes in 1 MiB chunks.

Chunks keep every statement small (no 1 GB bytea limit, no whole file in one message) and let
a download stream. Every node and the streaming replica see the same files; no local disk.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    name = models.CharField(_("nama"), max_length=255, unique=True)
    size = models.BigIntegerField(_("ukuran"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("dibuat"))
    modified_at = models.DateTimeField(_("diubah"))

    class Meta:
        verbose_name = _("berkas tersimpan")
        verbose_name_plural = _("berkas tersimpan")

    def __str__(self) -> str:
        return self.name


class FileChunk(models.Model):
    file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "index"], name="files_chunk_unique_index")
        ]

    def __str__(self) -> str:
        return f"{self.file_id}#{self.index}"
