"""Flagged event check-ins: the same flags as a punch (clock skew, borderline position), not
present until a reviewer accepts them; accept or reject with a reason, once, audited; the
effect on the event's TAP; every refusal writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from govem.accounts.models import AuditEntry
from govem.attendance.days import rule_table
from govem.attendance.models import RuleSet
from govem.events.models import Event, EventCheckin, EventCheckinReview
from govem.events.queries import attendance, missed_in_month
from govem.payroll.models import Pagu
from govem.payroll.tpp import tpp_for
from tests.conftest import LATER, OFFICE_LAT
from tests.events.test_events import AT_0710, MONDAY, apel, body, phone_for
from tests.helpers.days import NOVEMBER, lay_month, pagu
from tests.helpers.regency import logged_in

__all__ = ["apel"]
AT_0715 = datetime(2026, 11, 1, 23, 15, tzinfo=UTC)
BORDERLINE = {"latitude": OFFICE_LAT + 0.0011, "accuracy_m": 40.0}  # ≈122 m, radius 100


@pytest.fixture
def flagged(apel: Event, regency: Any) -> dict[str, Any]:
    """At 07:10: Rahmat's phone clock 10 minutes behind; Siti and Budi at the radius' edge.
    (Each one's phone under ``phones``: another login would be another, refused device.)"""
    phones: dict[str, Any] = {}
    with time_machine.travel(AT_0710, tick=False):
        phones["Rahmat Hidayat"] = phone_for(regency.employee)
        skewed = phones["Rahmat Hidayat"].post(
            f"/api/v1/events/{apel.pk}/checkins", body(client_time="2026-11-02T07:00:00+08:00")
        )
        assert skewed.status_code == 201
        assert (skewed.json()["verdict"], skewed.json()["flags"]) == ("flagged", ["clock_skew"])
        assert skewed.json()["receipt"].startswith("GVA-")
        for person, key in ((regency.colleague, "siti-0001"), (regency.supervisor, "budi-0001")):
            phones[person.name] = phone_for(person)
            edge = phones[person.name].post(
                f"/api/v1/events/{apel.pk}/checkins", body(idempotency_key=key, **BORDERLINE)
            )
            assert edge.json()["flags"] == ["borderline_location"], edge.json()
    found: dict[str, Any] = {
        c.employee.name: c for c in EventCheckin.objects.select_related("employee")
    }
    found["phones"] = phones
    return found


def review(client: Any, checkin: EventCheckin, decision: str, reason: str) -> Any:
    return client.post(
        f"/acara/{checkin.event_id}/tinjau/{checkin.pk}", {"keputusan": decision, "alasan": reason}
    )


def test_it_counts_a_flagged_checkin_only_once_accepted(flagged: Any, apel: Event) -> None:
    with time_machine.travel(AT_0715, tick=False):
        roll = attendance(apel)
        assert roll.present == []
        assert sorted(p.name for p, _ in roll.pending) == [
            "Budi Santoso", "Rahmat Hidayat", "Siti Aminah"
        ]  # fmt: skip


def test_it_lets_the_operator_and_tim_it_decide_with_a_reason(
    flagged: Any, apel: Event, regency: Any
) -> None:
    rahmat, budi = flagged["Rahmat Hidayat"], flagged["Budi Santoso"]
    operator = logged_in(regency.operator)
    with time_machine.travel(AT_0715, tick=False):
        page = operator.get(f"/acara/{apel.pk}/").content.decode()
        assert "Perlu tinjauan" in page and "jam ponsel berbeda" in page
        assert "di tepi radius" in page and f"/tinjau/{rahmat.pk}" in page
        accepted = review(operator, rahmat, "accept", "Jam ponsel salah; hadir dilihat langsung")
        assert accepted.status_code == 302
        rejected = review(logged_in(regency.tim_it), budi, "reject", "Tidak terlihat di lapangan")
        assert rejected.status_code == 302
        roll = attendance(apel)
    assert [p.name for p, _ in roll.present] == ["Rahmat Hidayat"]
    assert [p.name for p, _ in roll.pending] == ["Siti Aminah"]
    entries = AuditEntry.objects.filter(action="review_event_checkin").order_by("pk")
    assert [(e.after["decision"], e.reason) for e in entries] == [
        ("accepted", "Jam ponsel salah; hadir dilihat langsung"),
        ("rejected", "Tidak terlihat di lapangan"),
    ]


@pytest.mark.parametrize(
    ("decision", "reason", "status", "code"),
    [
        ("accept", "  ", 422, "reason_required"),
        ("reject", "", 422, "reason_required"),
        ("maybe", "alasan", 422, "invalid_input"),
    ],
)
def test_it_refuses_a_decision_without_reason_or_kind(
    flagged: Any, regency: Any, decision: str, reason: str, status: int, code: str
) -> None:
    with time_machine.travel(AT_0715, tick=False):
        response = review(logged_in(regency.operator), flagged["Siti Aminah"], decision, reason)
    assert response.status_code == status
    assert f'data-code="{code}"' in response.content.decode()
    assert not EventCheckinReview.objects.exists()
    assert not AuditEntry.objects.filter(action="review_event_checkin").exists()


def test_it_refuses_reviewers_outside_their_role_or_scope(flagged: Any, regency: Any) -> None:
    siti = flagged["Siti Aminah"]
    with time_machine.travel(AT_0715, tick=False):
        inovator = review(logged_in(regency.inovator), siti, "accept", "ok")
        assert inovator.status_code == 403  # read-only
        assert 'data-code="forbidden"' in inovator.content.decode()
        assert review(logged_in(regency.outsider), siti, "accept", "ok").status_code == 404
        assert review(logged_in(regency.employee.user), siti, "accept", "ok").status_code == 404
        self_review = review(logged_in(regency.colleague.user), siti, "accept", "ok")
        assert self_review.status_code == 404
        operator = logged_in(regency.operator)
        assert review(operator, siti, "accept", "dilihat").status_code == 302
        twice = review(logged_in(regency.tim_it), siti, "reject", "lagi")
        assert twice.status_code == 409 and 'data-code="already_reviewed"' in twice.content.decode()
    assert EventCheckinReview.objects.count() == 1


def test_it_refuses_to_review_an_accepted_checkin(apel: Event, regency: Any) -> None:
    with time_machine.travel(AT_0710, tick=False):
        phone_for(regency.employee).post(f"/api/v1/events/{apel.pk}/checkins", body())
        plain = EventCheckin.objects.get()
        assert plain.verdict == "accepted"
        response = review(logged_in(regency.tim_it), plain, "reject", "x")
    assert response.status_code == 409 and 'data-code="not_flagged"' in response.content.decode()
    assert not EventCheckinReview.objects.exists()


def test_it_books_tap_for_rejected_and_undecided_and_not_for_accepted(
    flagged: Any, apel: Event, regency: Any
) -> None:
    """Rahmat accepted: present. Budi rejected, no retry: TAP. Siti rejected while the window
    is open, checks in again properly: present. Andi (operator, same unit) never came: TAP."""
    RuleSet.objects.update(absence_pcts={"TAP": "1"})
    operator, tim_it = logged_in(regency.operator), logged_in(regency.tim_it)
    with time_machine.travel(AT_0715, tick=False):
        review(operator, flagged["Rahmat Hidayat"], "accept", "dilihat langsung")
        review(tim_it, flagged["Budi Santoso"], "reject", "tidak di lapangan")
        review(tim_it, flagged["Siti Aminah"], "reject", "posisi di luar lapangan")
        siti = flagged["phones"]["Siti Aminah"]
        page = logged_in(regency.colleague.user).get(f"/acara/{apel.pk}/").content.decode()
        assert "sebelumnya ditolak peninjau: posisi di luar lapangan" in page
        again = siti.post(f"/api/v1/events/{apel.pk}/checkins", body(idempotency_key="siti-0002"))
        assert (again.status_code, again.json()["verdict"]) == (201, "accepted")
    pagu(Pagu.Basis.EMPLOYEE, regency.supervisor.nip, 5_000_000)
    pagu(Pagu.Basis.EMPLOYEE, regency.employee.nip, 5_000_000)
    with time_machine.travel(LATER, tick=False):
        people = [regency.employee, regency.colleague, regency.supervisor]
        missed = missed_in_month([p.pk for p in people], NOVEMBER, rule_table())
        assert set(missed) == {regency.supervisor.pk}
        assert [o.day for o in missed[regency.supervisor.pk]] == [MONDAY]
        lay_month(regency.supervisor)
        lay_month(regency.employee)
        budi = tpp_for(regency.supervisor, NOVEMBER).result
        assert [(line.code, line.rupiah) for line in budi.lines if line.code == "TAP"] == [
            ("TAP", 20_000)
        ]  # 1 % of the 2,000,000 discipline share
        rahmat = tpp_for(regency.employee, NOVEMBER).result
        assert not [line for line in rahmat.lines if line.code == "TAP"]
        roll = attendance(apel)
    assert sorted(p.name for p, _ in roll.present) == ["Rahmat Hidayat", "Siti Aminah"]
    assert "Budi Santoso" in {p.name for p in roll.absent}


def test_it_shows_the_employee_that_the_checkin_awaits_review(flagged: Any, apel: Event,
                                                              regency: Any) -> None:  # fmt: skip
    with time_machine.travel(AT_0715, tick=False):
        page = logged_in(regency.employee.user).get(f"/acara/{apel.pk}/").content.decode()
        listed = flagged["phones"]["Rahmat Hidayat"].get("/api/v1/events").json()
    assert "dihitung hadir setelah diterima peninjau" in page and "jam ponsel berbeda" in page
    assert [(e["checked_in"], e["pending_review"]) for e in listed] == [(True, True)]


def test_it_shows_the_review_list_in_english(flagged: Any, apel: Event, regency: Any) -> None:
    from tests.english import indonesian_words

    with time_machine.travel(AT_0715, tick=False):
        page = logged_in(regency.operator).get(
            f"/acara/{apel.pk}/", headers={"accept-language": "en"}
        )
    html = page.content.decode()
    data = ("Apel pagi Senin", "Kantor Diskominfo", "Rahmat Hidayat", "Siti Aminah",
            "Budi Santoso", "Andi Operator", "PEMERINTAH KABUPATEN TAPIN")  # fmt: skip
    assert indonesian_words(html, data) == []
    assert "Awaiting review" in html and "phone clock differs" in html
    assert "at the edge of the radius" in html


def test_it_confirms_and_refuses_a_review_in_english(
    flagged: Any, apel: Event, regency: Any
) -> None:
    from tests.english import indonesian_words

    data = ("Apel pagi Senin", "Kantor Diskominfo", "Rahmat Hidayat", "Siti Aminah",
            "Budi Santoso", "Andi Operator", "PEMERINTAH KABUPATEN TAPIN")  # fmt: skip
    en = {"accept-language": "en"}
    operator = logged_in(regency.operator)
    siti = flagged["Siti Aminah"]
    url = f"/acara/{apel.pk}/tinjau/{siti.pk}"
    with time_machine.travel(AT_0715, tick=False):
        no_reason = operator.post(url, {"keputusan": "accept", "alasan": ""}, headers=en)
        assert no_reason.status_code == 422
        assert "A reason for the decision is required." in no_reason.content.decode()
        assert indonesian_words(no_reason.content.decode(), data) == []
        done = operator.post(
            url, {"keputusan": "accept", "alasan": "seen"}, headers=en, follow=True
        )
        html = done.content.decode()
        assert "Check-in of Siti Aminah: Accepted." in html, html
        assert indonesian_words(html, data) == []
        twice = operator.post(url, {"keputusan": "reject", "alasan": "again"}, headers=en)
        assert twice.status_code == 409
        assert "This event check-in has already been reviewed." in twice.content.decode()
