"""Health (govem health, /healthz) and the "Operasi Harian" page with its roles."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from govem.accounts.models import AuditEntry
from govem.operations import health, phases
from govem.operations.models import Backup, PhaseRun
from tests.helpers.regency import logged_in, staff_user

MONDAY = date(2026, 11, 30)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "DISK_FAIL_BYTES", 10**18)
    monkeypatch.setattr(health, "DISK_WARN_BYTES", 10**18)


@pytest.mark.django_db
def test_healthz_answers_200_with_every_check_and_no_secrets(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "DISK_FAIL_BYTES", 0)  # whatever the test machine's disk holds
    response = client.get("/healthz")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["healthy"] is True
    keys = [check["key"] for check in body["checks"]]
    assert keys == [
        "database",
        "migrations",
        "worker",
        "disk",
        "backup",
        "outbox",
        "channels",
        "clock",
        "freshness",
        "calendar",
        "replica",
    ]
    by_key = {check["key"]: check for check in body["checks"]}
    assert by_key["replica"]["status"] == "OK"  # none configured: everything on the primary
    assert by_key["replica"]["message"].startswith("Tidak dipakai")
    assert by_key["database"]["status"] == "OK"
    assert by_key["migrations"]["status"] == "OK"
    assert by_key["worker"]["status"] == "WARN"  # never ran
    text = response.content.decode()
    assert django_settings.SECRET_KEY not in text
    assert str(django_settings.DATA_DIR) not in text
    assert "password" not in text.lower()


@pytest.mark.django_db
def test_healthz_answers_503_and_govem_check_fails_on_a_critical_failure(
    client: Any, full_disk: None, capsys: Any
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    disk = next(check for check in response.json()["checks"] if check["key"] == "disk")
    assert disk["status"] == "FAIL" and disk["critical"] is True
    with pytest.raises(SystemExit) as exit_info:
        call_command("health")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "Ruang disk data (kritis)" in out and "TIDAK SEHAT" in out


@pytest.mark.django_db
def test_govem_check_prints_each_check_in_indonesian(capsys: Any) -> None:
    call_command("health")

    out = capsys.readouterr().out
    assert "[OK  ] Basis data dapat dibaca dan ditulis" in out
    assert "[WARN] Worker berjalan: Worker belum pernah berjalan" in out
    assert "[WARN] Cadangan terakhir: Belum ada cadangan" in out
    assert "Keseluruhan: WARN — SEHAT" in out


@pytest.mark.django_db
def test_govem_check_json_lists_the_backup_age_and_verification(capsys: Any) -> None:
    from django.utils import timezone

    Backup.objects.create(path="/x.tar", engine="sqlite", created_at=timezone.now(), verified=True)

    call_command("health", "--json")

    body = json.loads(capsys.readouterr().out)
    backup = next(check for check in body["checks"] if check["key"] == "backup")
    assert backup["status"] == "OK" and backup["details"]["verified"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ((), 302),
        (("Pegawai",), 403),
        (("Operator",), 403),
        (("Atasan",), 403),
        (("Inovator",), 200),
        (("Tim IT",), 200),
    ],
)
def test_the_operations_page_is_for_the_it_team_and_the_innovator(
    groups: tuple[str, ...], expected: int
) -> None:
    user = staff_user("u", *groups) if groups else None
    assert logged_in(user).get("/operasi/").status_code == expected
    assert logged_in(user).get("/operasi/evaluasi/2026-11-30/").status_code == expected


@pytest.mark.django_db
def test_the_page_shows_phases_results_checks_and_backups(only_steps: Any) -> None:
    from django.utils import timezone

    only_steps("close", ("backup", lambda day: {"file": "govem-x.tar", "verified": True}))
    today = timezone.localdate()
    phases.run_phase(today, "close")
    Backup.objects.create(
        path="/srv/govem/backups/govem-1.tar", engine="sqlite", created_at=timezone.now()
    )

    response = logged_in(staff_user("it", "Tim IT")).get("/operasi/")

    html = response.content.decode()
    assert f'id="run-{today.isoformat()}-close"' in html
    assert "Berhasil" in html and "govem-x.tar" in html
    assert "Basis data dapat dibaca dan ditulis" in html
    assert "govem-1.tar" in html
    assert "Jalankan ulang" in html


@pytest.mark.django_db
def test_the_it_team_asks_for_a_rerun_and_it_is_audited(only_steps: Any) -> None:
    only_steps("close", ("noop", lambda day: None))
    phases.run_phase(MONDAY, "close")
    client = logged_in(staff_user("it", "Tim IT"))

    response = client.post("/operasi/jalankan/", {"date": "2026-11-30", "phase": "close"})

    assert response.status_code == 302
    run = PhaseRun.objects.get(date=MONDAY, phase="close")
    assert run.requested_by == "it" and run.requested_at is not None
    entry = AuditEntry.objects.filter(action="phase_rerun_requested").get()
    assert entry.actor_label == "it"


@pytest.mark.django_db
def test_the_innovator_reads_but_cannot_rerun_and_csrf_is_enforced() -> None:
    inovator = logged_in(staff_user("ino", "Inovator"))
    assert (
        inovator.post("/operasi/jalankan/", {"date": "2026-11-30", "phase": "close"}).status_code
        == 403
    )

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(
        staff_user("it2", "Tim IT"), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert (
        strict.post("/operasi/jalankan/", {"date": "2026-11-30", "phase": "close"}).status_code
        == 403
    )
    assert not PhaseRun.objects.filter(requested_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_running_phase_cannot_be_asked_for_again(only_steps: Any) -> None:
    phases.claim(MONDAY, "close", by="host-a:1")
    client = logged_in(staff_user("it", "Tim IT"))

    response = client.post(
        "/operasi/jalankan/", {"date": "2026-11-30", "phase": "close"}, follow=True
    )

    assert "sedang berjalan" in response.content.decode()
    assert PhaseRun.objects.get(date=MONDAY, phase="close").requested_at is None


@pytest.mark.django_db
def test_run_phase_by_hand_refuses_a_finished_phase_without_force(
    only_steps: Any, capsys: Any
) -> None:
    from django.core.management import CommandError

    only_steps("prepare", ("noop", lambda day: {"n": 1}))
    call_command("run_phase", "prepare", "--date", "2026-11-30")
    with pytest.raises(CommandError, match="--force"):
        call_command("run_phase", "prepare", "--date", "2026-11-30")
    call_command("run_phase", "prepare", "--date", "2026-11-30", "--force")

    run = PhaseRun.objects.get(date=MONDAY, phase="prepare")
    assert run.attempts == 2 and run.history[0]["rerun_by"].startswith("govem run-phase")
    assert "Fase prepare 2026-11-30: Berhasil." in capsys.readouterr().out


@pytest.mark.django_db
def test_the_menu_links_the_operations_page_for_the_it_team_only(employee: Any) -> None:
    from tests.helpers.regency import grant

    grant(employee.user, "Pegawai")
    it_page = logged_in(staff_user("it", "Tim IT")).get("/operasi/").content.decode()
    employee_page = logged_in(employee.user).get("/riwayat/").content.decode()

    assert 'href="/operasi/"' in it_page
    assert 'href="/operasi/"' not in employee_page


@pytest.mark.django_db
def test_the_page_says_a_stored_failure_in_the_readers_language(only_steps: Any) -> None:
    """The worker stores a failed backup's sentence in Indonesian; the English page says it
    in English, values kept (the Indonesian page as stored)."""
    from django.utils import timezone

    from govem.errors import DomainError
    from govem.operations.texts import COMMAND_MISSING

    def fails(day: Any) -> dict[str, Any]:
        raise DomainError("backup_failed", COMMAND_MISSING % {"command": "pg_dump"})

    only_steps("close", ("backup", fails))
    today = timezone.localdate()
    phases.run_phase(today, "close")
    Backup.objects.create(
        path="/srv/govem/backups/govem-2.tar",
        engine="sqlite",
        created_at=timezone.now(),
        error="Salinan kedua gagal: SHA-256 salinan kedua berbeda",
    )
    staff = logged_in(staff_user("it", "Tim IT"))
    english = staff.get("/operasi/", headers={"accept-language": "en"}).content.decode()
    assert "Second copy failed: SHA-256 of the second copy differs" in english
    assert "Failed: DomainError: Command pg_dump not found." in english
    assert "Salinan kedua gagal" not in english and "tidak ditemukan" not in english
    indonesian = staff.get("/operasi/").content.decode()
    assert "Salinan kedua gagal: SHA-256 salinan kedua berbeda" in indonesian
    assert "Perintah pg_dump tidak ditemukan." in indonesian
