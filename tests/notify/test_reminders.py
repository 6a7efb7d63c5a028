"""Reminders of the SOP day: check-in at prepare, nudges after the grace period, check-out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from govem.notify import outbox, reminders
from govem.notify.models import ContactChannel, Message, MessageTemplate, PushSubscription
from govem.notify.rendering import substitute
from govem.people.models import Employee
from tests.conftest import ApiClient, make_employee
from tests.helpers.gateway import HttpSink

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 30)  # the conftest clock: Monday 07:10 WITA


@pytest.fixture
def staff(employee: Employee, colleague: Employee) -> list[Employee]:
    Employee.objects.filter(pk=employee.pk).update(phone="+6281111111111")
    Employee.objects.filter(pk=colleague.pk).update(phone="+6282222222222")
    employee.refresh_from_db()
    colleague.refresh_from_db()
    return [employee, colleague]


def queued(kind: str) -> dict[str, Message]:
    return {m.employee.name: m for m in Message.objects.filter(template_key=kind)}


def test_it_reminds_everyone_who_works_today_once(
    whatsapp: HttpSink, staff: list[Employee], clock: time_machine.Coordinates
) -> None:
    gone = make_employee(staff[0].unit, "198001012005011001", "Sudah Pensiun", active=False)
    silent = make_employee(staff[0].unit, "198102022006042002", "Tanpa Kontak")

    result = reminders.queue_checkin_reminders(MONDAY)
    again = reminders.queue_checkin_reminders(MONDAY)

    assert (result.candidates, result.queued, result.unreachable) == (3, 2, 1)
    assert again.queued == 0
    messages = queued("pengingat-masuk")
    assert set(messages) == {"Rahmat Hidayat", "Siti Aminah"}
    rahmat = messages["Rahmat Hidayat"]
    assert (rahmat.channel, rahmat.address) == ("whatsapp", "+6281111111111")
    assert rahmat.subject == "Pengingat presensi masuk 30 November 2026"
    assert rahmat.body.startswith(
        "Selamat pagi, Rahmat Hidayat. Hari ini Senin, 30 November 2026, jam masuk Anda 07:30."
    )
    assert rahmat.expires_at.isoformat() == "2026-11-29T23:30:00+00:00"  # 07:30 WITA
    assert gone.pk and silent.pk

    assert outbox.send_due().sent == 2
    assert {r.json()["target"] for r in whatsapp.requests} == {"6281111111111", "6282222222222"}


def test_it_reminds_nobody_on_a_holiday(whatsapp: HttpSink, staff: list[Employee]) -> None:
    christmas = date(2026, 12, 25)

    assert reminders.queue_checkin_reminders(christmas).candidates == 0


def test_it_reminds_nobody_once_work_has_started(
    whatsapp: HttpSink, staff: list[Employee], clock: time_machine.Coordinates
) -> None:
    clock.shift(timedelta(minutes=25))  # 07:35

    assert reminders.queue_checkin_reminders(MONDAY).queued == 0


def test_it_nudges_only_those_not_checked_in_after_the_grace_period(
    whatsapp: HttpSink, staff: list[Employee], phone: ApiClient, clock: time_machine.Coordinates
) -> None:
    assert phone.punch("in").status_code == 201  # Rahmat, 07:10
    clock.shift(timedelta(minutes=34))  # 07:44: within 15 minutes of grace
    assert reminders.queue_late_nudges(MONDAY).queued == 0

    clock.shift(timedelta(minutes=1))  # 07:45
    result = reminders.queue_late_nudges(MONDAY)

    assert result.queued == 1
    nudge = queued("belum-presensi")["Siti Aminah"]
    assert "belum mencatat presensi masuk Anda hari ini (jam masuk 07:30)" in nudge.body


def test_it_reminds_those_still_checked_in_when_work_ends(
    whatsapp: HttpSink, staff: list[Employee], phone: ApiClient, clock: time_machine.Coordinates
) -> None:
    siti = ApiClient(Client())
    assert siti.login(staff[1].nip).status_code == 200
    assert phone.punch("in").status_code == 201
    assert siti.punch("in").status_code == 201
    clock.shift(timedelta(hours=8, minutes=51))  # 16:01
    assert siti.punch("out").status_code == 201

    ticks = reminders.tick()

    assert set(queued("pengingat-pulang")) == {"Rahmat Hidayat"}
    assert "berakhir pukul 16:00" in queued("pengingat-pulang")["Rahmat Hidayat"].body
    assert sum(r.queued for r in ticks) == 1  # no nudges after the end of work


def test_it_reaches_each_employee_on_the_first_channel_they_have(
    settings: Any,
    whatsapp: HttpSink,
    staff: list[Employee],
    smtp_server: Any,
    clock: time_machine.Coordinates,
) -> None:
    from govem.notify import vapid

    vapid.create()
    settings.GOVEM_NOTIFY = {**settings.GOVEM_NOTIFY, "TELEGRAM_URL": whatsapp.url + "/tg"}
    rahmat, siti = staff
    PushSubscription.objects.create(
        user=rahmat.user, endpoint="https://push.example/1", p256dh="k", auth="a"
    )
    ContactChannel.objects.create(employee=siti, channel="telegram", address="555")
    budi = make_employee(rahmat.unit, "198001012005011001", "Budi", email="budi@tapinkab.go.id")
    ContactChannel.objects.create(employee=budi, channel="whatsapp", enabled=False)
    Employee.objects.filter(pk=budi.pk).update(phone="+6283333333333")

    reminders.queue_checkin_reminders(MONDAY)

    targets = {name: (m.channel, m.address) for name, m in queued("pengingat-masuk").items()}
    assert targets == {
        "Rahmat Hidayat": ("webpush", f"user:{rahmat.user_id}"),
        "Siti Aminah": ("telegram", "555"),
        "Budi": ("email", "budi@tapinkab.go.id"),
    }


def test_it_uses_the_templates_the_it_team_edited(
    whatsapp: HttpSink, staff: list[Employee], clock: time_machine.Coordinates
) -> None:
    MessageTemplate.objects.filter(key="pengingat-masuk").update(body="Halo {nama}, {hari}!")
    MessageTemplate.objects.create(
        key="pengingat-masuk",
        channel="email",
        name="khusus email",
        subject="x",
        body="tidak dipakai untuk WhatsApp",
    )

    reminders.queue_checkin_reminders(MONDAY)

    assert queued("pengingat-masuk")["Siti Aminah"].body == "Halo Siti Aminah, Senin!"


def test_it_fills_only_known_placeholders() -> None:
    text = "{nama} {nama.__class__} {tidak_dikenal} {{nama}}"

    assert substitute(text, {"nama": "Siti"}) == "Siti {nama.__class__} {tidak_dikenal} {Siti}"


def approve(employee: Employee, code: str, part: str = "") -> None:
    from govem.absences.models import AbsenceRequest, AbsenceType

    AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code=code),
        start_date=MONDAY - timedelta(days=1),
        end_date=MONDAY + timedelta(days=2),
        part_of_day=part,
        reason="uji",
        status="approved",
    )


def test_it_spares_those_on_approved_leave_or_duty_travel(
    whatsapp: HttpSink, staff: list[Employee], clock: time_machine.Coordinates
) -> None:
    approve(staff[1], "DL")
    pending = make_employee(staff[0].unit, "198001012005011001", "Cuti Belum Disetujui")
    Employee.objects.filter(pk=pending.pk).update(phone="+6283333333333")
    from govem.absences.models import AbsenceRequest, AbsenceType

    AbsenceRequest.objects.create(
        employee=pending,
        type=AbsenceType.objects.get(code="CT"),
        start_date=MONDAY,
        end_date=MONDAY,
        reason="uji",
    )

    reminders.queue_checkin_reminders(MONDAY)
    clock.shift(timedelta(minutes=40))  # 07:50
    reminders.queue_late_nudges(MONDAY)

    assert set(queued("pengingat-masuk")) == {"Rahmat Hidayat", "Cuti Belum Disetujui"}
    assert set(queued("belum-presensi")) == {"Rahmat Hidayat", "Cuti Belum Disetujui"}


def test_it_does_not_nudge_someone_permitted_to_come_late(
    whatsapp: HttpSink, staff: list[Employee], clock: time_machine.Coordinates
) -> None:
    approve(staff[1], "I", part="late_arrival")
    clock.shift(timedelta(minutes=40))  # 07:50

    reminders.queue_late_nudges(MONDAY)

    assert set(queued("belum-presensi")) == {"Rahmat Hidayat"}


def test_it_queues_check_in_reminders_in_the_prepare_phase(
    whatsapp: HttpSink, staff: list[Employee], clock: time_machine.Coordinates
) -> None:
    from govem.operations import phases

    assert "reminders" in [step.name for step in phases.steps_for("prepare")]
    assert "reminders" in [step.name for step in phases.steps_for("reconcile")]

    run = phases.run_phase(MONDAY, "prepare", by="test")

    assert run is not None
    outcome = run.result["steps"]["reminders"]
    assert outcome["ok"]
    assert outcome["value"]["queued"] == 2
    assert set(queued("pengingat-masuk")) == {"Rahmat Hidayat", "Siti Aminah"}
