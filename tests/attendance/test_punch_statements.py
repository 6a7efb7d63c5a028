"""The check-in's statement budget (issue 12), pinned: a change that adds a query fails here
with the list of statements. Transactional, so the punch's transaction is the outermost one,
as under the server (no savepoints): what is counted is what production sends."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govem.attendance.models import DayRecord, Punch
from tests.conftest import ApiClient
from tests.seeds import reseed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _seeded(transactional_db: Any) -> None:
    reseed()  # an earlier transactional test's flush took the national schedule with it


# The token (with user, employee, unit, active device and cache generation), BEGIN, the
# day's state, INSERT punch, UPSERT day record, COMMIT — on both databases: PostgreSQL's
# day's state is one call of a function that locks the employee row first and then reads
# (services.install_day_state_function says why it cannot be one plain SELECT).
BUDGET = 6


def budget() -> int:
    return BUDGET


def listing(captured: CaptureQueriesContext) -> str:
    return "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(captured.captured_queries, 1))


def punch_counted(phone: Any, kind: str) -> tuple[Any, CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as captured:
        response = phone.punch(kind)
    return response, captured


def test_it_checks_in_and_out_in_a_handful_of_statements(
    phone: Any, employee: Any, clock: Any
) -> None:
    # A refused attempt (outside the area) loads the employee's context into the cache.
    assert phone.punch("in", latitude=-3.5, longitude=115.0).status_code == 422

    response, check_in = punch_counted(phone, "in")
    assert response.status_code == 201, response.json()
    assert len(check_in.captured_queries) == budget(), listing(check_in)

    clock.move_to("2026-11-30T08:05:00+00:00")  # 16:05 WITA
    response, check_out = punch_counted(phone, "out")
    assert response.status_code == 201, response.json()
    assert len(check_out.captured_queries) == budget(), listing(check_out)

    sql = [q["sql"] for q in check_in.captured_queries]
    assert sum(s.startswith('INSERT INTO "attendance_punch"') for s in sql) == 1
    assert not any("FOR UPDATE" in s for s in sql), "the row lock is inside the day's state"
    if connection.vendor == "postgresql":
        assert sum(s.startswith("SELECT * FROM govem_punch_day_state(") for s in sql) == 1
    assert not any(s.startswith("UPDATE") for s in sql), "the receipt is computed before the INSERT"
    record = DayRecord.objects.get(employee=employee)
    assert (record.codes, record.first_in is not None, record.last_out is not None) == (
        ["H"],
        True,
        True,
    )
    assert Punch.objects.filter(employee=employee).count() == 3


def test_it_reloads_the_context_after_a_change_and_then_is_cheap_again(
    phone: Any, employee: Any, office: Any, clock: Any
) -> None:
    assert phone.punch("in", latitude=-3.5, longitude=115.0).status_code == 422
    office.name = "Kantor Diskominfo (gedung baru)"
    office.save()  # bumps the generation: the next punch reloads
    response, cold = punch_counted(phone, "in")
    assert response.status_code == 201
    assert response.json()["location"]["name"] == "Kantor Diskominfo (gedung baru)"
    assert len(cold.captured_queries) > budget()
    clock.move_to("2026-11-30T08:05:00+00:00")
    response, warm = punch_counted(phone, "out")
    assert response.status_code == 201
    assert len(warm.captured_queries) == budget(), listing(warm)


def test_it_checks_a_colleague_in_within_the_budget_on_their_first_punch(
    client: Any, phone: Any, colleague: Any, clock: Any
) -> None:
    """The morning rush: everyone's first punch of the day. One colleague's punch loads the
    unit's context; every other employee of the unit then costs the same few statements."""
    assert phone.punch("in").status_code == 201  # loads the unit's context
    other = ApiClient(client)
    assert other.login(colleague.nip).status_code == 200
    response, first = punch_counted(other, "in")
    assert response.status_code == 201, response.json()
    assert len(first.captured_queries) == budget(), listing(first)


# The web page's check-in (session login): the session, its user, then one statement for
# the employee with unit, active binding and generation — and the same transaction.
WEB_BUDGET = BUDGET + 2


def test_the_web_page_checks_in_and_out_within_its_budget(employee: Any, clock: Any) -> None:
    from tests.attendance.test_web import logged_in, post_punch, punch_body

    browser = logged_in(employee)
    assert post_punch(browser, punch_body("in", latitude=-3.5, longitude=115.0)).status_code == 422
    with CaptureQueriesContext(connection) as check_in:
        response = post_punch(browser, punch_body("in"))
    assert response.status_code == 201, response.json()
    web_budget = WEB_BUDGET
    assert len(check_in.captured_queries) == web_budget, listing(check_in)
    clock.move_to("2026-11-30T08:05:00+00:00")
    with CaptureQueriesContext(connection) as check_out:
        response = post_punch(browser, punch_body("out"))
    assert response.status_code == 201, response.json()
    assert len(check_out.captured_queries) == web_budget, listing(check_out)
    assert DayRecord.objects.get(employee=employee).codes == ["H"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's function; SQLite: one SELECT"
)
def test_the_day_state_function_plans_its_reads_once_per_connection() -> None:
    # On the partitioned punch table the planner's own choice re-planned the function's four
    # punch subqueries on every call: ~0.4 ms of PostgreSQL's CPU per check-in.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proconfig FROM pg_proc WHERE proname = %s", ["govem_punch_day_state"]
        )
        assert cursor.fetchall() == [(["plan_cache_mode=force_generic_plan"],)]
