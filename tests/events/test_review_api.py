"""The review of flagged event check-ins through the API: the list of those awaiting the
caller's decision (scoped), and the decision (the web page's service and permissions, audited),
with every refusal — 401, 403, 404, 409, 422 — writing nothing."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from govem.accounts.models import AuditEntry
from govem.events.models import Event, EventCheckin, EventCheckinReview
from govem.events.queries import attendance
from tests.events.test_events import AT_0710, apel, body, phone_for
from tests.events.test_review import AT_0715, flagged
from tests.helpers.regency import bearer

__all__ = ["apel", "flagged"]


def api(user: Any) -> Any:
    client, headers = Client(), bearer(user)

    class Caller:
        def get(self, path: str, **params: Any) -> Any:
            return client.get(path, params, headers=headers)

        def post(self, path: str, data: Any) -> Any:
            return client.post(path, data, content_type="application/json", headers=headers)

    return Caller()


def url(checkin: EventCheckin) -> str:
    return f"/api/v1/events/{checkin.event_id}/checkins/{checkin.pk}/review"


def test_it_lists_the_flagged_checkins_each_reviewer_may_decide(
    flagged: Any, apel: Event, regency: Any
) -> None:
    with time_machine.travel(AT_0715, tick=False):
        listed = api(regency.operator).get("/api/v1/events/reviews")
        by_event = api(regency.tim_it).get("/api/v1/events/reviews", event=apel.pk + 1)
        outsider = api(regency.outsider).get("/api/v1/events/reviews")
    assert listed.status_code == 200
    rows = listed.json()
    assert sorted(r["name"] for r in rows) == ["Budi Santoso", "Rahmat Hidayat", "Siti Aminah"]
    rahmat = next(r for r in rows if r["name"] == "Rahmat Hidayat")
    assert rahmat == {
        "checkin_id": flagged["Rahmat Hidayat"].pk,
        "event_id": apel.pk,
        "event_name": apel.name,
        "event_date": apel.date.isoformat(),
        "employee_id": regency.employee.pk,
        "nip": regency.employee.nip,
        "name": "Rahmat Hidayat",
        "server_time": rahmat["server_time"],
        "flags": ["clock_skew"],
    }
    assert by_event.json() == []  # another event: none
    assert outsider.status_code == 200 and outsider.json() == []  # another unit's operator


def test_it_decides_a_flagged_checkin_audited(flagged: Any, apel: Event, regency: Any) -> None:
    rahmat = flagged["Rahmat Hidayat"]
    operator = api(regency.operator)
    with time_machine.travel(AT_0715, tick=False):
        decided = operator.post(url(rahmat), {"decision": "accept", "reason": "Dilihat langsung"})
        assert decided.status_code == 200, decided.json()
        body_ = decided.json()
        assert body_["decision"] == "accepted" and body_["counts_as_present"] is True
        assert body_["reason"] == "Dilihat langsung" and body_["checkin_id"] == rahmat.pk
        remaining = operator.get("/api/v1/events/reviews").json()
        assert sorted(r["name"] for r in remaining) == ["Budi Santoso", "Siti Aminah"]
        rejected = api(regency.tim_it).post(
            url(flagged["Budi Santoso"]), {"decision": "reject", "reason": "Tidak terlihat"}
        )
        assert rejected.json()["counts_as_present"] is False
        roll = attendance(apel)
    assert [p.name for p, _ in roll.present] == ["Rahmat Hidayat"]
    entries = AuditEntry.objects.filter(action="review_event_checkin").order_by("pk")
    assert [(e.actor, e.after["decision"], e.reason) for e in entries] == [
        (regency.operator, "accepted", "Dilihat langsung"),
        (regency.tim_it, "rejected", "Tidak terlihat"),
    ]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"decision": "accept", "reason": "   "}, "invalid_input"),
        ({"decision": "reject", "reason": ""}, "invalid_input"),
        ({"decision": "maybe", "reason": "x"}, "invalid_input"),
        ({"decision": "accept"}, "invalid_input"),
        ({"decision": "accept", "reason": "a\u0000b"}, "invalid_input"),
    ],
)
def test_it_refuses_a_decision_without_reason_or_kind(
    flagged: Any, regency: Any, payload: dict[str, str], code: str
) -> None:
    with time_machine.travel(AT_0715, tick=False):
        refused = api(regency.operator).post(url(flagged["Siti Aminah"]), payload)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == code
    assert not EventCheckinReview.objects.exists()
    assert not AuditEntry.objects.filter(action="review_event_checkin").exists()


def test_it_refuses_callers_outside_the_role_or_scope(flagged: Any, regency: Any) -> None:
    siti = flagged["Siti Aminah"]
    decision = {"decision": "accept", "reason": "ok"}
    with time_machine.travel(AT_0715, tick=False):
        anonymous = Client().post(url(siti), decision, content_type="application/json")
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "unauthorized"
        assert Client().get("/api/v1/events/reviews").status_code == 401
        for user in (regency.employee.user, regency.colleague.user):  # an employee; Siti herself
            refused = api(user).post(url(siti), decision)
            assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
            listing = api(user).get("/api/v1/events/reviews")
            assert listing.status_code == 403
        inovator = api(regency.inovator).post(url(siti), decision)  # read-only
        assert inovator.status_code == 403 and inovator.json()["error"]["code"] == "forbidden"
        assert api(regency.inovator).get("/api/v1/events/reviews").json() == []
        outsider = api(regency.outsider).post(url(siti), decision)  # another unit
        assert outsider.status_code == 404 and outsider.json()["error"]["code"] == "not_found"
        wrong_event = f"/api/v1/events/{siti.event_id + 1}/checkins/{siti.pk}/review"
        assert api(regency.tim_it).post(wrong_event, decision).status_code == 404
    assert not EventCheckinReview.objects.exists()


def test_it_refuses_a_second_decision(flagged: Any, regency: Any) -> None:
    siti = flagged["Siti Aminah"]
    with time_machine.travel(AT_0715, tick=False):
        assert api(regency.operator).post(url(siti), {"decision": "accept", "reason": "ok"})
        twice = api(regency.tim_it).post(url(siti), {"decision": "reject", "reason": "lagi"})
        assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_reviewed"
    assert EventCheckinReview.objects.get().decision == "accepted"


def test_it_refuses_to_decide_an_unflagged_checkin(apel: Event, regency: Any) -> None:
    with time_machine.travel(AT_0710, tick=False):
        phone_for(regency.employee).post(f"/api/v1/events/{apel.pk}/checkins", body())
        plain = EventCheckin.objects.get()
        refused = api(regency.tim_it).post(url(plain), {"decision": "reject", "reason": "x"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_flagged"
    assert not EventCheckinReview.objects.exists()


def test_it_documents_the_review_endpoints_with_every_status() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    review = schema["paths"]["/api/v1/events/{event_id}/checkins/{checkin_id}/review"]["post"]
    assert {"200", "401", "403", "404", "409", "422"} <= {str(s) for s in review["responses"]}
    listing = schema["paths"]["/api/v1/events/reviews"]["get"]
    assert {"200", "401", "403", "422"} <= {str(s) for s in listing["responses"]}
    review_in = schema["components"]["schemas"]["ReviewIn"]
    assert review_in["properties"]["decision"]["enum"] == ["accept", "reject"]
    assert review_in["required"] == ["decision", "reason"]


def test_it_counts_flagged_event_checkins_in_the_menu_badge(
    flagged: Any, apel: Event, regency: Any
) -> None:
    from tests.helpers.regency import logged_in

    operator = logged_in(regency.operator)
    with time_machine.travel(AT_0715, tick=False):
        before = operator.get("/acara/").content.decode()
        assert 'data-menu="events"' in before
        assert 'data-count="3"' in before.split('data-menu="events"')[1].split("</li>")[0]
        assert 'data-awaiting="3"' in before and "3 menunggu tinjauan" in before
        api(regency.operator).post(
            url(flagged["Siti Aminah"]), {"decision": "accept", "reason": "ok"}
        )
        after = operator.get("/acara/", headers={"accept-language": "en"}).content.decode()
        employee = logged_in(regency.employee.user).get("/acara/").content.decode()
    assert 'data-count="2"' in after.split('data-menu="events"')[1].split("</li>")[0]
    assert "2 awaiting review" in after
    assert "data-awaiting" not in employee
    assert "data-count" not in employee.split('data-menu="events"')[1].split("</li>")[0]
