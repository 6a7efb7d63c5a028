"""Backups: punches and attachments survive a wipe through backup and restore (on the
configured database — SQLite locally, PostgreSQL in CI), verification, retention, mirror."""

from __future__ import annotations

import json
import tarfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from govem.attendance.models import DayRecord, Punch
from govem.errors import DomainError
from govem.operations import dbdump
from govem.operations.backup import create_backup, prune_backups, sha256_of, verify_archive
from govem.operations.models import Backup
from tests.helpers.files import mode

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dirs(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    # Its own data dir: other tests' uploads (private/) must not count as this backup's files.
    settings.DATA_DIR = tmp_path / "data"
    backups = tmp_path / "backups"
    monkeypatch.setenv("GOVEM_BACKUP_DIR", str(backups))
    monkeypatch.delenv("GOVEM_BACKUP_MIRROR_DIR", raising=False)
    return {"media": media, "backups": backups, "root": tmp_path}


def _punch_day(phone: Any, clock: Any) -> list[str]:
    receipts = []
    response = phone.punch("in")
    assert response.status_code == 201, response.content
    receipts.append(response.json()["receipt"])
    clock.shift(timedelta(hours=9))
    response = phone.punch("out")
    assert response.status_code == 201, response.content
    receipts.append(response.json()["receipt"])
    return receipts


def test_it_restores_every_punch_and_attachment_after_a_wipe(
    phone: Any, clock: Any, dirs: dict[str, Path], capsys: Any
) -> None:
    receipts = _punch_day(phone, clock)
    attachment = dirs["media"] / "lampiran" / "surat-tugas.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4 surat tugas DL")

    call_command("backup")
    backup = Backup.objects.get()
    assert backup.verified and backup.error == ""
    assert backup.manifest["row_counts"]["attendance_punch"] == 2

    Punch.objects.all().delete()
    DayRecord.objects.all().delete()
    attachment.unlink()
    assert not Punch.objects.exists()

    call_command("restore", backup.path, "--yes")

    restored = sorted(Punch.objects.values_list("receipt", flat=True))
    assert restored == sorted(receipts)
    assert attachment.read_bytes() == b"%PDF-1.4 surat tugas DL"
    assert "1 berkas lampiran" in capsys.readouterr().out


def test_it_writes_a_manifest_with_checksums_counts_and_version(
    phone: Any, clock: Any, dirs: dict[str, Path]
) -> None:
    _punch_day(phone, clock)

    backup = create_backup()

    archive = Path(backup.path)
    assert archive.parent == dirs["backups"]
    assert backup.sha256 == sha256_of(archive) and backup.size == archive.stat().st_size
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        names = set(tar.getnames())
    assert names == {"manifest.json", manifest["database_file"], "attachments.tar.gz"}
    assert manifest["engine"] == connection.vendor
    assert manifest["govem_version"]
    assert manifest["row_counts"]["attendance_punch"] == 2
    assert manifest["row_counts"]["people_employee"] == 1
    assert set(manifest["files"]) == {manifest["database_file"], "attachments.tar.gz"}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())


def test_it_refuses_a_tampered_archive_and_leaves_the_data_alone(
    phone: Any, clock: Any, dirs: dict[str, Path]
) -> None:
    _punch_day(phone, clock)
    backup = create_backup()
    archive = Path(backup.path)
    forged = archive.with_name("forged.tar")
    with tarfile.open(archive) as src, tarfile.open(forged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "attachments.tar.gz":
                data = data + b"extra"
                member.size = len(data)
            dst.addfile(member, __import__("io").BytesIO(data))

    with pytest.raises(DomainError, match="SHA-256"):
        verify_archive(forged)
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(forged), "--yes")
    assert Punch.objects.count() == 2


def test_it_asks_for_the_confirmation_word_before_restoring(
    phone: Any, clock: Any, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _punch_day(phone, clock)
    backup = create_backup(verify=False)
    Punch.objects.all().delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "ya")

    with pytest.raises(CommandError, match="Dibatalkan"):
        call_command("restore", backup.path)
    assert not Punch.objects.exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "PULIHKAN")
    call_command("restore", backup.path)
    assert Punch.objects.count() == 2


def test_it_copies_the_backup_to_the_second_directory(
    employee: Any, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = dirs["root"] / "usb"
    monkeypatch.setenv("GOVEM_BACKUP_MIRROR_DIR", str(mirror))

    backup = create_backup(verify=False)

    copy = mirror / Path(backup.path).name
    assert backup.mirror_path == str(copy)
    assert sha256_of(copy) == backup.sha256
    # Personal data and the Web Push key: the copy is as private as the original.
    for archive in (copy, Path(backup.path)):
        assert mode(archive) == 0o600, archive
        assert mode(archive.parent) == 0o700, archive.parent


def test_it_keeps_the_newest_backup_of_each_recent_day_week_and_month(
    db: Any, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVEM_BACKUP_KEEP_DAILY", "3")
    monkeypatch.setenv("GOVEM_BACKUP_KEEP_WEEKLY", "2")
    monkeypatch.setenv("GOVEM_BACKUP_KEEP_MONTHLY", "2")
    dirs["backups"].mkdir()
    now = datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Asia/Makassar"))  # a Monday noon
    rows = {}
    for days_ago in (0, 1, 2, 3, 4, 5, 9, 16, 40, 75, 120):
        for hour in (0, 6):  # two per day: only the newer is kept beyond the last 24 hours
            when = now - timedelta(days=days_ago, hours=hour)
            path = dirs["backups"] / f"b-{days_ago}-{hour}.tar"
            path.write_bytes(b"x")
            rows[(days_ago, hour)] = Backup.objects.create(
                path=str(path), engine="sqlite", created_at=when, verified=True
            )

    pruned = prune_backups(now)

    kept = {key for key, row in rows.items() if Path(row.path).exists()}
    # last 24 hours: both of today; daily: today, Sunday, Saturday (newest of each);
    # weekly: this week and last (already kept); monthly: November and October (21 Oct).
    assert kept == {(0, 0), (0, 6), (1, 0), (2, 0), (40, 0)}
    assert len(kept) < len(rows)
    assert all(row.pruned_at is not None for row in pruned)
    assert {Path(row.path).name for row in pruned}.isdisjoint(
        {Path(rows[key].path).name for key in kept}
    )


def test_it_says_in_indonesian_when_pg_dump_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbdump.shutil, "which", lambda name: None)

    with pytest.raises(DomainError) as error:
        dbdump._tool("pg_dump")

    assert "pg_dump tidak ditemukan" in error.value.message
    assert "postgresql-client" in error.value.message


def test_a_failed_backup_is_recorded_and_reported_by_the_health_check(
    employee: Any, dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from govem.operations.health import FAIL, check_backup

    def broken(target: Path) -> dict[str, int]:
        raise DomainError("pg_dump_failed", "pg_dump gagal: koneksi ditolak")

    monkeypatch.setattr(dbdump, "sqlite_dump", broken)
    monkeypatch.setattr(dbdump, "pg_dump", broken)

    with pytest.raises(CommandError, match="koneksi ditolak"):
        call_command("backup")

    assert Backup.objects.get().error == "pg_dump gagal: koneksi ditolak"
    assert check_backup().status == FAIL
    assert not list(dirs["backups"].glob("*.tar"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump's lock wait is PostgreSQL's")
def test_a_backup_behind_an_exclusive_lock_fails_clearly_instead_of_waiting(
    employee: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    monkeypatch.setattr(dbdump, "LOCK_WAIT_S", 1)
    with psycopg.connect(**dbdump._pg_params()) as holder:
        holder.execute("LOCK TABLE attendance_punch IN ACCESS EXCLUSIVE MODE")
        started = datetime.now()
        with pytest.raises(DomainError) as error:
            dbdump.pg_dump(tmp_path / "dump")
        waited = datetime.now() - started

    assert error.value.code == "pg_dump_locked"
    assert "dikunci" in error.value.message
    assert waited < timedelta(seconds=30)
