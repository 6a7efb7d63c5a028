"""The Govem storage: every kept file goes through it — the data dir on SQLite (0600 files,
0700 folders), the database on PostgreSQL (every node reaches it, backups carry it)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from govem.files import store as files
from govem.files.models import FileChunk, StoredFile
from govem.files.storage import CHUNK_BYTES, DatabaseStorage, PrivateFileStorage
from govem.helpdesk.models import Ticket
from govem.operations.models import Backup
from tests.helpers.files import image_bytes


def test_it_uses_the_database_on_postgresql_and_the_data_dir_on_sqlite() -> None:
    expected = "database" if connection.vendor == "postgresql" else "local"
    assert files.kind() == expected


def test_it_keeps_local_files_private_and_whole(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    storage = PrivateFileStorage()
    storage.save("private/tickets/a.png", ContentFile(b"first"))
    storage.save("private/tickets/a.png", ContentFile(b"second, longer"))  # a re-draft
    path = tmp_path / "private" / "tickets" / "a.png"
    assert path.read_bytes() == b"second, longer"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert storage.names("private/") == ["private/tickets/a.png"]
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp left
    # Every level is created 0700 (not the umask's 0755), and an older data dir's 0755
    # folder is tightened on the next save.
    (tmp_path / "reports").mkdir(mode=0o755)
    (tmp_path / "reports").chmod(0o755)
    storage.save("reports/2026-11-30/draf.pdf", ContentFile(b"%PDF-"))
    draft = tmp_path / "reports" / "2026-11-30" / "draf.pdf"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    for folder in (draft.parent, draft.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.django_db
def test_it_stores_a_large_file_in_chunks_and_streams_it_back() -> None:
    storage = DatabaseStorage()
    data = os.urandom(CHUNK_BYTES * 3 + 12345)
    storage.save("backups/big.tar", ContentFile(data))
    row = StoredFile.objects.get(name="backups/big.tar")
    assert (row.size, row.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert FileChunk.objects.filter(file=row).count() == 4
    with storage.open("backups/big.tar") as handle:
        assert handle.read(10) == data[:10]
        assert handle.read() == data[10:]
    assert storage.size("backups/big.tar") == len(data)

    storage.save("backups/big.tar", ContentFile(b"small now"))
    assert storage.open("backups/big.tar").read() == b"small now"
    assert FileChunk.objects.count() == 1
    assert storage.listdir("backups") == ([], ["big.tar"])
    storage.delete("backups/big.tar")
    assert not storage.exists("backups/big.tar") and not FileChunk.objects.exists()
    with pytest.raises(FileNotFoundError):
        storage.open("backups/big.tar")
    with pytest.raises(ValueError):
        storage.open("backups/big.tar", "wb")


@pytest.mark.parametrize(
    "name", ["", "/etc/passwd", "../secret_key", "private/../secret_key", "a\\b", "x/.hidden"]
)
def test_it_refuses_names_that_leave_the_storage(name: str) -> None:
    assert files.clean_name(name) is None
    assert files.open_file(name) is None
    with pytest.raises(ValueError):
        files.put(name, b"x")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("sqlite") or not os.environ.get("DATABASE_URL"),
    reason="the database storage and stored backups are PostgreSQL's (SQLite: data dir)",
)
def test_it_backs_up_stored_files_into_the_storage_and_restores_them(
    phone: Any, clock: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any
) -> None:
    monkeypatch.delenv("GOVEM_BACKUP_DIR", raising=False)
    monkeypatch.delenv("GOVEM_BACKUP_MIRROR_DIR", raising=False)
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    shot = image_bytes("PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = phone.client.post(
        "/api/v1/tickets",
        {
            "category": "location",
            "description": "GPS tidak akurat",
            "screenshot": SimpleUploadedFile("l.png", shot, content_type="image/png"),
        },
        headers=phone._headers(),
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    stored_name = f"private/tickets/{ticket.screenshot}"

    call_command("backup")
    backup = Backup.objects.get()
    assert backup.verified, backup.error
    assert backup.path.startswith("backups/govem-") and files.exists(backup.path)
    assert not (tmp_path / "data" / "backups").exists()  # nothing on this node's disk
    assert backup.manifest["attachments"]["files"] == 1
    assert backup.manifest["file_storage"] == "database"
    assert "files_storedfile" not in backup.manifest["row_counts"]

    files.delete(stored_name)
    Ticket.objects.all().delete()
    call_command("restore", backup.path, "--yes")

    ticket = Ticket.objects.get()
    assert files.read(f"private/tickets/{ticket.screenshot}") == shot
    # The restore kept the stored backups (the files tables are not in the dump).
    assert files.exists(backup.path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("sqlite") or not os.environ.get("DATABASE_URL"),
    reason="the database storage is PostgreSQL's",
)
def test_a_restore_into_a_database_without_the_files_tables_recreates_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setenv("GOVEM_BACKUP_DIR", str(tmp_path / "backups"))
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    files.put("private/absences/surat.pdf", b"%PDF-1.4 surat tugas")
    call_command("backup", "--no-prune")
    archive = Backup.objects.get().path
    with connection.cursor() as cursor:  # a fresh server: the dump never held these tables
        cursor.execute("DROP TABLE files_filechunk, files_storedfile")

    call_command("restore", archive, "--yes")

    assert files.read("private/absences/surat.pdf") == b"%PDF-1.4 surat tugas"
