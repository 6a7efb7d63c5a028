"""The sentences a backup or a daily phase stores when it fails (``Backup.error``,
``PhaseRun.error``), with values in them.

They are written once, by the worker, in Indonesian, and read on /operasi/ in the reader's
language: :func:`govem.l10n.stored_sentence` finds which of these a stored error is and says
it again through the catalogue. A sentence without values needs no entry here (the catalogue
finds it as it is); what a program printed (pg_dump's own words) stays as printed.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from govem.l10n import stored_sentence

MIRROR_FAILED = gettext_noop("Salinan kedua gagal: %(detail)s")
ARCHIVE_MISSING = gettext_noop("Berkas cadangan tidak ditemukan: %(name)s")
ARCHIVE_UNREADABLE = gettext_noop("Berkas cadangan tidak dapat dibaca: %(detail)s")
CHECKSUM_MISMATCH = gettext_noop("SHA-256 %(name)s tidak cocok dengan manifest.")
UNSUPPORTED_DATABASE = gettext_noop("Basis data %(vendor)s tidak didukung cadangan.")
SQLITE_COPY_BROKEN = gettext_noop("Salinan SQLite rusak: %(detail)s")
COMMAND_MISSING = gettext_noop(
    "Perintah %(command)s tidak ditemukan. Pasang klien PostgreSQL (paket "
    "postgresql-client) dengan versi yang sama atau lebih baru daripada server "
    "basis data."
)
COMMAND_FAILED = gettext_noop("%(command)s gagal: %(detail)s")
DUMP_LOCKED = gettext_noop(
    "pg_dump gagal: tabel dikunci oleh transaksi lain lebih dari %(seconds)s detik."
)
CANNOT_CONNECT = gettext_noop("Tidak dapat terhubung: %(detail)s")
NO_SCRATCH_DATABASE = gettext_noop(
    "Tidak dapat membuat basis data sementara untuk verifikasi (pengguna basis "
    "data perlu hak CREATEDB): %(detail)s"
)

STORED_ERRORS = (
    MIRROR_FAILED,
    ARCHIVE_MISSING,
    ARCHIVE_UNREADABLE,
    CHECKSUM_MISMATCH,
    UNSUPPORTED_DATABASE,
    SQLITE_COPY_BROKEN,
    COMMAND_MISSING,
    COMMAND_FAILED,
    DUMP_LOCKED,
    CANNOT_CONNECT,
    NO_SCRATCH_DATABASE,
)

# "backup: DomainError: <sentence>": the step and the exception's class in front of it.
_LABEL = re.compile(r"[\w./-]+: ")


def said(error: str) -> str:
    """A stored backup or phase error in the active language, the labels in front kept."""
    rest, front = error or "", ""
    while True:
        shown = stored_sentence(rest, STORED_ERRORS)
        if shown != rest:
            return front + shown
        label = _LABEL.match(rest)
        if label is None:
            return error
        front, rest = front + label.group(), rest[label.end() :]
